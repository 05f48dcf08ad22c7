package mail

import (
	"errors"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/candorhq/candor/shared/brand"
	"github.com/candorhq/candor/shared/i18n/i18ntest"
	"github.com/candorhq/candor/shared/moderation"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

func TestSamplesCoverEveryEmail(t *testing.T) {
	want := []string{
		"find_reviewer_request", "find_reviewer_reminder", "review_reported", "proof_request", "compliance_request",
		"review_removed", "reviewer_replied", "request_expired", "review_reinstated", "review_reinstated_reviewer",
		"appeal_decided", "business_warned", "reporting_suspended", "reporting_reopened", "warning_withdrawn",
		"reply_published", "reply_removed", "reply_report_decided", "answer_received",
	}
	var got []string
	for _, s := range samples(testLinks(t)) {
		if !slices.Contains(got, s.msg.Name()) {
			got = append(got, s.msg.Name())
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("emails of the samples = %v, want every email of docs/product.md: %v", got, want)
	}
}

func TestCataloguesAreComplete(t *testing.T) {
	cats := map[string]any{}
	for locale, c := range catalogues.ByLocale() {
		cats[locale] = c
	}
	i18ntest.Check(t, cats, i18ntest.Options{
		// Names that are the same word in a translation.
		SameAsEnglish: []string{"Reasons.Spam.Name"},
	})
	for _, r := range moderation.AllReasons() {
		if _, ok := textsEn.Reasons.of(r); !ok {
			t.Errorf("the catalogues do not name reason %s", r)
		}
	}
	if n, want := reflect.TypeFor[reasonsTexts]().NumField(), len(moderation.AllReasons()); n != want {
		t.Errorf("the catalogues name %d reasons, want the %d of moderation.AllReasons", n, want)
	}
	if _, ok := textsEn.Reasons.of("rude"); ok {
		t.Error(`the catalogues name reason "rude"`)
	}
}

// TestRenderEveryEmailInEveryLocale renders every sample in every locale and
// checks what a recipient would notice: a subject on one line, both parts,
// an HTML part that parses and carries nothing active, every link of the
// message in both parts, the deadline where there is one, and no leftover
// English in the translations.
func TestRenderEveryEmailInEveryLocale(t *testing.T) {
	l := testLinks(t)
	r := NewRenderer(l)
	english := staticPhrases(t, "en")
	for _, s := range samples(l) {
		for _, locale := range Locales() {
			t.Run(s.name+"/"+locale, func(t *testing.T) {
				got, err := r.Render(locale, s.msg)
				if err != nil {
					t.Fatalf("Render: %v", err)
				}
				if got.Locale != locale {
					t.Errorf("Locale = %q, want %q", got.Locale, locale)
				}
				if got.Subject == "" || strings.ContainsAny(got.Subject, "\r\n") {
					t.Errorf("Subject = %q, want one non-empty line", got.Subject)
				}
				if strings.TrimSpace(got.Text) == "" || strings.TrimSpace(got.HTML) == "" {
					t.Fatalf("empty part: text %d bytes, html %d bytes", len(got.Text), len(got.HTML))
				}
				p, err := parseHTML(l, got.HTML)
				if err != nil {
					t.Fatalf("HTML part: %v\n%s", err, got.HTML)
				}
				if p.lang != locale {
					t.Errorf("<html lang> = %q, want %q", p.lang, locale)
				}
				for _, u := range urlFields(s.msg) {
					if !strings.Contains(got.Text, "\n"+u+"\n") {
						t.Errorf("text part lacks the link %s on a line of its own", u)
					}
					if !slices.Contains(p.hrefs, u) {
						t.Errorf("HTML part lacks a link to %s; links: %v", u, p.hrefs)
					}
				}
				if len(p.hrefs) != 2*len(urlFields(s.msg)) {
					t.Errorf("HTML part has %d links, want a button and a written-out link per URL field (%d)", len(p.hrefs), 2*len(urlFields(s.msg)))
				}
				for _, d := range datesOf(s.msg) {
					want := dateFor(locale, "", d)
					if !strings.Contains(got.Text, want) || !strings.Contains(p.text, want) {
						t.Errorf("the parts lack the date %q", want)
					}
				}
				if locale != "en" {
					for _, e := range english {
						if strings.Contains(got.Text, e) {
							t.Errorf("the %s text contains the English phrase %q", locale, e)
						}
					}
				}
			})
		}
	}
}

// datesOf returns the deadlines and decision times a message states.
func datesOf(m Message) []time.Time {
	var out []time.Time
	switch m := m.(type) {
	case FindReviewerRequest:
		out = append(out, m.Deadline)
	case FindReviewerReminder:
		out = append(out, m.Deadline)
	case ProofRequest:
		out = append(out, m.Deadline)
	case ComplianceRequest:
		out = append(out, m.Deadline)
	case ReviewRemoved:
		out = append(out, m.DecidedAt, m.AppealDeadline)
	case AppealDecided:
		out = append(out, m.DecidedAt)
	case ReviewReinstated:
		out = append(out, m.AppealDeadline)
	case BusinessWarned:
		out = append(out, m.Until)
	case ReportingSuspended:
		out = append(out, m.Until)
	case ReportingReopened:
		out = append(out, m.Since)
	case WarningWithdrawn:
		out = append(out, m.Given)
	case AnswerReceived:
		out = append(out, m.ReceivedAt)
	}
	return slices.DeleteFunc(out, time.Time.IsZero)
}

// staticPhrases returns the parts of a catalogue's texts between their
// arguments that are longer than a word or two: text a translation must not
// keep.
func staticPhrases(t *testing.T, locale string) []string {
	t.Helper()
	var out []string
	for _, l := range i18ntest.Leaves(catalogues.For(locale)) {
		for _, line := range strings.Split(l.Text, "\n") {
			for _, part := range strings.FieldsFunc(line, func(r rune) bool { return r == '⟦' || r == '⟧' }) {
				if len(part) > 12 && !strings.ContainsAny(part, "0123456789") {
					out = append(out, part)
				}
			}
		}
	}
	return out
}

func TestRenderAddressesTheReaderAsTheSeedsDo(t *testing.T) {
	l := testLinks(t)
	r := NewRenderer(l)
	tests := []struct {
		locale    string
		forbidden *regexp.Regexp
		why       string
	}{
		{"de", regexp.MustCompile(`\b(du|dich|dir|dein|deine|deinen|deinem|deiner|euch|euer)\b`), "German emails say Sie"},
		{"sv", regexp.MustCompile(`\b(Ni|ni|Er|Ert|Era)\b`), "Swedish emails say du"},
	}
	for _, tt := range tests {
		for _, s := range samples(l) {
			got, err := r.Render(tt.locale, s.msg)
			if err != nil {
				t.Fatalf("%s/%s: Render: %v", s.name, tt.locale, err)
			}
			if m := tt.forbidden.FindString(got.Subject + "\n" + got.Text); m != "" {
				t.Errorf("%s/%s: %q found: %s", s.name, tt.locale, m, tt.why)
			}
		}
	}
}

func TestRenderFallsBackToEnglish(t *testing.T) {
	l := testLinks(t)
	r := NewRenderer(l)
	msg := samples(l)[0].msg
	subjects := map[string]string{}
	for _, locale := range Locales() {
		got, err := r.Render(locale, msg)
		if err != nil {
			t.Fatalf("Render(%q): %v", locale, err)
		}
		subjects[locale] = got.Subject
	}
	tests := []struct{ in, want string }{
		{"", "en"}, {"fr", "en"}, {"en-GB", "en"}, {"xx_YY", "en"}, {" ", "en"},
		{"sv-SE", "sv"}, {"SV", "sv"}, {"sv_FI", "sv"},
		{"de_AT", "de"}, {"de-CH", "de"}, {"DE", "de"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := r.Render(tt.in, msg)
			if err != nil {
				t.Fatalf("Render: %v", err)
			}
			if got.Locale != tt.want || got.Subject != subjects[tt.want] {
				t.Errorf("Render(%q) = %q, %q; want %q, %q", tt.in, got.Locale, got.Subject, tt.want, subjects[tt.want])
			}
		})
	}
}

// hostile is free text meant to break out of the HTML it lands in.
const hostile = `<script>alert(1)</script>"><img src=x onerror=alert(1)>' onmouseover='x' & <a href="https://evil.example">win</a>`

// TestRenderShowsHostileTextAsText puts hostile markup in every free-text
// field of every email: the HTML part must still hold only Candor's own
// elements and links, and both parts must show the text as the sender wrote
// it (escaped, not dropped).
func TestRenderShowsHostileTextAsText(t *testing.T) {
	l := testLinks(t)
	r := NewRenderer(l)
	// The link in hostile is defanged: the text shows it without its dots.
	shown := strings.Replace(hostile, "https://evil.example", "hxxps://evil[.]example", 1)
	for _, s := range samples(l) {
		for _, field := range stringFields(s.msg, false) {
			msg := withField(s.msg, field, hostile)
			for _, locale := range Locales() {
				t.Run(s.name+"/"+field+"/"+locale, func(t *testing.T) {
					got, err := r.Render(locale, msg)
					if err != nil {
						t.Fatalf("Render: %v", err)
					}
					p, err := parseHTML(l, got.HTML)
					if err != nil {
						t.Fatalf("HTML part: %v", err)
					}
					if !strings.Contains(p.text, shown) {
						t.Errorf("HTML part does not show the %s as text %q", field, shown)
					}
					if !strings.Contains(got.Text, shown) {
						t.Errorf("text part does not show the %s as written %q", field, shown)
					}
				})
			}
		}
	}
}

func TestRenderDefangsForeignAddressesInFreeText(t *testing.T) {
	l := testLinks(t)
	r := NewRenderer(l)
	own := l.ReviewerLink("guidelines")
	msg := FindReviewerRequest{
		BusinessName: "Acme Coffee", ReplyURL: l.ReviewerLink("tok"), Deadline: deadline,
		Message: "Log in at https://acme-login.example/verify?u=1 or www.acme-login.example, see " + own + " too",
	}
	got, err := r.Render("en", msg)
	if err != nil {
		t.Fatalf("Render: %v", err)
	}
	for _, part := range []string{got.Text, got.HTML} {
		for _, bad := range []string{"https://acme-login", "acme-login.example", "www.acme"} {
			if strings.Contains(part, bad) {
				t.Errorf("a part still contains %q, which mail clients make a link of", bad)
			}
		}
		for _, want := range []string{"hxxps://acme-login[.]example/verify?u=1", "www[.]acme-login[.]example", own} {
			if !strings.Contains(part, want) {
				t.Errorf("a part lacks %q", want)
			}
		}
	}
}

// TestRenderRefusesLinksOutsideTheBase sets every URL field of every email
// to addresses that are not under the base URL, including ones that only
// look as if they were.
func TestRenderRefusesLinksOutsideTheBase(t *testing.T) {
	l := testLinks(t)
	r := NewRenderer(l)
	bad := []string{
		"",
		"https://evil.example/candor/r/tok",
		"http://reviews.example.com/candor/r/tok",
		"https://reviews.example.com/r/tok",
		"https://reviews.example.com/candorx/r/tok",
		"https://reviews.example.com/candor",
		"https://reviews.example.com/candor/",
		"https://reviews.example.com.evil.example/candor/r/tok",
		"https://reviews.example.com@evil.example/candor/r/tok",
		"https://user@reviews.example.com/candor/r/tok",
		"https://reviews.example.com:8443/candor/r/tok",
		"https://reviews.example.com/candor/../r/tok",
		"https://reviews.example.com/candor/%2e%2e/admin",
		"https://reviews.example.com/candor//evil.example/x",
		"https://reviews.example.com/candor/r/a b",
		"https://reviews.example.com/candor/r\\..\\x",
		"//reviews.example.com/candor/r/tok",
		"/candor/r/tok",
		"javascript:alert(1)//reviews.example.com/candor/r/tok",
		"data:text/html,<script>alert(1)</script>",
		" https://reviews.example.com/candor/r/tok",
		"https://reviews.example.com/candor/r/it's",
		"https://reviews.example.com/candor/r/(tok)",
		"https://reviews.example.com/candor/r/tok?x=\"><script>",
		"https://reviews.example.com/candor/r/tok?x=<b>",
		"https://reviews.example.com/candor/r/tök",
		"https://reviews.example.com/candor/r/tok%zz",
		"https://reviews.example.com/candor/r/tok{x}",
	}
	for _, s := range samples(l) {
		for _, field := range stringFields(s.msg, true) {
			for _, u := range bad {
				t.Run(s.name+"/"+field+"/"+u, func(t *testing.T) {
					_, err := r.Render("en", withField(s.msg, field, u))
					if !errors.Is(err, ErrLinkOutsideBase) {
						t.Fatalf("Render error = %v, want ErrLinkOutsideBase", err)
					}
					if u != "" && strings.Contains(err.Error(), u) {
						t.Errorf("error %q quotes the link (links carry tokens)", err)
					}
				})
			}
		}
	}
}

func TestRenderWithoutBaseRefusesLinks(t *testing.T) {
	l := testLinks(t)
	r := NewRenderer(Links{})
	for _, s := range samples(l) {
		if len(urlFields(s.msg)) == 0 {
			continue
		}
		_, err := r.Render("en", s.msg)
		if !errors.Is(err, ErrLinkOutsideBase) {
			t.Errorf("%s: Render with zero Links error = %v, want ErrLinkOutsideBase", s.name, err)
		}
	}
}

func TestRenderRefusesIncompleteMessages(t *testing.T) {
	l := testLinks(t)
	r := NewRenderer(l)
	reply := l.ReviewerLink("tok")
	removed := ReviewRemoved{
		BusinessName: "Acme", Reasons: []moderation.Reason{moderation.ReasonSpam}, Facts: "Repeated text.",
		Ground: moderation.GroundGuidelineViolation, DecidedAt: decided, AppealURL: reply, AppealDeadline: appealBy,
	}
	onAppeal := removed
	onAppeal.OnAppeal, onAppeal.AppealURL, onAppeal.AppealDeadline = true, "", time.Time{}
	decidedAppeal := AppealDecided{
		Appellant: AppellantBusiness, ToAppellant: true, Outcome: AppealUpheld, BusinessName: "Acme",
		Facts: "The receipt is genuine.", DecidedAt: decided, ReportURL: l.ReportLink("rpt_1"),
	}
	appeal := func(f func(m *AppealDecided)) Message { m := decidedAppeal; f(&m); return m }
	var nilRequest *FindReviewerRequest
	tests := []struct {
		name     string
		msg      Message
		mentions string
	}{
		{"no message", nil, "no message"},
		{"nil pointer", nilRequest, "no message"},
		{"no business name", FindReviewerRequest{Message: "Hello there", ReplyURL: reply, Deadline: deadline}, "business name is missing"},
		{"no message text", FindReviewerReminder{BusinessName: "Acme", ReplyURL: reply, Deadline: deadline}, "message is missing"},
		{"no deadline", ProofRequest{BusinessName: "Acme", ReplyURL: reply}, "deadline is missing"},
		{"no statement", ReviewReported{BusinessName: "Acme"}, "public statement is missing"},
		{"unknown kind", ComplianceRequest{Kind: "delete", BusinessName: "Acme", Message: "m", ReplyURL: reply, Deadline: deadline}, "kind is not evidence or edit"},
		{"no reasons", func() Message { m := removed; m.Reasons = nil; return m }(), "reasons are missing"},
		{"unknown reason", func() Message { m := removed; m.Reasons = []moderation.Reason{"rude"}; return m }(), "not a known reason code"},
		{"unknown ground", func() Message { m := removed; m.Ground = "automatic"; return m }(), "ground is not"},
		{"agent decision without facts", func() Message { m := removed; m.Facts = ""; return m }(), "statement of facts is missing"},
		{"no decision time", func() Message { m := removed; m.DecidedAt = time.Time{}; return m }(), "decision time is missing"},
		{"no appeal deadline", func() Message { m := removed; m.AppealDeadline = time.Time{}; return m }(), "appeal deadline is missing"},
		{"automated guideline violation", func() Message { m := removed; m.Automated = true; return m }(), "an automated removal must have ground no_proof_provided"},
		{"appeal link on a decision on appeal", func() Message { m := onAppeal; m.AppealURL = reply; return m }(), "appeal URL must be empty for a decision on appeal"},
		{"appeal deadline on a decision on appeal", func() Message { m := onAppeal; m.AppealDeadline = appealBy; return m }(), "appeal deadline must be empty for a decision on appeal"},
		{"automated decision on appeal", func() Message {
			m := onAppeal
			m.Automated, m.Ground = true, moderation.GroundNoProofProvided
			return m
		}(), "a decision on appeal is not automated"},
		{"reinstated for the reviewer without business", ReviewReinstatedForReviewer{ReviewTitle: "Nice"}, "business name is missing"},
		{"appeal: unknown appellant", appeal(func(m *AppealDecided) { m.Appellant = "agent" }), "appellant is not reviewer or business"},
		{"appeal: unknown outcome", appeal(func(m *AppealDecided) { m.Outcome = "uphold" }), "outcome is not upheld or reversed"},
		{"appeal: reviewer's reversal", appeal(func(m *AppealDecided) { m.Appellant, m.Outcome, m.ReportURL = AppellantReviewer, AppealReversed, "" }), "no appeal_decided email is sent"},
		{"appeal: reviewer's upheld to the business", appeal(func(m *AppealDecided) { m.Appellant, m.ToAppellant = AppellantReviewer, false }), "no appeal_decided email is sent"},
		{"appeal: business's reversal to the reviewer", appeal(func(m *AppealDecided) { m.ToAppellant, m.Outcome, m.ReportURL = false, AppealReversed, "" }), "no appeal_decided email is sent"},
		{"appeal: no facts for the appellant", appeal(func(m *AppealDecided) { m.Facts = "" }), "statement of facts is missing"},
		{"appeal: no business name", appeal(func(m *AppealDecided) { m.BusinessName = "" }), "business name is missing"},
		{"appeal: no decision time", appeal(func(m *AppealDecided) { m.DecidedAt = time.Time{} }), "decision time is missing"},
		{"appeal: report link to the reviewer", appeal(func(m *AppealDecided) { m.ToAppellant = false }), "report URL must be empty when the reviewer receives the email"},
		{"appeal: report link to the reviewer who appealed", appeal(func(m *AppealDecided) { m.Appellant = AppellantReviewer }), "report URL must be empty when the reviewer receives the email"},
		{"every problem at once", FindReviewerRequest{}, "business name is missing; message is missing; reply URL is missing; deadline is missing"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := r.Render("en", tt.msg)
			if !errors.Is(err, ErrInvalidMessage) {
				t.Fatalf("Render error = %v, want ErrInvalidMessage", err)
			}
			if !errors.Is(err, ErrRender) {
				t.Errorf("Render error = %v, want it under ErrRender (a permanent failure)", err)
			}
			if !strings.Contains(err.Error(), tt.mentions) {
				t.Errorf("Render error = %q, want it to say %q", err, tt.mentions)
			}
		})
	}
	t.Run("pointer to a message", func(t *testing.T) {
		m := samples(l)[0].msg.(FindReviewerRequest)
		byValue, err1 := r.Render("en", m)
		byPointer, err2 := r.Render("en", &m)
		if err1 != nil || err2 != nil || byValue != byPointer {
			t.Errorf("Render(&m) = %v, %v; want what Render(m) gives", err2, err1)
		}
	})
	t.Run("no_proof_provided without facts", func(t *testing.T) {
		m := removed
		m.Ground, m.Facts = moderation.GroundNoProofProvided, ""
		if _, err := r.Render("en", m); err != nil {
			t.Errorf("Render: %v, want the standard facts of a missing proof", err)
		}
	})
	t.Run("appeal: the business's report link", func(t *testing.T) {
		m := decidedAppeal
		m.ReportURL = ""
		if _, err := r.Render("en", m); !errors.Is(err, ErrLinkOutsideBase) || !strings.Contains(err.Error(), "report URL is missing") {
			t.Errorf("Render error = %v, want the missing report URL", err)
		}
	})
	t.Run("appeal: facts for the other party are not shown", func(t *testing.T) {
		m := decidedAppeal
		m.ToAppellant, m.ReportURL, m.Facts = false, "", "Internal: the agent's note."
		got, err := r.Render("en", m)
		if err != nil {
			t.Fatalf("Render: %v", err)
		}
		if strings.Contains(got.Text+got.HTML, "the agent's note") {
			t.Errorf("the other party's email shows the facts:\n%s", got.Text)
		}
	})
}

