package reviewerpage

import (
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/candorhq/candor/shared/brand"
	"github.com/candorhq/candor/shared/clock"
	"github.com/candorhq/candor/shared/links"
	"github.com/candorhq/candor/shared/moderation"
)

var titleRe = regexp.MustCompile(`<title>([^<]*)</title>`)

// pageTitle returns the page's <title>, unescaped.
func pageTitle(t *testing.T, body string) string {
	t.Helper()
	m := titleRe.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("page has no <title>:\n%s", body)
	}
	return strings.NewReplacer("&amp;", "&", "&#39;", "'", "&#34;", `"`).Replace(m[1])
}

func TestARefusedAnswerStartsWithAFocusedErrorSummary(t *testing.T) {
	long := strings.Repeat("x", 2500) // pasted: more than the 2,000 allowed
	cases := []struct {
		locale, prefix, heading, tooLong string
	}{
		{"en", "Error: ", "There is a problem", "This has 2,500 characters; at most 2,000 are allowed."},
		{"sv", "Fel: ", "Det finns ett problem", "2\u00a0500"},
		{"de", "Fehler: ", "Es gibt ein Problem", "2.500"},
	}
	for _, tc := range cases {
		t.Run(tc.locale, func(t *testing.T) {
			fb := newFake()
			tok := fb.add(t, openView(links.PurposeProof, tc.locale))
			h := testHandler(fb, nil)
			first := serve(h, get("/r/"+tok))
			w := serve(h, postForm("/r/"+tok, url.Values{"reply": {long}}.Encode()))
			checkStatus(t, w, http.StatusUnprocessableEntity)
			checkPageSafety(t, w)
			body := w.Body.String()
			if got, was := pageTitle(t, body), pageTitle(t, first.Body.String()); got != tc.prefix+was {
				t.Errorf("title after the refusal = %q, want %q", got, tc.prefix+was)
			}
			checkRawContains(t, w, `<div class="errors" id="error-summary" role="alert" aria-labelledby="error-summary-title" tabindex="-1" autofocus>`,
				`<h2 id="error-summary-title">`+tc.heading+`</h2>`, `<li><a href="#reply">`)
			// The summary comes before the heading: it is the first thing on the screen.
			if strings.Index(body, `id="error-summary"`) > strings.Index(body, "<h1>") {
				t.Error("the error summary is below the heading")
			}
			// The field says it too, and its control points at the message.
			checkRawContains(t, w, `<p class="error" id="reply-error">`, `aria-describedby="reply-hint reply-error" aria-invalid="true"`)
			checkContains(t, w, tc.tooLong)
			// Nothing typed is lost or cut.
			checkContains(t, w, ">\n"+long+"</textarea>")
			if fb.submitCount() != 0 {
				t.Error("a too long answer was submitted")
			}
		})
	}
}

func TestTheErrorSummaryLinksEachFieldOfAnEdit(t *testing.T) {
	fb := newFake()
	tok := fb.add(t, openView(links.PurposeEdit, "en"))
	w := serve(testHandler(fb, nil), postForm("/r/"+tok, url.Values{"title": {strings.Repeat("t", 201)}, "text": {" "}, "stars": {"9"}}.Encode()))
	checkStatus(t, w, http.StatusUnprocessableEntity)
	body := w.Body.String()
	// In the form's order, each to its control's id (the rating to its first button).
	order := []string{`href="#title"`, `href="#text"`, `href="#stars-1"`}
	last := -1
	for _, want := range order {
		i := strings.Index(body, want)
		if i < 0 || i < last {
			t.Fatalf("summary links %v not all present in order; body:\n%s", order, body)
		}
		last = i
	}
	checkRawContains(t, w, `id="title"`, `id="text"`, `id="stars-1"`)
}

