package reviewerpage

import (
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/candorhq/candor/shared/links"
)

func TestGetShowsTheFormOfEachPurposeInEachLocale(t *testing.T) {
	// The deadline in UTC, on the line under the one in the reviewer's zone
	// (the locale's usual one here: London, Stockholm, Berlin).
	deadlines := map[string]string{
		"en": "That is 15 March 2026, 09:30 UTC.",
		"sv": "Det motsvarar 15 mars 2026 kl. 09:30 UTC.",
		"de": "Das entspricht 15. März 2026, 09:30 Uhr UTC.",
	}
	// What a reviewer must read on each page, written independently of the catalogs.
	wants := map[links.Purpose]map[string][]string{
		links.PurposeFindReviewerReply: {
			"en": {"Acme Shop has a question for you", "Message from Acme Shop", "We don't share your email address with Acme Shop",
				"is passed on to Acme Shop", "You can answer until 15 March 2026, 09:30 GMT.", "Send answer"},
			"sv": {"Acme Shop har en fråga till dig", "Meddelande från Acme Shop", "Vi delar inte din e-postadress med Acme Shop",
				"skickas vidare till Acme Shop", "Du kan svara fram till 15 mars 2026 kl. 10:30 CET.", "Skicka svar"},
			"de": {"Acme Shop hat eine Frage an Sie", "Nachricht von Acme Shop", "Wir geben Ihre E-Mail-Adresse nicht an Acme Shop weiter",
				"leiten wir unverändert an Acme Shop weiter", "Sie können bis zum 15. März 2026, 10:30 Uhr CET antworten.", "Antwort senden"},
		},
		links.PurposeProof: {
			"en": {"reported your review", "not based on a genuine buying or service experience", "order, booking or invoice number",
				"Only our compliance team reads what you send. It is not shared with Acme Shop.", "your review will be removed", "Send proof"},
			"sv": {"har rapporterat ditt omdöme", "äkta köp- eller serviceupplevelse", "order-, boknings- eller fakturanummer",
				"bara vårt Compliance-team som läser", "tas ditt omdöme bort", "Skicka underlag"},
			"de": {"hat Ihre Bewertung gemeldet", "echten Kauf- oder Serviceerfahrung", "Bestell-, Buchungs- oder Rechnungsnummer",
				"liest nur unser Compliance-Team", "wird Ihre Bewertung entfernt", "Nachweis senden"},
		},
		links.PurposeEvidence: {
			"en": {"Our compliance team needs more information", "Message from our compliance team", "Please tell us when you visited the shop.",
				"goes to our compliance team, not to Acme Shop", "Please answer by 15 March 2026, 09:30 GMT."},
			"sv": {"Vårt Compliance-team behöver mer information", "Meddelande från vårt Compliance-team", "Please tell us when you visited the shop.",
				"inte till Acme Shop", "Svara senast 15 mars 2026 kl. 10:30 CET."},
			"de": {"Unser Compliance-Team benötigt weitere Informationen", "Nachricht von unserem Compliance-Team", "Please tell us when you visited the shop.",
				"nicht an Acme Shop", "Bitte antworten Sie bis zum 15. März 2026, 10:30 Uhr CET."},
		},
		links.PurposeEdit: {
			"en": {"Please edit your review", "Message from our compliance team", "remove the employee's full name", "Title (optional)", "Your rating", "Send changes"},
			"sv": {"Redigera ditt omdöme", "Meddelande från vårt Compliance-team", "remove the employee's full name", "Rubrik (valfri)", "Ditt betyg", "Skicka ändringar"},
			"de": {"Bitte bearbeiten Sie Ihre Bewertung", "Nachricht von unserem Compliance-Team", "remove the employee's full name", "Titel (optional)", "Ihre Sternebewertung", "Änderungen senden"},
		},
		links.PurposeAppeal: {
			"en": {"Appeal the removal of your review", "We removed your review after Acme Shop reported it", "you can appeal it here",
				"A person on our compliance team who was not involved in the decision", "let you know the result by email",
				"Your reasons for appealing", "what you think was wrong with our decision", "any facts",
				"You can appeal until 15 March 2026, 09:30 GMT.", "not to Acme Shop", "Send appeal"},
			"sv": {"Överklaga beslutet att ta bort ditt omdöme", "Vi har tagit bort ditt omdöme efter att Acme Shop rapporterade det", "kan du överklaga det här",
				"En person i vårt Compliance-team som inte var med och fattade beslutet", "meddelar dig resultatet via e-post",
				"Dina skäl för överklagandet", "vad du anser var fel med vårt beslut",
				"Du kan överklaga fram till 15 mars 2026 kl. 10:30 CET.", "inte till Acme Shop", "Skicka överklagande"},
			"de": {"Widerspruch gegen die Entfernung Ihrer Bewertung", "Wir haben Ihre Bewertung entfernt, nachdem Acme Shop sie gemeldet hatte", "können Sie hier Widerspruch einlegen",
				"eine Person aus unserem Compliance-Team, die an der Entscheidung nicht beteiligt war", "Das Ergebnis teilen wir Ihnen per E-Mail mit.",
				"Begründung Ihres Widerspruchs", "was an unserer Entscheidung Ihrer Ansicht nach falsch war",
				"Sie können bis zum 15. März 2026, 10:30 Uhr CET Widerspruch einlegen.", "nicht an Acme Shop", "Widerspruch senden"},
		},
		links.PurposeReportReply: {
			"en": {"Report the reply of Acme Shop", "The reply of Acme Shop", "What is wrong with the reply?", "It threatens me or uses aggressive language",
				"name=\"reason\"", "Anything you want to add (optional)", "not to Acme Shop", "Report the reply"},
			"sv": {"Anmäl svaret från Acme Shop", "Svaret från Acme Shop", "Vad är fel med svaret?", "Det hotar mig eller använder aggressivt språk",
				"name=\"reason\"", "Något du vill lägga till (frivilligt)", "inte till Acme Shop", "Anmäl svaret"},
			"de": {"Antwort von Acme Shop melden", "Die Antwort von Acme Shop", "Was stimmt mit der Antwort nicht?", "Sie bedroht mich oder verwendet aggressive Sprache",
				"name=\"reason\"", "Möchten Sie etwas ergänzen? (freiwillig)", "nicht an Acme Shop", "Antwort melden"},
		},
	}
	if len(wants) != len(allPurposes) {
		t.Fatalf("the table covers %d purposes, want all %d", len(wants), len(allPurposes))
	}
	for purpose, byLocale := range wants {
		for _, loc := range []string{"en", "sv", "de"} {
			t.Run(string(purpose)+"/"+loc, func(t *testing.T) {
				fb := newFake()
				tok := fb.add(t, openView(purpose, loc))
				w := serve(testHandler(fb, nil), get("/r/"+tok))

				checkStatus(t, w, http.StatusOK)
				checkPageSafety(t, w)
				if got := pageLang(w); got != loc {
					t.Errorf("lang = %q, want %q", got, loc)
				}
				if got := w.Header().Get("Content-Language"); got != loc {
					t.Errorf("Content-Language = %q, want %q", got, loc)
				}
				checkContains(t, w, byLocale[loc]...)
				checkContains(t, w, deadlines[loc])
				checkRawContains(t, w, `<form method="post" accept-charset="UTF-8">`, `<button type="submit">`)
				if purpose == links.PurposeEdit {
					checkRawContains(t, w,
						`name="title" value="Late delivery" data-max="200"`,
						`name="text" rows="12" data-max="10000" required`,
						"The parcel came two weeks late.\nNobody answered my emails.</textarea>",
						`id="stars-2" name="stars" value="2" checked required`,
						`id="stars-5" name="stars" value="5" required`)
					if strings.Contains(w.Body.String(), `name="reply"`) {
						t.Error("edit form has a reply field")
					}
				} else if purpose == links.PurposeReportReply {
					// The details are optional; the reason is the required choice.
					checkRawContains(t, w, `name="reply" rows="4" data-max="1000" aria-describedby`, `id="reason-personal_data" name="reason" value="personal_data" required`)
					checkContains(t, w, "Late delivery", "The parcel came two weeks late.\nNobody answered my emails.", "★★☆☆☆")
				} else {
					checkRawContains(t, w, `name="reply" rows="8" data-max="2000" required`)
					// The review is shown as context, with its stars.
					checkContains(t, w, "Late delivery", "The parcel came two weeks late.\nNobody answered my emails.", "★★☆☆☆")
				}
				if strings.Contains(w.Body.String(), "maxlength") {
					t.Error("a field has a maxlength, which cuts pasted text without a word")
				}
				if got := strings.Contains(w.Body.String(), `class="message"`); got != hasMessage(purpose) {
					t.Errorf("page shows a message box: %v, want %v", got, hasMessage(purpose))
				}
				if n := fb.submitCount(); n != 0 {
					t.Errorf("GET called Submit %d times, want 0", n)
				}
			})
		}
	}
}

