package stepfunctions

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
)

// reviewer is a callback handler: it records the task token it is given,
// by request id, as Candor's "ask the reviewer" function would store it.
type reviewer struct {
	mu     sync.Mutex
	tokens map[string][]string
}

func (r *reviewer) handler() LambdaFunc {
	return func(_ context.Context, payload []byte) ([]byte, error) {
		var in struct {
			RequestID string `json:"requestId"`
			TaskToken string `json:"taskToken"`
		}
		if err := json.Unmarshal(payload, &in); err != nil {
			return nil, err
		}
		r.mu.Lock()
		defer r.mu.Unlock()
		r.tokens[in.RequestID] = append(r.tokens[in.RequestID], in.TaskToken)
		return []byte(`{"sent": true}`), nil
	}
}

func (r *reviewer) token(t *testing.T, requestID string) string {
	t.Helper()
	r.mu.Lock()
	defer r.mu.Unlock()
	list := r.tokens[requestID]
	if len(list) == 0 {
		t.Fatalf("no task token was handed out for %s", requestID)
	}
	return list[len(list)-1]
}

var callbackSubs = map[string]string{
	"AskFunctionArn":     "arn:aws:lambda:us-east-1:000000000000:function:candor-ask-reviewer:live",
	"ReplyWindowSeconds": "432000",
}

// startCallback starts the 5-day callback workflow for a request id.
func startCallback(t *testing.T) (*harness, *reviewer, func(id string) string) {
	h := newHarness(t)
	r := &reviewer{tokens: map[string][]string{}}
	h.e.RegisterFunction("candor-ask-reviewer", r.handler())
	arn := h.create("callback", "callback.asl.json", callbackSubs)
	return h, r, func(id string) string { return h.start(arn, id, `{"requestId": "`+id+`"}`) }
}

func lastStateEntered(events []types.HistoryEvent) string {
	name := ""
	for _, ev := range events {
		if ev.StateEnteredEventDetails != nil {
			name = aws.ToString(ev.StateEnteredEventDetails.Name)
		}
	}
	return name
}

// The callback workflow, driven through the real sfn client over HTTP.
func TestCallbackSuccess(t *testing.T) {
	h, r, start := startCallback(t)
	x := start("req-1")
	if d := h.describe(x); d.Status != types.ExecutionStatusRunning {
		t.Fatalf("status %s, want RUNNING while waiting for the reviewer", d.Status)
	}
	h.advance(20 * time.Hour)
	if _, err := h.client.SendTaskSuccess(h.ctx(), &sfn.SendTaskSuccessInput{TaskToken: aws.String(r.token(t, "req-1")), Output: aws.String(`{"replied": "yes"}`)}); err != nil {
		t.Fatalf("send task success: %v", err)
	}
	h.settle()
	d := h.describe(x)
	if d.Status != types.ExecutionStatusSucceeded {
		t.Fatalf("status %s, want SUCCEEDED", d.Status)
	}
	if want := `{"requestId": "req-1", "reply": {"replied": "yes"}}`; !jsonEqual(t, aws.ToString(d.Output), want) {
		t.Errorf("output %s, want %s", aws.ToString(d.Output), want)
	}
	events := h.history(x)
	want := []string{"ExecutionStarted", "TaskStateEntered", "TaskScheduled", "TaskStarted", "TaskSubmitted", "TaskSucceeded", "TaskStateExited", "PassStateEntered", "PassStateExited", "ExecutionSucceeded"}
	if got := eventTypes(events); !slices.Equal(got, want) {
		t.Errorf("history %v, want %v", got, want)
	}
	sched := events[2].TaskScheduledEventDetails
	if sched == nil || aws.ToString(sched.Resource) != "invoke.waitForTaskToken" || aws.ToString(sched.ResourceType) != "lambda" ||
		aws.ToInt64(sched.TimeoutInSeconds) != 432000 || aws.ToInt64(sched.HeartbeatInSeconds) != 86400 {
		t.Errorf("TaskScheduled details %+v, want lambda invoke.waitForTaskToken with timeout 432000 and heartbeat 86400", sched)
	}
	var submitted struct {
		Payload    map[string]any
		StatusCode int
	}
	if err := json.Unmarshal([]byte(aws.ToString(events[4].TaskSubmittedEventDetails.Output)), &submitted); err != nil || submitted.StatusCode != 200 || submitted.Payload["sent"] != true {
		t.Errorf("TaskSubmitted output %s, want the Lambda response with Payload and StatusCode 200", aws.ToString(events[4].TaskSubmittedEventDetails.Output))
	}
	if got := aws.ToTime(events[5].Timestamp).Sub(epoch); got != 20*time.Hour {
		t.Errorf("TaskSucceeded at +%s, want +20h (the moved clock)", got)
	}
}

