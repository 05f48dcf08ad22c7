package stepfunctions

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"strconv"
	"strings"

	"github.com/aws/aws-lambda-go/lambda/messages"
	"github.com/google/uuid"
)

// ServiceError is a Lambda service fault rather than a function error. A
// LambdaFunc returns one to make the task fail the way Step Functions
// reports a Lambda service exception: with exactly Name as the error name
// (for example "Lambda.ServiceException", "Lambda.TooManyRequestsException",
// "Lambda.SdkClientException"), so Retry and Catch rules written for those
// faults can be tested.
type ServiceError struct {
	Name    string
	Message string
}

func (e ServiceError) Error() string {
	if e.Message == "" {
		return e.Name
	}
	return e.Name + ": " + e.Message
}

// FunctionErrorName returns the error name Step Functions reports when a Go
// Lambda handler returns err, as aws-lambda-go v1.55.1 computes it
// (lambda/errors.go): the Type of a messages.InvokeResponse_Error value,
// otherwise the name of err's dynamic type with one pointer stripped (so
// errors.New gives "errorString" and fmt.Errorf with %w gives "wrapError").
// Errors are not unwrapped, exactly as in the runtime.
func FunctionErrorName(err error) string {
	name, _ := functionError(err)
	return name
}

// functionError returns the error name and the cause (the JSON error
// payload the Lambda service returns) for a handler error.
func functionError(err error) (name, cause string) {
	var resp messages.InvokeResponse_Error
	if ive, ok := err.(messages.InvokeResponse_Error); ok {
		resp = messages.InvokeResponse_Error{Message: ive.Message, Type: ive.Type}
	} else {
		t := reflect.TypeOf(err)
		if t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		resp = messages.InvokeResponse_Error{Message: err.Error(), Type: t.Name()}
	}
	return resp.Type, mustJSON(resp)
}

// panicError is what aws-lambda-go reports when a handler panics: the type
// of the panic value and its %v rendering.
func panicError(v any) (name, cause string) {
	t := reflect.TypeOf(v)
	typ := ""
	if t != nil {
		if t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		typ = t.Name()
	}
	resp := messages.InvokeResponse_Error{Message: fmt.Sprintf("%v", v), Type: typ}
	return resp.Type, mustJSON(resp)
}

// serviceFault returns the name and cause Step Functions reports for a
// Lambda service exception.
func serviceFault(se ServiceError, status int) (name, cause string) {
	code := strings.TrimPrefix(se.Name, "Lambda.")
	msg := se.Message
	if msg == "" {
		msg = code
	}
	return se.Name, fmt.Sprintf("%s (Service: AWSLambda; Status Code: %d; Error Code: %s; Request ID: %s; Proxy: null)", msg, status, code, uuid.NewString())
}

// splitFunctionName accepts a function name, a partial ARN
// (123456789012:function:name) or a full ARN, each optionally with a
// qualifier, and returns the plain name and the qualifier.
func splitFunctionName(s string) (name, qualifier string) {
	parts := strings.Split(s, ":")
	switch {
	case strings.HasPrefix(s, "arn:") && len(parts) >= 7:
		name = parts[6]
		if len(parts) >= 8 {
			qualifier = parts[7]
		}
	case len(parts) >= 3 && parts[1] == "function":
		name = parts[2]
		if len(parts) >= 4 {
			qualifier = parts[3]
		}
	case len(parts) == 2:
		name, qualifier = parts[0], parts[1]
	default:
		name = s
	}
	return name, qualifier
}

// invocation is the outcome of calling a function.
type invocation struct {
	payload  []byte
	errName  string
	cause    string
	failed   bool
	version  string
	asyncRun bool // InvocationType Event: accepted, not awaited
}

// functionARN renders the ARN of a function name for messages.
func (e *Engine) functionARN(name string) string {
	return fmt.Sprintf("arn:aws:lambda:%s:%s:function:%s", e.region, e.account, name)
}

// lookupFunction finds the handler of a function name or ARN.
func (e *Engine) lookupFunctionLocked(ref string) (LambdaFunc, string, string) {
	name, qual := splitFunctionName(ref)
	return e.functions[name], name, qual
}

// callHandler runs fn, turning a returned error or a panic into the error
// name and cause the Lambda service would report.
func callHandler(ctx context.Context, fn LambdaFunc, payload []byte) (inv invocation) {
	defer func() {
		if v := recover(); v != nil {
			inv = invocation{failed: true}
			inv.errName, inv.cause = panicError(v)
		}
	}()
	out, err := fn(ctx, payload)
	if err != nil {
		var se ServiceError
		var sep *ServiceError
		switch {
		case errors.As(err, &se):
			n, c := serviceFault(se, statusForFault(se.Name))
			return invocation{failed: true, errName: n, cause: c}
		case errors.As(err, &sep) && sep != nil:
			n, c := serviceFault(*sep, statusForFault(sep.Name))
			return invocation{failed: true, errName: n, cause: c}
		}
		n, c := functionError(err)
		return invocation{failed: true, errName: n, cause: c}
	}
	if len(out) == 0 {
		out = []byte("null")
	}
	return invocation{payload: out}
}

func statusForFault(name string) int {
	switch strings.TrimPrefix(name, "Lambda.") {
	case "TooManyRequestsException":
		return http.StatusTooManyRequests
	case "ResourceNotFoundException":
		return http.StatusNotFound
	case "InvalidParameterValueException", "InvalidRequestContentException", "RequestTooLargeException":
		return http.StatusBadRequest
	default:
		return http.StatusInternalServerError
	}
}

// payloadValue turns a function's response bytes into a JSON value; a
// response that is not JSON is kept as a string.
func payloadValue(b []byte) any {
	v, err := decodeJSONValue(b)
	if err != nil {
		return string(b)
	}
	return v
}

// invokeResult shapes a lambda:invoke result as Step Functions returns it.
func (e *Engine) invokeResult(inv invocation, requestID string) map[string]any {
	date := e.now().Format(http.TimeFormat)
	version := inv.version
	if version == "" {
		version = "$LATEST"
	}
	status := 200
	var payload any = payloadValue(inv.payload)
	if inv.asyncRun {
		status = 202
		payload = ""
	}
	length := strconv.Itoa(len(inv.payload))
	headers := map[string]string{
		"Connection":                     "keep-alive",
		"Content-Length":                 length,
		"Content-Type":                   "application/json",
		"Date":                           date,
		"X-Amz-Executed-Version":         version,
		"x-amzn-Remapped-Content-Length": "0",
		"x-amzn-RequestId":               requestID,
		"X-Amzn-Trace-Id":                "Root=1-" + strings.ReplaceAll(uuid.NewString(), "-", "")[:24],
	}
	all := map[string]any{}
	hs := map[string]any{}
	for k, v := range headers {
		all[k] = []any{v}
		hs[k] = v
	}
	return map[string]any{
		"ExecutedVersion": version,
		"Payload":         payload,
		"SdkHttpMetadata": map[string]any{
			"AllHttpHeaders": all,
			"HttpHeaders":    hs,
			"HttpStatusCode": json.Number(strconv.Itoa(status)),
		},
		"SdkResponseMetadata": map[string]any{"RequestId": requestID},
		"StatusCode":          json.Number(strconv.Itoa(status)),
	}
}
