package consoleauth

import (
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/go-jose/go-jose/v4"

	"github.com/candorhq/candor/shared/clock"
)

// The session's limits.
const (
	// DefaultLifetime is how long a session lasts from sign-in, however
	// active the agent is.
	DefaultLifetime = 8 * time.Hour
	// DefaultIdle is how long a session lasts without a request; every
	// request starts it again (sliding).
	DefaultIdle = 30 * time.Minute
)

// Session is a signed-in agent, as the session cookie carries it. It holds
// no name or email: Subject is the identity provider's `sub`, which the use
// cases record as the actor.
type Session struct {
	Subject  string    `json:"s"`
	Zone     string    `json:"z,omitempty"` // the IANA time zone the console shows times in
	CSRF     string    `json:"c"`           // the token every POST of this session carries
	SignedIn time.Time `json:"i"`           // when the agent signed in (the absolute lifetime counts from here)
	Seen     time.Time `json:"a"`           // the last request (the idle timeout counts from here)
}

// Why a session is no longer valid.
var (
	ErrNoSession   = errors.New("no session")
	ErrSessionOver = errors.New("the session reached its lifetime")
	ErrSessionIdle = errors.New("the session was idle too long")
)

// Valid says whether the session may still be used at now: no later than
// lifetime after sign-in, and no later than idle after its last request.
// A session whose times lie in the future (a clock moved back, a forged
// cookie would not decode) is also refused.
func (s Session) Valid(now time.Time, lifetime, idle time.Duration) error {
	switch {
	case s.Subject == "" || s.CSRF == "":
		return ErrNoSession
	case !now.Before(s.SignedIn.Add(lifetime)):
		return ErrSessionOver
	case !now.Before(s.Seen.Add(idle)):
		return ErrSessionIdle
	case s.Seen.After(now) || s.SignedIn.After(now):
		return ErrNoSession
	}
	return nil
}

// Touched is the session after a request at now: the idle timeout starts
// again; the lifetime does not.
func (s Session) Touched(now time.Time) Session {
	s.Seen = now
	return s
}

// CSRFMatches says whether token is the session's CSRF token, compared in
// constant time; an empty token never matches.
func (s Session) CSRFMatches(token string) bool {
	if token == "" || s.CSRF == "" {
		return false
	}
	return subtle.ConstantTimeCompare([]byte(token), []byte(s.CSRF)) == 1
}

// newToken returns 128 random bits as text (CSRF tokens, state, nonce).
func newToken() string { return rand.Text() }

// Keys are the session cookies' keys, 32 bytes each: Hash signs
// (HMAC-SHA-512, truncated to 256 bits), Block encrypts (AES-256-CBC); together
// they are the key of JWE's A256CBC-HS512 (RFC 7518, 5.2.5).
type Keys struct {
	Hash  []byte
	Block []byte
}

// KeysFromSecret derives the two keys from one secret (at least 32 bytes,
// e.g. a Secrets Manager generated string) with HKDF-SHA256.
func KeysFromSecret(secret []byte) (Keys, error) {
	if len(secret) < 32 {
		return Keys{}, fmt.Errorf("session keys: the secret has %d bytes, want at least 32", len(secret))
	}
	hash, err := hkdf.Key(sha256.New, secret, nil, "candor console session: signing", 32)
	if err != nil {
		return Keys{}, fmt.Errorf("session keys: %w", err)
	}
	block, err := hkdf.Key(sha256.New, secret, nil, "candor console session: encryption", 32)
	if err != nil {
		return Keys{}, fmt.Errorf("session keys: %w", err)
	}
	return Keys{Hash: hash, Block: block}, nil
}

// GenerateKeys returns fresh random keys: the local stack's, which last
// as long as the process (a restart signs everyone out).
func GenerateKeys() Keys {
	k := Keys{Hash: make([]byte, 32), Block: make([]byte, 32)}
	rand.Read(k.Hash) // crypto/rand.Read never fails
	rand.Read(k.Block)
	return k
}

// Cookie names and path.
const (
	SessionCookie = "candor_console"
	LoginCookie   = "candor_console_login"
	CookiePath    = "/console"
)

// loginLifetime bounds a sign-in in flight (from the redirect to the
// identity provider to the callback).
const loginLifetime = 10 * time.Minute

// Codec reads and writes the session and sign-in cookies. Their lifetime
// rules are checked on Clock (real time; tests move a manual clock).
type Codec struct {
	sealer   sealer
	clock    clock.Clock
	lifetime time.Duration
	idle     time.Duration
	// insecure drops the Secure attribute: only for a console served over
	// plain http on localhost, where browsers would not send a Secure
	// cookie back (Chromium does for localhost, other clients do not).
	insecure bool
}

// NewCodec returns a codec with keys k whose sessions last lifetime and
// idle (zero: the defaults). insecure drops the Secure attribute, for plain
// http on localhost only.
func NewCodec(k Keys, c clock.Clock, lifetime, idle time.Duration, insecure bool) *Codec {
	if lifetime <= 0 {
		lifetime = DefaultLifetime
	}
	if idle <= 0 {
		idle = DefaultIdle
	}
	// The lifetime rules are Session.Valid's, on the injected clock: the
	// sealed value carries no time of its own, so there is one rule and a
	// test can move its clock.
	return &Codec{sealer: sealer{key: append(append(make([]byte, 0, 64), k.Hash...), k.Block...)},
		clock: c, lifetime: lifetime, idle: idle, insecure: insecure}
}

// Lifetime and Idle are the codec's session limits.
func (c *Codec) Lifetime() time.Duration { return c.lifetime }
func (c *Codec) Idle() time.Duration     { return c.idle }

