package stepfunctions

// One attempt of a Task state: resolve what to call, record it, arm the
// timers and the task token, invoke the function, and wait for whichever
// comes first: the function's result, the callback, a timeout, or the
// cancellation of the thread.

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-lambda-go/lambdacontext"
	"github.com/google/uuid"

	"github.com/candorhq/candor/infra/local/stepfunctions/asl"
)

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

// taskCall is what one attempt calls, resolved before anything is recorded.
type taskCall struct {
	kind      resourceKind
	resource  string // lambda:invoke's resource member: "invoke" or "invoke.waitForTaskToken"
	params    string // the effective input after Parameters, as JSON
	fnRef     string // the function as named (name, ARN, with or without qualifier)
	qualifier string // Parameters.Qualifier, if given
	payload   []byte
	async     bool // InvocationType Event
	timeout   int64
	heartbeat int64
	token     string // "" unless .waitForTaskToken
}

// attempt is one task attempt in progress. Its methods are called with the
// engine mutex held.
type attempt struct {
	t            *thread
	s            *state
	call         taskCall
	run          taskRun       // ct.run points here
	ct           *callbackTask // nil unless .waitForTaskToken
	timeoutTimer *timer
	cancel       context.CancelFunc // cancels the handler's context
	requestID    string
	handled      bool // the handler's return has been recorded
}

// taskAttempt runs the task once: Parameters, invocation, callback, timers.
// It returns the task's result, its failure, or aborted when the thread was
// cancelled (or the history filled up) before the task ended.
func (t *thread) taskAttempt(s *state, eff any, entered time.Time, retries int) (result any, f *failure, aborted bool) {
	a := &attempt{t: t, s: s}
	if f := t.prepareCall(&a.call, s, eff, entered, retries); f != nil {
		return nil, f, false
	}
	e := t.e
	e.mu.Lock()
	defer e.mu.Unlock()
	if !t.recordScheduledLocked(&a.call) {
		return nil, nil, true
	}
	a.requestID = uuid.NewString()
	a.armLocked()
	defer a.closeLocked()
	a.invokeLocked()
	return a.awaitLocked()
}

// prepareCall evaluates Parameters and the timeouts and resolves into call
// the function and payload of one attempt. A callback attempt gets a fresh token.
func (t *thread) prepareCall(call *taskCall, s *state, eff any, entered time.Time, retries int) *failure {
	spec := s.task
	*call = taskCall{kind: spec.kind, resource: "invoke"}
	if spec.callback {
		call.token = newTaskToken()
		call.resource = "invoke.waitForTaskToken"
	}
	ctx := t.contextObject(s, entered, retries, call.token)
	params := eff
	if s.parameters != nil {
		v, err := s.parameters.Eval(eff, ctx)
		if err != nil {
			return toFailure(err)
		}
		params = v
	}
	var f *failure
	if call.timeout, call.heartbeat, f = timeoutsFor(s, eff, ctx); f != nil {
		return f
	}
	call.params = mustJSON(params)
	if f := stateInputTooLarge(s, call.params); f != nil {
		return f
	}
	if spec.kind == resLambdaARN {
		call.fnRef, call.payload = spec.resource, []byte(call.params)
		return nil
	}
	return call.lambdaInvokeTarget(s, params)
}

// lambdaInvokeTarget reads FunctionName, Qualifier, InvocationType and
// Payload from the effective Parameters of a lambda:invoke task.
func (call *taskCall) lambdaInvokeTarget(s *state, params any) *failure {
	pm, ok := params.(map[string]any)
	if !ok {
		return &failure{name: asl.ErrRuntime, cause: fmt.Sprintf("the Parameters of lambda:invoke state %q must be an object", s.name)}
	}
	if call.fnRef, ok = pm["FunctionName"].(string); !ok || call.fnRef == "" {
		return &failure{name: asl.ErrRuntime, cause: fmt.Sprintf("FunctionName of state %q is missing or not a string", s.name)}
	}
	if q, ok := pm["Qualifier"].(string); ok {
		call.qualifier = q
	}
	switch inv := pm["InvocationType"]; inv {
	case nil, "RequestResponse":
	case "Event":
		call.async = true
	default:
		return &failure{name: "Lambda.InvalidParameterValueException", cause: fmt.Sprintf("unsupported InvocationType %v in state %q", inv, s.name)}
	}
	if p, ok := pm["Payload"]; ok {
		call.payload = []byte(mustJSON(p))
	} else {
		call.payload = []byte("{}")
	}
	return nil
}

