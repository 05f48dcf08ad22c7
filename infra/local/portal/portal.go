// Package portal is the local stand-in of the platform's business portal:
// the read-only pages that the links of the emails to a business open
// (BUSINESS_REPORT_URL, BUSINESS_REQUEST_URL). In a deployment the portal is
// the platform's own product, and it signs its business users in; Candor
// only builds the links. Locally there is no sign-in: a page is rendered
// for the business that owns the record, from the API's own answer to that
// business (GET /v1/reports/{id}, GET /v1/reviewer-requests/{id}) with a
// token minted for one request. So a page shows exactly what the business
// may see through the API — never a reviewer's email or name — and nothing
// of another business's records is reachable except by its unguessable id,
// on a loopback address, in a demo stack (docs/decisions.md, "Links in
// emails to a business open the business portal").
package portal

import (
	"context"
	"encoding/json"
	"fmt"
	"html/template"
	"log/slog"
	"maps"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"
)

// The paths of the pages, before the record's id.
const (
	ReportPath  = "/business/reports/"
	RequestPath = "/business/requests/"
	// PublicReviewPath is the platform's public page of a review, as
	// anyone sees it (GET /v1/public/reviews/{id}): the review or the
	// business's statement, and the business's reply.
	PublicReviewPath = "/reviews/"
)

// Owners finds the business that owns a record; an unknown id is an error
// for which NotFound reports true.
type Owners interface {
	ReportOwner(ctx context.Context, id string) (string, error)
	RequestOwner(ctx context.Context, id string) (string, error)
}

// Config is what the pages need.
type Config struct {
	Owners Owners
	// API serves the HTTP API behind its gateway (JWT checked).
	API http.Handler
	// Token mints a short-lived business token for a business id.
	Token func(businessID string) string
	// BusinessName names a business for the page's heading.
	BusinessName func(ctx context.Context, businessID string) (string, error)
	// NotFound reports whether an Owners error means "no such record".
	NotFound func(error) bool
	Logger   *slog.Logger
}

// Handler returns the pages: GET ReportPath{id}, GET RequestPath{id}, and
// GET and POST PublicReviewPath{id} (the POST reports the business's reply
// through the public API, POST /v1/public/reviews/{id}/reply/reports).
func Handler(cfg Config) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET "+ReportPath+"{id}", func(w http.ResponseWriter, r *http.Request) {
		page(w, r, cfg, "Report", cfg.Owners.ReportOwner, "/v1/reports/")
	})
	mux.HandleFunc("GET "+RequestPath+"{id}", func(w http.ResponseWriter, r *http.Request) {
		page(w, r, cfg, "Find Reviewer request", cfg.Owners.RequestOwner, "/v1/reviewer-requests/")
	})
	mux.HandleFunc("GET "+PublicReviewPath+"{id}", func(w http.ResponseWriter, r *http.Request) {
		publicPage(w, r, cfg, http.StatusOK, "")
	})
	mux.HandleFunc("POST "+PublicReviewPath+"{id}", func(w http.ResponseWriter, r *http.Request) {
		reportReply(w, r, cfg)
	})
	return mux
}

// replyReasons are the reasons a reply can be reported for, as the form
// offers them.
var replyReasons = []struct{ Value, Label string }{
	{"personal_data", "It contains personal data"},
	{"threats_or_aggression", "It threatens or uses aggressive language"},
	{"edit_request", "It asks for the review to be changed or deleted"},
}

// reportReply sends the public page's report form to the API and shows the
// page again with the outcome: 202 says thank you; a refusal keeps the
// API's status and says why (the field and its problem for a 422).
func reportReply(w http.ResponseWriter, r *http.Request, cfg Config) {
	id := r.PathValue("id")
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	if err := r.ParseForm(); err != nil {
		publicPage(w, r, cfg, http.StatusBadRequest, "The form could not be read.")
		return
	}
	body, _ := json.Marshal(map[string]string{"reason": r.PostForm.Get("reason"), "details": r.PostForm.Get("details")})
	req := httptest.NewRequestWithContext(r.Context(), http.MethodPost, "/v1/public/reviews/"+id+"/reply/reports", strings.NewReader(string(body)))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	cfg.API.ServeHTTP(rec, req)
	if rec.Code == http.StatusAccepted {
		publicPage(w, r, cfg, http.StatusOK, "Thank you: your report was received. The compliance team will look at the reply.")
		return
	}
	var e struct {
		Error struct {
			Message string            `json:"message"`
			Fields  map[string]string `json:"fields"`
		} `json:"error"`
	}
	_ = json.Unmarshal(rec.Body.Bytes(), &e)
	msg := "The report was not sent: " + e.Error.Message
	for _, k := range slices.Sorted(maps.Keys(e.Error.Fields)) {
		msg += "; " + k + ": " + e.Error.Fields[k]
	}
	publicPage(w, r, cfg, rec.Code, msg)
}