func TestCallbackFailure(t *testing.T) {
	cases := []struct {
		errName    string
		wantStatus types.ExecutionStatus
		wantState  string
	}{
		{"Reviewer.Declined", types.ExecutionStatusSucceeded, "Declined"},
		{"Something.Else", types.ExecutionStatusFailed, "AskReviewer"},
	}
	for _, tc := range cases {
		t.Run(tc.errName, func(t *testing.T) {
			h, r, start := startCallback(t)
			x := start("req-2")
			if _, err := h.client.SendTaskFailure(h.ctx(), &sfn.SendTaskFailureInput{TaskToken: aws.String(r.token(t, "req-2")), Error: aws.String(tc.errName), Cause: aws.String("said no")}); err != nil {
				t.Fatalf("send task failure: %v", err)
			}
			h.settle()
			d := h.describe(x)
			if d.Status != tc.wantStatus {
				t.Fatalf("status %s, want %s", d.Status, tc.wantStatus)
			}
			events := h.history(x)
			if got := lastStateEntered(events); got != tc.wantState {
				t.Errorf("last state %s, want %s", got, tc.wantState)
			}
			if tc.wantStatus == types.ExecutionStatusFailed && (aws.ToString(d.Error) != tc.errName || aws.ToString(d.Cause) != "said no") {
				t.Errorf("error %q cause %q, want %q %q", aws.ToString(d.Error), aws.ToString(d.Cause), tc.errName, "said no")
			}
			if !slices.Contains(eventTypes(events), "TaskFailed") {
				t.Errorf("history lacks TaskFailed: %v", eventTypes(events))
			}
		})
	}
}

// Heartbeats keep a task alive past HeartbeatSeconds; when they stop, the
// task fails with States.HeartbeatTimeout one heartbeat period after the
// last one.
func TestCallbackHeartbeat(t *testing.T) {
	h, r, start := startCallback(t)
	x := start("req-3")
	token := r.token(t, "req-3")
	for range 3 {
		h.advance(23 * time.Hour)
		if _, err := h.client.SendTaskHeartbeat(h.ctx(), &sfn.SendTaskHeartbeatInput{TaskToken: aws.String(token)}); err != nil {
			t.Fatalf("send task heartbeat: %v", err)
		}
	}
	h.advance(23 * time.Hour)
	if d := h.describe(x); d.Status != types.ExecutionStatusRunning {
		t.Fatalf("after 92 h with heartbeats every 23 h: %s, want RUNNING", d.Status)
	}
	h.advance(time.Hour)
	d := h.describe(x)
	if got := lastStateEntered(h.history(x)); d.Status != types.ExecutionStatusSucceeded || got != "Silent" {
		t.Fatalf("24 h after the last heartbeat: %s in %s, want SUCCEEDED in Silent", d.Status, got)
	}
	var out struct {
		Silent struct{ Error string } `json:"silent"`
	}
	if err := json.Unmarshal([]byte(aws.ToString(d.Output)), &out); err != nil || out.Silent.Error != "States.HeartbeatTimeout" {
		t.Errorf("output %s, want $.silent.Error States.HeartbeatTimeout", aws.ToString(d.Output))
	}
	if got := aws.ToTime(d.StopDate).Sub(epoch); got != 93*time.Hour {
		t.Errorf("stopped at +%s, want +93h", got)
	}
}

