package links

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestDefangCatchesEveryAddressAReaderCouldFollow(t *testing.T) {
	ours := func(a string) bool { return strings.HasPrefix(a, "https://reviews.example.com/r/") }
	tests := []struct{ name, in, want string }{
		{"plain text", "no address here", "no address here"},
		{"https", "see https://evil.example/login?x=1.", "see hxxps://evil[.]example/login?x=1."},
		{"scheme in capitals", "HTTP://Evil.Example", "HXXP://Evil[.]Example"},
		{"one slash", "https:/evil.example/x", "hxxps:/evil[.]example/x"},
		{"backslashes", `https:\\evil.example\x`, `hxxps:\\evil[.]example\x`},
		{"no slashes", "http:evil.example", "hxxp:evil[.]example"},
		{"ftp", "ftp://files.example/a.zip", "fxp://files[.]example/a[.]zip"},
		{"websocket", "wss://evil.example/s", "wss://evil[.]example/s"},
		{"scheme-relative", "open //evil.example/x now", "open //evil[.]example/x now"},
		{"UNC path", `\\evil.example\share`, `\\evil[.]example\share`},
		{"bare domain with a path", "go to secure-login.example/verify today", "go to secure-login[.]example/verify today"},
		{"bare domain with a port", "evil.example:8443", "evil[.]example:8443"},
		{"bare IPv4 with a path", "192.0.2.1/login", "192[.]0[.]2[.]1/login"},
		{"www", "visit www.evil.example/path now", "visit www[.]evil[.]example/path now"},
		{"www without a path", "Visit WWW.evil.example", "Visit WWW[.]evil[.]example"},
		{"bare .com", "write to acme.com.", "write to acme[.]com."},
		{"bare country code", "see evil.co", "see evil[.]co"},
		{"an email address's domain", "ops@acme.com", "ops@acme[.]com"},
		{"ideographic dots", "evil。example/x", "evil[.]example/x"},
		{"fullwidth dots", "evil．example．com", "evil[.]example[.]com"},
		{"international domain", "пример.рф", "пример[.]рф"},
		{"punycode", "xn--e1afmkfd.xn--p1ai", "xn--e1afmkfd[.]xn--p1ai"},
		{"in parentheses", "(https://a.example)", "(hxxps://a[.]example)"},
		{"port with scheme", "https://evil.example:8443/x", "hxxps://evil[.]example:8443/x"},
		{"ours stays", "ours: https://reviews.example.com/r/tok stays", "ours: https://reviews.example.com/r/tok stays"},
		{"look-alike of ours", "https://reviews.example.com.evil.example/r/x", "hxxps://reviews[.]example[.]com[.]evil[.]example/r/x"},
		{"e.g. is no link", "e.g. i.e. U.S.A. 3.5 v1.2.3", "e.g. i.e. U.S.A. 3.5 v1.2.3"},
		{"Node.js and Mr.Smith are no links", "Node.js, Mr.Smith and file.txt", "Node.js, Mr.Smith and file.txt"},
		{"a sentence ending", "It was fine.Really", "It was fine.Really"},
		{"a time", "at 10:30 or 9.45", "at 10:30 or 9.45"},
		{"an address in the query", "https://a.example/r?to=https://b.example", "hxxps://a[.]example/r?to=hxxps://b[.]example"},
		{"already defanged", "hxxps://evil[.]example", "hxxps://evil[.]example"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Defang(tt.in, ours); got != tt.want {
				t.Errorf("Defang(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// FuzzDefangLeavesNothingToFollow: whatever the text, what Defang makes of
// it is valid UTF-8 when the text was, has no address left in it, and is
// the text itself where there was none.
func FuzzDefangLeavesNothingToFollow(f *testing.F) {
	for _, s := range []string{"https://evil.example/x", "//evil.example", "secure-login.example/verify", "acme.com", "e.g.", "evil。example/x", `\\a.b\c`, "http:a.b", "x@y.io", "[::1]:80/x", "a.b.c.d/e"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := Defang(s, nil)
		if utf8.ValidString(s) && !utf8.ValidString(out) {
			t.Fatalf("Defang(%q) = %q: not UTF-8", s, out)
		}
		if spans := Find(out); len(spans) != 0 {
			t.Fatalf("Defang(%q) = %q still holds %q", s, out, out[spans[0].Start:spans[0].End])
		}
		if len(Find(s)) == 0 && out != s {
			t.Fatalf("Defang(%q) = %q changed a text without an address", s, out)
		}
	})
}

// BenchmarkDefang measures the detector on a business's message of about
// 1,000 characters with two addresses, and on one with none.
func BenchmarkDefang(b *testing.B) {
	with := strings.Repeat("We could not find your order in our system. ", 20) + "Please confirm at secure-login.example/verify or https://evil.example/x."
	without := strings.Repeat("We could not find your order in our system, could you tell us when you visited? ", 12)
	b.Run("two addresses", func(b *testing.B) {
		for b.Loop() {
			Defang(with, nil)
		}
	})
	b.Run("no address", func(b *testing.B) {
		for b.Loop() {
			Defang(without, nil)
		}
	})
}
