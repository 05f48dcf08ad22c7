package stepfunctions

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/lambda/messages"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/aws/smithy-go"
)

// jsonString returns a JSON string literal of exactly n bytes.
func jsonString(n int) string {
	return `"` + strings.Repeat("a", n-2) + `"`
}

// padded returns the JSON object {"pad": "aaa…"} of exactly n bytes in the
// engine's compact form.
func padded(n int) string {
	return `{"pad":` + jsonString(n-8) + `}`
}

// apiError asserts that err is the Step Functions API error code with the
// message want.
func apiError(t *testing.T, err error, code, want string) {
	t.Helper()
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		t.Fatalf("error = %v, want %s", err, code)
	}
	if ae.ErrorCode() != code || ae.ErrorMessage() != want {
		t.Errorf("error = %s %q, want %s %q", ae.ErrorCode(), ae.ErrorMessage(), code, want)
	}
}

func payloadRefusal(member string) string {
	return fmt.Sprintf("1 validation error detected: Value at '%s' failed to satisfy constraint: Member must have size less than or equal to 262144 bytes in UTF-8 encoding", member)
}

// StartExecution refuses an input over 256 KiB of UTF-8 with AWS's
// ValidationException, and starts nothing; exactly 256 KiB runs.
func TestStartExecutionInputLimit(t *testing.T) {
	twoByte := func(chars int) string { return `"` + strings.Repeat("é", chars) + `"` }
	cases := []struct {
		name    string
		input   string
		refused bool
	}{
		{"exactly 256 KiB", jsonString(MaxPayloadBytes), false},
		{"256 KiB + 1 byte", jsonString(MaxPayloadBytes + 1), true},
		{"256 KiB of two-byte characters", twoByte((MaxPayloadBytes - 2) / 2), false},
		{"bytes are counted, not characters", twoByte((MaxPayloadBytes-2)/2 + 1), true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			arn := h.create("input", `{"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}`, nil)
			out, err := h.client.StartExecution(h.ctx(), &sfn.StartExecutionInput{StateMachineArn: aws.String(arn), Name: aws.String("big"), Input: aws.String(tc.input)})
			if tc.refused {
				apiError(t, err, "ValidationException", payloadRefusal("input"))
				if n := len(h.listExecutions(arn, "")); n != 0 {
					t.Errorf("%d executions after the refusal, want 0", n)
				}
				return
			}
			if err != nil {
				t.Fatalf("start execution: %v", err)
			}
			h.settle()
			d := h.describe(aws.ToString(out.ExecutionArn))
			if d.Status != types.ExecutionStatusSucceeded || aws.ToString(d.Output) != tc.input {
				t.Errorf("status %s with %d output bytes, want SUCCEEDED with the %d input bytes", d.Status, len(aws.ToString(d.Output)), len(tc.input))
			}
		})
	}
}

