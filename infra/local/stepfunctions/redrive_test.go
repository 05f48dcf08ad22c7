package stepfunctions

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
)

// redrive calls RedriveExecution through the sfn client.
func (h *harness) redrive(execArn, clientToken string) (*sfn.RedriveExecutionOutput, error) {
	h.t.Helper()
	in := &sfn.RedriveExecutionInput{ExecutionArn: aws.String(execArn)}
	if clientToken != "" {
		in.ClientToken = aws.String(clientToken)
	}
	out, err := h.client.RedriveExecution(h.ctx(), in)
	h.settle()
	return out, err
}

// mustRedrive redrives and fails the test on an error.
func (h *harness) mustRedrive(execArn string) time.Time {
	h.t.Helper()
	out, err := h.redrive(execArn, "")
	if err != nil {
		h.t.Fatalf("redrive execution: %v", err)
	}
	return aws.ToTime(out.RedriveDate)
}

// countEntered counts the …StateEntered events of the state name.
func countEntered(events []types.HistoryEvent, name string) int {
	n := 0
	for _, ev := range events {
		if ev.StateEnteredEventDetails != nil && aws.ToString(ev.StateEnteredEventDetails.Name) == name {
			n++
		}
	}
	return n
}

func eventsOf(events []types.HistoryEvent, typ types.HistoryEventType) []types.HistoryEvent {
	var out []types.HistoryEvent
	for _, ev := range events {
		if ev.Type == typ {
			out = append(out, ev)
		}
	}
	return out
}

// flakyFunction is a Lambda handler that fails with a plain error while
// broken, and otherwise answers {"ok": true, "got": <payload>}. It records
// every payload it receives.
type flakyFunction struct {
	mu       sync.Mutex
	failures int // how many more calls fail
	payloads []string
}

func (f *flakyFunction) handler() LambdaFunc {
	return func(_ context.Context, payload []byte) ([]byte, error) {
		f.mu.Lock()
		defer f.mu.Unlock()
		f.payloads = append(f.payloads, string(payload))
		if f.failures > 0 {
			f.failures--
			return nil, errors.New("the reviewer store is unreachable")
		}
		return json.Marshal(map[string]any{"ok": true, "got": json.RawMessage(payload)})
	}
}

func (f *flakyFunction) calls() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.payloads)
}

const redriveTaskMachine = `{
  "StartAt": "Prepare",
  "States": {
    "Prepare": {"Type": "Pass", "Parameters": {"request.$": "$.request", "step": "prepared"}, "Next": "Notify"},
    "Notify": {
      "Type": "Task",
      "Resource": "arn:aws:states:::lambda:invoke",
      "Parameters": {"FunctionName": "candor-notify", "Payload": {"request.$": "$.request", "redrives.$": "$$.Execution.RedriveCount", "retry.$": "$$.State.RetryCount"}},
      "ResultSelector": {"ok.$": "$.Payload.ok"},
      "ResultPath": "$.notified",
      "Retry": [{"ErrorEquals": ["errorString"], "IntervalSeconds": 1, "MaxAttempts": 1, "BackoffRate": 1}],
      "Next": "Done"
    },
    "Done": {"Type": "Pass", "End": true}
  }
}`