func TestGetUsesTheReviewersLocaleWithEnglishAsFallback(t *testing.T) {
	cases := []struct{ locale, wantLang, want string }{
		{"sv-SE", "sv", "Acme Shop har en fråga till dig"},
		{"de_AT", "de", "Acme Shop hat eine Frage an Sie"},
		{"fr", "en", "Acme Shop has a question for you"},
		{"", "en", "Acme Shop has a question for you"},
	}
	for _, tc := range cases {
		t.Run(tc.locale, func(t *testing.T) {
			fb := newFake()
			tok := fb.add(t, openView(links.PurposeFindReviewerReply, tc.locale))
			w := serve(testHandler(fb, nil), get("/r/"+tok))
			checkStatus(t, w, http.StatusOK)
			if got := pageLang(w); got != tc.wantLang {
				t.Errorf("lang = %q, want %q", got, tc.wantLang)
			}
			checkContains(t, w, tc.want)
		})
	}
}

func TestGetKeepsLineBreaksOfTheMessage(t *testing.T) {
	fb := newFake()
	tok := fb.add(t, openView(links.PurposeFindReviewerReply, "en"))
	w := serve(testHandler(fb, nil), get("/r/"+tok))
	checkRawContains(t, w, "<p class=\"text\">Hello, we cannot find your order.\nCould you send us your order number?</p>", "white-space:pre-wrap")
}

