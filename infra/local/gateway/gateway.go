// Package gateway is the local stack's stand-in for API Gateway HTTP API with
// its JWT authorizer: an http.Handler that matches routes, checks local HS256
// bearer tokens, and calls a Lambda handler with the payload format 2.0 event
// API Gateway would build, claims included, then writes the handler's
// response back.
package gateway

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambdacontext"
	"github.com/golang-jwt/jwt/v5"
	"github.com/google/uuid"

	"github.com/candorhq/candor/shared/clock"
	"github.com/candorhq/candor/shared/httpapi"
)

// DefaultSecret signs and checks local tokens when CANDOR_LOCAL_JWT_SECRET is
// not set (docs/local-stack.md).
const DefaultSecret = "candor-local-secret"

// SecretEnv is the variable that overrides DefaultSecret.
const SecretEnv = "CANDOR_LOCAL_JWT_SECRET"

// What the local API reports about itself in every event.
const (
	AccountID = "000000000000" // LocalStack's account id
	APIID     = "candorlocal"
	Stage     = "$default"
)

// MaxBodyBytes is API Gateway HTTP API's payload limit (10 MB); the API's own
// 64 KiB limit is the handler's business.
const MaxBodyBytes = 10 << 20

// Leeway is the clock skew the authorizer allows on exp, nbf and iat: a
// token is accepted until Leeway after its exp, and from Leeway before its
// nbf and iat. AWS documents no leeway for API Gateway's JWT authorizer;
// RFC 7519 allows "a few minutes" and the verifiers in front of most APIs
// (Envoy's jwt_authn, gRPC, Spring Security) assume one minute, so a token
// minted by a client whose clock is a little ahead is not refused as "used
// before issued". See docs/decisions.md, "Local stack".
const Leeway = time.Minute

// StringClaims are the claims Candor reads as identities; the authorizer
// refuses a token in which one of them is present but not a JSON string
// (a number, a list, an object, true/false or null), rather than hand the
// function a flattened rendering such as "[a b]" as a business id.
var StringClaims = []string{httpapi.ClaimSubject, httpapi.ClaimRole, httpapi.ClaimBusinessID}

// requestTimeFormat is the layout of requestContext.time.
const requestTimeFormat = "02/Jan/2006:15:04:05 -0700"

// Config for the local gateway.
type Config struct {
	// Secret is the HS256 key; empty means DefaultSecret.
	Secret []byte
	// Issuer and Audience are checked when non-empty.
	Issuer, Audience string
	// Clock decides exp/nbf/iat and stamps requestContext.time; nil means
	// the wall clock. The local stack passes real time (its WallClock), not
	// the clock it moves: API Gateway checks tokens in real time.
	Clock clock.Clock
	// Routes lists the routes that exist and whether they need a JWT.
	Routes []Route
	// NewRequestID returns a fresh id for each request; nil means a random
	// UUID.
	NewRequestID func() string
	// Logger receives handler failures; nil means slog.Default().
	Logger *slog.Logger
	// BodyTimeout bounds how long the gateway waits for a request's body
	// once its headers are in; 0 means DefaultBodyTimeout. A client that
	// sends its body slower gets 408 and holds nothing longer.
	BodyTimeout time.Duration
}

// DefaultBodyTimeout is how long the gateway waits for a request body.
const DefaultBodyTimeout = 10 * time.Second

// SecretFromEnv returns the local JWT secret from CANDOR_LOCAL_JWT_SECRET as
// getenv reads it (os.Getenv in main), or DefaultSecret when it is unset or
// empty.
func SecretFromEnv(getenv func(string) string) []byte {
	if s := getenv(SecretEnv); s != "" {
		return []byte(s)
	}
	return []byte(DefaultSecret)
}

// Handler is a Lambda handler for API Gateway HTTP API payload format 2.0.
type Handler func(ctx context.Context, ev events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error)

