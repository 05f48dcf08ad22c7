package stepfunctions

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/candorhq/candor/shared/clock"
)

// restartDef waits (SecondsPath), calls a function that may fail once with
// a retryable error (30 s back-off), then hands out a task token and waits
// for it (heartbeat 30 min, timeout 1 h); a timeout ends in Late.
const restartDef = `{
  "StartAt": "Pause",
  "States": {
    "Pause": {"Type": "Wait", "SecondsPath": "$.pause", "Next": "Flaky"},
    "Flaky": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
      "Parameters": {"FunctionName": "flaky", "Payload": {"id.$": "$.id"}},
      "Retry": [{"ErrorEquals": ["TransientError"], "IntervalSeconds": 30, "MaxAttempts": 2}],
      "ResultPath": null, "Next": "Ask"},
    "Ask": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",
      "Parameters": {"FunctionName": "ask", "Payload": {"requestId.$": "$.id", "taskToken.$": "$$.Task.Token"}},
      "TimeoutSeconds": 3600, "HeartbeatSeconds": 1800, "ResultPath": "$.answer",
      "Catch": [{"ErrorEquals": ["States.Timeout"], "ResultPath": "$.late", "Next": "Late"}], "End": true},
    "Late": {"Type": "Pass", "Result": "late", "ResultPath": "$.answer", "End": true}
  }
}`

type TransientError struct{}

func (TransientError) Error() string { return "try again" }

// restartFuncs are the functions of restartDef; they count their calls by id.
type restartFuncs struct {
	mu    sync.Mutex
	calls map[string]int // "flaky/<id>", "ask/<id>"
	fail  map[string]bool
	r     *reviewer
}

func (f *restartFuncs) register(e *Engine) {
	e.RegisterFunction("flaky", fn(func(in map[string]any) (any, error) {
		id := in["id"].(string)
		f.mu.Lock()
		defer f.mu.Unlock()
		f.calls["flaky/"+id]++
		if f.fail[id] && f.calls["flaky/"+id] == 1 {
			return nil, TransientError{}
		}
		return map[string]any{}, nil
	}))
	ask := f.r.handler()
	e.RegisterFunction("ask", func(ctx context.Context, payload []byte) ([]byte, error) {
		var in struct{ RequestID string }
		json.Unmarshal(payload, &in)
		f.mu.Lock()
		f.calls["ask/"+in.RequestID]++
		f.mu.Unlock()
		return ask(ctx, payload)
	})
}

func (f *restartFuncs) count(key string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls[key]
}

// restarted is a new harness whose clock stands at at, with restartDef
// created and the functions registered, holding the executions of snap
// (after a trip through JSON, as a data file makes it).
func restarted(t *testing.T, snap *Snapshot, at time.Time, funcs *restartFuncs) (*harness, string) {
	t.Helper()
	b, err := json.Marshal(snap)
	if err != nil {
		t.Fatal(err)
	}
	var back Snapshot
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	h := newHarness(t)
	h.clk.Set(at)
	funcs.register(h.e)
	arn := h.create("restart", restartDef, nil)
	lost, err := h.e.Restore(&back)
	if err != nil || len(lost) > 0 {
		t.Fatalf("Restore = %v, %v; want every execution resumed", lost, err)
	}
	h.settle()
	return h, arn
}

