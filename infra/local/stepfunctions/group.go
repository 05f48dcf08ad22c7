package stepfunctions

// Running the children of a Parallel or Map state: each on its own goroutine
// in a child scope, the first failure cancelling the others. For a redrive,
// children that succeeded keep their results and only the others run again,
// each from where it stopped.

// childFunc runs child i of a group; rp is where a redrive restarts it (nil:
// from its start).
type childFunc func(i int, child *thread, rp *resumePoint) outcome

// group tracks the branches of a Parallel or the iterations of a Map. Its
// fields are guarded by the engine mutex.
type group struct {
	t       *thread
	sc      *scope
	sig     signal
	limit   int
	pending []int // children still to start, in order
	running int
	fail    *failure
	state   *groupResume
	spawn   func(i int, child *thread)
	body    childFunc
}

// runGroup runs n children with at most limit at once (0 = no limit). spawn
// is called with the engine locked before child i starts (to emit events
// and set up the child thread); body runs the child. prior, for a redrive,
// holds what an earlier attempt kept: its succeeded children do not run
// again. runGroup returns the children's outputs, the first failure, or
// aborted if t was cancelled, and in every case the state of the children
// (what a redrive keeps).
func (t *thread) runGroup(n, limit int, prior *groupResume, spawn func(i int, child *thread), body childFunc) ([]any, *failure, bool, *groupResume) {
	e := t.e
	e.mu.Lock()
	defer e.mu.Unlock()
	g := &group{t: t, sc: newScope(t.sc), limit: limit, state: prior.copyOrNew(n), spawn: spawn, body: body}
	defer g.sc.releaseLocked()
	for i := range n {
		if !g.state.done[i] {
			g.pending = append(g.pending, i)
		}
	}
	for {
		g.startLocked()
		if g.running == 0 && (len(g.pending) == 0 || g.fail != nil || g.sc.canceled) {
			break
		}
		// Not registered in t's scope: a cancellation reaches the children,
		// whose ending wakes this wait.
		w := newWait()
		g.sig.w = w
		e.blockLocked(w)
	}
	switch {
	case g.fail != nil:
		return nil, g.fail, false, g.state
	case t.sc.canceled:
		return nil, nil, true, g.state
	}
	return g.state.results, nil, false, g.state
}

// startLocked starts pending children while the limit allows.
func (g *group) startLocked() {
	e := g.t.e
	for !g.sc.canceled && g.fail == nil && len(g.pending) > 0 && (g.limit == 0 || g.running < g.limit) {
		i := g.pending[0]
		g.pending = g.pending[1:]
		g.running++
		child := &thread{e: e, x: g.t.x, sc: g.sc, last: g.t.last}
		rp := g.state.resume[i]
		g.spawn(i, child)
		e.goLocked(func() {
			o := g.body(i, child, rp)
			e.mu.Lock()
			defer e.mu.Unlock()
			g.endedLocked(i, o)
		})
	}
}

// endedLocked records how child i ended; the first failure cancels the
// other children.
func (g *group) endedLocked(i int, o outcome) {
	g.running--
	switch {
	case o.err != nil:
		g.state.resume[i] = o.resume
		if g.fail == nil {
			g.fail = o.err
			g.sc.cancelLocked(g.t.e)
		}
	case o.aborted:
		g.state.resume[i] = o.resume
	default:
		g.state.done[i] = true
		g.state.resume[i] = nil
		g.state.results[i] = o.output
	}
	g.t.e.notifyLocked(&g.sig)
}
