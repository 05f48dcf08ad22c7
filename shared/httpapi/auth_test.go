package httpapi

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/awslabs/aws-lambda-go-api-proxy/httpadapter"
)

// TestPrincipalFromTrustsNoMissingOrEmptyClaim feeds PrincipalFrom the
// claims as API Gateway hands them over (every one a string) and checks that
// it never builds a caller from a missing, empty or flattened identity.
func TestPrincipalFromTrustsNoMissingOrEmptyClaim(t *testing.T) {
	tests := []struct {
		name   string
		claims map[string]string
		want   Principal
		ok     bool
	}{
		{name: "business", claims: businessClaims, want: Principal{Subject: "user-1", Role: "business", BusinessID: "biz_1"}, ok: true},
		{name: "compliance without business_id", claims: complianceClaims, want: Principal{Subject: "agent-1", Role: "compliance"}, ok: true},
		{name: "no role is left for the router", claims: map[string]string{"sub": "u"}, want: Principal{Subject: "u"}, ok: true},
		{name: "sub with inner spaces and unicode", claims: map[string]string{"sub": "auth0|Åsa Berg", "role": "platform"}, want: Principal{Subject: "auth0|Åsa Berg", Role: "platform"}, ok: true},
		{name: "no claims", claims: nil},
		{name: "empty claims", claims: map[string]string{}},
		{name: "no sub", claims: map[string]string{"role": "business", "business_id": "biz_1"}},
		{name: "empty sub", claims: map[string]string{"sub": "", "role": "business", "business_id": "biz_1"}},
		{name: "blank sub", claims: map[string]string{"sub": "   ", "role": "platform"}},
		{name: "empty role", claims: map[string]string{"sub": "u", "role": "", "business_id": "biz_1"}},
		{name: "padded role", claims: map[string]string{"sub": "u", "role": "business ", "business_id": "biz_1"}},
		{name: "empty business_id", claims: map[string]string{"sub": "u", "role": "business", "business_id": ""}},
		{name: "padded business_id", claims: map[string]string{"sub": "u", "role": "business", "business_id": " biz_1"}},
		{name: "business_id with a newline", claims: map[string]string{"sub": "u", "role": "business", "business_id": "biz_1\nbiz_2"}},
		{name: "business_id from a JSON list", claims: map[string]string{"sub": "u", "role": "business", "business_id": "[biz_1 biz_2]"}},
		{name: "business_id from a JSON object", claims: map[string]string{"sub": "u", "role": "business", "business_id": "map[id:biz_1]"}},
		{name: "role from a JSON list", claims: map[string]string{"sub": "u", "role": "[business platform]", "business_id": "biz_1"}},
		{name: "sub from a JSON list", claims: map[string]string{"sub": "[a b]", "role": "platform"}},
		{name: "sub invalid UTF-8", claims: map[string]string{"sub": "u\xff", "role": "platform"}},
		{name: "sub of 255 bytes", claims: map[string]string{"sub": strings.Repeat("s", 255), "role": "platform"}, want: Principal{Subject: strings.Repeat("s", 255), Role: "platform"}, ok: true},
		{name: "sub over 255 bytes (OpenID Connect's limit)", claims: map[string]string{"sub": strings.Repeat("s", 3000), "role": "business", "business_id": "biz_1"}},
		{name: "business_id over 64 bytes", claims: map[string]string{"sub": "u", "role": "business", "business_id": strings.Repeat("b", 3000)}},
		{name: "business_id with a key separator", claims: map[string]string{"sub": "u", "role": "business", "business_id": "biz_1#REPORTS"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got Principal
			var ok bool
			adapter := httpadapter.NewV2(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				got, ok = PrincipalFrom(r)
				w.WriteHeader(http.StatusNoContent)
			}))
			if _, err := adapter.ProxyWithContext(context.Background(), v2Event("GET", "/v1/x", tt.claims)); err != nil {
				t.Fatalf("ProxyWithContext() error = %v", err)
			}
			if ok != tt.ok || got != tt.want {
				t.Errorf("PrincipalFrom() = %+v, %v; want %+v, %v", got, ok, tt.want, tt.ok)
			}
		})
	}
}

// TestRouterRefusesFlattenedBusinessID: through the Router, a business token
// whose business_id API Gateway flattened from a list is a 401, never a
// business called "[a b]".
func TestRouterRefusesFlattenedBusinessID(t *testing.T) {
	captureLogs(t)
	adapter := httpadapter.NewV2(testRouter())
	ev := v2Event("GET", "/v1/reviews/rev_1", map[string]string{"sub": "u", "role": "business", "business_id": "[biz_1 biz_2]"})
	resp, err := adapter.ProxyWithContext(context.Background(), ev)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("status = %d, want 401 (body %s)", resp.StatusCode, resp.Body)
	}
}