// SendTaskSuccess refuses an output over 256 KiB with AWS's
// ValidationException before it looks at the token; the task keeps
// waiting and its token stays good.
func TestSendTaskSuccessOutputLimit(t *testing.T) {
	cases := []struct {
		name     string
		token    func(valid string) string
		output   string
		wantCode string
	}{
		{"exactly 256 KiB", func(v string) string { return v }, jsonString(MaxPayloadBytes), ""},
		{"256 KiB + 1 byte", func(v string) string { return v }, jsonString(MaxPayloadBytes + 1), "ValidationException"},
		{"256 KiB + 1 byte with an unknown token", func(string) string { return "not-a-token" }, jsonString(MaxPayloadBytes + 1), "ValidationException"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			var mu sync.Mutex
			var token string
			h.e.RegisterFunction("Ask", fn(func(in map[string]any) (any, error) {
				mu.Lock()
				defer mu.Unlock()
				token, _ = in["token"].(string)
				return map[string]any{}, nil
			}))
			arn := h.create("answer", `{"StartAt": "Ask", "States": {"Ask": {"Type": "Task",
				"Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",
				"Parameters": {"FunctionName": "Ask", "Payload": {"token.$": "$$.Task.Token"}}, "End": true}}}`, nil)
			x := h.start(arn, "", `{}`)
			mu.Lock()
			valid := token
			mu.Unlock()
			send := func(tok, output string) error {
				_, err := h.client.SendTaskSuccess(h.ctx(), &sfn.SendTaskSuccessInput{TaskToken: aws.String(tok), Output: aws.String(output)})
				return err
			}
			err := send(tc.token(valid), tc.output)
			if tc.wantCode == "" {
				if err != nil {
					t.Fatalf("send task success: %v", err)
				}
				h.settle()
				if d := h.describe(x); d.Status != types.ExecutionStatusSucceeded || aws.ToString(d.Output) != tc.output {
					t.Errorf("status %s with %d output bytes, want SUCCEEDED with the %d bytes sent", d.Status, len(aws.ToString(d.Output)), len(tc.output))
				}
				return
			}
			apiError(t, err, tc.wantCode, payloadRefusal("output"))
			h.settle()
			if d := h.describe(x); d.Status != types.ExecutionStatusRunning {
				t.Fatalf("status %s after the refusal, want RUNNING", d.Status)
			}
			if err := send(valid, `{"ok": true}`); err != nil {
				t.Fatalf("answer after the refusal: %v", err)
			}
			h.settle()
			if d := h.describe(x); d.Status != types.ExecutionStatusSucceeded {
				t.Errorf("status %s after the answer, want SUCCEEDED", d.Status)
			}
		})
	}
}

const bigFn = "arn:aws:lambda:us-east-1:123456789012:function:F"

