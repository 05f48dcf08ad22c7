// Package idp is the local stack's identity provider: an OpenID Connect
// provider built on zitadel/oidc's op package, with a login page and the
// demo users of DemoUsers. The console signs agents in against it exactly
// as it does against the platform's provider in AWS (authorization code
// with PKCE, a confidential client). It keeps everything in memory; a
// restart forgets the sign-ins in flight and the tokens issued.
package idp

import (
	"context"
	"crypto/rand"
	"fmt"
	"html/template"
	"log/slog"
	"net/http"
	"strings"

	"github.com/zitadel/oidc/v3/pkg/op"
	"golang.org/x/text/language"
)

// The console's client registration.
const (
	ClientID     = "candor-console"
	ClientSecret = "candor-console-local-secret"
)

// Config of a provider.
type Config struct {
	// Issuer is the provider's URL, e.g. http://127.0.0.1:3000/idp; the
	// handler serves the paths below it.
	Issuer string
	// ConsoleURL is the console's base URL: the client's redirect URI is
	// ConsoleURL/callback, its post-logout URI ConsoleURL/signed-out.
	ConsoleURL string
	Users      []User // default DemoUsers
	Logger     *slog.Logger
}

// Provider is a running local identity provider.
type Provider struct {
	Issuer string
	// Handler serves the issuer's paths with the issuer's path prefix
	// removed: mount it as http.StripPrefix(<issuer path>, Handler).
	Handler http.Handler
	Users   []User
}

// New builds the provider.
func New(cfg Config) (*Provider, error) {
	if cfg.Users == nil {
		cfg.Users = DemoUsers
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	issuer := strings.TrimSuffix(cfg.Issuer, "/")
	console := strings.TrimSuffix(cfg.ConsoleURL, "/")
	c := &client{id: ClientID, secret: ClientSecret, redirects: []string{console + "/callback"}, postLogout: []string{console + "/signed-out"},
		loginURL: func(id string) string { return issuer + "/login?authRequestID=" + id }}
	st := newStorage(c, cfg.Users)
	var cryptoKey [32]byte
	rand.Read(cryptoKey[:])
	p, err := op.NewProvider(&op.Config{CryptoKey: cryptoKey, CodeMethodS256: true, SupportedUILocales: []language.Tag{language.English}},
		st, op.StaticIssuer(issuer), op.WithAllowInsecure(), op.WithLogger(cfg.Logger.With("component", "local-idp")))
	if err != nil {
		return nil, fmt.Errorf("local identity provider: %w", err)
	}
	l := &loginPage{st: st, callback: op.AuthCallbackURL(p), users: cfg.Users}
	mux := http.NewServeMux()
	intercept := op.NewIssuerInterceptor(p.IssuerFromRequest)
	mux.HandleFunc("GET /login", l.show)
	mux.Handle("POST /login", intercept.HandlerFunc(l.submit))
	mux.Handle("/", p)
	return &Provider{Issuer: issuer, Handler: mux, Users: cfg.Users}, nil
}

// loginPage asks for a user name and password and completes the sign-in.
type loginPage struct {
	st       *storage
	callback func(context.Context, string) string
	users    []User
}

var loginTemplate = template.Must(template.New("login").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sign in · Candor local identity provider</title>
<style nonce="{{.Nonce}}">
body{font:16px/1.5 system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem;color:#1a1a1a}
label{display:block;margin-top:1rem;font-weight:600}
input{font:inherit;padding:.4rem;width:100%;box-sizing:border-box;border:1px solid #555;border-radius:4px}
button{font:inherit;margin-top:1.2rem;padding:.5rem 1.2rem;background:#1f4fa8;color:#fff;border:0;border-radius:4px}
:focus-visible{outline:3px solid #f5a623;outline-offset:2px}
.error{color:#a40000;font-weight:600}
table{border-collapse:collapse;margin-top:.5rem}td,th{border-bottom:1px solid #ccc;padding:.2rem .6rem;text-align:left}
</style></head><body><main>
<h1>Sign in</h1>
<p>The local stack's identity provider: it stands in for the platform's single sign-on.</p>
{{if .Error}}<p class="error" role="alert" id="login-error">{{.Error}}</p>{{end}}
<form method="post" action="login">
<input type="hidden" name="id" value="{{.ID}}">
<label for="username">User name</label>
<input id="username" name="username" autocomplete="username" required value="{{.Username}}"{{if .Error}} aria-describedby="login-error"{{end}}>
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">Sign in</button>
</form>
<h2>Demo users</h2>
<table><thead><tr><th scope="col">User name</th><th scope="col">Password</th><th scope="col">Who</th></tr></thead><tbody>
{{range .Users}}<tr><td>{{.Username}}</td><td>{{.Password}}</td><td>{{.Role}}</td></tr>{{end}}
</tbody></table>
</main></body></html>`))

type loginView struct {
	Nonce, ID, Username, Error string
	Users                      []User
}

func (l *loginPage) render(w http.ResponseWriter, status int, v loginView) {
	v.Nonce, v.Users = rand.Text(), l.users
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'nonce-"+v.Nonce+"'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	loginTemplate.Execute(w, v)
}

func (l *loginPage) show(w http.ResponseWriter, r *http.Request) {
	l.render(w, http.StatusOK, loginView{ID: r.URL.Query().Get("authRequestID")})
}

func (l *loginPage) submit(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	if err := r.ParseForm(); err != nil {
		l.render(w, http.StatusBadRequest, loginView{Error: "The form could not be read."})
		return
	}
	id, user := r.PostForm.Get("id"), r.PostForm.Get("username")
	if err := l.st.checkPassword(id, user, r.PostForm.Get("password")); err != nil {
		l.render(w, http.StatusUnauthorized, loginView{ID: id, Username: user, Error: strings.ToUpper(err.Error()[:1]) + err.Error()[1:] + "."})
		return
	}
	http.Redirect(w, r, l.callback(r.Context(), id), http.StatusFound)
}
