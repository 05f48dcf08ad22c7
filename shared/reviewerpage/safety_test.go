package reviewerpage

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/candorhq/candor/shared/links"
	"github.com/candorhq/candor/shared/moderation"
)

const (
	hostileScript = `<script>alert(1)</script>`
	hostileAttr   = `"><img src=x onerror=alert(1)>`
	hostileArea   = `</textarea><script>alert(2)</script>`
)

func hostileView(purpose links.Purpose) View {
	v := openView(purpose, "en")
	v.BusinessName = "Evil " + hostileAttr
	v.Message = hostileScript + "\n" + hostileAttr
	v.ReviewTitle = hostileAttr
	v.ReviewText = hostileArea + "\n" + hostileScript
	return v
}

// checkNoMarkupFrom fails if the page carries markup from the hostile strings.
func checkNoMarkupFrom(t *testing.T, body string) {
	t.Helper()
	lower := strings.ToLower(withoutOwnScript(body))
	for _, bad := range []string{"<script", "<img", "</textarea><"} {
		if strings.Contains(lower, bad) {
			t.Errorf("page contains %q unescaped:\n%s", bad, body)
		}
	}
}

// withoutOwnScript is body without the page's own counter script (the one
// with the page's nonce, as counterScript writes it), which is all the
// script a page may have.
func withoutOwnScript(body string) string {
	m := styleNonceRe.FindStringSubmatch(body)
	if m == nil {
		return body
	}
	var own strings.Builder
	_ = counterScript(m[1]).Render(context.Background(), &own)
	return strings.Replace(body, own.String(), "", 1)
}

func TestHostileTextIsShownEscaped(t *testing.T) {
	for _, purpose := range allPurposes {
		t.Run(string(purpose), func(t *testing.T) {
			fb := newFake()
			tok := fb.add(t, hostileView(purpose))
			h := testHandler(fb, nil)

			page := serve(h, get("/r/"+tok))
			checkStatus(t, page, http.StatusOK)
			checkPageSafety(t, page)
			checkNoMarkupFrom(t, page.Body.String())
			// The reader still sees the text as written.
			checkContains(t, page, "Evil "+hostileAttr)
			if hasMessage(purpose) {
				checkContains(t, page, hostileScript+"\n"+hostileAttr)
			}
			if purpose != links.PurposeEdit {
				// The review is context, escaped like everything else.
				checkContains(t, page, "<h3>"+hostileAttr+"</h3>", hostileArea+"\n"+hostileScript+"</p>")
			}
			if purpose == links.PurposeEdit {
				checkContains(t, page, ">\n"+hostileArea+"\n"+hostileScript+"</textarea>")
			}

			// The re-rendered form keeps hostile input escaped too: for an
			// edit the stars are not a number, for a reply it is too long.
			form := url.Values{"reply": {hostileArea + strings.Repeat("y", 2001)}}
			if purpose == links.PurposeEdit {
				form = url.Values{"title": {hostileAttr}, "text": {hostileArea}, "stars": {hostileAttr}}
			}
			invalid := serve(h, postForm("/r/"+tok, form.Encode()))
			checkStatus(t, invalid, http.StatusUnprocessableEntity)
			checkContains(t, invalid, hostileArea)
			checkPageSafety(t, invalid)
			checkNoMarkupFrom(t, invalid.Body.String())

			thanks := serve(h, postForm("/r/"+tok, url.Values{"reply": {hostileScript}, "text": {hostileScript}, "stars": {"1"}, "reason": {"personal_data"}}.Encode()))
			checkStatus(t, thanks, http.StatusOK)
			checkNoMarkupFrom(t, thanks.Body.String())
		})
	}
}

func TestTheTokenAppearsNowhereInThePage(t *testing.T) {
	fb := newFake()
	tok := fb.add(t, openView(links.PurposeFindReviewerReply, "en"))
	h := testHandler(fb, nil)
	for _, rq := range []request{get("/r/" + tok), postForm("/r/"+tok, "reply="), postForm("/r/"+tok, "reply=ok"), get("/r/" + tok)} {
		w := serve(h, rq)
		if strings.Contains(w.Body.String(), tok) {
			t.Errorf("%s page (status %d) contains the token", rq.method, w.Code)
		}
		if strings.Contains(w.Body.String(), "action=") {
			t.Errorf("%s page (status %d) has a form action; the form must post to its own URL", rq.method, w.Code)
		}
	}
}