// recordScheduledLocked records the scheduled and started events. It
// returns false when the thread is cancelled, before or because of them
// (recording them filled the history: the execution is over and the
// function must not run).
func (t *thread) recordScheduledLocked(call *taskCall) bool {
	if t.sc.canceled {
		return false
	}
	if call.kind == resLambdaInvoke {
		t.emitLocked(evTaskScheduled, keyTaskScheduled, taskScheduledDetails{
			ResourceType: "lambda", Resource: call.resource, Region: t.e.region, Parameters: call.params,
			TimeoutInSeconds: optionalSeconds(call.timeout), HeartbeatInSeconds: optionalSeconds(call.heartbeat),
		})
		t.emitLocked(evTaskStarted, keyTaskStarted, taskStartedDetails{ResourceType: "lambda", Resource: call.resource})
	} else {
		t.emitLocked(evLambdaScheduled, keyLambdaScheduled, lambdaScheduledDetails{
			Resource: call.fnRef, Input: call.params, InputDetails: notTruncated, TimeoutInSeconds: optionalSeconds(call.timeout),
		})
		t.emitLocked(evLambdaStarted, "", nil)
	}
	return !t.sc.canceled
}

// armLocked registers the task token (with its heartbeat timer) and arms
// the task's timeout, both counted from now.
func (a *attempt) armLocked() {
	e, run := a.t.e, &a.run
	now := e.now()
	if a.call.token != "" {
		ct := &callbackTask{token: a.call.token, t: a.t, run: run, heartbeat: time.Duration(a.call.heartbeat) * time.Second}
		e.tokens[ct.token] = ct
		if ct.heartbeat > 0 {
			ct.hbTimer = e.scheduleLocked(now.Add(ct.heartbeat), func() { e.heartbeatExpiredLocked(ct) })
		}
		a.ct = ct
	}
	if a.call.timeout <= 0 {
		return
	}
	a.armTimeoutLocked(now.Add(time.Duration(a.call.timeout) * time.Second))
}

