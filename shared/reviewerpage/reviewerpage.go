package reviewerpage

import (
	"context"
	"errors"
	"log/slog"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/candorhq/candor/shared/brand"
	"github.com/candorhq/candor/shared/clock"
	"github.com/candorhq/candor/shared/httpapi"
	"github.com/candorhq/candor/shared/links"
	"github.com/candorhq/candor/shared/moderation"
)

// State says whether a link's form can still be submitted.
type State string

// The states of a link.
const (
	StateOpen    State = "open"    // the form can be submitted
	StateUsed    State = "used"    // this link (or its request) already got its answer
	StateExpired State = "expired" // the window closed (deadline passed, or the workflow timed out)
)

// View is everything a page shows. It never contains the reviewer's email.
type View struct {
	Purpose      links.Purpose
	State        State
	Locale       string // reviewer's locale: en, sv, de (others → en)
	BusinessName string
	Message      string // the business's Find Reviewer message, or compliance's message (evidence/edit); proof and appeal show none
	ReviewTitle  string
	ReviewText   string // current text (for edit: prefilled in the form; for others, the removed review of an appeal included, shown as context)
	ReviewStars  int
	Deadline     time.Time
	// TimeZone is the IANA zone the reviewer reads dates in, or "" for
	// the locale's usual zone (i18n.Zone). Deadlines are shown in it, with
	// UTC on a second line.
	TimeZone string
	// Removal is what the statement of reasons said about the removal an
	// appeal link is for: nil for every other purpose.
	Removal *Removal
	// TakesDocuments says whether the answer may carry documents (proof,
	// evidence, appeal); Documents are those attached and not yet sent,
	// oldest first; Draft is the text saved before an upload, shown in the
	// form.
	TakesDocuments bool
	Documents      []Attached
	Draft          string
}

// Removal is the statement of reasons of a removal, as the appeal page
// repeats it.
type Removal struct {
	Reasons []moderation.Reason // the reasons the removal upholds
	Facts   string              // the facts relied on; "" for a removal for want of proof
	NoProof bool                // removed because no proof came in time (the facts are then the page's own text)
}

// Submission is what the form posts, cleaned: line breaks are "\n" and
// surrounding white space is trimmed.
type Submission struct {
	Text  string // the reply / proof / evidence / appeal text (edit: unused)
	Title string // edit only: new title
	Body  string // edit only: new text
	Stars int    // edit only: 1..5 (0 = unchanged)
	// Reason is a reply report's reason (report_reply only; Text holds
	// its optional details).
	Reason string
}

// Backend finds links and records submissions. tokenHash is links.Hash(token).
type Backend interface {
	// View returns the page for a link, ErrNotFound for an unknown hash.
	View(ctx context.Context, tokenHash string) (View, error)
	// Submit records a submission exactly once and delivers it to the waiting workflow.
	// Errors: ErrNotFound; ErrUsed (already answered: page "already received", changes nothing);
	// ErrExpired (window closed); a *moderation.Error of KindInvalid with Fields (e.g. "reply",
	// "title", "text", "stars") for bad input, which re-renders the form with the messages.
	Submit(ctx context.Context, tokenHash string, s Submission) error
}

// Errors a Backend returns (possibly wrapped).
var (
	ErrNotFound = errors.New("reviewer link not found")
	ErrUsed     = errors.New("reviewer link already used")
	ErrExpired  = errors.New("reviewer link expired")
)

// MaxBody is the largest request body a POST may carry (docs/api.md: 64 KiB).
const MaxBody = 64 << 10

// Options configures a Handler. Zero fields get defaults: a logger that
// discards, and the system clock.
type Options struct {
	Logger *slog.Logger
	Clock  clock.Clock
	// Brand is the platform every page names in its header and title; the
	// zero Brand is brand.Default().
	Brand brand.Brand
	// Documents keeps the documents of proof, evidence and appeal answers
	// (nil: the pages offer no upload). PublicURL is the pages' origin as
	// reviewers reach them (https://reviews.example), where the bucket
	// sends the browser back after an upload ("": the request's host, over
	// HTTPS).
	Documents DocumentBackend
	PublicURL string
}

