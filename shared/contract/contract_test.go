package contract_test

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/candorhq/candor/api"
	"github.com/candorhq/candor/shared/contract"
)

func mustLoad(t testing.TB) *contract.Spec {
	t.Helper()
	s, err := contract.Load(api.OpenAPI)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// token is an unsigned JWT with the given claims: Check reads the role, the
// authorizer (not the contract) checks signatures.
func token(role, business string) string {
	claims := map[string]any{"sub": "u-1", "role": role}
	if business != "" {
		claims["business_id"] = business
	}
	p, _ := json.Marshal(claims)
	return "Bearer e30." + base64.RawURLEncoding.EncodeToString(p) + ".c2ln"
}

func hdr(kv ...string) http.Header {
	h := http.Header{}
	for i := 0; i+1 < len(kv); i += 2 {
		h.Set(kv[i], kv[i+1])
	}
	return h
}

const jsonCT = "application/json; charset=utf-8"

const review = `{"id":"rev-1","businessId":"biz-1","version":1,"visibility":"published","stars":1,"title":"t","text":"x",
 "source":"organic","experienceDate":"2026-10-20","openReportId":null,"openRequestId":null,
 "createdAt":"2026-11-02T09:00:00Z","updatedAt":"2026-11-02T09:00:00Z"}`

const notFound = `{"error":{"code":"not_found","message":"not found"}}`

func TestCheck(t *testing.T) {
	s := mustLoad(t)
	biz := hdr("Authorization", token("business", "biz-1"))
	bizJSON := hdr("Authorization", token("business", "biz-1"), "Content-Type", "application/json")
	okList := `{"items":[` + review + `],"nextCursor":null}`
	report := `{"items":[{"scope":"review","reason":"spam","details":"The same text was posted on three shops."}],"publicStatement":"We have no record of this order."}`
	tests := []struct {
		name string
		x    contract.Exchange
		want string // a substring of the error, "" for none
	}{
		{"a list as described", contract.Exchange{Method: "GET", Path: "/v1/reviews", RequestHeader: biz,
			Status: 200, Header: hdr("Content-Type", jsonCT), Body: []byte(okList)}, ""},
		{"a renamed field", contract.Exchange{Method: "GET", Path: "/v1/reviews", RequestHeader: biz,
			Status: 200, Header: hdr("Content-Type", jsonCT), Body: []byte(strings.Replace(okList, `"stars"`, `"starz"`, 1))}, "missing property 'stars'"},
		{"an extra field", contract.Exchange{Method: "GET", Path: "/v1/reviews", RequestHeader: biz,
			Status: 200, Header: hdr("Content-Type", jsonCT), Body: []byte(strings.Replace(okList, `"stars"`, `"reviewer":"ana","stars"`, 1))}, "/items/0/reviewer"},
		{"a wrong enum value", contract.Exchange{Method: "GET", Path: "/v1/reviews", RequestHeader: biz,
			Status: 200, Header: hdr("Content-Type", jsonCT), Body: []byte(strings.Replace(okList, `"organic"`, `"bought"`, 1))}, "/items/0/source"},
		{"a status the operation does not list", contract.Exchange{Method: "GET", Path: "/v1/reviews", RequestHeader: biz,
			Status: 409, Header: hdr("Content-Type", jsonCT), Body: []byte(`{"error":{"code":"report_open","message":"m"}}`)}, "status 409 is not one the operation lists"},
		{"an error code the status does not have", contract.Exchange{Method: "GET", Path: "/v1/reviews/rev-1", RequestHeader: biz,
			Status: 404, Header: hdr("Content-Type", jsonCT), Body: []byte(`{"error":{"code":"gone","message":"m"}}`)}, "does not match"},
		{"an error code the contract does not know", contract.Exchange{Method: "POST", Path: "/v1/reviews/rev-1/reports", RequestHeader: bizJSON, RequestBody: []byte(report),
			Status: 409, Header: hdr("Content-Type", jsonCT), Body: []byte(`{"error":{"code":"report_is_open","message":"m"}}`)}, "does not match"},
		{"an unknown route answered 404", contract.Exchange{Method: "GET", Path: "/v1/nowhere",
			Status: 404, Header: hdr("Content-Type", jsonCT), Body: []byte(notFound)}, ""},
		{"an unknown route answered 200", contract.Exchange{Method: "GET", Path: "/v1/nowhere",
			Status: 200, Header: hdr("Content-Type", jsonCT), Body: []byte(`{}`)}, "no operation of the description"},
		{"a literal segment beats a parameter", contract.Exchange{Method: "GET", Path: "/v1/reports/summary", RequestHeader: biz,
			Status: 200, Header: hdr("Content-Type", jsonCT), Body: []byte(`{}`)}, "/components/schemas/ReportSummary"},
		{"another role's token accepted", contract.Exchange{Method: "GET", Path: "/v1/reviews", RequestHeader: hdr("Authorization", token("compliance", "")),
			Status: 200, Header: hdr("Content-Type", jsonCT), Body: []byte(okList)}, `role "compliance" is not one of [business]`},
		{"another role's token refused", contract.Exchange{Method: "GET", Path: "/v1/reviews", RequestHeader: hdr("Authorization", token("compliance", "")),
			Status: 403, Header: hdr("Content-Type", jsonCT), Body: []byte(`{"error":{"code":"forbidden","message":"m"}}`)}, ""},
		{"no token accepted", contract.Exchange{Method: "GET", Path: "/v1/reviews",
			Status: 200, Header: hdr("Content-Type", jsonCT), Body: []byte(okList)}, "no bearer token"},
		{"401 without WWW-Authenticate", contract.Exchange{Method: "GET", Path: "/v1/reviews",
			Status: 401, Header: hdr("Content-Type", jsonCT), Body: []byte(`{"error":{"code":"unauthorized","message":"m"}}`)}, "header Www-Authenticate is missing"},
		{"a limit out of range accepted", contract.Exchange{Method: "GET", Path: "/v1/reviews", Query: "limit=101", RequestHeader: biz,
			Status: 200, Header: hdr("Content-Type", jsonCT), Body: []byte(okList)}, "query parameter limit"},
		{"a status filter out of the enum accepted", contract.Exchange{Method: "GET", Path: "/v1/reports", Query: "status=open", RequestHeader: biz,
			Status: 200, Header: hdr("Content-Type", jsonCT), Body: []byte(`{"items":[],"nextCursor":null}`)}, "query parameter status"},
		{"an unknown body field accepted", contract.Exchange{Method: "POST", Path: "/v1/reviews/rev-1/reviewer-requests", RequestHeader: bizJSON,
			RequestBody: []byte(`{"message":"Could you send us your order number?","urgent":true}`),
			Status:      202, Header: hdr("Content-Type", jsonCT), Body: []byte(`{}`)}, "the description refuses the request"},
		{"an unknown body field refused", contract.Exchange{Method: "POST", Path: "/v1/reviews/rev-1/reviewer-requests", RequestHeader: bizJSON,
			RequestBody: []byte(`{"message":"Could you send us your order number?","urgent":true}`),
			Status:      400, Header: hdr("Content-Type", jsonCT), Body: []byte(`{"error":{"code":"malformed_request","message":"m","fields":{"urgent":"unknown field"}}}`)}, ""},
		{"a long Idempotency-Key accepted", contract.Exchange{Method: "POST", Path: "/v1/reviews/rev-1/reports",
			RequestHeader: hdr("Authorization", token("business", "biz-1"), "Content-Type", "application/json", "Idempotency-Key", strings.Repeat("k", 256)),
			RequestBody:   []byte(report), Status: 202, Header: hdr("Content-Type", jsonCT), Body: []byte(`{}`)}, "header parameter Idempotency-Key"},
		{"a body of the wrong media type accepted", contract.Exchange{Method: "POST", Path: "/v1/reviews/rev-1/reports",
			RequestHeader: hdr("Authorization", token("business", "biz-1"), "Content-Type", "text/plain"),
			RequestBody:   []byte(report), Status: 202, Header: hdr("Content-Type", jsonCT), Body: []byte(`{}`)}, `Content-Type "text/plain"`},
		{"a response of an undeclared media type", contract.Exchange{Method: "GET", Path: "/v1/reviews", RequestHeader: biz,
			Status: 200, Header: hdr("Content-Type", "text/html"), Body: []byte(okList)}, `Content-Type "text/html"`},
		{"a reviewer page", contract.Exchange{Method: "GET", Path: "/r/abc",
			Status: 410, Header: hdr("Content-Type", "text/html; charset=utf-8"), Body: []byte("<!doctype html>")}, ""},
		{"HEAD of a reviewer page is its GET", contract.Exchange{Method: "HEAD", Path: "/r/abc",
			Status: 200, Header: hdr("Content-Type", "text/html; charset=utf-8")}, ""},
		{"a public review under investigation", contract.Exchange{Method: "GET", Path: "/v1/public/reviews/rev-1",
			Status: 200, Header: hdr("Content-Type", jsonCT),
			Body: []byte(`{"visibility":"under_investigation","businessName":"Acme","publicStatement":"We have no record.","reportedAt":"2026-11-02T09:00:00Z"}`)}, ""},
		{"a public review leaking its content while under investigation", contract.Exchange{Method: "GET", Path: "/v1/public/reviews/rev-1",
			Status: 200, Header: hdr("Content-Type", jsonCT),
			Body: []byte(`{"visibility":"under_investigation","businessName":"Acme","publicStatement":"We have no record.","reportedAt":"2026-11-02T09:00:00Z","review":{}}`)}, "oneOf"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := s.Check(tc.x)
			switch {
			case tc.want == "" && err != nil:
				t.Errorf("Check = %v, want nil", err)
			case tc.want != "" && err == nil:
				t.Errorf("Check = nil, want an error with %q", tc.want)
			case tc.want != "" && !strings.Contains(err.Error(), tc.want):
				t.Errorf("Check = %v, want an error with %q", err, tc.want)
			}
		})
	}
}

