package httpapi

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// muxPatterns has every shape of route Candor registers — literals beside
// wildcards at the same position, wildcards at several depths, a trailing
// wildcard, an exact "/{$}" — and several methods on one path.
var muxPatterns = []string{
	"GET /healthz",
	"GET /v1/reviews",
	"GET /v1/reviews/{reviewId}",
	"PUT /v1/reviews/{reviewId}/reply",
	"DELETE /v1/reviews/{reviewId}/reply",
	"POST /v1/reviews/{reviewId}/reports",
	"GET /v1/reports/summary",
	"GET /v1/reports/{reportId}",
	"POST /v1/reports/{reportId}/appeals",
	"GET /v1/compliance/businesses/{businessId}/sanctions",
	"POST /v1/compliance/businesses/{businessId}/sanctions/{sanctionId}/lift",
	"GET /v1/compliance/workflows/stalled",
	"GET /v1/compliance/{kind}/stalled",
	"POST /v1/webhooks",
	"GET /v1/webhooks",
	"DELETE /v1/webhooks/{webhookId}",
	"GET /v1/files/{path...}",
	"POST /v1/files/upload",
	"GET /r/{token}",
	"POST /r/{token}",
	"GET /{$}",
}

// serveMuxAnswer is what http.ServeMux does with a request over
// muxPatterns, in the Router's terms: the pattern that ran and the values it
// saw, or the status (404 for ServeMux's redirects) and Allow header.
func serveMuxAnswer(t testing.TB, mux *http.ServeMux, r *http.Request) (pattern, values string, status int, allow string) {
	w := httptest.NewRecorder()
	mux.ServeHTTP(w, r)
	switch w.Code {
	case http.StatusOK:
		return w.Header().Get("X-Pattern"), w.Body.String(), 200, ""
	case http.StatusMethodNotAllowed:
		return "", "", 405, w.Header().Get("Allow")
	case http.StatusNotFound, http.StatusMovedPermanently, http.StatusTemporaryRedirect, http.StatusPermanentRedirect:
		return "", "", 404, ""
	}
	t.Fatalf("ServeMux answered %s %q with %d", r.Method, r.URL.EscapedPath(), w.Code)
	return
}

// echoWildcards writes the pattern that ran and its wildcards' values.
func echoWildcards(pattern string) func(http.ResponseWriter, *http.Request) {
	_, segs, err := parsePattern(pattern)
	if err != nil {
		panic(err)
	}
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Pattern", r.Pattern)
		var b strings.Builder
		for _, s := range wildcards(segs) {
			b.WriteString(s.text + "=" + r.PathValue(s.text) + ";")
		}
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write([]byte(b.String()))
	}
}

func muxPair() (*http.ServeMux, *Router) {
	mux, rt := http.NewServeMux(), NewRouter()
	for _, p := range muxPatterns {
		h := echoWildcards(p)
		mux.HandleFunc(p, h)
		rt.Handle(p, nil, func(w http.ResponseWriter, r *http.Request, _ Principal) { h(w, r) })
	}
	return mux, rt
}

// checkLikeServeMux fails unless the Router answers method and target as
// http.ServeMux does.
func checkLikeServeMux(t *testing.T, mux *http.ServeMux, rt *Router, method, target string) {
	t.Helper()
	u, err := url.ParseRequestURI(target)
	if err != nil || u.Host != "" || u.Opaque != "" || !strings.HasPrefix(u.EscapedPath(), "/") {
		return // API Gateway sends an absolute path
	}
	req := func() *http.Request {
		return &http.Request{Method: method, URL: &url.URL{Path: u.Path, RawPath: u.RawPath}, RequestURI: target, Header: http.Header{}, Host: "api.example"}
	}
	pattern, values, status, allow := serveMuxAnswer(t, mux, req())
	w := httptest.NewRecorder()
	rt.ServeHTTP(w, req())
	gotStatus := w.Code
	if gotStatus != status || w.Header().Get("X-Pattern") != pattern || (status == 200 && w.Body.String() != values) || w.Header().Get("Allow") != allow {
		t.Errorf("%s %q: Router answered %d pattern %q allow %q body %q; ServeMux %d pattern %q allow %q values %q",
			method, target, gotStatus, w.Header().Get("X-Pattern"), w.Header().Get("Allow"), w.Body.String(), status, pattern, allow, values)
	}
}

