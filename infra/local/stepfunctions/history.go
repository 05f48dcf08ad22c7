package stepfunctions

import (
	"encoding/json"
	"time"
)

// event is one history event of an execution, with the details object
// AWS attaches under the member named key.
type event struct {
	id      int64
	prev    int64
	ts      time.Time
	typ     string
	key     string
	details any
}

// Event types, as in the Step Functions API (HistoryEventType).
const (
	evExecutionStarted       = "ExecutionStarted"
	evExecutionSucceeded     = "ExecutionSucceeded"
	evExecutionFailed        = "ExecutionFailed"
	evExecutionAborted       = "ExecutionAborted"
	evExecutionTimedOut      = "ExecutionTimedOut"
	evExecutionRedriven      = "ExecutionRedriven"
	evTaskScheduled          = "TaskScheduled"
	evTaskStarted            = "TaskStarted"
	evTaskSubmitted          = "TaskSubmitted"
	evTaskSucceeded          = "TaskSucceeded"
	evTaskFailed             = "TaskFailed"
	evTaskTimedOut           = "TaskTimedOut"
	evLambdaScheduled        = "LambdaFunctionScheduled"
	evLambdaStarted          = "LambdaFunctionStarted"
	evLambdaSucceeded        = "LambdaFunctionSucceeded"
	evLambdaFailed           = "LambdaFunctionFailed"
	evLambdaTimedOut         = "LambdaFunctionTimedOut"
	evParallelStarted        = "ParallelStateStarted"
	evParallelSucceeded      = "ParallelStateSucceeded"
	evParallelFailed         = "ParallelStateFailed"
	evParallelAborted        = "ParallelStateAborted"
	evMapStarted             = "MapStateStarted"
	evMapSucceeded           = "MapStateSucceeded"
	evMapFailed              = "MapStateFailed"
	evMapAborted             = "MapStateAborted"
	evMapIterationStarted    = "MapIterationStarted"
	evMapIterationSucceeded  = "MapIterationSucceeded"
	evMapIterationFailed     = "MapIterationFailed"
	evMapIterationAborted    = "MapIterationAborted"
	suffixEntered            = "StateEntered"
	suffixExited             = "StateExited"
	suffixAborted            = "StateAborted"
	keyStateEntered          = "stateEnteredEventDetails"
	keyStateExited           = "stateExitedEventDetails"
	keyExecutionStarted      = "executionStartedEventDetails"
	keyExecutionSucceeded    = "executionSucceededEventDetails"
	keyExecutionFailed       = "executionFailedEventDetails"
	keyExecutionAborted      = "executionAbortedEventDetails"
	keyExecutionTimedOut     = "executionTimedOutEventDetails"
	keyExecutionRedriven     = "executionRedrivenEventDetails"
	keyTaskScheduled         = "taskScheduledEventDetails"
	keyTaskStarted           = "taskStartedEventDetails"
	keyTaskSubmitted         = "taskSubmittedEventDetails"
	keyTaskSucceeded         = "taskSucceededEventDetails"
	keyTaskFailed            = "taskFailedEventDetails"
	keyTaskTimedOut          = "taskTimedOutEventDetails"
	keyLambdaScheduled       = "lambdaFunctionScheduledEventDetails"
	keyLambdaSucceeded       = "lambdaFunctionSucceededEventDetails"
	keyLambdaFailed          = "lambdaFunctionFailedEventDetails"
	keyLambdaTimedOut        = "lambdaFunctionTimedOutEventDetails"
	keyMapStateStarted       = "mapStateStartedEventDetails"
	keyMapIterationStarted   = "mapIterationStartedEventDetails"
	keyMapIterationSucceeded = "mapIterationSucceededEventDetails"
	keyMapIterationFailed    = "mapIterationFailedEventDetails"
	keyMapIterationAborted   = "mapIterationAbortedEventDetails"
)

type dataDetails struct {
	Truncated bool `json:"truncated"`
}

type stateEnteredDetails struct {
	Name         string       `json:"name"`
	Input        string       `json:"input"`
	InputDetails *dataDetails `json:"inputDetails,omitempty"`
}

