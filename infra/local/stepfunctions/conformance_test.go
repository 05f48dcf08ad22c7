package stepfunctions

// Conformance tests written from the examples of the Amazon States Language
// specification (https://states-language.net/spec.html) and of AWS's
// documentation of it. Each test names the section it checks.

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/lambda/messages"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
)

// Spec "Input and Output Processing", "Filters": InputPath selects
// $.numbers for the task, ResultPath places the sum into the raw input,
// OutputPath "$" passes it all on.
func TestSpecFilters(t *testing.T) {
	h := newHarness(t)
	var got map[string]any
	h.e.RegisterFunction("Add", fn(func(in map[string]any) (any, error) {
		got = in
		return in["val1"].(float64) + in["val2"].(float64), nil
	}))
	x := h.start(h.create("filters", "spec_filters.asl.json", nil), "", `{"title": "Numbers to add", "numbers": {"val1": 3, "val2": 4}}`)
	d := h.describe(x)
	if d.Status != types.ExecutionStatusSucceeded {
		t.Fatalf("status = %s, want SUCCEEDED (%s: %s)", d.Status, aws.ToString(d.Error), aws.ToString(d.Cause))
	}
	if want := map[string]any{"val1": 3.0, "val2": 4.0}; !mapsEqual(got, want) {
		t.Errorf("task input = %v, want %v (InputPath $.numbers)", got, want)
	}
	want := `{"title": "Numbers to add", "numbers": {"val1": 3, "val2": 4}, "sum": 7}`
	if !jsonEqual(t, aws.ToString(d.Output), want) {
		t.Errorf("output = %s, want %s", aws.ToString(d.Output), want)
	}
}

func mapsEqual(a, b map[string]any) bool {
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	return string(ja) == string(jb)
}

// Spec "Pass State": the Result is placed at ResultPath.
func TestSpecPassResultPath(t *testing.T) {
	h := newHarness(t)
	x := h.start(h.create("pass", "spec_pass.asl.json", nil), "", `{"georefOf": "Home"}`)
	want := `{"georefOf": "Home", "coords": {"x-datum": 0.381018, "y-datum": 622.2269926397355}}`
	if got := aws.ToString(h.describe(x).Output); !jsonEqual(t, got, want) {
		t.Errorf("output = %s, want %s", got, want)
	}
}

// Spec "Input and Output Processing", "ResultPath": the result replaces the
// node the Reference Path addresses, missing objects on the way are
// created, null discards the result, and a path through a non-object is
// States.ResultPathMatchFailure (which Catch can handle).
func TestSpecResultPath(t *testing.T) {
	cases := []struct {
		name       string
		resultPath string
		input      string
		want       string
		wantErr    string
	}{
		{"replace a node", `"$.master.detail"`, `{"master": {"detail": [1, 2, 3]}}`, `{"master": {"detail": 6}}`, ""},
		{"create intermediate objects", `"$.master.result.sum"`, `{"master": {"detail": [1, 2, 3]}}`, `{"master": {"detail": [1, 2, 3], "result": {"sum": 6}}}`, ""},
		{"default $ replaces the input", `"$"`, `{"master": {"detail": [1, 2, 3]}}`, `6`, ""},
		{"null discards the result", `null`, `{"master": {"detail": [1, 2, 3]}}`, `{"master": {"detail": [1, 2, 3]}}`, ""},
		{"path through an array is a match failure", `"$.master.detail.sum"`, `{"master": {"detail": [1, 2, 3]}}`, "", "States.ResultPathMatchFailure"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			def := fmt.Sprintf(`{"StartAt": "Sum", "States": {
				"Sum": {"Type": "Pass", "Result": 6, "ResultPath": %s, "End": true,
				        "Comment": "ResultPath applies to the raw input"}}}`, tc.resultPath)
			if tc.wantErr != "" {
				def = fmt.Sprintf(`{"StartAt": "Sum", "States": {
					"Sum": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:Six", "ResultPath": %s, "End": true,
					        "Catch": [{"ErrorEquals": ["States.ResultPathMatchFailure"], "ResultPath": "$.err", "Next": "Caught"}]},
					"Caught": {"Type": "Pass", "End": true}}}`, tc.resultPath)
				h.e.RegisterFunction("Six", fn(func(map[string]any) (any, error) { return 6, nil }))
			}
			x := h.start(h.create("rp", def, nil), "", tc.input)
			d := h.describe(x)
			if d.Status != types.ExecutionStatusSucceeded {
				t.Fatalf("status = %s (%s), want SUCCEEDED", d.Status, aws.ToString(d.Error))
			}
			if tc.wantErr != "" {
				var out struct {
					Err struct{ Error string } `json:"err"`
				}
				if err := json.Unmarshal([]byte(aws.ToString(d.Output)), &out); err != nil {
					t.Fatal(err)
				}
				if out.Err.Error != tc.wantErr {
					t.Errorf("caught error = %q, want %q (output %s)", out.Err.Error, tc.wantErr, aws.ToString(d.Output))
				}
				return
			}
			if got := aws.ToString(d.Output); !jsonEqual(t, got, tc.want) {
				t.Errorf("output = %s, want %s", got, tc.want)
			}
		})
	}
}

