package gateway

import (
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/golang-jwt/jwt/v5"

	"github.com/candorhq/candor/shared/clock"
)

var (
	testSecret = []byte("test-secret")
	// start is one hour before exp 1767225600 (2026-01-01T00:00:00Z).
	start = time.Date(2025, 12, 31, 23, 0, 0, 0, time.UTC)
)

var testRoutes = []Route{
	{Method: "GET", Path: "/v1/reviews/{reviewId}", Auth: true},
	{Method: "GET", Path: "/v1/reports/summary", Auth: true},
	{Method: "GET", Path: "/v1/reports/{reportId}", Auth: true},
	{Method: "GET", Path: "/v1/public/reviews/{reviewId}", Auth: false},
	{Method: "POST", Path: "/v1/upload", Auth: false},
	{Method: "ANY", Path: "/files/{proxy+}", Auth: false},
	{Method: "GET", Path: "/files/special/{name}", Auth: false},
}

// recorder is a Lambda handler that keeps the events it got and answers with
// resp (a 200 by default).
type recorder struct {
	mu      sync.Mutex
	events  []events.APIGatewayV2HTTPRequest
	resp    events.APIGatewayV2HTTPResponse
	err     error
	panics  bool
	useResp bool // answer resp as it is, even with status 0
}

func (rc *recorder) handle(_ context.Context, ev events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	rc.events = append(rc.events, ev)
	if rc.panics {
		panic("boom")
	}
	if !rc.useResp {
		return events.APIGatewayV2HTTPResponse{StatusCode: 200, Headers: map[string]string{"Content-Type": "application/json"}, Body: `{}`}, rc.err
	}
	return rc.resp, rc.err
}

func (rc *recorder) last(t *testing.T) events.APIGatewayV2HTTPRequest {
	t.Helper()
	rc.mu.Lock()
	defer rc.mu.Unlock()
	if len(rc.events) == 0 {
		t.Fatalf("the handler was not called")
	}
	return rc.events[len(rc.events)-1]
}

func (rc *recorder) calls() int {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return len(rc.events)
}

func newTestGateway(clk clock.Clock, cfg Config) (http.Handler, *recorder) {
	rc := &recorder{}
	cfg.Secret = testSecret
	cfg.Clock = clk
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Routes == nil {
		cfg.Routes = testRoutes
	}
	n := 0
	var mu sync.Mutex
	cfg.NewRequestID = func() string {
		mu.Lock()
		defer mu.Unlock()
		n++
		return fmt.Sprintf("req-%d", n)
	}
	return New(cfg, rc.handle), rc
}

func mustToken(t *testing.T, now time.Time, ttl time.Duration, role, businessID string) string {
	t.Helper()
	tok, err := Token(testSecret, now, ttl, "user-1", role, businessID, "", "")
	if err != nil {
		t.Fatalf("Token() error = %v", err)
	}
	return tok
}

// signed signs arbitrary claims with the test secret and the given method.
func signed(t *testing.T, method jwt.SigningMethod, key any, claims jwt.MapClaims) string {
	t.Helper()
	s, err := jwt.NewWithClaims(method, claims).SignedString(key)
	if err != nil {
		t.Fatalf("sign: %v", err)
	}
	return s
}

func serve(h http.Handler, method, target, token string, body io.Reader) *httptest.ResponseRecorder {
	r := httptest.NewRequest(method, target, body)
	r.RemoteAddr = "198.51.100.7:54321"
	r.Host = "localhost:3000"
	if token != "" {
		r.Header.Set("Authorization", "Bearer "+token)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, r)
	return rec
}

type envelope struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

func wantEnvelope(t *testing.T, rec *httptest.ResponseRecorder, status int, code string) {
	t.Helper()
	if rec.Code != status {
		t.Fatalf("status = %d, want %d (body %s)", rec.Code, status, rec.Body)
	}
	var env envelope
	if err := json.Unmarshal(rec.Body.Bytes(), &env); err != nil || env.Error.Code != code {
		t.Errorf("body = %s, want the envelope with code %q", rec.Body, code)
	}
}