// TestRenderNeverFailsOnWhatATextSays gives every text field of every email
// text that the text rule refuses or that holds nothing to show (as text
// stored before the rule may): the email renders, shows the text without
// the refused characters, and carries none of them in either part.
func TestRenderNeverFailsOnWhatATextSays(t *testing.T) {
	l := testLinks(t)
	r := NewRenderer(l)
	tests := []struct {
		name, in, shown string
	}{
		{"only white space", " \n\t ", ""},
		{"only a direction override", "\u202e ", ""},
		{"only zero-width spaces", "\u200b\u200b", ""},
		{"direction override inside", "Order \u202e4711\u202c please", "Order 4711 please"},
		{"control characters", "Order\x00 47\x1b11", "Order 4711"},
		{"invalid UTF-8", "Order \xff 4711", "Order \uFFFD 4711"},
		{"private use and tags", "Order\ue000 4711\U000E0041", "Order 4711"},
		{"no letter or digit", "!!!", "!!!"},
	}
	for _, s := range samples(l) {
		for _, field := range stringFields(s.msg, false) {
			for _, tt := range tests {
				msg := withField(s.msg, field, tt.in)
				for _, locale := range Locales() {
					t.Run(s.name+"/"+field+"/"+tt.name+"/"+locale, func(t *testing.T) {
						got, err := r.Render(locale, msg)
						if err != nil {
							t.Fatalf("Render: %v, want the email whatever the %s says", err, field)
						}
						if tt.shown != "" && !strings.Contains(got.Text, tt.shown) {
							t.Errorf("text part lacks %q", tt.shown)
						}
						for _, part := range []string{got.Subject, got.Text, got.HTML} {
							checkDisplayText(t, part)
						}
					})
				}
			}
		}
	}
}