// Spec "Payload Template": fields ending in ".$" take the value of a path
// or an intrinsic function; the others are copied.
func TestSpecPayloadTemplate(t *testing.T) {
	h := newHarness(t)
	x := h.start(h.create("template", "spec_payload_template.asl.json", nil), "tuesday", `{"flagged": 7, "vals": [0, 10, 20, 30, 40, 50]}`)
	want := `{"flagged": true, "parts": {"first": 0, "last3": [30, 40, 50]}, "weekday": "tuesday", "formattedOutput": "Today is tuesday"}`
	if got := aws.ToString(h.describe(x).Output); !jsonEqual(t, got, want) {
		t.Errorf("output = %s, want %s", got, want)
	}
}

// Spec "Choice State": the rules are tried in order, And/Not combine
// them, …Path operators compare two fields, Default catches the rest, and
// without a Default nothing matching is States.NoChoiceMatched.
func TestSpecChoice(t *testing.T) {
	cases := []struct {
		input string
		want  string
	}{
		{`{"type": "Public"}`, "Public"},
		{`{"type": "Private", "value": 25}`, "ValueInTwenties"},
		{`{"type": "Private", "value": 30, "rating": 70, "auditThreshold": 50}`, "StartAudit"},
		{`{"type": "Private", "value": "twenty", "rating": 70, "auditThreshold": 50}`, "StartAudit"},
		{`{"type": "Private", "rating": 10, "auditThreshold": 50}`, "RecordEvent"},
	}
	h := newHarness(t)
	arn := h.create("choice", "spec_choice.asl.json", nil)
	for i, tc := range cases {
		t.Run(tc.input, func(t *testing.T) {
			x := h.start(arn, fmt.Sprintf("case-%d", i), tc.input)
			d := h.describe(x)
			if d.Status != types.ExecutionStatusSucceeded {
				t.Fatalf("status = %s (%s: %s)", d.Status, aws.ToString(d.Error), aws.ToString(d.Cause))
			}
			if got := aws.ToString(d.Output); got != `"`+tc.want+`"` {
				t.Errorf("went to %s, want %s", got, tc.want)
			}
		})
	}
	t.Run("no match and no Default", func(t *testing.T) {
		arn := h.create("choice-no-default", `{"StartAt": "C", "States": {
			"C": {"Type": "Choice", "Choices": [{"Variable": "$.n", "NumericEquals": 1, "Next": "One"}]},
			"One": {"Type": "Succeed"}}}`, nil)
		d := h.describe(h.start(arn, "", `{"n": 2}`))
		if d.Status != types.ExecutionStatusFailed || aws.ToString(d.Error) != "States.NoChoiceMatched" {
			t.Errorf("status %s error %q, want FAILED States.NoChoiceMatched", d.Status, aws.ToString(d.Error))
		}
	})
}

// failWith returns a handler that fails with the given error types in turn
// and succeeds once they are used up, recording the clock at each call.
func failWith(h *harness, calls *[]time.Time, errs ...string) LambdaFunc {
	var mu sync.Mutex
	return fn(func(map[string]any) (any, error) {
		mu.Lock()
		defer mu.Unlock()
		*calls = append(*calls, h.clk.Now())
		if len(*calls) <= len(errs) {
			return nil, messages.InvokeResponse_Error{Type: errs[len(*calls)-1], Message: "failure"}
		}
		return "ok", nil
	})
}

func offsets(calls []time.Time) []time.Duration {
	out := make([]time.Duration, len(calls))
	for i, c := range calls {
		out[i] = c.Sub(epoch)
	}
	return out
}