func TestValidTokenReachesHandlerWithClaimsAsStrings(t *testing.T) {
	clk := clock.NewManual(start)
	gw, rc := newTestGateway(clk, Config{})
	tok := mustToken(t, clk.Now(), time.Hour, "business", "biz_1")

	rec := serve(gw, "GET", "/v1/reviews/rev_1?lang=sv", tok, nil)
	if rec.Code != 200 {
		t.Fatalf("status = %d, want 200 (body %s)", rec.Code, rec.Body)
	}
	ev := rc.last(t)
	wantClaims := map[string]string{
		"sub": "user-1", "role": "business", "business_id": "biz_1",
		"iat": "1767222000", "exp": "1767225600",
	}
	if ev.RequestContext.Authorizer == nil || ev.RequestContext.Authorizer.JWT == nil {
		t.Fatalf("requestContext.authorizer.jwt is missing")
	}
	if got := ev.RequestContext.Authorizer.JWT.Claims; !reflect.DeepEqual(got, wantClaims) {
		t.Errorf("claims = %v, want %v", got, wantClaims)
	}
	checks := []struct {
		what      string
		got, want any
	}{
		{"version", ev.Version, "2.0"},
		{"routeKey", ev.RouteKey, "GET /v1/reviews/{reviewId}"},
		{"rawPath", ev.RawPath, "/v1/reviews/rev_1"},
		{"rawQueryString", ev.RawQueryString, "lang=sv"},
		{"pathParameters", ev.PathParameters, map[string]string{"reviewId": "rev_1"}},
		{"queryStringParameters", ev.QueryStringParameters, map[string]string{"lang": "sv"}},
		{"isBase64Encoded", ev.IsBase64Encoded, false},
		{"body", ev.Body, ""},
		{"requestContext.routeKey", ev.RequestContext.RouteKey, "GET /v1/reviews/{reviewId}"},
		{"requestContext.accountId", ev.RequestContext.AccountID, AccountID},
		{"requestContext.apiId", ev.RequestContext.APIID, APIID},
		{"requestContext.stage", ev.RequestContext.Stage, "$default"},
		{"requestContext.requestId", ev.RequestContext.RequestID, "req-1"},
		{"requestContext.domainName", ev.RequestContext.DomainName, "localhost:3000"},
		{"requestContext.domainPrefix", ev.RequestContext.DomainPrefix, "localhost"},
		{"requestContext.time", ev.RequestContext.Time, "31/Dec/2025:23:00:00 +0000"},
		{"requestContext.timeEpoch", ev.RequestContext.TimeEpoch, start.UnixMilli()},
		{"http.method", ev.RequestContext.HTTP.Method, "GET"},
		{"http.path", ev.RequestContext.HTTP.Path, "/v1/reviews/rev_1"},
		{"http.protocol", ev.RequestContext.HTTP.Protocol, "HTTP/1.1"},
		{"http.sourceIp", ev.RequestContext.HTTP.SourceIP, "198.51.100.7"},
		{"headers.host", ev.Headers["host"], "localhost:3000"},
		{"headers.authorization", ev.Headers["authorization"], "Bearer " + tok},
		{"headers.x-forwarded-for", ev.Headers["x-forwarded-for"], "198.51.100.7"},
		{"headers.x-forwarded-proto", ev.Headers["x-forwarded-proto"], "http"},
		{"headers.x-forwarded-port", ev.Headers["x-forwarded-port"], "3000"},
		{"scopes", ev.RequestContext.Authorizer.JWT.Scopes, []string(nil)},
	}
	for _, c := range checks {
		if !reflect.DeepEqual(c.got, c.want) {
			t.Errorf("%s = %#v, want %#v", c.what, c.got, c.want)
		}
	}
	if got := rec.Header().Get("Apigw-Requestid"); got != "req-1" {
		t.Errorf("apigw-requestid = %q, want req-1", got)
	}
}

func TestClaimFormats(t *testing.T) {
	clk := clock.NewManual(start)
	gw, rc := newTestGateway(clk, Config{})
	tok := signed(t, jwt.SigningMethodHS256, testSecret, jwt.MapClaims{
		"sub":      "user-1",
		"exp":      start.Add(time.Hour).Unix(),
		"groups":   []string{"a", "b"},
		"verified": true,
		"ratio":    0.5,
		"nested":   map[string]any{"y": 2, "x": "s"},
		"scope":    "reviews:read  reports:write",
	})
	if rec := serve(gw, "GET", "/v1/reviews/rev_1", tok, nil); rec.Code != 200 {
		t.Fatalf("status = %d, want 200 (body %s)", rec.Code, rec.Body)
	}
	jwtDesc := rc.last(t).RequestContext.Authorizer.JWT
	want := map[string]string{
		"sub": "user-1", "exp": "1767225600", "groups": "[a b]", "verified": "true", "ratio": "0.5",
		"nested": "map[x:s y:2]", "scope": "reviews:read  reports:write",
	}
	if !reflect.DeepEqual(jwtDesc.Claims, want) {
		t.Errorf("claims = %v, want %v", jwtDesc.Claims, want)
	}
	if want := []string{"reviews:read", "reports:write"}; !reflect.DeepEqual(jwtDesc.Scopes, want) {
		t.Errorf("scopes = %v, want %v", jwtDesc.Scopes, want)
	}
}

