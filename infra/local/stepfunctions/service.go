package stepfunctions

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/google/uuid"

	"github.com/candorhq/candor/infra/local/stepfunctions/asl"
)

// APIError is an error of the Step Functions API, carried over the wire as
// AWS shapes it: Code is the exception name the SDKs recognise
// ("ExecutionDoesNotExist", "TaskTimedOut", "InvalidDefinition", …).
type APIError struct {
	Code    string
	Message string
	Status  int
}

func (e *APIError) Error() string { return e.Code + ": " + e.Message }

func apiErr(code, format string, args ...any) *APIError {
	return &APIError{Code: code, Message: fmt.Sprintf(format, args...), Status: http.StatusBadRequest}
}

// defaultRoleArn is the role recorded for state machines created through
// the Go API (the local engine does not check permissions).
func (e *Engine) defaultRoleArn() string {
	return fmt.Sprintf("arn:aws:iam::%s:role/candor-local-stepfunctions", e.account)
}

// CreateStateMachine loads a definition under name, after replacing every
// ${Name} with its value from substitutions as SAM's DefinitionSubstitutions
// do, and returns the state machine's ARN. The definition is validated on
// load; a refused definition yields an error wrapping a *DefinitionError that
// names each offending state and field. Creating the same name again with
// the same definition returns the same ARN; with another definition it fails
// (StateMachineAlreadyExists), as in AWS.
func (e *Engine) CreateStateMachine(ctx context.Context, name string, definition []byte, substitutions map[string]string) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", fmt.Errorf("create state machine %q: %w", name, err)
	}
	sm, err := e.createStateMachine(name, string(definition), substitutions, e.defaultRoleArn(), "STANDARD")
	if err != nil {
		return "", fmt.Errorf("create state machine %q: %w", name, err)
	}
	return sm.arn, nil
}

// validName applies the naming rules of state machines and executions.
func validName(name string) bool {
	if name == "" || len([]rune(name)) > 80 {
		return false
	}
	for _, r := range name {
		if unicode.IsSpace(r) || unicode.IsControl(r) || (r >= 0x7f && r <= 0x9f) || strings.ContainsRune("<>{}[]?*\"#%\\^|~`$&,;:/", r) {
			return false
		}
	}
	return true
}

func (e *Engine) stateMachineARN(name string) string {
	return fmt.Sprintf("arn:aws:states:%s:%s:stateMachine:%s", e.region, e.account, name)
}

func (e *Engine) executionARN(machine, name string) string {
	return fmt.Sprintf("arn:aws:states:%s:%s:execution:%s:%s", e.region, e.account, machine, name)
}

// checkARN verifies the shape of a Step Functions ARN of the given resource
// type ("stateMachine" or "execution").
func checkARN(arn, resource string) error {
	parts := strings.Split(arn, ":")
	want := 7
	if resource == "execution" {
		want = 8
	}
	if len(parts) != want || parts[0] != "arn" || parts[2] != "states" || parts[5] != resource {
		return apiErr("InvalidArn", "Invalid Arn: 'Resource type not valid in this context: %s'", arn)
	}
	return nil
}

func (e *Engine) createStateMachine(name, definition string, subs map[string]string, roleArn, typ string) (*stateMachine, error) {
	if !validName(name) {
		return nil, apiErr("InvalidName", "Invalid Name: '%s'", name)
	}
	switch typ {
	case "", "STANDARD":
	case "EXPRESS":
		return nil, apiErr("ValidationException", "EXPRESS state machines are not supported by the local engine")
	default:
		return nil, apiErr("ValidationException", "1 validation error detected: Value '%s' at 'type' failed to satisfy constraint: Member must satisfy enum value set: [STANDARD, EXPRESS]", typ)
	}
	text, m, err := compileDefinition(definition, subs, asl.Sources{Rand: e.rand, UUID: uuid.NewString})
	if err != nil {
		return nil, err
	}
	arn := e.stateMachineARN(name)
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.closed {
		return nil, ErrClosed
	}
	if old, ok := e.machines[arn]; ok {
		if old.definition == text && old.roleArn == roleArn {
			return old, nil
		}
		return nil, apiErr("StateMachineAlreadyExists", "State Machine Already Exists: '%s'", arn)
	}
	sm := &stateMachine{arn: arn, name: name, definition: text, roleArn: roleArn, created: e.now(), m: m}
	e.machines[arn] = sm
	e.machList = append(e.machList, sm)
	e.log.Info("state machine created", "stateMachine", arn)
	return sm, nil
}

func (e *Engine) machineLocked(arn string) (*stateMachine, error) {
	if err := checkARN(arn, "stateMachine"); err != nil {
		return nil, err
	}
	sm, ok := e.machines[arn]
	if !ok {
		return nil, apiErr("StateMachineDoesNotExist", "State Machine Does Not Exist: '%s'", arn)
	}
	return sm, nil
}

