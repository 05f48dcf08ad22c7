package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"github.com/awslabs/aws-lambda-go-api-proxy/core"

	"github.com/candorhq/candor/shared/moderation"
)

type wireError struct {
	Error struct {
		Code    string            `json:"code"`
		Message string            `json:"message"`
		Fields  map[string]string `json:"fields"`
	} `json:"error"`
}

func decodeEnvelope(t *testing.T, body []byte) wireError {
	t.Helper()
	var got wireError
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&got); err != nil {
		t.Fatalf("body %q is not the error envelope: %v", body, err)
	}
	return got
}

// captureLogs routes slog's default logger to a buffer for the test.
func captureLogs(t *testing.T) *bytes.Buffer {
	t.Helper()
	var buf bytes.Buffer
	prev := slog.Default()
	slog.SetDefault(slog.New(slog.NewJSONHandler(&buf, nil)))
	t.Cleanup(func() { slog.SetDefault(prev) })
	return &buf
}

func TestWriteError(t *testing.T) {
	tests := []struct {
		name    string
		err     error
		status  int
		code    string
		message string
		fields  map[string]string
	}{
		{name: "malformed", err: Malformed("bad", map[string]string{"items[0].foo": "unknown field"}), status: 400, code: "malformed_request", message: "bad", fields: map[string]string{"items[0].foo": "unknown field"}},
		{name: "unauthorized", err: Unauthorized(), status: 401, code: "unauthorized"},
		{name: "forbidden", err: Forbidden(), status: 403, code: "forbidden"},
		{name: "not found", err: NotFound(), status: 404, code: "not_found"},
		{name: "method not allowed", err: MethodNotAllowed(), status: 405, code: "method_not_allowed"},
		{name: "payload too large", err: PayloadTooLarge(), status: 413, code: "payload_too_large"},
		{name: "unsupported media type", err: UnsupportedMediaType(), status: 415, code: "unsupported_media_type"},
		{name: "invalid", err: Invalid(map[string]string{"limit": "too big"}), status: 422, code: "validation_failed", fields: map[string]string{"limit": "too big"}},
		{name: "rate limited", err: RateLimited(), status: 429, code: "rate_limited"},
		{name: "wrapped protocol error", err: fmt.Errorf("decode: %w", NotFound()), status: 404, code: "not_found"},
		{
			name: "domain invalid", err: moderation.Invalid(map[string]string{"items[0].excerpt": "must occur in the review"}),
			status: 422, code: "validation_failed", message: "the request is not valid", fields: map[string]string{"items[0].excerpt": "must occur in the review"},
		},
		{
			name: "domain conflict", err: moderation.Conflict(moderation.CodeReportOpen, "a report on this review is still open"),
			status: 409, code: "report_open", message: "a report on this review is still open",
		},
		{
			name: "wrapped domain conflict", err: fmt.Errorf("submit report: %w", moderation.Conflict(moderation.CodeAlreadyReported, "already reported")),
			status: 409, code: "already_reported", message: "already reported",
		},
		{name: "domain not found", err: moderation.NotFound("review"), status: 404, code: "not_found", message: "review not found"},
		{
			name: "domain forbidden", err: &moderation.Error{Kind: moderation.KindForbidden, Code: moderation.CodeForbidden, Message: "not yours"},
			status: 403, code: "forbidden", message: "not yours",
		},
		{name: "domain error of no known kind", err: &moderation.Error{Code: "weird", Message: "secret detail"}, status: 500, code: "internal", message: "internal error"},
		{name: "plain error", err: errors.New("store: put item: connection refused"), status: 500, code: "internal", message: "internal error"},
		{name: "typed nil", err: (*Error)(nil), status: 500, code: "internal", message: "internal error"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			captureLogs(t)
			rec := httptest.NewRecorder()
			WriteError(rec, httptest.NewRequest(http.MethodGet, "/", nil), tt.err)
			if rec.Code != tt.status {
				t.Errorf("status = %d, want %d", rec.Code, tt.status)
			}
			got := decodeEnvelope(t, rec.Body.Bytes())
			if got.Error.Code != tt.code {
				t.Errorf("code = %q, want %q", got.Error.Code, tt.code)
			}
			if tt.message != "" && got.Error.Message != tt.message {
				t.Errorf("message = %q, want %q", got.Error.Message, tt.message)
			}
			if got.Error.Message == "" {
				t.Errorf("message is empty, want one")
			}
			if !maps.Equal(got.Error.Fields, tt.fields) {
				t.Errorf("fields = %v, want %v", got.Error.Fields, tt.fields)
			}
			if ct := rec.Header().Get("Content-Type"); ct != "application/json; charset=utf-8" {
				t.Errorf("Content-Type = %q, want application/json; charset=utf-8", ct)
			}
			if got, want := rec.Header().Get("WWW-Authenticate"), map[bool]string{true: "Bearer"}[tt.status == 401]; got != want {
				t.Errorf("WWW-Authenticate = %q, want %q", got, want)
			}
		})
	}
}

