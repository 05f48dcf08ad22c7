package stepfunctions

// Snapshot and Restore: the engine's executions written down and taken up
// again by a new engine, so that a local stack with a data directory keeps
// its workflows across a restart as Step Functions keeps them across
// anything. A restored execution keeps its ARN, its history and its task
// token; its timers keep their due times on the engine's clock.

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Where an execution's main thread can be parked.
const (
	parkWait     = "wait"     // a Wait state, until a time
	parkCallback = "callback" // a Task waiting for its task token
	parkRetry    = "retry"    // a Task's back-off before its next attempt
)

// park is where an execution's main thread waits, in terms that outlive the
// goroutine: the state, the raw input it was entered with and when, the
// events the thread continues from, and what it waits for.
type park struct {
	kind      string
	state     string
	input     any
	entered   time.Time
	enteredID int64 // the state's StateEntered event
	last      int64 // the thread's latest event
	until     time.Time

	// A Task's: the attempt (retry count), the retriers' counts so far and,
	// waiting for a token, the attempt whose timers hold the deadlines.
	retries int
	counts  *retryCounts
	token   string
	attempt *attempt // live: its timers hold the deadlines
	// Restored: the deadlines read from the snapshot (zero: none).
	timeoutAt, heartbeatAt time.Time
	heartbeat              time.Duration
}

// parkLocked records that the thread waits at p, when the thread is the
// execution's main thread (a Parallel branch or a Map iteration is not
// parked: its execution cannot be resumed). A nil p is ignored.
func (t *thread) parkLocked(p *park) {
	if p == nil || t.sc != t.x.root {
		return
	}
	p.last, p.enteredID = t.last, t.enteredID
	t.x.park = p
}

// unparkLocked records that the thread no longer waits at p.
func (t *thread) unparkLocked(p *park) {
	if p != nil && t.x.park == p {
		t.x.park = nil
	}
}

// Snapshot is the engine's executions, in a form that encoding/json writes
// and reads: what Restore needs to take them up again.
type Snapshot struct {
	Executions []SavedExecution `json:"executions"`
}

// SavedExecution is one execution of a Snapshot.
type SavedExecution struct {
	ARN             string       `json:"arn"`
	Name            string       `json:"name"`
	StateMachineARN string       `json:"stateMachineArn"`
	Input           string       `json:"input"`
	Status          string       `json:"status"`
	Start           time.Time    `json:"start"`
	Stop            time.Time    `json:"stop"`
	Output          string       `json:"output,omitempty"`
	Error           string       `json:"error,omitempty"`
	Cause           string       `json:"cause,omitempty"`
	RedriveCount    int          `json:"redriveCount,omitempty"`
	RedriveDate     time.Time    `json:"redriveDate"`
	Events          []SavedEvent `json:"events"`
	TimeoutAt       time.Time    `json:"timeoutAt"`              // the execution's TimeoutSeconds, when armed
	Park            *SavedPark   `json:"park,omitempty"`         // running: where it waits; nil: it cannot be resumed
	Resume          *SavedResume `json:"resume,omitempty"`       // closed: where a redrive restarts
	ClosedTokens    []string     `json:"closedTokens,omitempty"` // answered or expired: they keep answering TaskTimedOut
	Unresumable     string       `json:"unresumable,omitempty"`  // running without a park: why
}

// SavedEvent is one history event.
type SavedEvent struct {
	ID      int64           `json:"id"`
	Prev    int64           `json:"prev"`
	Time    time.Time       `json:"time"`
	Type    string          `json:"type"`
	Key     string          `json:"key,omitempty"`
	Details json.RawMessage `json:"details,omitempty"`
}

// SavedPark is where a running execution waits, with its deadlines as
// absolute times on the engine's clock.
type SavedPark struct {
	Kind         string             `json:"kind"` // wait, callback or retry
	State        string             `json:"state"`
	Input        json.RawMessage    `json:"input"`
	Entered      time.Time          `json:"entered"`
	EnteredEvent int64              `json:"enteredEvent"`
	LastEvent    int64              `json:"lastEvent"`
	Until        time.Time          `json:"until"` // wait and retry
	Retries      int                `json:"retries"`
	RetryUses    []int64            `json:"retryUses,omitempty"`
	RetryPerName []map[string]int64 `json:"retryPerName,omitempty"`
	Token        string             `json:"token,omitempty"`
	TimeoutAt    time.Time          `json:"timeoutAt"`   // callback: when the task times out (zero: never)
	HeartbeatAt  time.Time          `json:"heartbeatAt"` // callback: when the heartbeat runs out (zero: none)
	Heartbeat    int64              `json:"heartbeatSeconds,omitempty"`
}

