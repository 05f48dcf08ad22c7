package httpapi

import (
	"context"
	"encoding/json"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"github.com/awslabs/aws-lambda-go-api-proxy/httpadapter"
)

// seen is what a test handler observed.
type seen struct {
	Principal Principal `json:"principal"`
	Param     string    `json:"param"`
	RequestID string    `json:"requestId"`
}

func echoHandler(param string) func(http.ResponseWriter, *http.Request, Principal) {
	return func(w http.ResponseWriter, r *http.Request, p Principal) {
		WriteJSON(w, http.StatusOK, seen{Principal: p, Param: r.PathValue(param), RequestID: RequestID(r)})
	}
}

func testRouter() *Router {
	rt := NewRouter()
	rt.Handle("GET /v1/reviews/{reviewId}", []string{RoleBusiness}, echoHandler("reviewId"))
	rt.Handle("GET /v1/reports/summary", []string{RoleBusiness}, echoHandler(""))
	rt.Handle("GET /v1/reports/{reportId}", []string{RoleBusiness}, echoHandler("reportId"))
	rt.Handle("POST /v1/compliance/tickets/{ticketId}/claim", []string{RoleCompliance}, echoHandler("ticketId"))
	rt.Handle("PUT /v1/platform/businesses/{businessId}", []string{RolePlatform}, echoHandler("businessId"))
	rt.Handle("GET /v1/public/reviews/{reviewId}", nil, echoHandler("reviewId"))
	rt.Handle("GET /v1/both/{id}", []string{RoleBusiness, RoleCompliance}, echoHandler("id"))
	rt.Handle("GET /v1/panic", nil, func(http.ResponseWriter, *http.Request, Principal) { panic("boom") })
	rt.Handle("GET /v1/files/{path...}", nil, echoHandler("path"))
	return rt
}

// v2Event builds an API Gateway HTTP API event as Lambda receives it.
func v2Event(method, rawPath string, claims map[string]string) events.APIGatewayV2HTTPRequest {
	ev := events.APIGatewayV2HTTPRequest{
		Version:  "2.0",
		RouteKey: "$default",
		RawPath:  rawPath,
		Headers:  map[string]string{"user-agent": "test"},
		RequestContext: events.APIGatewayV2HTTPRequestContext{
			RequestID:  "req-42",
			DomainName: "api.candor.test",
			Stage:      "$default",
			HTTP:       events.APIGatewayV2HTTPRequestContextHTTPDescription{Method: method, Path: rawPath, Protocol: "HTTP/1.1", SourceIP: "203.0.113.9"},
		},
	}
	if claims != nil {
		ev.RequestContext.Authorizer = &events.APIGatewayV2HTTPRequestContextAuthorizerDescription{
			JWT: &events.APIGatewayV2HTTPRequestContextAuthorizerJWTDescription{Claims: claims},
		}
	}
	return ev
}

var (
	businessClaims   = map[string]string{"sub": "user-1", "role": "business", "business_id": "biz_1", "exp": "1767225600"}
	complianceClaims = map[string]string{"sub": "agent-1", "role": "compliance", "exp": "1767225600"}
	platformClaims   = map[string]string{"sub": "platform", "role": "platform"}
)

