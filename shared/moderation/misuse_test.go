package moderation

import (
	"testing"
	"time"
)

func TestMisuseRuleProposesOnlyPastBothThresholdsInItsWindow(t *testing.T) {
	now := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	month := func(key string, reinstated, removed int) MonthCounts {
		return MonthCounts{Month: key, ByOutcome: map[Outcome]int{OutcomeReinstated: reinstated, OutcomeRemoved: removed}}
	}
	rule := DefaultPolicy.Misuse
	short := MisuseRule{MinReports: 10, UnfoundedShare: 0.7, WindowMonths: 3}
	cases := []struct {
		name            string
		rule            MisuseRule
		months          []MonthCounts
		want            bool
		decided, reinst int
	}{
		{"too few decided", rule, []MonthCounts{month("2026-11", 9, 0)}, false, 0, 0},
		{"enough, mostly founded", rule, []MonthCounts{month("2026-11", 3, 7)}, false, 0, 0},
		{"just at the share", rule, []MonthCounts{month("2026-11", 7, 3)}, true, 10, 7},
		{"just under the share", rule, []MonthCounts{month("2026-11", 6, 4)}, false, 0, 0},
		{"spread over the year", rule, []MonthCounts{month("2025-12", 9, 1), month("2026-06", 9, 1)}, true, 20, 18},
		{"a month before the window", rule, []MonthCounts{month("2025-11", 9, 1), month("2026-11", 1, 0)}, false, 0, 0},
		{"a shorter window drops older months", short, []MonthCounts{month("2026-08", 9, 1), month("2026-09", 5, 0)}, false, 0, 0},
		{"a shorter window counts its months", short, []MonthCounts{month("2026-09", 9, 1), month("2026-11", 5, 0)}, true, 15, 14},
		{"an unusable rule never proposes", MisuseRule{}, []MonthCounts{month("2026-11", 50, 0)}, false, 0, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := c.rule.Evaluate(c.months, now)
			if (got != nil) != c.want {
				t.Fatalf("proposal = %+v, want %v", got, c.want)
			}
			if got != nil && (got.Decided != c.decided || got.Reinstated != c.reinst || got.To != "2026-11") {
				t.Errorf("figures = %+v, want %d decided, %d reinstated, up to 2026-11", got, c.decided, c.reinst)
			}
		})
	}
}