// checkDisplayText fails if s holds a character the text rule refuses
// anywhere (besides the line breaks of a part).
func checkDisplayText(t *testing.T, s string) {
	t.Helper()
	switch c := moderation.CheckText(s, 0, 1<<31-1); c.Fault {
	case moderation.TextOK, moderation.TextNoLetterOrDigit:
	default:
		t.Errorf("rendered email holds what the text rule refuses: %s", c.Message())
	}
}

// TestStatementOfReasons checks that a removal says what P8 and DSA
// Art. 17 require in each locale: the reasons the decision upholds as the
// reasons for the removal, the facts, the ground, who decided (a person, or
// automatically because no proof arrived in time; a person not involved in
// the first decision, on appeal), that no automated means detected the
// review, and the redress: the internal appeal and its deadline (not on
// appeal: final), and always out-of-court dispute settlement and the courts.
func TestStatementOfReasons(t *testing.T) {
	l := testLinks(t)
	r := NewRenderer(l)
	appeal := l.ReviewerLink("appeal-token")
	type want struct {
		reasons, agent, noProof, noProofFacts, onAppeal, detection, appeal, final, outOfCourt []string
	}
	wants := map[string]want{
		"en": {
			reasons:      []string{"We removed the review for the following reasons. Acme Coffee gave them in its report", "Offensive or harmful content: threats, hate", "Personal information: "},
			agent:        []string{"A member of our compliance team made this decision on 2 March 2026, 14:05 GMT (14:05 UTC)"},
			noProof:      []string{"We removed the review for the following reason, which Acme Coffee gave in its report:", "No genuine experience: ", "Our guidelines require every review to be based on a genuine buying or service experience", "This decision was taken automatically, without a person assessing your case", "which ended on 2 March 2026, 14:05 GMT (14:05 UTC)"},
			noProofFacts: []string{"Acme Coffee reported that you had not had a genuine buying or service experience"},
			onAppeal:     []string{"Acme Coffee appealed against that decision", "on 2 March 2026, 14:05 GMT (14:05 UTC) a member of our compliance team who was not involved in it", "reversed it"},
			detection:    []string{"No automated tool detected or flagged your review: it came to us through the report by Acme Coffee."},
			appeal:       []string{"How to appeal", "you can appeal until 29 August 2026, 15:05 BST (14:05 UTC) using the link below", "who was not involved in this decision"},
			final:        []string{"If you disagree", "This decision was taken on appeal and is final within Candor"},
			outOfCourt:   []string{"certified out-of-court dispute settlement body", "Article 21 of the EU Digital Services Act", "take the matter to court"},
		},
		"sv": {
			reasons:      []string{"Vi har tagit bort omdömet av följande anledningar. Acme Coffee angav dem i sin rapport", "Stötande eller skadligt innehåll: hot, hat", "Personuppgifter: "},
			agent:        []string{"Beslutet fattades den 2 mars 2026 kl. 15:05 CET (14:05 UTC) av en medarbetare i vårt Compliance-team"},
			noProof:      []string{"Vi har tagit bort omdömet av följande anledning, som Acme Coffee angav i sin rapport:", "Ingen äkta upplevelse: ", "Enligt våra riktlinjer måste varje omdöme bygga på en äkta", "Beslutet fattades automatiskt, utan att någon person bedömde ditt ärende", "som löpte ut den 2 mars 2026 kl. 15:05 CET (14:05 UTC)"},
			noProofFacts: []string{"Acme Coffee rapporterade att du inte har haft en äkta köp- eller serviceupplevelse"},
			onAppeal:     []string{"Acme Coffee överklagade det beslutet", "En medarbetare i vårt Compliance-team som inte var med och fattade det första beslutet", "ändrade beslutet den 2 mars 2026 kl. 15:05 CET (14:05 UTC)"},
			detection:    []string{"Inget automatiskt verktyg har upptäckt eller flaggat ditt omdöme – vi fick kännedom om det genom rapporten från Acme Coffee."},
			appeal:       []string{"Så överklagar du beslutet", "kan du överklaga det via länken nedan fram till 29 augusti 2026 kl. 16:05 CEST (14:05 UTC)", "som inte var med och fattade beslutet"},
			final:        []string{"Om du inte håller med", "Beslutet fattades efter ett överklagande och är slutligt hos Candor"},
			outOfCourt:   []string{"certifierat organ för tvistlösning utanför domstol", "artikel 21 i EU:s rättsakt om digitala tjänster", "gå till domstol"},
		},
		"de": {
			reasons:      []string{"Wir haben die Bewertung aus folgenden Gründen entfernt. Acme Coffee hat sie in der Meldung angegeben", "Beleidigende oder schädliche Inhalte: Drohungen, Hass", "Personenbezogene Daten: "},
			agent:        []string{"Diese Entscheidung hat ein Mitglied unseres Compliance-Teams", "Datum der Entscheidung: 2. März 2026, 15:05 CET (14:05 UTC)"},
			noProof:      []string{"Wir haben die Bewertung aus folgendem Grund entfernt, den Acme Coffee in der Meldung angegeben hat:", "Keine echte Erfahrung: ", "Nach unseren Richtlinien muss jede Bewertung auf einer echten", "Diese Entscheidung wurde automatisch getroffen, ohne dass eine Person Ihren Fall geprüft hat", "die Frist ist am 2. März 2026, 15:05 CET (14:05 UTC) abgelaufen"},
			noProofFacts: []string{"Acme Coffee hat gemeldet, dass Sie keine wirkliche Kauf- oder Serviceerfahrung"},
			onAppeal:     []string{"Acme Coffee hat gegen diese Entscheidung Widerspruch eingelegt", "das an der ersten Entscheidung nicht beteiligt war", "am 2. März 2026, 15:05 CET (14:05 UTC) aufgehoben"},
			detection:    []string{"Ihre Bewertung wurde nicht durch ein automatisiertes Verfahren erkannt oder markiert, sondern uns von Acme Coffee gemeldet."},
			appeal:       []string{"So legen Sie Widerspruch ein", "können Sie bis zum 29. August 2026, 16:05 CEST (14:05 UTC) über den Link unten Widerspruch einlegen", "das an dieser Entscheidung nicht beteiligt war"},
			final:        []string{"Wenn Sie nicht einverstanden sind", "im Widerspruchsverfahren getroffen und ist bei Candor endgültig"},
			outOfCourt:   []string{"zertifizierte außergerichtliche Streitbeilegungsstelle", "Artikel 21 des Gesetzes über digitale Dienste", "Rechtsweg zu den Gerichten"},
		},
	}
	agent := ReviewRemoved{
		BusinessName: "Acme Coffee", ReviewTitle: "Cold coffee",
		Reasons:   []moderation.Reason{moderation.ReasonOffensiveOrHarmful, moderation.ReasonPersonalInformation, moderation.ReasonOffensiveOrHarmful},
		Facts:     "The review calls a named employee a thief.\nIt gives her phone number.",
		Ground:    moderation.GroundGuidelineViolation,
		DecidedAt: decided, AppealURL: appeal, AppealDeadline: appealBy,
	}
	noProof := ReviewRemoved{
		BusinessName: "Acme Coffee", Reasons: []moderation.Reason{moderation.ReasonNoGenuineExperience},
		Ground: moderation.GroundNoProofProvided, Automated: true, DecidedAt: decided, AppealURL: appeal, AppealDeadline: appealBy,
	}
	onAppeal := agent
	onAppeal.OnAppeal, onAppeal.AppealURL, onAppeal.AppealDeadline = true, "", time.Time{}
	render := func(t *testing.T, locale string, m ReviewRemoved) string {
		t.Helper()
		got, err := r.Render(locale, m)
		if err != nil {
			t.Fatalf("Render: %v", err)
		}
		return got.Text
	}
	check := func(t *testing.T, what, text string, says, saysNot []string) {
		t.Helper()
		for _, s := range says {
			if !strings.Contains(text, s) {
				t.Errorf("%s lacks %q:\n%s", what, s, text)
			}
		}
		for _, s := range saysNot {
			if strings.Contains(text, s) {
				t.Errorf("%s says %q:\n%s", what, s, text)
			}
		}
	}
	for locale, w := range wants {
		t.Run(locale, func(t *testing.T) {
			a := render(t, locale, agent)
			check(t, "agent decision", a,
				slices.Concat(w.reasons, w.agent, w.detection, w.appeal, w.outOfCourt, []string{"> The review calls a named employee a thief.\n> It gives her phone number.", appeal}),
				slices.Concat(w.noProof, w.onAppeal, w.final))
			if n := strings.Count(a, "\n- "); n != 2 {
				t.Errorf("agent decision lists %d reasons, want 2 (the duplicate once)", n)
			}
			n := render(t, locale, noProof)
			check(t, "no-proof removal", n,
				slices.Concat(w.noProof, w.noProofFacts, w.detection, w.appeal, w.outOfCourt, []string{appeal}),
				slices.Concat(w.agent, w.onAppeal, w.final))
			o := render(t, locale, onAppeal)
			check(t, "removal on appeal", o,
				slices.Concat(w.reasons, w.onAppeal, w.detection, w.final, w.outOfCourt),
				slices.Concat(w.agent, w.noProof, w.appeal, []string{appeal}))
		})
	}
}

