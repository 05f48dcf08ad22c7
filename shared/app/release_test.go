package app_test

import (
	"testing"
	"time"

	"github.com/candorhq/candor/shared/app"
	"github.com/candorhq/candor/shared/moderation"
)

// An agent puts back a ticket they hold: it is open again, at its place
// in the queue (handed out next), nobody holds it, and the trail says who
// released it; another agent, or a second release, is refused.
func TestRelease(t *testing.T) {
	f := newFixture(t, moderation.Policy{})
	f.seed("rev-1", moderation.SourceOrganic)
	r := f.report("rev-1", spam)
	queued := f.ticket(r.TicketID).QueuedAt
	f.claimed(r, ada)
	f.clock.Advance(time.Hour)

	_, err := f.app.Release(f.ctx, bob, r.TicketID, nil)
	wantCode(t, err, moderation.CodeTicketNotInProgress)
	if got := f.ticket(r.TicketID); got.Assignee != "ada" || got.Status != moderation.TicketInProgress {
		t.Fatalf("after bob's refused release: %+v, want still held by ada", got)
	}

	tk, err := f.app.Release(f.ctx, ada, r.TicketID, nil)
	if err != nil || tk.Status != moderation.TicketOpen || tk.Assignee != "" {
		t.Fatalf("release = %+v, %v; want open, held by nobody", tk, err)
	}
	got := f.ticket(r.TicketID)
	if got.Status != moderation.TicketOpen || got.Assignee != "" || !got.QueuedAt.Equal(queued) {
		t.Errorf("stored after release: %+v; want open, no assignee, queued at %s as before", got, queued)
	}
	open, _, err := f.app.ListTickets(f.ctx, moderation.TicketOpen, "", app.Page{Limit: 10})
	if err != nil || len(open) != 1 || open[0].ID != r.TicketID {
		t.Errorf("open queue = %+v, %v; want the released ticket", open, err)
	}
	c, err := f.app.Ticket(f.ctx, r.TicketID)
	if err != nil {
		t.Fatal(err)
	}
	last := c.Trail[len(c.Trail)-1]
	if last.Action != "ticket.released" || last.Actor != "agent:ada" || last.From != "in_progress" || last.To != "open" || !last.At.Equal(f.clock.Now()) {
		t.Errorf("last audit entry = %+v; want ticket.released by agent:ada, in_progress → open, now", last)
	}

	_, err = f.app.Release(f.ctx, ada, r.TicketID, nil)
	wantCode(t, err, moderation.CodeTicketNotInProgress)
	_, err = f.app.Release(f.ctx, ada, "tkt_nonexistent", nil)
	wantCode(t, err, moderation.CodeNotFound)
	if tk, err := f.app.Claim(f.ctx, bob, r.TicketID, nil); err != nil || tk.Assignee != "bob" {
		t.Errorf("bob's claim after the release = %+v, %v; want it his", tk, err)
	}
}
