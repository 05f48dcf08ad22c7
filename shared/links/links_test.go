package links

import (
	"strings"
	"testing"
)

func TestNewTokensAreUniqueAndHashable(t *testing.T) {
	seen := map[string]bool{}
	for range 1000 {
		tok, hash, err := New()
		if err != nil {
			t.Fatal(err)
		}
		if seen[tok] {
			t.Fatalf("token %s repeated", tok)
		}
		seen[tok] = true
		if got, ok := Hash(tok); !ok || got != hash {
			t.Fatalf("Hash(%s) = %s, %v; want %s", tok, got, ok, hash)
		}
		if strings.Contains(hash, tok) || len(hash) != 64 {
			t.Fatalf("hash %q of %q", hash, tok)
		}
	}
}

func TestHashRefusesWhatCannotBeAToken(t *testing.T) {
	tok, _, _ := New()
	cases := map[string]string{
		"empty":        "",
		"short":        tok[:42],
		"long":         tok + "A",
		"bad alphabet": tok[:42] + "+",
		"padding":      tok[:42] + "=",
		"path":         "../" + tok[3:],
	}
	for name, in := range cases {
		t.Run(name, func(t *testing.T) {
			if h, ok := Hash(in); ok {
				t.Errorf("Hash(%q) = %q, want refusal", in, h)
			}
		})
	}
	// A one-character change is a different, valid-looking token with another hash.
	other := []byte(tok)
	if other[0] == 'A' {
		other[0] = 'B'
	} else {
		other[0] = 'A'
	}
	h1, _ := Hash(tok)
	if h2, ok := Hash(string(other)); ok && h2 == h1 {
		t.Error("a tampered token hashes like the original")
	}
}

// FuzzHash: whatever a URL carries, Hash never panics, accepts only strings
// that decode as a 256-bit token, and maps a token to one hash of 64 hex digits.
func FuzzHash(f *testing.F) {
	tok, _, _ := New()
	for _, s := range []string{tok, "", "AAAA", tok[:42], tok + "A", strings.ToUpper(tok), "../../etc/passwd", "%2e%2e", tok[:42] + "="} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		h, ok := Hash(s)
		if !ok {
			if h != "" {
				t.Fatalf("Hash(%q) refused it but returned %q", s, h)
			}
			return
		}
		if len(s) != tokenLen || len(h) != 64 || strings.Trim(h, "0123456789abcdef") != "" {
			t.Fatalf("Hash(%q) = %q", s, h)
		}
		if h2, _ := Hash(s); h2 != h {
			t.Fatalf("Hash(%q) is not stable", s)
		}
	})
}
