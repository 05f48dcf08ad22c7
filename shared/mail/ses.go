package mail

import (
	"context"
	"fmt"
	"net/mail"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ses"
	"github.com/candorhq/candor/shared/brand"
	"github.com/candorhq/candor/shared/envconfig"
)

// NewSESSender builds what a function that sends email needs from its
// configuration: the links under the public base URL and a Sender on SES v1
// from the given identity. Errors name the setting at fault.
func NewSESSender(cfg aws.Config, publicBaseURL, from string) (*Sender, Links, error) {
	links, err := NewLinks(publicBaseURL)
	if err != nil {
		return nil, Links{}, fmt.Errorf("PUBLIC_BASE_URL: %w", err)
	}
	sender, err := NewSender(newSESClient(cfg), from, NewRenderer(links))
	if err != nil {
		return nil, Links{}, fmt.Errorf("SENDER_ADDRESS: %w", err)
	}
	return sender, links, nil
}

// SenderFromEnv reads the settings of a function that sends email —
// PUBLIC_BASE_URL, SENDER_ADDRESS, the business portal's page templates
// BUSINESS_REPORT_URL and BUSINESS_REQUEST_URL, and the platform's brand
// PLATFORM_NAME and PLATFORM_LOGO_URL (brand.FromEnv) — and builds its SES
// sender, whose emails name the platform, and links. A bare SENDER_ADDRESS
// is sent from with the platform's name as display name.
func SenderFromEnv(env *envconfig.Env, cfg aws.Config) (*Sender, Links, error) {
	base := env.Required("PUBLIC_BASE_URL")
	from := env.Required("SENDER_ADDRESS")
	report := env.Required("BUSINESS_REPORT_URL")
	request := env.Required("BUSINESS_REQUEST_URL")
	if err := env.Err(); err != nil {
		return nil, Links{}, err
	}
	b, err := brand.FromEnv(env)
	if err != nil {
		return nil, Links{}, err
	}
	pages, err := ParseBusinessPages(report, request)
	if err != nil {
		return nil, Links{}, err
	}
	links, err := NewLinks(base)
	if err != nil {
		return nil, Links{}, fmt.Errorf("PUBLIC_BASE_URL: %w", err)
	}
	links.Business = pages
	sender, err := NewSender(newSESClient(cfg), withDisplayName(from, b.Name), NewRenderer(links).WithBrand(b))
	if err != nil {
		return nil, Links{}, fmt.Errorf("SENDER_ADDRESS: %w", err)
	}
	return sender, links, nil
}

// withDisplayName returns from with name as its display name when from is
// a bare address, and from as it is otherwise (NewSender reports a bad one).
func withDisplayName(from, name string) string {
	a, err := mail.ParseAddress(from)
	if err != nil || a.Name != "" || name == "" {
		return from
	}
	return (&mail.Address{Name: name, Address: a.Address}).String()
}

// newSESClient is the SES client of a function that sends email: the SDK
// retries a SendEmail only when SES certainly sent nothing (SendRetryer).
// It is built on the first send, not when the function starts: most tasks
// of a function that sends email send none, and building an SDK client
// costs every cold start page faults of its own.
func newSESClient(cfg aws.Config) SESAPI {
	return sesOnFirstUse(sync.OnceValue(func() *ses.Client {
		return ses.NewFromConfig(cfg, func(o *ses.Options) { o.Retryer = SendRetryer(o.Retryer) })
	}))
}

// sesOnFirstUse is an SES client built by its first call. It sends both
// kinds of message a Sender sends: SendEmail, and SendRawEmail for an email
// with headers of its own (RawSESAPI).
type sesOnFirstUse func() *ses.Client

var _ RawSESAPI = sesOnFirstUse(nil)

func (c sesOnFirstUse) SendEmail(ctx context.Context, in *ses.SendEmailInput, optFns ...func(*ses.Options)) (*ses.SendEmailOutput, error) {
	return c().SendEmail(ctx, in, optFns...)
}

func (c sesOnFirstUse) SendRawEmail(ctx context.Context, in *ses.SendRawEmailInput, optFns ...func(*ses.Options)) (*ses.SendRawEmailOutput, error) {
	return c().SendRawEmail(ctx, in, optFns...)
}
