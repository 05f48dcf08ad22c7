package links

import "testing"

func TestHost(t *testing.T) {
	tests := map[string]string{
		"HTTPS://user@Shop.Example:8443/a?b#c": "shop.example",
		"www.evil.example/x":                   "www.evil.example",
		"//evil.example/x":                     "evil.example",
		`\\evil.example\share`:                 "evil.example",
		"secure-login.example/verify":          "secure-login.example",
		"files.example.":                       "files.example",
		"evil。example/a":                       "evil.example",
		"http://[2001:db8::1]:80/":             "[2001:db8::1]",
	}
	for in, want := range tests {
		if got := Host(in); got != want {
			t.Errorf("Host(%q) = %q, want %q", in, got, want)
		}
	}
	// Every address Find finds has a host.
	for _, s := range []string{"see https://a.example/x and //b.example and c.example/d"} {
		for _, sp := range Find(s) {
			if Host(s[sp.Start:sp.End]) == "" {
				t.Errorf("no host in %q", s[sp.Start:sp.End])
			}
		}
	}
}
