package stepfunctions

// The Parallel state: every branch on the same input, results in branch order.

import "time"

func (t *thread) runParallel(s *state, raw any, entered time.Time) outcome {
	counts := newRetryCounts(len(s.retry))
	for retries := 0; ; retries++ {
		ctx := t.contextObject(s, entered, retries, "")
		eff, f := t.effectiveInput(s, raw, ctx)
		if f != nil {
			return outcome{err: f}
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
			results, bf, aborted := t.runGroup(len(s.branches), 0,
				func(int, *thread) {},
				func(i int, child *thread) outcome { return child.runMachine(s.branches[i], eff) })
			switch {
			case aborted:
				t.emit(evParallelAborted, "", nil)
				return outcome{aborted: true}
			case bf != nil:
				t.emit(evParallelFailed, "", nil)
				f = bf
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
			return o
		}
	}
}
