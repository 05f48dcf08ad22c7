package stepfunctions

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"sync"
	"time"

	"github.com/aws/aws-lambda-go/lambdacontext"
	"github.com/google/uuid"

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

	// Shared parts of the context object, built by the execution's
	// threads on first use (under ctxOnce).
	ctxOnce      sync.Once
	ctxExecution map[string]any
	ctxMachine   map[string]any
}

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
}

// failure is a state's error: a name and a cause. A terminal failure (a
// state's input or output over MaxPayloadBytes) is never retried or caught:
// it fails the execution, also through enclosing Parallel and Map states.
type failure struct {
	name     string
	cause    string
	terminal bool
}

// outcome is how a state (or a branch) ended.
type outcome struct {
	output  any
	next    string // "" = end of this machine
	err     *failure
	aborted bool
}

func toFailure(err error) *failure {
	var ae *asl.Error
	if errors.As(err, &ae) {
		return &failure{name: ae.Name, cause: ae.Cause}
	}
	return &failure{name: asl.ErrRuntime, cause: err.Error()}
}

// matchesError reports whether a retrier's or catcher's ErrorEquals matches
// the error name. States.Runtime is never matched (AWS: it always fails the
// execution); nor is a terminal failure, which handleError never offers.
// States.ALL matches any other name, States.DataLimitExceeded of a task
// result included (AWS reports that one as the task's failure, and its
// catchers handle it); States.TaskFailed any name but the timeouts;
// States.Timeout also matches States.HeartbeatTimeout.
func matchesError(list []string, name string) bool {
	if name == asl.ErrRuntime {
		return false
	}
	for _, e := range list {
		switch {
		case e == name, e == asl.ErrALL:
			return true
		case e == asl.ErrTaskFailed && name != asl.ErrTimeout && name != asl.ErrHeartbeatTimeout:
			return true
		case e == asl.ErrTimeout && name == asl.ErrHeartbeatTimeout:
			return true
		}
	}
	return false
}

// ---- events ----

// appendLocked adds an event to the history unconditionally.
func (x *execution) appendLocked(now time.Time, prev int64, typ, key string, details any) int64 {
	id := int64(len(x.events) + 1)
	x.events = append(x.events, &event{id: id, prev: prev, ts: now, typ: typ, key: key, details: details})
	return id
}

// emitLocked adds an event to the thread's chain while the execution runs;
// once it is closed (stopped, timed out, engine closed) nothing is added.
// When the history has room for only one more event, the execution fails
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