// The product's case: a Lambda task whose handler returns an error, caught
// by no Catch, fails the execution; once the cause is fixed, a redrive
// re-runs that task (not the states before it) with the input it had, its
// retry budget fresh, and the execution succeeds with a well-formed history.
func TestRedriveFailedLambdaTask(t *testing.T) {
	h := newHarness(t)
	notify := &flakyFunction{failures: 2}
	h.e.RegisterFunction("candor-notify", notify.handler())
	arn := h.create("redrive-task", redriveTaskMachine, nil)
	x := h.start(arn, "req-1", `{"request": "r-1"}`)
	h.advance(time.Second) // the retry, which fails too
	d := h.describe(x)
	if d.Status != types.ExecutionStatusFailed || aws.ToString(d.Error) != "errorString" {
		t.Fatalf("first attempt: %s %s, want FAILED errorString", d.Status, aws.ToString(d.Error))
	}
	if d.RedriveStatus != types.ExecutionRedriveStatusRedrivable || d.RedriveStatusReason != nil || aws.ToInt32(d.RedriveCount) != 0 || d.RedriveDate != nil {
		t.Errorf("failed execution: redrive status %s (%v), count %d, date %v; want REDRIVABLE, 0, none", d.RedriveStatus, aws.ToString(d.RedriveStatusReason), aws.ToInt32(d.RedriveCount), d.RedriveDate)
	}
	before := h.history(x)

	// The cause is fixed, except that the first call after the redrive still
	// fails: the task's Retry must have its attempt again.
	notify.mu.Lock()
	notify.failures = 1
	notify.mu.Unlock()
	h.advance(time.Hour)
	redriveDate := h.mustRedrive(x)
	if !redriveDate.Equal(h.clk.Now()) {
		t.Errorf("redrive date %s, want now (%s)", redriveDate, h.clk.Now())
	}
	if got := h.describe(x).Status; got != types.ExecutionStatusRunning {
		t.Fatalf("after the redrive (retry pending): %s, want RUNNING", got)
	}
	h.advance(time.Second)

	d = h.describe(x)
	if d.Status != types.ExecutionStatusSucceeded || d.StopDate == nil || d.Error != nil {
		t.Fatalf("after the redrive: %s (error %v), want SUCCEEDED", d.Status, aws.ToString(d.Error))
	}
	if !jsonEqual(t, aws.ToString(d.Output), `{"request": "r-1", "step": "prepared", "notified": {"ok": true}}`) {
		t.Errorf("output %s", aws.ToString(d.Output))
	}
	if aws.ToInt32(d.RedriveCount) != 1 || !aws.ToTime(d.RedriveDate).Equal(redriveDate) {
		t.Errorf("redriveCount %d, redriveDate %v; want 1, %s", aws.ToInt32(d.RedriveCount), d.RedriveDate, redriveDate)
	}
	if d.RedriveStatus != types.ExecutionRedriveStatusNotRedrivable || aws.ToString(d.RedriveStatusReason) != "Execution is SUCCEEDED and cannot be redriven" {
		t.Errorf("succeeded execution: %s %q", d.RedriveStatus, aws.ToString(d.RedriveStatusReason))
	}

	// The task got the same input each time; the context object counts
	// the redrive, and the retry counter starts again from 0.
	calls := notify.calls()
	want := []string{
		`{"redrives":0,"request":"r-1","retry":0}`, `{"redrives":0,"request":"r-1","retry":1}`,
		`{"redrives":1,"request":"r-1","retry":0}`, `{"redrives":1,"request":"r-1","retry":1}`,
	}
	if !slices.Equal(calls, want) {
		t.Errorf("payloads %v, want %v", calls, want)
	}

	events := h.history(x)
	if err := CheckHistory(events, types.ExecutionStatusSucceeded); err != nil {
		t.Errorf("history: %v", err)
	}
	if !slices.Equal(eventTypes(events[:len(before)]), eventTypes(before)) {
		t.Errorf("the first attempt's events changed")
	}
	rd := events[len(before)]
	if rd.Type != types.HistoryEventTypeExecutionRedriven || rd.PreviousEventId != before[len(before)-1].Id ||
		rd.ExecutionRedrivenEventDetails == nil || aws.ToInt32(rd.ExecutionRedrivenEventDetails.RedriveCount) != 1 {
		t.Fatalf("event after the failure: %+v, want ExecutionRedriven (redriveCount 1) following event %d", rd, before[len(before)-1].Id)
	}
	next := events[len(before)+1]
	if next.Type != types.HistoryEventTypeTaskStateEntered || aws.ToString(next.StateEnteredEventDetails.Name) != "Notify" || next.PreviousEventId != rd.Id {
		t.Errorf("first event of the redrive: %s %v, want TaskStateEntered Notify after ExecutionRedriven", next.Type, next.StateEnteredEventDetails)
	}
	if !jsonEqual(t, aws.ToString(next.StateEnteredEventDetails.Input), `{"request": "r-1", "step": "prepared"}`) {
		t.Errorf("the task was re-entered with %s", aws.ToString(next.StateEnteredEventDetails.Input))
	}
	if n := countEntered(events, "Prepare"); n != 1 {
		t.Errorf("Prepare entered %d times, want 1 (a succeeded state is not re-run)", n)
	}
	if n := len(eventsOf(events, types.HistoryEventTypeExecutionStarted)); n != 1 {
		t.Errorf("%d ExecutionStarted events, want 1", n)
	}
}

