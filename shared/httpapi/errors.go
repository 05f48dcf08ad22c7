package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/candorhq/candor/shared/moderation"
)

// Error codes of the protocol errors (docs/api.md, "Errors").
const (
	CodeMalformedRequest     = "malformed_request"
	CodeUnauthorized         = "unauthorized"
	CodeForbidden            = "forbidden"
	CodeNotFound             = "not_found"
	CodeMethodNotAllowed     = "method_not_allowed"
	CodePayloadTooLarge      = "payload_too_large"
	CodeUnsupportedMediaType = "unsupported_media_type"
	CodeValidationFailed     = "validation_failed"
	CodeRateLimited          = "rate_limited"
	CodeInternal             = "internal"
)

// Error is a protocol-level error with its HTTP status and the API's error
// code. Fields maps a field path in JSON names (e.g. "items[0].excerpt") to
// what is wrong with it; it is omitted from the response when empty.
// Message and Fields are sent to the client as they are, so they must never
// carry personal data or internal details.
type Error struct {
	Status  int
	Code    string
	Message string
	Fields  map[string]string
}

// Error renders the status, code, message and fields in a stable order.
func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d %s: %s", e.Status, e.Code, e.Message)
	keys := make([]string, 0, len(e.Fields))
	for k := range e.Fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprintf(&b, "; %s: %s", k, e.Fields[k])
	}
	return b.String()
}

// Malformed returns a 400 malformed_request error: the body is not JSON of the
// expected shape.
func Malformed(msg string, fields map[string]string) *Error {
	return &Error{Status: http.StatusBadRequest, Code: CodeMalformedRequest, Message: msg, Fields: fields}
}

// Unauthorized returns a 401 unauthorized error: no valid credentials.
func Unauthorized() *Error {
	return &Error{Status: http.StatusUnauthorized, Code: CodeUnauthorized, Message: "authentication is required"}
}

// Forbidden returns a 403 forbidden error: the caller may not do this at all.
func Forbidden() *Error {
	return &Error{Status: http.StatusForbidden, Code: CodeForbidden, Message: "you are not allowed to do this"}
}

// NotFound returns a 404 not_found error. It is also the answer for another
// business's objects, so it never says whether the object exists.
func NotFound() *Error {
	return &Error{Status: http.StatusNotFound, Code: CodeNotFound, Message: "not found"}
}

// MethodNotAllowed returns a 405 method_not_allowed error. The caller sets
// the Allow header (the Router does).
func MethodNotAllowed() *Error {
	return &Error{Status: http.StatusMethodNotAllowed, Code: CodeMethodNotAllowed, Message: "method not allowed"}
}

// PayloadTooLarge returns a 413 payload_too_large error.
func PayloadTooLarge() *Error {
	return &Error{Status: http.StatusRequestEntityTooLarge, Code: CodePayloadTooLarge, Message: "the request body is too large (at most 64 KiB)"}
}

// UnsupportedMediaType returns a 415 unsupported_media_type error.
func UnsupportedMediaType() *Error {
	return &Error{Status: http.StatusUnsupportedMediaType, Code: CodeUnsupportedMediaType, Message: "the request body must be application/json in UTF-8"}
}

// Invalid returns a 422 validation_failed error for the given field problems.
func Invalid(fields map[string]string) *Error {
	return &Error{Status: http.StatusUnprocessableEntity, Code: CodeValidationFailed, Message: "the request is not valid", Fields: fields}
}

// RateLimited returns a 429 rate_limited error.
func RateLimited() *Error {
	return &Error{Status: http.StatusTooManyRequests, Code: CodeRateLimited, Message: "too many requests, try again later"}
}

func internalError() *Error {
	return &Error{Status: http.StatusInternalServerError, Code: CodeInternal, Message: "internal error"}
}

// envelope is the wire form of every error response.
type envelope struct {
	Error envelopeBody `json:"error"`
}

type envelopeBody struct {
	Code    string            `json:"code"`
	Message string            `json:"message"`
	Fields  map[string]string `json:"fields,omitempty"`
	Until   string            `json:"until,omitempty"`
}