func TestAuthorization(t *testing.T) {
	now := start
	exp := now.Add(time.Hour).Unix()
	good := jwt.MapClaims{"sub": "u", "role": "business", "business_id": "b", "exp": exp, "iat": now.Unix()}
	with := func(extra jwt.MapClaims, drop ...string) jwt.MapClaims {
		c := jwt.MapClaims{}
		for k, v := range good {
			if !slices.Contains(drop, k) {
				c[k] = v
			}
		}
		for k, v := range extra {
			c[k] = v
		}
		return c
	}
	b64 := base64.RawURLEncoding.EncodeToString
	payload, _ := json.Marshal(good)
	unsignedPart := b64([]byte(`{"alg":"none","typ":"JWT"}`)) + "." + b64(payload)
	// An RS256 header over an HMAC signature: the classic algorithm confusion.
	rsHead := b64([]byte(`{"alg":"RS256","typ":"JWT"}`)) + "." + b64(payload)
	rsConfused := rsHead + "." + strings.Split(signed(t, jwt.SigningMethodHS256, testSecret, good), ".")[2]

	tests := []struct {
		name    string
		cfg     Config
		header  string // the whole Authorization header; "" for none
		status  int
		wwwAuth string
		message string // what the 401's message must say, when set
	}{
		{name: "valid", header: "Bearer " + signed(t, jwt.SigningMethodHS256, testSecret, good), status: 200},
		{name: "scheme is case-insensitive", header: "bearer " + signed(t, jwt.SigningMethodHS256, testSecret, good), status: 200},
		{name: "missing header", header: "", status: 401, wwwAuth: "Bearer"},
		{name: "other scheme", header: "Basic dXNlcjpwYXNz", status: 401, wwwAuth: "Bearer"},
		{name: "bearer without token", header: "Bearer ", status: 401, wwwAuth: "Bearer"},
		{name: "malformed", header: "Bearer not.a.jwt", status: 401, wwwAuth: `Bearer error="invalid_token"`},
		{name: "garbage", header: "Bearer abc", status: 401, wwwAuth: `Bearer error="invalid_token"`},
		{name: "wrong signature", header: "Bearer " + signed(t, jwt.SigningMethodHS256, []byte("other-secret"), good), status: 401, wwwAuth: `Bearer error="invalid_token"`},
		{name: "alg none", header: "Bearer " + unsignedPart + ".", status: 401, wwwAuth: `Bearer error="invalid_token"`},
		{name: "alg none signed by the library", header: "Bearer " + signed(t, jwt.SigningMethodNone, jwt.UnsafeAllowNoneSignatureType, good), status: 401, wwwAuth: `Bearer error="invalid_token"`},
		{name: "RS256 header", header: "Bearer " + rsConfused, status: 401, wwwAuth: `Bearer error="invalid_token"`},
		{name: "HS512", header: "Bearer " + signed(t, jwt.SigningMethodHS512, testSecret, good), status: 401, wwwAuth: `Bearer error="invalid_token"`},
		{name: "no exp", header: "Bearer " + signed(t, jwt.SigningMethodHS256, testSecret, with(nil, "exp")), status: 401, wwwAuth: `Bearer error="invalid_token"`},
		{name: "exp past by less than the leeway", header: "Bearer " + signed(t, jwt.SigningMethodHS256, testSecret, with(jwt.MapClaims{"exp": now.Add(-Leeway + time.Second).Unix()})), status: 200},
		{name: "exp past by the leeway", header: "Bearer " + signed(t, jwt.SigningMethodHS256, testSecret, with(jwt.MapClaims{"exp": now.Add(-Leeway).Unix()})), status: 401, wwwAuth: `Bearer error="invalid_token"`, message: "token is expired"},
		{name: "exp not a number", header: "Bearer " + signed(t, jwt.SigningMethodHS256, testSecret, with(jwt.MapClaims{"exp": "tomorrow"})), status: 401, wwwAuth: `Bearer error="invalid_token"`},
		{name: "nbf seconds ahead, within the leeway", header: "Bearer " + signed(t, jwt.SigningMethodHS256, testSecret, with(jwt.MapClaims{"nbf": now.Add(5 * time.Second).Unix()})), status: 200},
		{name: "nbf beyond the leeway", header: "Bearer " + signed(t, jwt.SigningMethodHS256, testSecret, with(jwt.MapClaims{"nbf": now.Add(Leeway + time.Second).Unix()})), status: 401, wwwAuth: `Bearer error="invalid_token"`, message: "token is not valid yet"},
		{name: "nbf in the past", header: "Bearer " + signed(t, jwt.SigningMethodHS256, testSecret, with(jwt.MapClaims{"nbf": now.Add(-time.Minute).Unix()})), status: 200},
		{name: "iat seconds ahead, within the leeway", header: "Bearer " + signed(t, jwt.SigningMethodHS256, testSecret, with(jwt.MapClaims{"iat": now.Add(5 * time.Second).Unix()})), status: 200},
		{name: "iat ahead by the leeway", header: "Bearer " + signed(t, jwt.SigningMethodHS256, testSecret, with(jwt.MapClaims{"iat": now.Add(Leeway).Unix()})), status: 200},
		{name: "iat beyond the leeway", header: "Bearer " + signed(t, jwt.SigningMethodHS256, testSecret, with(jwt.MapClaims{"iat": now.Add(Leeway + time.Second).Unix()})), status: 401, wwwAuth: `Bearer error="invalid_token"`, message: "token used before issued"},
		{name: "no iat", header: "Bearer " + signed(t, jwt.SigningMethodHS256, testSecret, with(nil, "iat")), status: 200},
		{name: "iat not a number", header: "Bearer " + signed(t, jwt.SigningMethodHS256, testSecret, with(jwt.MapClaims{"iat": "now"})), status: 401, wwwAuth: `Bearer error="invalid_token"`},
		{name: "nbf not a number", header: "Bearer " + signed(t, jwt.SigningMethodHS256, testSecret, with(jwt.MapClaims{"nbf": []int{1}})), status: 401, wwwAuth: `Bearer error="invalid_token"`},
		{
			name: "issuer and audience match", cfg: Config{Issuer: "candor-local", Audience: "candor-api"},
			header: "Bearer " + signed(t, jwt.SigningMethodHS256, testSecret, with(jwt.MapClaims{"iss": "candor-local", "aud": []string{"other", "candor-api"}})), status: 200,
		},
		{
			name: "wrong issuer", cfg: Config{Issuer: "candor-local"},
			header: "Bearer " + signed(t, jwt.SigningMethodHS256, testSecret, with(jwt.MapClaims{"iss": "someone-else"})), status: 401, wwwAuth: `Bearer error="invalid_token"`,
		},
		{
			name: "missing issuer", cfg: Config{Issuer: "candor-local"},
			header: "Bearer " + signed(t, jwt.SigningMethodHS256, testSecret, good), status: 401, wwwAuth: `Bearer error="invalid_token"`,
		},
		{
			name: "wrong audience", cfg: Config{Audience: "candor-api"},
			header: "Bearer " + signed(t, jwt.SigningMethodHS256, testSecret, with(jwt.MapClaims{"aud": "other"})), status: 401, wwwAuth: `Bearer error="invalid_token"`,
		},
		{
			name:   "issuer not configured is not checked",
			header: "Bearer " + signed(t, jwt.SigningMethodHS256, testSecret, with(jwt.MapClaims{"iss": "anyone", "aud": "anything"})), status: 200,
		},
		{name: "numeric business_id", header: "Bearer " + signed(t, jwt.SigningMethodHS256, testSecret, with(jwt.MapClaims{"business_id": 42})), status: 401, wwwAuth: `Bearer error="invalid_token"`, message: "claim business_id must be a string"},
		{name: "list business_id", header: "Bearer " + signed(t, jwt.SigningMethodHS256, testSecret, with(jwt.MapClaims{"business_id": []string{"b1", "b2"}})), status: 401, wwwAuth: `Bearer error="invalid_token"`, message: "claim business_id must be a string"},
		{name: "object business_id", header: "Bearer " + signed(t, jwt.SigningMethodHS256, testSecret, with(jwt.MapClaims{"business_id": map[string]string{"id": "b"}})), status: 401, wwwAuth: `Bearer error="invalid_token"`, message: "claim business_id must be a string"},
		{name: "null business_id", header: "Bearer " + signed(t, jwt.SigningMethodHS256, testSecret, with(jwt.MapClaims{"business_id": nil})), status: 401, wwwAuth: `Bearer error="invalid_token"`, message: "claim business_id must be a string"},
		{name: "boolean role", header: "Bearer " + signed(t, jwt.SigningMethodHS256, testSecret, with(jwt.MapClaims{"role": true})), status: 401, wwwAuth: `Bearer error="invalid_token"`, message: "claim role must be a string"},
		{name: "list role", header: "Bearer " + signed(t, jwt.SigningMethodHS256, testSecret, with(jwt.MapClaims{"role": []string{"business", "platform"}})), status: 401, wwwAuth: `Bearer error="invalid_token"`, message: "claim role must be a string"},
		{name: "numeric sub", header: "Bearer " + signed(t, jwt.SigningMethodHS256, testSecret, with(jwt.MapClaims{"sub": 7})), status: 401, wwwAuth: `Bearer error="invalid_token"`, message: "claim sub must be a string"},
		{name: "no business_id is the API's business", header: "Bearer " + signed(t, jwt.SigningMethodHS256, testSecret, with(nil, "business_id")), status: 200},
		{name: "other claims may have any type", header: "Bearer " + signed(t, jwt.SigningMethodHS256, testSecret, with(jwt.MapClaims{"groups": []string{"a"}, "n": 1})), status: 200},
		{
			name:   "an unknown role is the API's business, not the gateway's",
			header: "Bearer " + signed(t, jwt.SigningMethodHS256, testSecret, with(jwt.MapClaims{"role": "nonsense"})), status: 200,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			gw, rc := newTestGateway(clock.NewManual(now), tt.cfg)
			r := httptest.NewRequest("GET", "/v1/reviews/rev_1", nil)
			if tt.header != "" {
				r.Header.Set("Authorization", tt.header)
			}
			rec := httptest.NewRecorder()
			gw.ServeHTTP(rec, r)
			if tt.status == 200 {
				if rec.Code != 200 || rc.calls() != 1 {
					t.Fatalf("status = %d, handler calls = %d; want 200 and 1 (body %s)", rec.Code, rc.calls(), rec.Body)
				}
				return
			}
			wantEnvelope(t, rec, tt.status, "unauthorized")
			if tt.message != "" {
				var env envelope
				json.Unmarshal(rec.Body.Bytes(), &env)
				if want := "the access token is not valid: " + tt.message; env.Error.Message != want {
					t.Errorf("message = %q, want %q", env.Error.Message, want)
				}
			}
			if got := rec.Header().Get("WWW-Authenticate"); got != tt.wwwAuth {
				t.Errorf("WWW-Authenticate = %q, want %q", got, tt.wwwAuth)
			}
			if rc.calls() != 0 {
				t.Errorf("the handler was called %d times, want never", rc.calls())
			}
		})
	}
}