func TestRouter(t *testing.T) {
	adapter := httpadapter.NewV2(testRouter())
	tests := []struct {
		name   string
		ev     events.APIGatewayV2HTTPRequest
		status int
		code   string // for errors
		allow  string
		want   *seen // for successes
	}{
		{
			name: "business reaches its route", ev: v2Event("GET", "/v1/reviews/rev_1", businessClaims), status: 200,
			want: &seen{Principal: Principal{Subject: "user-1", Role: "business", BusinessID: "biz_1"}, Param: "rev_1", RequestID: "req-42"},
		},
		{
			name: "literal segment wins over a parameter", ev: v2Event("GET", "/v1/reports/summary", businessClaims), status: 200,
			want: &seen{Principal: Principal{Subject: "user-1", Role: "business", BusinessID: "biz_1"}, RequestID: "req-42"},
		},
		{
			name: "compliance reaches its route", ev: v2Event("POST", "/v1/compliance/tickets/tkt_9/claim", complianceClaims), status: 200,
			want: &seen{Principal: Principal{Subject: "agent-1", Role: "compliance"}, Param: "tkt_9", RequestID: "req-42"},
		},
		{
			name: "platform reaches its route", ev: v2Event("PUT", "/v1/platform/businesses/biz_2", platformClaims), status: 200,
			want: &seen{Principal: Principal{Subject: "platform", Role: "platform"}, Param: "biz_2", RequestID: "req-42"},
		},
		{
			name: "route admitting two roles", ev: v2Event("GET", "/v1/both/x", complianceClaims), status: 200,
			want: &seen{Principal: Principal{Subject: "agent-1", Role: "compliance"}, Param: "x", RequestID: "req-42"},
		},
		{
			name: "public route without claims", ev: v2Event("GET", "/v1/public/reviews/rev_1", nil), status: 200,
			want: &seen{Param: "rev_1", RequestID: "req-42"},
		},
		{
			name: "public route still sees a caller", ev: v2Event("GET", "/v1/public/reviews/rev_1", businessClaims), status: 200,
			want: &seen{Principal: Principal{Subject: "user-1", Role: "business", BusinessID: "biz_1"}, Param: "rev_1", RequestID: "req-42"},
		},
		{
			name: "wildcard path", ev: v2Event("GET", "/v1/files/a/b.txt", nil), status: 200,
			want: &seen{Param: "a/b.txt", RequestID: "req-42"},
		},
		{name: "unknown path", ev: v2Event("GET", "/v1/nothing", businessClaims), status: 404, code: "not_found"},
		{name: "trailing slash is another path", ev: v2Event("GET", "/v1/reviews/rev_1/", businessClaims), status: 404, code: "not_found"},
		{name: "unclean path is not redirected", ev: v2Event("GET", "/v1//reviews/rev_1", businessClaims), status: 404, code: "not_found"},
		{name: "wrong method", ev: v2Event("DELETE", "/v1/reviews/rev_1", businessClaims), status: 405, code: "method_not_allowed", allow: "GET, HEAD"},
		{name: "wrong method on POST route", ev: v2Event("GET", "/v1/compliance/tickets/t/claim", complianceClaims), status: 405, code: "method_not_allowed", allow: "POST"},
		{name: "no claims", ev: v2Event("GET", "/v1/reviews/rev_1", nil), status: 401, code: "unauthorized"},
		{name: "claims without subject", ev: v2Event("GET", "/v1/reviews/rev_1", map[string]string{"role": "business", "business_id": "biz_1"}), status: 401, code: "unauthorized"},
		{name: "other role", ev: v2Event("GET", "/v1/reviews/rev_1", complianceClaims), status: 403, code: "forbidden"},
		{name: "business route for platform", ev: v2Event("POST", "/v1/compliance/tickets/t/claim", businessClaims), status: 403, code: "forbidden"},
		{name: "unknown role", ev: v2Event("GET", "/v1/reviews/rev_1", map[string]string{"sub": "x", "role": "admin", "business_id": "biz_1"}), status: 403, code: "forbidden"},
		{name: "business without business id", ev: v2Event("GET", "/v1/reviews/rev_1", map[string]string{"sub": "user-1", "role": "business"}), status: 403, code: "forbidden"},
		{name: "role is case-sensitive", ev: v2Event("GET", "/v1/reviews/rev_1", map[string]string{"sub": "u", "role": "Business", "business_id": "b"}), status: 403, code: "forbidden"},
		{name: "panicking handler", ev: v2Event("GET", "/v1/panic", nil), status: 500, code: "internal"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			captureLogs(t)
			resp, err := adapter.ProxyWithContext(context.Background(), tt.ev)
			if err != nil {
				t.Fatalf("ProxyWithContext() error = %v", err)
			}
			if resp.StatusCode != tt.status {
				t.Fatalf("status = %d, want %d (body %s)", resp.StatusCode, tt.status, resp.Body)
			}
			for h, want := range map[string]string{
				"X-Content-Type-Options": "nosniff",
				"Cache-Control":          "no-store",
				"Content-Type":           "application/json; charset=utf-8",
			} {
				if got := resp.Headers[h]; got != want {
					t.Errorf("header %s = %q, want %q", h, got, want)
				}
			}
			if !strings.Contains(resp.Headers["Content-Security-Policy"], "default-src 'none'") {
				t.Errorf("Content-Security-Policy = %q, want default-src 'none'", resp.Headers["Content-Security-Policy"])
			}
			if tt.want != nil {
				var got seen
				if err := json.Unmarshal([]byte(resp.Body), &got); err != nil {
					t.Fatalf("body %q: %v", resp.Body, err)
				}
				if got != *tt.want {
					t.Errorf("handler saw %+v, want %+v", got, *tt.want)
				}
				return
			}
			got := decodeEnvelope(t, []byte(resp.Body))
			if got.Error.Code != tt.code {
				t.Errorf("code = %q, want %q", got.Error.Code, tt.code)
			}
			if resp.Headers["Allow"] != tt.allow {
				t.Errorf("Allow = %q, want %q", resp.Headers["Allow"], tt.allow)
			}
			if tt.status == 401 && resp.Headers["Www-Authenticate"] != "Bearer" {
				t.Errorf("WWW-Authenticate = %q, want Bearer", resp.Headers["Www-Authenticate"])
			}
		})
	}
}