// TestTheBusinessesWordsCarryNoFollowableAddress: an address in the
// business's name or message — with a scheme, scheme-relative or bare — is
// shown defanged, as the emails show it.
func TestTheBusinessesWordsCarryNoFollowableAddress(t *testing.T) {
	fb := newFake()
	v := openView(links.PurposeFindReviewerReply, "en")
	v.BusinessName = "shop.example"
	v.Message = "Confirm at secure-login.example/verify or //evil.example/x or HTTPS:/evil.example"
	tok := fb.add(t, v)
	w := serve(testHandler(fb, nil), get("/r/"+tok))
	checkStatus(t, w, http.StatusOK)
	checkContains(t, w, "secure-login[.]example/verify", "//evil[.]example/x", "HXXPS:/evil[.]example", "shop[.]example")
	for _, raw := range []string{"secure-login.example", "//evil.example", "HTTPS:/evil.example", "shop.example"} {
		if strings.Contains(w.Body.String(), raw) {
			t.Errorf("the page shows %q as the business wrote it", raw)
		}
	}
}

func TestLinksThatCannotBeAnsweredGetAClearPage(t *testing.T) {
	valid, _, _ := links.New()
	type setup func(fb *fakeBackend, t *testing.T) string
	withPurpose := func(purpose links.Purpose, locale string, mod func(*View)) setup {
		return func(fb *fakeBackend, t *testing.T) string {
			v := openView(purpose, locale)
			mod(&v)
			return fb.add(t, v)
		}
	}
	withView := func(mod func(*View)) setup { return withPurpose(links.PurposeFindReviewerReply, "en", mod) }
	used := func(v *View) { v.State = StateUsed }
	expired := func(v *View) { v.State = StateExpired }
	fixed := func(path string) setup { return func(*fakeBackend, *testing.T) string { return path } }
	cases := []struct {
		name       string
		path       setup // returns the token
		wantStatus int
		wantLookup bool
		wants      []string
	}{
		{"malformed: short", fixed("abc"), http.StatusNotFound, false, []string{"This link is not valid", "complete link"}},
		{"malformed: bad alphabet", fixed(strings.Repeat("+", 43)), http.StatusNotFound, false, []string{"This link is not valid"}},
		{"malformed: too long", fixed(valid + "x"), http.StatusNotFound, false, []string{"This link is not valid"}},
		{"unknown", fixed(valid), http.StatusNotFound, true, []string{"This link is not valid"}},
		{"used", withView(func(v *View) { v.State = StateUsed }), http.StatusGone, true,
			[]string{"We already have your answer", "nothing more you need to do", "we've kept your first answer"}},
		{"expired", withView(func(v *View) { v.State = StateExpired }), http.StatusGone, true,
			[]string{"This link has expired", "The time to answer ended on 15 March 2026, 09:30 GMT"}},
		{"expired without a deadline", withView(func(v *View) { v.State = StateExpired; v.Deadline = time.Time{} }), http.StatusGone, true,
			[]string{"This link has expired", "The time to answer has ended"}},
		{"open but past its deadline", withView(func(v *View) { v.Deadline = testNow.Add(-time.Minute) }), http.StatusGone, true,
			[]string{"This link has expired", "ended on 10 March 2026, 09:29 GMT"}},
		{"open at its very deadline", withView(func(v *View) { v.Deadline = testNow }), http.StatusGone, true,
			[]string{"This link has expired"}},
		{"unknown state", withView(func(v *View) { v.State = "paused" }), http.StatusGone, true,
			[]string{"This link has expired"}},
		// An appeal's pages speak of the appeal and its period.
		{"appeal used", withPurpose(links.PurposeAppeal, "en", used), http.StatusGone, true,
			[]string{"We already have your appeal", "already received an appeal through this link", "we've kept your first appeal"}},
		{"appeal used, Swedish", withPurpose(links.PurposeAppeal, "sv", used), http.StatusGone, true,
			[]string{"Vi har redan fått ditt överklagande", "du behöver inte göra något mer", "vi har behållit ditt första överklagande"}},
		{"appeal used, German", withPurpose(links.PurposeAppeal, "de", used), http.StatusGone, true,
			[]string{"Ihr Widerspruch liegt uns bereits vor", "bereits einen Widerspruch erhalten", "Ihr erster Widerspruch bleibt bestehen"}},
		{"appeal expired", withPurpose(links.PurposeAppeal, "en", expired), http.StatusGone, true,
			[]string{"The appeal period has closed", "The time to appeal ended on 15 March 2026, 09:30 GMT", "your review stays removed"}},
		{"appeal expired without a deadline, Swedish", withPurpose(links.PurposeAppeal, "sv", func(v *View) { v.State = StateExpired; v.Deadline = time.Time{} }), http.StatusGone, true,
			[]string{"Överklagandetiden har gått ut", "Tiden för att överklaga har gått ut", "Beslutet står fast och ditt omdöme förblir borttaget."}},
		{"appeal open but past its deadline, German", withPurpose(links.PurposeAppeal, "de", func(v *View) { v.Deadline = testNow.Add(-time.Minute) }), http.StatusGone, true,
			[]string{"Die Widerspruchsfrist ist abgelaufen", "ist am 10. März 2026, 10:29 Uhr CET abgelaufen", "Ihre Bewertung wird nicht wieder veröffentlicht"}},
	}
	for _, tc := range cases {
		for _, method := range []string{http.MethodGet, http.MethodPost} {
			t.Run(tc.name+"/"+method, func(t *testing.T) {
				fb := newFake()
				tok := tc.path(fb, t)
				rq := get("/r/" + tok)
				if method == http.MethodPost {
					rq = postForm("/r/"+tok, "reply=Order+123")
				}
				w := serve(testHandler(fb, nil), rq)
				checkStatus(t, w, tc.wantStatus)
				checkPageSafety(t, w)
				checkContains(t, w, tc.wants...)
				if got := fb.viewCalls > 0; got != tc.wantLookup {
					t.Errorf("looked the link up: %v, want %v", got, tc.wantLookup)
				}
				if n := fb.submitCount(); n != 0 {
					t.Errorf("Submit called %d times, want 0", n)
				}
			})
		}
	}
}

