package mail

import (
	"testing"
	"time"
)

func TestCataloguesWriteDatesInUTC(t *testing.T) {
	stockholm := time.FixedZone("CET", 3600)
	tests := []struct {
		locale string
		t      time.Time
		want   string
	}{
		{"en", time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC), "27 November 2026, 09:00 UTC"},
		{"sv", time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC), "27 november 2026 kl. 09:00 UTC"},
		{"de", time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC), "27. November 2026, 09:00 UTC"},
		{"de", time.Date(2026, 3, 2, 14, 5, 59, 0, time.UTC), "2. März 2026, 14:05 UTC"},
		{"sv", time.Date(2027, 1, 1, 0, 30, 0, 0, stockholm), "31 december 2026 kl. 23:30 UTC"},
		{"en", time.Date(2027, 1, 1, 0, 30, 0, 0, stockholm), "31 December 2026, 23:30 UTC"},
	}
	for _, tt := range tests {
		t.Run(tt.locale+"/"+tt.want, func(t *testing.T) {
			if got := catalogues.For(tt.locale).Date(tt.t); got != tt.want {
				t.Errorf("Date(%v) in %s = %q, want %q", tt.t, tt.locale, got, tt.want)
			}
		})
	}
}

func TestDefang(t *testing.T) {
	l := testLinks(t)
	tests := []struct{ in, want string }{
		{"no address here", "no address here"},
		{"see https://evil.example/login?x=1.", "see hxxps://evil[.]example/login?x=1."},
		{"HTTP://Evil.Example", "HXXP://Evil[.]Example"},
		{"ftp://files.example/a.zip", "fxp://files[.]example/a[.]zip"},
		{"visit www.evil.example/path now", "visit www[.]evil[.]example/path now"},
		{"Visit WWW.evil.example", "Visit WWW[.]evil[.]example"},
		{"https://evil.example:8443/x", "hxxps://evil[.]example:8443/x"},
		{"(https://a.example)", "(hxxps://a[.]example)"},
		{"ours: " + testBase + "/r/tok stays", "ours: " + testBase + "/r/tok stays"},
		{"look-alike: https://reviews.example.com/candorx/r", "look-alike: hxxps://reviews[.]example[.]com/candorx/r"},
		{"bare domain: secure-login.example/verify", "bare domain: secure-login[.]example/verify"},
		{"scheme-relative: //evil.example/x", "scheme-relative: //evil[.]example/x"},
		{"one slash: https:/evil.example", "one slash: hxxps:/evil[.]example"},
		{"a bare .com is linked by mail clients: acme.com", "a bare .com is linked by mail clients: acme[.]com"},
		{"Node.js and e.g. are no links", "Node.js and e.g. are no links"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := defang(l, tt.in); got != tt.want {
				t.Errorf("defang(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
