package ses_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ses"
	"github.com/aws/aws-sdk-go-v2/service/ses/types"
	"github.com/aws/smithy-go"
	"github.com/aws/smithy-go/middleware"

	localses "github.com/candorhq/candor/infra/local/ses"
)

func TestSendEmailRoundTrip(t *testing.T) {
	cases := []struct {
		name string
		in   *ses.SendEmailInput
		want localses.Message // ID and SentAt are checked separately
	}{
		{
			name: "text and HTML",
			in:   email("Candor <no-reply@candor.example>", []string{"reviewer@example.com"}, "Your review", "Hello,\nsecond line\n", "<p>Hello</p>"),
			want: localses.Message{From: "Candor <no-reply@candor.example>", To: []string{"reviewer@example.com"}, Subject: "Your review",
				Text: "Hello,\nsecond line\n", HTML: "<p>Hello</p>", Links: []string{}},
		},
		{
			name: "UTF-8 Swedish, German and emoji, CRLF kept",
			in: email("=?UTF-8?Q?K=C3=B6lner_B=C3=A4ckerei?= <no-reply@candor.example>", []string{"asa@example.se"},
				"Åsa, någon frågar om din recension – Grüße aus Köln 🎉",
				"Hej Åsa!\r\nÄrligt talat: Straße, Übermut, ß, 👍🏽 och 🇸🇪.\r\n",
				"<p>Grüß Gott, <b>Jörg</b> — 💌 &amp; ÅÄÖ åäö</p>"),
			want: localses.Message{From: "=?UTF-8?Q?K=C3=B6lner_B=C3=A4ckerei?= <no-reply@candor.example>", To: []string{"asa@example.se"},
				Subject: "Åsa, någon frågar om din recension – Grüße aus Köln 🎉",
				Text:    "Hej Åsa!\r\nÄrligt talat: Straße, Übermut, ß, 👍🏽 och 🇸🇪.\r\n",
				HTML:    "<p>Grüß Gott, <b>Jörg</b> — 💌 &amp; ÅÄÖ åäö</p>", Links: []string{}},
		},
		{
			name: "multiple recipients with Cc and Bcc",
			in: func() *ses.SendEmailInput {
				in := email("no-reply@candor.example", []string{"a@example.com", "Berit Berg <b@example.se>", "c@example.de"}, "Hi all", "Hello", "")
				in.Destination.CcAddresses = []string{"cc@example.com"}
				in.Destination.BccAddresses = []string{"audit@candor.example"}
				return in
			}(),
			want: localses.Message{From: "no-reply@candor.example", To: []string{"a@example.com", "Berit Berg <b@example.se>", "c@example.de"},
				Cc: []string{"cc@example.com"}, Bcc: []string{"audit@candor.example"}, Subject: "Hi all", Text: "Hello", Links: []string{}},
		},
		{
			name: "HTML only, links from the decoded HTML",
			in: email("no-reply@candor.example", []string{"r@example.com"}, "Reply",
				"", `<a href="https://candor.example/r/tok?lang=sv&amp;x=1">Svara</a> or https://candor.example/help.`),
			want: localses.Message{From: "no-reply@candor.example", To: []string{"r@example.com"}, Subject: "Reply",
				HTML:  `<a href="https://candor.example/r/tok?lang=sv&amp;x=1">Svara</a> or https://candor.example/help.`,
				Links: []string{"https://candor.example/r/tok?lang=sv&x=1", "https://candor.example/help"}},
		},
		{
			name: "text only, links in order and deduplicated",
			in: email("no-reply@candor.example", []string{"r@example.com"}, "Reply",
				"Answer at https://candor.example/r/a (or https://candor.example/r/b).\nAgain: https://candor.example/r/a", ""),
			want: localses.Message{From: "no-reply@candor.example", To: []string{"r@example.com"}, Subject: "Reply",
				Text:  "Answer at https://candor.example/r/a (or https://candor.example/r/b).\nAgain: https://candor.example/r/a",
				Links: []string{"https://candor.example/r/a", "https://candor.example/r/b"}},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			out, err := e.client.SendEmail(context.Background(), tc.in)
			if err != nil {
				t.Fatalf("SendEmail: %v", err)
			}
			msgs := e.outbox.Messages()
			if len(msgs) != 1 {
				t.Fatalf("outbox has %d messages, want 1", len(msgs))
			}
			got := msgs[0]
			if got.ID != aws.ToString(out.MessageId) {
				t.Errorf("stored id %q, SDK got MessageId %q; want the same", got.ID, aws.ToString(out.MessageId))
			}
			if !got.SentAt.Equal(start) {
				t.Errorf("SentAt = %v, want the clock's %v", got.SentAt, start)
			}
			tc.want.ID, tc.want.SentAt = got.ID, got.SentAt
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("stored message\n got %#v\nwant %#v", got, tc.want)
			}
		})
	}
}