type gateway struct {
	cfg    Config
	routes []compiledRoute
	parser *jwt.Parser
	h      Handler
}

// New returns an http.Handler that behaves like API Gateway in front of h:
//   - a request that matches no route (path and method, or ANY) is a 404 in
//     Candor's error envelope;
//   - an Auth route needs "Authorization: Bearer <jwt>", an HS256 token
//     signed with cfg.Secret (any other alg, "none" included, is refused),
//     with an exp (required) in the future on cfg.Clock, nbf and iat (each
//     optional) not in the future, all three within Leeway, iss/aud as
//     configured, and sub, role and business_id JSON strings where present;
//     else a 401 in Candor's envelope with WWW-Authenticate: Bearer, whose
//     message names the problem and never the token's content;
//   - h gets the event API Gateway would send (see event) and its response is
//     written back: statusCode, headers, multiValueHeaders, cookies as
//     Set-Cookie, a base64 body decoded;
//   - a handler error (or panic, or an invalid response) is a 500
//     {"message":"Internal Server Error"}, as API Gateway answers.
//
// New panics if a route is malformed or repeated, like http.ServeMux.
func New(cfg Config, h Handler) http.Handler {
	if len(cfg.Secret) == 0 {
		cfg.Secret = []byte(DefaultSecret)
	}
	if cfg.Clock == nil {
		cfg.Clock = clock.System{}
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.NewRequestID == nil {
		cfg.NewRequestID = uuid.NewString
	}
	if cfg.BodyTimeout <= 0 {
		cfg.BodyTimeout = DefaultBodyTimeout
	}
	routes, err := compileRoutes(cfg.Routes)
	if err != nil {
		panic("gateway: new: " + err.Error())
	}
	opts := []jwt.ParserOption{
		jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}),
		jwt.WithTimeFunc(cfg.Clock.Now),
		jwt.WithExpirationRequired(),
		jwt.WithIssuedAt(),
		jwt.WithLeeway(Leeway),
		jwt.WithJSONNumber(),
	}
	if cfg.Issuer != "" {
		opts = append(opts, jwt.WithIssuer(cfg.Issuer))
	}
	if cfg.Audience != "" {
		opts = append(opts, jwt.WithAudience(cfg.Audience))
	}
	return &gateway{cfg: cfg, routes: routes, parser: jwt.NewParser(opts...), h: h}
}

func (g *gateway) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	requestID := g.cfg.NewRequestID()
	w.Header().Set("Apigw-Requestid", requestID)

	rt, params := route(g.routes, r.Method, r.URL.EscapedPath())
	if rt == nil {
		httpapi.WriteError(w, r, httpapi.NotFound())
		return
	}
	var authorizer *events.APIGatewayV2HTTPRequestContextAuthorizerDescription
	if rt.Auth {
		jwtDesc, err := g.authorize(r.Header.Get("Authorization"))
		if err != nil {
			unauthorized(w, r, err)
			return
		}
		authorizer = &events.APIGatewayV2HTTPRequestContextAuthorizerDescription{JWT: jwtDesc}
	}
	// The body's deadline is the network's, in real time (not the stack's
	// clock). A writer that cannot set one (a test's recorder) has no body
	// on a connection to wait for.
	_ = http.NewResponseController(w).SetReadDeadline(time.Now().Add(g.cfg.BodyTimeout))
	body, err := io.ReadAll(io.LimitReader(r.Body, MaxBodyBytes+1))
	if errors.Is(err, os.ErrDeadlineExceeded) {
		w.Header().Set("Connection", "close")
		httpapi.WriteError(w, r, &httpapi.Error{Status: http.StatusRequestTimeout, Code: "request_timeout",
			Message: "the request body did not arrive in time; send it again"})
		return
	}
	if err != nil {
		httpapi.WriteError(w, r, httpapi.Malformed("the request body could not be read", nil))
		return
	}
	if len(body) > MaxBodyBytes {
		httpapi.WriteError(w, r, httpapi.PayloadTooLarge())
		return
	}

	ev := g.event(r, rt, params, body, requestID, authorizer)
	ctx := lambdacontext.NewContext(r.Context(), &lambdacontext.LambdaContext{AwsRequestID: g.cfg.NewRequestID()})
	resp, err := g.invoke(ctx, ev)
	if err != nil {
		g.cfg.Logger.ErrorContext(r.Context(), "gateway: lambda handler failed", "err", err, "requestId", requestID, "routeKey", rt.key)
		internalServerError(w)
		return
	}
	if err := writeResponse(w, resp); err != nil {
		g.cfg.Logger.ErrorContext(r.Context(), "gateway: invalid lambda response", "err", err, "requestId", requestID, "routeKey", rt.key)
		internalServerError(w)
	}
}

