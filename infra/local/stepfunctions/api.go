package stepfunctions

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
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
// StopExecution, ListExecutions, RedriveExecution, GetExecutionHistory, SendTaskSuccess,
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
		"RedriveExecution":                 e.opRedriveExecution,
		"GetExecutionHistory":              e.opGetExecutionHistory,
		"SendTaskSuccess":                  e.opSendTaskSuccess,
		"SendTaskFailure":                  e.opSendTaskFailure,
		"SendTaskHeartbeat":                e.opSendTaskHeartbeat,
	}
}