func TestEveryFormHasACounterAndNoCuttingLimit(t *testing.T) {
	for _, purpose := range allPurposes {
		fb := newFake()
		tok := fb.add(t, openView(purpose, "de"))
		w := serve(testHandler(fb, nil), get("/r/"+tok))
		body := w.Body.String()
		if strings.Contains(body, "maxlength") {
			t.Errorf("%s: a field has maxlength", purpose)
		}
		name := fieldReply
		if purpose == links.PurposeEdit {
			name = fieldText
		}
		checkRawContains(t, w, `<p class="count" id="`+name+`-count" aria-live="polite" data-left="Sie haben noch {n} Zeichen" data-over="Sie haben {n} Zeichen zu viel" hidden></p>`,
			`<script nonce="`)
		// Without the script the hint says the limit.
		checkContains(t, w, "öchstens")
	}
}

func TestEveryPageNamesThePlatform(t *testing.T) {
	b, err := brand.New("Recensio", "https://cdn.recensio.example/logo.svg")
	if err != nil {
		t.Fatal(err)
	}
	fb := newFake()
	tok := fb.add(t, openView(links.PurposeFindReviewerReply, "en"))
	h := New(fb, Options{Clock: clock.NewManual(testNow), Brand: b})
	for name, rq := range map[string]request{
		"form": get("/r/" + tok), "not found": get("/r/nothing"),
		"thanks": postForm("/r/"+tok, url.Values{"reply": {"Order 1"}}.Encode()),
	} {
		w := serve(h, rq)
		checkPageSafety(t, w)
		if title := pageTitle(t, w.Body.String()); !strings.HasSuffix(title, " – Recensio") {
			t.Errorf("%s: title %q does not name the platform", name, title)
		}
		checkRawContains(t, w, `<header class="platform"><img src="https://cdn.recensio.example/logo.svg" alt="" height="32"> <span>Recensio</span></header>`)
		if csp := w.Header().Get("Content-Security-Policy"); !strings.Contains(csp, "img-src https://cdn.recensio.example;") {
			t.Errorf("%s: CSP %q does not admit the logo's origin", name, csp)
		}
	}
	// Without a brand: the default name, no image allowed.
	w := serve(testHandler(fb, nil), get("/r/nothing"))
	checkRawContains(t, w, `<header class="platform"><span>Candor</span></header>`)
	if csp := w.Header().Get("Content-Security-Policy"); !strings.Contains(csp, "img-src 'none';") {
		t.Errorf("CSP %q admits images without a logo", csp)
	}
}

func TestDeadlinesAreInTheReviewersZoneWithUTCBeside(t *testing.T) {
	cases := []struct {
		locale, zone, local, utc string
	}{
		{"en", "America/New_York", "You can answer until 15 March 2026, 05:30 EDT.", "That is 15 March 2026, 09:30 UTC."},
		{"sv", "", "Du kan svara fram till 15 mars 2026 kl. 10:30 CET.", "Det motsvarar 15 mars 2026 kl. 09:30 UTC."},
		{"de", "Asia/Kolkata", "Sie können bis zum 15. März 2026, 15:00 Uhr IST antworten.", "Das entspricht 15. März 2026, 09:30 Uhr UTC."},
		{"en", "Asia/Dubai", "You can answer until 15 March 2026, 13:30 +04.", "That is 15 March 2026, 09:30 UTC."},
	}
	for _, tc := range cases {
		t.Run(tc.locale+"/"+tc.zone, func(t *testing.T) {
			v := openView(links.PurposeFindReviewerReply, tc.locale)
			v.TimeZone = tc.zone
			fb := newFake()
			tok := fb.add(t, v)
			w := serve(testHandler(fb, nil), get("/r/"+tok))
			checkRawContains(t, w, `<p class="deadline" title="`+tc.utc+`">`+tc.local+`</p>`, `<p class="utc">`+tc.utc+`</p>`)
		})
	}
}

