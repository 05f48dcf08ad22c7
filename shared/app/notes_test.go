package app_test

import (
	"strings"
	"testing"
	"time"

	"github.com/candorhq/candor/shared/moderation"
)

// An agent notes on a ticket: the note is on the case, with its author and
// time, the ticket's trail says a note was added (its id, not its text),
// and a note breaking the text rule, or on no ticket, is refused and
// leaves nothing behind.
func TestAddNote(t *testing.T) {
	f := newFixture(t, moderation.Policy{})
	f.seed("rev-1", moderation.SourceOrganic)
	r := f.report("rev-1", spam)
	f.clock.Advance(time.Hour)

	n, err := f.app.AddNote(f.ctx, ada, r.TicketID, "  Called the shop: no booking under this name.\r\n", nil)
	if err != nil {
		t.Fatal(err)
	}
	if n.Text != "Called the shop: no booking under this name." || n.Author != "ada" || n.TicketID != r.TicketID || !n.At.Equal(f.clock.Now()) {
		t.Errorf("note = %+v; want the cleaned text by ada on the ticket, now", n)
	}
	f.clock.Advance(time.Minute)
	if _, err := f.app.AddNote(f.ctx, bob, r.TicketID, "Second opinion: agree.", nil); err != nil {
		t.Fatal(err)
	}

	c, err := f.app.Ticket(f.ctx, r.TicketID)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Notes) != 2 || c.Notes[0] != n || c.Notes[1].Author != "bob" {
		t.Fatalf("case notes = %+v; want ada's then bob's", c.Notes)
	}
	var added []moderation.AuditEntry
	for _, e := range c.Trail {
		if e.Action == "ticket.note_added" {
			added = append(added, e)
		}
		if strings.Contains(e.Note, "booking") {
			t.Errorf("audit entry %+v carries the note's text", e)
		}
	}
	if len(added) != 2 || added[0].Actor != "agent:ada" || added[0].Note != n.ID || !added[0].At.Equal(n.At) {
		t.Errorf("note audit entries = %+v; want two, the first by agent:ada naming %s", added, n.ID)
	}
	if got, err := f.app.Note(f.ctx, r.TicketID+"/"+n.ID); err != nil || got != n {
		t.Errorf("Note(resource) = %+v, %v; want the note", got, err)
	}

	_, err = f.app.AddNote(f.ctx, ada, r.TicketID, " \n ", nil)
	if e, ok := moderation.AsError(err); !ok || e.Kind != moderation.KindInvalid || e.Fields["text"] == "" {
		t.Errorf("empty note: %v; want a problem under text", err)
	}
	_, err = f.app.AddNote(f.ctx, ada, r.TicketID, strings.Repeat("x", moderation.MaxInternalNote+1), nil)
	if e, ok := moderation.AsError(err); !ok || e.Fields["text"] == "" {
		t.Errorf("a note too long: %v; want a problem under text", err)
	}
	_, err = f.app.AddNote(f.ctx, ada, "tkt_0190a0a0a0a070008000000000000000", "A note.", nil)
	wantCode(t, err, moderation.CodeNotFound)
	_, err = f.app.AddNote(f.ctx, ada, "nonsense", "A note.", nil)
	wantCode(t, err, moderation.CodeNotFound)

	if c, _ := f.app.Ticket(f.ctx, r.TicketID); len(c.Notes) != 2 {
		t.Errorf("after the refusals: %d notes, want still 2", len(c.Notes))
	}
}
