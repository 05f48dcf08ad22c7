package consolefunc

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestClientSecretValue(t *testing.T) {
	tests := []struct{ stored, want string }{
		{"s3cr3t", "s3cr3t"},
		{`{"client_secret":"from-json"}`, "from-json"},
		{` {"client_secret":"spaced"} `, "spaced"},
		{`{"other":"x"}`, `{"other":"x"}`},
		{`{not json`, `{not json`},
	}
	for _, tt := range tests {
		if got := clientSecretValue(tt.stored); got != tt.want {
			t.Errorf("clientSecretValue(%q) = %q, want %q", tt.stored, got, tt.want)
		}
	}
}

// The console is built on its first request, not at the cold start; a
// failed build answers 503 and is tried again on the next request.
func TestLazyBuildsOnFirstRequestAndRetries(t *testing.T) {
	builds, fail := 0, true
	l := &lazy{log: slog.New(slog.NewTextHandler(io.Discard, nil)), build: func(context.Context) (http.Handler, error) {
		builds++
		if fail {
			return nil, errors.New("secrets manager unreachable")
		}
		return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, "console") }), nil
	}}
	if builds != 0 {
		t.Fatal("built before any request")
	}
	rec := httptest.NewRecorder()
	l.ServeHTTP(rec, httptest.NewRequest("GET", "/console", nil))
	if rec.Code != http.StatusServiceUnavailable || rec.Header().Get("Retry-After") == "" {
		t.Errorf("a failed build answered %d (Retry-After %q), want 503 with Retry-After", rec.Code, rec.Header().Get("Retry-After"))
	}
	fail = false
	for range 2 {
		rec = httptest.NewRecorder()
		l.ServeHTTP(rec, httptest.NewRequest("GET", "/console", nil))
		if rec.Code != 200 || rec.Body.String() != "console" {
			t.Errorf("after the failure: %d %q, want the console", rec.Code, rec.Body.String())
		}
	}
	if builds != 2 {
		t.Errorf("built %d times, want 2 (the failure, then once)", builds)
	}
}
