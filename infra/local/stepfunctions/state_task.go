package stepfunctions

// The Task state: its retry loop and its timeouts. One attempt (the
// invocation, the callback, the timers) is in task_attempt.go.

import (
	"fmt"
	"time"

	"github.com/candorhq/candor/infra/local/stepfunctions/asl"
)

func (t *thread) runTask(s *state, raw any, entered time.Time) outcome {
	return t.runTaskFrom(s, raw, entered, nil)
}

// runTaskFrom runs a Task state; p, for a restored execution, is where it
// was parked: waiting for its token (the attempt goes on with the same
// token and deadlines) or in a retry's back-off (which ends at the same
// time, and the retries go on with the same counts).
func (t *thread) runTaskFrom(s *state, raw any, entered time.Time, p *park) outcome {
	ctx0 := t.contextObject(s, entered, 0, "")
	eff, f := t.effectiveInput(s, raw, ctx0)
	if f != nil {
		return outcome{err: f}
	}
	counts, retries := newRetryCounts(len(s.retry)), 0
	if p != nil {
		counts, retries = p.counts, p.retries
	}
	defer func() { t.task = nil }()
	for ; ; retries++ {
		t.task = &park{state: s.name, input: raw, entered: entered, retries: retries, counts: counts}
		var result any
		var aborted bool
		switch {
		case p != nil && p.kind == parkRetry:
			t.e.mu.Lock()
			ok := t.sleepParkedLocked(p.until, p)
			t.e.mu.Unlock()
			p = nil
			if !ok {
				return t.aborted(s)
			}
			continue
		case p != nil && p.kind == parkCallback:
			result, f, aborted = t.resumeCallback(s, p)
			p = nil
		default:
			result, f, aborted = t.taskAttempt(s, eff, entered, retries)
		}
		if aborted {
			return t.aborted(s)
		}
		var out any
		if f == nil {
			out, f = t.finish(s, raw, result, t.contextObject(s, entered, retries, ""))
			if f == nil {
				return t.exit(s, out, s.next)
			}
		}
		o, retry := t.handleError(s, raw, f, counts)
		if !retry {
			return o
		}
	}
}

// timeoutsFor resolves a task's timeout and heartbeat in seconds (0 = none).
func timeoutsFor(s *state, eff, ctx any) (timeout, heartbeat int64, f *failure) {
	spec := s.task
	timeout, heartbeat = spec.timeoutSeconds, spec.heartbeatSeconds
	resolve := func(p *asl.Path, field string) (int64, *failure) {
		v, err := p.Get(eff, ctx)
		if err != nil {
			return 0, toFailure(err)
		}
		n, ok := intValue(v)
		if !ok || n < 1 || n > maxSeconds {
			return 0, stateRuntime(fmt.Sprintf("the value at %s %s in state %q is not an integer from 1 to %d", field, p, s.name, maxSeconds))
		}
		return n, nil
	}
	if spec.timeoutPath != nil {
		if timeout, f = resolve(spec.timeoutPath, "TimeoutSecondsPath"); f != nil {
			return 0, 0, f
		}
	}
	if spec.heartbeatPath != nil {
		if heartbeat, f = resolve(spec.heartbeatPath, "HeartbeatSecondsPath"); f != nil {
			return 0, 0, f
		}
	}
	if heartbeat > 0 && timeout > 0 && heartbeat >= timeout {
		return 0, 0, &failure{name: asl.ErrRuntime, cause: fmt.Sprintf("HeartbeatSeconds (%d) must be smaller than TimeoutSeconds (%d) in state %q", heartbeat, timeout, s.name)}
	}
	return timeout, heartbeat, nil
}

func optionalSeconds(n int64) *int64 {
	if n <= 0 {
		return nil
	}
	return &n
}
