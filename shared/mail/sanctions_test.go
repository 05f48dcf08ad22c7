package mail

import (
	"strings"
	"testing"

	"github.com/candorhq/candor/shared/i18n/i18ntest"
)

func TestSanctionCataloguesAreComplete(t *testing.T) {
	cats := map[string]any{}
	for locale, c := range sanctionCatalogues.ByLocale() {
		cats[locale] = c
	}
	i18ntest.Check(t, cats, i18ntest.Options{})
}

// TestSanctionEmailsSayHowToObject: a warning and a suspension tell the
// business the facts, the date, and how to object (by reply, and out of
// court), in its locale.
func TestSanctionEmailsSayHowToObject(t *testing.T) {
	l := testLinks(t)
	r := NewRenderer(l)
	for _, s := range samples(l) {
		var facts string
		switch m := s.msg.(type) {
		case BusinessWarned:
			facts = m.Facts
		case ReportingSuspended:
			facts = m.Facts
		default:
			continue
		}
		for _, locale := range Locales() {
			got, err := r.Render(locale, s.msg)
			if err != nil {
				t.Fatalf("%s/%s: %v", s.name, locale, err)
			}
			texts, base := sanctionCatalogues.For(locale), catalogues.For(locale)
			for _, want := range []string{facts, texts.Object, base.OutOfCourt} {
				if !strings.Contains(strings.Join(strings.Fields(got.Text), " "), strings.Join(strings.Fields(want), " ")) {
					t.Errorf("%s/%s lacks %q:\n%s", s.name, locale, want, got.Text)
				}
			}
		}
	}
}

// TestASuspensionMentionsAWarningOnlyWhenOneWasGiven: the suspension email
// is held to the state that sends it: "after a warning" only when the
// business was warned.
func TestASuspensionMentionsAWarningOnlyWhenOneWasGiven(t *testing.T) {
	r := NewRenderer(testLinks(t))
	words := map[string]string{"en": "warning", "sv": "varning", "de": "verwarnung"}
	for _, warned := range []bool{false, true} {
		msg := ReportingSuspended{Facts: "You reported 40 reviews in one week; 38 were reinstated.", Until: deadline, AfterWarning: warned}
		for _, locale := range Locales() {
			got, err := r.Render(locale, msg)
			if err != nil {
				t.Fatal(err)
			}
			for part, text := range map[string]string{"text": got.Text, "HTML": got.HTML} {
				if mentions := strings.Contains(strings.ToLower(text), words[locale]); mentions != warned {
					t.Errorf("%s %s, warned %v: mentions a warning %v, want %v:\n%s", locale, part, warned, mentions, warned, text)
				}
			}
		}
	}
}

// TestNoEmailPromisesAReplyIsRead: no mailbox reads replies to Candor's
// emails (no Reply-To is set), so no email may invite one.
func TestNoEmailPromisesAReplyIsRead(t *testing.T) {
	l := testLinks(t)
	r := NewRenderer(l)
	promises := []string{"reply to this email", "answer this email", "svara på det här mejlet", "antworten sie innerhalb", "auf diese e-mail antworten"}
	for _, s := range samples(l) {
		for _, locale := range Locales() {
			got, err := r.Render(locale, s.msg)
			if err != nil {
				t.Fatalf("%s/%s: %v", s.name, locale, err)
			}
			text := strings.ToLower(strings.Join(strings.Fields(got.Text), " "))
			for _, p := range promises {
				if strings.Contains(text, p) {
					t.Errorf("%s/%s invites a reply (%q) that no one reads", s.name, locale, p)
				}
			}
		}
	}
}
