package reviewerpage

import (
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/candorhq/candor/shared/links"
	"github.com/candorhq/candor/shared/moderation"
)

func TestPostSubmitsCleanInput(t *testing.T) {
	// 999 lines of "é" and "éé": 2000 characters once each CRLF is one line
	// break, as the browser's maxlength counts them, but 2998 as sent.
	fullReply := strings.Repeat("é\r\n", 999) + "éé"
	cases := []struct {
		name    string
		purpose links.Purpose
		locale  string
		form    url.Values
		want    Submission
		wants   []string
	}{
		{"find reviewer reply", links.PurposeFindReviewerReply, "en",
			url.Values{"reply": {"  Order #123\r\nBought on 2 March.  \r\n"}},
			Submission{Text: "Order #123\nBought on 2 March."},
			[]string{"Thank you for your answer", "We've passed your answer on to Acme Shop. Your email address stays private."}},
		{"reply of 2000 characters with CRLF line breaks", links.PurposeFindReviewerReply, "sv",
			url.Values{"reply": {fullReply}},
			Submission{Text: strings.ReplaceAll(fullReply, "\r\n", "\n")},
			[]string{"Tack för ditt svar", "Vi har skickat ditt svar vidare till Acme Shop."}},
		{"proof", links.PurposeProof, "de",
			url.Values{"reply": {"Rechnung 2026-0042 vom 3. März"}, "ignored": {"x"}},
			Submission{Text: "Rechnung 2026-0042 vom 3. März"},
			[]string{"Vielen Dank, wir haben Ihren Nachweis erhalten", "Unser Compliance-Team prüft ihn."}},
		{"evidence", links.PurposeEvidence, "en",
			url.Values{"reply": {"I visited on a Saturday."}},
			Submission{Text: "I visited on a Saturday."},
			[]string{"Thank you, we've received your answer"}},
		{"edit", links.PurposeEdit, "sv",
			url.Values{"title": {" Sen leverans "}, "text": {"Paketet kom två veckor för sent.\r\nKundtjänst svarade till slut."}, "stars": {"3"}},
			Submission{Title: "Sen leverans", Body: "Paketet kom två veckor för sent.\nKundtjänst svarade till slut.", Stars: 3},
			[]string{"Tack, vi har tagit emot dina ändringar"}},
		{"appeal", links.PurposeAppeal, "en",
			url.Values{"reply": {"\r\nMy order number was 4711.\r\nI can send the invoice.\r\n"}},
			Submission{Text: "My order number was 4711.\nI can send the invoice."},
			[]string{"Thank you, we've received your appeal", "A person on our compliance team who was not involved in the decision will consider it.",
				"We'll let you know the result by email."}},
		{"appeal of 2000 characters with CRLF line breaks", links.PurposeAppeal, "sv",
			url.Values{"reply": {fullReply}},
			Submission{Text: strings.ReplaceAll(fullReply, "\r\n", "\n")},
			[]string{"Tack, vi har tagit emot ditt överklagande", "som inte var med och fattade beslutet går igenom det", "resultatet via e-post"}},
		{"appeal in German", links.PurposeAppeal, "de",
			url.Values{"reply": {"Ich war am 3. März im Laden, Beleg Nr. 88."}},
			Submission{Text: "Ich war am 3. März im Laden, Beleg Nr. 88."},
			[]string{"Vielen Dank, wir haben Ihren Widerspruch erhalten", "die an der Entscheidung nicht beteiligt war, prüft ihn", "per E-Mail"}},
		{"edit without stars leaves them unchanged", links.PurposeEdit, "en",
			url.Values{"title": {""}, "text": {"Fine after all."}},
			Submission{Body: "Fine after all."},
			[]string{"Thank you, we've received your changes"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fb := newFake()
			tok := fb.add(t, openView(tc.purpose, tc.locale))
			w := serve(testHandler(fb, nil), postForm("/r/"+tok, tc.form.Encode()))
			checkStatus(t, w, http.StatusOK)
			checkPageSafety(t, w)
			checkContains(t, w, tc.wants...)
			if got := fb.lastSubmit(t); got != tc.want {
				t.Errorf("submitted %+v, want %+v", got, tc.want)
			}
			if strings.Contains(w.Body.String(), "<form") {
				t.Error("thank-you page still shows the form")
			}
		})
	}
}

