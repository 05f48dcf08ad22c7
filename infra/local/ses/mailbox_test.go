package ses_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/mail"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/ses"

	localses "github.com/candorhq/candor/infra/local/ses"
)

const hostile = "<script>alert(1)</script>"

// sendAll sends each message through the SDK, one minute apart.
func sendAll(t *testing.T, e *env, msgs ...*ses.SendEmailInput) {
	t.Helper()
	for _, m := range msgs {
		if _, err := e.client.SendEmail(context.Background(), m); err != nil {
			t.Fatalf("SendEmail: %v", err)
		}
		e.clock.Advance(time.Minute)
	}
}

func TestMailboxPage(t *testing.T) {
	e := newEnv(t)
	sendAll(t, e,
		email("Candor <no-reply@candor.example>", []string{(&mail.Address{Name: "Åsa", Address: "asa@example.se"}).String()}, hostile+" Grüße",
			"Line one\nLine <b>two</b>: https://candor.example/r/tok?x=1&y=2\n"+hostile,
			`<p onclick="alert(1)">Hej</p>`+hostile+`<img src="https://tracker.example/p.gif">`+
				`<a href="https://candor.example/r/abc?lang=sv&amp;x=1">Svara</a> <a href="javascript:alert(1)">bad</a>`),
		email("no-reply@candor.example", []string{"b@example.de"}, "Second message", "Hallo", ""),
	)
	rec := get(e.outbox.MailboxPage(), "/_local/mail")
	body := rec.Body.String()

	if rec.Code != http.StatusOK {
		t.Fatalf("status = %d, want 200", rec.Code)
	}
	headers := []struct{ name, want string }{
		{"Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'"},
		{"Content-Type", "text/html; charset=utf-8"},
		{"X-Content-Type-Options", "nosniff"},
	}
	for _, h := range headers {
		if got := rec.Header().Get(h.name); got != h.want {
			t.Errorf("%s = %q, want %q", h.name, got, h.want)
		}
	}

	checks := []struct {
		name string
		ok   bool
	}{
		{"no live script element anywhere", !regexp.MustCompile(`(?i)<script`).MatchString(body)},
		{"no live event handler from the HTML part", !strings.Contains(body, `onclick="`)},
		{"no live image from the HTML part", !strings.Contains(body, `<img`)},
		{"hostile subject shown escaped", strings.Contains(body, "<h2>&lt;script&gt;alert(1)&lt;/script&gt; Grüße</h2>")},
		{"text part escaped, line breaks kept", strings.Contains(body, "<pre>Line one\nLine &lt;b&gt;two&lt;/b&gt;: https://candor.example/r/tok?x=1&amp;y=2\n&lt;script&gt;")},
		{"text link is an anchor", strings.Contains(body, `<a href="https://candor.example/r/tok?x=1&amp;y=2" rel="noreferrer">`)},
		{"HTML link is an anchor, entity decoded", strings.Contains(body, `<a href="https://candor.example/r/abc?lang=sv&amp;x=1" rel="noreferrer">`)},
		{"javascript: link is no anchor", !strings.Contains(body, `href="javascript:`)},
		{"HTML part in a sandboxed frame, escaped", strings.Contains(body, `<iframe sandbox="" srcdoc="&lt;p onclick=&#34;alert(1)&#34;&gt;Hej&lt;/p&gt;&lt;script&gt;`)},
		{"frame may not run scripts", !strings.Contains(body, "allow-scripts")},
		{"HTML source shown escaped", strings.Contains(body, "<pre>&lt;p onclick=&#34;alert(1)&#34;&gt;Hej")},
		{"recipient shown", strings.Contains(body, "<dd>Åsa &lt;asa@example.se&gt;</dd>")},
		{"sent time shown", strings.Contains(body, `<time datetime="2026-03-14T09:26:53Z">Sat 14 Mar 2026 09:26:53 UTC</time>`)},
		{"readable on a phone", strings.Contains(body, `<meta name="viewport" content="width=device-width, initial-scale=1">`)},
		{"newest first", strings.Index(body, "Second message") < strings.Index(body, "Grüße</h2>")},
	}
	for _, c := range checks {
		t.Run(c.name, func(t *testing.T) {
			if !c.ok {
				t.Errorf("page fails the check; page:\n%s", body)
			}
		})
	}

	t.Run("links extracted", func(t *testing.T) {
		want := []string{"https://candor.example/r/tok?x=1&y=2", "https://tracker.example/p.gif", "https://candor.example/r/abc?lang=sv&x=1"}
		if got := e.outbox.Messages()[0].Links; !reflect.DeepEqual(got, want) {
			t.Errorf("Links = %q, want %q", got, want)
		}
	})
}

