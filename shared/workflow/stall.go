package workflow

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/candorhq/candor/shared/app"
)

// A task that fails for good (a PermanentError, or retries exhausted) is
// caught by its state machine and sent to a "<State>Failed" task, which
// records the stall on the object and fails the execution there, so the
// execution ends FAILED (an alarm, and a list of FAILED executions) at a
// point from which RedriveExecution resumes it: the redriven "<State>Failed"
// task sees a higher redrive count, clears the stall and the execution goes
// back to <State>.

// StallEvent is the part of a "<State>Failed" task's payload that is about
// the failure. The execution's name, which every task's payload carries, is
// passed to Stalled beside it: a task event that embeds StallEvent has its
// own "execution" field, which would shadow one here and leave it empty.
type StallEvent struct {
	State   string `json:"state"`   // the state whose task failed
	Error   string `json:"error"`   // its error name
	Redrive int    `json:"redrive"` // $$.Execution.RedriveCount
}

// ErrStalled fails a "<State>Failed" task: the execution stops there until
// it is redriven.
var ErrStalled = errors.New("workflow stalled: a task failed for good; fix the cause and redrive the execution")

// StallStore records and clears stalls on objects.
type StallStore interface {
	RecordStall(ctx context.Context, o app.ObjectKey, st app.Stall) error
	ClearStall(ctx context.Context, o app.ObjectKey, state string, redrive int, at time.Time) error
}

// Stalled runs a "<State>Failed" task of the execution named execution for
// object o, whose recorded stall
// (as read) is current. After a redrive it clears the stall and returns nil
// (the execution goes back to the failed state); otherwise it records the
// stall (once), logs it for ops and returns a PermanentError, which no
// Retry of the state machines matches.
func Stalled(ctx context.Context, s StallStore, o app.ObjectKey, current app.Stall, ev StallEvent, execution string, now time.Time, log *slog.Logger) error {
	if current.State == ev.State && ev.Redrive > current.Redrive {
		if err := s.ClearStall(ctx, o, ev.State, ev.Redrive, now); err != nil {
			return err
		}
		log.WarnContext(ctx, "workflow resumed by a redrive", "state", ev.State, "redrive", ev.Redrive)
		return nil
	}
	if current.State != ev.State || current.Redrive != ev.Redrive {
		if err := s.RecordStall(ctx, o, app.Stall{State: ev.State, Error: ev.Error, Redrive: ev.Redrive, Execution: execution, At: now}); err != nil {
			return err
		}
	}
	log.ErrorContext(ctx, "workflow stalled: redrive the execution once the cause is fixed", "state", ev.State, "error", ev.Error, "redrive", ev.Redrive)
	return Permanent(ErrStalled)
}