func TestSendEmailIDsAreUniqueUnderConcurrency(t *testing.T) {
	e := newEnv(t)
	const n = 20
	ids := make(chan string, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			out, err := e.client.SendEmail(context.Background(), email("no-reply@candor.example", []string{fmt.Sprintf("r%d@example.com", i)}, "Hi", "Hello", ""))
			if err != nil {
				t.Errorf("SendEmail %d: %v", i, err)
				return
			}
			ids <- aws.ToString(out.MessageId)
		})
	}
	wg.Wait()
	close(ids)
	shape := regexp.MustCompile(`^0100[0-9a-f]{12}-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}-000000$`)
	seen := map[string]bool{}
	for id := range ids {
		if !shape.MatchString(id) {
			t.Errorf("MessageId %q is not shaped like an SES id", id)
		}
		if seen[id] {
			t.Errorf("MessageId %q given twice", id)
		}
		seen[id] = true
	}
	if got := len(e.outbox.Messages()); got != n {
		t.Errorf("outbox has %d messages, want %d", got, n)
	}
}

// withoutClientValidation lets a request the SDK would refuse reach the
// stand-in, as a client without input validation would send it.
func withoutClientValidation(o *ses.Options) {
	o.APIOptions = append(o.APIOptions, func(s *middleware.Stack) error {
		_, err := s.Initialize.Remove("OperationInputValidation")
		return err
	})
}

func TestSendEmailErrors(t *testing.T) {
	many := make([]string, 51)
	for i := range many {
		many[i] = fmt.Sprintf("r%d@example.com", i)
	}
	cases := []struct {
		name            string
		in              *ses.SendEmailInput
		opts            []func(*ses.Options)
		wantCode        string
		wantMessagePart string
		wantRejected    bool // the SDK's typed *types.MessageRejected
		wantClientSide  bool // refused by the SDK before any request
	}{
		{name: "empty subject", in: email("no-reply@candor.example", []string{"r@example.com"}, "", "Hello", ""),
			wantCode: "MessageRejected", wantMessagePart: "Subject", wantRejected: true},
		{name: "blank subject", in: email("no-reply@candor.example", []string{"r@example.com"}, " \t ", "Hello", ""),
			wantCode: "MessageRejected", wantMessagePart: "Subject", wantRejected: true},
		{name: "empty text part and no HTML part", in: func() *ses.SendEmailInput {
			in := email("no-reply@candor.example", []string{"r@example.com"}, "Hi", "", "")
			in.Message.Body.Text = &types.Content{Data: aws.String("")}
			return in
		}(), wantCode: "MessageRejected", wantMessagePart: "body", wantRejected: true},
		{name: "body with no part at all", in: email("no-reply@candor.example", []string{"r@example.com"}, "Hi", "", ""),
			wantCode: "ValidationError", wantMessagePart: "Value null at 'message.body'"},
		{name: "empty source", in: email("", []string{"r@example.com"}, "Hi", "Hello", ""),
			wantCode: "InvalidParameterValue", wantMessagePart: "Missing final '@domain'"},
		{name: "source is not an address", in: email("Candor", []string{"r@example.com"}, "Hi", "Hello", ""),
			wantCode: "InvalidParameterValue", wantMessagePart: "Missing final '@domain'"},
		{name: "no recipient", in: email("no-reply@candor.example", []string{}, "Hi", "Hello", ""),
			wantCode: "InvalidParameterValue", wantMessagePart: "no recipient"},
		{name: "illegal recipient", in: email("no-reply@candor.example", []string{"ok@example.com", "two words@example.com"}, "Hi", "Hello", ""),
			wantCode: "InvalidParameterValue", wantMessagePart: "Illegal address"},
		{name: "non-ASCII recipient", in: email("no-reply@candor.example", []string{"åsa@example.se"}, "Hi", "Hello", ""),
			wantCode: "InvalidParameterValue", wantMessagePart: "7-bit ASCII"},
		{name: "51 recipients", in: email("no-reply@candor.example", many, "Hi", "Hello", ""),
			wantCode: "InvalidParameterValue", wantMessagePart: "exceeds 50"},
		{name: "missing subject refused by the SDK", in: func() *ses.SendEmailInput {
			in := email("no-reply@candor.example", []string{"r@example.com"}, "Hi", "Hello", "")
			in.Message.Subject = nil
			return in
		}(), wantClientSide: true},
		{name: "missing subject reaching the stand-in", in: func() *ses.SendEmailInput {
			in := email("no-reply@candor.example", []string{"r@example.com"}, "Hi", "Hello", "")
			in.Message.Subject = nil
			return in
		}(), opts: []func(*ses.Options){withoutClientValidation},
			wantCode: "ValidationError", wantMessagePart: "1 validation error detected: Value null at 'message.subject' failed to satisfy constraint: Member must not be null"},
		{name: "missing source and destination reaching the stand-in", in: func() *ses.SendEmailInput {
			in := email("x@example.com", nil, "Hi", "Hello", "")
			in.Source, in.Destination = nil, nil
			return in
		}(), opts: []func(*ses.Options){withoutClientValidation},
			wantCode: "ValidationError", wantMessagePart: "2 validation errors detected: Value null at 'source'"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			_, err := e.client.SendEmail(context.Background(), tc.in, tc.opts...)
			if err == nil {
				t.Fatal("SendEmail succeeded, want an error")
			}
			if got := len(e.outbox.Messages()); got != 0 {
				t.Errorf("outbox has %d messages after a refused send, want 0", got)
			}
			if tc.wantClientSide {
				if _, ok := errors.AsType[smithy.InvalidParamsError](err); !ok {
					t.Errorf("err = %v, want the SDK's smithy.InvalidParamsError", err)
				}
				if got := e.requests.Load(); got != 0 {
					t.Errorf("%d requests reached the stand-in, want 0", got)
				}
				return
			}
			if got := apiCode(err); got != tc.wantCode {
				t.Errorf("error code = %q, want %q (err: %v)", got, tc.wantCode, err)
			}
			if got := httpStatus(err); got != http.StatusBadRequest {
				t.Errorf("HTTP status = %d, want 400", got)
			}
			if got := e.requests.Load(); got != 1 {
				t.Errorf("%d requests reached the stand-in, want 1 (client errors are not retried)", got)
			}
			ae, _ := errors.AsType[smithy.APIError](err)
			if ae != nil && !strings.Contains(ae.ErrorMessage(), tc.wantMessagePart) {
				t.Errorf("error message %q does not contain %q", ae.ErrorMessage(), tc.wantMessagePart)
			}
			if ae != nil && ae.ErrorFault() != smithy.FaultClient && tc.wantRejected {
				t.Errorf("fault = %v, want client", ae.ErrorFault())
			}
			if _, ok := errors.AsType[*types.MessageRejected](err); ok != tc.wantRejected {
				t.Errorf("errors.As(*types.MessageRejected) = %v, want %v (err: %v)", ok, tc.wantRejected, err)
			}
			// Addresses are personal data: no error message quotes one.
			addrs := []string{aws.ToString(tc.in.Source)}
			if tc.in.Destination != nil {
				addrs = append(addrs, tc.in.Destination.ToAddresses...)
			}
			for _, a := range addrs {
				if a != "" && strings.Contains(err.Error(), a) {
					t.Errorf("error %q quotes the address %q", err, a)
				}
			}
		})
	}
}