// Refused redrives: ExecutionNotRedrivable with the reason, and nothing
// changes.
func TestRedriveRefused(t *testing.T) {
	h := newHarness(t, func(c *Config) { c.MaxHistoryEvents = 12 })
	failing := `{"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "Broken"}}}`
	arn := h.create("refused", failing, nil)
	succeeded := h.start(h.create("ok", `{"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}`, nil), "ok-1", `{}`)
	month := `{"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 2592000, "End": true}}}`
	running := h.start(h.create("waits", month, nil), "run-1", `{}`)
	stale := h.start(arn, "stale", `{}`)
	h.advance(redrivablePeriod + time.Second)
	fresh := h.start(arn, "fresh", `{}`)
	// A history with no room left: 11 Pass states fill a 12-event history.
	loop := `{"StartAt": "L", "States": {"L": {"Type": "Pass", "Next": "L"}}}`
	full := h.start(h.create("loop", loop, nil), "full", `{}`)
	if d := h.describe(full); d.Status != types.ExecutionStatusFailed {
		t.Fatalf("the looping execution is %s, want FAILED by the history limit", d.Status)
	}
	missing := strings.Replace(fresh, ":fresh", ":nope", 1)

	cases := []struct {
		name, arn, token string
		wantCode         string
		wantReason       string
	}{
		{"succeeded", succeeded, "", "ExecutionNotRedrivable", "Execution is SUCCEEDED and cannot be redriven"},
		{"running", running, "", "ExecutionNotRedrivable", "Execution is RUNNING and cannot be redriven"},
		{"past the redrivable period", stale, "", "ExecutionNotRedrivable", "Execution redrivable period exceeded"},
		{"history full", full, "", "ExecutionNotRedrivable", "Execution history event limit exceeded"},
		{"unknown execution", missing, "", "ExecutionDoesNotExist", ""},
		{"not an execution ARN", arn, "", "InvalidArn", ""},
		{"client token too long", fresh, strings.Repeat("t", 65), "ValidationException", ""},
		{"client token with a space", fresh, "a b", "ValidationException", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var before []types.HistoryEvent
			if tc.wantCode != "ExecutionDoesNotExist" && tc.wantCode != "InvalidArn" {
				before = h.history(tc.arn)
			}
			_, err := h.redrive(tc.arn, tc.token)
			var code string
			switch {
			case errorIs[*types.ExecutionNotRedrivable](err):
				code = "ExecutionNotRedrivable"
			case errorIs[*types.ExecutionDoesNotExist](err):
				code = "ExecutionDoesNotExist"
			case errorIs[*types.InvalidArn](err):
				code = "InvalidArn"
			case errorIs[*types.ValidationException](err):
				code = "ValidationException"
			}
			if code != tc.wantCode || !strings.Contains(err.Error(), tc.wantReason) {
				t.Fatalf("redrive: %v, want %s %q", err, tc.wantCode, tc.wantReason)
			}
			if before == nil {
				return
			}
			if after := h.history(tc.arn); len(after) != len(before) {
				t.Errorf("a refused redrive recorded %d events", len(after)-len(before))
			}
			d := h.describe(tc.arn)
			if aws.ToInt32(d.RedriveCount) != 0 {
				t.Errorf("redriveCount %d after a refused redrive", aws.ToInt32(d.RedriveCount))
			}
			if tc.wantReason != "" && (d.RedriveStatus != types.ExecutionRedriveStatusNotRedrivable || aws.ToString(d.RedriveStatusReason) != tc.wantReason) {
				t.Errorf("describe: %s %q, want NOT_REDRIVABLE %q", d.RedriveStatus, aws.ToString(d.RedriveStatusReason), tc.wantReason)
			}
		})
	}
	// The fresh failure is redrivable, and fails again at its Fail state.
	if _, err := h.redrive(fresh, ""); err != nil {
		t.Fatalf("redrive of a fresh failure: %v", err)
	}
	if d := h.describe(fresh); d.Status != types.ExecutionStatusFailed || aws.ToInt32(d.RedriveCount) != 1 || d.RedriveStatus != types.ExecutionRedriveStatusRedrivable {
		t.Errorf("fresh after its redrive: %s, count %d, %s", d.Status, aws.ToInt32(d.RedriveCount), d.RedriveStatus)
	}
}