func TestLoadRefusesADefaultResponse(t *testing.T) {
	doc := `openapi: 3.1.0
info: {title: t, version: "1"}
paths:
  /x:
    get:
      responses:
        default: {description: anything}
`
	if _, err := contract.Load([]byte(doc)); err == nil || !strings.Contains(err.Error(), "default") {
		t.Errorf("Load = %v, want a refusal of the default response", err)
	}
}

func TestLoadRefusesABrokenSchema(t *testing.T) {
	doc := `openapi: 3.1.0
info: {title: t, version: "1"}
paths:
  /x:
    get:
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Missing"}
`
	if _, err := contract.Load([]byte(doc)); err == nil {
		t.Error("Load = nil, want an error for a reference to nothing")
	}
}

func TestLoadRefusesOpenAPI30(t *testing.T) {
	if _, err := contract.Load([]byte("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n")); err == nil {
		t.Error("Load = nil, want a refusal of 3.0")
	}
}

// BenchmarkCheck measures what holding one exchange (a report with its
// timeline) to the contract costs the end-to-end tests. The body is the
// contract's own example of the response (which TestExamplesMatchTheirSchemas
// keeps true), so the benchmark follows the contract as it changes.
func BenchmarkCheck(b *testing.B) {
	s := mustLoad(b)
	body := responseExample(b, "/v1/reports/{reportId}", "get", "200")
	x := contract.Exchange{Method: "GET", Path: "/v1/reports/rpt_0192f1c2c1b27c3a9d4e5f60718293a4",
		RequestHeader: hdr("Authorization", token("business", "biz-1")), Status: 200, Header: hdr("Content-Type", jsonCT), Body: body}
	b.ReportAllocs()
	for b.Loop() {
		if err := s.Check(x); err != nil {
			b.Fatal(err)
		}
	}
}

// responseExample is the JSON of the example api/openapi.yaml gives for an
// operation's response.
func responseExample(b *testing.B, path, method, status string) []byte {
	b.Helper()
	var doc map[string]any
	if err := yaml.Unmarshal(api.OpenAPI, &doc); err != nil {
		b.Fatal(err)
	}
	var v any = doc
	for _, k := range []string{"paths", path, method, "responses", status, "content", "application/json", "example"} {
		m, ok := v.(map[string]any)
		if !ok || m[k] == nil {
			b.Fatalf("api/openapi.yaml has no %s in the example of %s %s → %s", k, method, path, status)
		}
		v = m[k]
	}
	body, err := json.Marshal(v)
	if err != nil {
		b.Fatal(err)
	}
	return body
}

func BenchmarkLoad(b *testing.B) {
	for b.Loop() {
		if _, err := contract.Load(api.OpenAPI); err != nil {
			b.Fatal(err)
		}
	}
}

// TestExamplesMatchTheirSchemas keeps the description's examples true:
// a reader copies them.
func TestExamplesMatchTheirSchemas(t *testing.T) {
	for _, err := range mustLoad(t).CheckExamples() {
		t.Error(err)
	}
}