// Spec "Retrying after error", complex retry scenario: ErrorA, ErrorB,
// ErrorC, ErrorB, ErrorB wait 1 s, 2 s, 5 s, 4 s, then the first retrier
// is exhausted for ErrorB and the catcher sends the execution to Z. The
// waits are measured on the virtual clock.
func TestSpecRetryBackoff(t *testing.T) {
	h := newHarness(t)
	var calls []time.Time
	h.e.RegisterFunction("X", failWith(h, &calls, "ErrorA", "ErrorB", "ErrorC", "ErrorB", "ErrorB"))
	x := h.start(h.create("retry", "spec_retry.asl.json", nil), "", `{}`)
	if n := len(calls); n != 1 {
		t.Fatalf("before the clock moves: %d calls, want 1", n)
	}
	h.advance(time.Hour)
	want := []time.Duration{0, 1 * time.Second, 3 * time.Second, 8 * time.Second, 12 * time.Second}
	if got := offsets(calls); !slices.Equal(got, want) {
		t.Errorf("calls at %v, want %v", got, want)
	}
	d := h.describe(x)
	if d.Status != types.ExecutionStatusSucceeded {
		t.Fatalf("status = %s", d.Status)
	}
	if !jsonEqual(t, aws.ToString(d.Output), `{"Error": "ErrorB", "Cause": "{\"errorMessage\":\"failure\",\"errorType\":\"ErrorB\"}"}`) {
		t.Errorf("output = %s, want the error output of the fifth failure", aws.ToString(d.Output))
	}
	var states []string
	for _, ev := range h.history(x) {
		if ev.StateEnteredEventDetails != nil {
			states = append(states, aws.ToString(ev.StateEnteredEventDetails.Name))
		}
	}
	if want := []string{"X", "Z"}; !slices.Equal(states, want) {
		t.Errorf("states entered %v, want %v", states, want)
	}
}

// AWS "Retry": MaxDelaySeconds caps the exponential back-off and
// JitterStrategy FULL draws the delay uniformly below it (here the test's
// random source returns 0.5).
func TestRetryMaxDelayAndJitter(t *testing.T) {
	h := newHarness(t)
	var calls []time.Time
	h.e.RegisterFunction("Flaky", failWith(h, &calls, "Lambda.ServiceException", "Lambda.ServiceException", "Lambda.ServiceException", "Lambda.ServiceException"))
	arn := h.create("jitter", `{"StartAt": "T", "States": {"T": {
		"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:Flaky", "End": true,
		"Retry": [{"ErrorEquals": ["Lambda.ServiceException"], "IntervalSeconds": 2, "BackoffRate": 3,
		           "MaxAttempts": 4, "MaxDelaySeconds": 10, "JitterStrategy": "FULL"}]}}}`, nil)
	x := h.start(arn, "", `{}`)
	h.advance(time.Hour)
	// Back-offs 2, 6, 18→10, 54→10, halved by the jitter: 1, 3, 5, 5.
	want := []time.Duration{0, 1 * time.Second, 4 * time.Second, 9 * time.Second, 14 * time.Second}
	if got := offsets(calls); !slices.Equal(got, want) {
		t.Errorf("calls at %v, want %v", got, want)
	}
	if d := h.describe(x); d.Status != types.ExecutionStatusSucceeded {
		t.Errorf("status = %s, want SUCCEEDED after the fifth call", d.Status)
	}
}

// Spec "Fallback States": catchers are scanned in order; the first whose
// ErrorEquals matches wins; its ResultPath keeps the raw input and adds the
// error output; States.ALL catches the rest.
func TestSpecCatchOrder(t *testing.T) {
	cases := []struct {
		errType   string
		wantState string
		wantOut   string
	}{
		{"java.lang.Exception", "RecoveryState", `{"order": 7, "error-info": {"Error": "java.lang.Exception", "Cause": "{\"errorMessage\":\"boom\",\"errorType\":\"java.lang.Exception\"}"}}`},
		{"SomethingElse", "EndState", `{"Error": "SomethingElse", "Cause": "{\"errorMessage\":\"boom\",\"errorType\":\"SomethingElse\"}"}`},
	}
	for _, tc := range cases {
		t.Run(tc.errType, func(t *testing.T) {
			h := newHarness(t)
			h.e.RegisterFunction("Work", fn(func(map[string]any) (any, error) {
				return nil, messages.InvokeResponse_Error{Type: tc.errType, Message: "boom"}
			}))
			x := h.start(h.create("catch", "spec_catch.asl.json", nil), "", `{"order": 7}`)
			d := h.describe(x)
			if !jsonEqual(t, aws.ToString(d.Output), tc.wantOut) {
				t.Errorf("output = %s, want %s", aws.ToString(d.Output), tc.wantOut)
			}
			var last string
			for _, ev := range h.history(x) {
				if ev.StateEnteredEventDetails != nil {
					last = aws.ToString(ev.StateEnteredEventDetails.Name)
				}
			}
			if last != tc.wantState {
				t.Errorf("caught into %s, want %s", last, tc.wantState)
			}
		})
	}
}