// TestRestoredExecutionsGoOnWhereTheyWaited: executions snapshotted while
// waiting in a Wait state, in a retry's back-off and for task tokens are
// taken up by a new engine: they keep their ARNs and histories, a token
// handed out before answers the task after, no function is called again,
// and every deadline falls when it would have without the restart.
func TestRestoredExecutionsGoOnWhereTheyWaited(t *testing.T) {
	funcs := &restartFuncs{calls: map[string]int{}, fail: map[string]bool{"r": true}, r: &reviewer{tokens: map[string][]string{}}}
	h := newHarness(t)
	funcs.register(h.e)
	arn := h.create("restart", restartDef, nil)
	execs := map[string]string{}
	for _, x := range []struct{ id, input string }{
		{"done", `{"id": "done", "pause": 0}`},
		{"a", `{"id": "a", "pause": 0}`},    // waits for its token: answered after the restart
		{"h", `{"id": "h", "pause": 0}`},    // waits for its token: never answered, its heartbeat runs out
		{"w", `{"id": "w", "pause": 100}`},  // in the Wait state until epoch+100s
		{"r", `{"id": "r", "pause": 0}`},    // in the back-off until epoch+30s
		{"x", `{"id": "x", "pause": 4000}`}, // still waiting when the clock has passed its time (below)
	} {
		execs[x.id] = h.start(arn, x.id, x.input)
	}
	if _, err := h.client.SendTaskSuccess(h.ctx(), &sfn.SendTaskSuccessInput{TaskToken: aws.String(funcs.r.token(t, "done")), Output: aws.String(`"yes"`)}); err != nil {
		t.Fatal(err)
	}
	h.advance(20 * time.Second)
	doneHistory := len(h.history(execs["done"]))
	aHistory := h.history(execs["a"])
	snap, err := h.e.Snapshot(h.ctx())
	if err != nil {
		t.Fatal(err)
	}
	tokenA, tokenH, tokenDone := funcs.r.token(t, "a"), funcs.r.token(t, "h"), funcs.r.token(t, "done")

	t.Run("resumed on time", func(t *testing.T) {
		h2, _ := restarted(t, snap, epoch.Add(20*time.Second), funcs)
		// The execution that ended before keeps its outcome and history.
		if d := h2.describe(execs["done"]); d.Status != types.ExecutionStatusSucceeded || !jsonEqual(t, aws.ToString(d.Output), `{"id": "done", "pause": 0, "answer": "yes"}`) {
			t.Errorf("done after restore: %s %s", d.Status, aws.ToString(d.Output))
		}
		if n := len(h2.history(execs["done"])); n != doneHistory {
			t.Errorf("done has %d events after restore, %d before", n, doneHistory)
		}
		// Its token was answered before: it stays closed.
		_, err := h2.client.SendTaskSuccess(h2.ctx(), &sfn.SendTaskSuccessInput{TaskToken: aws.String(tokenDone), Output: aws.String(`{}`)})
		var timedOut *types.TaskTimedOut
		if !errors.As(err, &timedOut) {
			t.Errorf("answering an answered token after restore = %v, want TaskTimedOut", err)
		}
		// The token handed out before the restart answers the task.
		if _, err := h2.client.SendTaskSuccess(h2.ctx(), &sfn.SendTaskSuccessInput{TaskToken: aws.String(tokenA), Output: aws.String(`"ok"`)}); err != nil {
			t.Fatalf("answer a's token after restore: %v", err)
		}
		h2.settle()
		if d := h2.describe(execs["a"]); d.Status != types.ExecutionStatusSucceeded || !jsonEqual(t, aws.ToString(d.Output), `{"id": "a", "pause": 0, "answer": "ok"}`) {
			t.Errorf("a after its answer: %s %s", d.Status, aws.ToString(d.Output))
		}
		got := h2.history(execs["a"])
		if len(got) <= len(aHistory) || strings.Join(eventTypes(got[:len(aHistory)]), " ") != strings.Join(eventTypes(aHistory), " ") ||
			got[len(aHistory)].PreviousEventId != aHistory[len(aHistory)-1].Id {
			t.Errorf("a's history after restore does not continue the one before: %v then %v", eventTypes(aHistory), eventTypes(got))
		}
		// The back-off ends at epoch+30s, the Wait at epoch+100s, as without the restart.
		h2.advance(9 * time.Second)
		if n := funcs.count("flaky/r"); n != 1 {
			t.Errorf("r's function called %d times before its back-off ended, want 1", n)
		}
		h2.advance(time.Second)
		if n := funcs.count("flaky/r"); n != 2 {
			t.Errorf("r's function called %d times when its back-off ended, want 2", n)
		}
		h2.advance(69 * time.Second)
		if n := funcs.count("flaky/w"); n != 0 {
			t.Errorf("w left its Wait state before its time")
		}
		h2.advance(time.Second)
		if n := funcs.count("flaky/w"); n != 1 {
			t.Errorf("w did not leave its Wait state at its time")
		}
		// h's heartbeat runs out 30 min after its task began, at epoch+1800s.
		h2.advance(1800*time.Second - 100*time.Second - time.Second)
		if d := h2.describe(execs["h"]); d.Status != types.ExecutionStatusRunning {
			t.Errorf("h ended before its heartbeat ran out: %s", d.Status)
		}
		h2.advance(time.Second)
		d := h2.describe(execs["h"])
		if d.Status != types.ExecutionStatusSucceeded || !strings.Contains(aws.ToString(d.Output), `"late"`) || !aws.ToTime(d.StopDate).Equal(epoch.Add(1800*time.Second)) {
			t.Errorf("h at its heartbeat: %s %s stopped %v, want late at %v", d.Status, aws.ToString(d.Output), aws.ToTime(d.StopDate), epoch.Add(1800*time.Second))
		}
		// Nobody was asked twice: the tokens of a and h were kept.
		for _, id := range []string{"a", "h", "done"} {
			if n := funcs.count("ask/" + id); n != 1 {
				t.Errorf("%s's reviewer was asked %d times, want once", id, n)
			}
		}
	})

	t.Run("overdue timers fire at the start", func(t *testing.T) {
		funcs.calls = map[string]int{}
		// The clock stands past every deadline of the snapshot.
		h3, _ := restarted(t, snap, epoch.Add(5000*time.Second), funcs)
		h3.advance(0)
		for id, want := range map[string]string{"h": "late", "x": "", "a": "late"} {
			d := h3.describe(execs[id])
			switch {
			case want == "late" && (d.Status != types.ExecutionStatusSucceeded || !strings.Contains(aws.ToString(d.Output), `"late"`)):
				t.Errorf("%s after a restart past its timeout: %s %s, want it timed out", id, d.Status, aws.ToString(d.Output))
			case want == "" && d.Status != types.ExecutionStatusRunning:
				t.Errorf("%s: %s, want it waiting for its token", id, d.Status)
			}
		}
		if n := funcs.count("flaky/x"); n != 1 {
			t.Errorf("x's Wait, past its time at the start, did not end: flaky called %d times", n)
		}
		_, err := h3.client.SendTaskSuccess(h3.ctx(), &sfn.SendTaskSuccessInput{TaskToken: aws.String(tokenH), Output: aws.String(`{}`)})
		var timedOut *types.TaskTimedOut
		if !errors.As(err, &timedOut) {
			t.Errorf("answering h's token after its deadline = %v, want TaskTimedOut", err)
		}
	})
}

