package moderation

import (
	"reflect"
	"testing"
	"time"
)

func TestReportWindows(t *testing.T) {
	now := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	later, earlier := now.Add(48*time.Hour), now.Add(-time.Hour)
	p := DefaultPolicy
	tests := []struct {
		name     string
		r        Report
		deadline time.Time
		want     []Window
	}{
		{"awaiting proof", Report{Status: ReportAwaitingProof}, later, []Window{{WindowProof, p.ProofWindow, later, true}}},
		{"awaiting the reviewer", Report{Status: ReportAwaitingReviewer}, later, []Window{{WindowReviewerAction, p.ReviewerActionWindow, later, true}}},
		{"the reviewer's window just ended", Report{Status: ReportAwaitingReviewer}, now, []Window{{WindowReviewerAction, p.ReviewerActionWindow, now, false}}},
		{"in the queue", Report{Status: ReportInQueue}, time.Time{}, nil},
		{"submitted", Report{Status: ReportSubmitted}, time.Time{}, nil},
		{"closed, appeal open", Report{Status: ReportClosed, AppealDeadline: later}, time.Time{}, []Window{{WindowAppeal, p.AppealWindow, later, true}}},
		{"closed, appeal window over", Report{Status: ReportClosed, AppealDeadline: earlier}, time.Time{}, []Window{{WindowAppeal, p.AppealWindow, earlier, false}}},
		{"closed and appealed", Report{Status: ReportClosed, AppealDeadline: later, AppealStatus: AppealOpen}, time.Time{}, nil},
		{"closed, nobody told yet", Report{Status: ReportClosed}, time.Time{}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ReportWindows(tt.r, tt.deadline, p, now); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("ReportWindows = %+v, want %+v", got, tt.want)
			}
		})
	}
}
