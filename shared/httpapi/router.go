package httpapi

import (
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	pathpkg "path"
	"runtime/debug"
	"slices"
	"strings"
	"unicode"
)

// Route is one registered endpoint: its method, its path in API Gateway form
// ("/v1/reviews/{reviewId}", a trailing wildcard as "{proxy+}"), and the roles
// it admits (none: public).
type Route struct {
	Method, Path string
	Roles        []string
}

// Router matches a request's method and path against a table of routes
// written as http.ServeMux's Go 1.22 patterns ("GET /v1/reviews/{reviewId}",
// a trailing "{name...}" for the rest of the path, "{$}" for a path that
// ends in a slash) and answers as ServeMux would, in Candor's error
// envelope: an unmatched path is a 404 not_found, a matched path with
// another method a 405 method_not_allowed with an Allow header, and an
// unclean path ("//", "/./", "/../"), which ServeMux would redirect, a 404.
// A literal segment wins over a wildcard, a wildcard over a trailing one;
// a GET route also answers HEAD. Wildcard values are unescaped and read
// with r.PathValue; r.Pattern is the route's pattern. Every response
// carries the security headers of SecurityHeaders. A panicking handler is
// logged and answered with a 500 internal error when nothing was written
// yet.
//
// Registering a route only parses its pattern and checks it against the
// routes of its method: there is no tree to build and no caller to record, so a function that registers forty routes at
// its cold start does not pay for ServeMux's registration (docs/ops.md,
// "Size and start-up of the functions").
type Router struct {
	routes []*route
}

// route is one entry of the table: the pattern as registered, its method,
// its parsed path and its guarded handler.
type route struct {
	pattern string
	method  string
	segs    []segment
	roles   []string
	handler http.Handler
}

// segment is one segment of a route's path.
type segment struct {
	kind segKind
	// text is a literal's value or a wildcard's name.
	text string
}

// segKind orders the kinds of segment by precedence: at the first position
// where two matching routes differ, the higher kind wins.
type segKind uint8

const (
	segRest    segKind = iota // {name...}: the rest of the path, possibly empty
	segWild                   // {name}: one non-empty segment
	segLiteral                // a literal; "" is the {$} at the end of a path
)

// NewRouter returns an empty Router.
func NewRouter() *Router {
	return &Router{}
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
// principal without a business id is 403 too. Handle panics on a malformed
// pattern, and on one that conflicts with a registered route of the same
// method — the same path, or paths that overlap with neither more specific —
// as http.ServeMux does.
func (rt *Router) Handle(pattern string, roles []string, h func(w http.ResponseWriter, r *http.Request, p Principal)) {
	method, segs, err := parsePattern(pattern)
	if err != nil {
		panic(fmt.Sprintf("httpapi: handle %q: %v", pattern, err))
	}
	if h == nil {
		panic(fmt.Sprintf("httpapi: handle %q: nil handler", pattern))
	}
	for _, other := range rt.routes {
		if other.method == method && mayOverlap(segs, other.segs) && conflict(segs, other.segs) {
			panic(fmt.Sprintf("httpapi: handle %q: conflicts with %q", pattern, other.pattern))
		}
	}
	roles = slices.Clone(roles)
	rt.routes = append(rt.routes, &route{pattern: pattern, method: method, segs: segs, roles: roles, handler: rt.guard(roles, h)})
}

// Routes lists the registered routes in registration order, their paths
// in API Gateway form ("{name...}" as "{name+}", "{$}" dropped). The result
// is a copy.
func (rt *Router) Routes() []Route {
	out := make([]Route, len(rt.routes))
	for i, r := range rt.routes {
		out[i] = Route{Method: r.method, Path: apiGatewayPath(r.segs), Roles: slices.Clone(r.roles)}
	}
	return out
}

// ServeHTTP dispatches the request to the matching route's handler.
func (rt *Router) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	SecurityHeaders(w.Header())
	path := r.URL.EscapedPath()
	if path != cleanPath(path) { // ServeMux redirects to the clean path, which an API has no use for
		WriteError(w, r, NotFound())
		return
	}
	if e, values := rt.find(r.Method, path); e != nil {
		r.Pattern = e.pattern
		for i, s := range wildcards(e.segs) {
			r.SetPathValue(s.text, values[i])
		}
		e.handler.ServeHTTP(w, r)
		return
	}
	if !strings.HasSuffix(path, "/") {
		if e, _ := rt.find(r.Method, path+"/"); e != nil { // ServeMux redirects to path+"/"
			WriteError(w, r, NotFound())
			return
		}
	}
	if allow := rt.allowed(path); allow != "" {
		w.Header().Set("Allow", allow)
		WriteError(w, r, MethodNotAllowed())
		return
	}
	WriteError(w, r, NotFound())
}

