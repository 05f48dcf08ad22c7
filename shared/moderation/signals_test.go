package moderation_test

import (
	"testing"
	"time"

	"github.com/candorhq/candor/shared/moderation"
)

func TestJudgeSignalsThresholds(t *testing.T) {
	now := time.Date(2026, 12, 2, 12, 0, 0, 0, time.UTC)
	reviews := map[int]int{1: 5, 2: 5, 4: 5, 5: 5} // half negative
	tests := []struct {
		name                        string
		month                       moderation.MonthCounts
		unfounded, negative, repeat bool
		perWeek, volume, anyFlagged bool
	}{
		{name: "four unfounded of four is below the minimum sample",
			month: moderation.MonthCounts{Month: "2026-12", Total: 4, ByStars: map[int]int{4: 4}, ByOutcome: map[moderation.Outcome]int{moderation.OutcomeReinstated: 4}}},
		{name: "five unfounded of five is a flag",
			month:     moderation.MonthCounts{Month: "2026-12", Total: 5, ByStars: map[int]int{4: 5}, ByOutcome: map[moderation.Outcome]int{moderation.OutcomeReinstated: 5}},
			unfounded: true, anyFlagged: true},
		{name: "only 1-2 star reports against half negative reviews",
			month:    moderation.MonthCounts{Month: "2026-12", Total: 6, ByStars: map[int]int{1: 3, 2: 3}},
			negative: true, anyFlagged: true},
		{name: "reports across ratings like the reviews are no flag",
			month: moderation.MonthCounts{Month: "2026-12", Total: 8, ByStars: map[int]int{1: 2, 2: 2, 4: 2, 5: 2}}},
		{name: "three repeats and a burst week",
			month:  moderation.MonthCounts{Month: "2026-11", Total: 25, ByStars: map[int]int{5: 25}, Repeat: 3, ByWeek: map[string]int{"2026-W47": 25}},
			repeat: true, perWeek: true, anyFlagged: true},
		{name: "a month outside the window does not count",
			month: moderation.MonthCounts{Month: "2025-12", Total: 500, ByStars: map[int]int{1: 500}, Repeat: 9}},
		{name: "a hundred reports in the window",
			month:  moderation.MonthCounts{Month: "2026-01", Total: 100, ByStars: map[int]int{1: 25, 2: 25, 4: 25, 5: 25}},
			volume: true, anyFlagged: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := moderation.JudgeSignals("biz-1", now, []moderation.MonthCounts{tt.month}, reviews)
			got := []bool{s.UnfoundedShare.Flagged, s.NegativeOnly.Flagged, s.RepeatReports.Flagged, s.PerWeek.Flagged, s.ReportVolume.Flagged, s.Flagged}
			want := []bool{tt.unfounded, tt.negative, tt.repeat, tt.perWeek, tt.volume, tt.anyFlagged}
			for i := range got {
				if got[i] != want[i] {
					t.Errorf("flags (unfounded, negative, repeat, perWeek, volume, any) = %v, want %v", got, want)
					break
				}
			}
		})
	}
	if s := moderation.JudgeSignals("biz-1", now, nil, nil); s.From != "2026-01" || s.To != "2026-12" || len(s.Weeks) != moderation.RecentWeeks || s.Weeks[7].Week != "2026-W49" {
		t.Errorf("window = %s..%s, weeks %v", s.From, s.To, s.Weeks)
	}
}