func TestEveryResponseCarriesTheSecurityHeaders(t *testing.T) {
	fb := newFake()
	open := fb.add(t, openView(links.PurposeEvidence, "sv"))
	used := fb.add(t, func() View { v := openView(links.PurposeEdit, "de"); v.State = StateUsed; return v }())
	expired := fb.add(t, func() View { v := openView(links.PurposeProof, "en"); v.State = StateExpired; return v }())
	appeal := fb.add(t, openView(links.PurposeAppeal, "de"))
	appealUsed := fb.add(t, func() View { v := openView(links.PurposeAppeal, "sv"); v.State = StateUsed; return v }())
	appealExpired := fb.add(t, func() View { v := openView(links.PurposeAppeal, "en"); v.State = StateExpired; return v }())
	unknown, _, _ := links.New()
	h := testHandler(fb, nil)
	cases := []struct {
		name string
		rq   request
		want int
	}{
		{"form", get("/r/" + open), http.StatusOK},
		{"malformed", get("/r/x"), http.StatusNotFound},
		{"unknown", get("/r/" + unknown), http.StatusNotFound},
		{"used", get("/r/" + used), http.StatusGone},
		{"expired", get("/r/" + expired), http.StatusGone},
		{"invalid", postForm("/r/"+open, "reply="), http.StatusUnprocessableEntity},
		{"unsupported", request{method: http.MethodPost, path: "/r/" + open, body: strings.NewReader("{}"), contentType: "application/json"}, http.StatusUnsupportedMediaType},
		{"too large", postForm("/r/"+open, strings.Repeat("a", MaxBody+1)), http.StatusRequestEntityTooLarge},
		{"method", request{method: http.MethodPatch, path: "/r/" + open}, http.StatusMethodNotAllowed},
		{"no route", get("/favicon.ico"), http.StatusNotFound},
		{"thanks", postForm("/r/"+open, "reply=hej"), http.StatusOK},
		{"already received", postForm("/r/"+open, "reply=hej"), http.StatusGone},
		{"appeal form", get("/r/" + appeal), http.StatusOK},
		{"appeal used", get("/r/" + appealUsed), http.StatusGone},
		{"appeal expired", get("/r/" + appealExpired), http.StatusGone},
		{"appeal invalid", postForm("/r/"+appeal, "reply=%20"), http.StatusUnprocessableEntity},
		{"appeal unsupported", request{method: http.MethodPost, path: "/r/" + appeal, body: strings.NewReader("{}"), contentType: "application/json"}, http.StatusUnsupportedMediaType},
		{"appeal thanks", postForm("/r/"+appeal, "reply=Einspruch"), http.StatusOK},
		{"appeal already received", postForm("/r/"+appeal, "reply=Einspruch"), http.StatusGone},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := serve(h, tc.rq)
			checkStatus(t, w, tc.want)
			checkPageSafety(t, w)
		})
	}
}

func TestTheNonceIsFreshForEveryResponse(t *testing.T) {
	fb := newFake()
	tok := fb.add(t, openView(links.PurposeFindReviewerReply, "en"))
	h := testHandler(fb, nil)
	seen := map[string]bool{}
	for i := range 20 {
		w := serve(h, get("/r/"+tok))
		checkPageSafety(t, w)
		m := styleNonceRe.FindStringSubmatch(w.Body.String())
		if m == nil {
			t.Fatalf("response %d has no style nonce", i)
		}
		if seen[m[1]] {
			t.Fatalf("nonce %q repeated in response %d", m[1], i)
		}
		seen[m[1]] = true
	}
}

