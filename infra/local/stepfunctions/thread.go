package stepfunctions

// Threads of an execution and the cancellation scopes they block in; the
// context object ($$).

import (
	"encoding/json"
	"strconv"
	"time"
)

// scope is a cancellation domain: an execution, or the branches of one
// Parallel or Map state. Cancelling a scope wakes every goroutine blocked
// in it and in its descendants.
type scope struct {
	parent   *scope
	children map[*scope]struct{}
	canceled bool
	waits    map[*wait]struct{}
}

func newScope(parent *scope) *scope {
	s := &scope{parent: parent, children: map[*scope]struct{}{}, waits: map[*wait]struct{}{}}
	if parent != nil {
		parent.children[s] = struct{}{}
		s.canceled = parent.canceled
	}
	return s
}

func (s *scope) cancelLocked(e *Engine) {
	s.canceled = true
	for w := range s.waits {
		e.wakeLocked(w)
	}
	for c := range s.children {
		c.cancelLocked(e)
	}
}

func (s *scope) releaseLocked() {
	if s.parent != nil {
		delete(s.parent.children, s)
	}
}

// thread is one line of control in an execution: the execution itself, a
// Parallel branch or a Map iteration. last is the id of its latest event,
// the previousEventId of its next one.
type thread struct {
	e    *Engine
	x    *execution
	sc   *scope
	last int64
	// enteredID is the StateEntered event of the state the thread runs;
	// task is where the thread stands in the Task state it runs (nil
	// outside one): what a park of the execution records.
	enteredID int64
	task      *park
}

// there instead (the history limit) and the event is not added.
func (t *thread) emitLocked(typ, key string, details any) {
	if t.x.status != statusRunning || t.e.closed || t.e.historyFullLocked(t.x) {
		return
	}
	t.last = t.x.appendLocked(t.e.now(), t.last, typ, key, details)
}

func (t *thread) emit(typ, key string, details any) {
	t.e.mu.Lock()
	defer t.e.mu.Unlock()
	t.emitLocked(typ, key, details)
}

// canceled reports whether the thread has to stop.
func (t *thread) canceled() bool {
	t.e.mu.Lock()
	defer t.e.mu.Unlock()
	return t.sc.canceled
}

// waitLocked blocks until sig is notified or the thread's scope is
// cancelled.
func (t *thread) waitLocked(sig *signal) {
	w := newWait()
	sig.w = w
	t.sc.waits[w] = struct{}{}
	if t.sc.canceled {
		t.e.wakeLocked(w)
	}
	t.e.blockLocked(w)
	delete(t.sc.waits, w)
}

// sleepParkedLocked blocks until the clock reaches until, the execution
// parked at p meanwhile (nil: not parked); it returns false if the thread
// was cancelled first.
func (t *thread) sleepParkedLocked(until time.Time, p *park) bool {
	if t.sc.canceled {
		return false
	}
	if !until.After(t.e.now()) {
		return true
	}
	t.parkLocked(p)
	defer t.unparkLocked(p)
	var sig signal
	fired := false
	tm := t.e.scheduleLocked(until, func() {
		fired = true
		t.e.notifyLocked(&sig)
	})
	for !fired && !t.sc.canceled {
		t.waitLocked(&sig)
	}
	t.e.cancelTimerLocked(tm)
	return fired && !t.sc.canceled
}

// contextObject builds the context object ($$) of a state, or returns nil
// when the state never refers to it. The Execution and StateMachine members
// are built once per attempt of the execution and shared: the asl package never mutates
// the values it is given.
func (t *thread) contextObject(s *state, entered time.Time, retryCount int, token string) map[string]any {
	if !s.usesContext && token == "" {
		return nil
	}
	x := t.x
	shared := x.ctx
	shared.once.Do(func() {
		shared.execution = map[string]any{
			"Id":           x.arn,
			"Input":        x.inputVal,
			"Name":         x.name,
			"RoleArn":      x.sm.roleArn,
			"StartTime":    isoMillis(x.start),
			"RedriveCount": json.Number(strconv.Itoa(x.redriveCount)),
		}
		shared.machine = map[string]any{"Id": x.sm.arn, "Name": x.sm.name}
	})
	ctx := map[string]any{
		"Execution": shared.execution,
		"State": map[string]any{
			"EnteredTime": isoMillis(entered),
			"Name":        s.name,
			"RetryCount":  json.Number(strconv.Itoa(retryCount)),
		},
		"StateMachine": shared.machine,
	}
	if token != "" {
		ctx["Task"] = map[string]any{"Token": token}
	}
	return ctx
}
