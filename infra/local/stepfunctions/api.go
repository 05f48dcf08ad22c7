package stepfunctions

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"sort"
	"strings"

	"github.com/google/uuid"
)

// targetPrefix starts the X-Amz-Target header of every Step Functions call.
const targetPrefix = "AWSStepFunctions."

// IsStepFunctionsRequest reports whether r is a Step Functions API call (by
// its X-Amz-Target header), so a local endpoint serving several AWS
// services can route it here.
func IsStepFunctionsRequest(r *http.Request) bool {
	return strings.HasPrefix(r.Header.Get("X-Amz-Target"), targetPrefix)
}

// maxRequestBody bounds a request body (definitions are at most 1 MiB in AWS).
const maxRequestBody = 2 << 20

// ServeHTTP serves the Step Functions JSON 1.0 protocol: POST with
// X-Amz-Target "AWSStepFunctions.<Operation>" and a JSON body. It supports
// CreateStateMachine, DescribeStateMachine, ListStateMachines,
// DescribeStateMachineForExecution, StartExecution, DescribeExecution,
// StopExecution, ListExecutions, GetExecutionHistory, SendTaskSuccess,
// SendTaskFailure and SendTaskHeartbeat. Errors come back as AWS shapes them
// ({"__type": "...#Code", "message": ...} with status 400), so the SDKs
// decode them into their typed exceptions.
func (e *Engine) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	reqID := uuid.NewString()
	w.Header().Set("x-amzn-RequestId", reqID)
	if r.Method != http.MethodPost {
		writeError(w, &APIError{Code: "UnknownOperationException", Message: "the Step Functions API accepts POST only", Status: http.StatusMethodNotAllowed})
		return
	}
	op, ok := strings.CutPrefix(r.Header.Get("X-Amz-Target"), targetPrefix)
	if !ok {
		writeError(w, apiErr("UnknownOperationException", "missing or foreign X-Amz-Target header"))
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxRequestBody+1))
	if err != nil {
		writeError(w, apiErr("SerializationException", "cannot read the request body"))
		return
	}
	if len(body) > maxRequestBody {
		writeError(w, &APIError{Code: "ValidationException", Message: "request body too large", Status: http.StatusRequestEntityTooLarge})
		return
	}
	if len(bytes.TrimSpace(body)) == 0 {
		body = []byte("{}")
	}
	handler, ok := e.operations()[op]
	if !ok {
		writeError(w, apiErr("UnknownOperationException", "unknown operation %s", op))
		return
	}
	out, err := handler(body)
	if err != nil {
		var ae *APIError
		var de *DefinitionError
		switch {
		case errors.As(err, &ae):
			writeError(w, ae)
		case errors.As(err, &de):
			writeError(w, apiErr("InvalidDefinition", "Invalid State Machine Definition: '%s'", strings.TrimPrefix(de.Error(), "invalid state machine definition: ")))
		case errors.Is(err, ErrClosed):
			writeError(w, &APIError{Code: "ServiceUnavailable", Message: "the local engine is closed", Status: http.StatusServiceUnavailable})
		default:
			e.log.Error("step functions api error", "operation", op, "error", err)
			writeError(w, &APIError{Code: "InternalFailure", Message: "internal error", Status: http.StatusInternalServerError})
		}
		return
	}
	w.Header().Set("Content-Type", "application/x-amz-json-1.0")
	b, _ := json.Marshal(out)
	_, _ = w.Write(b)
}

func writeError(w http.ResponseWriter, ae *APIError) {
	w.Header().Set("Content-Type", "application/x-amz-json-1.0")
	w.Header().Set("X-Amzn-ErrorType", ae.Code)
	status := ae.Status
	if status == 0 {
		status = http.StatusBadRequest
	}
	w.WriteHeader(status)
	b, _ := json.Marshal(map[string]string{
		"__type":  "com.amazonaws.swf.service.v2.model#" + ae.Code,
		"message": ae.Message,
	})
	_, _ = w.Write(b)
}

// decodeRequest unmarshals a request body; members the engine does not know
// are ignored, as the AWS JSON protocol does.
func decodeRequest(body []byte, v any) error {
	if err := json.Unmarshal(body, v); err != nil {
		return apiErr("SerializationException", "cannot decode the request: %v", err)
	}
	return nil
}

