package i18n

import (
	"testing"
	"time"
)

func TestZone(t *testing.T) {
	cases := []struct{ name, locale, want string }{
		{"", "sv", "Europe/Stockholm"},
		{"", "de-AT", "Europe/Berlin"},
		{"", "fr", "Europe/London"},
		{"America/New_York", "sv", "America/New_York"},
		{"Local", "de", "Europe/Berlin"},
		{"Mars/Olympus", "en", "Europe/London"},
		{"../../etc/passwd", "en", "Europe/London"},
		{"UTC", "sv", "UTC"},
	}
	for _, c := range cases {
		if got := Zone(c.name, c.locale).String(); got != c.want {
			t.Errorf("Zone(%q, %q) = %s, want %s", c.name, c.locale, got, c.want)
		}
	}
	// A winter deadline at 08:00 UTC is 09:00 in Stockholm.
	at := time.Date(2026, 12, 7, 8, 0, 0, 0, time.UTC).In(Zone("", "sv"))
	if at.Hour() != 9 {
		t.Errorf("08:00 UTC in Stockholm = %d:00, want 9:00", at.Hour())
	}
}