// SavedResume is a closed execution's redrive point (without what a
// Parallel or Map state's children achieved: a redrive runs them again).
type SavedResume struct {
	State string          `json:"state"`
	Input json.RawMessage `json:"input"`
}

// NotResumed is an execution that Restore could not take up again, and why.
type NotResumed struct {
	ARN          string
	Name         string
	StateMachine string // its name
	Started      time.Time
	Reason       string
}

// Snapshot waits until the engine is quiescent (see Settle) and writes down
// every execution: its history and outcome and, for a running one, where
// it waits. Call it when nothing else drives the engine any more (a
// stopping stack), else what it writes may be out of date at once. A
// running execution that waits somewhere other than a Wait state, a task
// token or a Task's retry back-off of its main line of control (a branch
// of a Parallel or Map state) is written with the reason Restore will not
// resume it.
func (e *Engine) Snapshot(ctx context.Context) (*Snapshot, error) {
	for {
		if err := e.Settle(ctx); err != nil {
			return nil, fmt.Errorf("snapshot: %w", err)
		}
		e.mu.Lock()
		if e.active == 0 {
			break
		}
		e.mu.Unlock()
	}
	defer e.mu.Unlock()
	if e.closed {
		return nil, fmt.Errorf("snapshot: %w", ErrClosed)
	}
	closedTokens := map[*execution][]string{}
	for tok, ct := range e.tokens {
		x := ct.t.x
		if x.park != nil && x.park.token == tok {
			continue
		}
		closedTokens[x] = append(closedTokens[x], tok)
	}
	snap := &Snapshot{Executions: make([]SavedExecution, 0, len(e.execList))}
	for _, x := range e.execList {
		sx := SavedExecution{ARN: x.arn, Name: x.name, StateMachineARN: x.sm.arn, Input: x.input, Status: x.status,
			Start: x.start, Stop: x.stop, Output: x.output, Error: x.errName, Cause: x.cause,
			RedriveCount: x.redriveCount, RedriveDate: x.redriveDate, Events: make([]SavedEvent, len(x.events))}
		for i, ev := range x.events {
			sx.Events[i] = SavedEvent{ID: ev.id, Prev: ev.prev, Time: ev.ts, Type: ev.typ, Key: ev.key}
			if ev.details != nil {
				b, err := json.Marshal(ev.details)
				if err != nil {
					return nil, fmt.Errorf("snapshot: %s event %d: %w", x.arn, ev.id, err)
				}
				sx.Events[i].Details = b
			}
		}
		sx.ClosedTokens = closedTokens[x]
		slices.Sort(sx.ClosedTokens)
		if x.status != statusRunning {
			if x.resume != nil {
				sx.Resume = &SavedResume{State: x.resume.state, Input: json.RawMessage(mustJSON(x.resume.input))}
			}
			snap.Executions = append(snap.Executions, sx)
			continue
		}
		if x.timeout != nil && !x.timeout.cancelled {
			sx.TimeoutAt = x.timeout.at
		}
		if p := x.park; p != nil {
			sx.Park = savePark(p)
		} else {
			sx.Unresumable = "it was running inside a Parallel or Map state, or a task was still running, when the engine stopped"
		}
		snap.Executions = append(snap.Executions, sx)
	}
	return snap, nil
}

func savePark(p *park) *SavedPark {
	sp := &SavedPark{Kind: p.kind, State: p.state, Input: json.RawMessage(mustJSON(p.input)), Entered: p.entered,
		EnteredEvent: p.enteredID, LastEvent: p.last, Until: p.until, Retries: p.retries, Token: p.token}
	if p.counts != nil {
		sp.RetryUses, sp.RetryPerName = p.counts.uses, p.counts.perName
	}
	if a := p.attempt; a != nil {
		if a.timeoutTimer != nil && !a.timeoutTimer.cancelled {
			sp.TimeoutAt = a.timeoutTimer.at
		}
		if ct := a.ct; ct != nil {
			sp.Heartbeat = int64(ct.heartbeat / time.Second)
			if ct.hbTimer != nil && !ct.hbTimer.cancelled {
				sp.HeartbeatAt = ct.hbTimer.at
			}
		}
	}
	return sp
}

