// Package webhook sends businesses signed events over HTTPS: registration of
// endpoints and their secrets (Service), the events the workflow tasks
// record with the changes they report (Event.Record into the change's
// transaction, or Outbox.Emit on its own), their fan-out to the subscribed
// endpoints and delivery at least once with exponential backoff
// (Dispatcher), logged per endpoint for the business to read. Events carry ids, statuses and outcomes only — never a
// reviewer's email, name or reply text (P12). docs/webhooks.md is the
// contract for receivers.
package webhook

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"time"

	"github.com/candorhq/candor/shared/app"
)

// The event types.
const (
	TypeReportStatusChanged = "report.status_changed" // a report moved to another status
	TypeReportOutcome       = "report.outcome"        // a report closed: removed or reinstated
	TypeRequestReplied      = "request.replied"       // the reviewer answered a Find Reviewer request
	TypeRequestExpired      = "request.expired"       // a Find Reviewer request's window closed without a reply
	TypeReportingWarned     = "reporting.warned"      // compliance warned the business for misusing reporting
	TypeReportingSuspended  = "reporting.suspended"   // compliance suspended the business's reporting until a time
	TypeReportingReopened   = "reporting.reopened"    // a suspension ended: the business can report again
	TypeReplyPublished      = "reply.published"       // the business published a reply to a review
	TypeReplyUpdated        = "reply.updated"         // the business changed its reply
	TypeReplyRemoved        = "reply.removed"         // the reply was taken down, by the business or by compliance
	TypeTest                = "webhook.test"          // POST /v1/webhooks/{id}/test
)

// Types are the event types an endpoint may subscribe to.
var Types = []string{TypeReportStatusChanged, TypeReportOutcome, TypeRequestReplied, TypeRequestExpired,
	TypeReportingWarned, TypeReportingSuspended, TypeReportingReopened,
	TypeReplyPublished, TypeReplyUpdated, TypeReplyRemoved}

// Event is one thing that happened to a business's report or request.
type Event struct {
	Type       string
	BusinessID string
	// Key identifies the change that the event reports, the same for every
	// retry of the code that emits it (e.g. the execution, task and round):
	// the event's id derives from it, so an event is recorded once however
	// often its emission is retried.
	Key  string
	At   time.Time
	Data map[string]any // ids, statuses, outcomes: no personal data
}

// ID is the event's id: "evt_" and 32 hex digits derived from its type and key.
func (e Event) ID() string {
	sum := sha256.Sum256([]byte(e.Type + "\x00" + e.BusinessID + "\x00" + e.Key))
	return "evt_" + hex.EncodeToString(sum[:16])
}

// Endpoint is a business's registered receiver.
type Endpoint struct {
	ID          string
	BusinessID  string
	URL         string
	Description string
	Events      []string // subscribed types; empty means all
	Secrets     []Secret // the current secret first; a rotated one until it expires
	CreatedAt   time.Time
	UpdatedAt   time.Time
	// Rev counts the endpoint's changes: a change is written only over the
	// revision it was made from (Store.PutWebhook), so of two changes made
	// at once one wins and the other is a conflict.
	Rev int
}

// Secret is a signing secret. A secret without Expires is the current one.
type Secret struct {
	Value   string
	Created time.Time
	Expires time.Time // zero for the current secret
}

// Subscribed reports whether the endpoint wants events of type t.
func (e Endpoint) Subscribed(t string) bool {
	if t == TypeTest || len(e.Events) == 0 {
		return true
	}
	for _, s := range e.Events {
		if s == t {
			return true
		}
	}
	return false
}

// Signing returns the secrets that sign at now: the current one and any
// rotated one that has not expired.
func (e Endpoint) Signing(now time.Time) []string {
	var out []string
	for _, s := range e.Secrets {
		if s.Expires.IsZero() || now.Before(s.Expires) {
			out = append(out, s.Value)
		}
	}
	return out
}

// The statuses of a delivery.
const (
	StatusPending   = "pending"   // waiting for its next attempt
	StatusDelivered = "delivered" // a 2xx answer
	StatusFailed    = "failed"    // every attempt failed, or the endpoint is gone
)