func TestTokenLifetimeFollowsTheClock(t *testing.T) {
	clk := clock.NewManual(start)
	gw, _ := newTestGateway(clk, Config{})
	tok := mustToken(t, clk.Now(), time.Hour, "compliance", "")

	steps := []struct {
		advance time.Duration
		status  int
	}{
		{0, 200},
		{59 * time.Minute, 200},
		{time.Minute, 200},          // exactly at exp: within the leeway
		{Leeway - time.Second, 200}, // the leeway's last second
		{time.Second, 401},          // exp + Leeway
		{72 * time.Hour, 401},
	}
	for _, s := range steps {
		clk.Advance(s.advance)
		rec := serve(gw, "GET", "/v1/reports/rpt_1", tok, nil)
		if rec.Code != s.status {
			t.Errorf("at %v: status = %d, want %d", clk.Now(), rec.Code, s.status)
		}
	}
}

// TestRefusedClaimTypesAreNeitherLoggedNorEchoed: a token refused for a
// non-string identity claim gets a 401 that names the claim, and neither the
// answer nor the log carries the token or the claim's value.
func TestRefusedClaimTypesAreNeitherLoggedNorEchoed(t *testing.T) {
	var logs bytes.Buffer
	gw, rc := newTestGateway(clock.NewManual(start), Config{Logger: slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))})
	for _, v := range []any{float64(987654321), []string{"biz-secret-a", "biz-secret-b"}, map[string]any{"biz-secret-key": "biz-secret-value"}} {
		tok := signed(t, jwt.SigningMethodHS256, testSecret, jwt.MapClaims{"sub": "u", "role": "business", "business_id": v, "exp": start.Add(time.Hour).Unix()})
		rec := serve(gw, "GET", "/v1/reviews/rev_1", tok, nil)
		wantEnvelope(t, rec, 401, "unauthorized")
		var env envelope
		json.Unmarshal(rec.Body.Bytes(), &env)
		if want := "the access token is not valid: claim business_id must be a string"; env.Error.Message != want {
			t.Errorf("business_id %v: message = %q, want %q", v, env.Error.Message, want)
		}
		for _, secret := range []string{tok, strings.Split(tok, ".")[1], "987654321", "biz-secret"} {
			if strings.Contains(rec.Body.String(), secret) || strings.Contains(fmt.Sprint(rec.Header()), secret) {
				t.Errorf("business_id %v: the answer carries %q", v, secret)
			}
			if strings.Contains(logs.String(), secret) {
				t.Errorf("business_id %v: the log carries %q:\n%s", v, secret, logs.String())
			}
		}
	}
	if rc.calls() != 0 {
		t.Errorf("the handler was called %d times, want never", rc.calls())
	}
}