// NewSession starts a session for subject at the clock's now.
func (c *Codec) NewSession(subject, zone string) Session {
	now := c.clock.Now()
	return Session{Subject: subject, Zone: zone, CSRF: newToken(), SignedIn: now, Seen: now}
}

// Read returns the request's session if it is present, authentic and
// valid now (ErrNoSession, ErrSessionOver or ErrSessionIdle otherwise).
func (c *Codec) Read(r *http.Request) (Session, error) {
	ck, err := r.Cookie(SessionCookie)
	if err != nil {
		return Session{}, ErrNoSession
	}
	var s Session
	if err := c.sealer.open(SessionCookie, ck.Value, &s); err != nil {
		return Session{}, ErrNoSession
	}
	if err := s.Valid(c.clock.Now(), c.lifetime, c.idle); err != nil {
		return Session{}, err
	}
	return s, nil
}

// Write sets the session cookie. The browser keeps it until the session's
// absolute end; the idle rule is Read's.
func (c *Codec) Write(w http.ResponseWriter, s Session) error {
	v, err := c.sealer.seal(SessionCookie, s)
	if err != nil {
		return fmt.Errorf("write session: %w", err)
	}
	maxAge := int(s.SignedIn.Add(c.lifetime).Sub(c.clock.Now()) / time.Second)
	http.SetCookie(w, c.cookie(SessionCookie, v, max(maxAge, 1)))
	return nil
}

// Clear removes the session cookie.
func (c *Codec) Clear(w http.ResponseWriter) {
	http.SetCookie(w, c.cookie(SessionCookie, "", -1))
}

func (c *Codec) cookie(name, value string, maxAge int) *http.Cookie {
	return &http.Cookie{Name: name, Value: value, Path: CookiePath, MaxAge: maxAge,
		HttpOnly: true, Secure: !c.insecure, SameSite: http.SameSiteLaxMode}
}

// login is a sign-in in flight: what the callback must find again.
type login struct {
	State    string    `json:"s"`
	Nonce    string    `json:"n"`
	Verifier string    `json:"v"` // the PKCE code verifier
	Return   string    `json:"r"` // the console path to go back to
	At       time.Time `json:"t"`
}

func (c *Codec) writeLogin(w http.ResponseWriter, l login) error {
	v, err := c.sealer.seal(LoginCookie, l)
	if err != nil {
		return fmt.Errorf("write sign-in state: %w", err)
	}
	http.SetCookie(w, c.cookie(LoginCookie, v, int(loginLifetime/time.Second)))
	return nil
}

func (c *Codec) readLogin(r *http.Request) (login, bool) {
	ck, err := r.Cookie(LoginCookie)
	if err != nil {
		return login{}, false
	}
	var l login
	if err := c.sealer.open(LoginCookie, ck.Value, &l); err != nil {
		return login{}, false
	}
	now := c.clock.Now()
	if l.State == "" || !now.Before(l.At.Add(loginLifetime)) || l.At.After(now) {
		return login{}, false
	}
	return l, true
}

func (c *Codec) clearLogin(w http.ResponseWriter) {
	http.SetCookie(w, c.cookie(LoginCookie, "", -1))
}

// sealer encrypts and signs a cookie's value: its JSON, as a JWE in compact
// form (go-jose: "dir" with A256CBC-HS512, the cookie's name in an
// authenticated header), so that only these keys can read or make it and a
// value is accepted only under the name it was written for.
type sealer struct {
	key []byte // Hash then Block: A256CBC-HS512's MAC key, then its AES key
}

// nameHeader is the protected JWE header that holds the cookie's name.
const nameHeader = "cn"

// maxSealed bounds the value open reads: browsers keep no more than 4096
// bytes per cookie.
const maxSealed = 4096

// seal returns v's JSON encrypted and signed for the cookie name.
func (s sealer) seal(name string, v any) (string, error) {
	plain, err := json.Marshal(v)
	if err != nil {
		return "", fmt.Errorf("seal %s: %w", name, err)
	}
	enc, err := jose.NewEncrypter(jose.A256CBC_HS512, jose.Recipient{Algorithm: jose.DIRECT, Key: s.key},
		(&jose.EncrypterOptions{}).WithHeader(nameHeader, name))
	if err != nil {
		return "", fmt.Errorf("seal %s: %w", name, err)
	}
	obj, err := enc.Encrypt(plain)
	if err != nil {
		return "", fmt.Errorf("seal %s: %w", name, err)
	}
	out, err := obj.CompactSerialize()
	if err != nil {
		return "", fmt.Errorf("seal %s: %w", name, err)
	}
	return out, nil
}

// open decodes into v a value seal wrote for the cookie name with the same
// keys; anything else (another key, another name, a changed byte, another
// algorithm) is an error.
func (s sealer) open(name, value string, v any) error {
	if len(value) > maxSealed {
		return fmt.Errorf("open %s: %d bytes, more than a cookie holds", name, len(value))
	}
	obj, err := jose.ParseEncrypted(value, []jose.KeyAlgorithm{jose.DIRECT}, []jose.ContentEncryption{jose.A256CBC_HS512})
	if err != nil {
		return fmt.Errorf("open %s: %w", name, err)
	}
	plain, err := obj.Decrypt(s.key)
	if err != nil {
		return fmt.Errorf("open %s: %w", name, err)
	}
	if got, _ := obj.Header.ExtraHeaders[nameHeader].(string); got != name {
		return fmt.Errorf("open %s: the value was sealed for %q", name, got)
	}
	if err := json.Unmarshal(plain, v); err != nil {
		return fmt.Errorf("open %s: %w", name, err)
	}
	return nil
}