// sleepLocked blocks until the clock reaches until; it returns false if the
// thread was cancelled first.
func (t *thread) sleepLocked(until time.Time) bool {
	if t.sc.canceled {
		return false
	}
	if !until.After(t.e.now()) {
		return true
	}
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

// ---- context object ----

// contextObject builds the context object ($$) of a state, or returns nil
// when the state never refers to it. The Execution and StateMachine members
// are built once per execution and shared: the asl package never mutates
// the values it is given.
func (t *thread) contextObject(s *state, entered time.Time, retryCount int, token string) map[string]any {
	if !s.usesContext && token == "" {
		return nil
	}
	x := t.x
	x.ctxOnce.Do(func() {
		x.ctxExecution = map[string]any{
			"Id":           x.arn,
			"Input":        x.inputVal,
			"Name":         x.name,
			"RoleArn":      x.sm.roleArn,
			"StartTime":    isoMillis(x.start),
			"RedriveCount": json.Number("0"),
		}
		x.ctxMachine = map[string]any{"Id": x.sm.arn, "Name": x.sm.name}
	})
	ctx := map[string]any{
		"Execution": x.ctxExecution,
		"State": map[string]any{
			"EnteredTime": isoMillis(entered),
			"Name":        s.name,
			"RetryCount":  json.Number(strconv.Itoa(retryCount)),
		},
		"StateMachine": x.ctxMachine,
	}
	if token != "" {
		ctx["Task"] = map[string]any{"Token": token}
	}
	return ctx
}

// ---- running ----

// run executes the whole state machine and closes the execution.
func (x *execution) run(e *Engine) {
	t := &thread{e: e, x: x, sc: x.root}
	o := t.runMachine(x.sm.m, x.inputVal)
	e.mu.Lock()
	defer e.mu.Unlock()
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
	name := m.startAt
	for {
		if t.canceled() {
			return outcome{aborted: true}
		}
		s := m.states[name]
		o := t.runState(s, input)
		if o.err != nil || o.aborted || o.next == "" {
			return o
		}
		name, input = o.next, o.output
	}
}

func (t *thread) runState(s *state, raw any) outcome {
	entered := t.e.now()
	t.e.log.Debug("state entered", "execution", t.x.arn, "state", s.name)
	in := mustJSON(raw)
	if f := stateInputTooLarge(s, in); f != nil {
		return outcome{err: f}
	}
	t.emit(s.typ+suffixEntered, keyStateEntered, stateEnteredDetails{Name: s.name, Input: in, InputDetails: notTruncated})
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
		return t.runParallel(s, raw, entered)
	case typeMap:
		return t.runMap(s, raw, entered)
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

func (t *thread) runPass(s *state, raw any, entered time.Time) outcome {
	ctx := t.contextObject(s, entered, 0, "")
	eff, f := t.effectiveInput(s, raw, ctx)
	if f != nil {
		return outcome{err: f}
	}
	if s.parameters != nil {
		v, err := s.parameters.Eval(eff, ctx)
		if err != nil {
			return outcome{err: toFailure(err)}
		}
		eff = v
	}
	result := eff
	if s.hasResult {
		result = s.result
	}
	out, f := t.finish(s, raw, result, ctx)
	if f != nil {
		return outcome{err: f}
	}
	return t.exit(s, out, s.next)
}

func (t *thread) runSucceed(s *state, raw any, entered time.Time) outcome {
	ctx := t.contextObject(s, entered, 0, "")
	eff, f := t.effectiveInput(s, raw, ctx)
	if f != nil {
		return outcome{err: f}
	}
	out, err := asl.ApplyOutputPath(s.outputPath, s.outputNull, eff, ctx)
	if err != nil {
		return outcome{err: toFailure(err)}
	}
	o := t.exit(s, out, "")
	o.next = ""
	return o
}

func (t *thread) runFail(s *state, raw any, entered time.Time) outcome {
	ctx := t.contextObject(s, entered, 0, "")
	f := &failure{name: s.fail.errName, cause: s.fail.cause}
	dynamic := func(p *asl.Path, fn *asl.Intrinsic, field string, dst *string) *failure {
		var v any
		var err error
		switch {
		case p != nil:
			v, err = p.Get(raw, ctx)
		case fn != nil:
			v, err = fn.Eval(raw, ctx)
		default:
			return nil
		}
		if err != nil {
			return toFailure(err)
		}
		str, ok := v.(string)
		if !ok {
			return &failure{name: asl.ErrRuntime, cause: fmt.Sprintf("the value of %s in state %q is not a string", field, s.name)}
		}
		*dst = str
		return nil
	}
	if rf := dynamic(s.fail.errPath, s.fail.errFn, "ErrorPath", &f.name); rf != nil {
		return outcome{err: rf}
	}
	if rf := dynamic(s.fail.causePath, s.fail.causeFn, "CausePath", &f.cause); rf != nil {
		return outcome{err: rf}
	}
	return outcome{err: f}
}

func (t *thread) runChoice(s *state, raw any, entered time.Time) outcome {
	ctx := t.contextObject(s, entered, 0, "")
	eff, f := t.effectiveInput(s, raw, ctx)
	if f != nil {
		return outcome{err: f}
	}
	next := ""
	for _, r := range s.choices {
		ok, err := r.Match(eff, ctx)
		if err != nil {
			return outcome{err: toFailure(err)}
		}
		if ok {
			next = r.Next()
			break
		}
	}
	if next == "" {
		if s.deflt == "" {
			return outcome{err: &failure{name: asl.ErrNoChoiceMatched, cause: fmt.Sprintf("No Matches! (state %q)", s.name)}}
		}
		next = s.deflt
	}
	out, err := asl.ApplyOutputPath(s.outputPath, s.outputNull, eff, ctx)
	if err != nil {
		return outcome{err: toFailure(err)}
	}
	return t.exit(s, out, next)
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

// ---- errors: Retry and Catch ----

// retryCounts remembers, for one visit of a state, how often each retrier
// was used (the back-off exponent) and how often for each error name (the
// MaxAttempts budget): spec "Retrying after error", where ErrorA, ErrorB,
// ErrorC, ErrorB wait 1, 2, 5 and 4 seconds and a third ErrorB exhausts
// MaxAttempts 2 "for that particular error".
type retryCounts struct {
	uses    []int64
	perName []map[string]int64
}

func newRetryCounts(n int) *retryCounts {
	rc := &retryCounts{uses: make([]int64, n), perName: make([]map[string]int64, n)}
	for i := range rc.perName {
		rc.perName[i] = map[string]int64{}
	}
	return rc
}

// retryDelay picks the first retrier matching f; it returns the back-off
// and true if that retrier still has attempts left for f's name.
func (t *thread) retryDelay(s *state, f *failure, counts *retryCounts) (time.Duration, bool) {
	for i, r := range s.retry {
		if !matchesError(r.errorEquals, f.name) {
			continue
		}
		if counts.perName[i][f.name] >= r.maxAttempts {
			return 0, false
		}
		d := float64(r.interval) * math.Pow(r.backoff, float64(counts.uses[i]))
		if r.maxDelay > 0 && d > float64(r.maxDelay) {
			d = float64(r.maxDelay)
		}
		if r.jitterFull {
			d *= t.e.rand()
		}
		counts.uses[i]++
		counts.perName[i][f.name]++
		return time.Duration(math.Round(d*1000)) * time.Millisecond, true
	}
	return 0, false
}

// handleError retries (returning retry=true after the back-off) or catches
// f, or gives up with it. A terminal failure is given up at once.
func (t *thread) handleError(s *state, raw any, f *failure, counts *retryCounts) (o outcome, retry bool) {
	if f.terminal {
		return outcome{err: f}, false
	}
	if d, ok := t.retryDelay(s, f, counts); ok {
		t.e.log.Debug("state retrying", "execution", t.x.arn, "state", s.name, "error", f.name, "delay", d)
		t.e.mu.Lock()
		ok := t.sleepLocked(t.e.now().Add(d))
		t.e.mu.Unlock()
		if !ok {
			return t.aborted(s), false
		}
		return outcome{}, true
	}
	for _, k := range s.catch {
		if !matchesError(k.errorEquals, f.name) {
			continue
		}
		errOut := map[string]any{"Error": f.name}
		if f.cause != "" {
			errOut["Cause"] = f.cause
		}
		out, err := asl.ApplyResultPath(k.resultPath, k.resultNull, raw, errOut)
		if err != nil {
			return outcome{err: toFailure(err)}, false
		}
		outJSON := mustJSON(out)
		if tf := stateOutputTooLarge(s, outJSON); tf != nil {
			return outcome{err: tf}, false
		}
		t.e.log.Debug("state caught error", "execution", t.x.arn, "state", s.name, "error", f.name, "next", k.next)
		t.emit(s.typ+suffixExited, keyStateExited, stateExitedDetails{Name: s.name, Output: outJSON, OutputDetails: notTruncated})
		return outcome{output: out, next: k.next}, false
	}
	return outcome{err: f}, false
}

// ---- Task ----

// callbackTask is a task waiting for SendTaskSuccess/Failure, by token.
type callbackTask struct {
	token     string
	t         *thread
	run       *taskRun
	closed    bool // answered, timed out, or its task ended: later calls get TaskTimedOut
	answered  bool
	success   bool
	output    string
	errName   string
	cause     string
	heartbeat time.Duration
	hbTimer   *timer
}

// taskRun is the shared state of one task attempt.
type taskRun struct {
	sig         signal
	handlerDone bool
	inv         invocation
	timedOut    bool
	hbTimedOut  bool
}

func (t *thread) runTask(s *state, raw any, entered time.Time) outcome {
	ctx0 := t.contextObject(s, entered, 0, "")
	eff, f := t.effectiveInput(s, raw, ctx0)
	if f != nil {
		return outcome{err: f}
	}
	counts := newRetryCounts(len(s.retry))
	for retries := 0; ; retries++ {
		result, f, aborted := t.taskAttempt(s, eff, entered, retries)
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
			return 0, &failure{name: asl.ErrRuntime, cause: fmt.Sprintf("the value at %s %s in state %q is not an integer from 1 to %d", field, p, s.name, maxSeconds)}
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

// taskAttempt runs the task once: Parameters, invocation, callback, timers.
func (t *thread) taskAttempt(s *state, eff any, entered time.Time, retries int) (result any, f *failure, aborted bool) {
	e := t.e
	spec := s.task
	token := ""
	if spec.callback {
		token = newTaskToken()
	}
	ctx := t.contextObject(s, entered, retries, token)
	params := eff
	if s.parameters != nil {
		v, err := s.parameters.Eval(eff, ctx)
		if err != nil {
			return nil, toFailure(err), false
		}
		params = v
	}
	timeout, heartbeat, f := timeoutsFor(s, eff, ctx)
	if f != nil {
		return nil, f, false
	}

	// What to call, with which payload.
	var fnRef, qualifier string
	var payload []byte
	async := false
	resource := "invoke"
	if spec.callback {
		resource = "invoke.waitForTaskToken"
	}
	paramsJSON := mustJSON(params)
	if f := stateInputTooLarge(s, paramsJSON); f != nil {
		return nil, f, false
	}
	switch spec.kind {
	case resLambdaInvoke:
		pm, ok := params.(map[string]any)
		if !ok {
			return nil, &failure{name: asl.ErrRuntime, cause: fmt.Sprintf("the Parameters of lambda:invoke state %q must be an object", s.name)}, false
		}
		if fnRef, ok = pm["FunctionName"].(string); !ok || fnRef == "" {
			return nil, &failure{name: asl.ErrRuntime, cause: fmt.Sprintf("FunctionName of state %q is missing or not a string", s.name)}, false
		}
		if q, ok := pm["Qualifier"].(string); ok {
			qualifier = q
		}
		switch inv := pm["InvocationType"]; inv {
		case nil, "RequestResponse":
		case "Event":
			async = true
		default:
			return nil, &failure{name: "Lambda.InvalidParameterValueException", cause: fmt.Sprintf("unsupported InvocationType %v in state %q", inv, s.name)}, false
		}
		if p, ok := pm["Payload"]; ok {
			payload = []byte(mustJSON(p))
		} else {
			payload = []byte("{}")
		}
	case resLambdaARN:
		fnRef = spec.resource
		payload = []byte(paramsJSON)
	}

	e.mu.Lock()
	defer e.mu.Unlock()
	if t.sc.canceled {
		return nil, nil, true
	}
	if spec.kind == resLambdaInvoke {
		t.emitLocked(evTaskScheduled, keyTaskScheduled, taskScheduledDetails{
			ResourceType: "lambda", Resource: resource, Region: e.region, Parameters: paramsJSON,
			TimeoutInSeconds: optionalSeconds(timeout), HeartbeatInSeconds: optionalSeconds(heartbeat),
		})
		t.emitLocked(evTaskStarted, keyTaskStarted, taskStartedDetails{ResourceType: "lambda", Resource: resource})
	} else {
		t.emitLocked(evLambdaScheduled, keyLambdaScheduled, lambdaScheduledDetails{
			Resource: spec.resource, Input: paramsJSON, InputDetails: notTruncated, TimeoutInSeconds: optionalSeconds(timeout),
		})
		t.emitLocked(evLambdaStarted, "", nil)
	}
	if t.sc.canceled {
		// Recording the events filled the history: the execution is over
		// and the function must not run.
		return nil, nil, true
	}
	now := e.now()
	run := &taskRun{}
	var ct *callbackTask
	if spec.callback {
		ct = &callbackTask{token: token, t: t, run: run, heartbeat: time.Duration(heartbeat) * time.Second}
		e.tokens[token] = ct
		if heartbeat > 0 {
			ct.hbTimer = e.scheduleLocked(now.Add(ct.heartbeat), func() { e.heartbeatExpiredLocked(ct) })
		}
	}
	var timeoutTimer *timer
	if timeout > 0 {
		timeoutTimer = e.scheduleLocked(now.Add(time.Duration(timeout)*time.Second), func() {
			if ct != nil {
				if ct.closed {
					return
				}
				ct.closed = true
			}
			run.timedOut = true
			e.notifyLocked(&run.sig)
		})
	}
	hctx, cancel := context.WithCancel(context.Background())
	defer func() {
		e.cancelTimerLocked(timeoutTimer)
		if ct != nil {
			ct.closed = true
			e.cancelTimerLocked(ct.hbTimer)
		}
		if !async {
			cancel()
		}
	}()

	// Invoke.
	requestID := uuid.NewString()
	fn, fname, q := e.lookupFunctionLocked(fnRef)
	if qualifier == "" {
		qualifier = q
	}
	version := "$LATEST"
	if qualifier != "" {
		version = qualifier
	}
	if fn == nil {
		run.handlerDone = true
		run.inv = invocation{failed: true}
		run.inv.errName, run.inv.cause = serviceFault(ServiceError{
			Name:    "Lambda.ResourceNotFoundException",
			Message: "Function not found: " + e.functionARN(fname),
		}, statusForFault("ResourceNotFoundException"))
	} else {
		lc := &lambdacontext.LambdaContext{AwsRequestID: requestID, InvokedFunctionArn: e.functionARN(fname)}
		hctx = lambdacontext.NewContext(hctx, lc)
		xarn, sname := t.x.arn, s.name
		invoke := func() invocation {
			inv := callHandler(hctx, fn, payload)
			if inv.failed {
				e.log.Info("function failed", "execution", xarn, "state", sname, "function", fname, "error", inv.errName)
			}
			inv.version = version
			return inv
		}
		switch {
		case async:
			e.goLocked(func() { invoke() })
			run.handlerDone = true
			run.inv = invocation{asyncRun: true, version: version}
		case e.manual != nil:
			// Virtual time stands still while a handler runs, so no timer
			// can interrupt it: call it on this goroutine (unlocked, so it
			// may call the engine, e.g. SendTaskSuccess for its own token).
			e.mu.Unlock()
			inv := invoke()
			e.mu.Lock()
			run.inv = inv
			run.handlerDone = true
		default:
			// Real time: the task's timeout may fire while the handler runs.
			e.goLocked(func() {
				inv := invoke()
				e.mu.Lock()
				defer e.mu.Unlock()
				run.inv = inv
				run.handlerDone = true
				e.notifyLocked(&run.sig)
			})
		}
	}

	handled := false
	for {
		switch {
		case t.sc.canceled:
			return nil, nil, true
		case ct != nil && ct.answered && run.handlerDone:
			if !handled && !run.inv.failed {
				t.emitLocked(evTaskSubmitted, keyTaskSubmitted, taskOutputDetails{ResourceType: "lambda", Resource: resource, Output: mustJSON(e.invokeResult(run.inv, requestID)), OutputDetails: notTruncated})
			}
			if ct.success {
				t.emitLocked(evTaskSucceeded, keyTaskSucceeded, taskOutputDetails{ResourceType: "lambda", Resource: resource, Output: ct.output, OutputDetails: notTruncated})
				v, err := decodeJSONValue([]byte(ct.output))
				if err != nil {
					return nil, &failure{name: asl.ErrRuntime, cause: "task output is not JSON"}, false
				}
				return v, nil, false
			}
			t.emitLocked(evTaskFailed, keyTaskFailed, taskFailureDetails{ResourceType: "lambda", Resource: resource, Error: ct.errName, Cause: ct.cause})
			return nil, &failure{name: ct.errName, cause: ct.cause}, false
		case run.handlerDone && !handled && (ct == nil || !ct.answered):
			handled = true
			inv := run.inv
			if inv.failed {
				if ct != nil {
					ct.closed = true
				}
				if spec.kind == resLambdaInvoke {
					t.emitLocked(evTaskFailed, keyTaskFailed, taskFailureDetails{ResourceType: "lambda", Resource: resource, Error: inv.errName, Cause: inv.cause})
				} else {
					t.emitLocked(evLambdaFailed, keyLambdaFailed, failureDetails{Error: inv.errName, Cause: inv.cause})
				}
				return nil, &failure{name: inv.errName, cause: inv.cause}, false
			}
			switch {
			case spec.kind == resLambdaARN:
				out := payloadValue(inv.payload)
				outJSON := mustJSON(out)
				if f := taskResultTooLarge(spec.resource, outJSON); f != nil {
					t.emitLocked(evLambdaFailed, keyLambdaFailed, failureDetails{Error: f.name, Cause: f.cause})
					return nil, f, false
				}
				t.emitLocked(evLambdaSucceeded, keyLambdaSucceeded, outputDetails{Output: outJSON, OutputDetails: notTruncated})
				return out, nil, false
			case ct == nil:
				res := e.invokeResult(inv, requestID)
				resJSON := mustJSON(res)
				if f := taskResultTooLarge("lambda", resJSON); f != nil {
					t.emitLocked(evTaskFailed, keyTaskFailed, taskFailureDetails{ResourceType: "lambda", Resource: resource, Error: f.name, Cause: f.cause})
					return nil, f, false
				}
				t.emitLocked(evTaskSucceeded, keyTaskSucceeded, taskOutputDetails{ResourceType: "lambda", Resource: resource, Output: resJSON, OutputDetails: notTruncated})
				return res, nil, false
			default:
				t.emitLocked(evTaskSubmitted, keyTaskSubmitted, taskOutputDetails{ResourceType: "lambda", Resource: resource, Output: mustJSON(e.invokeResult(inv, requestID)), OutputDetails: notTruncated})
			}
		case run.timedOut || run.hbTimedOut:
			name := asl.ErrTimeout
			if run.hbTimedOut && !run.timedOut {
				name = asl.ErrHeartbeatTimeout
			}
			if spec.kind == resLambdaInvoke {
				t.emitLocked(evTaskTimedOut, keyTaskTimedOut, taskFailureDetails{ResourceType: "lambda", Resource: resource, Error: name})
			} else {
				t.emitLocked(evLambdaTimedOut, keyLambdaTimedOut, failureDetails{Error: name})
			}
			return nil, &failure{name: name}, false
		default:
			t.waitLocked(&run.sig)
		}
	}
}

func (e *Engine) heartbeatExpiredLocked(ct *callbackTask) {
	if ct.closed {
		return
	}
	ct.closed = true
	ct.run.hbTimedOut = true
	e.notifyLocked(&ct.run.sig)
}

// ---- Parallel and Map ----

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

func (t *thread) runMap(s *state, raw any, entered time.Time) outcome {
	ms := s.mapSpec
	counts := newRetryCounts(len(s.retry))
	for retries := 0; ; retries++ {
		ctx := t.contextObject(s, entered, retries, "")
		eff, f := t.effectiveInput(s, raw, ctx)
		if f != nil {
			return outcome{err: f}
		}
		items, inputs, limit, f := t.mapItems(s, ms, eff, ctx)
		if f == nil {
			t.emit(evMapStarted, keyMapStateStarted, mapStateStartedDetails{Length: len(items)})
			results, bf, aborted := t.runGroup(len(items), limit,
				func(i int, child *thread) {
					child.emitLocked(evMapIterationStarted, keyMapIterationStarted, mapIterationDetails{Name: s.name, Index: i})
					t.last = child.last
				},
				func(i int, child *thread) outcome {
					o := child.runMachine(ms.processor, inputs[i])
					d := mapIterationDetails{Name: s.name, Index: i}
					switch {
					case o.err != nil:
						child.emit(evMapIterationFailed, keyMapIterationFailed, d)
					case o.aborted:
						child.emit(evMapIterationAborted, keyMapIterationAborted, d)
					default:
						child.emit(evMapIterationSucceeded, keyMapIterationSucceeded, d)
					}
					return o
				})
			switch {
			case aborted:
				t.emit(evMapAborted, "", nil)
				return outcome{aborted: true}
			case bf != nil:
				t.emit(evMapFailed, "", nil)
				f = bf
			default:
				t.emit(evMapSucceeded, "", nil)
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

// mapItems selects the items of a Map state, evaluates ItemSelector for
// each, and resolves MaxConcurrency.
func (t *thread) mapItems(s *state, ms *mapSpec, eff any, ctx map[string]any) ([]any, []any, int, *failure) {
	itemsVal := eff
	if ms.itemsPath != nil {
		v, err := ms.itemsPath.Get(eff, ctx)
		if err != nil {
			return nil, nil, 0, toFailure(err)
		}
		itemsVal = v
	}
	items, ok := itemsVal.([]any)
	if !ok {
		return nil, nil, 0, &failure{name: asl.ErrRuntime, cause: fmt.Sprintf("the items of Map state %q (ItemsPath %s) are not a JSON array", s.name, pathString(ms.itemsPath))}
	}
	limit := int(ms.maxConcurrency)
	if ms.maxConcurrencyPath != nil {
		v, err := ms.maxConcurrencyPath.Get(eff, ctx)
		if err != nil {
			return nil, nil, 0, toFailure(err)
		}
		n, ok := intValue(v)
		if !ok || n < 0 || n > maxSeconds {
			return nil, nil, 0, &failure{name: asl.ErrRuntime, cause: fmt.Sprintf("the value at MaxConcurrencyPath %s in state %q is not a non-negative integer", ms.maxConcurrencyPath, s.name)}
		}
		limit = int(n)
	}
	inputs := make([]any, len(items))
	for i, item := range items {
		if ms.itemSelector == nil {
			inputs[i] = item
			continue
		}
		ictx := make(map[string]any, len(ctx)+1)
		for k, v := range ctx {
			ictx[k] = v
		}
		ictx["Map"] = map[string]any{"Item": map[string]any{"Index": json.Number(strconv.Itoa(i)), "Value": item}}
		v, err := ms.itemSelector.Eval(eff, ictx)
		if err != nil {
			return nil, nil, 0, toFailure(err)
		}
		inputs[i] = v
	}
	return items, inputs, limit, nil
}

func pathString(p *asl.Path) string {
	if p == nil {
		return "$"
	}
	return p.String()
}