// WriteJSON writes v as JSON with the given status and the headers every API
// response carries: Content-Type application/json; charset=utf-8,
// Cache-Control: no-store (unless the handler set a Cache-Control of its own,
// as the public flagging record does) and X-Content-Type-Options: nosniff. A 204 or 304
// status is written without a body. If v cannot be encoded, the client gets a
// 500 internal error instead and the encoding error is logged.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	h := w.Header()
	if h.Get("Cache-Control") == "" {
		h.Set("Cache-Control", "no-store")
	}
	h.Set("X-Content-Type-Options", "nosniff")
	if status == http.StatusNoContent || status == http.StatusNotModified {
		w.WriteHeader(status)
		return
	}
	var buf bytes.Buffer
	if err := json.NewEncoder(&buf).Encode(v); err != nil {
		slog.Error("httpapi: write json: encode response", "err", err, "type", fmt.Sprintf("%T", v))
		status = http.StatusInternalServerError
		buf.Reset()
		ie := internalError()
		// The envelope has only strings: encoding it cannot fail.
		_ = json.NewEncoder(&buf).Encode(envelope{Error: envelopeBody{Code: ie.Code, Message: ie.Message}})
	}
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Del("Content-Length")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// WriteError writes err in Candor's error envelope
// {"error":{"code","message","fields"?,"until"?}} ("until": a domain
// refusal's Until, RFC 3339):
//   - an *Error as it is (a 401 also gets "WWW-Authenticate: Bearer");
//   - a domain error of package moderation by its Kind (the one table):
//     KindInvalid → 422, KindConflict → 409, KindNotFound → 404,
//     KindForbidden → 403, KindGone → 410, KindRateLimited → 429,
//     KindPrecondition → 412, KindUnauthenticated → 401, keeping its
//     Code, Message and Fields;
//   - anything else → 500 {"code":"internal","message":"internal error"}
//     without detail; the real error is logged with slog at level error,
//     together with the request id, method and route.
func WriteError(w http.ResponseWriter, r *http.Request, err error) {
	e := toError(err)
	if e.Status == http.StatusInternalServerError && e.Code == CodeInternal {
		logInternal(r, err)
	}
	if de, ok := moderation.AsError(err); ok && de != nil && de.Kind == moderation.KindRateLimited && de.RetryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(int(de.RetryAfter/time.Second)))
	}
	w.Header().Set("Cache-Control", "no-store") // an error is never cached, whatever the handler meant to answer
	if e.Status == http.StatusUnauthorized && w.Header().Get("WWW-Authenticate") == "" {
		w.Header().Set("WWW-Authenticate", "Bearer")
	}
	body := envelopeBody{Code: e.Code, Message: e.Message, Fields: e.Fields}
	if de, ok := moderation.AsError(err); ok && de != nil && !de.Until.IsZero() {
		body.Until = de.Until.UTC().Format(time.RFC3339)
	}
	WriteJSON(w, e.Status, envelope{Error: body})
}

// toError maps any error to the *Error the client will see.
func toError(err error) *Error {
	if e, ok := errors.AsType[*Error](err); ok && e != nil && validStatus(e.Status) && e.Code != "" {
		return e
	}
	if de, ok := moderation.AsError(err); ok && de != nil && de.Code != "" {
		status := 0
		switch de.Kind {
		case moderation.KindInvalid:
			status = http.StatusUnprocessableEntity
		case moderation.KindConflict:
			status = http.StatusConflict
		case moderation.KindNotFound:
			status = http.StatusNotFound
		case moderation.KindForbidden:
			status = http.StatusForbidden
		case moderation.KindGone:
			status = http.StatusGone
		case moderation.KindRateLimited:
			status = http.StatusTooManyRequests
		case moderation.KindPrecondition:
			status = http.StatusPreconditionFailed
		case moderation.KindUnauthenticated:
			status = http.StatusUnauthorized
		}
		if status != 0 {
			return &Error{Status: status, Code: de.Code, Message: de.Message, Fields: de.Fields}
		}
	}
	return internalError()
}

func validStatus(s int) bool { return s >= 400 && s <= 599 }

func logInternal(r *http.Request, err error) {
	if r == nil {
		slog.Error("request failed", "err", err)
		return
	}
	slog.ErrorContext(r.Context(), "request failed",
		"err", err,
		"requestId", RequestID(r),
		"method", r.Method,
		"route", r.Pattern,
	)
}
