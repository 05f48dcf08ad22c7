package consoleauth

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"github.com/candorhq/candor/shared/clock"
)

// Config is how the console signs agents in.
type Config struct {
	Issuer       string // the OIDC issuer URL (discovery at Issuer/.well-known/openid-configuration)
	ClientID     string
	ClientSecret string // "" for a public client: PKCE alone
	// ConsoleURL is where the console is served, e.g.
	// "https://api.example.com/console" (the callback is ConsoleURL/callback).
	// "" derives it per request: https://<Host>/console.
	ConsoleURL string
	Rule       AgentRule
	Codec      *Codec
	// Clock is real time: ID tokens' exp and iat are checked on it.
	Clock clock.Clock
	// HTTPClient talks to the identity provider (nil: http.DefaultClient).
	HTTPClient *http.Client
	Logger     *slog.Logger
	// KnownZone says whether a zoneinfo claim names a zone the console can
	// show times in; others become "UTC" (nil: any zone time.LoadLocation
	// knows, but not "Local").
	KnownZone func(string) bool
	// Deny renders the page of a refused sign-in (status 403 for a user who
	// is not an agent, 400 for a broken or stale sign-in); nil: plain text.
	Deny func(w http.ResponseWriter, r *http.Request, status int, reason string)
}

// Auth is the sign-in flow and the session check of the console.
type Auth struct {
	cfg Config

	mu       sync.Mutex
	provider *discovered // nil until the first discovery succeeds
}

type discovered struct {
	provider   *oidc.Provider
	verifier   *oidc.IDTokenVerifier
	endSession string // the provider's end_session_endpoint, "" when it has none
}

