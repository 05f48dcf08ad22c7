package moderation

import (
	"testing"
	"time"
)

func TestCanAppeal(t *testing.T) {
	now := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	removed := Report{Status: ReportClosed, Outcome: OutcomeRemoved, AppealDeadline: now.Add(time.Hour)}
	reinstated := Report{Status: ReportClosed, Outcome: OutcomeReinstated, AppealDeadline: now.Add(time.Hour)}
	with := func(r Report, f func(*Report)) Report { f(&r); return r }
	cases := []struct {
		name  string
		r     Report
		party Party
		kind  Kind
		code  string
	}{
		{"reviewer after a removal", removed, PartyReviewer, 0, ""},
		{"business after a reinstatement", reinstated, PartyBusiness, 0, ""},
		{"business after a removal", removed, PartyBusiness, KindConflict, CodeAppealNotAllowed},
		{"reviewer after a reinstatement", reinstated, PartyReviewer, KindConflict, CodeAppealNotAllowed},
		{"open report", Report{Status: ReportInQueue}, PartyBusiness, KindConflict, CodeAppealNotAllowed},
		{"second appeal", with(reinstated, func(r *Report) { r.AppealStatus = AppealOpen }), PartyBusiness, KindConflict, CodeAppealExists},
		{"appeal decided", with(removed, func(r *Report) { r.AppealStatus = AppealDecided }), PartyReviewer, KindConflict, CodeAppealExists},
		{"not told yet", with(reinstated, func(r *Report) { r.AppealDeadline = time.Time{} }), PartyBusiness, KindConflict, CodeAppealNotYetOpen},
		{"at the deadline", with(reinstated, func(r *Report) { r.AppealDeadline = now }), PartyBusiness, KindGone, CodeAppealWindowClosed},
		{"after the deadline", with(removed, func(r *Report) { r.AppealDeadline = now.Add(-time.Second) }), PartyReviewer, KindGone, CodeAppealWindowClosed},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := CanAppeal(tc.r, tc.party, now)
			if got := KindOf(err); got != tc.kind {
				t.Fatalf("kind: got %v (%v), want %v", got, err, tc.kind)
			}
			if e, ok := AsError(err); tc.code != "" && (!ok || e.Code != tc.code) {
				t.Errorf("code: got %v, want %s", err, tc.code)
			}
		})
	}
}

