package investigation

import (
	"context"
	"fmt"

	"github.com/candorhq/candor/shared/moderation"
	"github.com/candorhq/candor/shared/webhook"
)

// WithEvents makes the tasks emit their webhook events to e (without it
// they emit none) and returns t.
func (t *Tasks) WithEvents(e webhook.Emitter) *Tasks {
	t.events = e
	return t
}

// emitEvents emits the webhook events of a task that succeeded: the
// report's status after it, and the outcome of a closing task. It runs
// before the task reports success, so a failed emission fails the task and
// its retry emits again. An event's key is what it reports — the report,
// the status and the reviewer round; the report and the outcome — so a
// retried task, or two tasks that see the same status (the report created
// in the queue, then queued), emit it once.
func (k task) emitEvents(ctx context.Context, res Result) error {
	if k.events == nil {
		return nil
	}
	r, round := k.c.Report, max(k.ev.Round, k.c.Round)
	var status moderation.ReportStatus
	var outcome moderation.Outcome
	ground := ""
	switch k.ev.Action {
	case "notify_reported":
		status = r.Status
	case "request_proof":
		if r.Status == moderation.ReportAwaitingProof {
			status = moderation.ReportAwaitingProof
		}
	case "enqueue":
		if r.Status == moderation.ReportInQueue {
			status = moderation.ReportInQueue
		}
	case "request_action":
		status = moderation.ReportAwaitingReviewer
	case "no_response":
		status = moderation.ReportInQueue
	case "remove_no_proof":
		if res.Status == "removed" {
			status, outcome, ground = moderation.ReportClosed, moderation.OutcomeRemoved, moderation.GroundNoProofProvided
		}
	case "notify_reinstated":
		status, outcome, ground = moderation.ReportClosed, moderation.OutcomeReinstated, r.Ground
	case "notify_removed":
		status, outcome, ground = moderation.ReportClosed, moderation.OutcomeRemoved, moderation.GroundAgentDecision
	}
	if status != "" {
		if err := k.events.Emit(ctx, webhook.ReportStatusChanged(r, status, fmt.Sprintf("%s:status:%s:%d", r.ID, status, round), k.now)); err != nil {
			return err
		}
	}
	if outcome != "" {
		return k.events.Emit(ctx, webhook.ReportOutcome(r, outcome, ground, r.ID+":outcome:"+string(outcome), k.now))
	}
	return nil
}