// find returns the most specific route of method that matches path (a GET
// route for a HEAD request without a HEAD route) and the values of its
// wildcards, or nil.
func (rt *Router) find(method, path string) (*route, []string) {
	e, values := rt.findMethod(method, path)
	if e == nil && method == http.MethodHead {
		e, values = rt.findMethod(http.MethodGet, path)
	}
	return e, values
}

func (rt *Router) findMethod(method, path string) (best *route, bestValues []string) {
	for _, e := range rt.routes {
		if e.method != method {
			continue
		}
		if values, ok := matchPath(e.segs, path); ok && (best == nil || moreSpecific(e.segs, best.segs)) {
			best, bestValues = e, values
		}
	}
	return best, bestValues
}

// allowed is the Allow header of a 405 for path: the methods of the routes
// that match it (or, as ServeMux also tries, path+"/"), sorted, with HEAD
// where GET is; "" when none does.
func (rt *Router) allowed(path string) string {
	var methods []string
	for _, e := range rt.routes {
		_, ok := matchPath(e.segs, path)
		if !ok && !strings.HasSuffix(path, "/") {
			_, ok = matchPath(e.segs, path+"/")
		}
		if ok && !slices.Contains(methods, e.method) {
			methods = append(methods, e.method)
			if e.method == http.MethodGet && !slices.Contains(methods, http.MethodHead) {
				methods = append(methods, http.MethodHead)
			}
		}
	}
	slices.Sort(methods)
	return strings.Join(methods, ", ")
}

