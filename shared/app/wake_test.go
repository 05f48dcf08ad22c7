package app

import (
	"context"
	"errors"
	"log/slog"
	"testing"
)

type flakyWaker struct{ fail, calls int }

func (w *flakyWaker) Succeed(context.Context, string, any) error {
	w.calls++
	if w.calls <= w.fail {
		return errors.New("throttled")
	}
	return nil
}

// TestWakeTriesAgain: an answer recorded must reach its waiting task even
// when Step Functions fails a few times — the workflow's own next look may
// be days away — and a closed task is not asked twice.
func TestWakeTriesAgain(t *testing.T) {
	w := &flakyWaker{fail: 3}
	a := New(Config{Waker: w, Logger: slog.New(slog.DiscardHandler)})
	a.wake(context.Background(), "decision", "tkt_1", "token", nil)
	if w.calls != 4 {
		t.Errorf("wake made %d calls, want 4 (three failures, then the answer)", w.calls)
	}
	closed := &closedWaker{}
	New(Config{Waker: closed, Logger: slog.New(slog.DiscardHandler)}).wake(context.Background(), "reply", "req_1", "token", nil)
	if closed.calls != 1 {
		t.Errorf("a closed task was asked %d times, want once", closed.calls)
	}
	none := &flakyWaker{}
	New(Config{Waker: none, Logger: slog.New(slog.DiscardHandler)}).wake(context.Background(), "reply", "req_1", "", nil)
	if none.calls != 0 {
		t.Errorf("wake without a token made %d calls", none.calls)
	}
}

type closedWaker struct{ calls int }

func (w *closedWaker) Succeed(context.Context, string, any) error {
	w.calls++
	return ErrTaskClosed
}