func TestPostTwiceShowsAlreadyReceivedAndChangesNothing(t *testing.T) {
	cases := []struct {
		purpose links.Purpose
		locale  string
		wants   []string
	}{
		{links.PurposeFindReviewerReply, "de", []string{"Ihre Antwort liegt uns bereits vor", "Ihre erste Antwort bleibt bestehen"}},
		{links.PurposeAppeal, "en", []string{"We already have your appeal", "we've kept your first appeal"}},
		{links.PurposeAppeal, "sv", []string{"Vi har redan fått ditt överklagande", "vi har behållit ditt första överklagande"}},
		{links.PurposeAppeal, "de", []string{"Ihr Widerspruch liegt uns bereits vor", "Ihr erster Widerspruch bleibt bestehen"}},
	}
	for _, tc := range cases {
		t.Run(string(tc.purpose)+"/"+tc.locale, func(t *testing.T) {
			fb := newFake()
			tok := fb.add(t, openView(tc.purpose, tc.locale))
			h := testHandler(fb, nil)

			first := serve(h, postForm("/r/"+tok, "reply=first"))
			checkStatus(t, first, http.StatusOK)
			second := serve(h, postForm("/r/"+tok, "reply=second"))
			checkStatus(t, second, http.StatusGone)
			checkPageSafety(t, second)
			checkContains(t, second, tc.wants...)
			if n := fb.submitCount(); n != 1 {
				t.Errorf("Submit called %d times, want 1 (the second POST finds the link used)", n)
			}
			if got := fb.lastSubmit(t).Text; got != "first" {
				t.Errorf("submitted %q, want %q", got, "first")
			}
			// A GET afterwards says the same.
			again := serve(h, get("/r/"+tok))
			checkStatus(t, again, http.StatusGone)
			checkContains(t, again, tc.wants[0])
		})
	}
}

