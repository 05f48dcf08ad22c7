package stepfunctions

import (
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/candorhq/candor/infra/local/stepfunctions/asl"
)

// Execution statuses, as in the Step Functions API.
const (
	statusRunning   = "RUNNING"
	statusSucceeded = "SUCCEEDED"
	statusFailed    = "FAILED"
	statusTimedOut  = "TIMED_OUT"
	statusAborted   = "ABORTED"
)

// stateMachine is a created state machine.
type stateMachine struct {
	arn        string
	name       string
	definition string // after substitution
	roleArn    string
	created    time.Time
	m          *machine
}

// execution is one run of a state machine. Its fields are guarded by the
// engine mutex.
type execution struct {
	arn      string
	name     string
	sm       *stateMachine
	input    string
	inputVal any
	status   string
	start    time.Time
	stop     time.Time
	output   string
	errName  string
	cause    string
	events   []*event
	root     *scope
	timeout  *timer

	// ctx holds the shared parts of the context object, built by the
	// threads of the current attempt on first use.
	ctx *sharedContext

	// Redrive: done is closed when the goroutine of the current attempt
	// (the first run or a redrive) has returned; resume is where a redrive
	// restarts, set when an attempt ends without succeeding.
	done          chan struct{}
	resume        *resumePoint
	redriveCount  int
	redriveDate   time.Time
	redriveTokens []redriveToken

	// park is where the execution's main thread waits (a timer or a task
	// token), nil while it runs or waits anywhere else: what Snapshot
	// writes down.
	park *park
}

// sharedContext is the part of the context object common to every state of
// one attempt of an execution.
type sharedContext struct {
	once      sync.Once
	execution map[string]any
	machine   map[string]any
}

// scope is a cancellation domain: an execution, or the branches of one
// Parallel or Map state. Cancelling a scope wakes every goroutine blocked

// failure is a state's error: a name and a cause. A terminal failure (a
// state's input or output over MaxPayloadBytes) is never retried or caught:
// it fails the execution, also through enclosing Parallel and Map states.
type failure struct {
	name     string
	cause    string
	terminal bool
	// inState: a States.Runtime raised by the language while running a
	// state; runState prefixes its cause with the state, as AWS does.
	inState bool
}

// outcome is how a state (or a branch) ended. A failed or aborted outcome
// carries where a redrive restarts.
type outcome struct {
	output  any
	next    string // "" = end of this machine
	err     *failure
	aborted bool
	resume  *resumePoint
}

func toFailure(err error) *failure {
	var ae *asl.Error
	if errors.As(err, &ae) {
		return &failure{name: ae.Name, cause: ae.Cause, inState: ae.Name == asl.ErrRuntime}
	}
	return &failure{name: asl.ErrRuntime, cause: err.Error()}
}

// matchesError reports whether a retrier's or catcher's ErrorEquals matches
// the error name. States.Runtime is never matched (AWS: it always fails the

// appendLocked adds an event to the history unconditionally.
func (x *execution) appendLocked(now time.Time, prev int64, typ, key string, details any) int64 {
	id := int64(len(x.events) + 1)
	x.events = append(x.events, &event{id: id, prev: prev, ts: now, typ: typ, key: key, details: details})
	return id
}

// emitLocked adds an event to the thread's chain while the execution runs;
// once it is closed (stopped, timed out, engine closed) nothing is added.
// When the history has room for only one more event, the execution fails

// run executes one attempt of the execution and closes it: from StartAt
// with the execution's input, or, for a redrive, from the resume point rp
// with the thread's chain continuing from event last (ExecutionRedriven).
func (x *execution) run(e *Engine, last int64, rp *resumePoint) {
	t := &thread{e: e, x: x, sc: x.root, last: last}
	var o outcome
	if rp == nil {
		o = t.runMachine(x.sm.m, x.inputVal)
	} else {
		o = t.runFrom(x.sm.m, rp.state, rp.input, rp.group)
	}
	x.end(t, o)
}

// end closes the execution with the outcome of its main thread t.
func (x *execution) end(t *thread, o outcome) {
	e := t.e
	e.mu.Lock()
	defer e.mu.Unlock()
	x.resume = nil
	if o.err != nil || o.aborted {
		x.resume = o.resume
	}
	defer close(x.done)
	if x.status != statusRunning || e.closed {
		return
	}
	e.cancelTimerLocked(x.timeout)
	now := e.now()
	switch {
	case o.err != nil:
		x.appendLocked(now, t.last, evExecutionFailed, keyExecutionFailed, failureDetails{Error: o.err.name, Cause: o.err.cause})
		x.closeLocked(now, statusFailed)
		x.errName, x.cause = o.err.name, o.err.cause
		e.log.Info("execution failed", "execution", x.arn, "error", o.err.name)
	case o.aborted:
		// Only a cancelled root scope aborts the main thread, and that
		// happens when the execution was closed; nothing to record.
	default:
		out := mustJSON(o.output)
		x.appendLocked(now, t.last, evExecutionSucceeded, keyExecutionSucceeded, outputDetails{Output: out, OutputDetails: notTruncated})
		x.closeLocked(now, statusSucceeded)
		x.output = out
		e.log.Info("execution succeeded", "execution", x.arn)
	}
	x.root.cancelLocked(e)
}

