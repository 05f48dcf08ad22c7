package stack

import (
	"bytes"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"slices"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"

	"github.com/candorhq/candor/docs"
)

// pageCSP is the policy of the local stack's own pages: no script, nothing
// from outside, their own inline style.
const pageCSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"

// mountLanding adds the pages a newcomer starts from: / (what runs where),
// /_local/tokens (ready-to-copy demo tokens; /_local/tokens/{name} one of
// them as plain text, for scripts) and /docs/{name}.md (the guides).
func (s *Stack) mountLanding(mux *http.ServeMux) {
	mux.HandleFunc("GET /{$}", s.landing)
	mux.HandleFunc("GET /_local/tokens", s.tokensPage)
	mux.HandleFunc("GET /_local/tokens/{name}", s.tokenText)
	mux.HandleFunc("GET /docs/{name}", guidePage)
}

// guides lists the embedded docs/*.md by name.
func guides() []string {
	names, _ := fs.Glob(docs.Files, "*.md")
	return names
}

type demoToken struct{ Name, Var, Who, Token string }

// demoTokenList names a token for each demo identity, each under its own
// shell variable (the README's examples use them): the first business's is
// BUSINESS_TOKEN, another's is named for it (NORDIC_BIKES_TOKEN). With
// fresh, the tokens are minted now; else they are those of the start.
func (s *Stack) demoTokenList(fresh bool) []demoToken {
	d := s.Demo
	if d == nil {
		return nil
	}
	if fresh {
		d = demoTokens(s)
	}
	var out []demoToken
	for i, b := range d.Businesses {
		v := "BUSINESS_TOKEN"
		if i > 0 {
			v = strings.ToUpper(strings.ReplaceAll(b.ID, "-", "_")) + "_TOKEN"
		}
		out = append(out, demoToken{Name: b.ID, Var: v, Who: "business " + b.Name + " (" + b.ID + ")", Token: b.Token})
	}
	return append(out,
		demoToken{Name: "compliance", Var: "COMPLIANCE_TOKEN", Who: "compliance agent agent-ada", Token: d.Compliance},
		demoToken{Name: "platform", Var: "PLATFORM_TOKEN", Who: "the platform", Token: d.Platform},
	)
}

