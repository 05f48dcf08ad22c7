package mail

import (
	"testing"
	"time"

	"github.com/candorhq/candor/shared/i18n"
)

// dateFor is a date as an email in locale shows it to a reader in zone tz
// ("" for the locale's usual zone).
func dateFor(locale, tz string, t time.Time) string {
	return catalogues.For(locale).Date(t.In(i18n.Zone(tz, locale)), t.UTC())
}

func TestCataloguesWriteDatesInTheReadersZoneAndUTC(t *testing.T) {
	winter := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
	summer := time.Date(2026, 7, 1, 9, 0, 0, 0, time.UTC)
	newYear := time.Date(2026, 12, 31, 23, 30, 0, 0, time.UTC)
	tests := []struct {
		locale, tz string
		t          time.Time
		want       string
	}{
		{"en", "", winter, "27 November 2026, 09:00 GMT (09:00 UTC)"},
		{"en", "", summer, "1 July 2026, 10:00 BST (09:00 UTC)"},
		{"sv", "", winter, "27 november 2026 kl. 10:00 CET (09:00 UTC)"},
		{"sv", "", summer, "1 juli 2026 kl. 11:00 CEST (09:00 UTC)"},
		{"de", "", winter, "27. November 2026, 10:00 CET (09:00 UTC)"},
		{"de", "", time.Date(2026, 3, 2, 14, 5, 59, 0, time.UTC), "2. März 2026, 15:05 CET (14:05 UTC)"},
		// The reader's zone rather than the language's.
		{"en", "America/New_York", winter, "27 November 2026, 04:00 EST (09:00 UTC)"},
		{"de", "Asia/Tokyo", winter, "27. November 2026, 18:00 JST (09:00 UTC)"},
		{"sv", "Europe/Istanbul", winter, "27 november 2026 kl. 12:00 UTC+03 (09:00 UTC)"},
		// UTC on another day than the reader's gets its own date.
		{"sv", "", newYear, "1 januari 2027 kl. 00:30 CET (31 december kl. 23:30 UTC)"},
		{"en", "Europe/Stockholm", newYear, "1 January 2027, 00:30 CET (31 December, 23:30 UTC)"},
		{"de", "America/Los_Angeles", time.Date(2026, 11, 27, 3, 0, 0, 0, time.UTC), "26. November 2026, 19:00 PST (27. November, 03:00 UTC)"},
		// A reader in UTC reads the time once.
		{"en", "UTC", winter, "27 November 2026, 09:00 UTC"},
		{"sv", "UTC", winter, "27 november 2026 kl. 09:00 UTC"},
		{"de", "UTC", winter, "27. November 2026, 09:00 UTC"},
		// A zone that is not one falls back to the language's.
		{"de", "Mars/Olympus", winter, "27. November 2026, 10:00 CET (09:00 UTC)"},
		{"en", "Local", winter, "27 November 2026, 09:00 GMT (09:00 UTC)"},
	}
	for _, tt := range tests {
		t.Run(tt.locale+"/"+tt.want, func(t *testing.T) {
			if got := dateFor(tt.locale, tt.tz, tt.t); got != tt.want {
				t.Errorf("date of %v for %s in %q = %q, want %q", tt.t, tt.locale, tt.tz, got, tt.want)
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