// A client token makes RedriveExecution idempotent: the same token answers
// the same redrive date and redrives nothing more, for 15 minutes.
func TestRedriveClientToken(t *testing.T) {
	h := newHarness(t)
	arn := h.create("token", `{"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 3600, "End": true}}}`, nil)
	x := h.start(arn, "tok-1", `{}`)
	if _, err := h.client.StopExecution(h.ctx(), &sfn.StopExecutionInput{ExecutionArn: aws.String(x)}); err != nil {
		t.Fatal(err)
	}
	first, err := h.redrive(x, "retry-button-1")
	if err != nil {
		t.Fatalf("redrive: %v", err)
	}
	h.advance(time.Minute)
	again, err := h.redrive(x, "retry-button-1")
	if err != nil || !aws.ToTime(again.RedriveDate).Equal(aws.ToTime(first.RedriveDate)) {
		t.Fatalf("the same token again: %v %v, want date %v", again, err, first.RedriveDate)
	}
	if _, err := h.redrive(x, "retry-button-2"); !errorIs[*types.ExecutionNotRedrivable](err) {
		t.Errorf("another token while running: %v, want ExecutionNotRedrivable", err)
	}
	h.advance(15 * time.Minute)
	if _, err := h.redrive(x, "retry-button-1"); !errorIs[*types.ExecutionNotRedrivable](err) {
		t.Errorf("the token after 15 minutes: %v, want ExecutionNotRedrivable", err)
	}
	events := h.history(x)
	if n := len(eventsOf(events, types.HistoryEventTypeExecutionRedriven)); n != 1 {
		t.Errorf("%d ExecutionRedriven events, want 1", n)
	}
	if n := aws.ToInt32(h.describe(x).RedriveCount); n != 1 {
		t.Errorf("redriveCount %d, want 1", n)
	}
	h.advance(time.Hour)
	if d := h.describe(x); d.Status != types.ExecutionStatusSucceeded {
		t.Errorf("after the wait: %s, want SUCCEEDED", d.Status)
	}
}

// In a Parallel state only the branches that failed or were aborted run
// again; in a Map state only those iterations. The results of the others
// are kept.
func TestRedriveParallelAndMapRerunOnlyUnsuccessfulChildren(t *testing.T) {
	h := newHarness(t)
	counts := map[string]int{}
	var mu sync.Mutex
	broken := map[string]bool{"b": true, "item-1": true}
	h.e.RegisterFunction("candor-work", fn(func(in map[string]any) (any, error) {
		mu.Lock()
		defer mu.Unlock()
		key := in["key"].(string)
		counts[key]++
		if broken[key] {
			return nil, errors.New("down")
		}
		return map[string]any{"done": key}, nil
	}))
	task := func(key string) string {
		return `{"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:000000000000:function:candor-work", "Parameters": {"key": "` + key + `"}, "End": true}`
	}
	def := `{"StartAt": "Both", "States": {
	  "Both": {"Type": "Parallel", "Next": "Each", "ResultPath": "$.branches", "Branches": [
	    {"StartAt": "A", "States": {"A": ` + task("a") + `}},
	    {"StartAt": "B0", "States": {"B0": {"Type": "Wait", "Seconds": 1, "Next": "B"}, "B": ` + task("b") + `}},
	    {"StartAt": "C", "States": {"C": {"Type": "Wait", "Seconds": 60, "Next": "C2"}, "C2": ` + task("c") + `}}
	  ]},
	  "Each": {"Type": "Map", "ItemsPath": "$.items", "ResultPath": "$.mapped", "MaxConcurrency": 1, "End": true,
	    "ItemSelector": {"key.$": "$$.Map.Item.Value"},
	    "ItemProcessor": {"StartAt": "Work", "States": {"Work": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:000000000000:function:candor-work", "End": true}}}}
	}}`
	arn := h.create("groups", def, nil)
	x := h.start(arn, "g-1", `{"items": ["item-0", "item-1", "item-2"]}`)
	// B fails a second in, when every branch has entered its first state:
	// which branches had started when one failed is otherwise a race.
	h.advance(time.Second)
	if d := h.describe(x); d.Status != types.ExecutionStatusFailed {
		t.Fatalf("first attempt: %s, want FAILED in branch B", d.Status)
	}
	mu.Lock()
	broken["b"] = false
	mu.Unlock()
	h.mustRedrive(x)
	h.advance(time.Minute) // branch C's Wait, entered again
	if d := h.describe(x); d.Status != types.ExecutionStatusFailed || aws.ToString(d.Error) != "errorString" {
		t.Fatalf("second attempt: %s %s, want FAILED in the Map's item-1", d.Status, aws.ToString(d.Error))
	}
	mu.Lock()
	broken["item-1"] = false
	mu.Unlock()
	h.mustRedrive(x)

	d := h.describe(x)
	if d.Status != types.ExecutionStatusSucceeded || aws.ToInt32(d.RedriveCount) != 2 {
		t.Fatalf("third attempt: %s (redriveCount %d), want SUCCEEDED after 2 redrives", d.Status, aws.ToInt32(d.RedriveCount))
	}
	want := `{"items": ["item-0", "item-1", "item-2"],
	  "branches": [{"done": "a"}, {"done": "b"}, {"done": "c"}],
	  "mapped": [{"done": "item-0"}, {"done": "item-1"}, {"done": "item-2"}]}`
	if !jsonEqual(t, aws.ToString(d.Output), want) {
		t.Errorf("output %s, want %s", aws.ToString(d.Output), want)
	}
	mu.Lock()
	got := map[string]int{}
	for k, v := range counts {
		got[k] = v
	}
	mu.Unlock()
	wantCounts := map[string]int{"a": 1, "b": 2, "c": 1, "item-0": 1, "item-1": 2, "item-2": 1}
	for k, n := range wantCounts {
		if got[k] != n {
			t.Errorf("%s ran %d times, want %d (counts %v)", k, got[k], n, got)
		}
	}
	events := h.history(x)
	if n := countEntered(events, "B0"); n != 1 {
		t.Errorf("B0 (its wait over before B failed) entered %d times, want 1", n)
	}
	if n := countEntered(events, "C"); n != 2 {
		t.Errorf("C (aborted when B failed) entered %d times, want 2", n)
	}
	if n := countEntered(events, "Both"); n != 2 {
		t.Errorf("the Parallel state entered %d times, want 2 (the first attempt and the first redrive)", n)
	}
	if err := CheckHistory(events, types.ExecutionStatusSucceeded); err != nil {
		t.Errorf("history: %v", err)
	}
}

