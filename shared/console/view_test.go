package console

import (
	"testing"
	"time"
)

func TestAge(t *testing.T) {
	now := time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		ago  time.Duration
		want string
	}{
		{0, "under a minute"},
		{59 * time.Second, "under a minute"},
		{time.Minute, "1 min"},
		{59*time.Minute + 59*time.Second, "59 min"},
		{time.Hour, "1 h 0 min"},
		{5*time.Hour + 12*time.Minute, "5 h 12 min"},
		{24 * time.Hour, "1 d 0 h"},
		{3*24*time.Hour + 4*time.Hour + 30*time.Minute, "3 d 4 h"},
	}
	for _, tt := range tests {
		if got := Age(now, now.Add(-tt.ago)); got != tt.want {
			t.Errorf("Age(%s ago) = %q, want %q", tt.ago, got, tt.want)
		}
	}
}

func TestFormatTimeInTheAgentsZone(t *testing.T) {
	at := time.Date(2026, 12, 7, 13, 5, 0, 0, time.UTC)
	berlin, _ := time.LoadLocation("Europe/Berlin")
	ny, _ := time.LoadLocation("America/New_York")
	tests := []struct {
		loc  *time.Location
		want string
	}{
		{berlin, "2026-12-07 14:05 CET"},
		{ny, "2026-12-07 08:05 EST"},
		{time.UTC, "2026-12-07 13:05 UTC"},
		{nil, "2026-12-07 13:05 UTC"},
	}
	for _, tt := range tests {
		if got := FormatTime(at, tt.loc); got != tt.want {
			t.Errorf("FormatTime in %v = %q, want %q", tt.loc, got, tt.want)
		}
	}
	if got := FormatTime(time.Time{}, berlin); got != "" {
		t.Errorf("FormatTime(zero) = %q, want empty", got)
	}
}

func TestCountLabel(t *testing.T) {
	if got := countLabel(3, false); got != "3" {
		t.Errorf("countLabel(3) = %q", got)
	}
	if got := countLabel(countCap, true); got != "500+" {
		t.Errorf("countLabel(cap, more) = %q, want 500+", got)
	}
}

func TestEveryOfferedZoneLoads(t *testing.T) {
	at := time.Date(2026, 7, 1, 12, 0, 0, 0, time.UTC)
	for _, z := range Zones {
		loc := Location(z)
		if loc.String() != z {
			t.Errorf("Location(%q) = %v: the zone's data is not embedded", z, loc)
		}
		want, err := time.LoadLocation(z)
		if err != nil {
			t.Fatalf("the system does not know %s: %v", z, err)
		}
		if got, exp := at.In(loc).Format("15:04 MST"), at.In(want).Format("15:04 MST"); got != exp {
			t.Errorf("noon UTC in %s = %s, want %s", z, got, exp)
		}
	}
	if Location("Mars/Olympus_Mons") != time.UTC || KnownZone("Local") || KnownZone("") {
		t.Error("an unknown zone is not UTC, or Local/empty counts as known")
	}
}
