package app

import (
	"context"
	"slices"

	"github.com/candorhq/candor/shared/moderation"
)

// QueueFilter narrows a queue to one business's tickets and to tickets
// whose report names a reason ("" for any).
type QueueFilter struct {
	BusinessID string
	Reason     moderation.Reason
}

// QueueStore reads a queue through a filter.
type QueueStore interface {
	// QueueTickets reads one page of the review tickets with status that
	// match f, oldest first; a page may hold fewer than its limit (none,
	// with a cursor to go on).
	QueueTickets(ctx context.Context, status moderation.TicketStatus, f QueueFilter, p Page) ([]moderation.Ticket, string, error)
}

// QueueTickets reads one page of a queue of review tickets narrowed by f.
func (a *App) QueueTickets(ctx context.Context, status moderation.TicketStatus, f QueueFilter, p Page) ([]moderation.Ticket, string, error) {
	if !status.Valid() {
		return nil, "", moderation.InvalidField("status", "must be one of open, in_progress, waiting_for_reviewer, decided")
	}
	if f.Reason != "" && !slices.Contains(moderation.AllReasons(), f.Reason) {
		return nil, "", moderation.InvalidField("reason", "must be one of the reasons of a report")
	}
	return a.store.QueueTickets(ctx, status, f, p)
}