// A redriven .waitForTaskToken task issues a new token, the old one is
// closed, and the task's timeout counts from the redrive.
func TestRedriveCallbackTaskNewTokenAndTimeout(t *testing.T) {
	h := newHarness(t)
	r := &reviewer{tokens: map[string][]string{}}
	h.e.RegisterFunction("candor-ask-reviewer", r.handler())
	def := `{"StartAt": "Ask", "States": {"Ask": {"Type": "Task",
	  "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken", "TimeoutSeconds": 3600,
	  "Parameters": {"FunctionName": "candor-ask-reviewer", "Payload": {"requestId.$": "$.requestId", "taskToken.$": "$$.Task.Token"}},
	  "End": true}}}`
	arn := h.create("ask", def, nil)
	x := h.start(arn, "ask-1", `{"requestId": "q-1"}`)
	oldToken := r.token(t, "q-1")
	h.advance(time.Hour)
	if d := h.describe(x); d.Status != types.ExecutionStatusFailed || aws.ToString(d.Error) != "States.Timeout" {
		t.Fatalf("first attempt: %s %s, want FAILED States.Timeout", d.Status, aws.ToString(d.Error))
	}
	h.advance(2 * time.Hour)
	redriveDate := h.mustRedrive(x)
	newToken := r.token(t, "q-1")
	if newToken == oldToken {
		t.Fatal("the redriven task got the old token")
	}
	if timers := h.e.PendingTimers(); len(timers) != 1 || !timers[0].Equal(redriveDate.Add(time.Hour)) {
		t.Errorf("pending timers %v, want the task timeout at %s (an hour after the redrive)", timers, redriveDate.Add(time.Hour))
	}
	if _, err := h.client.SendTaskSuccess(h.ctx(), &sfn.SendTaskSuccessInput{TaskToken: aws.String(oldToken), Output: aws.String(`{}`)}); !errorIs[*types.TaskTimedOut](err) {
		t.Errorf("the first attempt's token: %v, want TaskTimedOut", err)
	}
	h.advance(59 * time.Minute)
	if d := h.describe(x); d.Status != types.ExecutionStatusRunning {
		t.Fatalf("59 minutes after the redrive: %s, want RUNNING", d.Status)
	}
	if _, err := h.client.SendTaskSuccess(h.ctx(), &sfn.SendTaskSuccessInput{TaskToken: aws.String(newToken), Output: aws.String(`{"answer": "yes"}`)}); err != nil {
		t.Fatalf("send task success with the new token: %v", err)
	}
	h.settle()
	if d := h.describe(x); d.Status != types.ExecutionStatusSucceeded || aws.ToString(d.Output) != `{"answer":"yes"}` {
		t.Errorf("after the answer: %s %s", d.Status, aws.ToString(d.Output))
	}

	// A second execution times out again, an hour after its redrive.
	y := h.start(arn, "ask-2", `{"requestId": "q-2"}`)
	h.advance(time.Hour)
	h.advance(30 * time.Minute)
	second := h.mustRedrive(y)
	h.advance(time.Hour)
	events := h.history(y)
	timedOut := eventsOf(events, types.HistoryEventTypeTaskTimedOut)
	if len(timedOut) != 2 || !aws.ToTime(timedOut[1].Timestamp).Equal(second.Add(time.Hour)) {
		t.Errorf("task timeouts %v, want the second at %s", timedOut, second.Add(time.Hour))
	}
	if d := h.describe(y); d.Status != types.ExecutionStatusFailed {
		t.Errorf("ask-2: %s, want FAILED again", d.Status)
	}
}