func TestNotYetValidTokenBecomesValid(t *testing.T) {
	clk := clock.NewManual(start)
	gw, _ := newTestGateway(clk, Config{})
	tok := signed(t, jwt.SigningMethodHS256, testSecret, jwt.MapClaims{
		"sub": "u", "role": "platform", "nbf": start.Add(time.Hour).Unix(), "exp": start.Add(2 * time.Hour).Unix(),
	})
	if rec := serve(gw, "GET", "/v1/reports/rpt_1", tok, nil); rec.Code != 401 {
		t.Errorf("an hour before nbf: status = %d, want 401", rec.Code)
	}
	clk.Advance(time.Hour - Leeway - time.Second)
	if rec := serve(gw, "GET", "/v1/reports/rpt_1", tok, nil); rec.Code != 401 {
		t.Errorf("a second before nbf - leeway: status = %d, want 401", rec.Code)
	}
	clk.Advance(time.Second)
	if rec := serve(gw, "GET", "/v1/reports/rpt_1", tok, nil); rec.Code != 200 {
		t.Errorf("at nbf - leeway: status = %d, want 200", rec.Code)
	}
}

func TestRouting(t *testing.T) {
	clk := clock.NewManual(start)
	tok := mustToken(t, start, time.Hour, "business", "biz_1")
	tests := []struct {
		method, target string
		status         int
		routeKey       string
		params         map[string]string
	}{
		{"GET", "/v1/reports/summary", 200, "GET /v1/reports/summary", nil},
		{"GET", "/v1/reports/rpt_9", 200, "GET /v1/reports/{reportId}", map[string]string{"reportId": "rpt_9"}},
		{"GET", "/v1/public/reviews/a%2Fb", 200, "GET /v1/public/reviews/{reviewId}", map[string]string{"reviewId": "a/b"}},
		{"DELETE", "/files/a/b/c.txt", 200, "ANY /files/{proxy+}", map[string]string{"proxy": "a/b/c.txt"}},
		{"GET", "/files/special/x", 200, "GET /files/special/{name}", map[string]string{"name": "x"}},
		{"POST", "/files/special/x", 200, "ANY /files/{proxy+}", map[string]string{"proxy": "special/x"}},
		{"GET", "/files/", 404, "", nil},
		{"GET", "/v1/nothing", 404, "", nil},
		{"GET", "/v1/reports", 404, "", nil},
		{"GET", "/v1/reports/", 404, "", nil},
		{"GET", "/v1/reports/rpt_9/extra", 404, "", nil},
		{"POST", "/v1/reports/summary", 404, "", nil},
		{"HEAD", "/v1/public/reviews/rev_1", 404, "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.target, func(t *testing.T) {
			gw, rc := newTestGateway(clk, Config{})
			rec := serve(gw, tt.method, tt.target, tok, nil)
			if tt.status == 404 {
				wantEnvelope(t, rec, 404, "not_found")
				if rc.calls() != 0 {
					t.Errorf("the handler was called for an unknown route")
				}
				return
			}
			if rec.Code != tt.status {
				t.Fatalf("status = %d, want %d", rec.Code, tt.status)
			}
			ev := rc.last(t)
			if ev.RouteKey != tt.routeKey || !reflect.DeepEqual(ev.PathParameters, tt.params) {
				t.Errorf("routeKey, pathParameters = %q, %v; want %q, %v", ev.RouteKey, ev.PathParameters, tt.routeKey, tt.params)
			}
		})
	}
}