// Restore takes up the executions of a snapshot in an engine that has
// their state machines (created again, under the same names) and none of
// their executions. Closed executions come back as they were: DescribeExecution,
// GetExecutionHistory, ListExecutions and RedriveExecution answer for them.
// A running one goes on waiting where it waited, with the same task token
// and the same due times; a due time the clock has already passed fires at
// the next Advance (Advance(ctx, 0) fires it at once). An execution whose
// state machine no longer exists is left out; a running one that cannot be
// resumed (its state changed or vanished from the definition, or the
// snapshot says why) is closed ABORTED with the reason as its cause. Both
// are returned, with the reason.
func (e *Engine) Restore(snap *Snapshot) ([]NotResumed, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.closed {
		return nil, fmt.Errorf("restore: %w", ErrClosed)
	}
	var lost []NotResumed
	for i := range snap.Executions {
		sx := &snap.Executions[i]
		if _, ok := e.execs[sx.ARN]; ok {
			return lost, fmt.Errorf("restore: execution %s already exists", sx.ARN)
		}
		notResumed := func(reason string) {
			lost = append(lost, NotResumed{ARN: sx.ARN, Name: sx.Name, StateMachine: machineName(sx.StateMachineARN), Started: sx.Start, Reason: reason})
		}
		sm := e.machines[sx.StateMachineARN]
		if sm == nil {
			if sx.Status == statusRunning {
				notResumed("its state machine no longer exists")
			}
			continue
		}
		x, err := restoredExecution(sm, sx)
		if err != nil {
			return lost, fmt.Errorf("restore: %w", err)
		}
		e.execs[x.arn] = x
		e.execList = append(e.execList, x)
		for _, tok := range sx.ClosedTokens {
			e.tokens[tok] = &callbackTask{token: tok, t: &thread{e: e, x: x}, closed: true}
		}
		if x.status != statusRunning {
			continue
		}
		p, reason := restoredPark(sm, sx)
		if p == nil {
			now := e.now()
			x.done = make(chan struct{})
			close(x.done)
			cause := "the local engine could not resume this execution after a restart: " + reason
			x.appendLocked(now, int64(len(x.events)), evExecutionAborted, keyExecutionAborted, failureDetails{Error: ErrNotResumed, Cause: cause})
			x.closeLocked(now, statusAborted)
			x.errName, x.cause = ErrNotResumed, cause
			notResumed(reason)
			e.log.Warn("execution not resumed", "execution", x.arn, "reason", reason)
			continue
		}
		x.root = newScope(nil)
		x.ctx = &sharedContext{}
		x.done = make(chan struct{})
		if !sx.TimeoutAt.IsZero() {
			x.timeout = e.scheduleLocked(sx.TimeoutAt, func() { e.executionTimedOutLocked(x) })
		}
		e.goLocked(func() { x.resumeRun(e, p) })
		e.log.Info("execution resumed", "execution", x.arn, "state", p.state)
	}
	return lost, nil
}

// ErrNotResumed is the error of an execution that Restore closed because it
// could not resume it.
const ErrNotResumed = "Local.NotResumed"

func machineName(arn string) string {
	return arn[strings.LastIndexByte(arn, ':')+1:]
}

// restoredExecution rebuilds an execution's record (not its goroutine).
func restoredExecution(sm *stateMachine, sx *SavedExecution) (*execution, error) {
	inputVal, err := decodeJSONValue([]byte(sx.Input))
	if err != nil {
		return nil, fmt.Errorf("execution %s: input: %w", sx.ARN, err)
	}
	x := &execution{arn: sx.ARN, name: sx.Name, sm: sm, input: sx.Input, inputVal: inputVal, status: sx.Status,
		start: sx.Start, stop: sx.Stop, output: sx.Output, errName: sx.Error, cause: sx.Cause,
		redriveCount: sx.RedriveCount, redriveDate: sx.RedriveDate, events: make([]*event, len(sx.Events))}
	for i, ev := range sx.Events {
		var details any
		if len(ev.Details) > 0 {
			details = ev.Details
		}
		x.events[i] = &event{id: ev.ID, prev: ev.Prev, ts: ev.Time, typ: ev.Type, key: ev.Key, details: details}
	}
	if x.status != statusRunning {
		x.done = make(chan struct{})
		close(x.done)
		if r := sx.Resume; r != nil {
			v, err := decodeJSONValue(r.Input)
			if err != nil {
				return nil, fmt.Errorf("execution %s: redrive input: %w", sx.ARN, err)
			}
			x.resume = &resumePoint{state: r.State, input: v}
		}
	}
	return x, nil
}

