package gateway

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/candorhq/candor/shared/httpapi"
)

// Route is one API Gateway route: a method (or "ANY") and a path in API
// Gateway syntax, where a segment "{name}" matches one non-empty segment and
// a last segment "{name+}" matches the rest of the path. Auth routes need a
// valid JWT.
type Route struct {
	Method, Path string
	Auth         bool
}

// RoutesFrom turns the routes an httpapi.Router registered into gateway
// routes: a route with roles needs a JWT, a route without is public.
func RoutesFrom(rs []httpapi.Route) []Route {
	out := make([]Route, len(rs))
	for i, r := range rs {
		out[i] = Route{Method: r.Method, Path: r.Path, Auth: len(r.Roles) > 0}
	}
	return out
}

type segKind int

const (
	segLiteral segKind = iota
	segParam
	segGreedy
)

type segment struct {
	kind segKind
	text string // the literal, or the parameter's name
}

// compiledRoute is a Route ready for matching.
type compiledRoute struct {
	Route
	key  string // the route key, "GET /v1/reviews/{reviewId}"
	segs []segment
}

func compileRoutes(rs []Route) ([]compiledRoute, error) {
	out := make([]compiledRoute, 0, len(rs))
	keys := map[string]bool{}
	for _, r := range rs {
		c, err := compileRoute(r)
		if err != nil {
			return nil, err
		}
		if keys[c.key] {
			return nil, fmt.Errorf("route %q: registered twice", c.key)
		}
		keys[c.key] = true
		out = append(out, c)
	}
	return out, nil
}

func compileRoute(r Route) (compiledRoute, error) {
	key := r.Method + " " + r.Path
	if r.Method == "" || strings.ToUpper(r.Method) != r.Method || strings.ContainsAny(r.Method, " /") {
		return compiledRoute{}, fmt.Errorf("route %q: method must be an upper-case name or ANY", key)
	}
	if !strings.HasPrefix(r.Path, "/") {
		return compiledRoute{}, fmt.Errorf("route %q: path must start with /", key)
	}
	parts := strings.Split(r.Path[1:], "/")
	segs := make([]segment, len(parts))
	for i, p := range parts {
		switch {
		case strings.HasPrefix(p, "{") && strings.HasSuffix(p, "+}"):
			if i != len(parts)-1 {
				return compiledRoute{}, fmt.Errorf("route %q: a greedy {name+} must be the last segment", key)
			}
			segs[i] = segment{kind: segGreedy, text: p[1 : len(p)-2]}
		case strings.HasPrefix(p, "{") && strings.HasSuffix(p, "}"):
			segs[i] = segment{kind: segParam, text: p[1 : len(p)-1]}
		case strings.ContainsAny(p, "{}"):
			return compiledRoute{}, fmt.Errorf("route %q: a path variable must be a whole segment", key)
		default:
			segs[i] = segment{kind: segLiteral, text: p}
		}
		if segs[i].kind != segLiteral && segs[i].text == "" {
			return compiledRoute{}, fmt.Errorf("route %q: a path variable needs a name", key)
		}
	}
	return compiledRoute{Route: r, key: key, segs: segs}, nil
}

// match reports whether the route matches the request path segments
// (still percent-encoded) and returns the decoded path parameters.
func (c *compiledRoute) match(reqSegs []string) (map[string]string, bool) {
	var params map[string]string
	set := func(name, raw string) {
		if params == nil {
			params = make(map[string]string)
		}
		params[name] = unescape(raw)
	}
	for i, s := range c.segs {
		if s.kind == segGreedy {
			rest := strings.Join(reqSegs[min(i, len(reqSegs)):], "/")
			if rest == "" {
				return nil, false
			}
			set(s.text, rest)
			return params, true
		}
		if i >= len(reqSegs) {
			return nil, false
		}
		switch s.kind {
		case segLiteral:
			if unescape(reqSegs[i]) != s.text {
				return nil, false
			}
		case segParam:
			if reqSegs[i] == "" {
				return nil, false
			}
			set(s.text, reqSegs[i])
		}
	}
	if len(reqSegs) != len(c.segs) {
		return nil, false
	}
	return params, true
}

func unescape(s string) string {
	if u, err := url.PathUnescape(s); err == nil {
		return u
	}
	return s
}

// moreSpecific reports whether route a beats route b when both match, the way
// API Gateway picks the most specific route: a route without a greedy
// variable first, then, from the left, a literal segment over a variable,
// then a named method over ANY.
func moreSpecific(a, b *compiledRoute) bool {
	ag, bg := a.greedy(), b.greedy()
	if ag != bg {
		return !ag
	}
	for i := 0; i < len(a.segs) && i < len(b.segs); i++ {
		if a.segs[i].kind != b.segs[i].kind {
			return a.segs[i].kind < b.segs[i].kind
		}
	}
	if (a.Method == "ANY") != (b.Method == "ANY") {
		return b.Method == "ANY"
	}
	return len(a.segs) > len(b.segs)
}

func (c *compiledRoute) greedy() bool {
	return len(c.segs) > 0 && c.segs[len(c.segs)-1].kind == segGreedy
}

// route finds the route for a request, or nil.
func route(routes []compiledRoute, method, escapedPath string) (*compiledRoute, map[string]string) {
	if !strings.HasPrefix(escapedPath, "/") {
		return nil, nil
	}
	reqSegs := strings.Split(escapedPath[1:], "/")
	var best *compiledRoute
	var bestParams map[string]string
	for i := range routes {
		c := &routes[i]
		if c.Method != "ANY" && c.Method != method {
			continue
		}
		params, ok := c.match(reqSegs)
		if !ok {
			continue
		}
		if best == nil || moreSpecific(c, best) {
			best, bestParams = c, params
		}
	}
	return best, bestParams
}
