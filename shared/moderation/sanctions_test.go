package moderation

import (
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