// Handler serves GET, HEAD and POST /r/{token}. Any other path is a 404 page
// and any other method a 405 page. It is safe for concurrent use.
type Handler struct {
	backend Backend
	log     *slog.Logger
	clock   clock.Clock
	brand   brand.Brand
	imgSrc  string // the CSP's img-src: the logo's origin, or 'none'

	docs      DocumentBackend
	publicURL string
}

var _ http.Handler = (*Handler)(nil)

// New returns a Handler over b.
func New(b Backend, opts Options) *Handler {
	h := &Handler{backend: b, log: opts.Logger, clock: opts.Clock, brand: opts.Brand, imgSrc: "'none'",
		docs: opts.Documents, publicURL: strings.TrimRight(opts.PublicURL, "/")}
	if h.brand.Name == "" {
		h.brand = brand.Default()
	}
	if u, err := url.Parse(h.brand.LogoURL); err == nil && h.brand.LogoURL != "" {
		h.imgSrc = "https://" + u.Host
	}
	if h.log == nil {
		h.log = slog.New(slog.DiscardHandler)
	}
	if h.clock == nil {
		h.clock = clock.System{}
	}
	return h
}

// ServeHTTP sets the security headers with a fresh style nonce, then routes
// the request. A HEAD is answered as its GET, with the same status and
// headers and no body: behind API Gateway no server strips the body for it.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	nonce := newNonce()
	setSecurityHeaders(w.Header(), nonce, h.imgSrc)
	if r.Method == http.MethodHead {
		w = headWriter{w}
	}
	r = r.WithContext(context.WithValue(r.Context(), nonceKey{}, nonce))
	h.route(r)(w, r)
}

// route is the handler of r's method and path: /r/{token}, one non-empty
// path segment, is read by GET (and HEAD) and answered by POST, and
// refuses any other method; every other path is no route. Four routes,
// matched by hand: an http.ServeMux parses its patterns into a routing
// tree when the function starts, which costs every cold start page faults
// of its own.
func (h *Handler) route(r *http.Request) http.HandlerFunc {
	token, ok := strings.CutPrefix(r.URL.Path, "/r/")
	if !ok || token == "" || strings.Contains(token, "/") {
		return h.noRoute
	}
	r.SetPathValue("token", token)
	switch r.Method {
	case http.MethodGet, http.MethodHead:
		return h.get
	case http.MethodPost:
		return h.post
	}
	return h.methodNotAllowed
}

// headWriter answers a HEAD: it passes the status and headers on and drops
// the body.
type headWriter struct{ http.ResponseWriter }

func (hw headWriter) Write(b []byte) (int, error) { return len(b), nil }

// link is a request's link once its token has been checked and its view read.
type link struct {
	hash string
	view View
	cat  *catalog
}

// logged is what a log line may say about a link: the first 8 characters
// of its hash (enough to find it in the store, useless as a credential) and
// its purpose. The zero value is a request without a link.
type logged struct {
	hashPrefix string
	purpose    links.Purpose
}

// about returns what a log line may say about l.
func (l *link) about() logged { return logged{hashPrefix: l.hash[:8], purpose: l.view.Purpose} }

// hashOnly returns what a log line may say about a link known only by its hash.
func hashOnly(hash string) logged { return logged{hashPrefix: hash[:8]} }

// logResult writes the one log line of a request: outcome, status, method,
// the link as logged, API Gateway's request id when there is one, and extra
// (which must never hold the token or what the reviewer wrote). 5xx
// outcomes are errors, the rest info.
func (h *Handler) logResult(r *http.Request, lg logged, outcome string, status int, extra ...slog.Attr) {
	level := slog.LevelInfo
	if status >= 500 {
		level = slog.LevelError
	}
	attrs := make([]slog.Attr, 0, 7+len(extra))
	attrs = append(attrs, slog.String("outcome", outcome), slog.Int("status", status), slog.String("method", r.Method))
	if lg.hashPrefix != "" {
		attrs = append(attrs, slog.String("link", lg.hashPrefix))
	}
	if lg.purpose != "" {
		attrs = append(attrs, slog.String("purpose", string(lg.purpose)))
	}
	if id := httpapi.RequestID(r); id != "" {
		attrs = append(attrs, slog.String("requestId", id))
	}
	h.log.LogAttrs(r.Context(), level, "reviewer page", append(attrs, extra...)...)
}

