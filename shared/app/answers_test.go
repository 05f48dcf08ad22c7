package app_test

import (
	"testing"

	"github.com/candorhq/candor/shared/app"
	"github.com/candorhq/candor/shared/links"
	"github.com/candorhq/candor/shared/moderation"
)

// reviewerLink is the link the investigation emails the reviewer for r,
// with the waiting task's token kept on the report.
func (f *fixture) reviewerLink(r moderation.Report, purpose links.Purpose, round int) string {
	f.t.Helper()
	cur := f.getReport(r.ID)
	hash := string(purpose) + "-" + r.ID
	deadline := f.clock.Now().Add(f.app.Policy().ReviewerActionWindow)
	if purpose == links.PurposeProof {
		deadline = f.clock.Now().Add(f.app.Policy().ProofWindow)
	}
	if err := f.store.CreateLink(f.ctx, app.Link{Hash: hash, Purpose: purpose, ObjectID: r.ID, Round: round, Deadline: deadline, Created: f.clock.Now()}); err != nil {
		f.t.Fatalf("create link: %v", err)
	}
	if err := f.store.Step(f.ctx, app.Step{Object: app.ObjectKey{Kind: app.ObjectReport, ID: r.ID}, Status: string(cur.Status), Round: round,
		Token: "tok-" + r.ID, At: f.clock.Now()}); err != nil {
		f.t.Fatalf("report token: %v", err)
	}
	return hash
}

// askedForEvidence is a report whose ticket ada asked the reviewer about.
func (f *fixture) askedForEvidence(kind string) moderation.Report {
	f.t.Helper()
	f.seed("rev-1", moderation.SourceOrganic)
	r := f.report("rev-1", harmful)
	f.claimed(r, ada)
	if err := f.decide(r, ada, moderation.Decision{Outcome: moderation.DecideReviewerAction, Kind: kind, Note: note,
		Message: "Please send the order confirmation you received."}); err != nil {
		f.t.Fatal(err)
	}
	return r
}

// TestEvidenceReturnsTheTicketToTheQueue: the reviewer's answer puts the
// ticket back in the queue marked reviewer_responded and wakes the
// investigation; the link then is used.
func TestEvidenceReturnsTheTicketToTheQueue(t *testing.T) {
	f := newFixture(t, moderation.Policy{})
	r := f.askedForEvidence(moderation.ActionEvidence)
	hash := f.reviewerLink(r, links.PurposeEvidence, 1)
	view, err := f.app.ViewLink(f.ctx, hash)
	if err != nil || view.State != app.LinkOpen || view.Message == "" {
		t.Fatalf("link view = %+v, %v; want open with compliance's message", view, err)
	}
	if err := f.app.SubmitLink(f.ctx, hash, app.LinkSubmission{Text: ""}); !moderation.IsCode(err, moderation.CodeValidationFailed) {
		t.Errorf("an empty answer = %v, want validation_failed", err)
	}
	if err := f.app.SubmitLink(f.ctx, hash, app.LinkSubmission{Text: "Order 4711, delivered 2 October."}); err != nil {
		t.Fatal(err)
	}
	if tk := f.ticket(r.TicketID); tk.Status != moderation.TicketOpen || tk.Marker != moderation.MarkerReviewerResponded {
		t.Errorf("ticket is %s marked %q, want open marked reviewer_responded", tk.Status, tk.Marker)
	}
	if got := f.getReport(r.ID); got.Status != moderation.ReportInQueue {
		t.Errorf("report is %s, want in_queue", got.Status)
	}
	if w := f.wakes.of("tok-" + r.ID); len(w) != 1 || w[0] != `{"answer":"evidence"}` {
		t.Errorf("the investigation was woken with %v, want once with the evidence", w)
	}
	if err := f.app.SubmitLink(f.ctx, hash, app.LinkSubmission{Text: "again"}); err != app.ErrLinkUsed {
		t.Errorf("second answer = %v, want the link used", err)
	}
}