func (e *Engine) executionLocked(arn string) (*execution, error) {
	if err := checkARN(arn, "execution"); err != nil {
		return nil, err
	}
	x, ok := e.execs[arn]
	if !ok {
		return nil, apiErr("ExecutionDoesNotExist", "Execution Does Not Exist: '%s'", arn)
	}
	return x, nil
}

// startExecution starts (or, for the same name and input while running,
// returns) an execution. An input larger than MaxPayloadBytes is refused
// first, as AWS checks its model constraints before anything else.
func (e *Engine) startExecution(smArn, name, input string) (*execution, error) {
	if err := payloadTooLarge("input", input); err != nil {
		return nil, err
	}
	if name == "" {
		name = uuid.NewString()
	}
	if !validName(name) {
		return nil, apiErr("InvalidName", "Invalid Name: '%s'", name)
	}
	if input == "" {
		input = "{}"
	}
	inputVal, err := decodeJSONValue([]byte(input))
	if err != nil {
		return nil, apiErr("InvalidExecutionInput", "Invalid State Machine Execution Input: '%s'", err)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.closed {
		return nil, ErrClosed
	}
	sm, err := e.machineLocked(smArn)
	if err != nil {
		return nil, err
	}
	arn := e.executionARN(sm.name, name)
	if old, ok := e.execs[arn]; ok {
		if old.status == statusRunning && old.input == input {
			return old, nil
		}
		return nil, apiErr("ExecutionAlreadyExists", "Execution Already Exists: '%s'", arn)
	}
	now := e.now()
	x := &execution{arn: arn, name: name, sm: sm, input: input, inputVal: inputVal, status: statusRunning, start: now}
	e.execs[arn] = x
	e.execList = append(e.execList, x)
	x.appendLocked(now, 0, evExecutionStarted, keyExecutionStarted, executionStartedDetails{Input: input, InputDetails: notTruncated, RoleArn: sm.roleArn})
	e.log.Info("execution started", "execution", arn)
	e.runAttemptLocked(x, now, 0, nil)
	return x, nil
}

// runAttemptLocked starts an attempt of x (the first run, or a redrive from
// rp with the chain continuing from event last): a fresh root scope and
// context object, the machine's TimeoutSeconds counted from now, and the
// attempt's goroutine.
func (e *Engine) runAttemptLocked(x *execution, now time.Time, last int64, rp *resumePoint) {
	x.root = newScope(nil)
	x.ctx = &sharedContext{}
	x.done = make(chan struct{})
	if secs := x.sm.m.timeoutSeconds; secs > 0 {
		x.timeout = e.scheduleLocked(now.Add(time.Duration(secs)*time.Second), func() { e.executionTimedOutLocked(x) })
	}
	e.goLocked(func() { x.run(e, last, rp) })
}

// executionTimedOutLocked ends x when its TimeoutSeconds has passed.
func (e *Engine) executionTimedOutLocked(x *execution) {
	if x.status != statusRunning {
		return
	}
	now := e.now()
	x.appendLocked(now, int64(len(x.events)), evExecutionTimedOut, keyExecutionTimedOut, failureDetails{Error: asl.ErrTimeout, Cause: fmt.Sprintf("The execution exceeded its TimeoutSeconds of %d seconds", x.sm.m.timeoutSeconds)})
	x.closeLocked(now, statusTimedOut)
	x.errName, x.cause = asl.ErrTimeout, "execution timed out"
	x.root.cancelLocked(e)
	e.log.Info("execution timed out", "execution", x.arn)
}

// stopExecution aborts a running execution; a closed one is left as it is.
func (e *Engine) stopExecution(arn, errName, cause string) (*execution, error) {
	if len(errName) > 256 {
		return nil, apiErr("ValidationException", "1 validation error detected: Value at 'error' failed to satisfy constraint: Member must have length less than or equal to 256")
	}
	if len(cause) > 32768 {
		return nil, apiErr("ValidationException", "1 validation error detected: Value at 'cause' failed to satisfy constraint: Member must have length less than or equal to 32768")
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	x, err := e.executionLocked(arn)
	if err != nil {
		return nil, err
	}
	if x.status != statusRunning {
		return x, nil
	}
	now := e.now()
	x.appendLocked(now, int64(len(x.events)), evExecutionAborted, keyExecutionAborted, failureDetails{Error: errName, Cause: cause})
	x.closeLocked(now, statusAborted)
	x.errName, x.cause = errName, cause
	e.cancelTimerLocked(x.timeout)
	x.root.cancelLocked(e)
	e.log.Info("execution stopped", "execution", arn)
	return x, nil
}

// ---- task tokens ----

const tokenBytes = 32

// newTaskToken returns an opaque, unguessable token (256 random bits).
func newTaskToken() string {
	b := make([]byte, tokenBytes)
	if _, err := rand.Read(b); err != nil {
		panic(fmt.Sprintf("stepfunctions: crypto/rand failed: %v", err))
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// wellFormedToken reports whether s has the shape of a token this engine
// issues.
func wellFormedToken(s string) bool {
	if len(s) != base64.RawURLEncoding.EncodedLen(tokenBytes) {
		return false
	}
	_, err := base64.RawURLEncoding.DecodeString(s)
	return err == nil
}

// openTaskLocked finds the open task of a token, or the error AWS returns:
// InvalidToken for a malformed or unknown token, TaskTimedOut for a task
// that has closed (timed out, answered, or its execution ended).
func (e *Engine) openTaskLocked(token string) (*callbackTask, error) {
	if e.closed {
		return nil, ErrClosed
	}
	if !wellFormedToken(token) {
		return nil, apiErr("InvalidToken", "Invalid Token: '%s'", abbreviate(token))
	}
	ct, ok := e.tokens[token]
	if !ok {
		return nil, apiErr("InvalidToken", "Invalid Token: '%s'", abbreviate(token))
	}
	if ct.closed || ct.t.x.status != statusRunning || ct.t.sc.canceled {
		return nil, apiErr("TaskTimedOut", "Task Timed Out: '%s'", abbreviate(token))
	}
	return ct, nil
}

func abbreviate(token string) string {
	if len(token) > 12 {
		return token[:12] + "…"
	}
	return token
}

// sendTaskSuccess answers a callback task. An output larger than
// MaxPayloadBytes is refused before the token is looked at, as AWS checks
// its model constraints first.
func (e *Engine) sendTaskSuccess(token, output string) error {
	if err := payloadTooLarge("output", output); err != nil {
		return err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	ct, err := e.openTaskLocked(token)
	if err != nil {
		return err
	}
	if _, err := decodeJSONValue([]byte(output)); err != nil {
		return apiErr("InvalidOutput", "Invalid Output: '%s'", err)
	}
	ct.closed, ct.answered, ct.success, ct.output = true, true, true, output
	e.cancelTimerLocked(ct.hbTimer)
	e.notifyLocked(&ct.run.sig)
	return nil
}

func (e *Engine) sendTaskFailure(token, errName, cause string) error {
	if len(errName) > 256 {
		return apiErr("ValidationException", "1 validation error detected: Value at 'error' failed to satisfy constraint: Member must have length less than or equal to 256")
	}
	if len(cause) > 32768 {
		return apiErr("ValidationException", "1 validation error detected: Value at 'cause' failed to satisfy constraint: Member must have length less than or equal to 32768")
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	ct, err := e.openTaskLocked(token)
	if err != nil {
		return err
	}
	ct.closed, ct.answered, ct.errName, ct.cause = true, true, errName, cause
	e.cancelTimerLocked(ct.hbTimer)
	e.notifyLocked(&ct.run.sig)
	return nil
}

func (e *Engine) sendTaskHeartbeat(token string) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	ct, err := e.openTaskLocked(token)
	if err != nil {
		return err
	}
	if ct.heartbeat > 0 {
		e.cancelTimerLocked(ct.hbTimer)
		ct.hbTimer = e.scheduleLocked(e.now().Add(ct.heartbeat), func() { e.heartbeatExpiredLocked(ct) })
	}
	return nil
}

// ---- pagination ----

func pageToken(kind, scope string, offset int) string {
	return base64.RawURLEncoding.EncodeToString([]byte(kind + "\x00" + scope + "\x00" + strconv.Itoa(offset)))
}

func parsePageToken(token, kind, scope string) (int, error) {
	if token == "" {
		return 0, nil
	}
	raw, err := base64.RawURLEncoding.DecodeString(token)
	parts := strings.Split(string(raw), "\x00")
	if err != nil || len(parts) != 3 || parts[0] != kind || parts[1] != scope {
		return 0, apiErr("InvalidToken", "Invalid Token: 'the pagination token does not belong to this request'")
	}
	n, err := strconv.Atoi(parts[2])
	if err != nil || n < 0 {
		return 0, apiErr("InvalidToken", "Invalid Token: 'malformed pagination token'")
	}
	return n, nil
}

func pageSize(maxResults int) (int, error) {
	switch {
	case maxResults == 0:
		return 100, nil
	case maxResults < 0 || maxResults > 1000:
		return 0, apiErr("ValidationException", "1 validation error detected: Value '%d' at 'maxResults' failed to satisfy constraint: Member must have value between 0 and 1000", maxResults)
	}
	return maxResults, nil
}
