package api

import (
	"html"
	"io"
	"net/http"
	"strings"

	"github.com/candorhq/candor/shared/app"
	"github.com/candorhq/candor/shared/httpapi"
	"github.com/candorhq/candor/shared/moderation"
)

// The one-click unsubscribe of the reply emails (RFC 8058): the emails'
// List-Unsubscribe header and their "stop" button point at
// /v1/public/unsubscribe/{token}. A
// GET shows a page with one button and changes nothing (mail scanners open
// links); a POST — the mail client's one click, with the body
// "List-Unsubscribe=One-Click", or the page's button — stops the reply
// emails to the reviewer and says so. Only those: the emails a process
// requires still go. The pages are plain HTML without scripts or styles.

// unsubscribeTexts are the page's words in one language.
type unsubscribeTexts struct {
	Lang, Title, Ask, Button, Done, Gone, Unknown string
}

var unsubscribeCatalog = map[string]unsubscribeTexts{
	moderation.LocaleEN: {"en", "Emails about replies", "Stop the emails that tell you when a business replies to your review? You will still get the emails about reports and requests concerning your review.",
		"Stop emails about replies", "Done: you will get no more emails about replies to your reviews.", "This link has expired.", "This link is not valid."},
	moderation.LocaleSV: {"sv", "E-post om svar", "Vill du stoppa e-posten som berättar när ett företag svarar på ditt omdöme? E-post om anmälningar och förfrågningar om ditt omdöme får du fortfarande.",
		"Stoppa e-post om svar", "Klart: du får ingen mer e-post om svar på dina omdömen.", "Länken har slutat gälla.", "Länken är inte giltig."},
	moderation.LocaleDE: {"de", "E-Mails zu Antworten", "Möchten Sie die E-Mails abbestellen, die Sie informieren, wenn ein Unternehmen auf Ihre Bewertung antwortet? E-Mails zu Meldungen und Anfragen zu Ihrer Bewertung erhalten Sie weiterhin.",
		"E-Mails zu Antworten abbestellen", "Erledigt: Sie erhalten keine E-Mails zu Antworten auf Ihre Bewertungen mehr.", "Dieser Link ist abgelaufen.", "Dieser Link ist nicht gültig."},
}

// renderUnsubscribe writes the page in plain Go (text/template and
// html/template would make the linker keep every SDK operation): every text
// is escaped.
func renderUnsubscribe(t unsubscribeTexts, message string) string {
	var b strings.Builder
	esc := html.EscapeString
	b.WriteString(`<!doctype html>` + "\n" + `<html lang="` + esc(t.Lang) + `"><head><meta charset="utf-8">`)
	b.WriteString(`<meta name="viewport" content="width=device-width, initial-scale=1"><title>` + esc(t.Title) + `</title></head>` + "\n")
	b.WriteString(`<body><main><h1>` + esc(t.Title) + `</h1>` + "\n")
	if message != "" {
		b.WriteString(`<p>` + esc(message) + `</p>`)
	} else {
		b.WriteString(`<p>` + esc(t.Ask) + `</p>` + "\n")
		b.WriteString(`<form method="post"><input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit">` + esc(t.Button) + `</button></form>`)
	}
	b.WriteString("\n</main></body></html>\n")
	return b.String()
}

// unsubscribeGet shows the unsubscribe page of a token.
func (a *API) unsubscribeGet(w http.ResponseWriter, r *http.Request, _ httpapi.Principal) {
	l, err := a.app.ReplyEmailsPage(r.Context(), r.PathValue("token"))
	a.unsubscribeAnswer(w, r, l, err, false)
}

// unsubscribePost stops the reply emails of a token's reviewer.
func (a *API) unsubscribePost(w http.ResponseWriter, r *http.Request, _ httpapi.Principal) {
	l, err := a.app.StopReplyEmails(r.Context(), r.PathValue("token"))
	a.unsubscribeAnswer(w, r, l, err, true)
}

func (a *API) unsubscribeAnswer(w http.ResponseWriter, r *http.Request, l app.ReplyEmailsLink, err error, done bool) {
	t, ok := unsubscribeCatalog[l.Locale]
	if !ok {
		t = unsubscribeCatalog[moderation.LocaleEN]
	}
	status, msg := http.StatusOK, ""
	switch moderation.KindOf(err) {
	case 0:
		if err != nil {
			a.log.ErrorContext(r.Context(), "unsubscribe", "err", err)
			httpapi.WriteError(w, r, err)
			return
		}
		if done {
			msg = t.Done
		}
	case moderation.KindGone:
		status, msg = http.StatusGone, t.Gone
	default:
		status, msg = http.StatusNotFound, t.Unknown
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Security-Policy", "default-src 'none'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
	h.Set("Cache-Control", "no-store")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, renderUnsubscribe(t, msg))
}
