package webhook

import (
	"context"
	"encoding/json"
	"fmt"
	"time"
)

// Emitter records events for delivery. Emit returns only when every
// delivery of the event is recorded; an error means "retry the emission"
// (it is idempotent: the event's id derives from its key).
type Emitter interface {
	Emit(ctx context.Context, e Event) error
}

// Outbox is the Emitter on the table: one delivery item per subscribed
// endpoint of the business, which the Dispatcher sends.
type Outbox struct {
	store Store
}

// NewOutbox returns an Outbox on st.
func NewOutbox(st Store) *Outbox { return &Outbox{store: st} }

var _ Emitter = (*Outbox)(nil)

// Emit records a delivery of e to each endpoint of its business that
// subscribes to its type, due at once.
func (o *Outbox) Emit(ctx context.Context, e Event) error {
	eps, err := o.store.ListWebhooks(ctx, e.BusinessID)
	if err != nil {
		return fmt.Errorf("emit %s: %w", e.Type, err)
	}
	for _, ep := range eps {
		if !ep.Subscribed(e.Type) {
			continue
		}
		if err := o.store.AddDelivery(ctx, newDelivery(ep, e)); err != nil {
			return fmt.Errorf("emit %s: %w", e.Type, err)
		}
	}
	return nil
}

// newDelivery is e on its way to ep: the payload is fixed now, so every
// attempt sends the same bytes.
func newDelivery(ep Endpoint, e Event) Delivery {
	at := e.At.UTC()
	body, _ := json.Marshal(payload{ID: e.ID(), Type: e.Type, CreatedAt: at.Format(time.RFC3339Nano), BusinessID: e.BusinessID, Data: e.Data})
	return Delivery{WebhookID: ep.ID, BusinessID: ep.BusinessID, EventID: e.ID(), EventType: e.Type, Payload: string(body),
		Status: StatusPending, NextAttempt: at, CreatedAt: at, UpdatedAt: at}
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
