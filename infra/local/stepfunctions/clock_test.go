package stepfunctions

import (
	"context"
	"encoding/json"
	"errors"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/candorhq/candor/shared/clock"
)

var proofSubs = map[string]string{
	"RequestProofFunction": "candor-request-proof",
	"SendReminderFunction": "arn:aws:lambda:us-east-1:000000000000:function:candor-send-reminder",
}

// A 7-day window with a 3-day reminder branch runs to its end under one
// move of the virtual clock: the reminder goes out at +72 h, the window
// closes at +168 h, and nothing sleeps.
func TestSevenDayWindowWithReminder(t *testing.T) {
	cases := []struct {
		name      string
		answerAt  time.Duration // 0 = never
		wantStop  time.Duration
		wantProof string
	}{
		{"no answer", 0, 168 * time.Hour, `{"outcome": "no_proof_provided"}`},
		{"answer on day 5", 120 * time.Hour, 120 * time.Hour, `{"outcome": "proof_received", "proof": {"file": "invoice.pdf"}}`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			var mu sync.Mutex
			var reminders []time.Duration
			r := &reviewer{tokens: map[string][]string{}}
			h.e.RegisterFunction("candor-request-proof", func(ctx context.Context, payload []byte) ([]byte, error) {
				var in struct{ ReportID, TaskToken string }
				if err := json.Unmarshal(payload, &in); err != nil {
					return nil, err
				}
				return r.handler()(ctx, []byte(`{"requestId": "`+in.ReportID+`", "taskToken": "`+in.TaskToken+`"}`))
			})
			h.e.RegisterFunction("candor-send-reminder", fn(func(map[string]any) (any, error) {
				mu.Lock()
				defer mu.Unlock()
				reminders = append(reminders, h.clk.Now().Sub(epoch))
				return map[string]any{"reminded": true}, nil
			}))
			x := h.start(h.create("proof", "proof_window.asl.json", proofSubs), "rpt-1", `{"reportId": "rpt-1"}`)
			if tc.answerAt > 0 {
				h.advance(tc.answerAt)
				if _, err := h.client.SendTaskSuccess(h.ctx(), &sfn.SendTaskSuccessInput{TaskToken: aws.String(r.token(t, "rpt-1")), Output: aws.String(`{"file": "invoice.pdf"}`)}); err != nil {
					t.Fatalf("send task success: %v", err)
				}
				h.settle()
			} else {
				h.advance(7 * 24 * time.Hour)
			}
			d := h.describe(x)
			if d.Status != types.ExecutionStatusSucceeded {
				t.Fatalf("status %s (%s), want SUCCEEDED", d.Status, aws.ToString(d.Error))
			}
			if got := aws.ToTime(d.StopDate).Sub(epoch); got != tc.wantStop {
				t.Errorf("closed at +%s, want +%s", got, tc.wantStop)
			}
			if !slices.Equal(reminders, []time.Duration{72 * time.Hour}) {
				t.Errorf("reminders at %v, want one at +72h", reminders)
			}
			var out struct {
				Result struct {
					Window   json.RawMessage `json:"window"`
					Reminder json.RawMessage `json:"reminder"`
				} `json:"result"`
			}
			if err := json.Unmarshal([]byte(aws.ToString(d.Output)), &out); err != nil {
				t.Fatalf("output %s: %v", aws.ToString(d.Output), err)
			}
			if !jsonEqual(t, string(out.Result.Window), tc.wantProof) || !jsonEqual(t, string(out.Result.Reminder), `{"reminded": true}`) {
				t.Errorf("output %s, want window %s and reminder {\"reminded\": true}", aws.ToString(d.Output), tc.wantProof)
			}
		})
	}
}