func required(field, value string) error {
	if value == "" {
		return apiErr("ValidationException", "1 validation error detected: Value null at '%s' failed to satisfy constraint: Member must not be null", field)
	}
	return nil
}

type opFunc func(body []byte) (any, error)

func (e *Engine) operations() map[string]opFunc {
	return map[string]opFunc{
		"CreateStateMachine":               e.opCreateStateMachine,
		"DescribeStateMachine":             e.opDescribeStateMachine,
		"ListStateMachines":                e.opListStateMachines,
		"DescribeStateMachineForExecution": e.opDescribeStateMachineForExecution,
		"StartExecution":                   e.opStartExecution,
		"DescribeExecution":                e.opDescribeExecution,
		"StopExecution":                    e.opStopExecution,
		"ListExecutions":                   e.opListExecutions,
		"GetExecutionHistory":              e.opGetExecutionHistory,
		"SendTaskSuccess":                  e.opSendTaskSuccess,
		"SendTaskFailure":                  e.opSendTaskFailure,
		"SendTaskHeartbeat":                e.opSendTaskHeartbeat,
	}
}

func (e *Engine) opCreateStateMachine(body []byte) (any, error) {
	var in struct {
		Name       string `json:"name"`
		Definition string `json:"definition"`
		RoleArn    string `json:"roleArn"`
		Type       string `json:"type"`
		Publish    bool   `json:"publish"`
	}
	if err := decodeRequest(body, &in); err != nil {
		return nil, err
	}
	for _, f := range [][2]string{{"name", in.Name}, {"definition", in.Definition}, {"roleArn", in.RoleArn}} {
		if err := required(f[0], f[1]); err != nil {
			return nil, err
		}
	}
	if in.Publish {
		return nil, apiErr("ValidationException", "publishing state machine versions is not supported by the local engine")
	}
	sm, err := e.createStateMachine(in.Name, in.Definition, nil, in.RoleArn, in.Type)
	if err != nil {
		return nil, err
	}
	return map[string]any{"stateMachineArn": sm.arn, "creationDate": epochSeconds(sm.created)}, nil
}

func (e *Engine) describeMachine(sm *stateMachine) map[string]any {
	return map[string]any{
		"stateMachineArn":      sm.arn,
		"name":                 sm.name,
		"status":               "ACTIVE",
		"definition":           sm.definition,
		"roleArn":              sm.roleArn,
		"type":                 "STANDARD",
		"creationDate":         epochSeconds(sm.created),
		"loggingConfiguration": map[string]any{"level": "OFF", "includeExecutionData": false},
		"tracingConfiguration": map[string]any{"enabled": false},
	}
}