// New returns the flow for cfg. It does not contact the issuer: discovery
// happens on the first sign-in.
func New(cfg Config) (*Auth, error) {
	switch {
	case cfg.Issuer == "":
		return nil, errors.New("console sign-in: no issuer")
	case cfg.ClientID == "":
		return nil, errors.New("console sign-in: no client id")
	case cfg.Rule.Claim == "" || cfg.Rule.Value == "":
		return nil, errors.New("console sign-in: no agent claim and value")
	case cfg.Codec == nil || cfg.Clock == nil:
		return nil, errors.New("console sign-in: no session codec or clock")
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = http.DefaultClient
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.KnownZone == nil {
		cfg.KnownZone = func(z string) bool {
			_, err := time.LoadLocation(z)
			return z != "" && z != "Local" && err == nil
		}
	}
	if cfg.Deny == nil {
		cfg.Deny = func(w http.ResponseWriter, _ *http.Request, status int, reason string) { http.Error(w, reason, status) }
	}
	return &Auth{cfg: cfg}, nil
}

// Codec is the session codec the flow writes with.
func (a *Auth) Codec() *Codec { return a.cfg.Codec }

// discover reads the issuer's configuration once; a failure is retried
// on the next request.
func (a *Auth) discover(ctx context.Context) (*discovered, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.provider != nil {
		return a.provider, nil
	}
	ctx = oidc.ClientContext(ctx, a.cfg.HTTPClient)
	p, err := oidc.NewProvider(ctx, a.cfg.Issuer)
	if err != nil {
		return nil, fmt.Errorf("discover the identity provider: %w", err)
	}
	var extra struct {
		EndSession string `json:"end_session_endpoint"`
	}
	if err := p.Claims(&extra); err != nil {
		return nil, fmt.Errorf("discover the identity provider: %w", err)
	}
	v := p.Verifier(&oidc.Config{ClientID: a.cfg.ClientID, Now: a.cfg.Clock.Now})
	a.provider = &discovered{provider: p, verifier: v, endSession: extra.EndSession}
	return a.provider, nil
}

// consoleURL is the console's base URL for r.
func (a *Auth) consoleURL(r *http.Request) string {
	if a.cfg.ConsoleURL != "" {
		return strings.TrimSuffix(a.cfg.ConsoleURL, "/")
	}
	return "https://" + r.Host + CookiePath
}

func (a *Auth) oauth(d *discovered, r *http.Request) *oauth2.Config {
	return &oauth2.Config{ClientID: a.cfg.ClientID, ClientSecret: a.cfg.ClientSecret, Endpoint: d.provider.Endpoint(),
		RedirectURL: a.consoleURL(r) + "/callback", Scopes: []string{oidc.ScopeOpenID, "profile"}}
}

// Login starts a sign-in (GET /console/login): it remembers state, nonce
// and the PKCE verifier in a short-lived cookie and sends the browser to
// the identity provider. ?return= names the console path to come back to.
func (a *Auth) Login(w http.ResponseWriter, r *http.Request) {
	d, err := a.discover(r.Context())
	if err != nil {
		a.cfg.Logger.ErrorContext(r.Context(), "console sign-in", "err", err)
		a.cfg.Deny(w, r, http.StatusBadGateway, "The identity provider cannot be reached just now. Try again in a minute.")
		return
	}
	l := login{State: newToken(), Nonce: newToken(), Verifier: oauth2.GenerateVerifier(), Return: safeReturn(r.URL.Query().Get("return")), At: a.cfg.Clock.Now()}
	if err := a.cfg.Codec.writeLogin(w, l); err != nil {
		a.cfg.Logger.ErrorContext(r.Context(), "console sign-in", "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	http.Redirect(w, r, a.oauth(d, r).AuthCodeURL(l.State, oidc.Nonce(l.Nonce), oauth2.S256ChallengeOption(l.Verifier)), http.StatusFound)
}

// safeReturn keeps a return path only when it is a path of the console.
func safeReturn(p string) string {
	if p == CookiePath || (strings.HasPrefix(p, CookiePath+"/") && !strings.Contains(p, "//") && !strings.Contains(p, `\`)) {
		return p
	}
	return CookiePath
}

// Callback ends a sign-in (GET /console/callback): it checks the state,
// exchanges the code with the PKCE verifier, verifies the ID token and its
// nonce, applies the agent rule and starts the session.
func (a *Auth) Callback(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	l, ok := a.cfg.Codec.readLogin(r)
	a.cfg.Codec.clearLogin(w)
	q := r.URL.Query()
	if !ok || q.Get("state") == "" || !(Session{CSRF: l.State}).CSRFMatches(q.Get("state")) {
		a.cfg.Deny(w, r, http.StatusBadRequest, "This sign-in is not the one this browser started, or it took too long. Start again from the console.")
		return
	}
	if e := q.Get("error"); e != "" {
		a.cfg.Deny(w, r, http.StatusForbidden, "The identity provider did not sign you in ("+e+").")
		return
	}
	d, err := a.discover(ctx)
	if err != nil {
		a.cfg.Logger.ErrorContext(ctx, "console sign-in", "err", err)
		a.cfg.Deny(w, r, http.StatusBadGateway, "The identity provider cannot be reached just now. Try again in a minute.")
		return
	}
	tok, err := a.oauth(d, r).Exchange(oidc.ClientContext(ctx, a.cfg.HTTPClient), q.Get("code"), oauth2.VerifierOption(l.Verifier))
	if err != nil {
		a.cfg.Logger.WarnContext(ctx, "console sign-in: code exchange refused", "err", err)
		a.cfg.Deny(w, r, http.StatusBadRequest, "The identity provider refused this sign-in. Start again from the console.")
		return
	}
	raw, _ := tok.Extra("id_token").(string)
	idt, err := d.verifier.Verify(ctx, raw)
	if err != nil {
		a.cfg.Logger.WarnContext(ctx, "console sign-in: ID token refused", "err", err)
		a.cfg.Deny(w, r, http.StatusBadRequest, "The sign-in could not be verified. Start again from the console.")
		return
	}
	if !(Session{CSRF: l.Nonce}).CSRFMatches(idt.Nonce) {
		a.cfg.Deny(w, r, http.StatusBadRequest, "The sign-in could not be verified (its nonce does not match). Start again from the console.")
		return
	}
	var claims map[string]any
	if err := idt.Claims(&claims); err != nil {
		a.cfg.Deny(w, r, http.StatusBadRequest, "The sign-in could not be read. Start again from the console.")
		return
	}
	if _, present := claims[a.cfg.Rule.Claim]; !present && d.provider.UserInfoEndpoint() != "" {
		// Some providers put groups only in userinfo.
		if ui, err := d.provider.UserInfo(oidc.ClientContext(ctx, a.cfg.HTTPClient), oauth2.StaticTokenSource(tok)); err == nil && ui.Subject == idt.Subject {
			var more map[string]any
			if ui.Claims(&more) == nil {
				for k, v := range more {
					if _, ok := claims[k]; !ok {
						claims[k] = v
					}
				}
			}
		}
	}
	if ok, reason := a.cfg.Rule.Admit(claims); !ok {
		a.cfg.Logger.InfoContext(ctx, "console sign-in refused: not an agent", "sub", idt.Subject)
		a.cfg.Deny(w, r, http.StatusForbidden, reason)
		return
	}
	zone, _ := claims["zoneinfo"].(string)
	if !a.cfg.KnownZone(zone) {
		zone = "UTC"
	}
	s := a.cfg.Codec.NewSession(idt.Subject, zone)
	if err := a.cfg.Codec.Write(w, s); err != nil {
		a.cfg.Logger.ErrorContext(ctx, "console sign-in", "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	a.cfg.Logger.InfoContext(ctx, "console sign-in", "sub", idt.Subject)
	http.Redirect(w, r, l.Return, http.StatusSeeOther)
}

// Logout ends the session (POST /console/logout, with the CSRF token: wrap
// it in Require). The browser then goes to the provider's
// end_session_endpoint when it offers one, otherwise to signedOut.
func (a *Auth) Logout(signedOut string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		a.cfg.Codec.Clear(w)
		target := signedOut
		if d, err := a.discover(r.Context()); err == nil && d.endSession != "" {
			u, err := url.Parse(d.endSession)
			if err == nil {
				q := u.Query()
				q.Set("client_id", a.cfg.ClientID)
				q.Set("post_logout_redirect_uri", a.consoleURL(r)+strings.TrimPrefix(signedOut, CookiePath))
				u.RawQuery = q.Encode()
				target = u.String()
			}
		}
		http.Redirect(w, r, target, http.StatusSeeOther)
	}
}

type sessionKey struct{}

// FromContext returns the session Require found for the request.
func FromContext(ctx context.Context) (Session, bool) {
	s, ok := ctx.Value(sessionKey{}).(Session)
	return s, ok
}

// WithSession returns ctx carrying s, as Require passes it on (for tests
// of pages behind Require).
func WithSession(ctx context.Context, s Session) context.Context {
	return context.WithValue(ctx, sessionKey{}, s)
}

// CSRFField is the name of the form field that carries the CSRF token.
const CSRFField = "csrf"

// Require lets a request through only with a valid session: without one, a
// GET or HEAD is sent to sign in (and back afterwards), anything else is
// refused 401. Every POST must carry the session's CSRF token in the form
// field CSRFField, or it is refused 403 before next sees it. Each request
// let through slides the idle timeout.
func (a *Auth) Require(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s, err := a.cfg.Codec.Read(r)
		if err != nil {
			if _, had := r.Cookie(SessionCookie); had == nil {
				a.cfg.Codec.Clear(w)
			}
			if r.Method == http.MethodGet || r.Method == http.MethodHead {
				http.Redirect(w, r, CookiePath+"/login?return="+url.QueryEscape(r.URL.Path), http.StatusSeeOther)
				return
			}
			a.cfg.Deny(w, r, http.StatusUnauthorized, "Your session has ended. Sign in again; nothing was changed.")
			return
		}
		if r.Method == http.MethodPost {
			r.Body = http.MaxBytesReader(w, r.Body, 1<<20)
			if err := r.ParseForm(); err != nil || !s.CSRFMatches(r.PostForm.Get(CSRFField)) {
				a.cfg.Deny(w, r, http.StatusForbidden, "This form is stale or did not come from the console (its security token is missing or wrong). Nothing was changed; go back, reload the page and try again.")
				return
			}
		}
		s = s.Touched(a.cfg.Clock.Now())
		if err := a.cfg.Codec.Write(w, s); err != nil {
			a.cfg.Logger.ErrorContext(r.Context(), "console session", "err", err)
			http.Error(w, "internal error", http.StatusInternalServerError)
			return
		}
		next.ServeHTTP(w, r.WithContext(WithSession(r.Context(), s)))
	})
}

// Save writes a changed session (e.g. a new time zone) for the rest of the
// request's response.
func (a *Auth) Save(w http.ResponseWriter, s Session) error { return a.cfg.Codec.Write(w, s) }