// Advance fires due timers in time order, across executions.
func TestAdvanceFiresTimersInOrder(t *testing.T) {
	h := newHarness(t)
	var mu sync.Mutex
	var order []string
	h.e.RegisterFunction("Record", fn(func(in map[string]any) (any, error) {
		mu.Lock()
		defer mu.Unlock()
		order = append(order, in["name"].(string)+"@"+h.clk.Now().Sub(epoch).String())
		return nil, nil
	}))
	arn := h.create("ordered", `{"StartAt": "W", "States": {
		"W": {"Type": "Wait", "SecondsPath": "$.after", "Next": "R"},
		"R": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:000000000000:function:Record", "End": true}}}`, nil)
	for _, in := range []struct {
		name  string
		after int
	}{{"thirty", 30}, {"ten", 10}, {"twenty", 20}, {"also-ten", 10}} {
		b, _ := json.Marshal(map[string]any{"name": in.name, "after": in.after})
		h.start(arn, in.name, string(b))
	}
	if want := []time.Time{epoch.Add(10 * time.Second), epoch.Add(10 * time.Second), epoch.Add(20 * time.Second), epoch.Add(30 * time.Second)}; !slices.EqualFunc(h.e.PendingTimers(), want, time.Time.Equal) {
		t.Errorf("pending timers %v, want %v", h.e.PendingTimers(), want)
	}
	h.advance(time.Minute)
	want := []string{"ten@10s", "also-ten@10s", "twenty@20s", "thirty@30s"}
	if !slices.Equal(order, want) {
		t.Errorf("fired %v, want %v", order, want)
	}
	if got := h.clk.Now().Sub(epoch); got != time.Minute {
		t.Errorf("clock at +%s after Advance(1m), want +1m", got)
	}
}

// The local stack shares the Manual clock: when it is moved directly,
// Advance(0) fires what fell due.
func TestAdvanceZeroFiresDueTimers(t *testing.T) {
	h := newHarness(t)
	x := h.start(h.create("w", `{"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 60, "End": true}}}`, nil), "", `{}`)
	h.clk.Advance(2 * time.Minute)
	if d := h.describe(x); d.Status != types.ExecutionStatusRunning {
		t.Fatalf("before Advance(0): %s, want RUNNING (timers fire only inside Advance)", d.Status)
	}
	h.advance(0)
	if d := h.describe(x); d.Status != types.ExecutionStatusSucceeded {
		t.Errorf("after Advance(0): %s, want SUCCEEDED", d.Status)
	}
}

// In real-time mode Advance is refused, executions run on their own, and
// timers fire from the wall clock.
func TestRealTimeMode(t *testing.T) {
	e := New(Config{Clock: clock.System{}})
	defer e.Close()
	srv := httptest.NewServer(e)
	defer srv.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := e.Advance(ctx, time.Second); !errors.Is(err, ErrNotVirtual) {
		t.Errorf("Advance in real time: %v, want ErrNotVirtual", err)
	}
	e.RegisterFunction("Echo", fn(func(in map[string]any) (any, error) { return in, nil }))
	arn, err := e.CreateStateMachine(ctx, "rt", []byte(`{"StartAt": "Past", "States": {
		"Past": {"Type": "Wait", "Timestamp": "2016-03-14T01:59:00Z", "Next": "T"},
		"T": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:000000000000:function:Echo", "End": true}}}`), nil)
	if err != nil {
		t.Fatal(err)
	}
	x, err := e.startExecution(arn, "rt-1", `{"a": 1}`)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Settle(ctx); err != nil {
		t.Fatal(err)
	}
	e.mu.Lock()
	status, output := x.status, x.output
	e.mu.Unlock()
	if status != statusSucceeded || output != `{"a":1}` {
		t.Errorf("status %s output %s, want SUCCEEDED {\"a\":1}", status, output)
	}
	hist, err := newClient(srv.URL).GetExecutionHistory(ctx, &sfn.GetExecutionHistoryInput{ExecutionArn: aws.String(x.arn)})
	if err != nil {
		t.Fatal(err)
	}
	if err := CheckHistory(hist.Events, types.ExecutionStatusSucceeded); err != nil {
		t.Error(err)
	}

	fired := make(chan time.Time, 1)
	e.mu.Lock()
	e.scheduleLocked(e.now().Add(-time.Second), func() { fired <- e.now() })
	e.mu.Unlock()
	select {
	case <-fired:
	case <-ctx.Done():
		t.Fatal("a due real-time timer did not fire")
	}
}

func TestAdvanceRejectsNegative(t *testing.T) {
	h := newHarness(t)
	if err := h.e.Advance(h.ctx(), -time.Second); err == nil {
		t.Error("Advance(-1s) succeeded, want an error")
	}
}
