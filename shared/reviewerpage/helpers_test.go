package reviewerpage

import (
	"context"
	"fmt"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/candorhq/candor/shared/clock"
	"github.com/candorhq/candor/shared/links"
)

// testNow is the clock's time in every test; testDeadline is five days later.
var (
	testNow      = time.Date(2026, 3, 10, 9, 30, 0, 0, time.UTC)
	testDeadline = time.Date(2026, 3, 15, 9, 30, 0, 0, time.UTC)
)

// fakeBackend is a Backend over a map of views. Submit records every call,
// returns submitErr when set, and otherwise accepts a link once: the first
// submission marks it used, later ones get ErrUsed.
type fakeBackend struct {
	mu        sync.Mutex
	views     map[string]View
	viewErr   error
	submitErr error
	viewCalls int
	submits   []Submission
}

func newFake() *fakeBackend { return &fakeBackend{views: map[string]View{}} }

func (f *fakeBackend) View(_ context.Context, hash string) (View, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.viewCalls++
	if f.viewErr != nil {
		return View{}, f.viewErr
	}
	v, ok := f.views[hash]
	if !ok {
		return View{}, fmt.Errorf("fake view: %w", ErrNotFound)
	}
	return v, nil
}

func (f *fakeBackend) Submit(_ context.Context, hash string, s Submission) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.submits = append(f.submits, s)
	if f.submitErr != nil {
		return f.submitErr
	}
	v, ok := f.views[hash]
	switch {
	case !ok:
		return ErrNotFound
	case v.State == StateUsed:
		return fmt.Errorf("fake submit: %w", ErrUsed)
	case v.State == StateExpired:
		return fmt.Errorf("fake submit: %w", ErrExpired)
	}
	v.State = StateUsed
	f.views[hash] = v
	return nil
}

func (f *fakeBackend) submitCount() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.submits)
}

func (f *fakeBackend) lastSubmit(t *testing.T) Submission {
	t.Helper()
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.submits) == 0 {
		t.Fatal("Submit was not called")
	}
	return f.submits[len(f.submits)-1]
}

