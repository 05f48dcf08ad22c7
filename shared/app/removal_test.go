package app

import (
	"slices"
	"testing"

	"github.com/candorhq/candor/shared/moderation"
)

// TestRemovalOfIsTheStatementOfReasons: the appeal page repeats what the
// removal email said — the reasons upheld (all reported ones for a removal
// recorded before reasons were upheld), the decision's facts, and none for
// a removal for want of proof.
func TestRemovalOfIsTheStatementOfReasons(t *testing.T) {
	items := []moderation.ReportItem{{Reason: moderation.ReasonSpam}, {Reason: moderation.ReasonPromotional}}
	facts := moderation.Decision{Note: "The review repeats a discount code."}
	cases := []struct {
		name    string
		report  moderation.Report
		reasons []moderation.Reason
		facts   string
		noProof bool
	}{
		{"upheld reasons", moderation.Report{Items: items, Ground: moderation.GroundGuidelineViolation, UpheldReasons: []moderation.Reason{moderation.ReasonSpam}},
			[]moderation.Reason{moderation.ReasonSpam}, facts.Note, false},
		{"recorded before reasons were upheld", moderation.Report{Items: items, Ground: moderation.GroundGuidelineViolation},
			[]moderation.Reason{moderation.ReasonSpam, moderation.ReasonPromotional}, facts.Note, false},
		{"for want of proof", moderation.Report{Items: []moderation.ReportItem{{Reason: moderation.ReasonNoGenuineExperience}}, Ground: moderation.GroundNoProofProvided},
			[]moderation.Reason{moderation.ReasonNoGenuineExperience}, "", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := removalOf(tc.report, facts)
			if !slices.Equal(got.Reasons, tc.reasons) || got.Facts != tc.facts || got.NoProof != tc.noProof {
				t.Errorf("removal = %+v, want reasons %v, facts %q, no proof %v", got, tc.reasons, tc.facts, tc.noProof)
			}
		})
	}
}