// A reviewer who never answers: the 5-day timeout is caught; a late answer
// and a duplicate answer get TaskTimedOut, a malformed or unknown token
// InvalidToken, output that is not JSON InvalidOutput.
func TestCallbackTimeoutAndLateAnswers(t *testing.T) {
	h, r, start := startCallback(t)
	answered := start("answered")
	silent := start("silent")
	answeredToken, silentToken := r.token(t, "answered"), r.token(t, "silent")

	send := func(token, output string) error {
		_, err := h.client.SendTaskSuccess(h.ctx(), &sfn.SendTaskSuccessInput{TaskToken: aws.String(token), Output: aws.String(output)})
		h.settle()
		return err
	}
	if err := send(answeredToken, `"not": json`); !errorIs[*types.InvalidOutput](err) {
		t.Errorf("output that is not JSON: %v, want InvalidOutput", err)
	}
	if err := send(answeredToken, `{"ok": 1}`); err != nil {
		t.Fatalf("first answer: %v", err)
	}
	if err := send(answeredToken, `{"ok": 2}`); !errorIs[*types.TaskTimedOut](err) {
		t.Errorf("duplicate answer: %v, want TaskTimedOut", err)
	}
	_, err := h.client.SendTaskHeartbeat(h.ctx(), &sfn.SendTaskHeartbeatInput{TaskToken: aws.String(answeredToken)})
	if !errorIs[*types.TaskTimedOut](err) {
		t.Errorf("heartbeat for an answered task: %v, want TaskTimedOut", err)
	}

	// 5 × 23 h of heartbeats, then the 5-day window ends.
	for range 5 {
		h.advance(23 * time.Hour)
		if _, err := h.client.SendTaskHeartbeat(h.ctx(), &sfn.SendTaskHeartbeatInput{TaskToken: aws.String(silentToken)}); err != nil {
			t.Fatalf("heartbeat: %v", err)
		}
	}
	h.advance(5 * time.Hour)
	d := h.describe(silent)
	if got := lastStateEntered(h.history(silent)); d.Status != types.ExecutionStatusSucceeded || got != "Expired" {
		t.Fatalf("after 5 days: %s in %s, want SUCCEEDED in Expired", d.Status, got)
	}
	if got := aws.ToTime(d.StopDate).Sub(epoch); got != 120*time.Hour {
		t.Errorf("expired at +%s, want +120h", got)
	}
	if err := send(silentToken, `{"late": true}`); !errorIs[*types.TaskTimedOut](err) {
		t.Errorf("late answer: %v, want TaskTimedOut", err)
	}
	if got := h.describe(answered).Status; got != types.ExecutionStatusSucceeded {
		t.Errorf("answered execution %s, want SUCCEEDED", got)
	}

	for name, token := range map[string]string{
		"malformed":           "not-a-token",
		"well formed unknown": newTaskToken(),
	} {
		if err := send(token, `{}`); !errorIs[*types.InvalidToken](err) {
			t.Errorf("%s token: %v, want InvalidToken", name, err)
		}
	}
}