// AWS "Error handling": States.ALL does not catch States.Runtime, which
// always fails the execution (here an InputPath that selects nothing).
func TestRuntimeErrorIsNotCaught(t *testing.T) {
	h := newHarness(t)
	h.e.RegisterFunction("Never", fn(func(map[string]any) (any, error) {
		t.Error("the task ran although its InputPath failed")
		return nil, nil
	}))
	arn := h.create("runtime", `{"StartAt": "T", "States": {
		"T": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:Never", "InputPath": "$.missing", "End": true,
		      "Retry": [{"ErrorEquals": ["States.ALL"]}],
		      "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Caught"}]},
		"Caught": {"Type": "Succeed"}}}`, nil)
	d := h.describe(h.start(arn, "", `{}`))
	if d.Status != types.ExecutionStatusFailed || aws.ToString(d.Error) != "States.Runtime" {
		t.Errorf("status %s error %q, want FAILED States.Runtime", d.Status, aws.ToString(d.Error))
	}
}

// Spec "Parallel State": each branch gets the input, the output is the
// array of the branches' outputs in order.
func TestSpecParallel(t *testing.T) {
	h := newHarness(t)
	h.e.RegisterFunction("AddressFinder", fn(func(in map[string]any) (any, error) {
		return map[string]any{"address": "Storgatan 1", "for": in["customer"]}, nil
	}))
	h.e.RegisterFunction("PhoneFinder", fn(func(in map[string]any) (any, error) {
		return map[string]any{"phone": "+46 8 000 00", "for": in["customer"]}, nil
	}))
	x := h.start(h.create("parallel", "spec_parallel.asl.json", nil), "", `{"customer": "c-1"}`)
	want := `[{"address": "Storgatan 1", "for": "c-1"}, {"phone": "+46 8 000 00", "for": "c-1"}]`
	if got := aws.ToString(h.describe(x).Output); !jsonEqual(t, got, want) {
		t.Errorf("output = %s, want %s", got, want)
	}
}

// Spec "Parallel State": when a branch fails the whole state fails and the
// other branches stop (here a branch waiting an hour is aborted at once);
// the failure goes through the Parallel state's Catch.
func TestSpecParallelFailure(t *testing.T) {
	h := newHarness(t)
	x := h.start(h.create("parallel-failure", "spec_parallel_failure.asl.json", nil), "", `{"id": "r-1"}`)
	h.advance(10 * time.Second)
	d := h.describe(x)
	if d.Status != types.ExecutionStatusSucceeded {
		t.Fatalf("status = %s (%s), want SUCCEEDED through the catcher 10 s in, not an hour", d.Status, aws.ToString(d.Error))
	}
	want := `{"id": "r-1", "failure": {"Error": "Branch.Broke", "Cause": "the second branch failed"}}`
	if got := aws.ToString(d.Output); !jsonEqual(t, got, want) {
		t.Errorf("output = %s, want %s", got, want)
	}
	evs := eventTypes(h.history(x))
	for _, want := range []string{"WaitStateAborted", "ParallelStateFailed", "ParallelStateExited"} {
		if !slices.Contains(evs, want) {
			t.Errorf("history lacks %s: %v", want, evs)
		}
	}
	if slices.Contains(evs, "PassStateEntered") && strings.Contains(strings.Join(evs, ","), "AfterSlow") {
		t.Errorf("the aborted branch went on: %v", evs)
	}
	if got := h.e.PendingTimers(); len(got) != 0 {
		t.Errorf("timers left armed after the branch was aborted: %v", got)
	}
}

