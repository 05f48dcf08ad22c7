package app_test

import (
	"testing"

	"github.com/candorhq/candor/shared/app"
	"github.com/candorhq/candor/shared/moderation"
)

// TestQueueAndCase: compliance's queue lists open tickets oldest first, and
// a ticket's case holds the report, the review's versions and the Find
// Reviewer requests on it.
func TestQueueAndCase(t *testing.T) {
	f := newFixture(t, moderation.Policy{})
	f.seed("rev-1", moderation.SourceOrganic)
	f.seed("rev-2", moderation.SourceOrganic)
	fr, _, err := f.app.CreateRequest(f.ctx, biz, "rev-1", askMessage, nil)
	if err != nil {
		t.Fatal(err)
	}
	first := f.report("rev-1", harmful)
	f.clock.Advance(1)
	second := f.report("rev-2", spam)
	open, _, err := f.app.ListTickets(f.ctx, moderation.TicketOpen, "", app.Page{Limit: 10})
	if err != nil || len(open) != 2 || open[0].ID != first.TicketID || open[1].ID != second.TicketID {
		t.Fatalf("open tickets = %+v, %v; want the two, oldest first", open, err)
	}
	_, _, err = f.app.ListTickets(f.ctx, "lost", "", app.Page{Limit: 10})
	wantCode(t, err, moderation.CodeValidationFailed)

	c, err := f.app.Ticket(f.ctx, first.TicketID)
	if err != nil {
		t.Fatal(err)
	}
	if c.Report.Report.ID != first.ID || len(c.Versions) != 1 || len(c.Requests) != 1 || c.Requests[0].Request.ID != fr.ID {
		t.Errorf("case = report %s, %d versions, %d requests; want the report, one version and the request", c.Report.Report.ID, len(c.Versions), len(c.Requests))
	}
	_, err = f.app.Ticket(f.ctx, "tkt_nonexistent")
	wantCode(t, err, moderation.CodeNotFound)

	reports, _, err := f.app.ListReports(f.ctx, biz, moderation.ReportInQueue, app.Page{Limit: 10})
	if err != nil || len(reports) != 2 {
		t.Errorf("the business's reports in the queue = %d, %v; want 2", len(reports), err)
	}
	if mine, _, err := f.app.ListReports(f.ctx, other, "", app.Page{Limit: 10}); err != nil || len(mine) != 0 {
		t.Errorf("another business lists %d reports, %v; want none", len(mine), err)
	}
	if revs, _, err := f.app.ListReviews(f.ctx, biz, app.Page{Limit: 10}); err != nil || len(revs) != 2 {
		t.Errorf("the business's reviews = %d, %v; want 2", len(revs), err)
	}
	if reqs, _, err := f.app.ListRequests(f.ctx, biz, app.Page{Limit: 10}); err != nil || len(reqs) != 1 {
		t.Errorf("the business's requests = %d, %v; want 1", len(reqs), err)
	}
	sum, err := f.app.ReportSummary(f.ctx, biz)
	if err != nil || sum.Total != 2 || sum.ByStatus[moderation.ReportInQueue] != 2 {
		t.Errorf("summary = %+v, %v; want two reports in the queue", sum, err)
	}
}

// TestPublicViewWhileInvestigated: the public sees the business's name in
// place of a hidden review, and the review again once reinstated.
func TestPublicViewWhileInvestigated(t *testing.T) {
	f := newFixture(t, moderation.Policy{})
	f.seed("rev-1", moderation.SourceOrganic)
	if pr, err := f.app.Public(f.ctx, "rev-1"); err != nil || pr.Review.Visibility != moderation.Published || pr.BusinessName != "" {
		t.Fatalf("public view = %+v, %v; want the published review without a statement", pr, err)
	}
	r := f.report("rev-1", harmful)
	if pr, err := f.app.Public(f.ctx, "rev-1"); err != nil || pr.Review.Visibility != moderation.UnderInvestigation || pr.BusinessName != "Shop biz-1" {
		t.Errorf("public view = %+v, %v; want it under investigation with the business's name", pr, err)
	}
	f.claimed(r, ada)
	if err := f.decide(r, ada, moderation.Decision{Outcome: moderation.DecideReinstate, Note: note}); err != nil {
		t.Fatal(err)
	}
	if pr, err := f.app.Public(f.ctx, "rev-1"); err != nil || pr.Review.Visibility != moderation.Published || pr.BusinessName != "" {
		t.Errorf("public view = %+v, %v; want the review published again", pr, err)
	}
	_, err := f.app.Public(f.ctx, "no such review!")
	wantCode(t, err, moderation.CodeNotFound)
}