type stateExitedDetails struct {
	Name          string       `json:"name"`
	Output        string       `json:"output"`
	OutputDetails *dataDetails `json:"outputDetails,omitempty"`
}

type executionStartedDetails struct {
	Input        string       `json:"input"`
	InputDetails *dataDetails `json:"inputDetails,omitempty"`
	RoleArn      string       `json:"roleArn,omitempty"`
}

type outputDetails struct {
	Output        string       `json:"output"`
	OutputDetails *dataDetails `json:"outputDetails,omitempty"`
}

type failureDetails struct {
	Error string `json:"error,omitempty"`
	Cause string `json:"cause,omitempty"`
}

type executionRedrivenDetails struct {
	RedriveCount int `json:"redriveCount"`
}

type taskScheduledDetails struct {
	ResourceType       string `json:"resourceType"`
	Resource           string `json:"resource"`
	Region             string `json:"region"`
	Parameters         string `json:"parameters"`
	TimeoutInSeconds   *int64 `json:"timeoutInSeconds,omitempty"`
	HeartbeatInSeconds *int64 `json:"heartbeatInSeconds,omitempty"`
}

type taskStartedDetails struct {
	ResourceType string `json:"resourceType"`
	Resource     string `json:"resource"`
}

type taskOutputDetails struct {
	ResourceType  string       `json:"resourceType"`
	Resource      string       `json:"resource"`
	Output        string       `json:"output"`
	OutputDetails *dataDetails `json:"outputDetails,omitempty"`
}

type taskFailureDetails struct {
	ResourceType string `json:"resourceType"`
	Resource     string `json:"resource"`
	Error        string `json:"error,omitempty"`
	Cause        string `json:"cause,omitempty"`
}

type lambdaScheduledDetails struct {
	Resource         string       `json:"resource"`
	Input            string       `json:"input"`
	InputDetails     *dataDetails `json:"inputDetails,omitempty"`
	TimeoutInSeconds *int64       `json:"timeoutInSeconds,omitempty"`
}

type mapStateStartedDetails struct {
	Length int `json:"length"`
}

type mapIterationDetails struct {
	Name  string `json:"name"`
	Index int    `json:"index"`
}

var notTruncated = &dataDetails{}

// dataFields are the members that includeExecutionData=false leaves out.
var dataFields = []string{"input", "inputDetails", "output", "outputDetails", "parameters"}

// wire renders the event as the GetExecutionHistory API does.
func (ev *event) wire(includeData bool) map[string]any {
	out := map[string]any{
		"id":              ev.id,
		"previousEventId": ev.prev,
		"timestamp":       epochSeconds(ev.ts),
		"type":            ev.typ,
	}
	if ev.key == "" {
		return out
	}
	if includeData {
		out[ev.key] = ev.details
		return out
	}
	b, err := json.Marshal(ev.details)
	if err != nil {
		return out
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		return out
	}
	for _, f := range dataFields {
		delete(m, f)
	}
	out[ev.key] = m
	return out
}

// epochSeconds renders t the way the JSON 1.0 protocol encodes timestamps:
// seconds since the epoch with millisecond precision.
func epochSeconds(t time.Time) json.Number {
	ms := t.UnixMilli()
	sec, frac := ms/1000, ms%1000
	if frac < 0 {
		sec--
		frac += 1000
	}
	return json.Number(formatEpoch(sec, frac))
}

func formatEpoch(sec, frac int64) string {
	b := make([]byte, 0, 24)
	b = appendInt(b, sec)
	b = append(b, '.')
	b = append(b, byte('0'+frac/100), byte('0'+frac/10%10), byte('0'+frac%10))
	return string(b)
}

func appendInt(b []byte, n int64) []byte {
	if n < 0 {
		b = append(b, '-')
		n = -n
	}
	var tmp [20]byte
	i := len(tmp)
	for {
		i--
		tmp[i] = byte('0' + n%10)
		n /= 10
		if n == 0 {
			break
		}
	}
	return append(b, tmp[i:]...)
}