// restoredPark is where a running execution resumes, or why it cannot.
func restoredPark(sm *stateMachine, sx *SavedExecution) (*park, string) {
	sp := sx.Park
	if sp == nil {
		return nil, sx.Unresumable
	}
	s := sm.m.states[sp.State]
	switch {
	case s == nil:
		return nil, fmt.Sprintf("its state %s is no longer in the state machine", sp.State)
	case sp.Kind == parkWait && s.typ != typeWait,
		sp.Kind == parkRetry && s.typ != typeTask,
		sp.Kind == parkCallback && (s.typ != typeTask || !s.task.callback):
		return nil, fmt.Sprintf("its state %s is no longer a state that waits as it waited (%s)", sp.State, sp.Kind)
	case sp.Kind != parkWait && sp.Kind != parkRetry && sp.Kind != parkCallback:
		return nil, fmt.Sprintf("it waited in a way this engine does not know (%q)", sp.Kind)
	}
	input, err := decodeJSONValue(sp.Input)
	if err != nil {
		return nil, fmt.Sprintf("its state's input is not JSON: %v", err)
	}
	p := &park{kind: sp.Kind, state: sp.State, input: input, entered: sp.Entered, enteredID: sp.EnteredEvent, last: sp.LastEvent,
		until: sp.Until, retries: sp.Retries, token: sp.Token}
	if sp.Kind != parkWait {
		p.counts = newRetryCounts(len(s.retry))
		if len(sp.RetryUses) == len(s.retry) && len(sp.RetryPerName) == len(s.retry) {
			copy(p.counts.uses, sp.RetryUses)
			for i, m := range sp.RetryPerName {
				for k, v := range m {
					p.counts.perName[i][k] = v
				}
			}
		}
	}
	if sp.Kind == parkCallback {
		if !wellFormedToken(sp.Token) {
			return nil, "its task token is malformed"
		}
		p.timeoutAt, p.heartbeatAt, p.heartbeat = sp.TimeoutAt, sp.HeartbeatAt, time.Duration(sp.Heartbeat)*time.Second
	}
	return p, ""
}

// resumeRun is the goroutine of a restored running execution: it finishes
// the state it was parked in, goes on from there and closes the execution.
func (x *execution) resumeRun(e *Engine, p *park) {
	t := &thread{e: e, x: x, sc: x.root, last: p.last, enteredID: p.enteredID}
	s := x.sm.m.states[p.state]
	var o outcome
	if p.kind == parkWait {
		o = t.waitUntil(s, p.input, p.entered, p.until)
	} else {
		o = t.runTaskFrom(s, p.input, p.entered, p)
	}
	o = t.inState(s, o)
	switch {
	case o.err != nil || o.aborted:
		if o.resume == nil {
			o.resume = &resumePoint{}
		}
		o.resume.state, o.resume.input = p.state, p.input
	case o.next != "":
		o = t.runFrom(x.sm.m, o.next, o.output, nil)
	}
	x.end(t, o)
}

// resumeCallback goes on waiting for a restored task's token: the same
// token, the same timeout and heartbeat due times.
func (t *thread) resumeCallback(s *state, p *park) (result any, f *failure, aborted bool) {
	e := t.e
	e.mu.Lock()
	defer e.mu.Unlock()
	a := &attempt{t: t, s: s, call: taskCall{kind: s.task.kind, resource: "invoke.waitForTaskToken", token: p.token}}
	a.run.handlerDone, a.handled = true, true // its function returned before the restart (TaskSubmitted is in the history)
	ct := &callbackTask{token: p.token, t: t, run: &a.run, heartbeat: p.heartbeat}
	e.tokens[p.token] = ct
	a.ct = ct
	if !p.heartbeatAt.IsZero() {
		ct.hbTimer = e.scheduleLocked(p.heartbeatAt, func() { e.heartbeatExpiredLocked(ct) })
	}
	if !p.timeoutAt.IsZero() {
		a.armTimeoutLocked(p.timeoutAt)
	}
	defer a.closeLocked()
	return a.awaitLocked()
}
