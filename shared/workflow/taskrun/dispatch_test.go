package taskrun_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"strings"
	"testing"

	"github.com/candorhq/candor/shared/workflow/taskrun"
)

// run is what a test task sees: whether its objects were read.
type run struct{ read bool }

var dispatcher = taskrun.Dispatcher[run]{Kind: "test task", Tasks: map[string]taskrun.Task[run]{
	"reads":      taskrun.Reads(func(r run, _ context.Context) error { return nil }),
	"reads_for":  taskrun.ReadsFor(func(r run, _ context.Context) (taskrun.Result, error) { return taskrun.Result{Status: "done"}, nil }),
	"event_only": taskrun.EventOnly(func(r run, _ context.Context) error { return errors.New("ses throttled") }),
}}

// TestDispatchRefusesUnknownActionsBeforeAnyRead: a misspelt action in a
// state machine fails for good (no Retry mends it) and reads nothing.
func TestDispatchRefusesUnknownActionsBeforeAnyRead(t *testing.T) {
	log := slog.New(slog.DiscardHandler)
	begun := 0
	begin := func(_ context.Context, read bool) (run, error) { begun++; return run{read: read}, nil }
	_, err := dispatcher.Dispatch(context.Background(), log, "notify_everyone", begin)
	var perm *taskrun.PermanentError
	if !errors.As(err, &perm) || begun != 0 {
		t.Fatalf("unknown action: err %v (%T), begun %d times; want a PermanentError and no read", err, err, begun)
	}

	reads := map[string]bool{}
	record := func(action string) func(context.Context, bool) (run, error) {
		return func(_ context.Context, read bool) (run, error) { reads[action] = read; return run{read: read}, nil }
	}
	res, err := dispatcher.Dispatch(context.Background(), log, "reads_for", record("reads_for"))
	if err != nil || res.Status != "done" {
		t.Errorf("reads_for = %+v, %v; want status done", res, err)
	}
	if _, err := dispatcher.Dispatch(context.Background(), log, "reads", record("reads")); err != nil {
		t.Errorf("reads: %v", err)
	}
	_, err = dispatcher.Dispatch(context.Background(), log, "event_only", record("event_only"))
	var transient *taskrun.TransientError
	if !errors.As(err, &transient) {
		t.Errorf("event_only failing = %v (%T); want a TransientError (retried)", err, err)
	}
	if want := map[string]bool{"reads_for": true, "reads": true, "event_only": false}; len(reads) != 3 || reads["reads"] != want["reads"] || reads["reads_for"] != want["reads_for"] || reads["event_only"] {
		t.Errorf("read flags = %v, want %v", reads, want)
	}

	readFailed := errors.New("throughput exceeded")
	_, err = dispatcher.Dispatch(context.Background(), log, "reads", func(context.Context, bool) (run, error) { return run{}, readFailed })
	if !errors.Is(err, readFailed) || !errors.As(err, &transient) {
		t.Errorf("failed read = %v; want it, as a TransientError", err)
	}
	if got := dispatcher.Actions(); len(got) != 3 || got[0] != "event_only" || got[2] != "reads_for" {
		t.Errorf("Actions() = %v, want the three, sorted", got)
	}
}

// TestDispatchLogsEachTaskOnce: ops read one line per task, its outcome
// and, for a failure, the error's Step Functions name.
func TestDispatchLogsEachTaskOnce(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(slog.NewJSONHandler(&buf, nil))
	begin := func(_ context.Context, read bool) (run, error) { return run{read: read}, nil }
	lines := func() []map[string]any {
		var out []map[string]any
		for l := range strings.SplitSeq(strings.TrimSpace(buf.String()), "\n") {
			var m map[string]any
			if err := json.Unmarshal([]byte(l), &m); err != nil {
				t.Fatalf("log line %q: %v", l, err)
			}
			out = append(out, m)
		}
		buf.Reset()
		return out
	}
	_, _ = dispatcher.Dispatch(context.Background(), log, "reads_for", begin)
	if got := lines(); len(got) != 1 || got[0]["msg"] != "test task done" || got[0]["status"] != "done" || got[0]["level"] != "INFO" {
		t.Errorf("a task done logged %v, want one INFO line with its status", got)
	}
	_, _ = dispatcher.Dispatch(context.Background(), log, "notify_everyone", begin)
	if got := lines(); len(got) != 1 || got[0]["msg"] != "test task failed" || got[0]["errorType"] != "*taskrun.PermanentError" || got[0]["level"] != "ERROR" {
		t.Errorf("an unknown action logged %v, want one ERROR line naming a PermanentError", got)
	}
	_, _ = dispatcher.Dispatch(context.Background(), log, "event_only", begin)
	if got := lines(); len(got) != 1 || got[0]["errorType"] != "*taskrun.TransientError" {
		t.Errorf("a failed task logged %v, want one ERROR line naming a TransientError", got)
	}
}