// Spec "Map State": ItemsPath selects the array, ItemSelector builds each
// iteration's input with $$.Map.Item.Value, the results replace the array
// at ResultPath, in order.
func TestSpecMap(t *testing.T) {
	h := newHarness(t)
	h.e.RegisterFunction("ship-val", fn(func(in map[string]any) (any, error) {
		parcel := in["parcel"].(map[string]any)
		return map[string]any{"prod": parcel["prod"], "courier": in["courier"], "ok": parcel["quantity"].(float64) < 1000}, nil
	}))
	input := `{"ship-date": "2016-03-14T01:59:00Z", "detail": {"delivery-partner": "UQS", "shipped": [
		{"prod": "R31", "dest-code": 9511, "quantity": 1344},
		{"prod": "S39", "dest-code": 9511, "quantity": 40},
		{"prod": "R31", "dest-code": 9833, "quantity": 12},
		{"prod": "R40", "dest-code": 9860, "quantity": 887},
		{"prod": "R40", "dest-code": 9511, "quantity": 1220}]}}`
	x := h.start(h.create("map", "spec_map.asl.json", nil), "", input)
	want := `{"ship-date": "2016-03-14T01:59:00Z", "detail": {"delivery-partner": "UQS", "shipped": [
		{"prod": "R31", "courier": "UQS", "ok": false},
		{"prod": "S39", "courier": "UQS", "ok": true},
		{"prod": "R31", "courier": "UQS", "ok": true},
		{"prod": "R40", "courier": "UQS", "ok": true},
		{"prod": "R40", "courier": "UQS", "ok": false}]}}`
	if got := aws.ToString(h.describe(x).Output); !jsonEqual(t, got, want) {
		t.Errorf("output = %s, want %s", got, want)
	}
}

// AWS "Map state": MaxConcurrency bounds the iterations running at once,
// and a failing iteration fails the Map state with its error.
func TestMapConcurrencyAndFailure(t *testing.T) {
	t.Run("MaxConcurrency 1 runs the iterations one after the other", func(t *testing.T) {
		h := newHarness(t)
		arn := h.create("map-serial", `{"StartAt": "M", "States": {"M": {
			"Type": "Map", "MaxConcurrency": 1, "End": true,
			"ItemProcessor": {"ProcessorConfig": {"Mode": "INLINE"}, "StartAt": "W", "States": {
				"W": {"Type": "Wait", "SecondsPath": "$", "End": true}}}}}}`, nil)
		x := h.start(arn, "", `[10, 20, 30]`)
		h.advance(59 * time.Second)
		if d := h.describe(x); d.Status != types.ExecutionStatusRunning {
			t.Fatalf("after 59 s: %s, want RUNNING (10+20+30 s in series)", d.Status)
		}
		h.advance(time.Second)
		if d := h.describe(x); d.Status != types.ExecutionStatusSucceeded || aws.ToString(d.Output) != "[10,20,30]" {
			t.Errorf("after 60 s: %s %s, want SUCCEEDED [10,20,30]", d.Status, aws.ToString(d.Output))
		}
	})
	t.Run("a failing iteration fails the Map", func(t *testing.T) {
		h := newHarness(t)
		arn := h.create("map-fail", `{"StartAt": "M", "States": {"M": {
			"Type": "Map", "End": true,
			"Iterator": {"StartAt": "C", "States": {
				"C": {"Type": "Choice", "Choices": [{"Variable": "$", "NumericEquals": 2, "Next": "Bad"}], "Default": "Slow"},
				"Bad": {"Type": "Fail", "Error": "Item.Bad", "Cause": "item 2 is bad"},
				"Slow": {"Type": "Wait", "Seconds": 60, "End": true}}}}}}`, nil)
		x := h.start(arn, "", `[1, 2, 3]`)
		d := h.describe(x)
		if d.Status != types.ExecutionStatusFailed || aws.ToString(d.Error) != "Item.Bad" {
			t.Errorf("status %s error %q, want FAILED Item.Bad", d.Status, aws.ToString(d.Error))
		}
		evs := eventTypes(h.history(x))
		if n := countOf(evs, "MapIterationAborted"); n != 2 {
			t.Errorf("%d iterations aborted, want 2: %v", n, evs)
		}
	})
}

func countOf(list []string, s string) int {
	n := 0
	for _, x := range list {
		if x == s {
			n++
		}
	}
	return n
}

