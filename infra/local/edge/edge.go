// Package edge is the local stack's single AWS endpoint (LocalStack's "edge"
// port, 4566): it tells the services apart by the request, as LocalStack
// does — the service named in the SigV4 credential scope, else the
// X-Amz-Target prefix of the JSON protocols — and hands it to that service's
// stand-in. The AWS CLI and the SDKs work against it unchanged.
package edge

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
)

// Edge routes AWS requests to local stand-ins, and fails the calls its fault
// rules pick (see Faults). It is safe for concurrent use.
type Edge struct {
	faults *Faults
	log    *slog.Logger

	mu       sync.RWMutex
	services map[string]http.Handler // by SigV4 signing name
	targets  map[string]string       // X-Amz-Target prefix -> signing name
	calls    map[string]int          // "service:Operation" -> count
}

// Option configures an Edge.
type Option func(*Edge)

// WithLogger has the edge log every fault it injects (rule id, service,
// operation, error; never the call's content). Without it, it logs nothing.
func WithLogger(l *slog.Logger) Option {
	return func(e *Edge) {
		if l != nil {
			e.log = l
		}
	}
}

// New returns an Edge with no services and no fault rules.
func New(opts ...Option) *Edge {
	e := &Edge{faults: &Faults{}, log: slog.New(slog.DiscardHandler), services: map[string]http.Handler{}, targets: map[string]string{}, calls: map[string]int{}}
	for _, o := range opts {
		o(e)
	}
	return e
}

// Faults returns the edge's fault rules: add one and the calls it matches
// fail, in the service's wire format, before they reach the stand-in (or,
// for a timeout, after it).
func (e *Edge) Faults() *Faults { return e.faults }

// Mount serves the service with SigV4 signing name (e.g. "dynamodb",
// "states", "ses") by h; targetPrefix (e.g. "DynamoDB_20120810") also routes
// unsigned JSON-protocol requests.
func (e *Edge) Mount(signingName, targetPrefix string, h http.Handler) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.services[signingName] = h
	if targetPrefix != "" {
		e.targets[targetPrefix] = signingName
	}
}

var credentialScope = regexp.MustCompile(`Credential=[^/,\s]+/\d{8}/[^/,\s]+/([^/,\s]+)/aws4_request`)

// Service names the service a request is for ("" if it cannot tell): the
// service of the SigV4 credential scope, in the Authorization header or,
// for a presigned URL, in the X-Amz-Credential query parameter; else the
// X-Amz-Target prefix; else "s3" for a multipart/form-data POST, the only
// AWS call a browser form makes (S3's browser upload, signed in its fields).
func (e *Edge) Service(r *http.Request) string {
	if m := credentialScope.FindStringSubmatch(r.Header.Get("Authorization")); m != nil {
		name := m[1]
		if name == "email" { // SES v1 signs as "ses" in the SDK, "email" in older clients
			name = "ses"
		}
		return name
	}
	if c := r.URL.Query().Get("X-Amz-Credential"); c != "" {
		if parts := strings.Split(c, "/"); len(parts) == 5 && parts[4] == "aws4_request" {
			return parts[3]
		}
	}
	if r.Method == http.MethodPost && strings.HasPrefix(strings.ToLower(r.Header.Get("Content-Type")), "multipart/form-data") {
		return "s3"
	}
	if t := r.Header.Get("X-Amz-Target"); t != "" {
		prefix, _, _ := strings.Cut(t, ".")
		e.mu.RLock()
		defer e.mu.RUnlock()
		return e.targets[prefix]
	}
	return ""
}

// ServeHTTP dispatches to the mounted service, or answers 400 in the JSON
// error shape AWS uses when the service is unknown.
func (e *Edge) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodGet && (r.URL.Path == "/_localstack/health" || r.URL.Path == "/health") {
		e.health(w)
		return
	}
	name, op := e.Service(r), operation(r)
	if name == ServiceS3 {
		op = s3Operation(r)
	}
	e.mu.Lock()
	h := e.services[name]
	e.calls[name+":"+op]++
	e.mu.Unlock()
	if h == nil {
		w.Header().Set("Content-Type", "application/x-amz-json-1.0")
		w.WriteHeader(http.StatusBadRequest)
		json.NewEncoder(w).Encode(map[string]string{
			"__type":  "UnknownOperationException",
			"message": "no local stand-in for service " + strconvQuote(name),
		})
		return
	}
	if rule, ok := e.faults.take(name, op); ok {
		e.log.Info("edge: injected fault", "fault", rule.ID, "service", name, "operation", op, "error", rule.Error, "fired", rule.Fired)
		inject(w, r, h, rule)
		return
	}
	h.ServeHTTP(w, r)
}

// operation names the call: the X-Amz-Target operation of the JSON
// protocols, or the Action of the Query protocol (SES).
func operation(r *http.Request) string {
	if t := r.Header.Get("X-Amz-Target"); t != "" {
		_, op, _ := strings.Cut(t, ".")
		return op
	}
	if r.Method == http.MethodPost && strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
		// Peek at the form without consuming the body for the service.
		body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		r.Body = io.NopCloser(io.MultiReader(bytes.NewReader(body), r.Body))
		if err == nil {
			if v, err := url.ParseQuery(string(body)); err == nil {
				return v.Get("Action")
			}
		}
	}
	return "?"
}

// Calls returns how many calls each "service:Operation" received so far.
func (e *Edge) Calls() map[string]int {
	e.mu.RLock()
	defer e.mu.RUnlock()
	return maps.Clone(e.calls)
}

// health answers like LocalStack's health endpoint, listing the mounted services.
func (e *Edge) health(w http.ResponseWriter) {
	e.mu.RLock()
	services := map[string]string{}
	for name := range e.services {
		services[name] = "running"
	}
	e.mu.RUnlock()
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{"services": services, "edition": "candor-local"})
}

func strconvQuote(s string) string {
	if s == "" {
		return "(none)"
	}
	return "\"" + s + "\""
}
