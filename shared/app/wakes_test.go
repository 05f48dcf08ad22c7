package app

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"testing"
	"time"

	"github.com/candorhq/candor/shared/clock"
)

// fakeWakes is a WakeStore in memory: the recorded wake-ups and the tokens
// of the waiting tasks by target and id.
type fakeWakes struct {
	pending []PendingWake
	tokens  map[string]string // target/id → token
	cleared []string
}

func (f *fakeWakes) RecordWake(_ context.Context, w PendingWake) error {
	f.pending = append(f.pending, w)
	return nil
}
func (f *fakeWakes) PendingWakes(context.Context) ([]PendingWake, error) { return f.pending, nil }
func (f *fakeWakes) ClearWake(_ context.Context, w PendingWake) error {
	f.cleared = append(f.cleared, string(w.Target)+"/"+w.ID)
	return nil
}
func (f *fakeWakes) tok(t WakeTarget, id string) (string, error) {
	return f.tokens[string(t)+"/"+id], nil
}
func (f *fakeWakes) RequestTaskToken(_ context.Context, id string) (string, error) {
	return f.tok(WakeRequest, id)
}
func (f *fakeWakes) ReportTaskToken(_ context.Context, id string) (string, error) {
	return f.tok(WakeReport, id)
}
func (f *fakeWakes) TicketToken(_ context.Context, id string) (string, error) {
	return f.tok(WakeTicket, id)
}
func (f *fakeWakes) AppealTaskToken(_ context.Context, id string) (string, error) {
	return f.tok(WakeAppeal, id)
}

// byToken answers tokens as told: nil, ErrTaskClosed or a failure.
type byToken struct {
	answers map[string]error
	got     map[string]string // token → output
}

func (w *byToken) Succeed(_ context.Context, token string, output any) error {
	b, _ := json.Marshal(output)
	if w.got == nil {
		w.got = map[string]string{}
	}
	w.got[token] = string(b)
	return w.answers[token]
}

// TestRetryWakesAnswersAndForgetsWhatIsDone: every recorded wake-up is
// answered with its recorded output, read by its object's own token; it is
// forgotten once answered, once its task closed, or when no task waits; a
// failure keeps it for the next run.
func TestRetryWakesAnswersAndForgetsWhatIsDone(t *testing.T) {
	at := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	out := json.RawMessage(`{"outcome":"replied"}`)
	s := &fakeWakes{
		pending: []PendingWake{
			{Target: WakeRequest, ID: "req_1", Output: out, At: at},
			{Target: WakeTicket, ID: "tkt_1", Output: json.RawMessage(`{"outcome":"reinstated"}`), At: at},
			{Target: WakeReport, ID: "rpt_1", Output: out, At: at},
			{Target: WakeAppeal, ID: "apl_1", Output: out, At: at},
			{Target: WakeRequest, ID: "req_none", Output: out, At: at},
		},
		tokens: map[string]string{"request/req_1": "t-req", "ticket/tkt_1": "t-tkt", "report/rpt_1": "t-rpt", "appeal/apl_1": "t-apl"},
	}
	w := &byToken{answers: map[string]error{"t-rpt": ErrTaskClosed, "t-apl": errors.New("throttled")}}
	n, err := RetryWakes(context.Background(), s, w, slog.New(slog.DiscardHandler))
	if n != 4 || err == nil {
		t.Errorf("RetryWakes = %d, %v; want 4 done (answered, answered, closed, none waiting) and the appeal's failure", n, err)
	}
	if w.got["t-req"] != `{"outcome":"replied"}` || w.got["t-tkt"] != `{"outcome":"reinstated"}` {
		t.Errorf("outputs sent = %v, want each wake-up's own", w.got)
	}
	want := map[string]bool{"request/req_1": true, "ticket/tkt_1": true, "report/rpt_1": true, "request/req_none": true}
	if len(s.cleared) != len(want) {
		t.Errorf("cleared %v, want %v", s.cleared, want)
	}
	for _, c := range s.cleared {
		if !want[c] {
			t.Errorf("cleared %s, which must stay for the next run", c)
		}
	}
}

// TestAFailedWakeIsRecordedForTheSweeper: when every attempt to wake a task
// fails, the use case records the wake-up with its target, id and output.
func TestAFailedWakeIsRecordedForTheSweeper(t *testing.T) {
	s := &fakeWakes{}
	a := New(Config{Store: recordingStore{w: s}, Waker: &flakyWaker{fail: 1000}, Clock: clock.NewManual(time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)),
		Logger: slog.New(slog.DiscardHandler)})
	read, _ := token("token", 0)
	a.wake(context.Background(), "reply", WakeRequest, "req_1", read, map[string]string{"outcome": "replied"})
	if len(s.pending) != 1 || s.pending[0].Target != WakeRequest || s.pending[0].ID != "req_1" || string(s.pending[0].Output) != `{"outcome":"replied"}` {
		t.Errorf("recorded %+v, want the request's wake-up with its output", s.pending)
	}
}

// recordingStore is a Store whose only method in use is RecordWake.
type recordingStore struct {
	Store
	w *fakeWakes
}

func (r recordingStore) RecordWake(ctx context.Context, w PendingWake) error {
	return r.w.RecordWake(ctx, w)
}