// invoke calls the handler, turning a panic into an error as Lambda does.
func (g *gateway) invoke(ctx context.Context, ev events.APIGatewayV2HTTPRequest) (resp events.APIGatewayV2HTTPResponse, err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("handler panicked: %v", v)
		}
	}()
	return g.h(ctx, ev)
}

// errNoToken is the authorization failure of a request without a bearer
// token, which RFC 6750 answers without an error code.
var errNoToken = errors.New("no bearer token")

// authorize checks the Authorization header and returns the authorizer's
// description of the token: every claim as a string and the scopes.
func (g *gateway) authorize(header string) (*events.APIGatewayV2HTTPRequestContextAuthorizerJWTDescription, error) {
	scheme, tok, ok := strings.Cut(strings.TrimSpace(header), " ")
	tok = strings.TrimSpace(tok)
	if !ok || !strings.EqualFold(scheme, "Bearer") || tok == "" {
		return nil, errNoToken
	}
	claims := jwt.MapClaims{}
	_, err := g.parser.ParseWithClaims(tok, claims, func(t *jwt.Token) (any, error) {
		if t.Method != jwt.SigningMethodHS256 {
			return nil, fmt.Errorf("unexpected signing method %v", t.Header["alg"])
		}
		return g.cfg.Secret, nil
	})
	if err != nil {
		return nil, fmt.Errorf("authorize: %w", err)
	}
	for _, name := range StringClaims {
		if v, ok := claims[name]; ok {
			if _, isString := v.(string); !isString {
				return nil, fmt.Errorf("authorize: %w", &claimTypeError{name})
			}
		}
	}
	desc := &events.APIGatewayV2HTTPRequestContextAuthorizerJWTDescription{Claims: make(map[string]string, len(claims))}
	for k, v := range claims {
		desc.Claims[k] = claimString(v)
	}
	if scope, ok := claims["scope"].(string); ok {
		desc.Scopes = strings.Fields(scope)
	}
	return desc, nil
}

// unauthorized writes the 401 in Candor's envelope. The message says why the
// token was refused (expired, bad signature…), never what it contained.
func unauthorized(w http.ResponseWriter, r *http.Request, err error) {
	e := httpapi.Unauthorized()
	if errors.Is(err, errNoToken) {
		w.Header().Set("WWW-Authenticate", "Bearer")
	} else {
		w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token"`)
		e.Message = "the access token is not valid: " + tokenProblem(err)
	}
	httpapi.WriteError(w, r, e)
}

// claimTypeError is a token whose identity claim is not a JSON string.
type claimTypeError struct{ claim string }

func (e *claimTypeError) Error() string { return "claim " + e.claim + " must be a string" }

func tokenProblem(err error) string {
	if cte, ok := errors.AsType[*claimTypeError](err); ok {
		return cte.Error()
	}
	for _, known := range []error{
		jwt.ErrTokenExpired, jwt.ErrTokenNotValidYet, jwt.ErrTokenUsedBeforeIssued,
		jwt.ErrTokenSignatureInvalid, jwt.ErrTokenInvalidIssuer, jwt.ErrTokenInvalidAudience,
		jwt.ErrTokenRequiredClaimMissing, jwt.ErrTokenMalformed, jwt.ErrTokenUnverifiable,
	} {
		if errors.Is(err, known) {
			return known.Error()
		}
	}
	return "token is invalid"
}

