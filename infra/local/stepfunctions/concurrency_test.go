package stepfunctions

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
)

// Many executions run at once: they are started, answered, heart-beaten and
// timed out from concurrent goroutines while the clock moves, and each ends
// as its own story says (run with -race).
func TestManyConcurrentExecutions(t *testing.T) {
	const n = 40
	h, r, _ := startCallback(t)
	arn := h.create("callback", "callback.asl.json", callbackSubs)
	ctx := h.ctx()
	execs := make([]string, n)
	var wg sync.WaitGroup
	errs := make(chan error, 4*n)
	for i := range n {
		wg.Go(func() {
			out, err := h.client.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: aws.String(arn), Name: aws.String(fmt.Sprintf("c-%d", i)), Input: aws.String(fmt.Sprintf(`{"requestId": "c-%d"}`, i))})
			if err != nil {
				errs <- err
				return
			}
			execs[i] = aws.ToString(out.ExecutionArn)
		})
	}
	wg.Wait()
	h.settle()

	// Even executions are answered, odd ones only heart-beaten, while
	// another goroutine moves the clock 20 hours in 1-hour steps.
	for i := range n {
		token := r.token(t, fmt.Sprintf("c-%d", i))
		wg.Go(func() {
			var err error
			if i%2 == 0 {
				_, err = h.client.SendTaskSuccess(ctx, &sfn.SendTaskSuccessInput{TaskToken: aws.String(token), Output: aws.String(fmt.Sprintf(`{"n": %d}`, i))})
			} else {
				_, err = h.client.SendTaskHeartbeat(ctx, &sfn.SendTaskHeartbeatInput{TaskToken: aws.String(token)})
			}
			if err != nil {
				errs <- err
			}
		})
	}
	wg.Go(func() {
		for range 20 {
			if err := h.e.Advance(ctx, time.Hour); err != nil {
				errs <- err
			}
		}
	})
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("concurrent call: %v", err)
	}
	h.settle()
	h.advance(5 * 24 * time.Hour)
	for i, x := range execs {
		d := h.describe(x)
		want := "Replied"
		if i%2 == 1 {
			want = "Silent" // heartbeats stopped: 24 h after the last one
		}
		if got := lastStateEntered(h.history(x)); d.Status != types.ExecutionStatusSucceeded || got != want {
			t.Errorf("execution %d: %s in %s, want SUCCEEDED in %s", i, d.Status, got, want)
		}
	}
}

// After Close the API answers ServiceUnavailable and no timer fires.
func TestClose(t *testing.T) {
	h := newHarness(t)
	arn := h.create("w", waitingMachine, nil)
	h.start(arn, "before", `{}`)
	h.e.Close()
	_, err := h.client.StartExecution(h.ctx(), &sfn.StartExecutionInput{StateMachineArn: aws.String(arn)})
	var ae interface{ ErrorCode() string }
	if !errorAs(err, &ae) || ae.ErrorCode() != "ServiceUnavailable" {
		t.Errorf("start after close: %v, want ServiceUnavailable", err)
	}
	if got := h.e.PendingTimers(); len(got) != 0 {
		t.Errorf("timers armed after close: %v", got)
	}
	if err := h.e.Advance(context.Background(), time.Hour); err != nil {
		t.Errorf("advance after close: %v", err)
	}
}
