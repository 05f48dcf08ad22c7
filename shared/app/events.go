package app

import "time"

// Event is a webhook event recorded in the same write as the change it
// reports (an outbox item): if the change is written, so is the event, and
// a retried write records it again under the same ID, which the dispatcher
// fans out once (docs/webhooks.md). Payload is the exact body to send: ids,
// statuses and outcomes, never personal data. Package webhook builds them.
type Event struct {
	ID         string
	Type       string
	BusinessID string
	Payload    string
	At         time.Time
}