func TestMailboxPageFilterAndEmpty(t *testing.T) {
	e := newEnv(t)
	page := e.outbox.MailboxPage()
	if body := get(page, "/_local/mail").Body.String(); !strings.Contains(body, "No mail yet.") {
		t.Errorf("empty mailbox page does not say so:\n%s", body)
	}
	sendAll(t, e,
		email("no-reply@candor.example", []string{"asa@example.se"}, "For Åsa", "Hej", ""),
		email("no-reply@candor.example", []string{"b@example.de"}, "For Berit", "Hallo", ""),
	)
	body := get(page, "/_local/mail?to=ASA@example.se").Body.String()
	if !strings.Contains(body, "For Åsa") || strings.Contains(body, "For Berit") {
		t.Errorf("?to=ASA@example.se should show Åsa's message only:\n%s", body)
	}
	if !strings.Contains(body, `value="ASA@example.se"`) || !strings.Contains(body, "1 message to ASA@example.se") {
		t.Errorf("filtered page should keep the filter and count one message:\n%s", body)
	}
}

func TestMailboxOnlyReads(t *testing.T) {
	e := newEnv(t)
	for _, h := range []struct {
		name    string
		handler http.Handler
	}{{"page", e.outbox.MailboxPage()}, {"json", e.outbox.MailboxJSON()}} {
		t.Run(h.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			h.handler.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/_local/mail", nil))
			if rec.Code != http.StatusMethodNotAllowed || rec.Header().Get("Allow") != "GET, HEAD" {
				t.Errorf("POST: status %d, Allow %q; want 405 and GET, HEAD", rec.Code, rec.Header().Get("Allow"))
			}
		})
	}
}

func TestMailboxJSON(t *testing.T) {
	e := newEnv(t)
	h := e.outbox.MailboxJSON()
	if body := get(h, "/_local/mail.json").Body.String(); body != "{\"items\":[]}\n" {
		t.Errorf("empty outbox JSON = %q, want {\"items\":[]}", body)
	}
	cc := email("no-reply@candor.example", []string{"b@example.de"}, "Copy", "Hallo", "")
	cc.Destination.CcAddresses = []string{"asa@example.se"}
	sendAll(t, e,
		email("no-reply@candor.example", []string{(&mail.Address{Name: "Åsa Berg", Address: "asa@example.se"}).String()}, "First", "Svara: https://candor.example/r/1", "<p>Hej</p>"),
		email("no-reply@candor.example", []string{"c@example.com"}, "Other", "Hi", ""),
		cc,
	)

	cases := []struct {
		query        string
		wantSubjects []string
	}{
		{"", []string{"Copy", "Other", "First"}},
		{"?to=asa@example.se", []string{"Copy", "First"}},
		{"?to=ASA%40Example.SE", []string{"Copy", "First"}},
		{"?to=Åsa+Berg+%3Casa%40example.se%3E", []string{"Copy", "First"}},
		{"?to=c@example.com", []string{"Other"}},
		{"?to=nobody@example.com", []string{}},
	}
	for _, tc := range cases {
		t.Run("filter "+tc.query, func(t *testing.T) {
			rec := get(h, "/_local/mail.json"+tc.query)
			if ct := rec.Header().Get("Content-Type"); ct != "application/json" {
				t.Errorf("Content-Type = %q, want application/json", ct)
			}
			var got struct {
				Items []localses.Message `json:"items"`
			}
			if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil {
				t.Fatalf("decode: %v\n%s", err, rec.Body)
			}
			subjects := []string{}
			for _, m := range got.Items {
				subjects = append(subjects, m.Subject)
			}
			if !slices.Equal(subjects, tc.wantSubjects) {
				t.Errorf("subjects = %q, want %q", subjects, tc.wantSubjects)
			}
		})
	}

	t.Run("field names and formats of docs/local-stack.md", func(t *testing.T) {
		var got struct {
			Items []map[string]any `json:"items"`
		}
		if err := json.Unmarshal(get(h, "/_local/mail.json?to=c@example.com").Body.Bytes(), &got); err != nil {
			t.Fatalf("decode: %v", err)
		}
		if len(got.Items) != 1 {
			t.Fatalf("got %d items, want 1", len(got.Items))
		}
		item := got.Items[0]
		want := map[string]any{
			"id": item["id"], "from": "no-reply@candor.example", "to": []any{"c@example.com"}, "subject": "Other",
			"text": "Hi", "html": "", "links": []any{}, "sentAt": "2026-03-14T09:27:53Z",
		}
		if !reflect.DeepEqual(item, want) {
			t.Errorf("item\n got %#v\nwant %#v", item, want)
		}
		if id, _ := item["id"].(string); id == "" {
			t.Errorf("id = %#v, want a non-empty string", item["id"])
		}
	})
}
