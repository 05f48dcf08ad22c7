package httpapi

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// benchReport is a report with 11 items, the most a report may carry.
func benchReport() []byte {
	item := `{"scope":"content","reason":"offensive_or_harmful","details":"` + strings.Repeat("The review insults our staff. ", 30) + `","excerpt":"insults our staff"}`
	items := strings.TrimSuffix(strings.Repeat(item+",", 11), ",")
	return []byte(`{"items":[` + items + `],"publicStatement":"We have reported this review for abusive language."}`)
}

func BenchmarkDecodeJSON(b *testing.B) {
	body := benchReport()
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		r := httptest.NewRequest(http.MethodPost, "/v1/reviews/rev_1/reports", bytes.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
		var dst reportRequest
		if err := DecodeJSON(r, &dst); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEncodingJSON is the baseline: encoding/json alone, without the
// strict checks.
func BenchmarkEncodingJSON(b *testing.B) {
	body := benchReport()
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		r := httptest.NewRequest(http.MethodPost, "/v1/reviews/rev_1/reports", bytes.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
		var dst reportRequest
		dec := json.NewDecoder(r.Body)
		dec.DisallowUnknownFields()
		if err := dec.Decode(&dst); err != nil {
			b.Fatal(err)
		}
	}
}