// States.DataLimitExceeded where AWS raises it. A state's output (and a
// Task's input after Parameters, a branch's or iteration's input) over 256
// KiB fails the execution whatever its Retry and Catch say; a task result
// over 256 KiB is the task's failure, which Retry and Catch handle (AWS
// records TaskFailed/LambdaFunctionFailed and its catcher on States.ALL
// takes it).
func TestDataLimitExceeded(t *testing.T) {
	const max = MaxPayloadBytes
	outputCause := func(state string) string { return resultTooLargeCause(state) }
	inputCause := func(state string) string {
		return fmt.Sprintf("The state/task '%s' received an input with a size exceeding the maximum number of bytes service limit.", state)
	}
	catchAll := `"Retry": [{"ErrorEquals": ["States.ALL"], "IntervalSeconds": 1, "MaxAttempts": 2}],
		"Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Caught"}]`
	caught := `"Caught": {"Type": "Pass", "End": true}`
	cases := []struct {
		name       string
		def        string
		input      string
		replies    []string // successive responses of function F; "" is an error
		wantCalls  int
		wantStatus types.ExecutionStatus
		wantError  string
		wantCause  string
		wantEvents []string
		wantOutput string
	}{
		{
			name:       "Pass output of exactly 256 KiB",
			def:        fmt.Sprintf(`{"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": %s, "End": true}}}`, jsonString(max)),
			input:      `{}`,
			wantStatus: types.ExecutionStatusSucceeded,
			wantEvents: []string{"ExecutionStarted", "PassStateEntered", "PassStateExited", "ExecutionSucceeded"},
			wantOutput: jsonString(max),
		},
		{
			name:       "Pass output of 256 KiB + 1 byte",
			def:        fmt.Sprintf(`{"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": %s, "End": true}}}`, jsonString(max+1)),
			input:      `{}`,
			wantStatus: types.ExecutionStatusFailed,
			wantError:  "States.DataLimitExceeded",
			wantCause:  outputCause("P"),
			wantEvents: []string{"ExecutionStarted", "PassStateEntered", "ExecutionFailed"},
		},
		{
			name: "Task output over the limit is not retried or caught by States.ALL",
			def: fmt.Sprintf(`{"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": %q, "ResultPath": "$.more", "End": true, %s}, %s}}`,
				bigFn, catchAll, caught),
			input:      padded(200 << 10),
			replies:    []string{jsonString(100 << 10)},
			wantCalls:  1,
			wantStatus: types.ExecutionStatusFailed,
			wantError:  "States.DataLimitExceeded",
			wantCause:  outputCause("T"),
			wantEvents: []string{"ExecutionStarted", "TaskStateEntered", "LambdaFunctionScheduled", "LambdaFunctionStarted", "LambdaFunctionSucceeded", "ExecutionFailed"},
		},
		{
			name: "Task input after Parameters over the limit is not caught by States.ALL",
			def: fmt.Sprintf(`{"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": %q, "Parameters": {"x.$": "$.pad", "y.$": "$.pad"}, "End": true, %s}, %s}}`,
				bigFn, catchAll, caught),
			input:      padded(140 << 10),
			replies:    []string{`{}`},
			wantCalls:  0,
			wantStatus: types.ExecutionStatusFailed,
			wantError:  "States.DataLimitExceeded",
			wantCause:  inputCause("T"),
			wantEvents: []string{"ExecutionStarted", "TaskStateEntered", "ExecutionFailed"},
		},
		{
			name: "catcher output over the limit is not caught again",
			def: fmt.Sprintf(`{"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": %q, "End": true,
				"Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.err", "Next": "Caught"}]}, %s}}`, bigFn, caught),
			input:      padded(max - 20),
			replies:    []string{""},
			wantCalls:  1,
			wantStatus: types.ExecutionStatusFailed,
			wantError:  "States.DataLimitExceeded",
			wantCause:  outputCause("T"),
			wantEvents: []string{"ExecutionStarted", "TaskStateEntered", "LambdaFunctionScheduled", "LambdaFunctionStarted", "LambdaFunctionFailed", "ExecutionFailed"},
		},
		{
			name: "Parallel's aggregated output over the limit is not caught by States.ALL",
			def: fmt.Sprintf(`{"StartAt": "Par", "States": {"Par": {"Type": "Parallel", "End": true,
				"Branches": [{"StartAt": "B1", "States": {"B1": {"Type": "Pass", "End": true}}},
				             {"StartAt": "B2", "States": {"B2": {"Type": "Pass", "End": true}}}], %s}, %s}}`, catchAll, caught),
			input:      padded(140 << 10),
			wantStatus: types.ExecutionStatusFailed,
			wantError:  "States.DataLimitExceeded",
			wantCause:  outputCause("Par"),
		},
		{
			name: "Map iteration input over the limit is not caught by States.ALL",
			def: fmt.Sprintf(`{"StartAt": "M", "States": {"M": {"Type": "Map", "ItemsPath": "$.items", "MaxConcurrency": 1, "End": true,
				"ItemSelector": {"x.$": "$.pad", "y.$": "$.pad"},
				"ItemProcessor": {"StartAt": "Item", "States": {"Item": {"Type": "Pass", "End": true}}}, %s}, %s}}`, catchAll, caught),
			input:      `{"items": [1, 2], "pad": ` + jsonString(140<<10) + `}`,
			wantStatus: types.ExecutionStatusFailed,
			wantError:  "States.DataLimitExceeded",
			wantCause:  inputCause("Item"),
			wantEvents: []string{"ExecutionStarted", "MapStateEntered", "MapStateStarted", "MapIterationStarted", "MapIterationFailed", "MapStateFailed", "ExecutionFailed"},
		},
		{
			name:       "Lambda result of exactly 256 KiB",
			def:        fmt.Sprintf(`{"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": %q, "ResultPath": null, "End": true}}}`, bigFn),
			input:      `{}`,
			replies:    []string{jsonString(max)},
			wantCalls:  1,
			wantStatus: types.ExecutionStatusSucceeded,
			wantEvents: []string{"ExecutionStarted", "TaskStateEntered", "LambdaFunctionScheduled", "LambdaFunctionStarted", "LambdaFunctionSucceeded", "TaskStateExited", "ExecutionSucceeded"},
			wantOutput: `{}`,
		},
		{
			name: "Lambda result of 256 KiB + 1 byte fails the task and States.ALL catches it",
			def: fmt.Sprintf(`{"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": %q, "ResultPath": null, "Next": "Done",
				"Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Caught"}]}, "Done": {"Type": "Succeed"}, %s}}`, bigFn, caught),
			input:      `{}`,
			replies:    []string{jsonString(max + 1)},
			wantCalls:  1,
			wantStatus: types.ExecutionStatusSucceeded,
			wantEvents: []string{"ExecutionStarted", "TaskStateEntered", "LambdaFunctionScheduled", "LambdaFunctionStarted", "LambdaFunctionFailed", "TaskStateExited", "PassStateEntered", "PassStateExited", "ExecutionSucceeded"},
			wantOutput: fmt.Sprintf(`{"Error": "States.DataLimitExceeded", "Cause": %q}`, resultTooLargeCause(bigFn)),
		},
		{
			name: "Lambda result over the limit is retried by name",
			def: fmt.Sprintf(`{"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": %q, "End": true,
				"Retry": [{"ErrorEquals": ["States.DataLimitExceeded"], "IntervalSeconds": 1, "MaxAttempts": 1}]}}}`, bigFn),
			input:      `{}`,
			replies:    []string{jsonString(max + 1), `"small"`},
			wantCalls:  2,
			wantStatus: types.ExecutionStatusSucceeded,
			wantEvents: []string{"ExecutionStarted", "TaskStateEntered", "LambdaFunctionScheduled", "LambdaFunctionStarted", "LambdaFunctionFailed",
				"LambdaFunctionScheduled", "LambdaFunctionStarted", "LambdaFunctionSucceeded", "TaskStateExited", "ExecutionSucceeded"},
			wantOutput: `"small"`,
		},
		{
			name:       "lambda:invoke result over the limit fails the task",
			def:        `{"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Parameters": {"FunctionName": "F"}, "End": true}}}`,
			input:      `{}`,
			replies:    []string{jsonString(max)},
			wantCalls:  1,
			wantStatus: types.ExecutionStatusFailed,
			wantError:  "States.DataLimitExceeded",
			wantCause:  resultTooLargeCause("lambda"),
			wantEvents: []string{"ExecutionStarted", "TaskStateEntered", "TaskScheduled", "TaskStarted", "TaskFailed", "ExecutionFailed"},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			var mu sync.Mutex
			calls := 0
			h.e.RegisterFunction("F", func(context.Context, []byte) ([]byte, error) {
				mu.Lock()
				defer mu.Unlock()
				reply := tc.replies[min(calls, len(tc.replies)-1)]
				calls++
				if reply == "" {
					return nil, messages.InvokeResponse_Error{Type: "Boom", Message: "no"}
				}
				return []byte(reply), nil
			})
			x := h.start(h.create("limits", tc.def, nil), "", tc.input)
			h.advance(time.Minute) // any retry back-off
			d := h.describe(x)
			if d.Status != tc.wantStatus || aws.ToString(d.Error) != tc.wantError || aws.ToString(d.Cause) != tc.wantCause {
				t.Errorf("status %s error %q cause %q, want %s %q %q", d.Status, aws.ToString(d.Error), aws.ToString(d.Cause), tc.wantStatus, tc.wantError, tc.wantCause)
			}
			mu.Lock()
			if calls != tc.wantCalls {
				t.Errorf("function called %d times, want %d", calls, tc.wantCalls)
			}
			mu.Unlock()
			events := h.history(x)
			if tc.wantEvents != nil {
				if got := eventTypes(events); !slices.Equal(got, tc.wantEvents) {
					t.Errorf("history %v, want %v", got, tc.wantEvents)
				}
			}
			if tc.wantOutput != "" && !jsonEqual(t, aws.ToString(d.Output), tc.wantOutput) {
				t.Errorf("output %.200s, want %.200s", aws.ToString(d.Output), tc.wantOutput)
			}
			last := events[len(events)-1]
			if tc.wantStatus == types.ExecutionStatusFailed {
				fd := last.ExecutionFailedEventDetails
				if fd == nil || aws.ToString(fd.Error) != tc.wantError || aws.ToString(fd.Cause) != tc.wantCause {
					t.Errorf("last event %s %+v, want ExecutionFailed with %s", last.Type, fd, tc.wantError)
				}
			}
			for _, ev := range events {
				for _, s := range eventData(ev) {
					if len(s) > MaxPayloadBytes {
						t.Errorf("event %d (%s) records %d bytes, more than the %d any event may hold", ev.Id, ev.Type, len(s), MaxPayloadBytes)
					}
				}
			}
		})
	}
}

