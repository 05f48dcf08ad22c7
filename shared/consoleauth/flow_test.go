package consoleauth_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/candorhq/candor/infra/local/idp"
	"github.com/candorhq/candor/shared/clock"
	"github.com/candorhq/candor/shared/consoleauth"
)

// site is a console behind consoleauth and the local identity provider,
// on one httptest server, as the local stack serves them.
type site struct {
	srv  *httptest.Server
	wall *clock.Manual
	// changes counts the POSTs that reached the console's handler.
	changes int
	// redirects are the URLs the browser was sent to, in order.
	redirects []*url.URL
}

func newSite(t *testing.T) *site {
	t.Helper()
	s := &site{wall: clock.NewManual(time.Now().UTC())}
	mux := http.NewServeMux()
	s.srv = httptest.NewServer(mux)
	t.Cleanup(s.srv.Close)
	p, err := idp.New(idp.Config{Issuer: s.srv.URL + "/idp", ConsoleURL: s.srv.URL + "/console"})
	if err != nil {
		t.Fatal(err)
	}
	mux.Handle("/idp/", http.StripPrefix("/idp", p.Handler))
	auth, err := consoleauth.New(consoleauth.Config{Issuer: p.Issuer, ClientID: idp.ClientID, ClientSecret: idp.ClientSecret,
		ConsoleURL: s.srv.URL + "/console", Rule: consoleauth.AgentRule{Claim: idp.Claim, Value: idp.AgentGroup},
		Codec: consoleauth.NewCodec(consoleauth.GenerateKeys(), s.wall, 0, 0, true), Clock: s.wall,
		Deny: func(w http.ResponseWriter, _ *http.Request, status int, reason string) {
			w.WriteHeader(status)
			fmt.Fprintf(w, "refused: %s", reason)
		}})
	if err != nil {
		t.Fatal(err)
	}
	mux.HandleFunc("GET /console/login", auth.Login)
	mux.HandleFunc("GET /console/callback", auth.Callback)
	mux.Handle("POST /console/logout", auth.Require(auth.Logout("/console/signed-out")))
	mux.HandleFunc("GET /console/signed-out", func(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, "signed out") })
	mux.Handle("GET /console", auth.Require(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sess, _ := consoleauth.FromContext(r.Context())
		fmt.Fprintf(w, "queues for %s in %s; csrf=%s", sess.Subject, sess.Zone, sess.CSRF)
	})))
	mux.Handle("POST /console/claim", auth.Require(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		s.changes++
		io.WriteString(w, "claimed")
	})))
	return s
}

// browser is a client with cookies that follows redirects, as a browser does.
func (s *site) browser(t *testing.T) *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, CheckRedirect: func(req *http.Request, via []*http.Request) error {
		s.redirects = append(s.redirects, req.URL)
		return nil
	}}
}

