package ses

import (
	"bytes"
	"encoding/json"
	"html/template"
	"net/http"
	"net/mail"
	"slices"
	"strings"
	"time"
)

// MailboxCSP is the Content-Security-Policy of the mailbox page: nothing
// loads, nothing runs, only inline styles apply. The HTML parts of messages,
// shown in sandboxed srcdoc frames, inherit it.
const MailboxCSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'"

// MailboxPage serves GET /_local/mail: an HTML page, readable on a phone and
// needing no JavaScript, listing the messages newest first (only those to
// one address with ?to=) with sender, recipients, subject, sent time, each
// link as an anchor, the text part as escaped preformatted text, and the
// HTML part both rendered in a sandboxed frame (no scripts, no same origin,
// no network under the page's CSP) and as escaped source.
func (o *Outbox) MailboxPage() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !readOnly(w, r) {
			return
		}
		to := strings.TrimSpace(r.URL.Query().Get("to"))
		var buf bytes.Buffer
		err := mailboxTemplate.Execute(&buf, mailboxView{To: to, Messages: o.newestFirst(to)})
		if err != nil { // only a bug in the template gets here
			http.Error(w, "render mailbox: "+err.Error(), http.StatusInternalServerError)
			return
		}
		h := w.Header()
		h.Set("Content-Type", "text/html; charset=utf-8")
		h.Set("Content-Security-Policy", MailboxCSP)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Cache-Control", "no-store")
		w.Write(buf.Bytes())
	})
}

// MailboxJSON serves GET /_local/mail.json: {"items": [Message, …]}, newest
// first, only the messages to one address (To, Cc or Bcc, compared
// case-insensitively) with ?to=<address>.
func (o *Outbox) MailboxJSON() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !readOnly(w, r) {
			return
		}
		items := o.newestFirst(strings.TrimSpace(r.URL.Query().Get("to")))
		body, err := json.Marshal(struct {
			Items []Message `json:"items"`
		}{items})
		if err != nil { // Message always marshals
			http.Error(w, `{"error":{"code":"internal","message":"encode mailbox"}}`, http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "no-store")
		w.Write(append(body, '\n'))
	})
}

// newestFirst returns the messages, newest first, to the address to if it
// is not empty.
func (o *Outbox) newestFirst(to string) []Message {
	all := o.Messages()
	out := make([]Message, 0, len(all))
	for _, m := range slices.Backward(all) {
		if to == "" || m.matchesRecipient(to) {
			out = append(out, m)
		}
	}
	return out
}

// readOnly answers 405 to anything but GET and HEAD.
func readOnly(w http.ResponseWriter, r *http.Request) bool {
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		return true
	}
	w.Header().Set("Allow", "GET, HEAD")
	http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
	return false
}

// displayAddresses joins addresses for reading, with their display names
// decoded from RFC 2047 ("=?utf-8?q?=C3=85sa?= <a@x>" shows as "Åsa <a@x>").
func displayAddresses(list []string) string {
	out := make([]string, 0, len(list))
	for _, a := range list {
		if p, err := mail.ParseAddress(a); err == nil && p.Name != "" {
			a = p.Name + " <" + p.Address + ">"
		}
		out = append(out, a)
	}
	return strings.Join(out, ", ")
}

type mailboxView struct {
	To       string
	Messages []Message
}

var mailboxTemplate = template.Must(template.New("mailbox").Funcs(template.FuncMap{
	"addrs":   func(s []string) string { return displayAddresses(s) },
	"list":    func(s string) []string { return []string{s} },
	"rfc3339": func(t time.Time) string { return t.UTC().Format(time.RFC3339) },
	"human":   func(t time.Time) string { return t.UTC().Format("Mon 2 Jan 2006 15:04:05 UTC") },
}).Parse(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Local mailbox{{if .To}} · {{.To}}{{end}}</title>
<style>
body{font:16px/1.5 system-ui,sans-serif;margin:0 auto;padding:1rem;max-width:48rem;color:#1b1b1b;background:#fafafa}
h1{font-size:1.4rem;margin:0 0 .5rem}
form{display:flex;gap:.5rem;flex-wrap:wrap;margin:0 0 1rem}
input{flex:1 1 12rem;font:inherit;padding:.4rem}
button{font:inherit;padding:.4rem .8rem}
article{background:#fff;border:1px solid #ddd;border-radius:6px;padding:1rem;margin:0 0 1rem;overflow-wrap:anywhere}
article h2{font-size:1.15rem;margin:0 0 .5rem}
dl{display:grid;grid-template-columns:auto 1fr;gap:.1rem .75rem;margin:0 0 .75rem;font-size:.9rem}
dt{color:#555}dd{margin:0}
h3{font-size:.95rem;margin:.75rem 0 .25rem;color:#555}
pre{white-space:pre-wrap;overflow-wrap:anywhere;background:#f3f3f3;padding:.5rem;margin:0;font-size:.9rem}
iframe{width:100%;height:20rem;border:1px solid #ddd;background:#fff}
ul{padding-left:1.2rem;margin:0}
.note,.empty{color:#555}
</style>
</head>
<body>
<h1>Local mailbox</h1>
<form method="get" action="">
<input type="email" name="to" value="{{.To}}" placeholder="only mail to…" aria-label="Recipient address">
<button type="submit">Filter</button>{{if .To}} <a href="?">Show all</a>{{end}}
</form>
<p class="note">{{len .Messages}} message{{if ne (len .Messages) 1}}s{{end}}{{if .To}} to {{.To}}{{end}}, newest first.</p>
{{range .Messages}}<article id="{{.ID}}">
<h2>{{.Subject}}</h2>
<dl>
<dt>From</dt><dd>{{addrs (list .From)}}</dd>
<dt>To</dt><dd>{{addrs .To}}</dd>
{{if .Cc}}<dt>Cc</dt><dd>{{addrs .Cc}}</dd>
{{end}}{{if .Bcc}}<dt>Bcc</dt><dd>{{addrs .Bcc}}</dd>
{{end}}<dt>Sent</dt><dd><time datetime="{{rfc3339 .SentAt}}">{{human .SentAt}}</time></dd>
<dt>Id</dt><dd>{{.ID}}</dd>
</dl>
{{if .Links}}<h3>Links</h3>
<ul>{{range .Links}}<li><a href="{{.}}" rel="noreferrer">{{.}}</a></li>{{end}}</ul>
{{end}}{{if .Text}}<h3>Text</h3>
<pre>{{.Text}}</pre>
{{end}}{{if .HTML}}<h3>HTML</h3>
<iframe sandbox="" srcdoc="{{.HTML}}" title="HTML part" referrerpolicy="no-referrer"></iframe>
<details><summary>HTML source</summary><pre>{{.HTML}}</pre></details>
{{end}}</article>
{{else}}<p class="empty">No mail yet.</p>
{{end}}</body>
</html>
`))