// armTimeoutLocked arms the attempt's timeout to fire at at.
func (a *attempt) armTimeoutLocked(at time.Time) {
	e, run, ct := a.t.e, &a.run, a.ct
	a.timeoutTimer = e.scheduleLocked(at, func() {
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

// closeLocked ends the attempt: timers stop, the token closes (later
// callbacks get TaskTimedOut), and the handler's context is cancelled
// unless it was an asynchronous invocation.
func (a *attempt) closeLocked() {
	e := a.t.e
	e.cancelTimerLocked(a.timeoutTimer)
	if a.ct != nil {
		a.ct.closed = true
		e.cancelTimerLocked(a.ct.hbTimer)
	}
	if a.cancel != nil && !a.call.async {
		a.cancel()
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

// invokeLocked calls the function: in virtual time on this goroutine (the
// clock stands still while it runs, so no timer can interrupt it), in real
// time on its own goroutine (the timeout may fire meanwhile), and for
// InvocationType Event without waiting. A function that is not registered
// fails the task with Lambda.ResourceNotFoundException.
func (a *attempt) invokeLocked() {
	e, run := a.t.e, &a.run
	hctx, cancel := context.WithCancel(context.Background())
	a.cancel = cancel
	fn, fname, q := e.lookupFunctionLocked(a.call.fnRef)
	version := "$LATEST"
	if a.call.qualifier != "" {
		version = a.call.qualifier
	} else if q != "" {
		version = q
	}
	if fn == nil {
		run.handlerDone = true
		run.inv = invocation{failed: true}
		run.inv.errName, run.inv.cause = serviceFault(ServiceError{
			Name:    "Lambda.ResourceNotFoundException",
			Message: "Function not found: " + e.functionARN(fname),
		}, statusForFault("ResourceNotFoundException"))
		return
	}
	lc := &lambdacontext.LambdaContext{AwsRequestID: a.requestID, InvokedFunctionArn: e.functionARN(fname)}
	hctx = lambdacontext.NewContext(hctx, lc)
	xarn, sname := a.t.x.arn, a.s.name
	invoke := func() invocation {
		inv := callHandler(hctx, fn, a.call.payload)
		if inv.failed {
			e.log.Info("function failed", "execution", xarn, "state", sname, "function", fname, "error", inv.errName)
		}
		inv.version = version
		return inv
	}
	switch {
	case a.call.async:
		e.goLocked(func() { invoke() })
		run.handlerDone = true
		run.inv = invocation{asyncRun: true, version: version}
	case e.manual != nil:
		// Unlocked, so that the handler may call the engine (e.g.
		// SendTaskSuccess for its own token).
		e.mu.Unlock()
		inv := invoke()
		e.mu.Lock()
		run.inv = inv
		run.handlerDone = true
	default:
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

// awaitLocked waits for the attempt to end and records how it ended.
func (a *attempt) awaitLocked() (result any, f *failure, aborted bool) {
	for {
		switch {
		case a.t.sc.canceled:
			return nil, nil, true
		case a.ct != nil && a.ct.answered && a.run.handlerDone:
			result, f = a.answeredLocked()
			return result, f, false
		case a.run.handlerDone && !a.handled && (a.ct == nil || !a.ct.answered):
			a.handled = true
			if result, f, done := a.returnedLocked(); done {
				return result, f, false
			}
		case a.run.timedOut || a.run.hbTimedOut:
			return nil, a.timedOutLocked(), false
		default:
			a.waitLocked()
		}
	}
}

// waitLocked waits for the attempt's next event; a callback task whose
// function has returned parks the execution meanwhile: it waits for its
// token.
func (a *attempt) waitLocked() {
	t := a.t
	if a.ct == nil || !a.run.handlerDone || !a.handled || t.task == nil {
		t.waitLocked(&a.run.sig)
		return
	}
	p := *t.task
	p.kind, p.token, p.attempt = parkCallback, a.ct.token, a
	t.parkLocked(&p)
	t.waitLocked(&a.run.sig)
	t.unparkLocked(&p)
}

// answeredLocked records the callback's answer (SendTaskSuccess or
// SendTaskFailure), after the function's response if that was not yet
// recorded.
func (a *attempt) answeredLocked() (any, *failure) {
	t, ct := a.t, a.ct
	if !a.handled && !a.run.inv.failed {
		a.submittedLocked()
	}
	if ct.success {
		t.emitLocked(evTaskSucceeded, keyTaskSucceeded, taskOutputDetails{ResourceType: "lambda", Resource: a.call.resource, Output: ct.output, OutputDetails: notTruncated})
		v, err := decodeJSONValue([]byte(ct.output))
		if err != nil {
			return nil, &failure{name: asl.ErrRuntime, cause: "task output is not JSON"}
		}
		return v, nil
	}
	t.emitLocked(evTaskFailed, keyTaskFailed, taskFailureDetails{ResourceType: "lambda", Resource: a.call.resource, Error: ct.errName, Cause: ct.cause})
	return nil, &failure{name: ct.errName, cause: ct.cause}
}

// submittedLocked records a callback function's response (TaskSubmitted).
func (a *attempt) submittedLocked() {
	out := mustJSON(a.t.e.invokeResult(a.run.inv, a.requestID))
	a.t.emitLocked(evTaskSubmitted, keyTaskSubmitted, taskOutputDetails{ResourceType: "lambda", Resource: a.call.resource, Output: out, OutputDetails: notTruncated})
}

// returnedLocked records the function's return. done is false when a
// callback task goes on waiting for its token.
func (a *attempt) returnedLocked() (result any, f *failure, done bool) {
	inv := a.run.inv
	switch {
	case inv.failed:
		if a.ct != nil {
			a.ct.closed = true
		}
		a.failedLocked(inv.errName, inv.cause)
		return nil, &failure{name: inv.errName, cause: inv.cause}, true
	case a.call.kind == resLambdaARN:
		result, f = a.lambdaResultLocked(inv)
		return result, f, true
	case a.ct == nil:
		result, f = a.invokeResultLocked(inv)
		return result, f, true
	default:
		a.submittedLocked()
		return nil, nil, false
	}
}

// lambdaResultLocked records the response of a Lambda ARN resource, which
// is the task's result as the function returned it.
func (a *attempt) lambdaResultLocked(inv invocation) (any, *failure) {
	out := payloadValue(inv.payload)
	outJSON := mustJSON(out)
	if f := taskResultTooLarge(a.s.task.resource, outJSON); f != nil {
		a.failedLocked(f.name, f.cause)
		return nil, f
	}
	a.t.emitLocked(evLambdaSucceeded, keyLambdaSucceeded, outputDetails{Output: outJSON, OutputDetails: notTruncated})
	return out, nil
}

// invokeResultLocked records the response of lambda:invoke, shaped as AWS
// returns it (Payload, StatusCode, SDK metadata).
func (a *attempt) invokeResultLocked(inv invocation) (any, *failure) {
	res := a.t.e.invokeResult(inv, a.requestID)
	resJSON := mustJSON(res)
	if f := taskResultTooLarge("lambda", resJSON); f != nil {
		a.failedLocked(f.name, f.cause)
		return nil, f
	}
	a.t.emitLocked(evTaskSucceeded, keyTaskSucceeded, taskOutputDetails{ResourceType: "lambda", Resource: a.call.resource, Output: resJSON, OutputDetails: notTruncated})
	return res, nil
}

// failedLocked records the task's failure event of its resource kind.
func (a *attempt) failedLocked(name, cause string) {
	if a.call.kind == resLambdaInvoke {
		a.t.emitLocked(evTaskFailed, keyTaskFailed, taskFailureDetails{ResourceType: "lambda", Resource: a.call.resource, Error: name, Cause: cause})
		return
	}
	a.t.emitLocked(evLambdaFailed, keyLambdaFailed, failureDetails{Error: name, Cause: cause})
}

// timedOutLocked records a task timeout or, when only the heartbeat ran
// out, a heartbeat timeout.
func (a *attempt) timedOutLocked() *failure {
	name := asl.ErrTimeout
	if a.run.hbTimedOut && !a.run.timedOut {
		name = asl.ErrHeartbeatTimeout
	}
	if a.call.kind == resLambdaInvoke {
		a.t.emitLocked(evTaskTimedOut, keyTaskTimedOut, taskFailureDetails{ResourceType: "lambda", Resource: a.call.resource, Error: name})
	} else {
		a.t.emitLocked(evLambdaTimedOut, keyLambdaTimedOut, failureDetails{Error: name})
	}
	return &failure{name: name}
}