// Aborted and timed-out executions are redriven from the state that was
// running; the machine's TimeoutSeconds counts again from the redrive.
func TestRedriveAbortedAndTimedOut(t *testing.T) {
	h := newHarness(t)
	def := `{"TimeoutSeconds": 100, "StartAt": "W1", "States": {
	  "W1": {"Type": "Wait", "Seconds": 60, "Next": "W2"},
	  "W2": {"Type": "Wait", "Seconds": 60, "End": true}}}`
	arn := h.create("timeouts", def, nil)
	x := h.start(arn, "to-1", `{}`)
	h.advance(100 * time.Second)
	if d := h.describe(x); d.Status != types.ExecutionStatusTimedOut || d.RedriveStatus != types.ExecutionRedriveStatusRedrivable {
		t.Fatalf("first attempt: %s %s, want TIMED_OUT and REDRIVABLE", d.Status, d.RedriveStatus)
	}
	h.advance(time.Hour)
	h.mustRedrive(x)
	h.advance(59 * time.Second)
	if d := h.describe(x); d.Status != types.ExecutionStatusRunning {
		t.Fatalf("59 s into the redrive: %s, want RUNNING", d.Status)
	}
	h.advance(time.Second)
	if d := h.describe(x); d.Status != types.ExecutionStatusSucceeded {
		t.Fatalf("after W2: %s, want SUCCEEDED (the execution timeout restarted at the redrive)", d.Status)
	}
	events := h.history(x)
	if countEntered(events, "W1") != 1 || countEntered(events, "W2") != 2 {
		t.Errorf("W1 entered %d times, W2 %d; want 1 and 2", countEntered(events, "W1"), countEntered(events, "W2"))
	}

	y := h.start(arn, "stop-1", `{}`)
	if _, err := h.client.StopExecution(h.ctx(), &sfn.StopExecutionInput{ExecutionArn: aws.String(y), Error: aws.String("Operator")}); err != nil {
		t.Fatal(err)
	}
	again := h.mustRedrive(y)
	h.advance(99 * time.Second)
	if d := h.describe(y); d.Status != types.ExecutionStatusRunning {
		t.Errorf("redriven stop-1 after 99 s: %s, want RUNNING", d.Status)
	}
	h.advance(time.Second)
	if d := h.describe(y); d.Status != types.ExecutionStatusTimedOut || !aws.ToTime(d.StopDate).Equal(again.Add(100*time.Second)) {
		t.Errorf("redriven stop-1 after 100 s: %s at %v, want TIMED_OUT at %s (in W2)", d.Status, d.StopDate, again.Add(100*time.Second))
	}
	if n := countEntered(h.history(y), "W1"); n != 2 {
		t.Errorf("W1 of stop-1 entered %d times, want 2 (it was aborted)", n)
	}
}