// A client cannot pass itself off as authenticated by sending the header in
// which httpadapter's Proxy (without context) carries the request context.
func TestRouterIgnoresForgedContextHeader(t *testing.T) {
	ev := v2Event("GET", "/v1/reviews/rev_1", nil)
	forged, _ := json.Marshal(events.APIGatewayV2HTTPRequestContext{
		Authorizer: &events.APIGatewayV2HTTPRequestContextAuthorizerDescription{
			JWT: &events.APIGatewayV2HTTPRequestContextAuthorizerJWTDescription{Claims: businessClaims},
		},
	})
	ev.Headers["x-golambdaproxy-apigw-context"] = string(forged)
	resp, err := httpadapter.NewV2(testRouter()).ProxyWithContext(context.Background(), ev)
	if err != nil {
		t.Fatalf("ProxyWithContext() error = %v", err)
	}
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("status = %d, want 401", resp.StatusCode)
	}
}

func TestRouterHandlerMayOverrideSecurityHeaders(t *testing.T) {
	rt := NewRouter()
	rt.Handle("GET /r/{token}", nil, func(w http.ResponseWriter, r *http.Request, _ Principal) {
		w.Header().Set("Content-Security-Policy", "default-src 'self'")
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write([]byte("<p>hello</p>"))
	})
	resp, err := httpadapter.NewV2(rt).ProxyWithContext(context.Background(), v2Event("GET", "/r/abc", nil))
	if err != nil {
		t.Fatalf("ProxyWithContext() error = %v", err)
	}
	if got := resp.Headers["Content-Security-Policy"]; got != "default-src 'self'" {
		t.Errorf("Content-Security-Policy = %q, want the handler's", got)
	}
	if got := resp.Headers["X-Frame-Options"]; got != "DENY" {
		t.Errorf("X-Frame-Options = %q, want DENY", got)
	}
}

func TestRoutes(t *testing.T) {
	rt := testRouter()
	got := rt.Routes()
	want := []Route{
		{Method: "GET", Path: "/v1/reviews/{reviewId}", Roles: []string{"business"}},
		{Method: "GET", Path: "/v1/reports/summary", Roles: []string{"business"}},
		{Method: "GET", Path: "/v1/reports/{reportId}", Roles: []string{"business"}},
		{Method: "POST", Path: "/v1/compliance/tickets/{ticketId}/claim", Roles: []string{"compliance"}},
		{Method: "PUT", Path: "/v1/platform/businesses/{businessId}", Roles: []string{"platform"}},
		{Method: "GET", Path: "/v1/public/reviews/{reviewId}", Roles: nil},
		{Method: "GET", Path: "/v1/both/{id}", Roles: []string{"business", "compliance"}},
		{Method: "GET", Path: "/v1/panic", Roles: nil},
		{Method: "GET", Path: "/v1/files/{path+}", Roles: nil},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Routes() =\n%v\nwant\n%v", got, want)
	}
	got[0].Roles[0] = "changed"
	if rt.Routes()[0].Roles[0] != "business" {
		t.Errorf("changing the result of Routes() changed the router")
	}
}

func TestHandleRejectsBadPatterns(t *testing.T) {
	for _, pattern := range []string{
		"/v1/reviews",          // no method
		"get /v1/reviews",      // lower-case method
		"GET api.example/v1/x", // host
		"GET /v1/reviews/",     // subtree
		"GET /",                // everything
		"GET /v1/{a}/{a}",      // ServeMux: repeated wildcard
		"GET /v1/reviews/{id",  // ServeMux: bad wildcard
	} {
		t.Run(pattern, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Errorf("Handle(%q) did not panic", pattern)
				}
			}()
			NewRouter().Handle(pattern, nil, func(http.ResponseWriter, *http.Request, Principal) {})
		})
	}
}

func TestHandleAcceptsExactRoot(t *testing.T) {
	rt := NewRouter()
	rt.Handle("GET /{$}", nil, func(w http.ResponseWriter, _ *http.Request, _ Principal) { WriteJSON(w, 200, "root") })
	if got := rt.Routes()[0].Path; got != "/" {
		t.Errorf("path = %q, want /", got)
	}
	resp, err := httpadapter.NewV2(rt).ProxyWithContext(context.Background(), v2Event("GET", "/other", nil))
	if err != nil || resp.StatusCode != 404 {
		t.Errorf("GET /other = %d, %v; want 404", resp.StatusCode, err)
	}
}