// add stores v under a fresh token and returns the token.
func (f *fakeBackend) add(t *testing.T, v View) string {
	t.Helper()
	tok, hash, err := links.New()
	if err != nil {
		t.Fatal(err)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.views[hash] = v
	return tok
}

// allPurposes are the purposes of reviewer links; each has a page.
var allPurposes = []links.Purpose{
	links.PurposeFindReviewerReply, links.PurposeProof, links.PurposeEvidence, links.PurposeEdit, links.PurposeAppeal, links.PurposeReportReply,
}

// hasMessage reports whether purpose's page shows the view's message: proof
// and appeal have none to show.
func hasMessage(purpose links.Purpose) bool {
	return purpose != links.PurposeProof && purpose != links.PurposeAppeal
}

// openView returns an open link's view for purpose in locale.
func openView(purpose links.Purpose, locale string) View {
	v := View{
		Purpose:      purpose,
		State:        StateOpen,
		Locale:       locale,
		BusinessName: "Acme Shop",
		ReviewTitle:  "Late delivery",
		ReviewText:   "The parcel came two weeks late.\nNobody answered my emails.",
		ReviewStars:  2,
		Deadline:     testDeadline,
	}
	switch purpose {
	case links.PurposeFindReviewerReply:
		v.Message = "Hello, we cannot find your order.\nCould you send us your order number?"
	case links.PurposeEvidence:
		v.Message = "Please tell us when you visited the shop."
	case links.PurposeEdit:
		v.Message = "Please remove the employee's full name from your review."
	case links.PurposeReportReply:
		v.Message = "Thank you for your review; we will call you on your mobile."
	}
	return v
}

// testHandler returns a Handler over b at testNow, logging into logs if it
// is not nil.
func testHandler(b Backend, logs io.Writer) *Handler {
	opts := Options{Clock: clock.NewManual(testNow)}
	if logs != nil {
		opts.Logger = slog.New(slog.NewJSONHandler(logs, nil))
	}
	return New(b, opts)
}

// request describes one HTTP request to the handler.
type request struct {
	method, path string
	body         io.Reader
	contentType  string
	header       map[string]string
}

func get(path string) request { return request{method: http.MethodGet, path: path} }

func postForm(path, body string) request {
	return request{method: http.MethodPost, path: path, body: strings.NewReader(body), contentType: "application/x-www-form-urlencoded"}
}

func serve(h http.Handler, rq request) *httptest.ResponseRecorder {
	r := httptest.NewRequest(rq.method, rq.path, rq.body)
	if rq.contentType != "" {
		r.Header.Set("Content-Type", rq.contentType)
	}
	for k, v := range rq.header {
		r.Header.Set(k, v)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

// text returns the body with HTML entities decoded, for checking what a
// reader sees.
func text(w *httptest.ResponseRecorder) string { return html.UnescapeString(w.Body.String()) }

var (
	langRe       = regexp.MustCompile(`<html lang="([^"]*)">`)
	styleNonceRe = regexp.MustCompile(`<style nonce="([^"]*)">`)
	cspNonceRe   = regexp.MustCompile(`style-src 'nonce-([^']*)'`)
	// script-src admits only the style's nonce; img-src nothing, or the
	// logo's https origin.
	scriptSrcRe = regexp.MustCompile(`style-src 'nonce-([^']*)'; script-src 'nonce-([^']*)';`)
	imgSrcRe    = regexp.MustCompile(`; img-src ('none'|https://[a-z0-9.-]+(:[0-9]+)?);`)
	// An event handler attribute of a tag (the pages quote every value with
	// "; text and values never hold a raw "<" or ").
	eventHandlerRe = regexp.MustCompile(`<[a-z0-9]+(?:\s+[^\s=>]+(?:="[^"]*")?)*\s+on[a-z]+\s*=`)
)

// pageLang returns the lang attribute of the page.
func pageLang(w *httptest.ResponseRecorder) string {
	m := langRe.FindStringSubmatch(w.Body.String())
	if m == nil {
		return ""
	}
	return m[1]
}

// checkStatus fails the test unless the response has status want.
func checkStatus(t *testing.T, w *httptest.ResponseRecorder, want int) {
	t.Helper()
	if w.Code != want {
		t.Fatalf("status = %d, want %d; body:\n%s", w.Code, want, w.Body.String())
	}
}

// checkContains fails the test for every want that the decoded body lacks.
func checkContains(t *testing.T, w *httptest.ResponseRecorder, wants ...string) {
	t.Helper()
	body := text(w)
	for _, want := range wants {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %q; body:\n%s", want, body)
		}
	}
}

// checkRawContains fails the test for every want that the raw HTML lacks.
func checkRawContains(t *testing.T, w *httptest.ResponseRecorder, wants ...string) {
	t.Helper()
	body := w.Body.String()
	for _, want := range wants {
		if !strings.Contains(body, want) {
			t.Errorf("HTML lacks %q; body:\n%s", want, body)
		}
	}
}

// checkPageSafety checks what every response must have: the security
// headers, an HTML page whose style nonce is the CSP's, and no script but
// the page's own counter script, carrying the same nonce, on form pages.
func checkPageSafety(t *testing.T, w *httptest.ResponseRecorder) {
	t.Helper()
	h := w.Header()
	for name, want := range map[string]string{
		"X-Content-Type-Options": "nosniff",
		"Referrer-Policy":        "no-referrer",
		"Cache-Control":          "no-store",
		"X-Frame-Options":        "DENY",
		"Content-Type":           "text/html; charset=utf-8",
	} {
		if got := h.Get(name); got != want {
			t.Errorf("header %s = %q, want %q", name, got, want)
		}
	}
	if pp := h.Get("Permissions-Policy"); !strings.Contains(pp, "camera=()") || !strings.Contains(pp, "geolocation=()") {
		t.Errorf("Permissions-Policy = %q, want camera and geolocation off", pp)
	}
	csp := h.Get("Content-Security-Policy")
	for _, d := range []string{"default-src 'none'", "form-action 'self'", "base-uri 'none'", "frame-ancestors 'none'"} {
		if !strings.Contains(csp, d) {
			t.Errorf("Content-Security-Policy = %q, lacks %q", csp, d)
		}
	}
	if strings.Contains(csp, "unsafe-") || strings.Contains(csp, "strict-dynamic") || strings.Contains(csp, "*") ||
		!imgSrcRe.MatchString(csp) {
		t.Errorf("Content-Security-Policy = %q allows more than it should", csp)
	}
	if m := scriptSrcRe.FindStringSubmatch(csp); m == nil || m[1] != m[2] {
		t.Errorf("Content-Security-Policy = %q allows more than it should", csp)
	}
	cspNonce := cspNonceRe.FindStringSubmatch(csp)
	styleNonce := styleNonceRe.FindStringSubmatch(w.Body.String())
	switch {
	case cspNonce == nil:
		t.Errorf("Content-Security-Policy = %q has no style nonce", csp)
	case styleNonce == nil:
		t.Errorf("page has no <style nonce>")
	case cspNonce[1] != styleNonce[1] || len(cspNonce[1]) < 22:
		t.Errorf("style nonce %q, CSP nonce %q: want the same, at least 128 bits", styleNonce[1], cspNonce[1])
	}
	body := strings.ToLower(w.Body.String())
	if cspNonce != nil {
		var own strings.Builder
		_ = counterScript(cspNonce[1]).Render(context.Background(), &own)
		body = strings.Replace(body, strings.ToLower(own.String()), "", 1) // the page's own script, with the response's nonce
	}
	if strings.Contains(body, "<script") || strings.Contains(body, "javascript:") || eventHandlerRe.MatchString(body) {
		t.Errorf("page contains script other than its counter:\n%s", w.Body.String())
	}
	if n := strings.Count(body, "<style"); n != 1 {
		t.Errorf("page has %d <style> elements, want 1", n)
	}
	if strings.Contains(body, " style=") {
		t.Errorf("page has a style attribute, which the CSP blocks")
	}
}
