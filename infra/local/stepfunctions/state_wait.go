package stepfunctions

// The Wait state: Seconds, SecondsPath, Timestamp or TimestampPath, on the
// engine clock.

import (
	"fmt"
	"time"

	"github.com/candorhq/candor/infra/local/stepfunctions/asl"
)

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
			return outcome{err: toFailure(err)}
		}
		n, ok := intValue(v)
		if !ok || n < 0 || n > maxSeconds {
			return outcome{err: &failure{name: asl.ErrRuntime, cause: fmt.Sprintf("the value at SecondsPath %s in state %q is not an integer from 0 to %d", w.secondsPath, s.name, maxSeconds)}}
		}
		until = entered.Add(time.Duration(n) * time.Second)
	case w.hasTimestamp:
		until = w.timestamp
	case w.timestampPath != nil:
		v, err := w.timestampPath.Get(eff, ctx)
		if err != nil {
			return outcome{err: toFailure(err)}
		}
		str, ok := v.(string)
		ts, perr := asl.ParseTimestamp(str)
		if !ok || perr != nil {
			return outcome{err: &failure{name: asl.ErrRuntime, cause: fmt.Sprintf("the value at TimestampPath %s in state %q is not an RFC 3339 timestamp", w.timestampPath, s.name)}}
		}
		until = ts
	}
	t.e.mu.Lock()
	ok := t.sleepLocked(until)
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
