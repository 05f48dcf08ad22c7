package mail

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ses"
	"github.com/aws/smithy-go"
)

// fakeSES records the SendEmail calls it gets and answers with id or err.
type fakeSES struct {
	mu    sync.Mutex
	calls []*ses.SendEmailInput
	ctxs  []context.Context
	id    string
	err   error
}

func (f *fakeSES) SendEmail(ctx context.Context, in *ses.SendEmailInput, _ ...func(*ses.Options)) (*ses.SendEmailOutput, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, in)
	f.ctxs = append(f.ctxs, ctx)
	if f.err != nil {
		return nil, f.err
	}
	return &ses.SendEmailOutput{MessageId: aws.String(f.id)}, nil
}

var _ SESAPI = (*fakeSES)(nil)

// ctxKey marks the context a test passes to Send.
type ctxKey struct{}

func TestSendBuildsTheSESInput(t *testing.T) {
	l := testLinks(t)
	r := NewRenderer(l)
	msg := samples(l)[0].msg
	tests := []struct {
		name     string
		from     string
		to       Recipient
		wantFrom string
		wantTo   string
	}{
		{"bare address", "no-reply@candor.example", Recipient{Address: "anna@example.com", Locale: "sv-SE"}, "no-reply@candor.example", "anna@example.com"},
		{"ASCII name", "Candor <no-reply@candor.example>", Recipient{Address: "anna@example.com", Name: "Anna Svensson", Locale: "sv"}, `"Candor" <no-reply@candor.example>`, `"Anna Svensson" <anna@example.com>`},
		{"name with specials", "no-reply@candor.example", Recipient{Address: "bob@example.com", Name: `Bob "The Builder", Jr.`}, "no-reply@candor.example", `"Bob \"The Builder\", Jr." <bob@example.com>`},
		{"non-ASCII name is RFC 2047 encoded", "Candor Prüfung <no-reply@candor.example>", Recipient{Address: "joerg@example.de", Name: "Jörg Müller", Locale: "de_AT"}, "=?utf-8?q?Candor_Pr=C3=BCfung?= <no-reply@candor.example>", "=?utf-8?q?J=C3=B6rg_M=C3=BCller?= <joerg@example.de>"},
		{"line breaks in a name are not headers", "no-reply@candor.example", Recipient{Address: "eve@example.com", Name: "Eve\r\nBcc: all@example.com"}, "no-reply@candor.example", `"Eve Bcc: all@example.com" <eve@example.com>`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := &fakeSES{id: "0100018c-msg"}
			s, err := NewSender(fake, tt.from, r)
			if err != nil {
				t.Fatalf("NewSender: %v", err)
			}
			ctx := context.WithValue(context.Background(), ctxKey{}, tt.name)
			id, err := s.Send(ctx, tt.to, msg)
			if err != nil {
				t.Fatalf("Send: %v", err)
			}
			if id != "0100018c-msg" {
				t.Errorf("message id = %q, want SES's %q", id, "0100018c-msg")
			}
			if len(fake.calls) != 1 {
				t.Fatalf("SendEmail called %d times, want once", len(fake.calls))
			}
			if fake.ctxs[0].Value(ctxKey{}) != tt.name {
				t.Errorf("SendEmail did not get the caller's context")
			}
			in := fake.calls[0]
			want, err := r.Render(tt.to.Locale, msg)
			if err != nil {
				t.Fatal(err)
			}
			if got := aws.ToString(in.Source); got != tt.wantFrom {
				t.Errorf("Source = %q, want %q", got, tt.wantFrom)
			}
			if got := in.Destination.ToAddresses; !slices.Equal(got, []string{tt.wantTo}) {
				t.Errorf("ToAddresses = %q, want [%q]", got, tt.wantTo)
			}
			if len(in.Destination.CcAddresses)+len(in.Destination.BccAddresses) != 0 {
				t.Errorf("Cc/Bcc = %q/%q, want none", in.Destination.CcAddresses, in.Destination.BccAddresses)
			}
			parts := []struct {
				name      string
				got       *string
				charset   *string
				want      string
				wantEmpty bool
			}{
				{"subject", in.Message.Subject.Data, in.Message.Subject.Charset, want.Subject, false},
				{"text", in.Message.Body.Text.Data, in.Message.Body.Text.Charset, want.Text, false},
				{"html", in.Message.Body.Html.Data, in.Message.Body.Html.Charset, want.HTML, false},
			}
			for _, p := range parts {
				if aws.ToString(p.got) != p.want {
					t.Errorf("%s = %q, want the rendered %q", p.name, aws.ToString(p.got), p.want)
				}
				if aws.ToString(p.charset) != "UTF-8" {
					t.Errorf("%s charset = %q, want UTF-8", p.name, aws.ToString(p.charset))
				}
			}
			for _, part := range []string{want.Subject, want.Text, want.HTML} {
				if strings.Contains(part, tt.to.Address) {
					t.Errorf("the email's content contains the recipient's address")
				}
			}
		})
	}
}

