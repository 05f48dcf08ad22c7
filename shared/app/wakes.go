package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"
)

// A wake-up that failed (SendTaskSuccess throttled, Step Functions out of
// reach) is not left to the workflow's next step, which may be days away:
// it is recorded, and the sweeper answers it again every minute until the
// task takes it or is no longer waiting.

// WakeTarget names the object whose waiting task a wake-up answers, and so
// where its task token is stored.
type WakeTarget string

// The targets.
const (
	WakeRequest WakeTarget = "request" // a Find Reviewer request waiting for the reply
	WakeReport  WakeTarget = "report"  // a report waiting for proof, evidence or an edit
	WakeTicket  WakeTarget = "ticket"  // a ticket waiting for the agent's decision
	WakeAppeal  WakeTarget = "appeal"  // an appeal waiting for its decision
)

// PendingWake is a wake-up that failed: what to answer, with what, since when.
type PendingWake struct {
	Target WakeTarget
	ID     string
	Output json.RawMessage // the task's output, as SendTaskSuccess sends it
	At     time.Time
}

// WakeStore records failed wake-ups and reads the tokens of waiting tasks.
type WakeStore interface {
	RecordWake(ctx context.Context, w PendingWake) error
	PendingWakes(ctx context.Context) ([]PendingWake, error)
	// ClearWake forgets w unless it was recorded again meanwhile.
	ClearWake(ctx context.Context, w PendingWake) error
	RequestTaskToken(ctx context.Context, id string) (string, error)
	ReportTaskToken(ctx context.Context, id string) (string, error)
	TicketToken(ctx context.Context, id string) (string, error)
	AppealTaskToken(ctx context.Context, id string) (string, error)
}

// wakeToken reads the token of the task waiting for w's object ("" if none).
func wakeToken(ctx context.Context, s WakeStore, t WakeTarget, id string) (string, error) {
	switch t {
	case WakeRequest:
		return s.RequestTaskToken(ctx, id)
	case WakeReport:
		return s.ReportTaskToken(ctx, id)
	case WakeTicket:
		return s.TicketToken(ctx, id)
	case WakeAppeal:
		return s.AppealTaskToken(ctx, id)
	}
	return "", fmt.Errorf("wake: unknown target %q", t)
}

// answer reads the token of the task waiting for target id and answers it
// with output: nil when answered, or when no task waits (none yet, or it
// closed: the workflow finds what was recorded at its next step).
func answer(ctx context.Context, s WakeStore, w Waker, t WakeTarget, id string, output any) error {
	tok, err := wakeToken(ctx, s, t, id)
	if err != nil || tok == "" {
		return err
	}
	if err = w.Succeed(ctx, tok, output); errors.Is(err, ErrTaskClosed) {
		return nil
	}
	return err
}

// RetryWakes answers again every recorded wake-up, forgetting each that is
// answered or no longer waited for; a failure is kept for the next run. It
// returns how many it answered and the first error.
func RetryWakes(ctx context.Context, s WakeStore, w Waker, log *slog.Logger) (int, error) {
	list, err := s.PendingWakes(ctx)
	if err != nil {
		return 0, fmt.Errorf("retry wakes: %w", err)
	}
	var first error
	done := 0
	for _, p := range list {
		if err := answer(ctx, s, w, p.Target, p.ID, p.Output); err != nil {
			log.ErrorContext(ctx, "wake: workflow still not woken; the next sweep tries again", "target", p.Target, "id", p.ID, "since", p.At, "err", err)
			if first == nil {
				first = err
			}
			continue
		}
		if err := s.ClearWake(ctx, p); err != nil {
			log.ErrorContext(ctx, "wake: woken, but the record stays; the next sweep answers it again (harmless)", "target", p.Target, "id", p.ID, "err", err)
			if first == nil {
				first = err
			}
			continue
		}
		log.WarnContext(ctx, "wake: woke a workflow whose first wake-up had failed", "target", p.Target, "id", p.ID, "since", p.At)
		done++
	}
	return done, first
}