func TestPagesWithoutALinkFollowAcceptLanguage(t *testing.T) {
	cases := []struct{ accept, wantLang, want string }{
		{"de-DE,de;q=0.9,en;q=0.8", "de", "Dieser Link ist ungültig"},
		{"fr-FR,sv;q=0.5,en;q=0.4", "sv", "Länken är inte giltig"},
		{"en;q=0.2, de;q=0.7", "de", "Dieser Link ist ungültig"},
		{"sv;q=0, en", "en", "This link is not valid"},
		{"", "en", "This link is not valid"},
		{"*", "en", "This link is not valid"},
	}
	for _, tc := range cases {
		t.Run(tc.accept, func(t *testing.T) {
			rq := get("/r/not-a-token")
			rq.header = map[string]string{"Accept-Language": tc.accept}
			w := serve(testHandler(newFake(), nil), rq)
			checkStatus(t, w, http.StatusNotFound)
			if got := pageLang(w); got != tc.wantLang {
				t.Errorf("lang = %q, want %q", got, tc.wantLang)
			}
			checkContains(t, w, tc.want)
		})
	}
}

func TestOtherPathsAndMethods(t *testing.T) {
	fb := newFake()
	tok := fb.add(t, openView(links.PurposeFindReviewerReply, "en"))
	h := testHandler(fb, nil)
	cases := []struct {
		name       string
		rq         request
		wantStatus int
		wantAllow  string
		want       string
	}{
		{"PUT", request{method: http.MethodPut, path: "/r/" + tok}, http.StatusMethodNotAllowed, "GET, HEAD, POST", "Please open the link from the email."},
		{"DELETE", request{method: http.MethodDelete, path: "/r/" + tok}, http.StatusMethodNotAllowed, "GET, HEAD, POST", "This page can't do that"},
		{"no token", get("/r/"), http.StatusNotFound, "", "This link is not valid"},
		{"extra segment", get("/r/" + tok + "/x"), http.StatusNotFound, "", "This link is not valid"},
		{"another path", get("/v1/reviews"), http.StatusNotFound, "", "This link is not valid"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := serve(h, tc.rq)
			checkStatus(t, w, tc.wantStatus)
			checkPageSafety(t, w)
			checkContains(t, w, tc.want)
			if got := w.Header().Get("Allow"); got != tc.wantAllow {
				t.Errorf("Allow = %q, want %q", got, tc.wantAllow)
			}
		})
	}
	if n := fb.submitCount(); n != 0 {
		t.Errorf("Submit called %d times, want 0", n)
	}
}