func TestAppealDecisions(t *testing.T) {
	note := "The review describes a real visit."
	reported := []Reason{ReasonSpam, ReasonCompetitor}
	ofRemoval := Appeal{Status: AppealInProgress, Assignee: "bo", Contested: OutcomeRemoved, FirstAgent: "ada"}
	ofReinstatement := Appeal{Status: AppealInProgress, Assignee: "bo", Contested: OutcomeReinstated, FirstAgent: "ada"}
	automated := Appeal{Status: AppealInProgress, Assignee: "ada", Contested: OutcomeRemoved}
	cases := []struct {
		name  string
		a     Appeal
		d     AppealDecision
		code  string
		field string
	}{
		{"uphold a removal", ofRemoval, AppealDecision{Outcome: AppealUphold, Note: note, Agent: "bo"}, "", ""},
		{"reverse a removal", ofRemoval, AppealDecision{Outcome: AppealReverse, Note: note, Agent: "bo"}, "", ""},
		{"reverse a reinstatement", ofReinstatement, AppealDecision{Outcome: AppealReverse, Note: note, Agent: "bo", UpheldReasons: []Reason{ReasonCompetitor}}, "", ""},
		{"reverse a reinstatement without reasons", ofReinstatement, AppealDecision{Outcome: AppealReverse, Note: note, Agent: "bo"}, CodeValidationFailed, "upheldReasons"},
		{"uphold with reasons", ofReinstatement, AppealDecision{Outcome: AppealUphold, Note: note, Agent: "bo", UpheldReasons: []Reason{ReasonSpam}}, CodeValidationFailed, "upheldReasons"},
		{"reasons not reported", ofReinstatement, AppealDecision{Outcome: AppealReverse, Note: note, Agent: "bo", UpheldReasons: []Reason{ReasonPromotional}}, CodeValidationFailed, "upheldReasons"},
		{"unknown outcome", ofRemoval, AppealDecision{Outcome: "reinstate", Note: note, Agent: "bo"}, CodeValidationFailed, "outcome"},
		{"short note", ofRemoval, AppealDecision{Outcome: AppealUphold, Note: "no", Agent: "bo"}, CodeValidationFailed, "note"},
		{"the first decision's agent", Appeal{Status: AppealInProgress, Assignee: "ada", Contested: OutcomeRemoved, FirstAgent: "ada"}, AppealDecision{Outcome: AppealUphold, Note: note, Agent: "ada"}, CodeAppealConflict, ""},
		{"an automated decision has no conflict", automated, AppealDecision{Outcome: AppealUphold, Note: note, Agent: "ada"}, "", ""},
		{"not claimed", Appeal{Status: AppealOpen, Contested: OutcomeRemoved, FirstAgent: "ada"}, AppealDecision{Outcome: AppealUphold, Note: note, Agent: "bo"}, CodeAppealNotInProgress, ""},
		{"held by another", ofRemoval, AppealDecision{Outcome: AppealUphold, Note: note, Agent: "cy"}, CodeAppealNotInProgress, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := ValidateAppealDecision(tc.a, tc.d, reported)
			if tc.code == "" {
				if err != nil {
					t.Fatalf("got %v, want nil", err)
				}
				return
			}
			e, ok := AsError(err)
			if !ok || e.Code != tc.code {
				t.Fatalf("got %v, want code %s", err, tc.code)
			}
			if _, has := e.Fields[tc.field]; tc.field != "" && !has {
				t.Errorf("fields %v lack %q", e.Fields, tc.field)
			}
		})
	}
	if err := CanClaimAppeal(Appeal{Status: AppealOpen, FirstAgent: "ada"}, "ada"); !IsCode(err, CodeAppealConflict) {
		t.Errorf("the first agent claimed: %v", err)
	}
	if err := CanClaimAppeal(Appeal{Status: AppealInProgress, FirstAgent: "ada"}, "bo"); !IsCode(err, CodeAppealNotOpen) {
		t.Errorf("claimed an appeal in progress: %v", err)
	}
	if err := CanClaimAppeal(Appeal{Status: AppealOpen, FirstAgent: "ada"}, "bo"); err != nil {
		t.Errorf("another agent could not claim: %v", err)
	}
	for _, tc := range []struct {
		a    Appeal
		want Outcome
	}{
		{Appeal{Contested: OutcomeRemoved, Decision: AppealDecision{Outcome: AppealReverse}}, OutcomeReinstated},
		{Appeal{Contested: OutcomeReinstated, Decision: AppealDecision{Outcome: AppealReverse}}, OutcomeRemoved},
		{Appeal{Contested: OutcomeRemoved, Decision: AppealDecision{Outcome: AppealUphold}}, OutcomeRemoved},
	} {
		if got := tc.a.Result(); got != tc.want {
			t.Errorf("%+v: result %s, want %s", tc.a, got, tc.want)
		}
	}
	if id := AppealID("rpt_0192f1c2c1b27c3a9d4e5f60718293a4"); id != "apl_0192f1c2c1b27c3a9d4e5f60718293a4" || ReportIDOfAppeal(id) != "rpt_0192f1c2c1b27c3a9d4e5f60718293a4" {
		t.Errorf("appeal id %s does not map back", id)
	}
}

// TestAppealWindowEnded: a decision becomes final at its stored deadline
// when no appeal was filed, and the report's timeline shows it there.
func TestAppealWindowEnded(t *testing.T) {
	deadline := time.Date(2027, 5, 1, 9, 0, 0, 0, time.UTC)
	closed := Report{Status: ReportClosed, Outcome: OutcomeReinstated, AppealDeadline: deadline}
	with := func(f func(*Report)) Report { r := closed; f(&r); return r }
	cases := []struct {
		name  string
		r     Report
		now   time.Time
		ended bool
	}{
		{"before the deadline", closed, deadline.Add(-time.Second), false},
		{"at the deadline", closed, deadline, true},
		{"after the deadline", closed, deadline.Add(24 * time.Hour), true},
		{"appealed in time", with(func(r *Report) { r.AppealStatus = AppealOpen }), deadline.Add(time.Hour), false},
		{"appeal decided", with(func(r *Report) { r.AppealStatus = AppealDecided }), deadline.Add(time.Hour), false},
		{"party not told yet", with(func(r *Report) { r.AppealDeadline = time.Time{} }), deadline.Add(time.Hour), false},
		{"report open", Report{Status: ReportInQueue}, deadline.Add(time.Hour), false},
	}
	decided := AuditEntry{At: deadline.Add(-180 * 24 * time.Hour), Action: "report.closed"}
	later := AuditEntry{At: deadline.Add(time.Hour), Action: "review.updated"}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := AppealWindowEnded(tc.r, tc.now); got != tc.ended {
				t.Errorf("AppealWindowEnded = %v, want %v", got, tc.ended)
			}
			trail := []AuditEntry{decided, later}
			got := WithAppealWindowEnd(tc.r, trail, tc.now)
			if !tc.ended {
				if len(got) != 2 {
					t.Errorf("trail %v, want it unchanged", got)
				}
				return
			}
			if len(got) != 3 || got[1].Action != "report.appeal_window_closed" || !got[1].At.Equal(deadline) || got[1].Actor != "system" {
				t.Errorf("trail %v, want report.appeal_window_closed at the deadline between the decision and the later entry", got)
			}
			if len(trail) != 2 || trail[1] != later {
				t.Errorf("the caller's trail was changed: %v", trail)
			}
		})
	}
}