// Spec "Wait State": Seconds, SecondsPath, Timestamp and TimestampPath; the
// state exits when the virtual clock reaches the time.
func TestSpecWait(t *testing.T) {
	cases := []struct {
		name  string
		field string
		input string
		wait  time.Duration
	}{
		{"Seconds", `"Seconds": 10`, `{}`, 10 * time.Second},
		{"SecondsPath", `"SecondsPath": "$.delay"`, `{"delay": 90}`, 90 * time.Second},
		{"Timestamp", `"Timestamp": "2025-03-14T10:00:00Z"`, `{}`, time.Hour},
		{"TimestampPath", `"TimestampPath": "$.until"`, `{"until": "2025-03-15T09:00:00+00:00"}`, 24 * time.Hour},
		{"Timestamp in the past", `"Timestamp": "2016-03-14T01:59:00Z"`, `{}`, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			arn := h.create("wait", `{"StartAt": "W", "States": {"W": {"Type": "Wait", `+tc.field+`, "End": true}}}`, nil)
			x := h.start(arn, "", tc.input)
			if tc.wait > 0 {
				h.advance(tc.wait - time.Second)
				if d := h.describe(x); d.Status != types.ExecutionStatusRunning {
					t.Fatalf("a second early: %s, want RUNNING", d.Status)
				}
				h.advance(time.Second)
			}
			d := h.describe(x)
			if d.Status != types.ExecutionStatusSucceeded {
				t.Fatalf("at the time: %s, want SUCCEEDED", d.Status)
			}
			if got := aws.ToTime(d.StopDate).Sub(epoch); got != tc.wait {
				t.Errorf("stopped after %s, want %s", got, tc.wait)
			}
		})
	}
}

// AWS "TimeoutSeconds" of a state machine: the execution times out.
func TestMachineTimeout(t *testing.T) {
	h := newHarness(t)
	arn := h.create("timeout", `{"TimeoutSeconds": 300, "StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 3600, "End": true}}}`, nil)
	x := h.start(arn, "", `{}`)
	h.advance(time.Hour)
	d := h.describe(x)
	if d.Status != types.ExecutionStatusTimedOut || aws.ToString(d.Error) != "States.Timeout" {
		t.Errorf("status %s error %q, want TIMED_OUT States.Timeout", d.Status, aws.ToString(d.Error))
	}
	if got := aws.ToTime(d.StopDate).Sub(epoch); got != 5*time.Minute {
		t.Errorf("timed out after %s, want 5m", got)
	}
}

// AWS "Context object": $$ exposes the execution, the state machine and the
// state.
func TestContextObject(t *testing.T) {
	h := newHarness(t)
	arn := h.create("ctx", `{"StartAt": "Later", "States": {
		"Later": {"Type": "Wait", "Seconds": 5, "Next": "P"},
		"P": {"Type": "Pass", "Parameters": {
			"id.$": "$$.Execution.Id", "name.$": "$$.Execution.Name", "input.$": "$$.Execution.Input",
			"start.$": "$$.Execution.StartTime", "machine.$": "$$.StateMachine.Name", "machineId.$": "$$.StateMachine.Id",
			"state.$": "$$.State.Name", "entered.$": "$$.State.EnteredTime", "retries.$": "$$.State.RetryCount"}, "End": true}}}`, nil)
	x := h.start(arn, "ctx-1", `{"k": "v"}`)
	h.advance(5 * time.Second)
	want := fmt.Sprintf(`{"id": %q, "name": "ctx-1", "input": {"k": "v"}, "start": "2025-03-14T09:00:00.000Z",
		"machine": "ctx", "machineId": %q, "state": "P", "entered": "2025-03-14T09:00:05.000Z", "retries": 0}`, x, arn)
	if got := aws.ToString(h.describe(x).Output); !jsonEqual(t, got, want) {
		t.Errorf("output = %s, want %s", got, want)
	}
}

// Spec "Fail State": Error and Cause (or ErrorPath and CausePath) become the
// execution's error and cause.
func TestSpecFail(t *testing.T) {
	cases := []struct {
		name, fields, input, wantErr, wantCause string
	}{
		{"static", `"Error": "Review.Gone", "Cause": "the review was removed"`, `{}`, "Review.Gone", "the review was removed"},
		{"paths", `"ErrorPath": "$.e", "CausePath": "$.c"`, `{"e": "Dyn.Error", "c": "dynamic cause"}`, "Dyn.Error", "dynamic cause"},
		{"intrinsic", `"ErrorPath": "States.Format('Err.{}', $.n)", "Cause": "x"`, `{"n": 4}`, "Err.4", "x"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			d := h.describe(h.start(h.create("fail", `{"StartAt": "F", "States": {"F": {"Type": "Fail", `+tc.fields+`}}}`, nil), "", tc.input))
			if d.Status != types.ExecutionStatusFailed || aws.ToString(d.Error) != tc.wantErr || aws.ToString(d.Cause) != tc.wantCause {
				t.Errorf("got %s %q %q, want FAILED %q %q", d.Status, aws.ToString(d.Error), aws.ToString(d.Cause), tc.wantErr, tc.wantCause)
			}
		})
	}
}
