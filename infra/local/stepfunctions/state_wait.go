package stepfunctions

// The Wait state: Seconds, SecondsPath, Timestamp or TimestampPath, on the
// engine clock.

import (
	"fmt"
	"time"

	"github.com/candorhq/candor/infra/local/stepfunctions/asl"
)

// maxWaitSeconds is the longest delay AWS accepts at run time (2^31 - 1
// seconds: recorded on AWS, a timestamp 24,855 days ahead waits and one
// 24,856 days ahead fails with waitTooLong).
const maxWaitSeconds = 1<<31 - 1

const waitTooLong = "Wait state delay is too long."

// stateRuntime is a States.Runtime of the running state, whose cause
// runState prefixes with the state as AWS does.
func stateRuntime(cause string) *failure {
	return &failure{name: asl.ErrRuntime, cause: cause, inState: true}
}

// valueText is a value as AWS quotes it in a cause: a string as it is, any
// other value as JSON.
func valueText(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	return mustJSON(v)
}

func (t *thread) runWait(s *state, raw any, entered time.Time) outcome {
	ctx := t.contextObject(s, entered, 0, "")
	eff, f := t.effectiveInput(s, raw, ctx)
	if f != nil {
		return outcome{err: f}
	}
	w := s.wait
	var until time.Time
	switch {
	case w.hasSeconds:
		until = entered.Add(time.Duration(w.seconds) * time.Second)
	case w.secondsPath != nil:
		v, err := w.secondsPath.Get(eff, ctx)
		if err != nil {
			return outcome{err: stateRuntime(fmt.Sprintf("The SecondsPath parameter does not reference an input value: %s", w.secondsPath))}
		}
		n, ok := intValue(v)
		switch {
		case !ok:
			return outcome{err: stateRuntime(fmt.Sprintf("The SecondsPath parameter cannot be parsed as a long value: %s == %s", w.secondsPath, valueText(v)))}
		case n < 0:
			return outcome{err: stateRuntime(fmt.Sprintf("The SecondsPath parameter references a negative value: %s == %s", w.secondsPath, valueText(v)))}
		case n > maxWaitSeconds:
			return outcome{err: stateRuntime(waitTooLong)}
		}
		until = entered.Add(time.Duration(n) * time.Second)
	case w.hasTimestamp:
		until = w.timestamp
	case w.timestampPath != nil:
		v, err := w.timestampPath.Get(eff, ctx)
		if err != nil {
			return outcome{err: stateRuntime(fmt.Sprintf("The TimestampPath parameter does not reference an input value: %s", w.timestampPath))}
		}
		str, ok := v.(string)
		ts, perr := asl.ParseTimestamp(str)
		if !ok || perr != nil {
			return outcome{err: stateRuntime(fmt.Sprintf("The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time format string: %s == %s", w.timestampPath, valueText(v)))}
		}
		until = ts
	}
	if until.Sub(entered) > maxWaitSeconds*time.Second {
		return outcome{err: stateRuntime(waitTooLong)}
	}
	return t.waitUntil(s, raw, entered, until)
}

// waitUntil is the rest of a Wait state once its time is known: it sleeps
// until then (the execution parked there) and exits. A restored execution
// resumes here.
func (t *thread) waitUntil(s *state, raw any, entered, until time.Time) outcome {
	ctx := t.contextObject(s, entered, 0, "")
	eff, f := t.effectiveInput(s, raw, ctx)
	if f != nil {
		return outcome{err: f}
	}
	t.e.mu.Lock()
	ok := t.sleepParkedLocked(until, &park{kind: parkWait, state: s.name, input: raw, entered: entered, until: until})
	t.e.mu.Unlock()
	if !ok {
		return t.aborted(s)
	}
	out, err := asl.ApplyOutputPath(s.outputPath, s.outputNull, eff, ctx)
	if err != nil {
		return outcome{err: toFailure(err)}
	}
	return t.exit(s, out, s.next)
}
