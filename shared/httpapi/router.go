package httpapi

import (
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"slices"
	"strings"
)

// Route is one registered endpoint: its method, its path in API Gateway form
// ("/v1/reviews/{reviewId}", a trailing wildcard as "{proxy+}"), and the roles
// it admits (none: public).
type Route struct {
	Method, Path string
	Roles        []string
}

// Router is a thin wrapper over http.ServeMux and its Go 1.22 patterns
// ("GET /v1/reviews/{reviewId}") that speaks Candor's error envelope:
// an unmatched path is a 404 not_found, a matched path with another method a
// 405 method_not_allowed with an Allow header, and every response carries the
// security headers of SecurityHeaders. A panicking handler is logged and
// answered with a 500 internal error when nothing was written yet.
type Router struct {
	mux    *http.ServeMux
	routes []Route
}

// NewRouter returns an empty Router.
func NewRouter() *Router {
	return &Router{mux: http.NewServeMux()}
}

// SecurityHeaders sets the headers every API response carries. A handler may
// override them (the reviewer pages send their own Content-Security-Policy).
func SecurityHeaders(h http.Header) {
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "no-store")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'")
	h.Set("Strict-Transport-Security", "max-age=31536000")
}

// Handle registers h for pattern, which must be "METHOD /path" in
// http.ServeMux syntax without a host. With no roles the route is public and
// h gets the caller's Principal if the request carries one (else the zero
// Principal). Otherwise the request must carry a principal (else 401
// unauthorized) whose Role is one of roles (else 403 forbidden); a business
// principal without a business id is 403 too. Handle panics on a malformed or
// conflicting pattern, as http.ServeMux does.
func (rt *Router) Handle(pattern string, roles []string, h func(w http.ResponseWriter, r *http.Request, p Principal)) {
	method, path, err := apiGatewayRoute(pattern)
	if err != nil {
		panic(fmt.Sprintf("httpapi: handle %q: %v", pattern, err))
	}
	if h == nil {
		panic(fmt.Sprintf("httpapi: handle %q: nil handler", pattern))
	}
	roles = slices.Clone(roles)
	rt.mux.Handle(pattern, rt.guard(roles, h))
	rt.routes = append(rt.routes, Route{Method: method, Path: path, Roles: roles})
}

// Routes lists the registered routes in registration order. The result is a
// copy.
func (rt *Router) Routes() []Route {
	out := make([]Route, len(rt.routes))
	for i, r := range rt.routes {
		out[i] = Route{Method: r.Method, Path: r.Path, Roles: slices.Clone(r.Roles)}
	}
	return out
}

// ServeHTTP dispatches the request to the matching route's handler.
func (rt *Router) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	SecurityHeaders(w.Header())
	cw := &claimWriter{ResponseWriter: w, header: make(http.Header)}
	rt.mux.ServeHTTP(cw, r)
	if cw.claimed {
		return
	}
	// No route of ours ran: ServeMux answered on its own (not found, method
	// not allowed, or a redirect to a cleaned path, which an API has no use
	// for). Answer in the envelope instead.
	if cw.status == http.StatusMethodNotAllowed {
		if allow := cw.header.Get("Allow"); allow != "" {
			w.Header().Set("Allow", allow)
		}
		WriteError(w, r, MethodNotAllowed())
		return
	}
	WriteError(w, r, NotFound())
}

// guard wraps a route's handler with the role check and panic recovery.
func (rt *Router) guard(roles []string, h func(http.ResponseWriter, *http.Request, Principal)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if cw, ok := w.(*claimWriter); ok {
			cw.claimed = true
			w = cw.ResponseWriter
		}
		sw := &statusWriter{ResponseWriter: w}
		defer func() {
			v := recover()
			if v == nil {
				return
			}
			if v == http.ErrAbortHandler {
				panic(v)
			}
			slog.ErrorContext(r.Context(), "handler panicked",
				"panic", fmt.Sprint(v),
				"stack", string(debug.Stack()),
				"requestId", RequestID(r),
				"method", r.Method,
				"route", r.Pattern,
			)
			if !sw.wrote {
				ie := internalError()
				WriteJSON(sw, ie.Status, envelope{Error: envelopeBody{Code: ie.Code, Message: ie.Message}})
			}
		}()
		p, ok := PrincipalFrom(r)
		if len(roles) > 0 {
			if !ok {
				WriteError(sw, r, Unauthorized())
				return
			}
			if !slices.Contains(roles, p.Role) || (p.Role == RoleBusiness && p.BusinessID == "") {
				WriteError(sw, r, Forbidden())
				return
			}
		}
		h(sw, r, p)
	})
}

// apiGatewayRoute splits a ServeMux pattern into its method and its path in
// API Gateway form: "{name...}" becomes "{name+}" and "{$}" is dropped.
func apiGatewayRoute(pattern string) (method, path string, err error) {
	method, path, ok := strings.Cut(pattern, " ")
	path = strings.TrimLeft(path, " \t")
	switch {
	case !ok || method == "":
		return "", "", fmt.Errorf("pattern must start with a method")
	case strings.ToUpper(method) != method:
		return "", "", fmt.Errorf("method %q must be upper case", method)
	case !strings.HasPrefix(path, "/"):
		return "", "", fmt.Errorf("path must start with / (no host)")
	}
	segs := strings.Split(path, "/")
	for i, s := range segs {
		switch {
		case s == "{$}":
			segs[i] = ""
		case strings.HasPrefix(s, "{") && strings.HasSuffix(s, "...}"):
			segs[i] = strings.TrimSuffix(s, "...}") + "+}"
		case s == "" && i == len(segs)-1 && i > 0:
			return "", "", fmt.Errorf("a path ending in / matches a whole subtree, which API Gateway routes cannot; use {name...}")
		}
	}
	return method, strings.Join(segs, "/"), nil
}

// claimWriter stands between ServeMux and the response until one of the
// Router's handlers claims the request. ServeMux's own answers (404, 405,
// redirects) land here and are replaced by the envelope.
type claimWriter struct {
	http.ResponseWriter
	header  http.Header
	status  int
	claimed bool
}

func (c *claimWriter) Header() http.Header         { return c.header }
func (c *claimWriter) WriteHeader(status int)      { c.status = status }
func (c *claimWriter) Write(b []byte) (int, error) { return len(b), nil }

// statusWriter remembers whether the handler has started its response.
type statusWriter struct {
	http.ResponseWriter
	wrote bool
}

func (s *statusWriter) WriteHeader(status int) {
	s.wrote = true
	s.ResponseWriter.WriteHeader(status)
}

func (s *statusWriter) Write(b []byte) (int, error) {
	s.wrote = true
	return s.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (s *statusWriter) Unwrap() http.ResponseWriter { return s.ResponseWriter }