func TestLogsCarryTheHashPrefixAndOutcomeOnly(t *testing.T) {
	var logs bytes.Buffer
	fb := newFake()
	tok := fb.add(t, openView(links.PurposeFindReviewerReply, "en"))
	hash, _ := links.Hash(tok)
	h := testHandler(fb, &logs)
	const secret = "my order number is 4711-SECRET"

	serve(h, get("/r/"+tok))
	serve(h, postForm("/r/"+tok, "reply="+url.QueryEscape(strings.Repeat(secret, 100))))
	serve(h, postForm("/r/"+tok, "reply="+url.QueryEscape(secret)))
	serve(h, postForm("/r/"+tok, "reply="+url.QueryEscape(secret)))
	serve(h, get("/r/"+tok[:20]))

	out := logs.String()
	for _, leak := range []string{tok, tok[:20], hash, secret, "Acme Shop", "order number"} {
		if strings.Contains(out, leak) {
			t.Errorf("logs contain %q:\n%s", leak, out)
		}
	}
	var outcomes []string
	for line := range strings.Lines(out) {
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("log line is not JSON: %q", line)
		}
		outcomes = append(outcomes, rec["outcome"].(string))
		if rec["outcome"] != "malformed" && rec["link"] != hash[:8] {
			t.Errorf("log line link = %v, want %q", rec["link"], hash[:8])
		}
	}
	want := []string{"shown", "invalid", "submitted", "used", "malformed"}
	if strings.Join(outcomes, ",") != strings.Join(want, ",") {
		t.Errorf("outcomes = %v, want %v", outcomes, want)
	}
}

// TestTextsStoredBeforeTheRuleRender gives every text of a View what the
// text rule refuses, as text stored before the rule may hold: the page
// renders, shows the text without the refused characters, and carries none
// of them.
func TestTextsStoredBeforeTheRuleRender(t *testing.T) {
	refused := "Late\u202e delivery\u200b\x00\x1b\ue000 \xff"
	for _, purpose := range allPurposes {
		t.Run(string(purpose), func(t *testing.T) {
			v := openView(purpose, "en")
			v.BusinessName, v.ReviewTitle, v.ReviewText = "Acme\u202e Shop\u200b", refused, refused
			if hasMessage(purpose) {
				v.Message = refused
			}
			fb := newFake()
			tok := fb.add(t, v)
			w := serve(testHandler(fb, nil), get("/r/"+tok))
			checkStatus(t, w, http.StatusOK)
			checkPageSafety(t, w)
			checkContains(t, w, "Acme Shop", "Late delivery \uFFFD")
			checkNoRefusedCharacters(t, w.Body.String())
		})
	}
}

// TestNULIsNeverWritten posts what a page shows again (the reply, an edit)
// with NUL and invalid UTF-8: the page shows U+FFFD in their place, as
// html/template did, and never writes a NUL.
func TestNULIsNeverWritten(t *testing.T) {
	for _, purpose := range []links.Purpose{links.PurposeFindReviewerReply, links.PurposeEdit} {
		t.Run(string(purpose), func(t *testing.T) {
			fb := newFake()
			tok := fb.add(t, openView(purpose, "de"))
			form := url.Values{"reply": {"order\x00 4711 \xff"}, "title": {"Ti\x00tle"}, "text": {"Te\x00xt \xff"}, "stars": {"3"}}
			w := serve(testHandler(fb, nil), postForm("/r/"+tok, form.Encode()))
			checkStatus(t, w, http.StatusUnprocessableEntity)
			body := w.Body.String()
			if strings.IndexByte(body, 0) >= 0 || !utf8.ValidString(body) {
				t.Errorf("page holds a NUL or invalid UTF-8:\n%q", body)
			}
			want := "order\uFFFD 4711 \uFFFD"
			if purpose == links.PurposeEdit {
				want = "Te\uFFFDxt \uFFFD"
			}
			checkContains(t, w, want)
		})
	}
}

// checkNoRefusedCharacters fails if page holds a character the text rule
// refuses anywhere.
func checkNoRefusedCharacters(t *testing.T, page string) {
	t.Helper()
	switch c := moderation.CheckText(page, 0, 1<<31-1); c.Fault {
	case moderation.TextOK, moderation.TextNoLetterOrDigit:
	default:
		t.Errorf("page holds what the text rule refuses: %s", c.Message())
	}
}
