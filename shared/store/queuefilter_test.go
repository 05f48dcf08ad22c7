package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/candorhq/candor/shared/app"
	"github.com/candorhq/candor/shared/moderation"
)

// A queue read through a filter holds the tickets of the business, of the
// reason, of both — and a reason matches whole, never as part of another.
func TestQueueTicketsFilterByBusinessAndReason(t *testing.T) {
	s, _ := newStore(t)
	ctx := context.Background()
	r1 := seedReview(t, s, "rev-1", moderation.SourceOrganic)
	a := submission(r1, false)
	r2 := seedReview(t, s, "rev-2", moderation.SourceOrganic)
	b := submission(r2, false)
	b.Report.Items = []moderation.ReportItem{{Scope: moderation.ScopeReview, Reason: moderation.ReasonSpam, Details: "The same text on three other shops."},
		{Scope: moderation.ScopeReview, Reason: moderation.ReasonPromotional, Details: "Advertises another shop."}}
	b.Report.CreatedAt = b.Report.CreatedAt.Add(1)
	b.Ticket.QueuedAt, b.Ticket.CreatedAt = b.Report.CreatedAt, b.Report.CreatedAt
	for _, f := range []app.ReportFiling{a, b} {
		if err := s.SubmitReport(ctx, f); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		name string
		f    app.QueueFilter
		want []string
	}{
		{"no filter", app.QueueFilter{}, []string{a.Ticket.ID, b.Ticket.ID}},
		{"spam", app.QueueFilter{Reason: moderation.ReasonSpam}, []string{b.Ticket.ID}},
		{"offensive", app.QueueFilter{Reason: moderation.ReasonOffensiveOrHarmful}, []string{a.Ticket.ID}},
		{"the business", app.QueueFilter{BusinessID: "biz-1"}, []string{a.Ticket.ID, b.Ticket.ID}},
		{"another business", app.QueueFilter{BusinessID: "biz-2"}, nil},
		{"business and reason", app.QueueFilter{BusinessID: "biz-1", Reason: moderation.ReasonPromotional}, []string{b.Ticket.ID}},
		{"a reason no report named", app.QueueFilter{Reason: moderation.ReasonCompetitor}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, next, err := s.QueueTickets(ctx, moderation.TicketOpen, tc.f, app.Page{Limit: 10})
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, tk := range got {
				ids = append(ids, tk.ID)
			}
			if len(ids) != len(tc.want) || (len(ids) > 0 && (ids[0] != tc.want[0] || ids[len(ids)-1] != tc.want[len(tc.want)-1])) || next != "" {
				t.Errorf("tickets %v (next %q), want %v", ids, next, tc.want)
			}
		})
	}
	// A page of one reads one queue entry: a filter that skips it gives an empty page with a cursor to the rest.
	got, next, err := s.QueueTickets(ctx, moderation.TicketOpen, app.QueueFilter{Reason: moderation.ReasonSpam}, app.Page{Limit: 1})
	if err != nil || len(got) != 0 || next == "" {
		t.Fatalf("first page of one: %v, %q, %v; want none and a cursor", got, next, err)
	}
	got, _, err = s.QueueTickets(ctx, moderation.TicketOpen, app.QueueFilter{Reason: moderation.ReasonSpam}, app.Page{Limit: 1, Cursor: next})
	if err != nil || len(got) != 1 || got[0].ID != b.Ticket.ID {
		t.Errorf("second page: %v, %v; want the spam ticket", got, err)
	}
}

// A decision asking the reviewer keeps their deadline on the ticket, for the
// waiting queue to show; the next decision empties it.
func TestReviewerDeadlineOnTheWaitingTicket(t *testing.T) {
	s, _ := newStore(t)
	ctx := context.Background()
	sub := submission(seedReview(t, s, "rev-1", moderation.SourceOrganic), false)
	if err := s.SubmitReport(ctx, sub); err != nil {
		t.Fatal(err)
	}
	at := sub.Report.CreatedAt.Add(time.Hour)
	if err := s.ClaimTicket(ctx, sub.Ticket, "ana", at, nil); err != nil {
		t.Fatal(err)
	}
	tk, _ := s.GetTicket(ctx, sub.Ticket.ID)
	d := moderation.Decision{Outcome: moderation.DecideReviewerAction, Kind: moderation.ActionEvidence, Message: "Please send the order confirmation.", Note: "Asks for proof.", Agent: "ana", At: at}
	c, err := moderation.Decide(sub.Report, tk, d, moderation.DefaultPolicy, at)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.DecideTicket(ctx, app.TicketDecision{Ticket: tk, Report: sub.Report, Decision: d, Consequence: c}); err != nil {
		t.Fatal(err)
	}
	got, err := s.GetTicket(ctx, sub.Ticket.ID)
	if err != nil || got.Status != moderation.TicketWaitingForReviewer || !got.ReviewerDeadline.Equal(c.ReviewerDeadline) || c.ReviewerDeadline.IsZero() {
		t.Errorf("waiting ticket: %s, deadline %v, %v; want waiting until %v", got.Status, got.ReviewerDeadline, err, c.ReviewerDeadline)
	}
}