func TestRenderVariants(t *testing.T) {
	l := testLinks(t)
	r := NewRenderer(l)
	tests := []struct {
		name    string
		msg     Message
		want    []string
		notWant []string
	}{
		{
			"untitled review has no empty quotes",
			FindReviewerRequest{BusinessName: "Acme", Message: "Order number?", ReplyURL: l.ReviewerLink("t"), Deadline: deadline},
			[]string{"message through Candor about your review:"}, []string{"“”", "“"},
		},
		{
			"manual reminder says the business sent it",
			FindReviewerReminder{BusinessName: "Acme", Message: "Order number?", ReplyURL: l.ReviewerLink("t"), Deadline: deadline, Manual: true},
			[]string{"Acme has sent you a reminder", "You can reply until 27 November 2026, 09:00 GMT (09:00 UTC)"}, []string{"A few days ago"},
		},
		{
			"a report that leaves the review online says so",
			ReviewReported{BusinessName: "Acme", PublicStatement: "Not our customer."},
			[]string{"Your review stays online", "> Not our customer."}, []string{"is hidden"},
		},
		{
			"edit request asks for an edit",
			ComplianceRequest{Kind: KindEdit, BusinessName: "Acme", Message: "Remove the phone number.", ReplyURL: l.ReviewerLink("t"), Deadline: deadline},
			[]string{"Please edit your review of Acme", "Edit your review:\n" + l.ReviewerLink("t")}, []string{"Send information"},
		},
		{
			"expired request without reminder left",
			RequestExpired{BusinessName: "Acme", RequestURL: l.RequestLink("req_1")},
			[]string{"already used the one reminder"}, []string{"You can send one reminder"},
		},
		{
			"reviewer replied leaves the reply out",
			ReviewerReplied{BusinessName: "Acme", ReviewTitle: "Nice", RequestURL: l.RequestLink("req_1")},
			[]string{"Read the reply:\nhttps://business.example.com/requests/req_1?tab=reply", "Business account: Acme"}, nil,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := r.Render("en", tt.msg)
			if err != nil {
				t.Fatalf("Render: %v", err)
			}
			all := got.Subject + "\n" + got.Text
			for _, s := range tt.want {
				if !strings.Contains(all, s) {
					t.Errorf("email lacks %q:\n%s", s, all)
				}
			}
			for _, s := range tt.notWant {
				if strings.Contains(all, s) {
					t.Errorf("email contains %q:\n%s", s, all)
				}
			}
		})
	}
}