func TestPublicRouteIgnoresTokens(t *testing.T) {
	gw, rc := newTestGateway(clock.NewManual(start), Config{})
	for _, tok := range []string{"", "not-a-token"} {
		if rec := serve(gw, "GET", "/v1/public/reviews/rev_1", tok, nil); rec.Code != 200 {
			t.Errorf("token %q: status = %d, want 200", tok, rec.Code)
		}
		if a := rc.last(t).RequestContext.Authorizer; a != nil {
			t.Errorf("token %q: authorizer = %+v, want none on a public route", tok, a)
		}
	}
}

func TestQueryHeadersAndCookies(t *testing.T) {
	gw, rc := newTestGateway(clock.NewManual(start), Config{})
	r := httptest.NewRequest("GET", "/v1/public/reviews/rev_1?status=open&status=closed&q=caf%C3%A9+bar&empty=", nil)
	r.Header.Add("X-Multi", "a")
	r.Header.Add("X-Multi", "b")
	r.Header.Add("Cookie", "session=abc; theme=dark")
	r.Header.Add("Cookie", "lang=sv")
	r.Header.Set("X-Forwarded-For", "203.0.113.1")
	r.Header.Set("User-Agent", "candor-test/1")
	r.RemoteAddr = "198.51.100.7:1"
	gw.ServeHTTP(httptest.NewRecorder(), r)
	ev := rc.last(t)

	if want := "status=open&status=closed&q=caf%C3%A9+bar&empty="; ev.RawQueryString != want {
		t.Errorf("rawQueryString = %q, want %q", ev.RawQueryString, want)
	}
	if want := map[string]string{"status": "open,closed", "q": "café bar", "empty": ""}; !reflect.DeepEqual(ev.QueryStringParameters, want) {
		t.Errorf("queryStringParameters = %v, want %v", ev.QueryStringParameters, want)
	}
	if got := ev.Headers["x-multi"]; got != "a,b" {
		t.Errorf("x-multi = %q, want a,b", got)
	}
	if _, ok := ev.Headers["cookie"]; ok {
		t.Errorf("headers keep the cookie header, want it moved to cookies")
	}
	if want := []string{"session=abc", "theme=dark", "lang=sv"}; !reflect.DeepEqual(ev.Cookies, want) {
		t.Errorf("cookies = %v, want %v", ev.Cookies, want)
	}
	if got := ev.Headers["x-forwarded-for"]; got != "203.0.113.1, 198.51.100.7" {
		t.Errorf("x-forwarded-for = %q, want the client's list plus the source ip", got)
	}
	if got := ev.RequestContext.HTTP.UserAgent; got != "candor-test/1" {
		t.Errorf("userAgent = %q, want candor-test/1", got)
	}
	for k := range ev.Headers {
		if k != strings.ToLower(k) {
			t.Errorf("header %q is not lower-cased", k)
		}
	}
}