// TestSendKeepsTheRecipientOutOfErrors makes SES fail the way it does, with
// the recipient quoted in its message, and checks that the error says what
// failed without the recipient's address or name.
func TestSendKeepsTheRecipientOutOfErrors(t *testing.T) {
	l := testLinks(t)
	r := NewRenderer(l)
	to := Recipient{Address: "Anna.Svensson@Example.com", Name: "Anna Svensson", Locale: "sv"}
	rejected := &smithy.OperationError{ServiceID: "SES", OperationName: "SendEmail", Err: &smithy.GenericAPIError{
		Code:    "MessageRejected",
		Message: "Email address is not verified. The following identities failed the check in region EU-WEST-1: anna.svensson@example.com, \"Anna Svensson\" <anna.svensson@example.com>",
		Fault:   smithy.FaultClient,
	}}
	tests := []struct {
		name     string
		sesErr   error
		wantCode string
		wantIs   error
	}{
		{"rejected, quoting the recipient", rejected, "MessageRejected", nil},
		{"throttled", fmt.Errorf("wrapped: %w", &smithy.GenericAPIError{Code: "Throttling", Message: "Maximum sending rate exceeded for " + to.Address, Fault: smithy.FaultServer}), "Throttling", nil},
		{"cancelled", fmt.Errorf("send to %s: %w", to.Address, context.Canceled), "", context.Canceled},
		{"timed out", fmt.Errorf("send to %s: %w", to.Name, context.DeadlineExceeded), "", context.DeadlineExceeded},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := NewSender(&fakeSES{err: tt.sesErr}, "no-reply@candor.example", r)
			if err != nil {
				t.Fatal(err)
			}
			_, err = s.Send(context.Background(), to, samples(l)[0].msg)
			if err == nil {
				t.Fatal("Send succeeded, want SES's error")
			}
			assertNoRecipient(t, err, to)
			if !strings.HasPrefix(err.Error(), "mail: send find_reviewer_request through SES: ") {
				t.Errorf("error %q does not say which email failed", err)
			}
			if tt.wantCode != "" {
				var api smithy.APIError
				if !errors.As(err, &api) || api.ErrorCode() != tt.wantCode {
					t.Fatalf("errors.As(smithy.APIError) = %v, want code %s", api, tt.wantCode)
				}
				if strings.Contains(strings.ToLower(api.ErrorMessage()), "anna") {
					t.Errorf("APIError message %q quotes the recipient", api.ErrorMessage())
				}
			}
			if tt.wantIs != nil && !errors.Is(err, tt.wantIs) {
				t.Errorf("errors.Is(%v, %v) = false", err, tt.wantIs)
			}
		})
	}
}

// assertNoRecipient fails if err, or any error it wraps, mentions to's
// address or name in any case.
func assertNoRecipient(t *testing.T, err error, to Recipient) {
	t.Helper()
	queue := []error{err}
	for len(queue) > 0 {
		e := queue[0]
		queue = queue[1:]
		msg := strings.ToLower(e.Error())
		for _, secret := range []string{to.Address, to.Name} {
			if secret != "" && strings.Contains(msg, strings.ToLower(secret)) {
				t.Errorf("error %q mentions the recipient", e)
			}
		}
		switch u := e.(type) {
		case interface{ Unwrap() error }:
			if next := u.Unwrap(); next != nil {
				queue = append(queue, next)
			}
		case interface{ Unwrap() []error }:
			queue = append(queue, u.Unwrap()...)
		}
	}
}

func TestSendRefusesBeforeCallingSES(t *testing.T) {
	l := testLinks(t)
	r := NewRenderer(l)
	good := samples(l)[0].msg
	tests := []struct {
		name   string
		to     Recipient
		msg    Message
		wantIs error
	}{
		{"no address", Recipient{Name: "Anna Svensson"}, good, ErrInvalidRecipient},
		{"not an address", Recipient{Address: "anna at example.com"}, good, ErrInvalidRecipient},
		{"address with a name in it", Recipient{Address: "Anna <anna@example.com>"}, good, ErrInvalidRecipient},
		{"two addresses", Recipient{Address: "anna@example.com, eve@example.com"}, good, ErrInvalidRecipient},
		{"non-ASCII address", Recipient{Address: "jörg@exämple.de"}, good, ErrInvalidRecipient},
		{"header injection", Recipient{Address: "anna@example.com\r\nBcc: eve@example.com"}, good, ErrInvalidRecipient},
		{"link outside the base", Recipient{Address: "anna@example.com"}, withField(good, "ReplyURL", "https://evil.example/r/x"), ErrLinkOutsideBase},
		{"incomplete message", Recipient{Address: "anna@example.com"}, ProofRequest{}, ErrInvalidMessage},
		{"no message", Recipient{Address: "anna@example.com"}, nil, ErrInvalidMessage},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := &fakeSES{id: "x"}
			s, err := NewSender(fake, "no-reply@candor.example", r)
			if err != nil {
				t.Fatal(err)
			}
			_, err = s.Send(context.Background(), tt.to, tt.msg)
			if !errors.Is(err, tt.wantIs) {
				t.Fatalf("Send error = %v, want %v", err, tt.wantIs)
			}
			assertNoRecipient(t, err, tt.to)
			if len(fake.calls) != 0 {
				t.Errorf("SendEmail called %d times, want never", len(fake.calls))
			}
		})
	}
}