// Delivery is one event on its way to one endpoint, with its attempts.
type Delivery struct {
	WebhookID   string
	BusinessID  string
	EventID     string
	EventType   string
	Payload     string // the exact body sent, JSON
	Status      string
	Attempts    int
	NextAttempt time.Time // when pending
	CreatedAt   time.Time
	UpdatedAt   time.Time
	Log         []Attempt // the latest attempts, oldest first (at most MaxLogged)
}

// Attempt is one try at a delivery.
type Attempt struct {
	At         time.Time
	StatusCode int    // 0 when there was no HTTP answer
	Error      string // what went wrong, for the business to read ("" on success)
	Duration   time.Duration
}

// Queue is the head of a business's delivery queue: every pending delivery
// of the business's webhooks is in it, and the head says when it is due.
type Queue struct {
	BusinessID string
	// Seq counts the additions to the queue; the dispatcher reschedules the
	// head only if it is unchanged since it read it.
	Seq int
	// CheckedEmpty: the queue was found empty once; found empty again, its
	// head goes (one look more, so that an index entry written a moment
	// before the first look is not missed).
	CheckedEmpty bool
}

// MaxLogged is how many attempts a delivery keeps in its log.
const MaxLogged = 12

// Store is what the package needs of the table.
type Store interface {
	// PutWebhook writes an endpoint. A new one (create) is counted on its
	// business in the same write, which fails with CodeWebhookLimit when the
	// business has MaxPerBusiness already; a change is written at e.Rev+1
	// only if the stored endpoint is still at e.Rev, else it is a conflict
	// (moderation.ErrChanged). idem, when not nil, is the request's
	// Idempotency-Key record, written in the same write.
	PutWebhook(ctx context.Context, e Endpoint, create bool, idem *app.Idempotency) error
	GetWebhook(ctx context.Context, businessID, id string) (Endpoint, error)
	ListWebhooks(ctx context.Context, businessID string) ([]Endpoint, error)
	DeleteWebhook(ctx context.Context, businessID, id string) error
	// AddDelivery records a new delivery; one that exists already (the same
	// event for the same endpoint) is left as it is, without error. idem,
	// when not nil, is the request's Idempotency-Key record, written in
	// the same write.
	AddDelivery(ctx context.Context, d Delivery, idem *app.Idempotency) error
	// UpdateDelivery writes d if the stored delivery still has prevAttempts
	// attempts, else it returns an error of kind conflict.
	UpdateDelivery(ctx context.Context, d Delivery, prevAttempts int) error
	// DueQueues returns the businesses whose delivery queues are due at
	// now, earliest first, at most limit.
	DueQueues(ctx context.Context, now time.Time, limit int) ([]Queue, error)
	// QueueHead returns a business's queue head as it is now (the zero
	// Queue of the business when it has none).
	QueueHead(ctx context.Context, businessID string) (Queue, error)
	// QueuedDeliveries returns up to limit pending deliveries of a
	// business, earliest first: those due at due, or all if due is zero.
	QueuedDeliveries(ctx context.Context, businessID string, due time.Time, limit int) ([]Delivery, error)
	// RescheduleQueue marks a queue due at due, and DropQueue removes its
	// head, each only if nothing was added since q was read (else a
	// conflict: the addition left the queue due).
	RescheduleQueue(ctx context.Context, q Queue, due time.Time, checkedEmpty bool) error
	DropQueue(ctx context.Context, q Queue) error
	ListDeliveries(ctx context.Context, webhookID string) ([]Delivery, error)
	GetDelivery(ctx context.Context, webhookID, eventID string) (Delivery, error)
	// PutEvent records an event to fan out; PendingEvents lists them,
	// oldest first; EventFannedOut takes one out of the list.
	PutEvent(ctx context.Context, e app.Event) error
	PendingEvents(ctx context.Context, limit int) ([]app.Event, error)
	EventFannedOut(ctx context.Context, e app.Event) error
}