func (x *execution) closeLocked(now time.Time, status string) {
	x.status = status
	x.stop = now
}

// runMachine runs states from StartAt until one ends the machine.
func (t *thread) runMachine(m *machine, input any) outcome {
	return t.runFrom(m, m.startAt, input, nil)
}

// runFrom runs states from the state name, entered with input, until one
// ends the machine. gr, for a redrive, is what the first state (a Parallel
// or Map) keeps of its branches or iterations. A failed or aborted outcome
// says where a redrive would restart: the state that did not succeed, with
// the input it was entered with.
func (t *thread) runFrom(m *machine, name string, input any, gr *groupResume) outcome {
	for {
		if t.canceled() {
			return outcome{aborted: true, resume: &resumePoint{state: name, input: input}}
		}
		o := t.runState(m.states[name], input, gr)
		gr = nil
		if o.err != nil || o.aborted {
			if o.resume == nil {
				o.resume = &resumePoint{}
			}
			o.resume.state, o.resume.input = name, input
			return o
		}
		if o.next == "" {
			return o
		}
		name, input = o.next, o.output
	}
}

func (t *thread) runState(s *state, raw any, gr *groupResume) outcome {
	entered := t.e.now()
	t.e.log.Debug("state entered", "execution", t.x.arn, "state", s.name)
	in := mustJSON(raw)
	if f := stateInputTooLarge(s, in); f != nil {
		return outcome{err: f}
	}
	t.emit(s.typ+suffixEntered, keyStateEntered, stateEnteredDetails{Name: s.name, Input: in, InputDetails: notTruncated})
	t.enteredID = t.last
	return t.inState(s, t.dispatch(s, raw, entered, gr))
}

// inState prefixes the cause of a States.Runtime raised by the language
// while running s with the state, as AWS does.
func (t *thread) inState(s *state, o outcome) outcome {
	enteredID := t.enteredID
	if f := o.err; f != nil && f.inState {
		// AWS: "An error occurred while executing the state 'S' (entered at
		// the event id #2). <cause>".
		f.cause = fmt.Sprintf("An error occurred while executing the state '%s' (entered at the event id #%d). %s", s.name, enteredID, f.cause)
		f.inState = false
	}
	return o
}

func (t *thread) dispatch(s *state, raw any, entered time.Time, gr *groupResume) outcome {
	switch s.typ {
	case typePass:
		return t.runPass(s, raw, entered)
	case typeTask:
		return t.runTask(s, raw, entered)
	case typeChoice:
		return t.runChoice(s, raw, entered)
	case typeWait:
		return t.runWait(s, raw, entered)
	case typeSucceed:
		return t.runSucceed(s, raw, entered)
	case typeFail:
		return t.runFail(s, raw, entered)
	case typeParallel:
		return t.runParallel(s, raw, entered, gr)
	case typeMap:
		return t.runMap(s, raw, entered, gr)
	}
	return outcome{err: &failure{name: asl.ErrRuntime, cause: "unknown state type " + s.typ}}
}

// exit records the state's exit and moves on, or fails the execution when
// the output is larger than MaxPayloadBytes.
func (t *thread) exit(s *state, output any, next string) outcome {
	out := mustJSON(output)
	if f := stateOutputTooLarge(s, out); f != nil {
		return outcome{err: f}
	}
	t.emit(s.typ+suffixExited, keyStateExited, stateExitedDetails{Name: s.name, Output: out, OutputDetails: notTruncated})
	if s.end {
		next = ""
	}
	return outcome{output: output, next: next}
}

// aborted records that a state stopped because its branch was cancelled.
func (t *thread) aborted(s *state) outcome {
	t.emit(s.typ+suffixAborted, "", nil)
	return outcome{aborted: true}
}

func (t *thread) effectiveInput(s *state, raw any, ctx map[string]any) (any, *failure) {
	v, err := asl.ApplyInputPath(s.inputPath, s.inputNull, raw, ctx)
	if err != nil {
		return nil, toFailure(err)
	}
	return v, nil
}

// finish applies ResultSelector, ResultPath and OutputPath to a result.
func (t *thread) finish(s *state, raw, result any, ctx map[string]any) (any, *failure) {
	var err error
	if s.resultSelector != nil {
		if result, err = s.resultSelector.Eval(result, ctx); err != nil {
			return nil, toFailure(err)
		}
	}
	out, err := asl.ApplyResultPath(s.resultPath, s.resultNull, raw, result)
	if err != nil {
		return nil, toFailure(err)
	}
	if out, err = asl.ApplyOutputPath(s.outputPath, s.outputNull, out, ctx); err != nil {
		return nil, toFailure(err)
	}
	return out, nil
}