func TestPostMapsBackendOutcomes(t *testing.T) {
	const (
		reply  = links.PurposeFindReviewerReply
		appeal = links.PurposeAppeal
	)
	cases := []struct {
		name       string
		purpose    links.Purpose
		locale     string
		err        error
		wantStatus int
		wants      []string
		keepsInput bool
	}{
		{"used", reply, "en", wrap(ErrUsed), http.StatusGone, []string{"We already have your answer"}, false},
		{"expired", reply, "en", wrap(ErrExpired), http.StatusGone, []string{"This link has expired", "ended on 15 March 2026, 09:30 GMT"}, false},
		{"not found", reply, "en", wrap(ErrNotFound), http.StatusNotFound, []string{"This link is not valid"}, false},
		{"domain not found", reply, "en", moderation.NotFound("request"), http.StatusNotFound, []string{"This link is not valid"}, false},
		{"invalid reply", reply, "en", moderation.Invalid(map[string]string{"reply": "must be at most 2000 characters"}), http.StatusUnprocessableEntity,
			[]string{"Please check the marked fields", "Please check what you entered"}, true},
		{"invalid without fields", reply, "en", moderation.Invalid(nil), http.StatusUnprocessableEntity,
			[]string{"Please check what you entered and send the form again."}, true},
		{"invalid other field", reply, "en", moderation.Invalid(map[string]string{"requestId": "unknown"}), http.StatusUnprocessableEntity,
			[]string{"Please check what you entered and send the form again."}, true},
		{"conflict", reply, "en", moderation.Conflict("request_closed", "closed"), http.StatusInternalServerError,
			[]string{"We couldn't send your answer just now", "what you wrote is still here"}, true},
		{"store failure", reply, "en", errors.New("dynamodb: TransactWriteItems: throttled"), http.StatusInternalServerError,
			[]string{"We couldn't send your answer just now", "what you wrote is still here"}, true},
		{"appeal used", appeal, "en", wrap(ErrUsed), http.StatusGone, []string{"We already have your appeal"}, false},
		{"appeal expired", appeal, "en", wrap(ErrExpired), http.StatusGone,
			[]string{"The appeal period has closed", "The time to appeal ended on 15 March 2026, 09:30 GMT"}, false},
		{"appeal expired, Swedish", appeal, "sv", wrap(ErrExpired), http.StatusGone,
			[]string{"Överklagandetiden har gått ut", "gick ut den 15 mars 2026 kl. 10:30 CET"}, false},
		{"appeal expired, German", appeal, "de", wrap(ErrExpired), http.StatusGone,
			[]string{"Die Widerspruchsfrist ist abgelaufen", "am 15. März 2026, 10:30 Uhr CET abgelaufen"}, false},
		{"appeal not found", appeal, "en", wrap(ErrNotFound), http.StatusNotFound, []string{"This link is not valid"}, false},
		{"appeal invalid reply", appeal, "de", moderation.Invalid(map[string]string{"reply": "must be at most 2000 characters"}), http.StatusUnprocessableEntity,
			[]string{"Bitte prüfen Sie die markierten Felder", "Bitte prüfen Sie Ihre Eingaben"}, true},
		{"appeal store failure", appeal, "en", errors.New("dynamodb: TransactWriteItems: throttled"), http.StatusInternalServerError,
			[]string{"We couldn't send your appeal just now", "what you wrote is still here"}, true},
		{"appeal store failure, Swedish", appeal, "sv", errors.New("dynamodb: TransactWriteItems: throttled"), http.StatusInternalServerError,
			[]string{"Vi kunde inte skicka ditt överklagande just nu", "det du har skrivit finns kvar här"}, true},
		{"appeal store failure, German", appeal, "de", errors.New("dynamodb: TransactWriteItems: throttled"), http.StatusInternalServerError,
			[]string{"Wir konnten Ihren Widerspruch gerade nicht senden", "Ihr Text ist hier noch vorhanden"}, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fb := newFake()
			fb.submitErr = tc.err
			tok := fb.add(t, openView(tc.purpose, tc.locale))
			w := serve(testHandler(fb, nil), postForm("/r/"+tok, "reply=My+order+was+4711"))
			checkStatus(t, w, tc.wantStatus)
			checkPageSafety(t, w)
			checkContains(t, w, tc.wants...)
			hasForm := strings.Contains(w.Body.String(), `<textarea id="reply"`)
			if hasForm != tc.keepsInput {
				t.Errorf("page shows the form: %v, want %v", hasForm, tc.keepsInput)
			}
			if tc.keepsInput {
				checkContains(t, w, ">\nMy order was 4711</textarea>")
			}
			for _, leak := range []string{"dynamodb", "throttled", "request_closed", "must be at most"} {
				if strings.Contains(w.Body.String(), leak) {
					t.Errorf("page shows backend detail %q", leak)
				}
			}
		})
	}
}

func wrap(err error) error { return errors.Join(errors.New("store: submit"), err) }