func get(t *testing.T, c *http.Client, u string) (*http.Response, string) {
	t.Helper()
	resp, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

func post(t *testing.T, c *http.Client, u string, form url.Values) (*http.Response, string) {
	t.Helper()
	resp, err := c.PostForm(u, form)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

// signIn opens the console, is sent to the provider's login page and
// signs in there as user; it returns the page the browser ends on.
func (s *site) signIn(t *testing.T, c *http.Client, user string) (*http.Response, string) {
	t.Helper()
	resp, body := get(t, c, s.srv.URL+"/console")
	if !strings.HasPrefix(resp.Request.URL.Path, "/idp/login") || !strings.Contains(body, `name="password"`) {
		t.Fatalf("opening the console ended at %s (%d), not the provider's login page", resp.Request.URL, resp.StatusCode)
	}
	id := resp.Request.URL.Query().Get("authRequestID")
	return post(t, c, s.srv.URL+"/idp/login", url.Values{"id": {id}, "username": {user}, "password": {idp.DemoPassword}})
}

func TestSignInFlowAgainstTheLocalProvider(t *testing.T) {
	s := newSite(t)
	c := s.browser(t)
	resp, body := s.signIn(t, c, "agent.anna")
	if resp.StatusCode != 200 || resp.Request.URL.Path != "/console" || !strings.Contains(body, "queues for agent-anna in Europe/Berlin") {
		t.Fatalf("after signing in: %d at %s: %q; want the console for agent-anna in her zone", resp.StatusCode, resp.Request.URL, body)
	}
	var authorize *url.URL
	for _, u := range s.redirects {
		if strings.HasSuffix(u.Path, "/authorize") {
			authorize = u
		}
	}
	if authorize == nil {
		t.Fatalf("the browser never went to the provider's authorize endpoint: %v", s.redirects)
	}
	q := authorize.Query()
	if q.Get("code_challenge_method") != "S256" || len(q.Get("code_challenge")) < 43 || q.Get("state") == "" || q.Get("nonce") == "" {
		t.Errorf("the authorization request lacks PKCE S256, state or nonce: %v", q)
	}
	for _, ck := range c.Jar.Cookies(mustURL(s.srv.URL + "/console")) {
		if strings.Contains(ck.Value, "agent-anna") {
			t.Errorf("cookie %s shows the subject in clear", ck.Name)
		}
	}
	csrf := body[strings.Index(body, "csrf=")+len("csrf="):]

	t.Run("a POST without its CSRF token is refused and changes nothing", func(t *testing.T) {
		resp, body := post(t, c, s.srv.URL+"/console/claim", url.Values{})
		if resp.StatusCode != http.StatusForbidden || s.changes != 0 {
			t.Fatalf("POST without token: %d %q, %d changes; want 403 and none", resp.StatusCode, body, s.changes)
		}
		resp, _ = post(t, c, s.srv.URL+"/console/claim", url.Values{consoleauth.CSRFField: {csrf + "x"}})
		if resp.StatusCode != http.StatusForbidden || s.changes != 0 {
			t.Fatalf("POST with a wrong token: %d, %d changes; want 403 and none", resp.StatusCode, s.changes)
		}
		resp, body = post(t, c, s.srv.URL+"/console/claim", url.Values{consoleauth.CSRFField: {csrf}})
		if resp.StatusCode != 200 || body != "claimed" || s.changes != 1 {
			t.Fatalf("POST with its token: %d %q, %d changes; want it through", resp.StatusCode, body, s.changes)
		}
	})

	t.Run("an idle session is sent to sign in, a POST is refused", func(t *testing.T) {
		s.wall.Advance(31 * time.Minute)
		changes := s.changes
		resp, _ := post(t, c, s.srv.URL+"/console/claim", url.Values{consoleauth.CSRFField: {csrf}})
		if resp.StatusCode != http.StatusUnauthorized || s.changes != changes {
			t.Errorf("POST after 31 idle minutes: %d, %d changes; want 401 and none", resp.StatusCode, s.changes-changes)
		}
		resp, _ = get(t, c, s.srv.URL+"/console")
		if !strings.HasPrefix(resp.Request.URL.Path, "/idp/login") {
			t.Errorf("GET after 31 idle minutes ended at %s, want the login page", resp.Request.URL)
		}
	})
}

func TestSignInRefusesWhoIsNotAnAgent(t *testing.T) {
	s := newSite(t)
	c := s.browser(t)
	resp, body := s.signIn(t, c, "business.bo")
	if resp.StatusCode != http.StatusForbidden || !strings.Contains(body, `not a member of "compliance"`) {
		t.Fatalf("a business user: %d %q; want 403 saying they are not in compliance", resp.StatusCode, body)
	}
	resp, _ = get(t, c, s.srv.URL+"/console")
	if !strings.HasPrefix(resp.Request.URL.Path, "/idp/login") {
		t.Errorf("after the refusal the console is at %s; it must still ask to sign in", resp.Request.URL)
	}
}

func TestSessionLifetimeOnTheWallClock(t *testing.T) {
	s := newSite(t)
	c := s.browser(t)
	s.signIn(t, c, "agent.ben")
	for range 16 { // active every 29 minutes for 7h44m
		s.wall.Advance(29 * time.Minute)
		if resp, body := get(t, c, s.srv.URL+"/console"); !strings.Contains(body, "queues for agent-ben") {
			t.Fatalf("an active session was refused at %s: %s", resp.Request.URL, body)
		}
	}
	s.wall.Advance(20 * time.Minute) // 8h04m after sign-in
	resp, _ := get(t, c, s.srv.URL+"/console")
	if !strings.HasPrefix(resp.Request.URL.Path, "/idp/login") {
		t.Errorf("8h04m after sign-in the console answered at %s; want the login page", resp.Request.URL)
	}
}

func TestCallbackChecksState(t *testing.T) {
	s := newSite(t)
	c := s.browser(t)
	// A callback this browser did not start (a login CSRF): no login cookie.
	resp, body := get(t, c, s.srv.URL+"/console/callback?code=abc&state=forged")
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "not the one this browser started") {
		t.Errorf("a forged callback: %d %q; want 400", resp.StatusCode, body)
	}
	// A started sign-in answered with another state.
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, _ = get(t, c, s.srv.URL+"/console/login")
	if resp.StatusCode != http.StatusFound {
		t.Fatalf("login: %d, want a redirect to the provider", resp.StatusCode)
	}
	c.CheckRedirect = nil
	resp, _ = get(t, c, s.srv.URL+"/console/callback?code=abc&state=other")
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("a callback with another state: %d, want 400", resp.StatusCode)
	}
}

func TestLogoutEndsTheSessionAtTheProvider(t *testing.T) {
	s := newSite(t)
	c := s.browser(t)
	_, body := s.signIn(t, c, "agent.anna")
	csrf := body[strings.Index(body, "csrf=")+len("csrf="):]
	if resp, _ := post(t, c, s.srv.URL+"/console/logout", url.Values{}); resp.StatusCode != http.StatusForbidden {
		t.Errorf("logout without the CSRF token: %d, want 403", resp.StatusCode)
	}
	s.redirects = nil
	resp, body := post(t, c, s.srv.URL+"/console/logout", url.Values{consoleauth.CSRFField: {csrf}})
	if resp.Request.URL.Path != "/console/signed-out" || body != "signed out" {
		t.Fatalf("logout ended at %s: %q", resp.Request.URL, body)
	}
	if len(s.redirects) == 0 || !strings.HasSuffix(s.redirects[0].Path, "/end_session") {
		t.Errorf("logout did not go through the provider's end_session_endpoint: %v", s.redirects)
	}
	resp, _ = get(t, c, s.srv.URL+"/console")
	if !strings.HasPrefix(resp.Request.URL.Path, "/idp/login") {
		t.Errorf("after logout the console answered at %s; want the login page", resp.Request.URL)
	}
}

func mustURL(s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		panic(err)
	}
	return u
}