func (e *Engine) opDescribeStateMachine(body []byte) (any, error) {
	var in struct {
		StateMachineArn string `json:"stateMachineArn"`
	}
	if err := decodeRequest(body, &in); err != nil {
		return nil, err
	}
	if err := required("stateMachineArn", in.StateMachineArn); err != nil {
		return nil, err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	sm, err := e.machineLocked(in.StateMachineArn)
	if err != nil {
		return nil, err
	}
	return e.describeMachine(sm), nil
}

func (e *Engine) opDescribeStateMachineForExecution(body []byte) (any, error) {
	var in struct {
		ExecutionArn string `json:"executionArn"`
	}
	if err := decodeRequest(body, &in); err != nil {
		return nil, err
	}
	if err := required("executionArn", in.ExecutionArn); err != nil {
		return nil, err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	x, err := e.executionLocked(in.ExecutionArn)
	if err != nil {
		return nil, err
	}
	out := e.describeMachine(x.sm)
	delete(out, "status")
	delete(out, "type")
	delete(out, "creationDate")
	out["updateDate"] = epochSeconds(x.sm.created)
	return out, nil
}

func (e *Engine) opListStateMachines(body []byte) (any, error) {
	var in struct {
		MaxResults int    `json:"maxResults"`
		NextToken  string `json:"nextToken"`
	}
	if err := decodeRequest(body, &in); err != nil {
		return nil, err
	}
	size, err := pageSize(in.MaxResults)
	if err != nil {
		return nil, err
	}
	offset, err := parsePageToken(in.NextToken, "machines", "")
	if err != nil {
		return nil, err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	list := append([]*stateMachine(nil), e.machList...)
	sort.SliceStable(list, func(i, j int) bool { return list[i].name < list[j].name })
	items := []any{}
	end := min(offset+size, len(list))
	for _, sm := range list[min(offset, len(list)):end] {
		items = append(items, map[string]any{
			"stateMachineArn": sm.arn,
			"name":            sm.name,
			"type":            "STANDARD",
			"creationDate":    epochSeconds(sm.created),
		})
	}
	out := map[string]any{"stateMachines": items}
	if end < len(list) {
		out["nextToken"] = pageToken("machines", "", end)
	}
	return out, nil
}

func (e *Engine) opStartExecution(body []byte) (any, error) {
	var in struct {
		StateMachineArn string  `json:"stateMachineArn"`
		Name            string  `json:"name"`
		Input           *string `json:"input"`
	}
	if err := decodeRequest(body, &in); err != nil {
		return nil, err
	}
	if err := required("stateMachineArn", in.StateMachineArn); err != nil {
		return nil, err
	}
	input := ""
	if in.Input != nil {
		input = *in.Input
	}
	x, err := e.startExecution(in.StateMachineArn, in.Name, input)
	if err != nil {
		return nil, err
	}
	return map[string]any{"executionArn": x.arn, "startDate": epochSeconds(x.start)}, nil
}

func (e *Engine) opDescribeExecution(body []byte) (any, error) {
	var in struct {
		ExecutionArn string `json:"executionArn"`
	}
	if err := decodeRequest(body, &in); err != nil {
		return nil, err
	}
	if err := required("executionArn", in.ExecutionArn); err != nil {
		return nil, err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	x, err := e.executionLocked(in.ExecutionArn)
	if err != nil {
		return nil, err
	}
	out := map[string]any{
		"executionArn":    x.arn,
		"stateMachineArn": x.sm.arn,
		"name":            x.name,
		"status":          x.status,
		"startDate":       epochSeconds(x.start),
		"input":           x.input,
		"inputDetails":    map[string]any{"included": true},
		"redriveCount":    0,
		"redriveStatus":   "NOT_REDRIVABLE",
	}
	if x.status != statusRunning {
		out["stopDate"] = epochSeconds(x.stop)
	}
	if x.status == statusSucceeded {
		out["output"] = x.output
		out["outputDetails"] = map[string]any{"included": true}
	}
	if x.status == statusFailed || x.status == statusAborted || x.status == statusTimedOut {
		if x.errName != "" {
			out["error"] = x.errName
		}
		if x.cause != "" {
			out["cause"] = x.cause
		}
	}
	return out, nil
}

func (e *Engine) opStopExecution(body []byte) (any, error) {
	var in struct {
		ExecutionArn string `json:"executionArn"`
		Error        string `json:"error"`
		Cause        string `json:"cause"`
	}
	if err := decodeRequest(body, &in); err != nil {
		return nil, err
	}
	if err := required("executionArn", in.ExecutionArn); err != nil {
		return nil, err
	}
	x, err := e.stopExecution(in.ExecutionArn, in.Error, in.Cause)
	if err != nil {
		return nil, err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	return map[string]any{"stopDate": epochSeconds(x.stop)}, nil
}

var executionStatuses = map[string]bool{statusRunning: true, statusSucceeded: true, statusFailed: true, statusTimedOut: true, statusAborted: true, "PENDING_REDRIVE": true}

func (e *Engine) opListExecutions(body []byte) (any, error) {
	var in struct {
		StateMachineArn string `json:"stateMachineArn"`
		StatusFilter    string `json:"statusFilter"`
		MaxResults      int    `json:"maxResults"`
		NextToken       string `json:"nextToken"`
		MapRunArn       string `json:"mapRunArn"`
	}
	if err := decodeRequest(body, &in); err != nil {
		return nil, err
	}
	if in.MapRunArn != "" {
		return nil, apiErr("ValidationException", "map runs (distributed Map) are not supported by the local engine")
	}
	if err := required("stateMachineArn", in.StateMachineArn); err != nil {
		return nil, err
	}
	if in.StatusFilter != "" && !executionStatuses[in.StatusFilter] {
		return nil, apiErr("ValidationException", "1 validation error detected: Value '%s' at 'statusFilter' failed to satisfy constraint: Member must satisfy enum value set: [RUNNING, SUCCEEDED, FAILED, TIMED_OUT, ABORTED, PENDING_REDRIVE]", in.StatusFilter)
	}
	size, err := pageSize(in.MaxResults)
	if err != nil {
		return nil, err
	}
	offset, err := parsePageToken(in.NextToken, "executions", in.StateMachineArn+"|"+in.StatusFilter)
	if err != nil {
		return nil, err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	sm, err := e.machineLocked(in.StateMachineArn)
	if err != nil {
		return nil, err
	}
	var list []*execution
	for i := len(e.execList) - 1; i >= 0; i-- { // newest first
		x := e.execList[i]
		if x.sm == sm && (in.StatusFilter == "" || x.status == in.StatusFilter) {
			list = append(list, x)
		}
	}
	items := []any{}
	end := min(offset+size, len(list))
	for _, x := range list[min(offset, len(list)):end] {
		item := map[string]any{
			"executionArn":    x.arn,
			"stateMachineArn": sm.arn,
			"name":            x.name,
			"status":          x.status,
			"startDate":       epochSeconds(x.start),
		}
		if x.status != statusRunning {
			item["stopDate"] = epochSeconds(x.stop)
		}
		items = append(items, item)
	}
	out := map[string]any{"executions": items}
	if end < len(list) {
		out["nextToken"] = pageToken("executions", in.StateMachineArn+"|"+in.StatusFilter, end)
	}
	return out, nil
}

func (e *Engine) opGetExecutionHistory(body []byte) (any, error) {
	var in struct {
		ExecutionArn         string `json:"executionArn"`
		MaxResults           int    `json:"maxResults"`
		NextToken            string `json:"nextToken"`
		ReverseOrder         bool   `json:"reverseOrder"`
		IncludeExecutionData *bool  `json:"includeExecutionData"`
	}
	if err := decodeRequest(body, &in); err != nil {
		return nil, err
	}
	if err := required("executionArn", in.ExecutionArn); err != nil {
		return nil, err
	}
	size, err := pageSize(in.MaxResults)
	if err != nil {
		return nil, err
	}
	scope := in.ExecutionArn
	if in.ReverseOrder {
		scope += "|reverse"
	}
	offset, err := parsePageToken(in.NextToken, "history", scope)
	if err != nil {
		return nil, err
	}
	include := in.IncludeExecutionData == nil || *in.IncludeExecutionData
	e.mu.Lock()
	defer e.mu.Unlock()
	x, err := e.executionLocked(in.ExecutionArn)
	if err != nil {
		return nil, err
	}
	n := len(x.events)
	end := min(offset+size, n)
	items := []any{}
	for i := min(offset, n); i < end; i++ {
		ev := x.events[i]
		if in.ReverseOrder {
			ev = x.events[n-1-i]
		}
		items = append(items, ev.wire(include))
	}
	out := map[string]any{"events": items}
	if end < n {
		out["nextToken"] = pageToken("history", scope, end)
	}
	return out, nil
}

func (e *Engine) opSendTaskSuccess(body []byte) (any, error) {
	var in struct {
		TaskToken string  `json:"taskToken"`
		Output    *string `json:"output"`
	}
	if err := decodeRequest(body, &in); err != nil {
		return nil, err
	}
	if err := required("taskToken", in.TaskToken); err != nil {
		return nil, err
	}
	if in.Output == nil {
		return nil, required("output", "")
	}
	if err := e.sendTaskSuccess(in.TaskToken, *in.Output); err != nil {
		return nil, err
	}
	return map[string]any{}, nil
}

func (e *Engine) opSendTaskFailure(body []byte) (any, error) {
	var in struct {
		TaskToken string `json:"taskToken"`
		Error     string `json:"error"`
		Cause     string `json:"cause"`
	}
	if err := decodeRequest(body, &in); err != nil {
		return nil, err
	}
	if err := required("taskToken", in.TaskToken); err != nil {
		return nil, err
	}
	if err := e.sendTaskFailure(in.TaskToken, in.Error, in.Cause); err != nil {
		return nil, err
	}
	return map[string]any{}, nil
}

func (e *Engine) opSendTaskHeartbeat(body []byte) (any, error) {
	var in struct {
		TaskToken string `json:"taskToken"`
	}
	if err := decodeRequest(body, &in); err != nil {
		return nil, err
	}
	if err := required("taskToken", in.TaskToken); err != nil {
		return nil, err
	}
	if err := e.sendTaskHeartbeat(in.TaskToken); err != nil {
		return nil, err
	}
	return map[string]any{}, nil
}