// TestEditMakesANewVersion: an edit through the link is the review's new
// version, which the business sees.
func TestEditMakesANewVersion(t *testing.T) {
	f := newFixture(t, moderation.Policy{})
	r := f.askedForEvidence(moderation.ActionEdit)
	hash := f.reviewerLink(r, links.PurposeEdit, 1)
	if err := f.app.SubmitLink(f.ctx, hash, app.LinkSubmission{Title: "Awful", Body: "They never delivered."}); err != nil {
		t.Fatal(err)
	}
	rc, err := f.app.OwnReview(f.ctx, biz, "rev-1")
	if err != nil || rc.Review.Version != 2 || rc.Review.Text != "They never delivered." {
		t.Errorf("review = version %d %q, %v; want version 2 with the edit", rc.Review.Version, rc.Review.Text, err)
	}
}

// TestAnswerAfterTheWindowIsRefused: once the reviewer-action window has
// passed, the link is expired and the ticket still waits for the workflow.
func TestAnswerAfterTheWindowIsRefused(t *testing.T) {
	f := newFixture(t, moderation.Policy{})
	r := f.askedForEvidence(moderation.ActionEvidence)
	hash := f.reviewerLink(r, links.PurposeEvidence, 1)
	f.clock.Advance(moderation.DefaultPolicy.ReviewerActionWindow)
	if err := f.app.SubmitLink(f.ctx, hash, app.LinkSubmission{Text: "Order 4711"}); err != app.ErrLinkExpired {
		t.Errorf("a late answer = %v, want the link expired", err)
	}
	if tk := f.ticket(r.TicketID); tk.Status != moderation.TicketWaitingForReviewer {
		t.Errorf("ticket is %s, want still waiting_for_reviewer", tk.Status)
	}
}

// TestProofAfterFindReviewer: with a replied Find Reviewer request,
// no_genuine_experience asks the reviewer for proof for the proof window;
// the proof puts the ticket in the queue marked proof_received.
func TestProofAfterFindReviewer(t *testing.T) {
	f := newFixture(t, moderation.Policy{})
	f.seed("rev-1", moderation.SourceOrganic)
	fr, _, err := f.app.CreateRequest(f.ctx, biz, "rev-1", askMessage, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.app.SubmitLink(f.ctx, f.replyLink(fr), app.LinkSubmission{Text: "I bought nothing, I was just angry."}); err != nil {
		t.Fatal(err)
	}
	r := f.report("rev-1", moderation.ReportDraft{PublicStatement: "We never had this customer.", Items: []moderation.ReportItem{{
		Scope: moderation.ScopeReviewer, Reason: moderation.ReasonNoGenuineExperience, Details: "The reviewer says they bought nothing."}}})
	if r.Status != moderation.ReportAwaitingProof {
		t.Fatalf("report is %s, want awaiting_proof", r.Status)
	}
	if tk := f.ticket(r.TicketID); tk.Status != moderation.TicketWaitingForReviewer {
		t.Errorf("ticket is %s, want waiting_for_reviewer", tk.Status)
	}
	hash := f.reviewerLink(r, links.PurposeProof, 0)
	f.clock.Advance(moderation.DefaultPolicy.ProofWindow / 2)
	if err := f.app.SubmitLink(f.ctx, hash, app.LinkSubmission{Text: "Receipt 77 from 1 October."}); err != nil {
		t.Fatal(err)
	}
	if tk := f.ticket(r.TicketID); tk.Status != moderation.TicketOpen || tk.Marker != moderation.MarkerProofReceived {
		t.Errorf("ticket is %s marked %q, want open marked proof_received", tk.Status, tk.Marker)
	}
	if w := f.wakes.of("tok-" + r.ID); len(w) != 1 || w[0] != `{"answer":"proof"}` {
		t.Errorf("the investigation was woken with %v, want once with the proof", w)
	}
}