// TestRestoreNamesWhatItCannotResume: an execution waiting inside a
// Parallel state is not resumed; Restore names it with the reason, and it
// is closed ABORTED with that reason rather than left running forever.
func TestRestoreNamesWhatItCannotResume(t *testing.T) {
	const def = `{"StartAt": "Both", "States": {"Both": {"Type": "Parallel", "End": true, "Branches": [
	  {"StartAt": "Nap", "States": {"Nap": {"Type": "Wait", "Seconds": 60, "End": true}}}]}}}`
	h := newHarness(t)
	arn := h.create("branches", def, nil)
	x := h.start(arn, "inside", `{}`)
	snap, err := h.e.Snapshot(h.ctx())
	if err != nil {
		t.Fatal(err)
	}
	h2 := newHarness(t)
	h2.create("branches", def, nil)
	lost, err := h2.e.Restore(snap)
	if err != nil || len(lost) != 1 || lost[0].ARN != x || lost[0].StateMachine != "branches" || !strings.Contains(lost[0].Reason, "Parallel") {
		t.Fatalf("Restore = %+v, %v; want the execution inside the Parallel state named", lost, err)
	}
	if d := h2.describe(x); d.Status != types.ExecutionStatusAborted || !strings.Contains(aws.ToString(d.Cause), "could not resume") {
		t.Errorf("the execution not resumed is %s (%s), want ABORTED with the reason", d.Status, aws.ToString(d.Cause))
	}
}

// BenchmarkSnapshotRestore writes down 1,000 executions waiting for their
// task tokens, through JSON as a data file holds them, and takes them up in
// a new engine. It reports the bytes a waiting execution takes in the file.
func BenchmarkSnapshotRestore(b *testing.B) {
	const n = 1000
	ctx := context.Background()
	funcs := &restartFuncs{calls: map[string]int{}, fail: map[string]bool{}, r: &reviewer{tokens: map[string][]string{}}}
	e := New(Config{Clock: clock.NewManual(epoch)})
	b.Cleanup(e.Close)
	funcs.register(e)
	arn, err := e.CreateStateMachine(ctx, "restart", []byte(restartDef), nil)
	if err != nil {
		b.Fatal(err)
	}
	for i := range n {
		if _, err := e.startExecution(arn, fmt.Sprintf("x%d", i), fmt.Sprintf(`{"id": "x%d", "pause": 0}`, i)); err != nil {
			b.Fatal(err)
		}
	}
	if err := e.Settle(ctx); err != nil {
		b.Fatal(err)
	}
	var size int
	b.ResetTimer()
	for range b.N {
		snap, err := e.Snapshot(ctx)
		if err != nil {
			b.Fatal(err)
		}
		raw, err := json.Marshal(snap)
		if err != nil {
			b.Fatal(err)
		}
		size = len(raw)
		var back Snapshot
		if err := json.Unmarshal(raw, &back); err != nil {
			b.Fatal(err)
		}
		e2 := New(Config{Clock: clock.NewManual(epoch)})
		funcs.register(e2)
		if _, err := e2.CreateStateMachine(ctx, "restart", []byte(restartDef), nil); err != nil {
			b.Fatal(err)
		}
		if lost, err := e2.Restore(&back); err != nil || len(lost) > 0 {
			b.Fatal(lost, err)
		}
		if err := e2.Settle(ctx); err != nil {
			b.Fatal(err)
		}
		e2.Close()
	}
	b.ReportMetric(float64(size)/n, "bytes/execution")
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N)/n, "µs/execution")
}
