package stepfunctions

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"testing"

	"github.com/aws/aws-lambda-go/lambda/messages"
	"github.com/aws/aws-lambda-go/lambdacontext"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
)

type notFoundError struct{ id string }

func (e *notFoundError) Error() string { return "not found: " + e.id }

type valueError struct{}

func (valueError) Error() string { return "value error" }

// A Go handler's error becomes the error name aws-lambda-go v1.55.1 reports
// (lambda/errors.go): the dynamic type's name, pointer stripped, without
// unwrapping; an InvokeResponse_Error value names itself.
func TestFunctionErrorNames(t *testing.T) {
	cases := []struct {
		name string
		err  error
		want string
	}{
		{"errors.New", errors.New("boom"), "errorString"},
		{"fmt.Errorf with %w", fmt.Errorf("load: %w", errors.New("boom")), "wrapError"},
		{"fmt.Errorf without %w", fmt.Errorf("boom %d", 1), "errorString"},
		{"pointer to a named type", &notFoundError{id: "r-1"}, "notFoundError"},
		{"value of a named type", valueError{}, "valueError"},
		{"InvokeResponse_Error value", messages.InvokeResponse_Error{Type: "Review.NotFound", Message: "no review"}, "Review.NotFound"},
		{"InvokeResponse_Error pointer (not special-cased by the runtime)", &messages.InvokeResponse_Error{Type: "Review.NotFound"}, "InvokeResponse_Error"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := FunctionErrorName(tc.err); got != tc.want {
				t.Errorf("FunctionErrorName = %q, want %q", got, tc.want)
			}
		})
	}
}

// Through a state machine: the error name drives Catch, the cause is the
// {"errorMessage","errorType"} payload; ServiceError is reported with its
// exact name; a panic is reported like the runtime does; a missing function
// is Lambda.ResourceNotFoundException.
func TestFunctionErrorsInExecutions(t *testing.T) {
	cases := []struct {
		name      string
		handler   LambdaFunc
		register  bool
		wantError string
		wantCause string
	}{
		{"handled error", func(context.Context, []byte) ([]byte, error) { return nil, &notFoundError{id: "r-1"} }, true,
			"notFoundError", `{"errorMessage":"not found: r-1","errorType":"notFoundError"}`},
		{"service fault", func(context.Context, []byte) ([]byte, error) {
			return nil, ServiceError{Name: "Lambda.ServiceException", Message: "internal"}
		}, true, "Lambda.ServiceException", ""},
		{"service fault as a pointer, wrapped", func(context.Context, []byte) ([]byte, error) {
			return nil, fmt.Errorf("invoke: %w", &ServiceError{Name: "Lambda.SdkClientException"})
		}, true, "Lambda.SdkClientException", ""},
		{"panic", func(context.Context, []byte) ([]byte, error) { panic("index out of range") }, true,
			"string", `{"errorMessage":"index out of range","errorType":"string"}`},
		{"missing function", nil, false, "Lambda.ResourceNotFoundException", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			if tc.register {
				h.e.RegisterFunction("candor-task", tc.handler)
			}
			arn := h.create("errs", `{"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
				"Parameters": {"FunctionName": "candor-task", "Payload.$": "$"},
				"Catch": [{"ErrorEquals": ["States.TaskFailed"], "ResultPath": "$.error", "Next": "Caught"}], "End": true},
				"Caught": {"Type": "Pass", "End": true}}}`, nil)
			d := h.describe(h.start(arn, "", `{}`))
			var out struct {
				Error struct{ Error, Cause string } `json:"error"`
			}
			if err := json.Unmarshal([]byte(aws.ToString(d.Output)), &out); err != nil {
				t.Fatalf("output %s: %v", aws.ToString(d.Output), err)
			}
			if out.Error.Error != tc.wantError {
				t.Errorf("error %q, want %q", out.Error.Error, tc.wantError)
			}
			if tc.wantCause != "" && out.Error.Cause != tc.wantCause {
				t.Errorf("cause %q, want %q", out.Error.Cause, tc.wantCause)
			}
			if tc.wantCause == "" && out.Error.Cause == "" {
				t.Error("a service fault must carry a cause")
			}
		})
	}
}