// ListExecutions filters on redriveFilter and lists redriveCount.
func TestListExecutionsRedriveFilter(t *testing.T) {
	h := newHarness(t)
	arn := h.create("filter", `{"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "E"}}}`, nil)
	redriven := h.start(arn, "redriven", `{}`)
	h.start(arn, "plain", `{}`)
	h.mustRedrive(redriven)
	list := func(filter types.ExecutionRedriveFilter) []string {
		out, err := h.client.ListExecutions(h.ctx(), &sfn.ListExecutionsInput{StateMachineArn: aws.String(arn), RedriveFilter: filter})
		if err != nil {
			t.Fatalf("list executions %s: %v", filter, err)
		}
		var names []string
		for _, x := range out.Executions {
			names = append(names, aws.ToString(x.Name))
			if aws.ToString(x.ExecutionArn) == redriven && (aws.ToInt32(x.RedriveCount) != 1 || x.RedriveDate == nil) {
				t.Errorf("list item of the redriven execution: count %d, date %v", aws.ToInt32(x.RedriveCount), x.RedriveDate)
			}
		}
		return names
	}
	if got := list(types.ExecutionRedriveFilterRedriven); !slices.Equal(got, []string{"redriven"}) {
		t.Errorf("REDRIVEN: %v", got)
	}
	if got := list(types.ExecutionRedriveFilterNotRedriven); !slices.Equal(got, []string{"plain"}) {
		t.Errorf("NOT_REDRIVEN: %v", got)
	}
	if got := list(""); len(got) != 2 {
		t.Errorf("no filter: %v", got)
	}
	if _, err := h.client.ListExecutions(h.ctx(), &sfn.ListExecutionsInput{StateMachineArn: aws.String(arn), RedriveFilter: "SOMETIMES"}); !errorIs[*types.ValidationException](err) {
		t.Errorf("bad redriveFilter: %v, want ValidationException", err)
	}
}

// The AWS CLI redrives an execution and sees its redrive in
// describe-execution and list-executions --redrive-filter.
func TestAWSCLIRedrive(t *testing.T) {
	t.Parallel() // each runs its own engine; the CLI's start-up dominates the package's time
	cli, err := exec.LookPath("aws")
	if err != nil {
		t.Skip("the AWS CLI is not installed (apt-get install awscli); skipping the CLI check")
	}
	h := newHarness(t)
	notify := &flakyFunction{failures: 2}
	h.e.RegisterFunction("candor-notify", notify.handler())
	arn := h.create("cli-redrive", redriveTaskMachine, nil)
	x := h.start(arn, "cli-1", `{"request": "r-cli"}`)
	h.advance(time.Second)
	run := func(args ...string) (map[string]any, string) {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		cmd := exec.CommandContext(ctx, cli, append([]string{"--endpoint-url", h.url, "--region", "us-east-1", "--output", "json", "stepfunctions"}, args...)...)
		cmd.Env = append(os.Environ(), "AWS_ACCESS_KEY_ID=AKIDLOCAL", "AWS_SECRET_ACCESS_KEY=local", "AWS_MAX_ATTEMPTS=1", "AWS_EC2_METADATA_DISABLED=true", "AWS_PAGER=")
		out, err := cmd.CombinedOutput()
		var m map[string]any
		if err == nil {
			if jerr := json.Unmarshal(out, &m); jerr != nil {
				t.Fatalf("aws %v: %s: %v", args, out, jerr)
			}
		}
		return m, string(out)
	}
	if m, out := run("describe-execution", "--execution-arn", x); m == nil || m["status"] != "FAILED" || m["redriveStatus"] != "REDRIVABLE" {
		t.Fatalf("describe-execution before the redrive: %s", out)
	}
	if m, out := run("redrive-execution", "--execution-arn", x); m == nil || m["redriveDate"] == nil {
		t.Fatalf("redrive-execution: %s", out)
	}
	h.settle()
	m, out := run("describe-execution", "--execution-arn", x)
	if m == nil || m["status"] != "SUCCEEDED" || m["redriveCount"] != float64(1) || m["redriveDate"] == nil || m["redriveStatus"] != "NOT_REDRIVABLE" {
		t.Errorf("describe-execution after the redrive: %s", out)
	}
	if _, out := run("redrive-execution", "--execution-arn", x); !strings.Contains(out, "ExecutionNotRedrivable") {
		t.Errorf("redrive-execution of a succeeded execution: %s, want ExecutionNotRedrivable", out)
	}
	if m, out := run("list-executions", "--state-machine-arn", arn, "--redrive-filter", "REDRIVEN"); m == nil || !strings.Contains(out, x) {
		t.Errorf("list-executions --redrive-filter REDRIVEN: %s", out)
	}
	if m, out := run("list-executions", "--state-machine-arn", arn, "--redrive-filter", "NOT_REDRIVEN"); m == nil || strings.Contains(out, x) {
		t.Errorf("list-executions --redrive-filter NOT_REDRIVEN: %s", out)
	}
}
