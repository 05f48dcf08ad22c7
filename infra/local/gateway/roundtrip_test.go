package gateway

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/awslabs/aws-lambda-go-api-proxy/httpadapter"

	"github.com/candorhq/candor/shared/clock"
	"github.com/candorhq/candor/shared/httpapi"
)

// apiRouter is a miniature Candor API: the handlers answer with what they
// saw, so the test can tell what crossed the gateway and the adapter.
func apiRouter() *httpapi.Router {
	rt := httpapi.NewRouter()
	rt.Handle("GET /v1/reviews/{reviewId}", []string{httpapi.RoleBusiness}, func(w http.ResponseWriter, r *http.Request, p httpapi.Principal) {
		httpapi.WriteJSON(w, http.StatusOK, map[string]string{
			"reviewId": r.PathValue("reviewId"), "sub": p.Subject, "role": p.Role, "businessId": p.BusinessID,
			"requestId": httpapi.RequestID(r), "limit": r.URL.Query().Get("limit"),
		})
	})
	rt.Handle("POST /v1/reviews/{reviewId}/reports", []string{httpapi.RoleBusiness}, func(w http.ResponseWriter, r *http.Request, p httpapi.Principal) {
		var req struct {
			PublicStatement string `json:"publicStatement"`
		}
		if err := httpapi.DecodeJSON(r, &req); err != nil {
			httpapi.WriteError(w, r, err)
			return
		}
		httpapi.WriteJSON(w, http.StatusAccepted, map[string]string{"publicStatement": req.PublicStatement})
	})
	rt.Handle("GET /v1/public/reviews/{reviewId}", nil, func(w http.ResponseWriter, r *http.Request, _ httpapi.Principal) {
		httpapi.WriteJSON(w, http.StatusOK, map[string]string{"visibility": "published"})
	})
	return rt
}

// apigwRequestID in a wanted body stands for the request id the gateway
// answered in its apigw-requestid header.
const apigwRequestID = "<apigw-requestid>"

func TestRoundTripThroughTheLambdaAdapter(t *testing.T) {
	clk := clock.NewManual(start)
	router := apiRouter()
	gw := New(Config{
		Secret: testSecret,
		Clock:  clk,
		Routes: RoutesFrom(router.Routes()),
		Logger: slog.New(slog.DiscardHandler),
	}, httpadapter.NewV2(router).ProxyWithContext)

	business := mustToken(t, start, time.Hour, "business", "biz_1")
	compliance := mustToken(t, start, time.Hour, "compliance", "")
	businessWithoutID := mustToken(t, start, time.Hour, "business", "")

	tests := []struct {
		name        string
		method      string
		target      string
		token       string
		contentType string
		body        string
		status      int
		want        map[string]string // decoded body, success or error.code
	}{
		{
			name: "business reads its review", method: "GET", target: "/v1/reviews/rev_1?limit=5", token: business, status: 200,
			want: map[string]string{"reviewId": "rev_1", "sub": "user-1", "role": "business", "businessId": "biz_1", "requestId": apigwRequestID, "limit": "5"},
		},
		{
			name: "report body reaches DecodeJSON", method: "POST", target: "/v1/reviews/rev_1/reports", token: business,
			contentType: "application/json; charset=utf-8", body: `{"publicStatement":"We reported this."}`, status: 202,
			want: map[string]string{"publicStatement": "We reported this."},
		},
		{
			name: "strict decoding through the whole stack", method: "POST", target: "/v1/reviews/rev_1/reports", token: business,
			contentType: "application/json", body: `{"publicStatement":"a","publicStatement":"b"}`, status: 400,
			want: map[string]string{"code": "malformed_request"},
		},
		{
			name: "content type survives the adapter", method: "POST", target: "/v1/reviews/rev_1/reports", token: business,
			contentType: "text/plain", body: `{"publicStatement":"a"}`, status: 415,
			want: map[string]string{"code": "unsupported_media_type"},
		},
		{name: "no token: the gateway refuses", method: "GET", target: "/v1/reviews/rev_1", status: 401, want: map[string]string{"code": "unauthorized"}},
		{name: "other role: the router refuses", method: "GET", target: "/v1/reviews/rev_1", token: compliance, status: 403, want: map[string]string{"code": "forbidden"}},
		{name: "business without business id", method: "GET", target: "/v1/reviews/rev_1", token: businessWithoutID, status: 403, want: map[string]string{"code": "forbidden"}},
		{name: "public route", method: "GET", target: "/v1/public/reviews/rev_1", status: 200, want: map[string]string{"visibility": "published"}},
		{name: "unknown route", method: "GET", target: "/v1/unknown", token: business, status: 404, want: map[string]string{"code": "not_found"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest(tt.method, tt.target, strings.NewReader(tt.body))
			if tt.token != "" {
				r.Header.Set("Authorization", "Bearer "+tt.token)
			}
			if tt.contentType != "" {
				r.Header.Set("Content-Type", tt.contentType)
			}
			rec := httptest.NewRecorder()
			gw.ServeHTTP(rec, r)
			if rec.Code != tt.status {
				t.Fatalf("status = %d, want %d (body %s)", rec.Code, tt.status, rec.Body)
			}
			if ct := rec.Header().Get("Content-Type"); ct != "application/json; charset=utf-8" {
				t.Errorf("Content-Type = %q, want application/json; charset=utf-8", ct)
			}
			if rec.Header().Get("X-Content-Type-Options") != "nosniff" {
				t.Errorf("X-Content-Type-Options is missing")
			}
			got := map[string]string{}
			var raw map[string]json.RawMessage
			if err := json.Unmarshal(rec.Body.Bytes(), &raw); err != nil {
				t.Fatalf("body %s: %v", rec.Body, err)
			}
			if e, ok := raw["error"]; ok {
				var env struct {
					Code string `json:"code"`
				}
				_ = json.Unmarshal(e, &env)
				got["code"] = env.Code
			} else if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil {
				t.Fatalf("body %s: %v", rec.Body, err)
			}
			for k, want := range tt.want {
				if want == apigwRequestID {
					want = rec.Header().Get("Apigw-Requestid")
				}
				if got[k] != want || want == "" {
					t.Errorf("%s = %q, want %q (body %s)", k, got[k], want, rec.Body)
				}
			}
		})
	}
}
