package httpapi

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestParseLimit(t *testing.T) {
	tests := []struct {
		query string
		want  int
		field string // "" when valid
	}{
		{query: "", want: 20},
		{query: "?cursor=abc", want: 20},
		{query: "?limit=", want: 20},
		{query: "?limit=1", want: 1},
		{query: "?limit=100", want: 100},
		{query: "?limit=007", want: 7},
		{query: "?limit=0", field: "must be a whole number from 1 to 100"},
		{query: "?limit=101", field: "must be a whole number from 1 to 100"},
		{query: "?limit=-5", field: "must be a whole number from 1 to 100"},
		{query: "?limit=%2B5", field: "must be a whole number from 1 to 100"},
		{query: "?limit=ten", field: "must be a whole number from 1 to 100"},
		{query: "?limit=2.5", field: "must be a whole number from 1 to 100"},
		{query: "?limit=99999999999999999999", field: "must be a whole number from 1 to 100"},
		{query: "?limit=5&limit=6", field: "must be given once"},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			got, err := ParseLimit(httptest.NewRequest(http.MethodGet, "/v1/reports"+tt.query, nil))
			if tt.field == "" {
				if err != nil || got != tt.want {
					t.Errorf("ParseLimit() = %d, %v; want %d, nil", got, err, tt.want)
				}
				return
			}
			wantError(t, err, 422, "validation_failed", map[string]string{"limit": tt.field})
		})
	}
}

func TestIdempotencyKey(t *testing.T) {
	const problem = "must be 1 to 255 printable ASCII characters"
	tests := []struct {
		name   string
		values []string // nil: no header
		want   string
		field  string // "" when valid
	}{
		{name: "absent", values: nil, want: ""},
		{name: "uuid", values: []string{"0b1f6c1e-6a8e-4b57-9c2f-4a4f0d7f3c21"}, want: "0b1f6c1e-6a8e-4b57-9c2f-4a4f0d7f3c21"},
		{name: "one character", values: []string{"k"}, want: "k"},
		{name: "punctuation and spaces", values: []string{"order 42/retry ~1"}, want: "order 42/retry ~1"},
		{name: "255 characters", values: []string{strings.Repeat("a", 255)}, want: strings.Repeat("a", 255)},
		{name: "256 characters", values: []string{strings.Repeat("a", 256)}, field: problem},
		{name: "empty", values: []string{""}, field: problem},
		{name: "non-ASCII", values: []string{"clé"}, field: problem},
		{name: "control character", values: []string{"a\x01b"}, field: problem},
		{name: "twice", values: []string{"a", "b"}, field: "must be given once"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodPost, "/v1/reviews/rev_1/reports", nil)
			for _, v := range tt.values {
				r.Header.Add("Idempotency-Key", v)
			}
			got, err := IdempotencyKey(r)
			if tt.field == "" {
				if err != nil || got != tt.want {
					t.Errorf("IdempotencyKey() = %q, %v; want %q, nil", got, err, tt.want)
				}
				return
			}
			wantError(t, err, 422, "validation_failed", map[string]string{"Idempotency-Key": tt.field})
		})
	}
}