// claimString formats a claim value the way API Gateway's JWT authorizer
// hands claims to the integration: strings as they are, numbers as written
// in the token (exp "1767225600"), booleans as true/false, arrays as
// "[a b]", objects as "map[k:v]" with sorted keys.
func claimString(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return v
	case fmt.Stringer: // json.Number
		return v.String()
	case bool:
		return strconv.FormatBool(v)
	case []any:
		parts := make([]string, len(v))
		for i, e := range v {
			parts[i] = claimString(e)
		}
		return "[" + strings.Join(parts, " ") + "]"
	case map[string]any:
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		parts := make([]string, len(keys))
		for i, k := range keys {
			parts[i] = k + ":" + claimString(v[k])
		}
		return "map[" + strings.Join(parts, " ") + "]"
	default:
		return fmt.Sprint(v)
	}
}

// event builds the payload format 2.0 event for r as API Gateway would.
func (g *gateway) event(r *http.Request, rt *compiledRoute, params map[string]string, body []byte, requestID string,
	authorizer *events.APIGatewayV2HTTPRequestContextAuthorizerDescription) events.APIGatewayV2HTTPRequest {
	now := g.cfg.Clock.Now()
	sourceIP := r.RemoteAddr
	if host, _, err := net.SplitHostPort(r.RemoteAddr); err == nil {
		sourceIP = host
	}
	headers := make(map[string]string, len(r.Header)+4)
	var cookies []string
	for k, vs := range r.Header {
		lk := strings.ToLower(k)
		if lk == "cookie" {
			for _, v := range vs {
				for c := range strings.SplitSeq(v, ";") {
					if c = strings.TrimSpace(c); c != "" {
						cookies = append(cookies, c)
					}
				}
			}
			continue
		}
		headers[lk] = strings.Join(vs, ",")
	}
	headers["host"] = r.Host
	proto, port := "http", "80"
	if r.TLS != nil {
		proto, port = "https", "443"
	}
	if _, p, err := net.SplitHostPort(r.Host); err == nil {
		port = p
	}
	if xff := headers["x-forwarded-for"]; xff != "" {
		headers["x-forwarded-for"] = xff + ", " + sourceIP
	} else {
		headers["x-forwarded-for"] = sourceIP
	}
	headers["x-forwarded-proto"] = proto
	headers["x-forwarded-port"] = port

	var query map[string]string
	if q := r.URL.Query(); len(q) > 0 {
		query = make(map[string]string, len(q))
		for k, vs := range q {
			query[k] = strings.Join(vs, ",")
		}
	}

	ev := events.APIGatewayV2HTTPRequest{
		Version:               "2.0",
		RouteKey:              rt.key,
		RawPath:               r.URL.EscapedPath(),
		RawQueryString:        r.URL.RawQuery,
		Cookies:               cookies,
		Headers:               headers,
		QueryStringParameters: query,
		PathParameters:        params,
		RequestContext: events.APIGatewayV2HTTPRequestContext{
			RouteKey:     rt.key,
			AccountID:    AccountID,
			Stage:        Stage,
			RequestID:    requestID,
			Authorizer:   authorizer,
			APIID:        APIID,
			DomainName:   r.Host,
			DomainPrefix: domainPrefix(r.Host),
			Time:         now.UTC().Format(requestTimeFormat),
			TimeEpoch:    now.UnixMilli(),
			HTTP: events.APIGatewayV2HTTPRequestContextHTTPDescription{
				Method:    r.Method,
				Path:      r.URL.EscapedPath(),
				Protocol:  r.Proto,
				SourceIP:  sourceIP,
				UserAgent: r.UserAgent(),
			},
		},
	}
	if len(body) > 0 {
		if isText(r.Header.Get("Content-Type")) && utf8.Valid(body) {
			ev.Body = string(body)
		} else {
			ev.Body = base64.StdEncoding.EncodeToString(body)
			ev.IsBase64Encoded = true
		}
	}
	return ev
}

