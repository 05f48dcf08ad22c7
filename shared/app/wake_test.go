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

// token is a token read that fails its first fail calls.
func token(tok string, fail int) (tokenOf, *int) {
	calls := 0
	return func(context.Context) (string, error) {
		calls++
		if calls <= fail {
			return "", errors.New("throughput exceeded")
		}
		return tok, nil
	}, &calls
}

// TestWakeTriesAgain: an answer recorded must reach its waiting task even
// when Step Functions or the read of its token fail a few times — the
// workflow's own next look may be days away — and a closed task is not
// asked twice.
func TestWakeTriesAgain(t *testing.T) {
	w := &flakyWaker{fail: 3}
	a := New(Config{Waker: w, Logger: slog.New(slog.DiscardHandler)})
	read, _ := token("token", 0)
	a.wake(context.Background(), "decision", WakeTicket, "tkt_1", read, nil)
	if w.calls != 4 {
		t.Errorf("wake made %d calls, want 4 (three failures, then the answer)", w.calls)
	}
	w2 := &flakyWaker{}
	read, reads := token("token", 2)
	New(Config{Waker: w2, Logger: slog.New(slog.DiscardHandler)}).wake(context.Background(), "decision", WakeTicket, "tkt_1", read, nil)
	if *reads != 3 || w2.calls != 1 {
		t.Errorf("wake read the token %d times and answered %d times, want 3 reads (two failures) and one answer", *reads, w2.calls)
	}
	closed := &closedWaker{}
	read, _ = token("token", 0)
	New(Config{Waker: closed, Logger: slog.New(slog.DiscardHandler)}).wake(context.Background(), "reply", WakeRequest, "req_1", read, nil)
	if closed.calls != 1 {
		t.Errorf("a closed task was asked %d times, want once", closed.calls)
	}
	none := &flakyWaker{}
	read, _ = token("", 0)
	New(Config{Waker: none, Logger: slog.New(slog.DiscardHandler)}).wake(context.Background(), "reply", WakeRequest, "req_1", read, nil)
	if none.calls != 0 {
		t.Errorf("wake without a token made %d calls", none.calls)
	}
}

type closedWaker struct{ calls int }

func (w *closedWaker) Succeed(context.Context, string, any) error {
	w.calls++
	return ErrTaskClosed
}
