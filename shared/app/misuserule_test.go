package app

import (
	"testing"

	"github.com/candorhq/candor/shared/moderation"
)

func TestMisuseRuleProposesOnlyPastBothThresholds(t *testing.T) {
	stats := func(reinstated, removed int) ReportStats {
		return ReportStats{ByOutcome: map[moderation.Outcome]int{moderation.OutcomeReinstated: reinstated, moderation.OutcomeRemoved: removed}}
	}
	cases := []struct {
		name              string
		reinstated, other int
		want              bool
	}{
		{"too few reports", 9, 0, false},
		{"enough, mostly founded", 3, 7, false},
		{"just at the share", 7, 3, true},
		{"just under the share", 6, 4, false},
		{"many, mostly unfounded", 18, 2, true},
	}
	for _, c := range cases {
		got := DefaultMisuseRule.Evaluate(stats(c.reinstated, c.other))
		if (got != nil) != c.want {
			t.Errorf("%s: proposal = %+v, want %v", c.name, got, c.want)
		}
		if got != nil && (got.Closed != c.reinstated+c.other || got.Reinstated != c.reinstated) {
			t.Errorf("%s: figures = %+v", c.name, got)
		}
	}
}