// publicPage shows a review as the public sees it, read through the API
// without a token.
// A report of the reply, when there is one, is a form posted to the page's
// own URL; notice is the outcome of the last one ("" for none), shown with
// status.
func publicPage(w http.ResponseWriter, r *http.Request, cfg Config, status int, notice string) {
	id := r.PathValue("id")
	req := httptest.NewRequestWithContext(r.Context(), http.MethodGet, "/v1/public/reviews/"+id, nil)
	rec := httptest.NewRecorder()
	cfg.API.ServeHTTP(rec, req)
	var body map[string]any
	switch {
	case rec.Code == http.StatusNotFound:
		render(w, http.StatusNotFound, view{Title: "Review not found", Kind: "review", ID: id})
	case rec.Code != http.StatusOK || json.Unmarshal(rec.Body.Bytes(), &body) != nil:
		cfg.Logger.ErrorContext(r.Context(), "public page: read through the API", "status", rec.Code)
		render(w, http.StatusBadGateway, view{Title: "Something went wrong", Kind: "review", ID: id})
	default:
		v := view{Title: "Review", Kind: "review", ID: id, Public: true, Fields: fields(body), Notice: notice}
		if _, hasReply := body["reply"]; hasReply {
			v.ReplyReasons = replyReasons
		}
		render(w, status, v)
	}
}

func page(w http.ResponseWriter, r *http.Request, cfg Config, kind string, owner func(context.Context, string) (string, error), apiPath string) {
	id := r.PathValue("id")
	biz, err := owner(r.Context(), id)
	switch {
	case err != nil && cfg.NotFound(err):
		render(w, http.StatusNotFound, view{Title: kind + " not found", Kind: kind, ID: id})
		return
	case err != nil:
		cfg.Logger.ErrorContext(r.Context(), "business portal: find the owner", "kind", kind, "err", err)
		render(w, http.StatusInternalServerError, view{Title: "Something went wrong", Kind: kind, ID: id})
		return
	}
	req := httptest.NewRequestWithContext(r.Context(), http.MethodGet, apiPath+id, nil)
	req.Header.Set("Authorization", "Bearer "+cfg.Token(biz))
	rec := httptest.NewRecorder()
	cfg.API.ServeHTTP(rec, req)
	var body map[string]any
	if rec.Code != http.StatusOK || json.Unmarshal(rec.Body.Bytes(), &body) != nil {
		cfg.Logger.ErrorContext(r.Context(), "business portal: read through the API", "kind", kind, "status", rec.Code)
		render(w, http.StatusBadGateway, view{Title: "Something went wrong", Kind: kind, ID: id})
		return
	}
	name, err := cfg.BusinessName(r.Context(), biz)
	if err != nil {
		cfg.Logger.ErrorContext(r.Context(), "business portal: read the business", "kind", kind, "err", err)
		render(w, http.StatusInternalServerError, view{Title: "Something went wrong", Kind: kind, ID: id})
		return
	}
	render(w, http.StatusOK, view{Title: kind, Kind: kind, ID: id, Business: name, Fields: fields(body)})
}

// field is one line of a page: a name and its value, or nested fields.
type field struct {
	Name   string
	Value  string
	Fields []field
}

// fields lays out a JSON object as nested fields in words, names sorted.
func fields(m map[string]any) []field {
	var out []field
	for _, k := range slices.Sorted(maps.Keys(m)) {
		out = append(out, one(label(k), m[k]))
	}
	return out
}