func domainPrefix(host string) string {
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	prefix, _, _ := strings.Cut(host, ".")
	return prefix
}

// isText reports whether API Gateway passes a body of this content type as
// text rather than base64: text/*, JSON, XML and JavaScript. Like API Gateway
// HTTP API, it base64-encodes form posts.
func isText(contentType string) bool {
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		return false
	}
	switch {
	case strings.HasPrefix(mt, "text/"),
		mt == "application/json", mt == "application/xml", mt == "application/javascript",
		strings.HasSuffix(mt, "+json"), strings.HasSuffix(mt, "+xml"):
		return true
	}
	return false
}

// writeResponse writes the handler's response, or returns an error (and
// writes nothing) when the response is not one API Gateway would accept.
func writeResponse(w http.ResponseWriter, resp events.APIGatewayV2HTTPResponse) error {
	if resp.StatusCode < 100 || resp.StatusCode > 599 {
		return fmt.Errorf("write response: status code %d", resp.StatusCode)
	}
	body := []byte(resp.Body)
	if resp.IsBase64Encoded {
		var err error
		if body, err = base64.StdEncoding.DecodeString(resp.Body); err != nil {
			return fmt.Errorf("write response: decode base64 body: %w", err)
		}
	}
	h := w.Header()
	for k, v := range resp.Headers {
		h.Set(k, v)
	}
	for k, vs := range resp.MultiValueHeaders {
		for _, v := range vs {
			if !slices.Contains(h.Values(k), v) {
				h.Add(k, v)
			}
		}
	}
	for _, c := range resp.Cookies {
		h.Add("Set-Cookie", c)
	}
	// Framing headers are the server's business, never the handler's.
	for _, k := range []string{"Content-Length", "Transfer-Encoding", "Connection"} {
		h.Del(k)
	}
	if _, ok := h["Content-Type"]; !ok {
		h["Content-Type"] = nil // send none rather than let net/http guess one
	}
	w.WriteHeader(resp.StatusCode)
	_, _ = w.Write(body)
	return nil
}

func internalServerError(w http.ResponseWriter) {
	h := w.Header()
	h.Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusInternalServerError)
	_, _ = io.WriteString(w, `{"message":"Internal Server Error"}`)
}

// Token mints a local HS256 token with the claims of the local stack (docs/local-stack.md, "Tokens"):
// sub, role, business_id when non-empty, iat = now, exp = now+ttl, and iss
// and aud when non-empty. It is for the local stack's banner and for tests.
func Token(secret []byte, now time.Time, ttl time.Duration, sub, role, businessID, issuer, audience string) (string, error) {
	switch {
	case len(secret) == 0:
		return "", errors.New("gateway: mint token: empty secret")
	case sub == "":
		return "", errors.New("gateway: mint token: empty subject")
	case role == "":
		return "", errors.New("gateway: mint token: empty role")
	case ttl <= 0:
		return "", fmt.Errorf("gateway: mint token: ttl %v is not positive", ttl)
	}
	claims := jwt.MapClaims{
		"sub":  sub,
		"role": role,
		"iat":  now.Unix(),
		"exp":  now.Add(ttl).Unix(),
	}
	if businessID != "" {
		claims["business_id"] = businessID
	}
	if issuer != "" {
		claims["iss"] = issuer
	}
	if audience != "" {
		claims["aud"] = audience
	}
	s, err := jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString(secret)
	if err != nil {
		return "", fmt.Errorf("gateway: mint token: %w", err)
	}
	return s, nil
}
