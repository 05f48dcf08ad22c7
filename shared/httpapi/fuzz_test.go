package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"reflect"
	"testing"
)

// FuzzDecodeJSON decodes arbitrary bodies and content types into a report
// request. It must never panic; every failure must be an *Error with status
// 400, 413 or 415 (415 exactly when the content type is not JSON); and a
// success must mean the body was valid JSON that encoding/json decodes to
// the same value.
func FuzzDecodeJSON(f *testing.F) {
	// The seed corpus lives in testdata/fuzz/FuzzDecodeJSON.
	f.Fuzz(func(t *testing.T, contentType string, body []byte) {
		r := httptest.NewRequest(http.MethodPost, "/v1/reviews/rev_1/reports", bytes.NewReader(body))
		r.Header.Set("Content-Type", contentType)
		var got reportRequest
		err := DecodeJSON(r, &got)
		okType := jsonContentType(contentType)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error %v is a %T, want *Error", err, err)
			}
			switch e.Status {
			case http.StatusBadRequest, http.StatusRequestEntityTooLarge, http.StatusUnsupportedMediaType:
			default:
				t.Fatalf("status = %d, want 400, 413 or 415", e.Status)
			}
			if (e.Status == http.StatusUnsupportedMediaType) == okType {
				t.Fatalf("status = %d for content type %q, want 415 exactly when it is not JSON", e.Status, contentType)
			}
			return
		}
		if !okType {
			t.Fatalf("accepted content type %q", contentType)
		}
		if !json.Valid(body) {
			t.Fatalf("accepted invalid JSON %q", body)
		}
		var plain reportRequest
		if err := json.Unmarshal(body, &plain); err != nil {
			t.Fatalf("accepted %q, which encoding/json refuses: %v", body, err)
		}
		if !reflect.DeepEqual(got, plain) {
			t.Fatalf("decoded %+v, encoding/json decodes %+v", got, plain)
		}
	})
}
