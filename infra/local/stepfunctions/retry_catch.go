package stepfunctions

// Error handling shared by Task, Parallel and Map: Retry (back-off, per-name
// attempt budgets, jitter) and Catch.

import (
	"math"
	"time"

	"github.com/candorhq/candor/infra/local/stepfunctions/asl"
)

// retryCounts remembers, for one visit of a state, how often each retrier
// was used (the back-off exponent) and how often for each error name (the
// MaxAttempts budget): spec "Retrying after error", where ErrorA, ErrorB,
// ErrorC, ErrorB wait 1, 2, 5 and 4 seconds and a third ErrorB exhausts
// MaxAttempts 2 "for that particular error".
type retryCounts struct {
	uses    []int64
	perName []map[string]int64
}

func newRetryCounts(n int) *retryCounts {
	rc := &retryCounts{uses: make([]int64, n), perName: make([]map[string]int64, n)}
	for i := range rc.perName {
		rc.perName[i] = map[string]int64{}
	}
	return rc
}

// retryDelay picks the first retrier matching f; it returns the back-off
// and true if that retrier still has attempts left for f's name.
func (t *thread) retryDelay(s *state, f *failure, counts *retryCounts) (time.Duration, bool) {
	for i, r := range s.retry {
		if !matchesError(r.errorEquals, f.name) {
			continue
		}
		if counts.perName[i][f.name] >= r.maxAttempts {
			return 0, false
		}
		d := float64(r.interval) * math.Pow(r.backoff, float64(counts.uses[i]))
		if r.maxDelay > 0 && d > float64(r.maxDelay) {
			d = float64(r.maxDelay)
		}
		if r.jitterFull {
			d *= t.e.rand()
		}
		counts.uses[i]++
		counts.perName[i][f.name]++
		return time.Duration(math.Round(d*1000)) * time.Millisecond, true
	}
	return 0, false
}

// handleError retries (returning retry=true after the back-off) or catches
// f, or gives up with it. A terminal failure is given up at once.
func (t *thread) handleError(s *state, raw any, f *failure, counts *retryCounts) (o outcome, retry bool) {
	if f.terminal {
		return outcome{err: f}, false
	}
	if d, ok := t.retryDelay(s, f, counts); ok {
		t.e.log.Debug("state retrying", "execution", t.x.arn, "state", s.name, "error", f.name, "delay", d)
		t.e.mu.Lock()
		until := t.e.now().Add(d)
		var p *park // a Task's back-off is where a restored execution can resume
		if s.typ == typeTask && t.task != nil {
			p = &park{kind: parkRetry, state: s.name, input: raw, entered: t.task.entered, retries: t.task.retries, counts: counts, until: until}
		}
		ok := t.sleepParkedLocked(until, p)
		t.e.mu.Unlock()
		if !ok {
			return t.aborted(s), false
		}
		return outcome{}, true
	}
	for _, k := range s.catch {
		if !matchesError(k.errorEquals, f.name) {
			continue
		}
		errOut := map[string]any{"Error": f.name}
		if f.cause != "" {
			errOut["Cause"] = f.cause
		}
		out, err := asl.ApplyResultPath(k.resultPath, k.resultNull, raw, errOut)
		if err != nil {
			return outcome{err: toFailure(err)}, false
		}
		outJSON := mustJSON(out)
		if tf := stateOutputTooLarge(s, outJSON); tf != nil {
			return outcome{err: tf}, false
		}
		t.e.log.Debug("state caught error", "execution", t.x.arn, "state", s.name, "error", f.name, "next", k.next)
		t.emit(s.typ+suffixExited, keyStateExited, stateExitedDetails{Name: s.name, Output: outJSON, OutputDetails: notTruncated})
		return outcome{output: out, next: k.next}, false
	}
	return outcome{err: f}, false
}

// execution); nor is a terminal failure, which handleError never offers.
// States.ALL matches any other name, States.DataLimitExceeded of a task
// result included (AWS reports that one as the task's failure, and its
// catchers handle it); States.TaskFailed any name but the timeouts;
// States.Timeout also matches States.HeartbeatTimeout.
func matchesError(list []string, name string) bool {
	if name == asl.ErrRuntime {
		return false
	}
	for _, e := range list {
		switch {
		case e == name, e == asl.ErrALL:
			return true
		case e == asl.ErrTaskFailed && name != asl.ErrTimeout && name != asl.ErrHeartbeatTimeout:
			return true
		case e == asl.ErrTimeout && name == asl.ErrHeartbeatTimeout:
			return true
		}
	}
	return false
}