// guard wraps a route's handler with the role check and panic recovery.
func (rt *Router) guard(roles []string, h func(http.ResponseWriter, *http.Request, Principal)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
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

// parsePattern splits "METHOD /path" into its method and its path's
// segments, refusing what http.ServeMux refuses and what API Gateway cannot
// route: a lower-case or missing method, a host, a path ending in "/" (a
// whole subtree), an empty segment, a segment that is part wildcard, a
// wildcard whose name is not a Go identifier or repeats another's,
// "{name...}" or "{$}" anywhere but at the end.
func parsePattern(pattern string) (method string, segs []segment, err error) {
	method, path, ok := strings.Cut(pattern, " ")
	path = strings.TrimLeft(path, " \t")
	switch {
	case !ok || method == "":
		return "", nil, fmt.Errorf("pattern must start with a method")
	case strings.ToUpper(method) != method || strings.IndexFunc(method, notTokenChar) >= 0:
		return "", nil, fmt.Errorf("method %q must be upper case", method)
	case !strings.HasPrefix(path, "/"):
		return "", nil, fmt.Errorf("path must start with / (no host)")
	}
	rest := path[1:]
	segs = make([]segment, 0, strings.Count(rest, "/")+1)
	for more := true; more; {
		var s string
		s, rest, more = strings.Cut(rest, "/")
		switch {
		case s == "{$}":
			if more {
				return "", nil, fmt.Errorf("{$} must end the path")
			}
			segs = append(segs, segment{kind: segLiteral})
		case s == "" && !more && len(segs) > 0 || s == "" && !more && path == "/":
			return "", nil, fmt.Errorf("a path ending in / matches a whole subtree, which API Gateway routes cannot; use {name...}")
		case s == "":
			return "", nil, fmt.Errorf("empty segment")
		case strings.HasPrefix(s, "{") && strings.HasSuffix(s, "}"):
			name, rest := strings.CutSuffix(s[1:len(s)-1], "...")
			if rest && more {
				return "", nil, fmt.Errorf("{%s...} must end the path", name)
			}
			if !isIdentifier(name) {
				return "", nil, fmt.Errorf("bad wildcard name %q", name)
			}
			for _, w := range segs {
				if w.kind != segLiteral && w.text == name {
					return "", nil, fmt.Errorf("duplicate wildcard name %q", name)
				}
			}
			kind := segWild
			if rest {
				kind = segRest
			}
			segs = append(segs, segment{kind: kind, text: name})
		case strings.ContainsAny(s, "{}"):
			return "", nil, fmt.Errorf("bad wildcard segment %q (a wildcard is a whole segment)", s)
		default:
			segs = append(segs, segment{kind: segLiteral, text: pathUnescape(s)})
		}
	}
	return method, segs, nil
}

func notTokenChar(c rune) bool {
	return !(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.ContainsRune("!#$%&'*+-.^_`|~", c))
}

func isIdentifier(s string) bool {
	for i, c := range s {
		if !unicode.IsLetter(c) && c != '_' && (i == 0 || !unicode.IsDigit(c)) {
			return false
		}
	}
	return s != ""
}

// apiGatewayPath writes segs in API Gateway's form: "{name...}" becomes
// "{name+}" and "{$}" is dropped.
func apiGatewayPath(segs []segment) string {
	var b strings.Builder
	for _, s := range segs {
		b.WriteByte('/')
		switch s.kind {
		case segWild:
			b.WriteString("{" + s.text + "}")
		case segRest:
			b.WriteString("{" + s.text + "+}")
		default:
			b.WriteString(s.text)
		}
	}
	return b.String()
}

// wildcards returns the wildcard segments of segs, in order.
func wildcards(segs []segment) []segment {
	var out []segment
	for _, s := range segs {
		if s.kind != segLiteral {
			out = append(out, s)
		}
	}
	return out
}

// matchPath matches the escaped, clean path against segs as ServeMux does:
// each segment is unescaped before it is compared or captured, a wildcard
// matches one non-empty segment, a trailing wildcard the rest of the path
// after its slash (unescaped as a whole). It returns the wildcards' values.
func matchPath(segs []segment, path string) (values []string, ok bool) {
	rest, more := path[1:], true
	for _, s := range segs {
		if !more {
			return nil, false
		}
		if s.kind == segRest {
			return append(values, pathUnescape(rest)), true
		}
		var seg string
		seg, rest, more = strings.Cut(rest, "/")
		seg = pathUnescape(seg)
		switch {
		case s.kind == segLiteral && seg != s.text, s.kind == segWild && seg == "":
			return nil, false
		case s.kind == segWild:
			values = append(values, seg)
		}
	}
	return values, !more
}

// moreSpecific reports whether a route with segs a wins over one with segs
// b where both match: at the first position where their kinds differ, the
// higher kind (a literal over a wildcard over a trailing one).
func moreSpecific(a, b []segment) bool {
	for i := 0; i < len(a) && i < len(b); i++ {
		if a[i].kind != b[i].kind {
			return a[i].kind > b[i].kind
		}
	}
	return false
}

// mayOverlap is a quick test before conflict: paths of different lengths
// overlap only through a trailing wildcard.
func mayOverlap(a, b []segment) bool {
	return len(a) == len(b) || a[len(a)-1].kind == segRest || b[len(b)-1].kind == segRest
}

// conflict reports whether two paths of the same method can match one
// request with neither more specific than the other (ServeMux's rule):
// the same path, or two that overlap where each has a literal where the
// other has a wildcard.
func conflict(a, b []segment) bool {
	aMore, bMore := false, false
	for i := 0; ; i++ {
		switch {
		case i == len(a) || i == len(b):
			if len(a) != len(b) {
				return false // one ended, the other needs a segment more
			}
			return aMore == bMore
		case a[i].kind == segRest || b[i].kind == segRest:
			if a[i].kind == b[i].kind {
				return aMore == bMore
			}
			// The trailing wildcard matches all the other has from here.
			return a[i].kind == segRest && aMore || b[i].kind == segRest && bMore
		case a[i].kind == segLiteral && b[i].kind == segLiteral:
			if a[i].text != b[i].text {
				return false
			}
		case a[i].kind == segLiteral:
			if a[i].text == "" {
				return false // {$} against a wildcard, which needs a segment
			}
			aMore = true
		case b[i].kind == segLiteral:
			if b[i].text == "" {
				return false
			}
			bMore = true
		}
	}
}

// cleanPath is http.ServeMux's canonical form of a path: rooted, without
// "." and ".." segments or repeated slashes, its trailing slash kept.
func cleanPath(p string) string {
	if p == "" {
		return "/"
	}
	if p[0] != '/' {
		p = "/" + p
	}
	np := pathpkg.Clean(p)
	if p[len(p)-1] == '/' && np != "/" {
		if len(p) == len(np)+1 && strings.HasPrefix(p, np) {
			np = p
		} else {
			np += "/"
		}
	}
	return np
}

// pathUnescape is url.PathUnescape, or s itself when it is not validly
// escaped (as ServeMux does).
func pathUnescape(s string) string {
	if !strings.Contains(s, "%") {
		return s
	}
	u, err := url.PathUnescape(s)
	if err != nil {
		return s
	}
	return u
}

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