func TestInjectedFailures(t *testing.T) {
	cases := []struct {
		name         string
		n            int
		code         string
		maxAttempts  int
		wantCode     string // "" for success
		wantStatus   int
		wantRequests int64
	}{
		{name: "one Throttling is retried and then sent", n: 1, code: "Throttling", maxAttempts: 3, wantRequests: 2},
		{name: "two ServiceUnavailable are retried and then sent", n: 2, code: "ServiceUnavailable", maxAttempts: 3, wantRequests: 3},
		{name: "an empty code means ServiceUnavailable", n: 1, code: "", maxAttempts: 1, wantCode: "ServiceUnavailable", wantStatus: http.StatusServiceUnavailable, wantRequests: 1},
		{name: "Throttling outlasting the retries", n: 3, code: "Throttling", maxAttempts: 3, wantCode: "Throttling", wantStatus: http.StatusBadRequest, wantRequests: 3},
		{name: "ServiceUnavailable without retries", n: 1, code: "ServiceUnavailable", maxAttempts: 1, wantCode: "ServiceUnavailable", wantStatus: http.StatusServiceUnavailable, wantRequests: 1},
		{name: "InternalFailure is retried", n: 1, code: "InternalFailure", maxAttempts: 3, wantRequests: 2},
		{name: "MessageRejected is not retried", n: 1, code: "MessageRejected", maxAttempts: 3, wantCode: "MessageRejected", wantStatus: http.StatusBadRequest, wantRequests: 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, func(o *ses.Options) { o.RetryMaxAttempts = tc.maxAttempts })
			e.outbox.Fail(tc.n, tc.code)
			_, err := e.client.SendEmail(context.Background(), email("no-reply@candor.example", []string{"r@example.com"}, "Hi", "Hello", ""))
			if got := e.requests.Load(); got != tc.wantRequests {
				t.Errorf("requests = %d, want %d", got, tc.wantRequests)
			}
			if tc.wantCode == "" {
				if err != nil {
					t.Fatalf("SendEmail: %v, want success after retries", err)
				}
				if got := len(e.outbox.Messages()); got != 1 {
					t.Errorf("outbox has %d messages, want exactly 1", got)
				}
				return
			}
			if got := apiCode(err); got != tc.wantCode {
				t.Fatalf("error code = %q, want %q (err: %v)", got, tc.wantCode, err)
			}
			if got := httpStatus(err); got != tc.wantStatus {
				t.Errorf("HTTP status = %d, want %d", got, tc.wantStatus)
			}
			if got := len(e.outbox.Messages()); got != 0 {
				t.Errorf("outbox has %d messages after a failed send, want 0", got)
			}
			// Once the injected failures are used up, sending works again.
			e.outbox.Fail(0, "")
			if _, err := e.client.SendEmail(context.Background(), email("no-reply@candor.example", []string{"r@example.com"}, "Hi", "Hello", "")); err != nil {
				t.Errorf("SendEmail after Fail(0): %v", err)
			}
		})
	}
}

