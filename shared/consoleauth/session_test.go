package consoleauth

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/candorhq/candor/shared/clock"
)

func TestSessionValid(t *testing.T) {
	signIn := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	lifetime, idle := 8*time.Hour, 30*time.Minute
	base := Session{Subject: "agent-1", CSRF: "tok", SignedIn: signIn, Seen: signIn}
	tests := []struct {
		name string
		seen time.Time // the last request
		now  time.Time
		want error
	}{
		{"just signed in", signIn, signIn, nil},
		{"a minute before the idle timeout", signIn, signIn.Add(29 * time.Minute), nil},
		{"at the idle timeout", signIn, signIn.Add(30 * time.Minute), ErrSessionIdle},
		{"active all day, a second before the lifetime", signIn.Add(7*time.Hour + 50*time.Minute), signIn.Add(8*time.Hour - time.Second), nil},
		{"active all day, at the lifetime", signIn.Add(7*time.Hour + 50*time.Minute), signIn.Add(8 * time.Hour), ErrSessionOver},
		{"active all day, past the lifetime", signIn.Add(7*time.Hour + 59*time.Minute), signIn.Add(9 * time.Hour), ErrSessionOver},
		{"last seen in the future", signIn.Add(time.Hour), signIn.Add(time.Minute), ErrNoSession},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := base
			s.Seen = tt.seen
			if got := s.Valid(tt.now, lifetime, idle); !errors.Is(got, tt.want) {
				t.Errorf("Valid at %s = %v, want %v", tt.now.Sub(signIn), got, tt.want)
			}
		})
	}
	t.Run("an empty session", func(t *testing.T) {
		if got := (Session{}).Valid(signIn, lifetime, idle); !errors.Is(got, ErrNoSession) {
			t.Errorf("Valid = %v, want ErrNoSession", got)
		}
	})
}

func TestSessionTouchedSlidesOnlyTheIdleTimeout(t *testing.T) {
	signIn := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	s := Session{Subject: "a", CSRF: "t", SignedIn: signIn, Seen: signIn}
	now := signIn
	for range 19 { // a request every 25 minutes keeps it alive (7h55m)
		now = now.Add(25 * time.Minute)
		if err := s.Valid(now, 8*time.Hour, 30*time.Minute); err != nil {
			t.Fatalf("after %s of requests every 25 minutes: %v", now.Sub(signIn), err)
		}
		s = s.Touched(now)
	}
	if s.SignedIn != signIn {
		t.Errorf("Touched moved the sign-in time to %s", s.SignedIn)
	}
	now = now.Add(25 * time.Minute) // ...until the absolute lifetime (8h20m now)
	if err := s.Valid(now, 8*time.Hour, 30*time.Minute); !errors.Is(err, ErrSessionOver) {
		t.Errorf("at %s: %v, want ErrSessionOver", now.Sub(signIn), err)
	}
}

func TestCSRFMatches(t *testing.T) {
	s := Session{CSRF: "ABCDEFGH12345678"}
	tests := []struct {
		token string
		want  bool
	}{
		{"ABCDEFGH12345678", true},
		{"", false},
		{"ABCDEFGH1234567", false},
		{"ABCDEFGH123456789", false},
		{"abcdefgh12345678", false},
		{"XBCDEFGH12345678", false},
	}
	for _, tt := range tests {
		if got := s.CSRFMatches(tt.token); got != tt.want {
			t.Errorf("CSRFMatches(%q) = %v, want %v", tt.token, got, tt.want)
		}
	}
	if (Session{}).CSRFMatches("") {
		t.Error("a session without a token matched the empty token")
	}
}

// roundTrip writes s with c and reads it back as the browser would send it.
func roundTrip(t *testing.T, c *Codec, s Session) (*http.Cookie, *http.Request) {
	t.Helper()
	rec := httptest.NewRecorder()
	if err := c.Write(rec, s); err != nil {
		t.Fatal(err)
	}
	cookies := rec.Result().Cookies()
	if len(cookies) != 1 {
		t.Fatalf("Write set %d cookies, want 1", len(cookies))
	}
	req := httptest.NewRequest("GET", "/console", nil)
	req.AddCookie(&http.Cookie{Name: cookies[0].Name, Value: cookies[0].Value})
	return cookies[0], req
}

