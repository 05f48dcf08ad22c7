package stepfunctions

// Running the children of a Parallel or Map state: each on its own goroutine
// in a child scope, the first failure cancelling the others.

// group tracks the branches of a Parallel or the iterations of a Map.
type group struct {
	sig     signal
	results []any
	fail    *failure
	running int
}

// runGroup runs n children with at most limit at once (0 = no limit). spawn
// is called with the engine locked before child i starts (to emit events
// and set up the child thread); body runs the child. It returns the
// children's outputs, the first failure, or aborted if t was cancelled.
func (t *thread) runGroup(n, limit int, spawn func(i int, child *thread), body func(i int, child *thread) outcome) ([]any, *failure, bool) {
	e := t.e
	e.mu.Lock()
	defer e.mu.Unlock()
	sc := newScope(t.sc)
	defer sc.releaseLocked()
	g := &group{results: make([]any, n)}
	next := 0
	for {
		for !sc.canceled && g.fail == nil && next < n && (limit == 0 || g.running < limit) {
			i := next
			next++
			g.running++
			child := &thread{e: e, x: t.x, sc: sc, last: t.last}
			spawn(i, child)
			e.goLocked(func() {
				o := body(i, child)
				e.mu.Lock()
				defer e.mu.Unlock()
				g.running--
				switch {
				case o.err != nil:
					if g.fail == nil {
						g.fail = o.err
						sc.cancelLocked(e)
					}
				case !o.aborted:
					g.results[i] = o.output
				}
				e.notifyLocked(&g.sig)
			})
		}
		if g.running == 0 && (next >= n || g.fail != nil || sc.canceled) {
			break
		}
		// Not registered in t's scope: a cancellation reaches the children,
		// whose ending wakes this wait.
		w := newWait()
		g.sig.w = w
		e.blockLocked(w)
	}
	if g.fail != nil {
		return nil, g.fail, false
	}
	if t.sc.canceled {
		return nil, nil, true
	}
	return g.results, nil, false
}
