package mail

import (
	"context"
	"errors"
	"fmt"
	"net/mail"
	"net/url"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ses"
	"github.com/aws/aws-sdk-go-v2/service/ses/types"
	"github.com/aws/smithy-go"

	"github.com/candorhq/candor/shared/i18n"
)

// Actions are the IAM actions a function that sends email needs, for the
// template's policies and their checks.
var Actions = []string{"ses:SendEmail", "ses:SendRawEmail"}

// ErrInvalidRecipient is the error (under errors.Is) of sending to an
// address that is empty, not a bare address, or not 7-bit ASCII (SES needs
// international domains in punycode and takes no non-ASCII local part).
var ErrInvalidRecipient = errors.New("invalid recipient address")

// SESAPI is the part of the SES v1 client a Sender uses. *ses.Client
// implements it; tests pass a fake.
type SESAPI interface {
	SendEmail(ctx context.Context, params *ses.SendEmailInput, optFns ...func(*ses.Options)) (*ses.SendEmailOutput, error)
}

var _ SESAPI = (*ses.Client)(nil)

// Sender renders messages and sends them through SES. It is safe for
// concurrent use. It does not remember what it sent: a caller that may be
// retried (a Step Functions task) records the message id and does not call
// Send again for the same email.
type Sender struct {
	client SESAPI
	from   string
	r      *Renderer
}

// NewSender returns a Sender that sends from the address from (an SES
// verified identity, optionally with a display name: "Candor
// <no-reply@example.com>"), rendering with r.
func NewSender(client SESAPI, from string, r *Renderer) (*Sender, error) {
	if client == nil {
		return nil, errors.New("mail: new sender: no SES client")
	}
	if r == nil {
		return nil, errors.New("mail: new sender: no renderer")
	}
	a, err := mail.ParseAddress(from)
	if err != nil {
		return nil, fmt.Errorf("mail: new sender: from address: %w", err)
	}
	if !ascii(a.Address) {
		return nil, errors.New("mail: new sender: from address must be 7-bit ASCII (punycode for international domains)")
	}
	source := a.Address
	if a.Name != "" {
		source = a.String() // RFC 2047 encodes a non-ASCII display name
	}
	return &Sender{client: client, from: source, r: r}, nil
}

// Send renders msg in to's locale and sends it to to through SES, returning
// SES's message id. The destination is to's address, with to's name as
// display name (RFC 2047 encoded when it is not ASCII) when there is one.
// Errors say which email failed and why but never contain to's address or
// name, not even where SES's own message quotes them; an SES error is
// available under errors.As as a smithy.APIError with the same redaction,
// and a cancelled or expired ctx under errors.Is. A failure after which SES
// may have sent the email (its answer was lost) is [ErrOutcomeUnknown] under
// errors.Is; every other error means SES sent nothing.
func (s *Sender) Send(ctx context.Context, to Recipient, msg Message) (string, error) {
	name := nameOf(msg)
	dest, err := destination(to)
	if err != nil {
		return "", fmt.Errorf("mail: send %s: %w", name, err)
	}
	out, err := s.r.Render(to.Locale, msg)
	if err != nil {
		return "", fmt.Errorf("mail: send: %w", err)
	}
	in := &ses.SendEmailInput{
		Source:      aws.String(s.from),
		Destination: &types.Destination{ToAddresses: []string{dest}},
		Message: &types.Message{
			Subject: &types.Content{Data: aws.String(out.Subject), Charset: aws.String("UTF-8")},
			Body: &types.Body{
				Text: &types.Content{Data: aws.String(out.Text), Charset: aws.String("UTF-8")},
				Html: &types.Content{Data: aws.String(out.HTML), Charset: aws.String("UTF-8")},
			},
		},
	}
	if err := ctx.Err(); err != nil {
		return "", fmt.Errorf("mail: send %s: %w", name, err) // nothing went to SES
	}
	res, err := s.client.SendEmail(ctx, in)
	if err != nil {
		e := redacted("mail: send "+name+" through SES", err, to, dest)
		if !notSent(err) {
			e.causes = append(e.causes, ErrOutcomeUnknown)
		}
		return "", e
	}
	if res == nil || aws.ToString(res.MessageId) == "" {
		return "", fmt.Errorf("mail: send %s through SES: no message id in the response", name)
	}
	return *res.MessageId, nil
}

// destination returns the SES destination of to: its bare address, or
// "name <address>" with the name RFC 2047 encoded as needed.
func destination(to Recipient) (string, error) {
	addr := strings.TrimSpace(to.Address)
	if addr == "" {
		return "", fmt.Errorf("address is missing: %w", ErrInvalidRecipient)
	}
	if !ascii(addr) {
		return "", fmt.Errorf("address is not 7-bit ASCII: %w", ErrInvalidRecipient)
	}
	a, err := mail.ParseAddress(addr)
	if err != nil || a.Address != addr || a.Name != "" {
		return "", fmt.Errorf("address is not a bare email address: %w", ErrInvalidRecipient) // err may quote the address
	}
	name := i18n.DisplayLine(to.Name)
	if name == "" {
		return addr, nil
	}
	return (&mail.Address{Name: name, Address: addr}).String(), nil
}

// ascii reports whether s is printable 7-bit ASCII.
func ascii(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x21 || s[i] > 0x7e {
			return false
		}
	}
	return true
}

// sendError is a failed SendEmail with the recipient's data taken out of
// everything it says.
type sendError struct {
	msg    string
	causes []error // a redacted smithy.APIError, a context error
}

func (e *sendError) Error() string   { return e.msg }
func (e *sendError) Unwrap() []error { return e.causes }

// MaybeSent reports whether SES may have sent the email although the call
// failed (the answer was lost): a caller that sends at most once counts it
// as sent.
func (e *sendError) MaybeSent() bool { return errors.Is(e, ErrOutcomeUnknown) }

// redacted returns err under op with every mention of to's address and name
// (and of dest, their combination) replaced by "[recipient]". It keeps the
// SES error code and fault, and context cancellation, for the caller to
// classify; it does not keep err itself, whose message may quote them.
func redacted(op string, err error, to Recipient, dest string) *sendError {
	secrets := []string{dest, to.Address, url.QueryEscape(to.Address)}
	if name := i18n.DisplayLine(to.Name); utf8.RuneCountInString(name) >= 3 {
		secrets = append(secrets, name)
	}
	var alt []string
	for _, s := range secrets {
		if s = strings.TrimSpace(s); s != "" {
			alt = append(alt, regexp.QuoteMeta(s))
		}
	}
	scrub := func(s string) string { return s }
	if len(alt) > 0 {
		re := regexp.MustCompile("(?i)" + strings.Join(alt, "|"))
		scrub = func(s string) string { return re.ReplaceAllString(s, "[recipient]") }
	}
	e := &sendError{msg: op + ": " + scrub(err.Error())}
	var api smithy.APIError
	if errors.As(err, &api) {
		e.causes = append(e.causes, &smithy.GenericAPIError{
			Code:    api.ErrorCode(),
			Message: scrub(api.ErrorMessage()),
			Fault:   api.ErrorFault(),
		})
	}
	switch {
	case errors.Is(err, context.Canceled):
		e.causes = append(e.causes, context.Canceled)
	case errors.Is(err, context.DeadlineExceeded):
		e.causes = append(e.causes, context.DeadlineExceeded)
	}
	return e
}
