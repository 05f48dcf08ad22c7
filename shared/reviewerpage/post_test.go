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
	fb := newFake()
	tok := fb.add(t, openView(links.PurposeFindReviewerReply, "de"))
	h := testHandler(fb, nil)

	first := serve(h, postForm("/r/"+tok, "reply=first"))
	checkStatus(t, first, http.StatusOK)
	second := serve(h, postForm("/r/"+tok, "reply=second"))
	checkStatus(t, second, http.StatusGone)
	checkPageSafety(t, second)
	checkContains(t, second, "Ihre Antwort liegt uns bereits vor", "Ihre erste Antwort bleibt bestehen")
	if n := fb.submitCount(); n != 1 {
		t.Errorf("Submit called %d times, want 1 (the second POST finds the link used)", n)
	}
	// A GET afterwards says the same.
	again := serve(h, get("/r/"+tok))
	checkStatus(t, again, http.StatusGone)
	checkContains(t, again, "Ihre Antwort liegt uns bereits vor")
}

func TestPostMapsBackendOutcomes(t *testing.T) {
	cases := []struct {
		name       string
		err        error
		wantStatus int
		wants      []string
		keepsInput bool
	}{
		{"used", wrap(ErrUsed), http.StatusGone, []string{"We already have your answer"}, false},
		{"expired", wrap(ErrExpired), http.StatusGone, []string{"This link has expired", "ended on 15 March 2026, 09:30 UTC"}, false},
		{"not found", wrap(ErrNotFound), http.StatusNotFound, []string{"This link is not valid"}, false},
		{"domain not found", moderation.NotFound("request"), http.StatusNotFound, []string{"This link is not valid"}, false},
		{"invalid reply", moderation.Invalid(map[string]string{"reply": "must be at most 2000 characters"}), http.StatusUnprocessableEntity,
			[]string{"Please check the marked fields", "Please check what you entered"}, true},
		{"invalid without fields", moderation.Invalid(nil), http.StatusUnprocessableEntity,
			[]string{"Please check what you entered and send the form again."}, true},
		{"invalid other field", moderation.Invalid(map[string]string{"requestId": "unknown"}), http.StatusUnprocessableEntity,
			[]string{"Please check what you entered and send the form again."}, true},
		{"conflict", moderation.Conflict("request_closed", "closed"), http.StatusInternalServerError,
			[]string{"We couldn't send your answer just now", "what you wrote is still here"}, true},
		{"store failure", errors.New("dynamodb: TransactWriteItems: throttled"), http.StatusInternalServerError,
			[]string{"We couldn't send your answer just now", "what you wrote is still here"}, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fb := newFake()
			fb.submitErr = tc.err
			tok := fb.add(t, openView(links.PurposeFindReviewerReply, "en"))
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
