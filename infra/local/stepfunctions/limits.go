package stepfunctions

import (
	"fmt"

	"github.com/candorhq/candor/infra/local/stepfunctions/asl"
)

// MaxPayloadBytes is Step Functions' hard quota on one piece of execution
// data: 256 KiB of JSON text counted as UTF-8 bytes. The engine applies it
// where AWS does:
//
//   - StartExecution's input and SendTaskSuccess's output larger than this
//     are refused by the API with a ValidationException;
//   - a state's input (the input of a Parallel branch's or Map iteration's
//     first state), a Task's input after Parameters, and a state's output
//     (after ResultSelector, ResultPath and OutputPath, or a catcher's
//     ResultPath) larger than this fail the execution with
//     States.DataLimitExceeded, which no Retry or Catch handles;
//   - a task result (a Lambda function's response, shaped as the resource
//     returns it) larger than this fails the task with
//     States.DataLimitExceeded, which Retry and Catch do handle, as in AWS.
//
// A value of exactly MaxPayloadBytes bytes passes.
const MaxPayloadBytes = 256 * 1024

// DefaultMaxHistoryEvents is Step Functions' hard quota on the events of one
// execution's history. An execution that would record more fails with
// States.Runtime, its ExecutionFailed event being the last one the history
// can hold. Config.MaxHistoryEvents lowers it for tests.
const DefaultMaxHistoryEvents = 25000

// minHistoryEvents is the smallest history that can hold an execution:
// ExecutionStarted and a terminal event.
const minHistoryEvents = 2

// payloadTooLarge returns the ValidationException AWS answers when the API
// member (StartExecution's "input", SendTaskSuccess's "output") holds more
// than MaxPayloadBytes bytes, or nil. The message carries no data: the
// members are sensitive in the AWS model.
func payloadTooLarge(member, value string) error {
	if len(value) <= MaxPayloadBytes {
		return nil
	}
	return apiErr("ValidationException", "1 validation error detected: Value at '%s' failed to satisfy constraint: Member must have size less than or equal to %d bytes in UTF-8 encoding", member, MaxPayloadBytes)
}

// resultTooLargeCause is AWS's cause of States.DataLimitExceeded for a
// result, naming the state, or for a task result the resource type
// ("lambda") or the function ARN, as AWS does.
func resultTooLargeCause(what string) string {
	return fmt.Sprintf("The state/task '%s' returned a result with a size exceeding the maximum number of bytes service limit.", what)
}

// stateOutputTooLarge returns the terminal failure of state s whose
// serialised output is json, or nil if it fits.
func stateOutputTooLarge(s *state, json string) *failure {
	if len(json) <= MaxPayloadBytes {
		return nil
	}
	return &failure{name: asl.ErrDataLimitExceeded, cause: resultTooLargeCause(s.name), terminal: true}
}

// stateInputTooLarge returns the terminal failure of state s whose
// serialised input (or effective input after Parameters) is json, or nil
// if it fits. AWS's exact cause for inputs is not documented; this one
// follows the wording of its cause for outputs.
func stateInputTooLarge(s *state, json string) *failure {
	if len(json) <= MaxPayloadBytes {
		return nil
	}
	return &failure{name: asl.ErrDataLimitExceeded, cause: fmt.Sprintf("The state/task '%s' received an input with a size exceeding the maximum number of bytes service limit.", s.name), terminal: true}
}

// taskResultTooLarge returns the task failure for a task result whose
// serialised form is json, or nil if it fits. what names the resource in
// the cause: "lambda" for lambda:invoke, the function ARN for a Lambda ARN
// resource. Unlike the state-level failures it can be retried and caught:
// AWS reports it as the task's failure (TaskFailed or LambdaFunctionFailed),
// and a catcher on States.ALL handles it.
func taskResultTooLarge(what, json string) *failure {
	if len(json) <= MaxPayloadBytes {
		return nil
	}
	return &failure{name: asl.ErrDataLimitExceeded, cause: resultTooLargeCause(what)}
}

// historyFullLocked reports whether the execution's history has no room for
// another non-terminal event. In that case it has recorded, in that room,
// the ExecutionFailed event AWS records (States.Runtime, "The execution
// reached the maximum number of history events (N).") and closed the
// execution, stopping its timers and threads.
func (e *Engine) historyFullLocked(x *execution) bool {
	if len(x.events)+1 < e.maxHistory {
		return false
	}
	now := e.now()
	cause := fmt.Sprintf("The execution reached the maximum number of history events (%d).", e.maxHistory)
	x.appendLocked(now, int64(len(x.events)), evExecutionFailed, keyExecutionFailed, failureDetails{Error: asl.ErrRuntime, Cause: cause})
	x.closeLocked(now, statusFailed)
	x.errName, x.cause = asl.ErrRuntime, cause
	e.cancelTimerLocked(x.timeout)
	x.root.cancelLocked(e)
	e.log.Info("execution failed: history limit reached", "execution", x.arn, "error", asl.ErrRuntime, "events", e.maxHistory)
	return true
}