// TestRouterRoutesAsServeMux: every request of the table reaches the route
// http.ServeMux would choose, with the same wildcard values, or gets the
// same refusal (a redirect of ServeMux's is a 404 here).
func TestRouterRoutesAsServeMux(t *testing.T) {
	mux, rt := muxPair()
	targets := []string{
		"/", "/healthz", "/healthz/", "/v1/reviews", "/v1/reviews/", "/v1/reviews/rev_1", "/v1/reviews/rev_1/",
		"/v1/reviews/rev%2F1", "/v1/reviews/r%20v", "/v1/reviews/%zz", "/v1/re%76iews/rev_1", "/v1/reviews/rev_1/reply",
		"/v1/reviews/rev_1/reports", "/v1/reports/summary", "/v1/reports/summar%79", "/v1/reports/rpt_1", "/v1/reports/rpt_1/appeals",
		"/v1/compliance/workflows/stalled", "/v1/compliance/tickets/stalled", "/v1/compliance/businesses/b/sanctions/s/lift",
		"/v1/webhooks", "/v1/webhooks/wh_1", "/v1/files", "/v1/files/", "/v1/files/a/b.txt", "/v1/files/a%2Fb/c%20d", "/v1/files/upload",
		"/v1/files/upload/", "/v1//reviews/rev_1", "/v1/./reviews", "/v1/reviews/../reports/summary", "/r/tok", "/r/", "/r/tok/x",
		"/nothing", "/v1", "/v1/", "//", "/.", "/..",
	}
	for _, target := range targets {
		for _, method := range []string{"GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"} {
			checkLikeServeMux(t, mux, rt, method, target)
		}
	}
}

// FuzzRouterRoutesAsServeMux is TestRouterRoutesAsServeMux on any path.
func FuzzRouterRoutesAsServeMux(f *testing.F) {
	for _, s := range []string{"/v1/reviews/rev_1", "/v1/files/a/b", "/v1/reports/summary", "/r/x%2Fy", "/v1//x", "/"} {
		f.Add(uint8(0), s)
	}
	mux, rt := muxPair()
	methods := []string{"GET", "HEAD", "POST", "PUT", "DELETE", "PATCH"}
	f.Fuzz(func(t *testing.T, m uint8, target string) {
		checkLikeServeMux(t, mux, rt, methods[int(m)%len(methods)], target)
	})
}

// TestHandleRejectsConflicts: two routes of one method that one request
// could reach with neither more specific panic, as in ServeMux; a literal
// beside a wildcard, or a wildcard beside a trailing one, does not.
func TestHandleRejectsConflicts(t *testing.T) {
	nop := func(http.ResponseWriter, *http.Request, Principal) {}
	for _, tt := range []struct {
		first, second string
		panics        bool
	}{
		{"GET /v1/reviews/{reviewId}", "GET /v1/reviews/{id}", true},
		{"GET /v1/reviews/x", "GET /v1/reviews/x", true},
		{"GET /v1/{a}/x", "GET /v1/y/{b}", true},
		{"GET /v1/{a}/x/{c...}", "GET /v1/y/{b}/z", true},
		{"GET /v1/files/{p...}", "GET /v1/files/{q...}", true},
		{"GET /v1/reviews/{reviewId}", "GET /v1/reviews/summary", false},
		{"GET /v1/reviews/{reviewId}", "PUT /v1/reviews/{id}", false},
		{"GET /v1/files/{p...}", "GET /v1/files/{name}", false},
		{"GET /v1/files/{p...}", "GET /v1/files/{$}", false},
		{"GET /v1/{a}/x", "GET /v1/y/x", false},
		{"GET /v1/a", "GET /v1/a/{b...}", false},
	} {
		rt := NewRouter()
		rt.Handle(tt.first, nil, nop)
		func() {
			defer func() {
				if got := recover() != nil; got != tt.panics {
					t.Errorf("%q then %q: panicked %v, want %v", tt.first, tt.second, got, tt.panics)
				}
			}()
			rt.Handle(tt.second, nil, nop)
		}()
		// ServeMux agrees.
		mux := http.NewServeMux()
		mux.HandleFunc(tt.first, func(http.ResponseWriter, *http.Request) {})
		func() {
			defer func() {
				if got := recover() != nil; got != tt.panics {
					t.Errorf("ServeMux: %q then %q: panicked %v, want %v", tt.first, tt.second, got, tt.panics)
				}
			}()
			mux.HandleFunc(tt.second, func(http.ResponseWriter, *http.Request) {})
		}()
	}
}