// lookup checks the request's token and reads its view. When it returns
// false it has answered the request.
func (h *Handler) lookup(w http.ResponseWriter, r *http.Request) (*link, bool) {
	hash, ok := links.Hash(r.PathValue("token"))
	if !ok {
		h.logResult(r, logged{}, "malformed", http.StatusNotFound)
		h.renderMessage(w, r, http.StatusNotFound, catalogFor(acceptedLocale(r)), pageNotFound, nil)
		return nil, false
	}
	v, err := h.backend.View(r.Context(), hash)
	switch {
	case errors.Is(err, ErrNotFound):
		h.logResult(r, hashOnly(hash), "not_found", http.StatusNotFound)
		h.renderMessage(w, r, http.StatusNotFound, catalogFor(acceptedLocale(r)), pageNotFound, nil)
		return nil, false
	case err != nil:
		h.logResult(r, hashOnly(hash), "error", http.StatusInternalServerError, slog.String("error", "view: "+err.Error()))
		if r.Method == http.MethodPost {
			h.unsaved(w, r)
			return nil, false
		}
		h.renderMessage(w, r, http.StatusInternalServerError, catalogFor(acceptedLocale(r)), pageInternal, nil)
		return nil, false
	}
	l := &link{hash: hash, view: v, cat: catalogFor(v.Locale)}
	if _, known := l.cat.Purposes[v.Purpose]; !known {
		h.logResult(r, l.about(), "error", http.StatusInternalServerError, slog.String("error", "view: unknown purpose"))
		h.renderMessage(w, r, http.StatusInternalServerError, l.cat, pageInternal, nil)
		return nil, false
	}
	return l, true
}

// unsaved answers a submission whose link could not be read (the table
// failed): 500 with what the reviewer sent given back in a form that sends
// it again to the same link, and the message to try again in a few minutes,
// so that no failure loses their words. A body that cannot be read as a
// form gets the plain error page.
func (h *Handler) unsaved(w http.ResponseWriter, r *http.Request) {
	c := catalogFor(acceptedLocale(r))
	if !isForm(r.Header.Get("Content-Type")) || r.ContentLength > MaxBody {
		h.renderMessage(w, r, http.StatusInternalServerError, c, pageInternal, nil)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, MaxBody)
	if err := r.ParseForm(); err != nil {
		h.renderMessage(w, r, http.StatusInternalServerError, c, pageInternal, nil)
		return
	}
	h.render(w, r, http.StatusInternalServerError, unsavedPage(c, readInput(r.PostForm)))
}

// closed answers the request and returns true when l's form can no longer
// be submitted: used, expired, or past its deadline by the clock.
func (h *Handler) closed(w http.ResponseWriter, r *http.Request, l *link) bool {
	switch {
	case l.view.State == StateUsed:
		h.finish(w, r, l, "used", http.StatusGone, pageUsed)
		return true
	case l.view.State != StateOpen, // expired, or a state this page does not know: fail closed
		!l.view.Deadline.IsZero() && !h.clock.Now().Before(l.view.Deadline):
		h.finish(w, r, l, "expired", http.StatusGone, pageExpired)
		return true
	}
	return false
}

// finish logs the outcome for l and renders a message page.
func (h *Handler) finish(w http.ResponseWriter, r *http.Request, l *link, outcome string, status int, kind messageKind) {
	h.logResult(r, l.about(), outcome, status)
	h.renderMessage(w, r, status, l.cat, kind, l)
}

// get shows the link's page. It never calls Submit.
func (h *Handler) get(w http.ResponseWriter, r *http.Request) {
	l, ok := h.lookup(w, r)
	if !ok || h.closed(w, r, l) || h.documentGet(w, r, l) {
		return
	}
	h.logResult(r, l.about(), "shown", http.StatusOK)
	h.renderForm(w, r, http.StatusOK, l, initialInput(l.view), nil)
}

