package mail

import (
	"html"
	"strings"
	"testing"

	"github.com/candorhq/candor/shared/i18n"
	"github.com/candorhq/candor/shared/moderation"
)

// textLimits are the limits the API accepts each text field of a message
// with (moderation's rules), by field name; Message is the Find Reviewer
// message (P9) or the compliance team's (which has the same limits).
var textLimits = map[string][2]int{
	"BusinessName":    {1, 200},
	"ReviewTitle":     {0, 200},
	"Message":         {moderation.MinRequestMessage, moderation.MaxRequestMessage},
	"PublicStatement": {moderation.MinStatement, moderation.MaxStatement},
	"Facts":           {moderation.MinNote, moderation.MaxNote},
	"Reply":           {1, moderation.MaxReplyLength},
	// Text is what a reviewer sent through a link (a reply, proof,
	// evidence or an appeal, 1–2000 characters) or, for an edit, the
	// review's text (1–10000).
	"Text": {1, 10000},
}

// acceptedSeeds are texts of every kind the text rule accepts: markup-like,
// URLs, scripts written right to left, combining marks, emoji sequences,
// line breaks of every sort, characters html/template escapes differently.
var acceptedSeeds = []string{
	"Acme Coffee",
	"Café Ünïcödé & Söhne",
	`Hello <b>bold</b> & "quotes" 'single' + plus; <script>alert(1)</script>`,
	"Log in at https://acme-login.example/verify?u=1 or www.acme-login.example, or " + testBase + "/r/tok",
	"שלום, אנחנו לא מוצאים את ההזמנה שלך במערכת",
	"مرحبا، لم نتمكن من العثور على طلبك في نظامنا",
	"这是一个足够长的测试消息，用于检查渲染是否正常工作。",
	"Line one\r\nLine two\rLine three\u2028Line four\u2029five",
	"  surrounding space and\ttabs\t inside, long enough  ",
	"Cafe\u0301 in NFD form, composed when it is cleaned",
	"👩\u200d💻 family 👨\u200d👩\u200d👧 and flags 🇸🇪🇩🇪 are text too",
	"Ｆｕｌｌｗｉｄｔｈ and non\u00a0breaking\u202fspaces here",
	"a" + strings.Repeat("\u0301", moderation.MaxCombiningRun) + " marks on one character, at the limit",
	"Order #4711 — 12 × 3 = 36 % of {{.Business}} {business}",
	"x",
}

// FuzzAcceptedTextRenders is "accepted ⇒ renders": for every email and
// every locale, a text that moderation.CheckText accepts for a field's
// limits renders without error, and both parts show it — the text part as
// it is, the HTML part escaped — modulo the display transformations (names
// and titles on one line, foreign web addresses defanged). go test runs the
// seeds; go test -fuzz explores.
func FuzzAcceptedTextRenders(f *testing.F) {
	for _, s := range acceptedSeeds {
		f.Add(s)
	}
	l := testLinks(f)
	r := NewRenderer(l)
	f.Fuzz(func(t *testing.T, s string) {
		for _, smp := range samples(l) {
			for _, field := range stringFields(smp.msg, false) {
				lim, ok := textLimits[field]
				if !ok {
					t.Fatalf("%s.%s: no limits known; add them to textLimits", smp.name, field)
				}
				if !moderation.CheckText(s, lim[0], lim[1]).OK() {
					continue
				}
				msg := withField(smp.msg, field, s)
				oneLine := field == "BusinessName" || field == "ReviewTitle"
				for _, locale := range Locales() {
					got, err := r.Render(locale, msg)
					if err != nil {
						t.Fatalf("%s/%s with %s %q: Render: %v", smp.name, locale, field, s, err)
					}
					if _, err := parseHTML(l, got.HTML); err != nil {
						t.Fatalf("%s/%s with %s %q: HTML part: %v", smp.name, locale, field, s, err)
					}
					if oneLine {
						shown := defang(l, i18n.DisplayLine(s))
						if !strings.Contains(got.Text, shown) || !strings.Contains(got.HTML, html.EscapeString(shown)) {
							t.Errorf("%s/%s: a part lacks the %s %q as %q", smp.name, locale, field, s, shown)
						}
						continue
					}
					shown := defang(l, moderation.CleanText(s))
					if !strings.Contains(got.Text, quoteText(shown)) {
						t.Errorf("%s/%s: the text part lacks the %s %q quoted as %q:\n%s", smp.name, locale, field, s, quoteText(shown), got.Text)
					}
					if !strings.Contains(got.HTML, quoteHTML(shown)) {
						t.Errorf("%s/%s: the HTML part lacks the %s %q as %q", smp.name, locale, field, s, quoteHTML(shown))
					}
				}
			}
		}
	})
}

// quoteText is s as the text part quotes it.
func quoteText(s string) string {
	var b strings.Builder
	for _, l := range strings.Split(s, "\n") {
		if l == "" {
			b.WriteString(">\n")
		} else {
			b.WriteString("> " + l + "\n")
		}
	}
	return b.String()
}

// quoteHTML is s as the HTML part quotes it: escaped, lines joined by <br>.
func quoteHTML(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = html.EscapeString(l)
	}
	return strings.Join(lines, "<br>")
}
