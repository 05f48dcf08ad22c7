package ses_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	localses "github.com/candorhq/candor/infra/local/ses"
	"github.com/candorhq/candor/shared/clock"
)

// BenchmarkSendEmail measures one SendEmail through the handler, without
// TCP or signing: parsing, checks, link extraction, storing, answering.
func BenchmarkSendEmail(b *testing.B) {
	o := localses.NewOutbox(clock.NewManual(start))
	h := o.Handler()
	form := sendForm()
	form.Set("Message.Body.Text.Data", strings.Repeat("Hej Åsa, svara här: https://candor.example/r/tok?lang=sv.\n", 20))
	form.Set("Message.Body.Html.Data", strings.Repeat(`<p>Hej Åsa, <a href="https://candor.example/r/tok?lang=sv&amp;x=1">svara här</a>.</p>`, 20))
	body := form.Encode()
	n := 0
	for b.Loop() {
		if n++; n%1000 == 0 {
			o.Reset() // keep the outbox from growing without bound
		}
		req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("status %d: %s", rec.Code, rec.Body)
		}
	}
}

// BenchmarkMailbox measures rendering the page and the JSON of an outbox of
// 100 messages.
func BenchmarkMailbox(b *testing.B) {
	o := localses.NewOutbox(clock.NewManual(start))
	h := o.Handler()
	for i := range 100 {
		form := sendForm()
		form.Set("Destination.ToAddresses.member.1", fmt.Sprintf("r%d@example.com", i%10))
		form.Set("Message.Body.Html.Data", `<p>Hej, <a href="https://candor.example/r/tok?lang=sv&amp;x=1">svara</a></p>`)
		req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		h.ServeHTTP(httptest.NewRecorder(), req)
	}
	for _, bc := range []struct {
		name    string
		handler http.Handler
		target  string
	}{
		{"page", o.MailboxPage(), "/_local/mail"},
		{"json", o.MailboxJSON(), "/_local/mail.json"},
		{"json filtered", o.MailboxJSON(), "/_local/mail.json?to=r3@example.com"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				if rec := get(bc.handler, bc.target); rec.Code != http.StatusOK {
					b.Fatalf("status %d", rec.Code)
				}
			}
		})
	}
}
