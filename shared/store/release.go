package store

import (
	"context"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/candorhq/candor/shared/app"
	"github.com/candorhq/candor/shared/moderation"
)

// ReleaseTicket puts a ticket an agent holds back in the queue, at the
// place it was queued at, with its audit entry, on the condition that it is
// still in progress and held by that agent (moderation.ErrChanged otherwise).
func (s *Store) ReleaseTicket(ctx context.Context, t moderation.Ticket, agent string, at time.Time, idem *app.Idempotency) error {
	b := s.tx()
	b.idempotency(idem, at)
	v := map[string]types.AttributeValue{":inprog": str(string(moderation.TicketInProgress)), ":agent": str(agent), ":none": str("")}
	b.update(ticketPK(t.ID), skTicket, "SET "+ticketStatusSet(moderation.TicketOpen, t.QueuedAt, at, t.ID, v)+", assignee = :none",
		"#status = :inprog AND assignee = :agent", statusName, v)
	b.audit(ticketPK(t.ID), moderation.AuditEntry{At: at, Actor: "agent:" + agent, Action: "ticket.released",
		From: string(moderation.TicketInProgress), To: string(moderation.TicketOpen)})
	return s.commitAs(ctx, b, "release ticket "+t.ID)
}