func TestHeadShowsThePageWithoutSubmitting(t *testing.T) {
	fb := newFake()
	tok := fb.add(t, openView(links.PurposeProof, "en"))
	w := serve(testHandler(fb, nil), request{method: http.MethodHead, path: "/r/" + tok})
	checkStatus(t, w, http.StatusOK)
	if w.Body.Len() != 0 || !strings.HasPrefix(w.Header().Get("Content-Type"), "text/html") {
		t.Errorf("HEAD answered %d bytes of body with Content-Type %q, want none with the GET's text/html", w.Body.Len(), w.Header().Get("Content-Type"))
	}
	if n := fb.submitCount(); n != 0 {
		t.Errorf("HEAD called Submit %d times, want 0", n)
	}
}

func TestBackendFailureOnViewIsA500WithoutDetails(t *testing.T) {
	fb := newFake()
	fb.viewErr = errors.New("dynamodb: GetItem: connection refused to table candor-prod")
	tok, _, _ := links.New()
	w := serve(testHandler(fb, nil), get("/r/"+tok))
	checkStatus(t, w, http.StatusInternalServerError)
	checkPageSafety(t, w)
	checkContains(t, w, "Something went wrong", "try again in a few minutes")
	if strings.Contains(w.Body.String(), "dynamodb") || strings.Contains(w.Body.String(), "candor-prod") {
		t.Errorf("500 page leaks internal details:\n%s", w.Body.String())
	}
}

func TestAViewWithAnUnknownPurposeIsA500(t *testing.T) {
	fb := newFake()
	v := openView(links.PurposeProof, "en")
	v.Purpose = "vote"
	tok := fb.add(t, v)
	w := serve(testHandler(fb, nil), postForm("/r/"+tok, "reply=hello"))
	checkStatus(t, w, http.StatusInternalServerError)
	if n := fb.submitCount(); n != 0 {
		t.Errorf("Submit called %d times, want 0", n)
	}
}
