package moderation

import (
	"testing"
	"time"
)

func TestDocumentsExpireAt(t *testing.T) {
	closed := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	deadline := closed.Add(180 * 24 * time.Hour)
	appealDecided := closed.Add(40 * 24 * time.Hour)
	month := 30 * 24 * time.Hour
	p := Policy{DocumentRetention: month}
	tests := []struct {
		name          string
		r             Report
		appealDecided time.Time
		want          time.Time // zero: not known yet
	}{
		{"report in the queue", Report{Status: ReportInQueue}, time.Time{}, time.Time{}},
		{"closed, the party not yet told", Report{Status: ReportClosed, Outcome: OutcomeRemoved, ClosedAt: closed}, time.Time{}, time.Time{}},
		{"closed, window running: after its end", Report{Status: ReportClosed, Outcome: OutcomeRemoved, ClosedAt: closed, AppealDeadline: deadline},
			time.Time{}, deadline.Add(month)},
		{"reinstated, window running: after its end", Report{Status: ReportClosed, Outcome: OutcomeReinstated, ClosedAt: closed, AppealDeadline: deadline},
			time.Time{}, deadline.Add(month)},
		{"appeal open: not yet", Report{Status: ReportClosed, Outcome: OutcomeRemoved, ClosedAt: closed, AppealDeadline: deadline, AppealStatus: AppealOpen},
			time.Time{}, time.Time{}},
		{"appeal in progress: not yet", Report{Status: ReportClosed, Outcome: OutcomeRemoved, ClosedAt: closed, AppealDeadline: deadline, AppealStatus: AppealInProgress},
			time.Time{}, time.Time{}},
		{"appeal decided: after its decision, not the window's end", Report{Status: ReportClosed, Outcome: OutcomeRemoved, ClosedAt: closed,
			AppealDeadline: deadline, AppealStatus: AppealDecided}, appealDecided, appealDecided.Add(month)},
		{"appeal decided, time unknown", Report{Status: ReportClosed, Outcome: OutcomeRemoved, AppealDeadline: deadline, AppealStatus: AppealDecided},
			time.Time{}, time.Time{}},
		{"closed with no outcome to appeal: after closing", Report{Status: ReportClosed, ClosedAt: closed}, time.Time{}, closed.Add(month)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := p.DocumentsExpireAt(tc.r, tc.appealDecided)
			if ok != !tc.want.IsZero() || !got.Equal(tc.want) {
				t.Errorf("DocumentsExpireAt = %v, %v; want %v, %v", got, ok, tc.want, !tc.want.IsZero())
			}
		})
	}
	// The default retention is 30 days.
	r := Report{Status: ReportClosed, Outcome: OutcomeRemoved, ClosedAt: closed, AppealDeadline: deadline}
	if got, _ := (Policy{}).DocumentsExpireAt(r, time.Time{}); !got.Equal(deadline.Add(30 * 24 * time.Hour)) {
		t.Errorf("with the default policy: %v, want 30 days after the window's end", got)
	}
}