func TestPostInvalidInputRerendersTheFormWith422(t *testing.T) {
	long := strings.Repeat("x", 2001)
	cases := []struct {
		name       string
		purpose    links.Purpose
		locale     string
		form       url.Values
		wants      []string // what the reader sees
		wantRaw    []string // the HTML that keeps the input and marks the field
		wantAbsent []string
	}{
		{"empty reply", links.PurposeFindReviewerReply, "en", url.Values{"reply": {" \r\n\t "}},
			[]string{"Please check the marked fields", "Please write your answer."},
			[]string{`aria-invalid="true"`, `aria-describedby="reply-hint reply-error"`}, nil},
		{"missing reply", links.PurposeProof, "sv", url.Values{},
			[]string{"Kontrollera de markerade fälten", "Skriv ditt svar."}, nil, nil},
		{"reply too long", links.PurposeEvidence, "de", url.Values{"reply": {long}},
			[]string{"Der Text hat 2.001 Zeichen, erlaubt sind höchstens 2.000."},
			[]string{">\n" + long + "</textarea>"}, nil},
		{"reply too long, Swedish grouping", links.PurposeFindReviewerReply, "sv", url.Values{"reply": {long}},
			[]string{"Texten har 2\u00a0001 tecken, men högst 2\u00a0000 är tillåtna."}, nil, nil},
		{"reply with a control character", links.PurposeFindReviewerReply, "en", url.Values{"reply": {"order\x00 123"}},
			[]string{"characters that can't be sent"}, nil, nil},
		{"reply not UTF-8", links.PurposeFindReviewerReply, "en", url.Values{"reply": {"order \xff"}},
			[]string{"characters that can't be sent"}, nil, nil},
		{"appeal: empty", links.PurposeAppeal, "en", url.Values{"reply": {"\r\n  "}},
			[]string{"Please check the marked fields", "Please tell us why you are appealing."},
			[]string{`aria-invalid="true"`, `aria-describedby="reply-hint reply-error"`},
			[]string{"Please write your answer."}},
		{"appeal: missing, Swedish", links.PurposeAppeal, "sv", url.Values{},
			[]string{"Kontrollera de markerade fälten", "Skriv varför du överklagar beslutet."}, nil, []string{"Skriv ditt svar."}},
		{"appeal: empty, German", links.PurposeAppeal, "de", url.Values{"reply": {" "}},
			[]string{"Bitte prüfen Sie die markierten Felder", "Bitte begründen Sie Ihren Widerspruch."}, nil, []string{"Bitte geben Sie Ihre Antwort ein."}},
		{"appeal: too long", links.PurposeAppeal, "en", url.Values{"reply": {long}},
			[]string{"This has 2,001 characters; at most 2,000 are allowed."},
			[]string{">\n" + long + "</textarea>", `name="reply" rows="8" data-max="2000" required`}, nil},
		{"appeal: control character, German", links.PurposeAppeal, "de", url.Values{"reply": {"Beleg\x1b 88"}},
			[]string{"Zeichen, die nicht gesendet werden können"}, nil, nil},
		{"edit: everything wrong", links.PurposeEdit, "en",
			url.Values{"title": {strings.Repeat("t", 201)}, "text": {"   "}, "stars": {"9"}},
			[]string{"This has 201 characters; at most 200 are allowed.", "Please write your review.", "Please choose from 1 to 5 stars."},
			[]string{`value="` + strings.Repeat("t", 201) + `"`, `id="stars-error"`},
			[]string{`name="stars" value="2" checked`}},
		{"edit: stars not a number", links.PurposeEdit, "de",
			url.Values{"title": {"Gut"}, "text": {"Alles gut."}, "stars": {"fünf"}},
			[]string{"Bitte wählen Sie 1 bis 5 Sterne."},
			[]string{`value="Gut"`, ">\nAlles gut.</textarea>"}, nil},
		{"edit: text too long keeps the other fields", links.PurposeEdit, "sv",
			url.Values{"title": {"Rubrik"}, "text": {strings.Repeat("å", 10001)}, "stars": {"4"}},
			[]string{"Texten har 10\u00a0001 tecken, men högst 10\u00a0000 är tillåtna."},
			[]string{`value="Rubrik"`, `name="stars" value="4" checked`}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fb := newFake()
			tok := fb.add(t, openView(tc.purpose, tc.locale))
			w := serve(testHandler(fb, nil), postForm("/r/"+tok, tc.form.Encode()))
			checkStatus(t, w, http.StatusUnprocessableEntity)
			checkPageSafety(t, w)
			if got := pageLang(w); got != tc.locale {
				t.Errorf("lang = %q, want %q", got, tc.locale)
			}
			checkContains(t, w, tc.wants...)
			checkRawContains(t, w, tc.wantRaw...)
			for _, s := range tc.wantAbsent {
				if strings.Contains(w.Body.String(), s) {
					t.Errorf("page contains %q", s)
				}
			}
			checkRawContains(t, w, "<form ")
			if n := fb.submitCount(); n != 0 {
				t.Errorf("invalid input reached Submit %d times", n)
			}
		})
	}
}

