package stepfunctions

// The Parallel state: every branch on the same input, results in branch order.

import "time"

// runParallel runs a Parallel state. gr, for a redrive, is what the
// branches achieved in the previous attempt: the first run of the state
// keeps the results of the branches that succeeded and runs the others from
// where they stopped; a retry runs every branch again.
func (t *thread) runParallel(s *state, raw any, entered time.Time, gr *groupResume) outcome {
	counts := newRetryCounts(len(s.retry))
	var last *groupResume // what the branches of the latest attempt achieved
	for retries := 0; ; retries++ {
		ctx := t.contextObject(s, entered, retries, "")
		eff, f := t.effectiveInput(s, raw, ctx)
		if f != nil {
			return withGroup(outcome{err: f}, last)
		}
		if s.parameters != nil {
			v, err := s.parameters.Eval(eff, ctx)
			if err != nil {
				f = toFailure(err)
			}
			eff = v
		}
		if f == nil {
			t.emit(evParallelStarted, "", nil)
			var results []any
			var aborted bool
			results, f, aborted, last = t.runGroup(len(s.branches), 0, gr,
				func(int, *thread) {},
				func(i int, child *thread, rp *resumePoint) outcome {
					if rp != nil {
						return child.runFrom(s.branches[i], rp.state, rp.input, rp.group)
					}
					return child.runMachine(s.branches[i], eff)
				})
			gr = nil
			switch {
			case aborted:
				t.emit(evParallelAborted, "", nil)
				return withGroup(outcome{aborted: true}, last)
			case f != nil:
				t.emit(evParallelFailed, "", nil)
			default:
				t.emit(evParallelSucceeded, "", nil)
				out, rf := t.finish(s, raw, results, ctx)
				if rf == nil {
					return t.exit(s, out, s.next)
				}
				f = rf
			}
		}
		o, retry := t.handleError(s, raw, f, counts)
		if !retry {
			return withGroup(o, last)
		}
	}
}

// withGroup attaches what a Parallel's or Map's children achieved to a
// failed or aborted outcome, for a redrive.
func withGroup(o outcome, g *groupResume) outcome {
	if (o.err != nil || o.aborted) && g != nil {
		o.resume = &resumePoint{group: g}
	}
	return o
}
