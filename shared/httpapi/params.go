package httpapi

import (
	"net/http"
	"strconv"
)

// Pagination bounds (docs/api.md: limit ≤ 100).
const (
	DefaultLimit = 20
	MaxLimit     = 100
)

// MaxIdempotencyKeyLen is the longest Idempotency-Key accepted.
const MaxIdempotencyKeyLen = 255

// ParseLimit reads the page size from ?limit=: DefaultLimit when absent or
// empty, otherwise a whole number from 1 to MaxLimit given once, else a 422
// validation_failed with Fields{"limit": ...}.
func ParseLimit(r *http.Request) (int, error) {
	vals, ok := r.URL.Query()["limit"]
	if !ok || (len(vals) == 1 && vals[0] == "") {
		return DefaultLimit, nil
	}
	const problem = "must be a whole number from 1 to 100"
	if len(vals) > 1 {
		return 0, Invalid(map[string]string{"limit": "must be given once"})
	}
	s := vals[0]
	if len(s) > 3 || !allDigits(s) {
		return 0, Invalid(map[string]string{"limit": problem})
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > MaxLimit {
		return 0, Invalid(map[string]string{"limit": problem})
	}
	return n, nil
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// IdempotencyKey returns the Idempotency-Key header, or "" when the request
// has none. A key must be given once and be 1 to MaxIdempotencyKeyLen
// printable ASCII characters (space to ~), else the error is a 422
// validation_failed with Fields{"Idempotency-Key": ...}.
func IdempotencyKey(r *http.Request) (string, error) {
	vals := r.Header.Values("Idempotency-Key")
	if len(vals) == 0 {
		return "", nil
	}
	if len(vals) > 1 {
		return "", Invalid(map[string]string{"Idempotency-Key": "must be given once"})
	}
	k := vals[0]
	if k == "" || len(k) > MaxIdempotencyKeyLen || !printableASCII(k) {
		return "", Invalid(map[string]string{"Idempotency-Key": "must be 1 to 255 printable ASCII characters"})
	}
	return k, nil
}

func printableASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7e {
			return false
		}
	}
	return true
}