func TestBodies(t *testing.T) {
	binary := []byte{0x00, 0xff, 0x10, 0x80, 'P', 'K', 0x03, 0x04}
	tests := []struct {
		name        string
		contentType string
		body        []byte
		wantBase64  bool
	}{
		{name: "json", contentType: "application/json; charset=utf-8", body: []byte(`{"message":"héllo"}`)},
		{name: "text", contentType: "text/plain", body: []byte("hello")},
		{name: "problem json", contentType: "application/problem+json", body: []byte(`{}`)},
		{name: "binary", contentType: "application/octet-stream", body: binary, wantBase64: true},
		{name: "form is base64 like API Gateway", contentType: "application/x-www-form-urlencoded", body: []byte("reply=hi&x=1"), wantBase64: true},
		{name: "no content type", contentType: "", body: []byte("??"), wantBase64: true},
		{name: "text type with invalid UTF-8", contentType: "text/plain", body: []byte{'a', 0xff}, wantBase64: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			gw, rc := newTestGateway(clock.NewManual(start), Config{})
			r := httptest.NewRequest("POST", "/v1/upload", bytes.NewReader(tt.body))
			if tt.contentType != "" {
				r.Header.Set("Content-Type", tt.contentType)
			}
			gw.ServeHTTP(httptest.NewRecorder(), r)
			ev := rc.last(t)
			if ev.IsBase64Encoded != tt.wantBase64 {
				t.Errorf("isBase64Encoded = %v, want %v", ev.IsBase64Encoded, tt.wantBase64)
			}
			got := []byte(ev.Body)
			if ev.IsBase64Encoded {
				var err error
				if got, err = base64.StdEncoding.DecodeString(ev.Body); err != nil {
					t.Fatalf("body is not base64: %v", err)
				}
			}
			if !bytes.Equal(got, tt.body) {
				t.Errorf("body = %q, want %q", got, tt.body)
			}
		})
	}
}

func TestBinaryRoundTripOverTheNetwork(t *testing.T) {
	payload := make([]byte, 256)
	for i := range payload {
		payload[i] = byte(i)
	}
	echo := func(_ context.Context, ev events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
		if !ev.IsBase64Encoded {
			return events.APIGatewayV2HTTPResponse{}, errors.New("binary body was not base64-encoded")
		}
		return events.APIGatewayV2HTTPResponse{
			StatusCode: 201, Body: ev.Body, IsBase64Encoded: true,
			Headers: map[string]string{"Content-Type": "application/octet-stream"},
		}, nil
	}
	srv := httptest.NewServer(New(Config{Secret: testSecret, Clock: clock.NewManual(start), Routes: testRoutes}, echo))
	defer srv.Close()
	resp, err := http.Post(srv.URL+"/v1/upload", "application/octet-stream", bytes.NewReader(payload))
	if err != nil {
		t.Fatalf("POST: %v", err)
	}
	defer resp.Body.Close()
	got, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 201 || !bytes.Equal(got, payload) {
		t.Errorf("got %d and %d bytes, want 201 and the 256 bytes sent", resp.StatusCode, len(got))
	}
}