// post validates and submits the link's form.
func (h *Handler) post(w http.ResponseWriter, r *http.Request) {
	l, ok := h.lookup(w, r)
	if !ok || h.closed(w, r, l) {
		return
	}
	if !isForm(r.Header.Get("Content-Type")) {
		h.finish(w, r, l, "unsupported_media_type", http.StatusUnsupportedMediaType, pageUnreadable)
		return
	}
	if r.ContentLength > MaxBody {
		h.finish(w, r, l, "too_large", http.StatusRequestEntityTooLarge, pageTooLarge)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, MaxBody)
	if err := r.ParseForm(); err != nil {
		if _, tooLarge := errors.AsType[*http.MaxBytesError](err); tooLarge {
			h.finish(w, r, l, "too_large", http.StatusRequestEntityTooLarge, pageTooLarge)
			return
		}
		h.finish(w, r, l, "malformed_form", http.StatusBadRequest, pageUnreadable)
		return
	}
	in := readInput(r.PostForm)
	if h.takesDocuments(l) && isDocumentAction(r.PostForm) {
		h.documentAction(w, r, l, in)
		return
	}
	sub, probs := validate(l.view.Purpose, in)
	if len(probs) > 0 {
		h.invalid(w, r, l, in, probs)
		return
	}
	err := h.backend.Submit(r.Context(), l.hash, sub)
	if err == nil {
		h.logResult(r, l.about(), "submitted", http.StatusOK)
		h.render(w, r, http.StatusOK, thanksPage(l, sub))
		return
	}
	switch merr, isDomain := moderation.AsError(err); {
	case errors.Is(err, ErrUsed):
		h.finish(w, r, l, "used", http.StatusGone, pageUsed)
	case errors.Is(err, ErrExpired):
		h.finish(w, r, l, "expired", http.StatusGone, pageExpired)
	case errors.Is(err, ErrNotFound), isDomain && merr.Kind == moderation.KindNotFound:
		h.finish(w, r, l, "not_found", http.StatusNotFound, pageNotFound)
	case isDomain && merr.Kind == moderation.KindInvalid:
		h.invalid(w, r, l, in, backendProblems(l.view.Purpose, in, merr.Fields))
	default:
		h.logResult(r, l.about(), "error", http.StatusInternalServerError, slog.String("error", "submit: "+err.Error()))
		h.renderForm(w, r, http.StatusInternalServerError, l, in, problems{"": {kind: problemRetry}})
	}
}

// invalid re-renders l's form with status 422, the reviewer's input and the
// problems found.
func (h *Handler) invalid(w http.ResponseWriter, r *http.Request, l *link, in input, p problems) {
	h.logResult(r, l.about(), "invalid", http.StatusUnprocessableEntity, slog.Any("fields", p.fields()))
	h.renderForm(w, r, http.StatusUnprocessableEntity, l, in, p)
}

// methodNotAllowed answers a /r/{token} request with a method other than
// GET, HEAD or POST.
func (h *Handler) methodNotAllowed(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Allow", "GET, HEAD, POST")
	h.logResult(r, logged{}, "method_not_allowed", http.StatusMethodNotAllowed)
	h.renderMessage(w, r, http.StatusMethodNotAllowed, catalogFor(acceptedLocale(r)), pageMethod, nil)
}

// noRoute answers any path that is not /r/{token}.
func (h *Handler) noRoute(w http.ResponseWriter, r *http.Request) {
	h.logResult(r, logged{}, "no_route", http.StatusNotFound)
	h.renderMessage(w, r, http.StatusNotFound, catalogFor(acceptedLocale(r)), pageNotFound, nil)
}

// isForm reports whether contentType is application/x-www-form-urlencoded,
// with no charset or UTF-8.
func isForm(contentType string) bool {
	mt, params, err := mime.ParseMediaType(contentType)
	if err != nil || mt != "application/x-www-form-urlencoded" {
		return false
	}
	cs, ok := params["charset"]
	return !ok || strings.EqualFold(cs, "utf-8")
}
