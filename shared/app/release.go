package app

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/candorhq/candor/shared/ids"
	"github.com/candorhq/candor/shared/moderation"
)

// ReleaseStore is what releasing a ticket needs of the table.
type ReleaseStore interface {
	// ReleaseTicket puts a ticket agent holds back in the queue at its
	// place (moderation.ErrChanged when it is not in progress with agent
	// any more).
	ReleaseTicket(ctx context.Context, t moderation.Ticket, agent string, at time.Time, idem *Idempotency) error
}

// Release puts a ticket the calling agent holds back in the queue, where
// it keeps its place (oldest first), audited as ticket.released. Only the
// agent holding it may (moderation.CanRelease).
func (a *App) Release(ctx context.Context, actor Actor, id string, idem *Idempotency) (moderation.Ticket, error) {
	if !ids.Valid("tkt", id) {
		return moderation.Ticket{}, notFound("ticket")
	}
	t, err := a.store.GetTicket(ctx, id)
	if err != nil {
		return t, err
	}
	if err := moderation.CanRelease(t, actor.Subject); err != nil {
		return moderation.Ticket{}, err
	}
	now := a.clock.Now()
	if idem != nil {
		idem.Resource = t.ID
	}
	err = a.store.ReleaseTicket(ctx, t, actor.Subject, now, idem)
	if errors.Is(err, moderation.ErrChanged) {
		err = moderation.Conflict(moderation.CodeTicketNotInProgress, "the ticket changed meanwhile (it was decided or released)")
	}
	if err != nil {
		return moderation.Ticket{}, fmt.Errorf("release: %w", err)
	}
	t.Status, t.Assignee, t.UpdatedAt = moderation.TicketOpen, "", now
	return t, nil
}