// A stopped execution's token is closed.
func TestCallbackAfterStop(t *testing.T) {
	h, r, start := startCallback(t)
	x := start("stopped")
	if _, err := h.client.StopExecution(h.ctx(), &sfn.StopExecutionInput{ExecutionArn: aws.String(x), Error: aws.String("Ops.Cancelled"), Cause: aws.String("by hand")}); err != nil {
		t.Fatalf("stop execution: %v", err)
	}
	h.settle()
	d := h.describe(x)
	if d.Status != types.ExecutionStatusAborted || aws.ToString(d.Error) != "Ops.Cancelled" {
		t.Errorf("status %s error %q, want ABORTED Ops.Cancelled", d.Status, aws.ToString(d.Error))
	}
	_, err := h.client.SendTaskSuccess(h.ctx(), &sfn.SendTaskSuccessInput{TaskToken: aws.String(r.token(t, "stopped")), Output: aws.String(`{}`)})
	if !errorIs[*types.TaskTimedOut](err) {
		t.Errorf("answer after stop: %v, want TaskTimedOut", err)
	}
	if got := h.e.PendingTimers(); len(got) != 0 {
		t.Errorf("timers still armed after the stop: %v", got)
	}
}

// A handler may answer its own token before it returns (the callback
// arrives while the invocation is still running): the task still records
// TaskSubmitted before TaskSucceeded.
func TestCallbackAnsweredDuringInvocation(t *testing.T) {
	h := newHarness(t)
	h.e.RegisterFunction("candor-ask-reviewer", func(ctx context.Context, payload []byte) ([]byte, error) {
		var in struct{ TaskToken string }
		if err := json.Unmarshal(payload, &in); err != nil {
			return nil, err
		}
		_, err := h.client.SendTaskSuccess(ctx, &sfn.SendTaskSuccessInput{TaskToken: aws.String(in.TaskToken), Output: aws.String(`"instant"`)})
		return []byte(`{}`), err
	})
	x := h.start(h.create("callback", "callback.asl.json", callbackSubs), "", `{"requestId": "r"}`)
	d := h.describe(x)
	if d.Status != types.ExecutionStatusSucceeded || !jsonEqual(t, aws.ToString(d.Output), `{"requestId": "r", "reply": "instant"}`) {
		t.Fatalf("status %s output %s, want SUCCEEDED with reply \"instant\"", d.Status, aws.ToString(d.Output))
	}
	got := eventTypes(h.history(x))
	if i, j := slices.Index(got, "TaskSubmitted"), slices.Index(got, "TaskSucceeded"); i < 0 || j < i {
		t.Errorf("history %v, want TaskSubmitted before TaskSucceeded", got)
	}
}

// Lambda service faults raised by the callback's function are retried with
// the task's Retry, each attempt with a fresh token.
func TestCallbackInvocationRetried(t *testing.T) {
	h := newHarness(t)
	r := &reviewer{tokens: map[string][]string{}}
	calls := 0
	var mu sync.Mutex
	h.e.RegisterFunction("candor-ask-reviewer", func(ctx context.Context, payload []byte) ([]byte, error) {
		mu.Lock()
		calls++
		n := calls
		mu.Unlock()
		if n == 1 {
			return nil, ServiceError{Name: "Lambda.TooManyRequestsException", Message: "Rate Exceeded."}
		}
		return r.handler()(ctx, payload)
	})
	x := h.start(h.create("callback", "callback.asl.json", callbackSubs), "", `{"requestId": "retry"}`)
	h.advance(2 * time.Second)
	if _, err := h.client.SendTaskSuccess(h.ctx(), &sfn.SendTaskSuccessInput{TaskToken: aws.String(r.token(t, "retry")), Output: aws.String(`{}`)}); err != nil {
		t.Fatalf("send task success: %v", err)
	}
	h.settle()
	if d := h.describe(x); d.Status != types.ExecutionStatusSucceeded {
		t.Fatalf("status %s, want SUCCEEDED after one retry", d.Status)
	}
	events := h.history(x)
	var failed *types.TaskFailedEventDetails
	for _, ev := range events {
		if ev.TaskFailedEventDetails != nil {
			failed = ev.TaskFailedEventDetails
		}
	}
	if failed == nil || aws.ToString(failed.Error) != "Lambda.TooManyRequestsException" {
		t.Errorf("TaskFailed details %+v, want error Lambda.TooManyRequestsException", failed)
	}
	if n := countOf(eventTypes(events), "TaskScheduled"); n != 2 {
		t.Errorf("%d TaskScheduled events, want 2", n)
	}
}

