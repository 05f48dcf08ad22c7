package webhook

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/candorhq/candor/shared/app"
)

// Emitter records an event on its own (for a change whose write cannot
// carry it; see Event.Record). An error means "retry the emission": it is
// idempotent, the event's id deriving from its key.
type Emitter interface {
	Emit(ctx context.Context, e Event) error
}

// Outbox is the Emitter on the table: it records the event, which the
// Dispatcher fans out to the business's subscribed webhooks.
type Outbox struct {
	store interface {
		PutEvent(ctx context.Context, e app.Event) error
	}
}

// NewOutbox returns an Outbox on st.
func NewOutbox(st Store) *Outbox { return &Outbox{store: st} }

var _ Emitter = (*Outbox)(nil)

// Emit records e (one PutItem, no read).
func (o *Outbox) Emit(ctx context.Context, e Event) error {
	if err := o.store.PutEvent(ctx, e.Record()); err != nil {
		return fmt.Errorf("emit %s: %w", e.Type, err)
	}
	return nil
}

// Record is e as the write of its change records it (app.Step.Events,
// app.Closure.Events): the payload is fixed now, so every attempt of every
// delivery sends the same bytes.
func (e Event) Record() app.Event {
	at := e.At.UTC()
	body, _ := json.Marshal(payload{ID: e.ID(), Type: e.Type, CreatedAt: at.Format(time.RFC3339Nano), BusinessID: e.BusinessID, Data: e.Data})
	return app.Event{ID: e.ID(), Type: e.Type, BusinessID: e.BusinessID, Payload: string(body), At: at}
}

// newDelivery is e on its way to ep, due at once.
func newDelivery(ep Endpoint, e app.Event) Delivery {
	return Delivery{WebhookID: ep.ID, BusinessID: ep.BusinessID, EventID: e.ID, EventType: e.Type, Payload: e.Payload,
		Status: StatusPending, NextAttempt: e.At, CreatedAt: e.At, UpdatedAt: e.At}
}

// payload is the JSON body of a delivery (docs/webhooks.md).
type payload struct {
	ID         string         `json:"id"`
	Type       string         `json:"type"`
	CreatedAt  string         `json:"createdAt"`
	BusinessID string         `json:"businessId"`
	Data       map[string]any `json:"data"`
}

// Discard is an Emitter that records nothing, for code built without webhooks.
type Discard struct{}

// Emit does nothing.
func (Discard) Emit(context.Context, Event) error { return nil }
