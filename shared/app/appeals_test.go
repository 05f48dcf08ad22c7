package app_test

import (
	"testing"

	"github.com/candorhq/candor/shared/app"
	"github.com/candorhq/candor/shared/links"
	"github.com/candorhq/candor/shared/moderation"
)

const appealReason = "The reviewer never bought anything from us, we checked."

// reinstated is a report ada reinstated; the business was told (its appeal
// window opened). The investigation has ended: an appeal starts its own workflow.
func (f *fixture) reinstated() moderation.Report {
	f.t.Helper()
	f.seed("rev-1", moderation.SourceOrganic)
	r := f.report("rev-1", spam)
	f.claimed(r, ada)
	if err := f.decide(r, ada, moderation.Decision{Outcome: moderation.DecideReinstate, Note: note}); err != nil {
		f.t.Fatal(err)
	}
	f.told(r.ID)
	return r
}

// TestBusinessAppealReversedRemovesTheReview: the business appeals the
// reinstatement; the agent who reinstated may not take the appeal; another
// reverses it: the review is removed and the report's outcome is removed.
func TestBusinessAppealReversedRemovesTheReview(t *testing.T) {
	f := newFixture(t, moderation.Policy{})
	r := f.reinstated()
	ap, err := f.app.FileBusinessAppeal(f.ctx, biz, r.ID, appealReason, nil)
	if err != nil {
		t.Fatal(err)
	}
	if ap.Status != moderation.AppealOpen || ap.Appellant != moderation.PartyBusiness {
		t.Errorf("appeal is %s by %s, want open by the business", ap.Status, ap.Appellant)
	}
	if ws, ok := f.starts.last(app.MachineAppeal); !ok || ws.Name != ap.ID {
		t.Errorf("the appeal's workflow start is %+v (%v), want one named %s", ws, ok, ap.ID)
	}
	_, err = f.app.FileBusinessAppeal(f.ctx, biz, r.ID, appealReason, nil)
	wantCode(t, err, moderation.CodeAppealExists)

	_, err = f.app.ClaimAppeal(f.ctx, ada, ap.ID, nil)
	wantCode(t, err, moderation.CodeAppealConflict)
	if _, err := f.app.ClaimAppeal(f.ctx, bob, ap.ID, nil); err != nil {
		t.Fatal(err)
	}
	if err := f.store.SetAppealQueueToken(f.ctx, ap.ID, "tok-"+ap.ID, ap.ID); err != nil {
		t.Fatal(err)
	}
	_, err = f.app.DecideAppeal(f.ctx, bob, ap.ID, moderation.AppealDecision{Outcome: moderation.AppealReverse, Note: note}, nil)
	wantCode(t, err, moderation.CodeValidationFailed) // a removal names the reasons it upholds
	decided, err := f.app.DecideAppeal(f.ctx, bob, ap.ID, moderation.AppealDecision{Outcome: moderation.AppealReverse, Note: note,
		UpheldReasons: []moderation.Reason{moderation.ReasonSpam}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if decided.Status != moderation.AppealDecided || decided.Result() != moderation.OutcomeRemoved {
		t.Errorf("appeal is %s with result %s, want decided, removed", decided.Status, decided.Result())
	}
	if v := f.visibility("rev-1"); v != moderation.Removed {
		t.Errorf("review is %s, want removed", v)
	}
	if got := f.getReport(r.ID); got.Outcome != moderation.OutcomeRemoved || got.Ground != moderation.GroundGuidelineViolation {
		t.Errorf("report is %s on %q, want removed on guideline_violation", got.Outcome, got.Ground)
	}
	if w := f.wakes.of("tok-" + ap.ID); len(w) != 1 || w[0] != `{"outcome":"reverse","result":"removed"}` {
		t.Errorf("the appeal's task was woken with %v, want once with the reversal", w)
	}
	st, _, err := f.app.Statements(f.ctx, t0, app.Page{Limit: 10})
	if err != nil || len(st) != 1 || !st[0].OnAppeal || st[0].Automated {
		t.Errorf("statements = %+v, %v; want one removal decided on appeal by a person", st, err)
	}
}

// TestReviewerAppealUpheldKeepsTheRemoval: the reviewer appeals a removal
// through the statement's link; upheld, the review stays removed.
func TestReviewerAppealUpheldKeepsTheRemoval(t *testing.T) {
	f := newFixture(t, moderation.Policy{})
	f.seed("rev-1", moderation.SourceOrganic)
	r := f.report("rev-1", spam)
	f.claimed(r, ada)
	if err := f.decide(r, ada, moderation.Decision{Outcome: moderation.DecideRemove, Note: note,
		UpheldReasons: []moderation.Reason{moderation.ReasonSpam}}); err != nil {
		t.Fatal(err)
	}
	_, err := f.app.FileBusinessAppeal(f.ctx, biz, r.ID, appealReason, nil)
	wantCode(t, err, moderation.CodeAppealNotAllowed) // a removal is the reviewer's to appeal
	f.told(r.ID)
	hash := "appeal-" + r.ID
	if err := f.store.CreateLink(f.ctx, app.Link{Hash: hash, Purpose: links.PurposeAppeal, ObjectID: r.ID,
		Deadline: f.clock.Now().Add(f.app.Policy().AppealWindow), Created: f.clock.Now()}); err != nil {
		t.Fatal(err)
	}
	// The appeal page repeats the statement of reasons: the reasons upheld and the facts.
	view, err := f.app.ViewLink(f.ctx, hash)
	if err != nil || view.State != app.LinkOpen || view.Removal == nil || len(view.Removal.Reasons) != 1 ||
		view.Removal.Reasons[0] != moderation.ReasonSpam || view.Removal.Facts != note || view.Removal.NoProof {
		t.Fatalf("appeal view = %+v (removal %+v), %v; want open, removed for spam on the decision's facts", view, view.Removal, err)
	}
	if err := f.app.SubmitLink(f.ctx, hash, app.LinkSubmission{Text: "I did buy there: order 4711."}); err != nil {
		t.Fatal(err)
	}
	list, _, err := f.app.ListAppeals(f.ctx, moderation.AppealOpen, app.Page{Limit: 10})
	if err != nil || len(list) != 1 || list[0].Appellant != moderation.PartyReviewer {
		t.Fatalf("open appeals = %+v, %v; want the reviewer's", list, err)
	}
	ap := list[0]
	if _, err := f.app.ClaimAppeal(f.ctx, bob, ap.ID, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := f.app.DecideAppeal(f.ctx, bob, ap.ID, moderation.AppealDecision{Outcome: moderation.AppealUphold, Note: note}, nil); err != nil {
		t.Fatal(err)
	}
	if v := f.visibility("rev-1"); v != moderation.Removed {
		t.Errorf("review is %s, want still removed", v)
	}
	if got := f.getReport(r.ID); got.Outcome != moderation.OutcomeRemoved || got.AppealOutcome != moderation.AppealUphold {
		t.Errorf("report is %s, appeal %q; want removed, upheld", got.Outcome, got.AppealOutcome)
	}
}

// TestAppealWindow: no appeal before the party is told, none at or after
// the window's end, and a late one changes nothing.
func TestAppealWindow(t *testing.T) {
	f := newFixture(t, moderation.Policy{})
	f.seed("rev-1", moderation.SourceOrganic)
	r := f.report("rev-1", spam)
	f.claimed(r, ada)
	if err := f.decide(r, ada, moderation.Decision{Outcome: moderation.DecideReinstate, Note: note}); err != nil {
		t.Fatal(err)
	}
	_, err := f.app.FileBusinessAppeal(f.ctx, biz, r.ID, appealReason, nil)
	wantCode(t, err, moderation.CodeAppealNotYetOpen)
	by := f.told(r.ID)
	f.clock.Set(by)
	_, err = f.app.FileBusinessAppeal(f.ctx, biz, r.ID, appealReason, nil)
	wantCode(t, err, moderation.CodeAppealWindowClosed)
	if got := f.getReport(r.ID); got.AppealStatus != "" {
		t.Errorf("a late appeal left the report %s", got.AppealStatus)
	}
	_, err = f.app.FileBusinessAppeal(f.ctx, other, r.ID, appealReason, nil)
	wantCode(t, err, moderation.CodeNotFound)
}
