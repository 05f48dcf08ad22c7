package moderation

import (
	"strings"
	"testing"
)

// TestCheckTimeZone is the rule of a reviewer's time zone: empty (the
// locale's usual zone) or a name of the IANA database; never the server's
// own zone, a file path, or an abbreviation that names no zone.
func TestCheckTimeZone(t *testing.T) {
	tests := []struct {
		zone string
		ok   bool
	}{
		{"", true},
		{"Europe/Stockholm", true},
		{"America/Argentina/Buenos_Aires", true},
		{"UTC", true},
		{"Asia/Kolkata", true},
		{"Local", false},
		{"CEST", false},
		{"Europe/Atlantis", false},
		{"europe/stockholm", false},
		{"/etc/localtime", false},
		{"../../etc/passwd", false},
		{"Europe/Stock holm", false},
		{`Europe\Berlin`, false},
		{strings.Repeat("A", 65), false},
	}
	for _, tt := range tests {
		t.Run(tt.zone, func(t *testing.T) {
			if got := checkTimeZone(tt.zone); (got == "") != tt.ok {
				t.Errorf("checkTimeZone(%q) = %q, want ok %v", tt.zone, got, tt.ok)
			}
		})
	}
}
