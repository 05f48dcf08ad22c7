package app_test

import (
	"encoding/json"
	"testing"

	"github.com/candorhq/candor/shared/app"
	"github.com/candorhq/candor/shared/moderation"
)

// TestSubmitReportHidesTheReviewAndStartsTheInvestigation: the business sees
// its report in the queue and its review hidden at once; the investigation
// starts, named after the report, with the policy's windows in seconds.
func TestSubmitReportHidesTheReviewAndStartsTheInvestigation(t *testing.T) {
	f := newFixture(t, moderation.Policy{})
	f.seed("rev-1", moderation.SourceOrganic)
	r := f.report("rev-1", harmful)
	if r.Status != moderation.ReportInQueue || !r.HidesReview {
		t.Errorf("report is %s, hides the review %v; want in_queue, hiding it", r.Status, r.HidesReview)
	}
	if v := f.visibility("rev-1"); v != moderation.UnderInvestigation {
		t.Errorf("review is %s, want under_investigation", v)
	}
	if tk := f.ticket(r.TicketID); tk.Status != moderation.TicketOpen {
		t.Errorf("ticket is %s, want open", tk.Status)
	}
	ws, ok := f.starts.last(app.MachineInvestigation)
	if !ok || ws.Name != r.ID {
		t.Fatalf("investigation start %+v, want one named %s", ws, r.ID)
	}
	var in struct {
		NeedsProof bool `json:"needsProof"`
		Windows    struct{ Proof, Action, Decision, Appeal int64 }
	}
	if err := json.Unmarshal([]byte(ws.Input), &in); err != nil {
		t.Fatal(err)
	}
	p := moderation.DefaultPolicy
	if in.NeedsProof || in.Windows.Proof != int64(p.ProofWindow.Seconds()) || in.Windows.Action != int64(p.ReviewerActionWindow.Seconds()) ||
		in.Windows.Decision != int64(p.DecisionReminder.Seconds()) || in.Windows.Appeal != int64(p.AppealWindow.Seconds()) {
		t.Errorf("execution input %s does not carry the default policy's windows", ws.Input)
	}
}

// TestHarmfulOnlyLeavesOtherReviewsPublished: under HidePolicy=harmful_only
// a spam report leaves the review online (P4).
func TestHarmfulOnlyLeavesOtherReviewsPublished(t *testing.T) {
	f := newFixture(t, moderation.Policy{HideHarmfulOnly: true})
	f.seed("rev-1", moderation.SourceOrganic)
	if r := f.report("rev-1", spam); r.HidesReview {
		t.Error("a spam report hid the review under harmful_only")
	}
	if v := f.visibility("rev-1"); v != moderation.Published {
		t.Errorf("review is %s, want published", v)
	}
}

// TestSubmitReportRefusals: what a business is told when a report cannot be
// filed, and that nothing is filed then.
func TestSubmitReportRefusals(t *testing.T) {
	ngx := moderation.ReportDraft{PublicStatement: "We never had this customer.", Items: []moderation.ReportItem{{
		Scope: moderation.ScopeReviewer, Reason: moderation.ReasonNoGenuineExperience, Details: "No order under this name or address."}}}
	tests := []struct {
		name   string
		policy moderation.Policy
		before func(f *fixture) // what happened before
		actor  app.Actor
		draft  moderation.ReportDraft
		code   string
	}{
		{"another business's review", moderation.Policy{}, nil, other, harmful, moderation.CodeNotFound},
		{"details too short", moderation.Policy{}, nil, biz, moderation.ReportDraft{PublicStatement: "We never had this customer.",
			Items: []moderation.ReportItem{{Scope: moderation.ScopeReview, Reason: moderation.ReasonSpam, Details: "spam"}}}, moderation.CodeValidationFailed},
		{"a report is open", moderation.Policy{}, func(f *fixture) { f.report("rev-1", spam) }, biz, harmful, moderation.CodeReportOpen},
		{"no_genuine_experience without Find Reviewer", moderation.Policy{}, nil, biz, ngx, moderation.CodeFindReviewerRequired},
		{"over the hourly limit", moderation.Policy{ReportsPerHour: 1}, func(f *fixture) {
			f.seed("rev-2", moderation.SourceOrganic)
			f.report("rev-2", spam)
		}, biz, harmful, moderation.CodeRateLimited},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, tt.policy)
			f.seed("rev-1", moderation.SourceOrganic)
			if tt.before != nil {
				tt.before(f)
			}
			before := f.visibility("rev-1")
			_, _, err := f.app.SubmitReport(f.ctx, tt.actor, "rev-1", tt.draft, nil)
			wantCode(t, err, tt.code)
			if v := f.visibility("rev-1"); v != before {
				t.Errorf("a refused report changed the review from %s to %s", before, v)
			}
		})
	}
}

// TestReportsPerHourComesBackNextHour: the limit counts per clock hour.
func TestReportsPerHourComesBackNextHour(t *testing.T) {
	f := newFixture(t, moderation.Policy{ReportsPerHour: 1})
	f.seed("rev-1", moderation.SourceOrganic)
	f.seed("rev-2", moderation.SourceOrganic)
	f.report("rev-1", spam)
	_, _, err := f.app.SubmitReport(f.ctx, biz, "rev-2", spam, nil)
	wantCode(t, err, moderation.CodeRateLimited)
	f.clock.Advance(moderation.RateWindowLength)
	f.report("rev-2", spam)
}
