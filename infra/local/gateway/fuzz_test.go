package gateway

import (
	"encoding/base64"
	"encoding/json"
	"testing"

	"github.com/golang-jwt/jwt/v5"

	"github.com/candorhq/candor/shared/clock"
)

// FuzzAuthorize: whatever claims a token carries — signed with the right
// key, or any bytes at all — the gateway never panics, answers 401 or lets
// the request through, and lets it through only when the token is signed,
// unexpired (with the leeway) and its identity claims are JSON strings.
func FuzzAuthorize(f *testing.F) {
	for _, s := range []string{
		`{"sub":"u","role":"business","business_id":"b","exp":1767225600}`,
		`{"sub":"u","role":"business","business_id":7,"exp":1767225600}`,
		`{"sub":["u"],"role":"platform","exp":1767225600}`,
		`{"sub":"u","role":"compliance","exp":1767225600,"iat":1767222000,"nbf":1767222000}`,
		`{"sub":"u","role":"business","business_id":null,"exp":"soon"}`,
		`{"sub":"u","role":"business","exp":1}`,
		`{}`, `[]`, `null`, `{"exp":1e400}`,
	} {
		f.Add(s, true)
		f.Add(s, false)
	}
	gw, rc := newTestGateway(clock.NewManual(start), Config{})
	f.Fuzz(func(t *testing.T, payload string, sign bool) {
		claims := jwt.MapClaims{}
		parsed := json.Unmarshal([]byte(payload), &claims) == nil
		var tok string
		if sign && parsed {
			s, err := jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString(testSecret)
			if err != nil {
				return
			}
			tok = s
		} else {
			sign = false
			tok = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9." + base64.RawURLEncoding.EncodeToString([]byte(payload)) + ".c2ln"
		}
		before := rc.calls()
		rec := serve(gw, "GET", "/v1/reviews/rev_1", tok, nil)
		if rec.Code == 401 {
			return
		}
		if rc.calls() != before+1 {
			t.Fatalf("status %d without reaching the handler for %q", rec.Code, payload)
		}
		if !sign {
			t.Fatalf("a token with a forged signature was let through: %q", payload)
		}
		for _, c := range StringClaims {
			if v, ok := claims[c]; ok {
				if _, isString := v.(string); !isString {
					t.Fatalf("claim %s = %v (not a string) was let through", c, v)
				}
			}
		}
		exp, ok := claims["exp"].(float64)
		if !ok || float64(start.Add(-Leeway).Unix()) > exp {
			t.Fatalf("a token with exp %v was let through at %v", claims["exp"], start)
		}
	})
}