func TestWriteErrorInternalLogsButNeverTells(t *testing.T) {
	logs := captureLogs(t)
	r := requestWithAPIGatewayContext(t, events.APIGatewayV2HTTPRequestContext{RequestID: "req-123"})
	rec := httptest.NewRecorder()
	WriteError(rec, r, fmt.Errorf("store: get review rev_1: %w", errors.New("dial tcp 10.0.0.7:443: timeout")))

	if rec.Code != 500 {
		t.Fatalf("status = %d, want 500", rec.Code)
	}
	if strings.Contains(rec.Body.String(), "10.0.0.7") || strings.Contains(rec.Body.String(), "rev_1") {
		t.Errorf("body %q leaks the internal error", rec.Body)
	}
	var line map[string]any
	if err := json.Unmarshal(logs.Bytes(), &line); err != nil {
		t.Fatalf("log %q is not one JSON line: %v", logs, err)
	}
	if line["level"] != "ERROR" || line["requestId"] != "req-123" || !strings.Contains(fmt.Sprint(line["err"]), "dial tcp 10.0.0.7:443") {
		t.Errorf("log line = %v, want level ERROR, requestId req-123 and the real error", line)
	}
}

func TestWriteErrorDoesNotLogClientErrors(t *testing.T) {
	logs := captureLogs(t)
	WriteError(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/", nil), moderation.Conflict(moderation.CodeRequestOpen, "open"))
	if logs.Len() != 0 {
		t.Errorf("logged %q for a 409, want nothing", logs)
	}
}

// requestWithAPIGatewayContext returns a request whose context holds rc the
// way httpadapter's ProxyWithContext stores it.
func requestWithAPIGatewayContext(t *testing.T, rc events.APIGatewayV2HTTPRequestContext) *http.Request {
	t.Helper()
	var ra core.RequestAccessorV2
	rc.HTTP.Method = http.MethodGet
	r, err := ra.EventToRequestWithContext(context.Background(), events.APIGatewayV2HTTPRequest{
		Version: "2.0", RawPath: "/x", RequestContext: rc,
	})
	if err != nil {
		t.Fatalf("build request: %v", err)
	}
	return r
}

func TestWriteJSON(t *testing.T) {
	tests := []struct {
		name     string
		status   int
		v        any
		wantCode int
		wantBody string
	}{
		{name: "object", status: 202, v: map[string]string{"id": "rpt_1"}, wantCode: 202, wantBody: `{"id":"rpt_1"}` + "\n"},
		{name: "no content", status: 204, v: map[string]string{"ignored": "x"}, wantCode: 204, wantBody: ""},
		{name: "unencodable value", status: 200, v: map[string]any{"f": func() {}}, wantCode: 500, wantBody: `{"error":{"code":"internal","message":"internal error"}}` + "\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			captureLogs(t)
			rec := httptest.NewRecorder()
			WriteJSON(rec, tt.status, tt.v)
			if rec.Code != tt.wantCode {
				t.Errorf("status = %d, want %d", rec.Code, tt.wantCode)
			}
			if rec.Body.String() != tt.wantBody {
				t.Errorf("body = %q, want %q", rec.Body, tt.wantBody)
			}
			for h, want := range map[string]string{"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"} {
				if got := rec.Header().Get(h); got != want {
					t.Errorf("%s = %q, want %q", h, got, want)
				}
			}
			if tt.wantBody != "" && rec.Header().Get("Content-Type") != "application/json; charset=utf-8" {
				t.Errorf("Content-Type = %q, want application/json; charset=utf-8", rec.Header().Get("Content-Type"))
			}
		})
	}
}

func TestErrorString(t *testing.T) {
	e := Malformed("bad", map[string]string{"b": "two", "a": "one"})
	if got, want := e.Error(), "400 malformed_request: bad; a: one; b: two"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
}