func TestRenderGolden(t *testing.T) {
	l := testLinks(t)
	r := NewRenderer(l)
	for _, s := range samples(l) {
		for _, locale := range Locales() {
			t.Run(s.name+"/"+locale, func(t *testing.T) {
				got, err := r.Render(locale, s.msg)
				if err != nil {
					t.Fatalf("Render: %v", err)
				}
				golden(t, filepath.Join("testdata", s.name+"."+locale+".txt.golden"), "Subject: "+got.Subject+"\n\n"+got.Text)
				if slices.Contains([]string{"find_reviewer_request", "review_removed_agent", "appeal_decided_business_reversed"}, s.name) {
					golden(t, filepath.Join("testdata", s.name+"."+locale+".html.golden"), got.HTML)
				}
			})
		}
	}
}

// golden compares got with the file at path, or rewrites it with -update.
func golden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read golden file (run go test -update to write it): %v", err)
	}
	if got != string(want) {
		t.Errorf("output differs from %s (run go test -update and review the diff):\ngot:\n%s", path, got)
	}
}

// TestAppealOutcomes checks that every outcome reaches the people it
// concerns with what it means for them, in every locale: the appellant
// reads the facts, that the decision is final within Candor and the
// out-of-court redress; the other party reads only what happens to the
// review; the business gets the link to its report, the reviewer none.
func TestAppealOutcomes(t *testing.T) {
	l := testLinks(t)
	r := NewRenderer(l)
	report := l.ReportLink("rpt_1")
	facts := "The receipt is from another café."
	base := AppealDecided{BusinessName: "Acme Coffee", ReviewTitle: "Cold coffee", DecidedAt: decided}
	with := func(appellant string, toAppellant bool, outcome string) AppealDecided {
		m := base
		m.Appellant, m.ToAppellant, m.Outcome = appellant, toAppellant, outcome
		if toAppellant {
			m.Facts = facts
		}
		if appellant == AppellantBusiness && toAppellant {
			m.ReportURL = report
		}
		return m
	}
	tests := []struct {
		name       string
		msg        Message
		final      bool // the email says the decision is final and names the redress outside Candor
		toBusiness bool
		en         []string // what the English email says
	}{
		{"reviewer's appeal upheld", with(AppellantReviewer, true, AppealUpheld), true, false,
			[]string{"Decision on your appeal: your review of Acme Coffee stays removed", "upheld it: the review stays removed"}},
		{"business's appeal upheld", with(AppellantBusiness, true, AppealUpheld), true, true,
			[]string{"Decision on your appeal about a review of Acme Coffee", "upheld it: the review stays online"}},
		{"business's appeal upheld, to the reviewer", with(AppellantBusiness, false, AppealUpheld), false, false,
			[]string{"Your review of Acme Coffee stays online", "Acme Coffee appealed against our decision to publish your review “Cold coffee” again", "rejected the appeal: your review stays online", "You do not need to do anything."}},
		{"business's appeal reversed", with(AppellantBusiness, true, AppealReversed), true, true,
			[]string{"Decision on your appeal about a review of Acme Coffee", "reversed it: the review has been removed from Candor"}},
		{"reinstated, to the reviewer", ReviewReinstatedForReviewer{BusinessName: "Acme Coffee", ReviewTitle: "Cold coffee"}, false, false,
			[]string{"Your review of Acme Coffee is online again", "the report by Acme Coffee on your review “Cold coffee”", "Acme Coffee can appeal against this decision"}},
		{"reinstated on appeal, to the reviewer", ReviewReinstatedForReviewer{BusinessName: "Acme Coffee", ReviewTitle: "Cold coffee", OnAppeal: true}, false, false,
			[]string{"You appealed against our decision to remove your review “Cold coffee” of Acme Coffee", "who was not involved in that decision", "reversed it: your review is public again"}},
		{"reinstated on appeal, to the business", ReviewReinstated{BusinessName: "Acme Coffee", ReviewTitle: "Cold coffee", ReportURL: report, OnAppeal: true}, true, true,
			[]string{"we had removed it. Its author appealed against that decision", "who was not involved in it", "reversed it: the review has been published again"}},
	}
	for _, tt := range tests {
		for _, locale := range Locales() {
			t.Run(tt.name+"/"+locale, func(t *testing.T) {
				got, err := r.Render(locale, tt.msg)
				if err != nil {
					t.Fatalf("Render: %v", err)
				}
				c := catalogues.For(locale)
				all := got.Subject + "\n" + got.Text
				says := func(s string, want bool) {
					t.Helper()
					if strings.Contains(all, s) != want {
						t.Errorf("email says %q: %v, want %v:\n%s", s, !want, want, all)
					}
				}
				if locale == "en" {
					for _, s := range tt.en {
						says(s, true)
					}
				}
				says(dateFor(locale, "", decided), tt.msg.Name() == "appeal_decided")
				// Redress is named to the appellant; a decision on appeal is final.
				says(c.OutOfCourt, tt.final)
				says(c.Final(brand.DefaultName), tt.final)
				says("> "+facts, tt.final && tt.msg.Name() == "appeal_decided")
				says(report, tt.toBusiness)
				says(c.FooterBusiness(brand.DefaultName), tt.toBusiness)
				says(c.FooterReviewer(brand.DefaultName), !tt.toBusiness)
				says("/r/", false)
			})
		}
	}
}

// TestBusinessEmailsCarryNoReviewerData checks that no email to a business
// can show the reviewer's personal data: its message has no field for it,
// only the review's title, the business's own name, the agent's facts, the
// business's links, codes, flags and dates (P12).
func TestBusinessEmailsCarryNoReviewerData(t *testing.T) {
	allowed := []string{"ReviewTitle", "BusinessName", "Facts", "RequestURL", "ReportURL", "CanRemind", "OnAppeal", "AppealDeadline",
		"Appellant", "ToAppellant", "Outcome", "DecidedAt", "TimeZone"}
	for _, msg := range []Message{ReviewerReplied{}, RequestExpired{}, ReviewReinstated{}, AppealDecided{}} {
		typ := reflect.TypeOf(msg)
		for i := range typ.NumField() {
			if f := typ.Field(i).Name; !slices.Contains(allowed, f) {
				t.Errorf("%s, which goes to a business, has field %s: is it the reviewer's data?", msg.Name(), f)
			}
		}
	}
}