// TestRepeatedDecisionWakesTheInvestigationAgain: a decision repeated after
// its answer was lost is refused, but the waiting investigation is answered
// again with the recorded decision, not left until the decision reminder.
func TestRepeatedDecisionWakesTheInvestigationAgain(t *testing.T) {
	f := newFixture(t, moderation.Policy{})
	f.seed("rev-1", moderation.SourceOrganic)
	r := f.report("rev-1", spam)
	f.claimed(r, ada)
	d := moderation.Decision{Outcome: moderation.DecideReinstate, Note: note}
	if err := f.decide(r, ada, d); err != nil {
		t.Fatal(err)
	}
	wantCode(t, f.decide(r, ada, d), moderation.CodeTicketNotInProgress)
	want := `{"outcome":"reinstate","round":0}`
	if w := f.wakes.of("tok-" + r.TicketID); len(w) != 2 || w[0] != want || w[1] != want {
		t.Errorf("the investigation was woken with %v, want twice with the reinstatement", w)
	}
}

// TestMisuseRuleProposesAWarning: with the deployment's misuse rule, a
// business whose decided reports are mostly reinstated gets a proposed
// warning, which a warning in force withdraws.
func TestMisuseRuleProposesAWarning(t *testing.T) {
	f := newFixture(t, moderation.Policy{Misuse: moderation.MisuseRule{MinReports: 2, UnfoundedShare: 0.5, WindowMonths: 1}})
	for _, id := range []string{"rev-1", "rev-2"} {
		f.seed(id, moderation.SourceOrganic)
		r := f.report(id, spam)
		f.claimed(r, ada)
		if err := f.decide(r, ada, moderation.Decision{Outcome: moderation.DecideReinstate, Note: note}); err != nil {
			t.Fatal(err)
		}
	}
	br, err := f.app.BusinessReporting(f.ctx, "biz-1")
	if err != nil || br.Proposal == nil || br.Proposal.Decided != 2 || br.Proposal.Reinstated != 2 {
		t.Fatalf("reporting = %+v, %v; want a proposal resting on 2 of 2 reinstated", br.Proposal, err)
	}
	if br.Signals.Reinstated != 2 {
		t.Errorf("signals count %d reinstated, want 2", br.Signals.Reinstated)
	}
	if sig, err := f.app.KnownReportingSignals(f.ctx, "biz-1"); err != nil || sig.Reports != 2 {
		t.Errorf("signals = %d reports, %v; want 2", sig.Reports, err)
	}
	_, err = f.app.KnownReportingSignals(f.ctx, "biz-nobody")
	wantCode(t, err, moderation.CodeNotFound)
	w, err := f.app.Warn(f.ctx, ada, "biz-1", sanctionNote, nil)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := f.app.Sanctions(f.ctx, "biz-1")
	if err != nil || len(recs) != 1 || recs[0].Sanction.ID != w.ID {
		t.Fatalf("sanctions = %+v, %v; want the warning", recs, err)
	}
	if p, err := f.app.WarningProposal(f.ctx, "biz-1", []moderation.Sanction{recs[0].Sanction}); err != nil || p != nil {
		t.Errorf("proposal while warned = %+v, %v; want none", p, err)
	}
	if one, err := f.app.Sanction(f.ctx, "biz-1", w.ID); err != nil || one.Sanction.Kind != moderation.SanctionWarning || len(one.Trail) == 0 {
		t.Errorf("the warning = %+v, %v; want it with its trail", one, err)
	}
}

// TestAppealCaseNamesTheFirstDecision: an appeal's case shows the agent
// and note of the decision appealed.
func TestAppealCaseNamesTheFirstDecision(t *testing.T) {
	f := newFixture(t, moderation.Policy{})
	r := f.reinstated()
	ap, err := f.app.FileBusinessAppeal(f.ctx, biz, r.ID, appealReason, nil)
	if err != nil {
		t.Fatal(err)
	}
	c, err := f.app.Appeal(f.ctx, ap.ID)
	if err != nil || c.FirstDecision.Agent != "ada" || c.FirstDecision.Note != note || c.Appeal.Reason != appealReason {
		t.Errorf("appeal case = %+v, %v; want ada's decision and the reason", c, err)
	}
	_, err = f.app.Appeal(f.ctx, "apl_nonexistent")
	wantCode(t, err, moderation.CodeNotFound)
}
