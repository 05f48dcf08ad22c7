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

func TestZoneCachesOnlyZoneNames(t *testing.T) {
	if got := Zone("Asia/Tokyo", "sv").String(); got != "Asia/Tokyo" {
		t.Errorf("Zone(Asia/Tokyo) = %s", got)
	}
	if got := Zone("", "sv").String(); got != "Europe/Stockholm" {
		t.Errorf(`Zone("", sv) = %s, want Europe/Stockholm`, got)
	}
	if got := Zone("", "de").String(); got != "Europe/Berlin" {
		t.Errorf(`Zone("", de) after sv = %s, want Europe/Berlin`, got)
	}
	if got := Zone("Not/AZone", "de").String(); got != "Europe/Berlin" {
		t.Errorf("Zone(Not/AZone, de) = %s, want the language's Europe/Berlin", got)
	}
	if got := Zone("Not/AZone", "en").String(); got != "Europe/London" {
		t.Errorf("Zone(Not/AZone, en) after de = %s, want Europe/London", got)
	}
	if _, ok := zones.Load("Not/AZone"); ok {
		t.Error("a name that is not a zone was cached")
	}
}