func (s *Stack) tokenText(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	list := s.demoTokenList(true)
	i := slices.IndexFunc(list, func(t demoToken) bool { return t.Name == name })
	if i < 0 {
		http.Error(w, "no demo token "+name+"; there are: "+strings.Join(tokenNames(list), ", "), http.StatusNotFound)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write([]byte(list[i].Token + "\n"))
}

func tokenNames(ts []demoToken) []string {
	var out []string
	for _, t := range ts {
		out = append(out, t.Name)
	}
	return out
}

var landingTmpl = template.Must(template.New("landing").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>{{.Title}} · Candor local stack</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;color:#1b1b1b}
a{color:#0b57d0}a:focus{outline:3px solid #f9a825;outline-offset:2px}code,pre{font:14px ui-monospace,monospace;background:#f3f3f3}
pre{padding:.6rem;overflow-x:auto;white-space:pre-wrap;word-break:break-all}dt{font-weight:600;margin-top:.6rem}dd{margin:0 0 0 1rem}
table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.25rem .5rem;text-align:left;vertical-align:top}</style></head>
<body><main>{{.Body}}</main></body></html>`))

func writePage(w http.ResponseWriter, status int, title string, body template.HTML) {
	var b bytes.Buffer
	if err := landingTmpl.Execute(&b, struct {
		Title string
		Body  template.HTML
	}{title, body}); err != nil {
		http.Error(w, "render: "+err.Error(), http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Security-Policy", pageCSP)
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	w.WriteHeader(status)
	_, _ = w.Write(b.Bytes())
}

var landingBody = template.Must(template.New("body").Parse(`<h1>Candor local stack</h1>
<p>The whole system on this machine: the HTTP API behind a local API Gateway, and DynamoDB, Step Functions, SES and S3
stand-ins on one AWS endpoint. Clock: {{.Now}}.</p>
<dl>
<dt><a href="/_local/tokens">Tokens</a></dt><dd>ready-to-copy tokens of the demo businesses, a compliance agent and the platform</dd>
<dt><a href="/console">Compliance console</a></dt><dd>sign in at the local identity provider as <code>agent.anna</code> or <code>agent.ben</code> (agents) or <code>business.bo</code> (not an agent), password <code>candor-demo</code></dd>
<dt><a href="/docs">API reference</a></dt><dd>every endpoint, its roles, bodies, statuses and errors (<a href="/openapi.yaml">openapi.yaml</a>)</dd>
<dt><a href="/_local/mail">Mailbox</a></dt><dd>every email sent; a reviewer's link in it opens the reviewer's page</dd>
<dt><a href="/_local/webhooks">Webhooks</a></dt><dd>every delivery, and what the demo receiver got</dd>
<dt><a href="/_local/clock">Clock</a></dt><dd><code>POST /_local/clock</code> with <code>{"advance": "72h"}</code> moves it on; reminders and windows fire at once</dd>
<dt><a href="/_local/faults">Faults</a></dt><dd>make the local AWS fail as AWS does</dd>
<dt>Business portal</dt><dd>the pages emails to a business link to: <code>/business/reports/{id}</code>, <code>/business/requests/{id}</code></dd>
<dt>AWS endpoint</dt><dd><code>{{.AWS}}</code>: <code>aws --endpoint-url {{.AWS}} --region us-east-1 dynamodb scan --table-name {{.Table}}</code> (any access key works)</dd>
</dl>
<h2>Guides</h2>
<ul>{{range .Guides}}<li><a href="/docs/{{.}}">{{.}}</a></li>{{end}}</ul>`))

func (s *Stack) landing(w http.ResponseWriter, _ *http.Request) {
	var b bytes.Buffer
	_ = landingBody.Execute(&b, struct {
		Now, AWS, Table string
		Guides          []string
	}{s.Clock.Now().Format("2006-01-02 15:04 MST"), s.AWSURL, s.Table, guides()})
	writePage(w, http.StatusOK, "Start", template.HTML(b.String()))
}

var tokensBody = template.Must(template.New("body").Parse(`<h1>Demo tokens</h1>
{{if .Tokens}}<p>Fresh tokens, valid for 30 days of real time (moving the stack's clock does not expire them).
Paste the lines into a shell; the README's examples use these variables.</p>
<pre>{{range .Tokens}}export {{.Var}}={{.Token}}
{{end}}</pre>
<table><tr><th>variable</th><th>who</th><th>one token as plain text</th></tr>
{{range .Tokens}}<tr><td><code>{{.Var}}</code></td><td>{{.Who}}</td><td><a href="/_local/tokens/{{.Name}}">/_local/tokens/{{.Name}}</a></td></tr>
{{end}}</table>
<p>In a script: <code>BUSINESS_TOKEN=$(curl -s {{.API}}/_local/tokens/acme-coffee)</code>.</p>
{{else}}<p>No demo data: the stack started with <code>-no-seed</code>, or restored data without it. Sign a token yourself with the
local secret (HS256; claims <code>sub</code>, <code>role</code>, <code>business_id</code>, <code>exp</code>).</p>{{end}}
<p><a href="/">Back to the start</a></p>`))

func (s *Stack) tokensPage(w http.ResponseWriter, _ *http.Request) {
	var b bytes.Buffer
	_ = tokensBody.Execute(&b, struct {
		Tokens []demoToken
		API    string
	}{s.demoTokenList(true), s.APIURL})
	writePage(w, http.StatusOK, "Tokens", template.HTML(b.String()))
}

// guideMD renders the guides: CommonMark with tables; raw HTML is left out.
var guideMD = goldmark.New(goldmark.WithExtensions(extension.Table, extension.Strikethrough))

func guidePage(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	if path.Ext(name) != ".md" || !slices.Contains(guides(), name) {
		writePage(w, http.StatusNotFound, "Not found", template.HTML(`<h1>No such guide</h1><p><a href="/">The guides are listed on the start page.</a></p>`))
		return
	}
	src, err := fs.ReadFile(docs.Files, name)
	if err != nil {
		http.Error(w, "read guide", http.StatusInternalServerError)
		return
	}
	var b bytes.Buffer
	if err := guideMD.Convert(src, &b); err != nil {
		http.Error(w, "render guide", http.StatusInternalServerError)
		return
	}
	writePage(w, http.StatusOK, strings.TrimSuffix(name, ".md"), template.HTML(b.String()))
}