func one(name string, v any) field {
	switch v := v.(type) {
	case map[string]any:
		return field{Name: name, Fields: fields(v)}
	case []any:
		f := field{Name: name}
		for i, e := range v {
			f.Fields = append(f.Fields, one(fmt.Sprint(i+1), e))
		}
		if len(v) == 0 {
			f.Value = "(none)"
		}
		return f
	case nil:
		return field{Name: name, Value: "—"}
	case bool:
		if v {
			return field{Name: name, Value: "yes"}
		}
		return field{Name: name, Value: "no"}
	case string:
		return field{Name: name, Value: value(v)}
	default:
		b, _ := json.Marshal(v)
		return field{Name: name, Value: string(b)}
	}
}

// label turns a field's name into words: "appealDeadline" → "Appeal
// deadline", "reviewId" → "Review ID".
func label(key string) string {
	var words []string
	start := 0
	for i, r := range key {
		if i > 0 && unicode.IsUpper(r) {
			words = append(words, key[start:i])
			start = i
		}
	}
	words = append(words, key[start:])
	for i, w := range words {
		switch lw := strings.ToLower(w); {
		case lw == "id" || lw == "url" || lw == "puid":
			words[i] = strings.ToUpper(lw)
		case i == 0:
			words[i] = strings.ToUpper(lw[:1]) + lw[1:]
		default:
			words[i] = lw
		}
	}
	return strings.Join(words, " ")
}

// codeValue is a value the API spells as a code: awaiting_proof, no_proof_provided.
var codeValue = regexp.MustCompile(`^[a-z]+(_[a-z]+)+$`)

// value shows a string as a person reads it: a code in words, a time in
// UTC without the RFC 3339 punctuation; any other text as it is.
func value(s string) string {
	if codeValue.MatchString(s) {
		return strings.ReplaceAll(s, "_", " ")
	}
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t.UTC().Format("2 Jan 2006, 15:04 UTC")
	}
	return s
}

type view struct {
	Title, Kind, ID, Business string
	Public                    bool // the public page of a review
	Fields                    []field
	// ReplyReasons, on the public page of a review with a reply, offers the
	// form that reports the reply; Notice is the last report's outcome.
	ReplyReasons []struct{ Value, Label string }
	Notice       string
}

var tmpl = template.Must(template.New("page").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{.Title}} · business portal (local)</title>
<style>body{font:15px/1.45 system-ui,sans-serif;max-width:50rem;margin:2rem auto;padding:0 1rem;color:#222}
dl{margin:0 0 0 1rem}dt{font-weight:600;margin-top:.4rem}dd{margin:0 0 0 1rem;white-space:pre-wrap}
.note{color:#666;font-size:.9em;border-top:1px solid #ddd;margin-top:2rem;padding-top:.5rem}</style></head>
<body><h1>{{.Title}}</h1>
{{if .Public}}<p>Public page · {{.Kind}} <code>{{.ID}}</code> (the reply, when the business replied, is under <em>reply</em>)</p>
{{template "fields" .Fields}}{{if .Notice}}<p role="status"><strong>{{.Notice}}</strong></p>{{end}}
{{if .ReplyReasons}}<form method="post"><fieldset><legend>Report the reply</legend>
{{range .ReplyReasons}}<label><input type="radio" name="reason" value="{{.Value}}" required> {{.Label}}</label><br>
{{end}}<label for="details">Anything to add (optional, up to 1000 characters)</label><br>
<textarea id="details" name="details" rows="3" maxlength="1000"></textarea><br>
<button type="submit">Report the reply</button></fieldset></form>{{end}}
{{else if .Business}}<p>Business account: <strong>{{.Business}}</strong> · {{.Kind}} <code>{{.ID}}</code></p>
{{template "fields" .Fields}}{{else}}<p>There is no {{.Kind}} <code>{{.ID}}</code> here.</p>{{end}}
<p class="note">The local stand-in of the platform's business portal: read-only, showing what the API
shows this business. In a deployment the platform's own portal opens these links.</p>
</body></html>
{{define "fields"}}<dl>{{range .}}<dt>{{.Name}}</dt><dd>{{if .Fields}}{{template "fields" .Fields}}{{else}}{{.Value}}{{end}}</dd>{{end}}</dl>{{end}}`))

func render(w http.ResponseWriter, status int, v view) {
	var b strings.Builder
	if err := tmpl.Execute(&b, v); err != nil {
		http.Error(w, "render: "+err.Error(), http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(b.String()))
}