func TestOtherActions(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()

	t.Run("unsupported action", func(t *testing.T) {
		_, err := e.client.SendTemplatedEmail(ctx, &ses.SendTemplatedEmailInput{
			Source: aws.String("no-reply@candor.example"), Destination: &types.Destination{ToAddresses: []string{"r@example.com"}},
			Template: aws.String("t"), TemplateData: aws.String("{}"),
		})
		if got := apiCode(err); got != "InvalidAction" {
			t.Fatalf("error code = %q, want InvalidAction (err: %v)", got, err)
		}
		if !strings.Contains(err.Error(), "SendTemplatedEmail") || !strings.Contains(err.Error(), "supports SendEmail") {
			t.Errorf("error %q should name the action and what is supported", err)
		}
	})

	t.Run("verify and list identities", func(t *testing.T) {
		for _, a := range []string{"no-reply@candor.example", "ops@candor.example", "no-reply@candor.example"} {
			if _, err := e.client.VerifyEmailIdentity(ctx, &ses.VerifyEmailIdentityInput{EmailAddress: aws.String(a)}); err != nil {
				t.Fatalf("VerifyEmailIdentity(%s): %v", a, err)
			}
		}
		for _, tc := range []struct {
			typ  types.IdentityType
			want []string
		}{
			{"", []string{"no-reply@candor.example", "ops@candor.example"}},
			{types.IdentityTypeEmailAddress, []string{"no-reply@candor.example", "ops@candor.example"}},
			{types.IdentityTypeDomain, nil},
		} {
			out, err := e.client.ListIdentities(ctx, &ses.ListIdentitiesInput{IdentityType: tc.typ})
			if err != nil {
				t.Fatalf("ListIdentities(%q): %v", tc.typ, err)
			}
			if len(out.Identities) != len(tc.want) || (len(tc.want) > 0 && !reflect.DeepEqual(out.Identities, tc.want)) {
				t.Errorf("ListIdentities(%q) = %q, want %q", tc.typ, out.Identities, tc.want)
			}
		}
		if _, err := e.client.VerifyEmailIdentity(ctx, &ses.VerifyEmailIdentityInput{EmailAddress: aws.String("ops")}); apiCode(err) != "InvalidParameterValue" {
			t.Errorf("VerifyEmailIdentity(not an address) err = %v, want InvalidParameterValue", err)
		}
	})

	t.Run("send quota counts the last 24 hours by the clock", func(t *testing.T) {
		for range 2 {
			if _, err := e.client.SendEmail(ctx, email("no-reply@candor.example", []string{"r@example.com"}, "Hi", "Hello", "")); err != nil {
				t.Fatalf("SendEmail: %v", err)
			}
		}
		quota := func() *ses.GetSendQuotaOutput {
			t.Helper()
			out, err := e.client.GetSendQuota(ctx, &ses.GetSendQuotaInput{})
			if err != nil {
				t.Fatalf("GetSendQuota: %v", err)
			}
			return out
		}
		q := quota()
		if q.SentLast24Hours != 2 || q.Max24HourSend != 50000 || q.MaxSendRate != 14 {
			t.Errorf("quota = sent %v, max %v, rate %v; want 2, 50000, 14", q.SentLast24Hours, q.Max24HourSend, q.MaxSendRate)
		}
		e.clock.Advance(24*time.Hour + time.Second)
		if got := quota().SentLast24Hours; got != 0 {
			t.Errorf("SentLast24Hours a day later = %v, want 0", got)
		}
	})
}