// eventData returns the inputs, outputs and parameters an event records.
func eventData(ev types.HistoryEvent) []string {
	var out []string
	add := func(s *string) {
		if s != nil {
			out = append(out, *s)
		}
	}
	if d := ev.ExecutionStartedEventDetails; d != nil {
		add(d.Input)
	}
	if d := ev.ExecutionSucceededEventDetails; d != nil {
		add(d.Output)
	}
	if d := ev.StateEnteredEventDetails; d != nil {
		add(d.Input)
	}
	if d := ev.StateExitedEventDetails; d != nil {
		add(d.Output)
	}
	if d := ev.TaskScheduledEventDetails; d != nil {
		add(d.Parameters)
	}
	if d := ev.TaskSucceededEventDetails; d != nil {
		add(d.Output)
	}
	if d := ev.LambdaFunctionScheduledEventDetails; d != nil {
		add(d.Input)
	}
	if d := ev.LambdaFunctionSucceededEventDetails; d != nil {
		add(d.Output)
	}
	return out
}

// The history holds at most Config.MaxHistoryEvents events: an execution
// that would record more fails with States.Runtime, its ExecutionFailed
// being the last event the history can hold (AWS: event 25,000, following
// event 24,999). Nothing runs after it: no function, no timer.
func TestHistoryLimit(t *testing.T) {
	const (
		pass = `{"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}`
		loop = `{"StartAt": "Loop", "States": {
			"Loop": {"Type": "Choice", "Choices": [{"Variable": "$.stop", "BooleanEquals": true, "Next": "Done"}], "Default": "Loop"},
			"Done": {"Type": "Succeed"}}}`
		task = `{"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Parameters": {"FunctionName": "F"}, "End": true}}}`
		// One branch waits, the other loops: the loop's limit must end
		// the wait and the execution's own timeout.
		parallel = `{"StartAt": "Par", "TimeoutSeconds": 3600, "States": {"Par": {"Type": "Parallel", "End": true, "Branches": [
			{"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 60, "End": true}}},
			{"StartAt": "L", "States": {"L": {"Type": "Choice", "Choices": [{"Variable": "$.stop", "BooleanEquals": true, "Next": "D"}], "Default": "L"},
			                            "D": {"Type": "Succeed"}}}]}}}`
	)
	cases := []struct {
		name       string
		limit      int
		def        string
		wantStatus types.ExecutionStatus
		wantEvents int
		wantTypes  []string
		wantCalls  int
	}{
		{"a run of exactly the limit succeeds", 4, pass, types.ExecutionStatusSucceeded, 4, []string{"ExecutionStarted", "PassStateEntered", "PassStateExited", "ExecutionSucceeded"}, 0},
		{"a run of one event more fails", 3, pass, types.ExecutionStatusFailed, 3, []string{"ExecutionStarted", "PassStateEntered", "ExecutionFailed"}, 0},
		{"a limit below 2 counts as 2", 1, pass, types.ExecutionStatusFailed, 2, []string{"ExecutionStarted", "ExecutionFailed"}, 0},
		{"an endless loop stops at an odd limit", 25, loop, types.ExecutionStatusFailed, 25, nil, 0},
		{"an endless loop stops at an even limit", 26, loop, types.ExecutionStatusFailed, 26, nil, 0},
		{"a task cut off before it runs its function", 3, task, types.ExecutionStatusFailed, 3, []string{"ExecutionStarted", "TaskStateEntered", "ExecutionFailed"}, 0},
		{"a task run of exactly the limit", 7, task, types.ExecutionStatusSucceeded, 7, []string{"ExecutionStarted", "TaskStateEntered", "TaskScheduled", "TaskStarted", "TaskSucceeded", "TaskStateExited", "ExecutionSucceeded"}, 1},
		{"a task run of one event more", 6, task, types.ExecutionStatusFailed, 6, []string{"ExecutionStarted", "TaskStateEntered", "TaskScheduled", "TaskStarted", "TaskSucceeded", "ExecutionFailed"}, 1},
		{"a loop in one branch ends the other branch's wait", 40, parallel, types.ExecutionStatusFailed, 40, nil, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, func(c *Config) { c.MaxHistoryEvents = tc.limit })
			var mu sync.Mutex
			calls := 0
			h.e.RegisterFunction("F", func(context.Context, []byte) ([]byte, error) {
				mu.Lock()
				defer mu.Unlock()
				calls++
				return []byte(`{}`), nil
			})
			x := h.start(h.create("history", tc.def, nil), "", `{"stop": false}`)
			if tc.wantStatus == types.ExecutionStatusFailed {
				if got := h.e.PendingTimers(); len(got) != 0 {
					t.Errorf("timers still armed after the failure: %v", got)
				}
				h.advance(2 * time.Hour) // nothing may fire any more
			}
			d := h.describe(x)
			events := h.history(x)
			if d.Status != tc.wantStatus || len(events) != tc.wantEvents {
				t.Fatalf("status %s with %d events, want %s with %d", d.Status, len(events), tc.wantStatus, tc.wantEvents)
			}
			if len(tc.wantTypes) > 0 {
				if got := eventTypes(events); !slices.Equal(got, tc.wantTypes) {
					t.Errorf("history %v, want %v", got, tc.wantTypes)
				}
			}
			mu.Lock()
			if calls != tc.wantCalls {
				t.Errorf("function called %d times, want %d", calls, tc.wantCalls)
			}
			mu.Unlock()
			if tc.wantStatus != types.ExecutionStatusFailed {
				return
			}
			limit := max(tc.limit, 2)
			wantCause := fmt.Sprintf("The execution reached the maximum number of history events (%d).", limit)
			if aws.ToString(d.Error) != "States.Runtime" || aws.ToString(d.Cause) != wantCause {
				t.Errorf("error %q cause %q, want States.Runtime %q", aws.ToString(d.Error), aws.ToString(d.Cause), wantCause)
			}
			last := events[len(events)-1]
			fd := last.ExecutionFailedEventDetails
			if last.Type != types.HistoryEventTypeExecutionFailed || last.Id != int64(limit) || last.PreviousEventId != int64(limit-1) ||
				fd == nil || aws.ToString(fd.Error) != "States.Runtime" || aws.ToString(fd.Cause) != wantCause {
				t.Errorf("last event %d %s (previous %d) %+v, want ExecutionFailed %d (previous %d) with States.Runtime", last.Id, last.Type, last.PreviousEventId, fd, limit, limit-1)
			}
		})
	}
}

// Without Config.MaxHistoryEvents the history holds AWS's 25,000 events.
func TestHistoryLimitDefault(t *testing.T) {
	e := New(Config{})
	defer e.Close()
	if e.maxHistory != 25000 {
		t.Errorf("history limit %d, want 25000", e.maxHistory)
	}
}
