package app_test

import (
	"testing"

	"github.com/candorhq/candor/shared/moderation"
)

func TestClaim(t *testing.T) {
	f := newFixture(t, moderation.Policy{})
	f.seed("rev-1", moderation.SourceOrganic)
	r := f.report("rev-1", spam)
	tk, err := f.app.Claim(f.ctx, ada, r.TicketID, nil)
	if err != nil || tk.Status != moderation.TicketInProgress || tk.Assignee != "ada" {
		t.Fatalf("claim = %+v, %v; want in_progress held by ada", tk, err)
	}
	if again, err := f.app.Claim(f.ctx, ada, r.TicketID, nil); err != nil || again.Assignee != "ada" {
		t.Errorf("ada's second claim = %+v, %v; want the ticket again", again, err)
	}
	_, err = f.app.Claim(f.ctx, bob, r.TicketID, nil)
	wantCode(t, err, moderation.CodeTicketNotOpen)
	_, err = f.app.Claim(f.ctx, bob, "tkt_nonexistent", nil)
	wantCode(t, err, moderation.CodeNotFound)
	if got := f.ticket(r.TicketID); got.Assignee != "ada" {
		t.Errorf("after bob's refused claim the ticket is held by %q", got.Assignee)
	}
}

// TestDecideOutcomes: each decision as the business and compliance see it
// afterwards, and the answer the waiting investigation is woken with.
func TestDecideOutcomes(t *testing.T) {
	tests := []struct {
		name       string
		d          moderation.Decision
		report     moderation.ReportStatus
		outcome    moderation.Outcome
		ticket     moderation.TicketStatus
		visibility moderation.Visibility
		woken      string
	}{
		{"reinstate", moderation.Decision{Outcome: moderation.DecideReinstate, Note: note},
			moderation.ReportClosed, moderation.OutcomeReinstated, moderation.TicketDecided, moderation.Published,
			`{"outcome":"reinstate","round":0}`},
		{"remove", moderation.Decision{Outcome: moderation.DecideRemove, Note: note, UpheldReasons: []moderation.Reason{moderation.ReasonSpam}},
			moderation.ReportClosed, moderation.OutcomeRemoved, moderation.TicketDecided, moderation.Removed,
			`{"outcome":"remove","round":0}`},
		{"ask for evidence", moderation.Decision{Outcome: moderation.DecideReviewerAction, Kind: moderation.ActionEvidence, Note: note,
			Message: "Please send the order confirmation you received."},
			moderation.ReportAwaitingReviewer, moderation.OutcomeNone, moderation.TicketWaitingForReviewer, moderation.UnderInvestigation,
			`{"outcome":"request_reviewer_action","kind":"evidence","round":1}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, moderation.Policy{})
			f.seed("rev-1", moderation.SourceOrganic)
			r := f.report("rev-1", spam)
			f.claimed(r, ada)
			if err := f.decide(r, ada, tt.d); err != nil {
				t.Fatalf("decide: %v", err)
			}
			got := f.getReport(r.ID)
			if got.Status != tt.report || got.Outcome != tt.outcome {
				t.Errorf("report is %s (%q), want %s (%q)", got.Status, got.Outcome, tt.report, tt.outcome)
			}
			if tk := f.ticket(r.TicketID); tk.Status != tt.ticket {
				t.Errorf("ticket is %s, want %s", tk.Status, tt.ticket)
			}
			if v := f.visibility("rev-1"); v != tt.visibility {
				t.Errorf("review is %s, want %s", v, tt.visibility)
			}
			if w := f.wakes.of("tok-" + r.TicketID); len(w) != 1 || w[0] != tt.woken {
				t.Errorf("the investigation was woken with %v, want once with %s", w, tt.woken)
			}
		})
	}
}

// TestDecideRefusals: a decision by an agent not holding the ticket, an
// invalid one and one past the round limit change nothing.
func TestDecideRefusals(t *testing.T) {
	f := newFixture(t, moderation.Policy{MaxReviewerRounds: 1})
	f.seed("rev-1", moderation.SourceOrganic)
	r := f.report("rev-1", spam)
	reinstate := moderation.Decision{Outcome: moderation.DecideReinstate, Note: note}
	wantCode(t, f.decide(r, ada, reinstate), moderation.CodeTicketNotInProgress) // not claimed
	f.claimed(r, ada)
	wantCode(t, f.decide(r, bob, reinstate), moderation.CodeTicketNotInProgress) // held by ada
	wantCode(t, f.decide(r, ada, moderation.Decision{Outcome: moderation.DecideRemove, Note: note}), moderation.CodeValidationFailed)

	ask := moderation.Decision{Outcome: moderation.DecideReviewerAction, Kind: moderation.ActionEdit, Note: note,
		Message: "Please remove the word crook from your review."}
	if err := f.decide(r, ada, ask); err != nil {
		t.Fatal(err)
	}
	// the reviewer stays silent: the workflow puts the ticket back
	rep, tk := f.getReport(r.ID), f.ticket(r.TicketID)
	if err := f.store.ReviewerNoResponse(f.ctx, rep, tk, 1, f.clock.Now()); err != nil {
		t.Fatal(err)
	}
	if tk := f.ticket(r.TicketID); tk.Status != moderation.TicketOpen || tk.Marker != moderation.MarkerNoResponse {
		t.Fatalf("ticket is %s marked %q, want open marked no_response", tk.Status, tk.Marker)
	}
	f.claimed(r, ada)
	wantCode(t, f.decide(r, ada, ask), moderation.CodeRoundsExhausted)
	if got := f.getReport(r.ID); got.Status != moderation.ReportInQueue {
		t.Errorf("after the refused round the report is %s, want in_queue", got.Status)
	}
	if v := f.visibility("rev-1"); v != moderation.UnderInvestigation {
		t.Errorf("review is %s, want under_investigation", v)
	}
}
