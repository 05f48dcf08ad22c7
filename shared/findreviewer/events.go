package findreviewer

import (
	"fmt"

	"github.com/candorhq/candor/shared/app"
	"github.com/candorhq/candor/shared/webhook"
)

// WithEvents makes the tasks record the webhook events of their changes
// (without it they record none) and returns t. The tasks write each event
// in the same transaction as the change it reports (app.Step.Events), so
// an event is recorded exactly when its change is; e records an event on
// its own where no write carries it.
func (t *Tasks) WithEvents(e webhook.Emitter) *Tasks {
	t.events = e
	return t
}

// record is evs as a task's write records them: none without WithEvents,
// or when the business has no webhooks (the count is on the business item
// the task has read; a webhook registered meanwhile gets the next changes).
func (k task) record(evs ...webhook.Event) []app.Event {
	if k.events == nil || k.c.Business.Webhooks <= 0 {
		return nil
	}
	out := make([]app.Event, len(evs))
	for i, e := range evs {
		out[i] = e.Record()
	}
	return out
}

// eventKey names the change a task reports: the request, the action and
// the round, the same for every retry.
func (k task) eventKey() string {
	return fmt.Sprintf("%s:%s:%d", k.c.Request.ID, k.ev.Action, k.ev.Round)
}

// expired is the request.expired event of the expiry.
func (k task) expired() []app.Event {
	return k.record(webhook.RequestExpired(k.c.Request, !k.c.Request.ManualReminderUsed, k.eventKey(), k.now))
}