// lambda:invoke returns the result as AWS shapes it; a plain function ARN
// returns the payload itself; FunctionName may be a name, an ARN or carry a
// qualifier, which becomes ExecutedVersion.
func TestInvokeResults(t *testing.T) {
	h := newHarness(t)
	var seen struct {
		payload string
		lc      *lambdacontext.LambdaContext
	}
	h.e.RegisterFunction("arn:aws:lambda:us-east-1:000000000000:function:candor-echo:$LATEST", func(ctx context.Context, p []byte) ([]byte, error) {
		seen.payload = string(p)
		seen.lc, _ = lambdacontext.FromContext(ctx)
		return []byte(`{"echo": true}`), nil
	})
	cases := []struct {
		name        string
		task        string
		wantResult  string
		wantVersion string
		wantPayload string
	}{
		{"lambda:invoke by name", `"Resource": "arn:aws:states:::lambda:invoke", "Parameters": {"FunctionName": "candor-echo", "Payload": {"id.$": "$.id"}}`,
			"", "$LATEST", `{"id":"x-1"}`},
		{"lambda:invoke by ARN with an alias", `"Resource": "arn:aws:states:::lambda:invoke", "Parameters": {"FunctionName": "arn:aws:lambda:us-east-1:000000000000:function:candor-echo:live"}`,
			"", "live", `{}`},
		{"lambda:invoke with Qualifier", `"Resource": "arn:aws:states:::lambda:invoke", "Parameters": {"FunctionName": "candor-echo", "Qualifier": "v7", "Payload.$": "$"}`,
			"", "v7", `{"id":"x-1"}`},
		{"function ARN resource", `"Resource": "arn:aws:lambda:us-east-1:000000000000:function:candor-echo"`,
			`{"echo": true}`, "", `{"id":"x-1"}`},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			arn := h.create(fmt.Sprintf("invoke-%d", i), `{"StartAt": "T", "States": {"T": {"Type": "Task", `+tc.task+`, "End": true}}}`, nil)
			d := h.describe(h.start(arn, "", `{"id": "x-1"}`))
			if d.Status != types.ExecutionStatusSucceeded {
				t.Fatalf("status %s (%s %s)", d.Status, aws.ToString(d.Error), aws.ToString(d.Cause))
			}
			if seen.payload != tc.wantPayload {
				t.Errorf("handler got payload %s, want %s", seen.payload, tc.wantPayload)
			}
			if seen.lc == nil || seen.lc.AwsRequestID == "" || seen.lc.InvokedFunctionArn != "arn:aws:lambda:us-east-1:000000000000:function:candor-echo" {
				t.Errorf("lambda context %+v, want a request id and the function ARN", seen.lc)
			}
			if tc.wantResult != "" {
				if !jsonEqual(t, aws.ToString(d.Output), tc.wantResult) {
					t.Errorf("output %s, want %s", aws.ToString(d.Output), tc.wantResult)
				}
				return
			}
			var res struct {
				ExecutedVersion     string
				Payload             map[string]any
				StatusCode          int
				SdkHttpMetadata     struct{ HttpStatusCode int }
				SdkResponseMetadata struct{ RequestId string }
			}
			if err := json.Unmarshal([]byte(aws.ToString(d.Output)), &res); err != nil {
				t.Fatal(err)
			}
			if res.ExecutedVersion != tc.wantVersion || res.StatusCode != 200 || res.SdkHttpMetadata.HttpStatusCode != 200 ||
				res.Payload["echo"] != true || res.SdkResponseMetadata.RequestId != seen.lc.AwsRequestID {
				t.Errorf("result %s, want ExecutedVersion %s, StatusCode 200, Payload {echo: true} and the request id", aws.ToString(d.Output), tc.wantVersion)
			}
		})
	}
}

// InvocationType Event invokes without waiting: StatusCode 202, empty
// Payload.
func TestInvokeEvent(t *testing.T) {
	h := newHarness(t)
	called := make(chan struct{}, 1)
	h.e.RegisterFunction("candor-async", func(context.Context, []byte) ([]byte, error) {
		called <- struct{}{}
		return nil, errors.New("ignored: asynchronous")
	})
	arn := h.create("event", `{"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
		"Parameters": {"FunctionName": "candor-async", "InvocationType": "Event"}, "ResultSelector": {"status.$": "$.StatusCode", "payload.$": "$.Payload"}, "End": true}}}`, nil)
	d := h.describe(h.start(arn, "", `{}`))
	if !jsonEqual(t, aws.ToString(d.Output), `{"status": 202, "payload": ""}`) {
		t.Errorf("output %s, want status 202 and an empty payload", aws.ToString(d.Output))
	}
	select {
	case <-called:
	default:
		t.Error("the function was not invoked")
	}
}
