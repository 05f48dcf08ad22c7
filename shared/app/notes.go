package app

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/candorhq/candor/shared/ids"
	"github.com/candorhq/candor/shared/moderation"
)

// TicketRecord is what a ticket's partition holds: the ticket, its audit
// trail, its recorded decision and its internal notes, oldest first.
type TicketRecord struct {
	Ticket   moderation.Ticket
	Trail    []moderation.AuditEntry
	Decision moderation.Decision
	Notes    []moderation.InternalNote
}

// NoteStore is what internal notes need of the table.
type NoteStore interface {
	// AddNote writes note n under its ticket with the ticket's audit entry
	// e, in one transaction, on the condition that the ticket exists
	// (moderation.ErrChanged otherwise).
	AddNote(ctx context.Context, n moderation.InternalNote, e moderation.AuditEntry, idem *Idempotency) error
	// TicketRecord reads a ticket with its trail, decision and notes in one
	// read of the ticket's partition (moderation.ErrNotFound when there is
	// no such ticket).
	TicketRecord(ctx context.Context, id string) (TicketRecord, error)
	// ReviewRecord reads a review with its request refs, its versions
	// (oldest first) and its audit trail in one read of its partition.
	ReviewRecord(ctx context.Context, id string) (ReviewRecord, error)
}

// ReviewRecord is what a review's partition holds for a case: the review
// with its Find Reviewer request refs, its versions and its audit trail.
type ReviewRecord struct {
	Context  moderation.ReviewContext
	Versions []moderation.ReviewVersion
	Trail    []moderation.AuditEntry
}

// AddNote adds the calling agent's internal note to a ticket (the note
// rule, moderation.NewInternalNote), audited on the ticket as
// ticket.note_added with the note's id, never its text. Notes are for
// compliance only: nothing a business or a reviewer reads carries them.
func (a *App) AddNote(ctx context.Context, actor Actor, ticketID, text string, idem *Idempotency) (moderation.InternalNote, error) {
	if !ids.Valid("tkt", ticketID) {
		return moderation.InternalNote{}, notFound("ticket")
	}
	t, err := a.store.GetTicket(ctx, ticketID)
	if err != nil {
		return moderation.InternalNote{}, err
	}
	now := a.clock.Now()
	n, err := moderation.NewInternalNote(ids.New("note"), t, actor.Subject, text, now)
	if err != nil {
		return n, err
	}
	if idem != nil {
		idem.Resource = NoteResource(n)
	}
	e := moderation.AuditEntry{At: now, Actor: "agent:" + actor.Subject, Action: "ticket.note_added", Note: n.ID}
	err = a.store.AddNote(ctx, n, e, idem)
	if errors.Is(err, moderation.ErrChanged) {
		err = notFound("ticket")
	}
	if err != nil {
		return moderation.InternalNote{}, fmt.Errorf("add note: %w", err)
	}
	return n, nil
}

// NoteResource names note n as an idempotency record's resource: its
// ticket and its id, so a replay finds it again (Note).
func NoteResource(n moderation.InternalNote) string { return n.TicketID + "/" + n.ID }

// Note reads the note a NoteResource names (moderation.ErrNotFound when
// there is none).
func (a *App) Note(ctx context.Context, resource string) (moderation.InternalNote, error) {
	ticketID, noteID, _ := strings.Cut(resource, "/")
	if !ids.Valid("tkt", ticketID) {
		return moderation.InternalNote{}, notFound("note")
	}
	rec, err := a.store.TicketRecord(ctx, ticketID)
	if err != nil {
		return moderation.InternalNote{}, err
	}
	for _, n := range rec.Notes {
		if n.ID == noteID {
			return n, nil
		}
	}
	return moderation.InternalNote{}, notFound("note")
}
