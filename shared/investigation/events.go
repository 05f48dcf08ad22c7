package investigation

import (
	"context"
	"fmt"

	"github.com/candorhq/candor/shared/app"
	"github.com/candorhq/candor/shared/moderation"
	"github.com/candorhq/candor/shared/webhook"
)

// WithEvents makes the tasks record the webhook events of their changes
// (without it they record none) and returns t. The tasks write each event
// in the same transaction as the change it reports (app.Step.Events,
// app.Closure.Events); e records one on its own where the change's write is
// a single UpdateItem (the queue's task token).
func (t *Tasks) WithEvents(e webhook.Emitter) *Tasks {
	t.events = e
	return t
}

// The keys of the events are what they report — the report, the status and
// the reviewer round; the report and the outcome — so a retried task, or
// two tasks that see the same status (a report created in the queue, then
// queued), record one event.

// statusEvent is the report.status_changed event of the report now in s.
func (k task) statusEvent(s moderation.ReportStatus) webhook.Event {
	key := fmt.Sprintf("%s:status:%s:%d", k.c.Report.ID, s, max(k.ev.Round, k.c.Round))
	return webhook.ReportStatusChanged(k.c.Report, s, key, k.now)
}

// status is statusEvent as a write records it.
func (k task) status(s moderation.ReportStatus) []app.Event { return k.record(k.statusEvent(s)) }

// closed are the events of the report's closure: its status and its outcome.
func (k task) closed(o moderation.Outcome, ground string) []app.Event {
	return append(k.status(moderation.ReportClosed),
		k.record(webhook.ReportOutcome(k.c.Report, o, ground, k.c.Report.ID+":outcome:"+string(o), k.now))...)
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

// emit records e on its own (one PutItem).
func (k task) emit(ctx context.Context, e webhook.Event) error {
	if k.events == nil || k.c.Business.Webhooks <= 0 {
		return nil
	}
	return k.events.Emit(ctx, e)
}