func TestResponses(t *testing.T) {
	tests := []struct {
		name       string
		resp       events.APIGatewayV2HTTPResponse
		err        error
		panics     bool
		status     int
		body       string
		headers    map[string][]string
		noHeaderCT bool
	}{
		{
			name: "headers, multi-value headers and cookies",
			resp: events.APIGatewayV2HTTPResponse{
				StatusCode:        202,
				Headers:           map[string]string{"Content-Type": "application/json", "X-One": "1", "Content-Length": "999"},
				MultiValueHeaders: map[string][]string{"X-Many": {"a", "b"}, "X-One": {"1"}},
				Cookies:           []string{"a=1; Path=/", "b=2; HttpOnly"},
				Body:              `{"ok":true}`,
			},
			status: 202, body: `{"ok":true}`,
			headers: map[string][]string{
				"Content-Type": {"application/json"}, "X-One": {"1"}, "X-Many": {"a", "b"},
				"Set-Cookie": {"a=1; Path=/", "b=2; HttpOnly"}, "Apigw-Requestid": {"req-1"},
			},
		},
		{
			name:   "base64 body is decoded",
			resp:   events.APIGatewayV2HTTPResponse{StatusCode: 200, Body: base64.StdEncoding.EncodeToString([]byte("hi")), IsBase64Encoded: true},
			status: 200, body: "hi", noHeaderCT: true,
		},
		{name: "handler error", err: errors.New("dynamodb unreachable"), status: 500, body: `{"message":"Internal Server Error"}`},
		{name: "handler panic", panics: true, status: 500, body: `{"message":"Internal Server Error"}`},
		{name: "no status code", resp: events.APIGatewayV2HTTPResponse{Body: "x"}, status: 500, body: `{"message":"Internal Server Error"}`},
		{name: "bad base64", resp: events.APIGatewayV2HTTPResponse{StatusCode: 200, Body: "!!", IsBase64Encoded: true}, status: 500, body: `{"message":"Internal Server Error"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			gw, rc := newTestGateway(clock.NewManual(start), Config{})
			rc.resp, rc.err, rc.panics, rc.useResp = tt.resp, tt.err, tt.panics, true
			rec := serve(gw, "GET", "/v1/public/reviews/rev_1", "", nil)
			if rec.Code != tt.status || rec.Body.String() != tt.body {
				t.Errorf("got %d %q, want %d %q", rec.Code, rec.Body, tt.status, tt.body)
			}
			for k, want := range tt.headers {
				if got := rec.Header().Values(k); !reflect.DeepEqual(got, want) {
					t.Errorf("header %s = %q, want %q", k, got, want)
				}
			}
			if tt.noHeaderCT && rec.Header().Get("Content-Type") != "" {
				t.Errorf("Content-Type = %q, want none (no sniffing)", rec.Header().Get("Content-Type"))
			}
		})
	}
}

func TestRequestIDsAreUnique(t *testing.T) {
	rc := &recorder{}
	gw := New(Config{Secret: testSecret, Clock: clock.NewManual(start), Routes: testRoutes}, rc.handle)
	seen := map[string]bool{}
	for range 50 {
		serve(gw, "GET", "/v1/public/reviews/rev_1", "", nil)
		id := rc.last(t).RequestContext.RequestID
		if id == "" || seen[id] {
			t.Fatalf("request id %q is empty or repeated", id)
		}
		seen[id] = true
	}
}

func TestNewRejectsBadRoutes(t *testing.T) {
	for _, rs := range [][]Route{
		{{Method: "get", Path: "/x"}},
		{{Method: "GET", Path: "x"}},
		{{Method: "GET", Path: "/{proxy+}/x"}},
		{{Method: "GET", Path: "/a{b}"}},
		{{Method: "GET", Path: "/{}"}},
		{{Method: "GET", Path: "/x"}, {Method: "GET", Path: "/x", Auth: true}},
	} {
		t.Run(fmt.Sprint(rs), func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Errorf("New(%v) did not panic", rs)
				}
			}()
			New(Config{Routes: rs}, (&recorder{}).handle)
		})
	}
}

func TestToken(t *testing.T) {
	tok, err := Token(testSecret, start, time.Hour, "user-1", "business", "biz_1", "candor-local", "candor-api")
	if err != nil {
		t.Fatalf("Token() error = %v", err)
	}
	claims := jwt.MapClaims{}
	parsed, err := jwt.NewParser(jwt.WithTimeFunc(func() time.Time { return start })).ParseWithClaims(tok, claims, func(*jwt.Token) (any, error) { return testSecret, nil })
	if err != nil {
		t.Fatalf("parse minted token: %v", err)
	}
	if parsed.Method.Alg() != "HS256" {
		t.Errorf("alg = %s, want HS256", parsed.Method.Alg())
	}
	want := jwt.MapClaims{"sub": "user-1", "role": "business", "business_id": "biz_1", "iat": float64(start.Unix()), "exp": float64(1767225600), "iss": "candor-local", "aud": "candor-api"}
	if !reflect.DeepEqual(claims, want) {
		t.Errorf("claims = %v, want %v", claims, want)
	}

	noBiz, err := Token(testSecret, start, time.Hour, "agent", "compliance", "", "", "")
	if err != nil {
		t.Fatalf("Token() error = %v", err)
	}
	claims = jwt.MapClaims{}
	if _, _, err := jwt.NewParser().ParseUnverified(noBiz, claims); err != nil {
		t.Fatalf("parse: %v", err)
	}
	for _, k := range []string{"business_id", "iss", "aud"} {
		if _, ok := claims[k]; ok {
			t.Errorf("claim %s present, want it left out when empty", k)
		}
	}

	for _, bad := range []struct {
		name      string
		secret    []byte
		ttl       time.Duration
		sub, role string
	}{
		{"empty secret", nil, time.Hour, "u", "business"},
		{"empty subject", testSecret, time.Hour, "", "business"},
		{"empty role", testSecret, time.Hour, "u", ""},
		{"zero ttl", testSecret, 0, "u", "business"},
	} {
		if _, err := Token(bad.secret, start, bad.ttl, bad.sub, bad.role, "", "", ""); err == nil {
			t.Errorf("%s: Token() succeeded, want an error", bad.name)
		}
	}
}

func TestSecretFromEnv(t *testing.T) {
	env := map[string]string{}
	getenv := func(k string) string { return env[k] }
	if got := string(SecretFromEnv(getenv)); got != DefaultSecret {
		t.Errorf("unset: secret = %q, want %q", got, DefaultSecret)
	}
	env[SecretEnv] = "s3cret"
	if got := string(SecretFromEnv(getenv)); got != "s3cret" {
		t.Errorf("set: secret = %q, want s3cret", got)
	}
}

// TestASlowBodyIsA408: a client that sends its headers and then only part
// of its body is answered 408 once the body timeout passes, and the
// handler never runs.
func TestASlowBodyIsA408(t *testing.T) {
	rc := &recorder{}
	srv := httptest.NewServer(New(Config{Secret: testSecret, Clock: clock.NewManual(start), Routes: testRoutes, BodyTimeout: 50 * time.Millisecond}, rc.handle))
	defer srv.Close()
	conn, err := net.Dial("tcp", srv.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(20 * time.Second)) // a guard: without the timeout the gateway would wait for ever
	fmt.Fprint(conn, "POST /v1/upload HTTP/1.1\r\nHost: gw\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"a\":")
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("no answer to a stalled body: %v", err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusRequestTimeout {
		t.Errorf("status = %d, want 408", res.StatusCode)
	}
	if len(rc.events) != 0 {
		t.Errorf("the handler ran %d times on a body that never came", len(rc.events))
	}
}
