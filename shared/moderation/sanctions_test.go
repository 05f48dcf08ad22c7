package moderation

import (
	"strings"
	"testing"
	"time"
)

func TestNoticeAtEnd(t *testing.T) {
	until := time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC)
	suspension := Sanction{Kind: SanctionSuspension, Status: SanctionEnded, Until: until}
	warning := Sanction{Kind: SanctionWarning, Status: SanctionEnded, Until: until}
	lifted := func(s Sanction) Sanction { s.LiftedBy = "agent:bob"; return s }
	tests := []struct {
		name string
		s    Sanction
		e    SanctionEnd
		want EndNotice
	}{
		{"suspension ends at its until", suspension, SanctionEnd{Told: true}, EndTellsReopened},
		{"suspension ends while another blocks", suspension, SanctionEnd{Told: true, StillSuspended: true}, EndTellsNothing},
		{"suspension lifted: the lift's end reopens", lifted(suspension), SanctionEnd{ByLift: true, Told: true}, EndTellsReopened},
		{"suspension lifted while another blocks", lifted(suspension), SanctionEnd{ByLift: true, Told: true, StillSuspended: true}, EndTellsNothing},
		{"lifted suspension's original until", lifted(suspension), SanctionEnd{Told: true}, EndTellsNothing},
		{"lifted suspension's original until, the other one over", lifted(suspension), SanctionEnd{Told: true, StillSuspended: false}, EndTellsNothing},
		{"suspension lifted before its notice went", lifted(suspension), SanctionEnd{ByLift: true}, EndTellsNothing},
		{"warning lapses", warning, SanctionEnd{Told: true}, EndTellsNothing},
		{"warning lifted: withdrawn", lifted(warning), SanctionEnd{ByLift: true, Told: true}, EndTellsWithdrawn},
		{"lifted warning's original lapse", lifted(warning), SanctionEnd{Told: true}, EndTellsNothing},
		{"warning lifted before its notice went", lifted(warning), SanctionEnd{ByLift: true}, EndTellsNothing},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := NoticeAtEnd(tt.s, tt.e); got != tt.want {
				t.Errorf("NoticeAtEnd = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestWarnedBefore(t *testing.T) {
	t0 := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	s := Sanction{ID: "s", Kind: SanctionSuspension, CreatedAt: t0}
	warning := func(id string, at time.Time, liftedBy string) Sanction {
		return Sanction{ID: id, Kind: SanctionWarning, CreatedAt: at, LiftedBy: liftedBy}
	}
	tests := []struct {
		name   string
		others []Sanction
		want   bool
	}{
		{"no other sanction", nil, false},
		{"a warning before", []Sanction{warning("w", t0.Add(-time.Hour), "")}, true},
		{"a warning before, lapsed long ago", []Sanction{warning("w", t0.Add(-400*24*time.Hour), "")}, true},
		{"a warning withdrawn", []Sanction{warning("w", t0.Add(-time.Hour), "agent:bob")}, false},
		{"a warning after", []Sanction{warning("w", t0.Add(time.Hour), "")}, false},
		{"only an earlier suspension", []Sanction{{ID: "s0", Kind: SanctionSuspension, CreatedAt: t0.Add(-time.Hour)}}, false},
		{"itself only", []Sanction{s}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := WarnedBefore(s, tt.others); got != tt.want {
				t.Errorf("WarnedBefore = %v, want %v", got, tt.want)
			}
		})
	}
}

// TestSanctionNoteFollowsTheTextRule: a note is counted in visible
// characters and held to the text rule, as every text a person writes.
func TestSanctionNoteFollowsTheTextRule(t *testing.T) {
	tests := []struct {
		name string
		note string
		ok   bool
	}{
		{"plain", "Reported 9 reviews in a week; 8 were reinstated.", true},
		{"long in bytes, short in characters", strings.Repeat("é", SanctionNoteMax), true},
		{"too long in characters", strings.Repeat("a", SanctionNoteMax+1), false},
		{"a bidirectional override", "Reported 9 reviews\u202e in a week.", false},
		{"a zero-width space", "Reported 9\u200b reviews in a week.", false},
		{"a control character", "Reported 9 reviews\x07 in a week.", false},
		{"no letter or digit", strings.Repeat("!", SanctionNoteMin+5), false},
		{"short once white space counts once", "a" + strings.Repeat(" ", 40) + "b", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := ValidateSanctionNote(CleanText(tt.note)); (err == nil) != tt.ok {
				t.Errorf("ValidateSanctionNote = %v, want ok %v", err, tt.ok)
			}
		})
	}
}