func TestNewSender(t *testing.T) {
	r := testRenderer(t)
	tests := []struct {
		name   string
		client SESAPI
		from   string
		r      *Renderer
	}{
		{"no client", nil, "no-reply@candor.example", r},
		{"no renderer", &fakeSES{}, "no-reply@candor.example", nil},
		{"no from", &fakeSES{}, "", r},
		{"bad from", &fakeSES{}, "candor", r},
		{"non-ASCII from", &fakeSES{}, "nö-reply@candor.example", r},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if s, err := NewSender(tt.client, tt.from, tt.r); err == nil {
				t.Errorf("NewSender = %v, want an error", s)
			}
		})
	}
}

// TestSendThroughTheSESClient sends through the real SES v1 client to a
// server speaking SES's query protocol, checking the wire form of what Send
// builds and that an SES error response keeps the recipient out of the error.
func TestSendThroughTheSESClient(t *testing.T) {
	l := testLinks(t)
	r := NewRenderer(l)
	to := Recipient{Address: "joerg@example.de", Name: "Jörg Müller", Locale: "de"}
	msg := samples(l)[0].msg
	want, err := r.Render("de", msg)
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var form map[string]string
	reject := false
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if err := req.ParseForm(); err != nil {
			http.Error(w, err.Error(), 400)
			return
		}
		mu.Lock()
		form = map[string]string{}
		for k := range req.PostForm {
			form[k] = req.PostForm.Get(k)
		}
		rej := reject
		mu.Unlock()
		w.Header().Set("Content-Type", "text/xml")
		if rej {
			w.WriteHeader(400)
			fmt.Fprintf(w, `<ErrorResponse xmlns="http://ses.amazonaws.com/doc/2010-12-01/"><Error><Type>Sender</Type><Code>MessageRejected</Code><Message>Email address is not verified. The following identities failed the check in region EU-WEST-1: %s</Message></Error><RequestId>r-2</RequestId></ErrorResponse>`, to.Address)
			return
		}
		fmt.Fprint(w, `<SendEmailResponse xmlns="http://ses.amazonaws.com/doc/2010-12-01/"><SendEmailResult><MessageId>0100018c-wire</MessageId></SendEmailResult><ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata></SendEmailResponse>`)
	}))
	defer srv.Close()
	client := ses.New(ses.Options{
		Region:           "eu-west-1",
		BaseEndpoint:     aws.String(srv.URL),
		Credentials:      aws.AnonymousCredentials{},
		RetryMaxAttempts: 1,
	})
	s, err := NewSender(client, "Candor <no-reply@candor.example>", r)
	if err != nil {
		t.Fatal(err)
	}

	id, err := s.Send(context.Background(), to, msg)
	if err != nil {
		t.Fatalf("Send: %v", err)
	}
	if id != "0100018c-wire" {
		t.Errorf("message id = %q, want 0100018c-wire", id)
	}
	wantForm := map[string]string{
		"Action":                           "SendEmail",
		"Source":                           `"Candor" <no-reply@candor.example>`,
		"Destination.ToAddresses.member.1": "=?utf-8?q?J=C3=B6rg_M=C3=BCller?= <joerg@example.de>",
		"Message.Subject.Data":             want.Subject,
		"Message.Subject.Charset":          "UTF-8",
		"Message.Body.Text.Data":           want.Text,
		"Message.Body.Text.Charset":        "UTF-8",
		"Message.Body.Html.Data":           want.HTML,
		"Message.Body.Html.Charset":        "UTF-8",
	}
	mu.Lock()
	got := form
	mu.Unlock()
	for k, v := range wantForm {
		if got[k] != v {
			t.Errorf("form %s = %q, want %q", k, got[k], v)
		}
	}

	mu.Lock()
	reject = true
	mu.Unlock()
	_, err = s.Send(context.Background(), to, msg)
	var api smithy.APIError
	if !errors.As(err, &api) || api.ErrorCode() != "MessageRejected" {
		t.Fatalf("Send error = %v, want an APIError MessageRejected", err)
	}
	assertNoRecipient(t, err, to)
}