func TestCodecCookie(t *testing.T) {
	wall := clock.NewManual(time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC))
	c := NewCodec(GenerateKeys(), wall, 0, 0, false)
	s := c.NewSession("agent-sub-1", "Europe/Berlin")
	ck, req := roundTrip(t, c, s)

	if !ck.HttpOnly || !ck.Secure || ck.SameSite != http.SameSiteLaxMode || ck.Path != CookiePath {
		t.Errorf("cookie attributes: HttpOnly=%v Secure=%v SameSite=%v Path=%q, want HttpOnly, Secure, Lax, %s", ck.HttpOnly, ck.Secure, ck.SameSite, ck.Path, CookiePath)
	}
	if ck.MaxAge != int((8 * time.Hour).Seconds()) {
		t.Errorf("MaxAge = %d, want the 8 h lifetime", ck.MaxAge)
	}
	if strings.Contains(ck.Value, "agent-sub-1") || strings.Contains(ck.Value, s.CSRF) {
		t.Error("the cookie shows its content: it must be encrypted")
	}
	got, err := c.Read(req)
	if err != nil || got.Subject != s.Subject || got.Zone != "Europe/Berlin" || got.CSRF != s.CSRF {
		t.Fatalf("Read = %+v, %v; want the session written", got, err)
	}

	wall.Advance(31 * time.Minute)
	if _, err := c.Read(req); !errors.Is(err, ErrSessionIdle) {
		t.Errorf("31 minutes later: %v, want ErrSessionIdle", err)
	}

	t.Run("another key's cookie is no session", func(t *testing.T) {
		other := NewCodec(GenerateKeys(), wall, 0, 0, false)
		_, req := roundTrip(t, other, other.NewSession("mallory", ""))
		if _, err := c.Read(req); !errors.Is(err, ErrNoSession) {
			t.Errorf("Read = %v, want ErrNoSession", err)
		}
	})
	t.Run("a changed byte is no session", func(t *testing.T) {
		ck, _ := roundTrip(t, c, c.NewSession("agent", ""))
		b := []byte(ck.Value)
		b[len(b)/2] ^= 1
		req := httptest.NewRequest("GET", "/console", nil)
		req.AddCookie(&http.Cookie{Name: SessionCookie, Value: string(b)})
		if _, err := c.Read(req); !errors.Is(err, ErrNoSession) {
			t.Errorf("Read = %v, want ErrNoSession", err)
		}
	})
	t.Run("a value sealed under another cookie's name is no session", func(t *testing.T) {
		v, err := c.sealer.seal(LoginCookie, c.NewSession("agent", ""))
		if err != nil {
			t.Fatal(err)
		}
		req := httptest.NewRequest("GET", "/console", nil)
		req.AddCookie(&http.Cookie{Name: SessionCookie, Value: v})
		if _, err := c.Read(req); !errors.Is(err, ErrNoSession) {
			t.Errorf("Read = %v, want ErrNoSession", err)
		}
	})
	t.Run("plain http on localhost drops Secure only", func(t *testing.T) {
		local := NewCodec(GenerateKeys(), wall, 0, 0, true)
		ck, _ := roundTrip(t, local, local.NewSession("a", ""))
		if ck.Secure || !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode {
			t.Errorf("Secure=%v HttpOnly=%v SameSite=%v, want not Secure, HttpOnly, Lax", ck.Secure, ck.HttpOnly, ck.SameSite)
		}
	})
}

func TestKeysFromSecret(t *testing.T) {
	if _, err := KeysFromSecret([]byte("short")); err == nil {
		t.Error("a 5-byte secret gave keys")
	}
	secret := []byte(strings.Repeat("k", 64))
	k1, err := KeysFromSecret(secret)
	if err != nil {
		t.Fatal(err)
	}
	k2, _ := KeysFromSecret(secret)
	if string(k1.Hash) != string(k2.Hash) || string(k1.Block) != string(k2.Block) {
		t.Error("the same secret gave different keys: sessions would not survive a cold start")
	}
	if string(k1.Hash) == string(k1.Block) {
		t.Error("the signing and encryption keys are the same")
	}
}