func TestTaskTokens(t *testing.T) {
	seen := map[string]bool{}
	for range 1000 {
		tok := newTaskToken()
		if seen[tok] {
			t.Fatalf("token %s issued twice", tok)
		}
		seen[tok] = true
		if !wellFormedToken(tok) {
			t.Fatalf("token %s is not well formed", tok)
		}
	}
	if bits := tokenBytes * 8; bits < 128 {
		t.Errorf("tokens carry %d random bits, want at least 128", bits)
	}
}

// errorIs reports whether err is (wraps) an error of type E.
func errorIs[E error](err error) bool {
	var target E
	return errors.As(err, &target)
}

// TimeoutSecondsPath and HeartbeatSecondsPath take the windows from the
// state's input (as Candor's find-reviewer machine does); a value that is
// not a positive integer is States.Runtime.
func TestTimeoutAndHeartbeatPaths(t *testing.T) {
	cases := []struct {
		name        string
		input       string
		heartbeatAt time.Duration // 0 = none
		advance     time.Duration // when the task should end
		wantState   string
		wantError   string
	}{
		{"timeout from the input", `{"requestId": "p", "w": {"t": 300, "h": 200}}`, 150 * time.Second, 5 * time.Minute, "Expired", ""},
		{"heartbeat from the input", `{"requestId": "p", "w": {"t": 300, "h": 100}}`, 0, 100 * time.Second, "Silent", ""},
		{"not an integer", `{"requestId": "p", "w": {"t": "soon", "h": 100}}`, 0, 0, "", "States.Runtime"},
		{"missing", `{"requestId": "p", "w": {}}`, 0, 0, "", "States.Runtime"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			r := &reviewer{tokens: map[string][]string{}}
			h.e.RegisterFunction("ask", r.handler())
			arn := h.create("paths", `{"StartAt": "Ask", "States": {
				"Ask": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",
				        "Parameters": {"FunctionName": "ask", "Payload": {"requestId.$": "$.requestId", "taskToken.$": "$$.Task.Token"}},
				        "TimeoutSecondsPath": "$.w.t", "HeartbeatSecondsPath": "$.w.h",
				        "Catch": [{"ErrorEquals": ["States.HeartbeatTimeout"], "Next": "Silent"}, {"ErrorEquals": ["States.Timeout"], "Next": "Expired"}],
				        "End": true},
				"Silent": {"Type": "Succeed"}, "Expired": {"Type": "Succeed"}}}`, nil)
			x := h.start(arn, "", tc.input)
			if tc.heartbeatAt > 0 {
				h.advance(tc.heartbeatAt)
				if _, err := h.client.SendTaskHeartbeat(h.ctx(), &sfn.SendTaskHeartbeatInput{TaskToken: aws.String(r.token(t, "p"))}); err != nil {
					t.Fatalf("heartbeat: %v", err)
				}
			}
			if tc.advance > 0 {
				h.advance(tc.advance - tc.heartbeatAt - time.Second)
				if d := h.describe(x); d.Status != types.ExecutionStatusRunning {
					t.Fatalf("a second early: %s, want RUNNING", d.Status)
				}
				h.advance(time.Second)
			}
			d := h.describe(x)
			if tc.wantError != "" {
				if d.Status != types.ExecutionStatusFailed || aws.ToString(d.Error) != tc.wantError {
					t.Errorf("status %s error %q, want FAILED %s", d.Status, aws.ToString(d.Error), tc.wantError)
				}
				return
			}
			if got := lastStateEntered(h.history(x)); d.Status != types.ExecutionStatusSucceeded || got != tc.wantState {
				t.Errorf("%s in %s, want SUCCEEDED in %s", d.Status, got, tc.wantState)
			}
		})
	}
}
