package stepfunctions

// RedriveExecution: restarting a failed, aborted or timed-out execution from
// the states that did not succeed.

import (
	"context"
	"fmt"
	"time"
)

// resumePoint is where a redrive restarts one line of control (the
// execution, a Parallel branch, a Map iteration): the state that did not
// succeed, entered again with the raw input it had, and for a Parallel or
// Map state what its branches or iterations achieved.
type resumePoint struct {
	state string
	input any
	group *groupResume // nil: the state runs its children from scratch
}

// groupResume is what a Parallel or Map state's children achieved in an
// attempt: which succeeded, with their results, and where the others stopped
// (a nil resume point: the child never started, or is restarted from its
// first state).
type groupResume struct {
	done    []bool
	results []any
	resume  []*resumePoint
}

// copyOrNew returns a copy of g for n children, or a fresh state when g is
// nil or was recorded for another number of children (a Map whose items
// changed cannot keep its iterations' results).
func (g *groupResume) copyOrNew(n int) *groupResume {
	out := &groupResume{done: make([]bool, n), results: make([]any, n), resume: make([]*resumePoint, n)}
	if g == nil || len(g.done) != n {
		return out
	}
	copy(out.done, g.done)
	copy(out.results, g.results)
	copy(out.resume, g.resume)
	return out
}

// Redrive limits, as AWS documents them for RedriveExecution.
const (
	// redrivablePeriod is how long after its end an execution can be
	// redriven.
	redrivablePeriod = 14 * 24 * time.Hour
	// maxOpenTime is the longest an execution may stay open, counted from
	// its start; one that is older cannot be redriven.
	maxOpenTime = 365 * 24 * time.Hour
	// redriveTokenTTL is how long a client token is honoured after its
	// first use; redriveTokensKept is how many recent ones are.
	redriveTokenTTL   = 15 * time.Minute
	redriveTokensKept = 10
	maxClientToken    = 64
)

// redriveToken is a client token of a successful redrive.
type redriveToken struct {
	token string
	first time.Time // first use
	date  time.Time // the redrive date it answered
}

// RedriveExecution restarts a FAILED, ABORTED or TIMED_OUT execution from
// the states that did not succeed, as Step Functions' RedriveExecution
// does, and returns the redrive date. A clientToken already used for a
// successful redrive of this execution in the last 15 minutes (one of the
// last 10) returns that redrive's date and changes nothing. An execution
// that cannot be redriven fails with an *APIError ExecutionNotRedrivable
// whose message gives the reason DescribeExecution reports.
func (e *Engine) RedriveExecution(ctx context.Context, executionArn, clientToken string) (time.Time, error) {
	if err := ctx.Err(); err != nil {
		return time.Time{}, fmt.Errorf("redrive execution: %w", err)
	}
	d, err := e.redriveExecution(executionArn, clientToken)
	if err != nil {
		return time.Time{}, fmt.Errorf("redrive execution %s: %w", executionArn, err)
	}
	return d, nil
}

func (e *Engine) redriveExecution(arn, clientToken string) (time.Time, error) {
	if clientToken != "" && (len(clientToken) > maxClientToken || !printableASCII(clientToken)) {
		return time.Time{}, apiErr("ValidationException", "1 validation error detected: Value at 'clientToken' failed to satisfy constraint: Member must have length less than or equal to %d and satisfy regular expression pattern: [!-~]+", maxClientToken)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	x, err := e.settledExecutionLocked(arn)
	if err != nil {
		return time.Time{}, err
	}
	now := e.now()
	if d, ok := x.redrivenWithLocked(clientToken, now); ok {
		return d, nil
	}
	if reason := e.notRedrivableLocked(x, now); reason != "" {
		return time.Time{}, apiErr("ExecutionNotRedrivable", "Execution '%s' cannot be redriven: %s", arn, reason)
	}
	x.redriveCount++
	x.redriveDate = now
	if clientToken != "" {
		x.redriveTokens = append(x.redriveTokens, redriveToken{token: clientToken, first: now, date: now})
		if len(x.redriveTokens) > redriveTokensKept {
			x.redriveTokens = x.redriveTokens[len(x.redriveTokens)-redriveTokensKept:]
		}
	}
	last := x.appendLocked(now, int64(len(x.events)), evExecutionRedriven, keyExecutionRedriven, executionRedrivenDetails{RedriveCount: x.redriveCount})
	x.status, x.stop, x.output, x.errName, x.cause = statusRunning, time.Time{}, "", "", ""
	rp := x.resume
	x.resume = nil
	e.log.Info("execution redriven", "execution", x.arn, "redriveCount", x.redriveCount)
	e.runAttemptLocked(x, now, last, rp)
	return now, nil
}

// settledExecutionLocked returns the execution, after waiting (unlocked)
// for the goroutine of its latest attempt to return if the execution is
// closed: its resume point is known only then.
func (e *Engine) settledExecutionLocked(arn string) (*execution, error) {
	for {
		if e.closed {
			return nil, ErrClosed
		}
		x, err := e.executionLocked(arn)
		if err != nil {
			return nil, err
		}
		if x.status == statusRunning || chanClosed(x.done) {
			return x, nil
		}
		done := x.done
		e.mu.Unlock()
		<-done
		e.mu.Lock()
	}
}

func chanClosed(ch chan struct{}) bool {
	select {
	case <-ch:
		return true
	default:
		return false
	}
}

// redrivenWithLocked returns the date of the redrive a client token
// answered, if the token is one of the execution's recent ones.
func (x *execution) redrivenWithLocked(token string, now time.Time) (time.Time, bool) {
	if token == "" {
		return time.Time{}, false
	}
	for _, t := range x.redriveTokens {
		if t.token == token && now.Sub(t.first) < redriveTokenTTL {
			return t.date, true
		}
	}
	return time.Time{}, false
}

// notRedrivableLocked returns why x cannot be redriven now (the
// redriveStatusReason of DescribeExecution), or "" if it can.
func (e *Engine) notRedrivableLocked(x *execution, now time.Time) string {
	switch {
	case x.status == statusRunning:
		return "Execution is RUNNING and cannot be redriven"
	case x.status == statusSucceeded:
		return "Execution is SUCCEEDED and cannot be redriven"
	case len(x.events)+1 >= e.maxHistory:
		// Room is needed for ExecutionRedriven and at least one more event.
		return "Execution history event limit exceeded"
	case now.Sub(x.start) >= maxOpenTime:
		return "Execution has exceeded the max execution time"
	case now.Sub(x.stop) > redrivablePeriod:
		return "Execution redrivable period exceeded"
	}
	return ""
}

func printableASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '!' || s[i] > '~' {
			return false
		}
	}
	return true
}