func TestPostRefusesOtherBodies(t *testing.T) {
	big := "reply=" + strings.Repeat("a", MaxBody)
	cases := []struct {
		name        string
		contentType string
		body        io.Reader
		wantStatus  int
		want        string
	}{
		{"JSON", "application/json", strings.NewReader(`{"reply":"hi"}`), http.StatusUnsupportedMediaType, "We couldn't read your answer"},
		{"multipart", "multipart/form-data; boundary=x", strings.NewReader("--x--"), http.StatusUnsupportedMediaType, "We couldn't read your answer"},
		{"no content type", "", strings.NewReader("reply=hi"), http.StatusUnsupportedMediaType, "We couldn't read your answer"},
		{"form in Latin-1", "application/x-www-form-urlencoded; charset=iso-8859-1", strings.NewReader("reply=hi"), http.StatusUnsupportedMediaType, "We couldn't read your answer"},
		{"too large, length known", "application/x-www-form-urlencoded", strings.NewReader(big), http.StatusRequestEntityTooLarge, "Your answer is too long"},
		{"too large, length unknown", "application/x-www-form-urlencoded", io.MultiReader(strings.NewReader(big)), http.StatusRequestEntityTooLarge, "Your answer is too long"},
		{"bad encoding", "application/x-www-form-urlencoded", strings.NewReader("reply=%zz"), http.StatusBadRequest, "We couldn't read your answer"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fb := newFake()
			tok := fb.add(t, openView(links.PurposeFindReviewerReply, "en"))
			rq := request{method: http.MethodPost, path: "/r/" + tok, body: tc.body, contentType: tc.contentType}
			w := serve(testHandler(fb, nil), rq)
			checkStatus(t, w, tc.wantStatus)
			checkPageSafety(t, w)
			checkContains(t, w, tc.want)
			if n := fb.submitCount(); n != 0 {
				t.Errorf("Submit called %d times, want 0", n)
			}
		})
	}
}

func TestPostAcceptsAFormDeclaringUTF8(t *testing.T) {
	fb := newFake()
	tok := fb.add(t, openView(links.PurposeProof, "en"))
	rq := postForm("/r/"+tok, "reply=receipt+77")
	rq.contentType = "application/x-www-form-urlencoded; charset=UTF-8"
	w := serve(testHandler(fb, nil), rq)
	checkStatus(t, w, http.StatusOK)
	if got := fb.lastSubmit(t).Text; got != "receipt 77" {
		t.Errorf("submitted %q, want %q", got, "receipt 77")
	}
}

func TestPostReadsOnlyTheBodyNotTheQuery(t *testing.T) {
	fb := newFake()
	tok := fb.add(t, openView(links.PurposeProof, "en"))
	w := serve(testHandler(fb, nil), postForm("/r/"+tok+"?reply=from+the+query", "reply="))
	checkStatus(t, w, http.StatusUnprocessableEntity)
	if n := fb.submitCount(); n != 0 {
		t.Errorf("Submit called %d times, want 0", n)
	}
}

// TestATableFailureOnSubmitKeepsTheReviewersWords: when the link cannot
// even be read as the reviewer submits (the table refuses), the 500 page
// gives back what they wrote in a form that sends it again, and says to
// try again in a few minutes — for an answer and for an edit.
func TestATableFailureOnSubmitKeepsTheReviewersWords(t *testing.T) {
	for _, tc := range []struct {
		name, body string
		want       []string
	}{
		{"answer", "reply=" + url.QueryEscape("My order number is 4711 <b>and</b> I paid in cash."), []string{"My order number is 4711 &lt;b&gt;and&lt;/b&gt; I paid in cash.", `name="reply"`}},
		{"edit", "title=Slow&text=" + url.QueryEscape("The parcel came two weeks late.") + "&stars=2", []string{"The parcel came two weeks late.", `name="text"`, `value="Slow"`, `value="2" checked`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fb := newFake()
			fb.viewErr = errors.New("dynamodb: ProvisionedThroughputExceededException")
			tok, _, _ := links.New()
			w := serve(testHandler(fb, nil), postForm("/r/"+tok, tc.body))
			checkStatus(t, w, http.StatusInternalServerError)
			checkPageSafety(t, w)
			checkContains(t, w, "try again in a few minutes", "Send again")
			checkRawContains(t, w, tc.want...)
			if !strings.Contains(w.Body.String(), `method="post"`) {
				t.Errorf("the page has no form to send the words again:\n%s", w.Body.String())
			}
			if strings.Contains(w.Body.String(), "dynamodb") {
				t.Error("the page leaks the failure's details")
			}
			if n := fb.submitCount(); n != 0 {
				t.Errorf("Submit called %d times without a link", n)
			}
		})
	}
}
