package reviewerpage

import (
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/candorhq/candor/shared/i18n"
	"github.com/candorhq/candor/shared/links"
	"github.com/candorhq/candor/shared/moderation"
)

// viewLimits are the limits the API accepts each text of a View with
// (moderation's rules): a business's name, a review's title and text, and
// the message of a Find Reviewer request (P9) or of the compliance team
// (the same limits).
var viewLimits = map[string][2]int{
	"BusinessName": {1, 200},
	"ReviewTitle":  {0, 200},
	"ReviewText":   {1, 10000},
	"Message":      {moderation.MinRequestMessage, moderation.MaxRequestMessage},
}

// acceptedSeeds are texts of every kind the text rule accepts.
var acceptedSeeds = []string{
	"Acme Shop",
	"Café Ünïcödé & Söhne",
	`Hello <b>bold</b> & "quotes" 'single' + plus; </textarea><script>alert(1)</script>`,
	"שלום, אנחנו לא מוצאים את ההזמנה שלך במערכת",
	"مرحبا، لم نتمكن من العثور على طلبك في نظامنا",
	"这是一个足够长的测试消息，用于检查渲染是否正常工作。",
	"Line one\r\nLine two\rLine three\u2028Line four\u2029five",
	"\nstarts with a line break, which the textarea must keep",
	"  surrounding space and\ttabs\t inside, long enough  ",
	"Cafe\u0301 in NFD form, composed when it is cleaned",
	"👩\u200d💻 family 👨\u200d👩\u200d👧 and flags 🇸🇪🇩🇪 are text too",
	"a" + strings.Repeat("\u0301", moderation.MaxCombiningRun) + " marks on one character, at the limit",
	"{business} {deadline} {{.Business}} are not placeholders here",
	"x",
}

// FuzzAcceptedTextRenders is "accepted ⇒ renders" for the pages: for every
// purpose and locale, a text of a View that moderation.CheckText accepts for
// the field's limits gives a form page (200) that shows it escaped — names
// and titles on one line — and the thanks, "already received" and
// "expired" pages of the same link render too. go test runs the seeds.
func FuzzAcceptedTextRenders(f *testing.F) {
	for _, s := range acceptedSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for field, lim := range viewLimits {
			if !moderation.CheckText(s, lim[0], lim[1]).OK() {
				continue
			}
			for _, purpose := range allPurposes {
				for _, locale := range []string{"en", "sv", "de"} {
					v := openView(purpose, locale)
					switch field {
					case "BusinessName":
						v.BusinessName = s
					case "ReviewTitle":
						v.ReviewTitle = s
					case "ReviewText":
						v.ReviewText = s
					case "Message":
						if !hasMessage(purpose) {
							continue
						}
						v.Message = s
					}
					checkAcceptedRenders(t, v, field, s)
				}
			}
		}
	})
}

// checkAcceptedRenders serves the pages of a link whose View holds the
// accepted text s in field.
func checkAcceptedRenders(t *testing.T, v View, field, s string) {
	t.Helper()
	name := string(v.Purpose) + "/" + v.Locale + "/" + field
	fb := newFake()
	tok := fb.add(t, v)
	h := testHandler(fb, nil)

	form := serve(h, get("/r/"+tok))
	if form.Code != http.StatusOK {
		t.Fatalf("%s = %q: form page status %d, want 200", name, s, form.Code)
	}
	shown := moderation.CleanText(s)
	if field == "BusinessName" || (field == "ReviewTitle" && v.Purpose != links.PurposeEdit) {
		shown = i18n.DisplayLine(s)
	}
	if shown != "" && !strings.Contains(form.Body.String(), html.EscapeString(shown)) {
		t.Errorf("%s = %q: the form page lacks %q", name, s, html.EscapeString(shown))
	}
	if v.Purpose == links.PurposeEdit && (field == "ReviewText") {
		if !strings.Contains(form.Body.String(), ">\n"+html.EscapeString(shown)+"</textarea>") {
			t.Errorf("%s = %q: the edit form does not hold the review as it is", name, s)
		}
	}

	answer := url.Values{"reply": {"My order number is 4711."}, "reason": {"threats_or_aggression"}, "title": {"Title"}, "text": {"The text."}, "stars": {"3"}}
	for _, rq := range []struct {
		r    request
		want int
	}{
		{postForm("/r/"+tok, answer.Encode()), http.StatusOK}, // thanks
		{get("/r/" + tok), http.StatusGone},                   // already received
	} {
		if w := serve(h, rq.r); w.Code != rq.want {
			t.Errorf("%s = %q: %s status %d, want %d", name, s, rq.r.method, w.Code, rq.want)
		}
	}
	v.State = StateExpired
	expired := fb.add(t, v)
	if w := serve(h, get("/r/"+expired)); w.Code != http.StatusGone {
		t.Errorf("%s = %q: expired page status %d, want 410", name, s, w.Code)
	}
}