func TestTheAppealPageSaysWhyTheReviewWasRemoved(t *testing.T) {
	v := openView(links.PurposeAppeal, "en")
	v.Removal = &Removal{Reasons: []moderation.Reason{moderation.ReasonPromotional, moderation.ReasonSpam},
		Facts: "The review links to <a href=x>a shop</a> at www.cheap.example three times."}
	fb := newFake()
	tok := fb.add(t, v)
	w := serve(testHandler(fb, nil), get("/r/"+tok))
	checkContains(t, w, "Why we removed your review", "Promotional content: advertising or promotion", "Spam: spam, gibberish or repeated text",
		"What we based the decision on:", "The review links to <a href=x>a shop</a> at www[.]cheap[.]example three times.")
	checkNoMarkupFrom(t, w.Body.String())

	v.Removal = &Removal{Reasons: []moderation.Reason{moderation.ReasonNoGenuineExperience}, NoProof: true}
	v.Locale = "sv"
	tok = fb.add(t, v)
	w = serve(testHandler(fb, nil), get("/r/"+tok))
	checkContains(t, w, "Varför vi tog bort ditt omdöme", "Ingen äkta upplevelse", "Acme Shop rapporterade att du inte har haft")

	// No other purpose shows a removal, even if a view carried one.
	v = openView(links.PurposeProof, "en")
	v.Removal = &Removal{Reasons: []moderation.Reason{moderation.ReasonSpam}}
	tok = fb.add(t, v)
	if w := serve(testHandler(fb, nil), get("/r/"+tok)); strings.Contains(w.Body.String(), "Why we removed") {
		t.Error("a proof page shows a removal")
	}
}

func TestTheThankYouPageRepeatsWhatWasSent(t *testing.T) {
	fb := newFake()
	tok := fb.add(t, openView(links.PurposeEvidence, "en"))
	sent := "I was there on <b>3 March</b>.\r\nReceipt 4711 & a photo."
	w := serve(testHandler(fb, nil), postForm("/r/"+tok, url.Values{"reply": {"  " + sent + "  "}}.Encode()))
	checkStatus(t, w, http.StatusOK)
	checkPageSafety(t, w)
	checkContains(t, w, "Thank you, we've received your answer", "What you sent", "I was there on <b>3 March</b>.\nReceipt 4711 & a photo.")
	checkNoMarkupFrom(t, w.Body.String())
	if strings.Contains(w.Body.String(), "<b>") {
		t.Error("what was sent became markup")
	}

	fb = newFake()
	tok = fb.add(t, openView(links.PurposeEdit, "de"))
	w = serve(testHandler(fb, nil), postForm("/r/"+tok, url.Values{"title": {"Spät"}, "text": {"Das Paket kam spät."}, "stars": {"3"}}.Encode()))
	checkStatus(t, w, http.StatusOK)
	checkContains(t, w, "Das haben Sie gesendet", "<h3>Spät</h3>", "Das Paket kam spät.", "★★★☆☆", `aria-label="3 von 5 Sternen"`)
}

// TestTheThankYouPageSaysACopyIsEmailed: every answer that the workflows
// confirm by email says so on its thank-you page, in the reviewer's
// language; a reply report, which gets no copy, does not.
func TestTheThankYouPageSaysACopyIsEmailed(t *testing.T) {
	for _, tc := range []struct {
		purpose links.Purpose
		locale  string
		form    url.Values
		want    bool
	}{
		{links.PurposeFindReviewerReply, "en", url.Values{"reply": {"Order 4711."}}, true},
		{links.PurposeProof, "sv", url.Values{"reply": {"Kvitto 4711."}}, true},
		{links.PurposeEvidence, "de", url.Values{"reply": {"Bestellung 4711."}}, true},
		{links.PurposeEdit, "en", url.Values{"title": {"Late"}, "text": {"The parcel came late."}, "stars": {"3"}}, true},
		{links.PurposeAppeal, "sv", url.Values{"reply": {"Jag var där."}}, true},
		{links.PurposeReportReply, "en", url.Values{"reason": {string(moderation.ReplyReasonThreats)}}, false},
	} {
		t.Run(string(tc.purpose)+"/"+tc.locale, func(t *testing.T) {
			fb := newFake()
			tok := fb.add(t, openView(tc.purpose, tc.locale))
			w := serve(testHandler(fb, nil), postForm("/r/"+tok, tc.form.Encode()))
			checkStatus(t, w, http.StatusOK)
			copyText := catalogFor(tc.locale).Phone.SentCopy
			if got := strings.Contains(w.Body.String(), html.EscapeString(copyText)); got != tc.want {
				t.Errorf("thank-you page says %q: %v, want %v", copyText, got, tc.want)
			}
		})
	}
}
