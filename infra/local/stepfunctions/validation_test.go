package stepfunctions

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

// Every refused definition names the state and the field.
func TestValidationNamesStateAndField(t *testing.T) {
	pass := `"Done": {"Type": "Succeed"}`
	task := func(extra string) string {
		return fmt.Sprintf(`{"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:F", %s "Next": "Done"}, %s}}`, extra, pass)
	}
	cases := []struct {
		name      string
		def       string
		subs      map[string]string
		wantState string
		wantField string
		wantMsg   string
	}{
		{"unknown state field", `{"StartAt": "A", "States": {"A": {"Type": "Pass", "Foo": 1, "End": true}}}`, nil, "A", "Foo", "unknown field"},
		{"unknown machine field", `{"StartAt": "A", "Foo": 1, "States": {"A": {"Type": "Pass", "End": true}}}`, nil, "", "Foo", "unknown field"},
		{"unsupported state type", `{"StartAt": "A", "States": {"A": {"Type": "Activity", "End": true}}}`, nil, "A", "Type", "unsupported state type"},
		{"JSONata", `{"QueryLanguage": "JSONata", "StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}}`, nil, "", "QueryLanguage", "JSONata"},
		{"variables", `{"StartAt": "A", "States": {"A": {"Type": "Pass", "Assign": {"x": 1}, "End": true}}}`, nil, "A", "Assign", "not supported"},
		{"Retry on a Pass state", `{"StartAt": "A", "States": {"A": {"Type": "Pass", "Retry": [], "End": true}}}`, nil, "A", "Retry", "unknown field for a Pass state"},
		{"missing Next", `{"StartAt": "A", "States": {"A": {"Type": "Pass"}}}`, nil, "A", "Next", "missing Next"},
		{"Next and End", `{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "A", "End": true}}}`, nil, "A", "Next", "both Next and End"},
		{"End false", `{"StartAt": "A", "States": {"A": {"Type": "Pass", "End": false}}}`, nil, "A", "End", "must be true"},
		{"Next to nowhere", `{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"}}}`, nil, "A", "Next", `target "B"`},
		{"unreachable state", `{"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}, "Orphan": {"Type": "Pass", "End": true}}}`, nil, "Orphan", "", "unreachable"},
		{"StartAt to nowhere", `{"StartAt": "Z", "States": {"A": {"Type": "Pass", "End": true}}}`, nil, "", "StartAt", `"Z"`},
		{"empty StartAt (found by fuzzing)", `{"StartAt": "", "States": {"0": {"Type": "Succeed"}}}`, nil, "", "StartAt", `names no state of this scope: ""`},
		{"empty StartAt of a branch (found by fuzzing)", `{"StartAt": "P", "States": {"P": {"Type": "Parallel", "End": true, "Branches": [{"StartAt": "", "States": {"B": {"Type": "Succeed"}}}]}}}`, nil, "", "StartAt", `names no state of this scope: ""`},
		{"bad InputPath", `{"StartAt": "A", "States": {"A": {"Type": "Pass", "InputPath": "$.a[", "End": true}}}`, nil, "A", "InputPath", "invalid path"},
		{"ResultPath that is not a reference path", `{"StartAt": "A", "States": {"A": {"Type": "Pass", "ResultPath": "$.a[*]", "End": true}}}`, nil, "A", "ResultPath", "invalid path"},
		{"bad Parameters path", `{"StartAt": "A", "States": {"A": {"Type": "Pass", "Parameters": {"x.$": "no-dollar"}, "End": true}}}`, nil, "A", "Parameters", "invalid payload template"},
		{"unknown intrinsic", `{"StartAt": "A", "States": {"A": {"Type": "Pass", "Parameters": {"x.$": "States.Nope($.a)"}, "End": true}}}`, nil, "A", "Parameters", "invalid payload template"},
		{"missing substitution in a string", `{"StartAt": "A", "States": {"A": {"Type": "Pass", "Parameters": {"fn": "${Fn}", "w": "${Win}"}, "End": true}}}`, map[string]string{"Win": "5"}, "A", "Parameters", "missing substitution ${Fn}"},
		{"missing substitution outside a string", `{"StartAt": "A", "States": {"A": {"Type": "Wait", "Seconds": ${Window}, "End": true}}}`, nil, "", "", "missing substitution ${Window} (line 1)"},
		{"SQS resource", `{"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage", "End": true}}}`, nil, "T", "Resource", "unsupported resource"},
		{"sync resource", `{"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::states:startExecution.sync", "End": true}}}`, nil, "T", "Resource", ".sync"},
		{"activity", `{"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:us-east-1:123456789012:activity:A", "End": true}}}`, nil, "T", "Resource", "activities"},
		{"HeartbeatSeconds not below TimeoutSeconds", `{"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",
			"Parameters": {"FunctionName": "F", "Payload": {"t.$": "$$.Task.Token"}}, "TimeoutSeconds": 60, "HeartbeatSeconds": 60, "End": true}}}`, nil, "T", "HeartbeatSeconds", "smaller than TimeoutSeconds"},
		{"heartbeat on a request-response task", task(`"HeartbeatSeconds": 60,`), nil, "T", "HeartbeatSeconds", "only to .waitForTaskToken"},
		{"callback without the token", `{"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",
			"Parameters": {"FunctionName": "F", "Payload": {}}, "End": true}}}`, nil, "T", "Parameters", "$$.Task.Token"},
		{"lambda:invoke without FunctionName", `{"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Parameters": {"Payload": {}}, "End": true}}}`, nil, "T", "Parameters", "needs FunctionName"},
		{"lambda:invoke with ClientContext", `{"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Parameters": {"FunctionName": "F", "ClientContext": "x"}, "End": true}}}`, nil, "T", "Parameters", "ClientContext"},
		{"TimeoutSeconds not an integer", task(`"TimeoutSeconds": 1.5,`), nil, "T", "TimeoutSeconds", "integer"},
		{"Credentials", task(`"Credentials": {"RoleArn": "arn:aws:iam::1:role/x"},`), nil, "T", "Credentials", "not supported"},
		{"States.ALL not last", task(`"Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Done"}, {"ErrorEquals": ["X"], "Next": "Done"}],`), nil, "T", "Catch", "must be the last"},
		{"States.ALL not alone", task(`"Retry": [{"ErrorEquals": ["States.ALL", "X"]}],`), nil, "T", "Retry", "alone"},
		{"Catch to nowhere", task(`"Catch": [{"ErrorEquals": ["X"], "Next": "Nowhere"}],`), nil, "T", "Catch[0].Next", `"Nowhere"`},
		{"unknown retrier field", task(`"Retry": [{"ErrorEquals": ["X"], "Interval": 3}],`), nil, "T", "Retry", `"Interval"`},
		{"BackoffRate below 1", task(`"Retry": [{"ErrorEquals": ["X"], "BackoffRate": 0.5}],`), nil, "T", "Retry", "BackoffRate"},
		{"bad JitterStrategy", task(`"Retry": [{"ErrorEquals": ["X"], "JitterStrategy": "SOME"}],`), nil, "T", "Retry", "JitterStrategy"},
		{"Wait with two durations", `{"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 5, "Timestamp": "2025-01-01T00:00:00Z", "End": true}}}`, nil, "W", "Seconds", "exactly one"},
		{"Wait with a bad timestamp", `{"StartAt": "W", "States": {"W": {"Type": "Wait", "Timestamp": "2025-01-01 00:00:00", "End": true}}}`, nil, "W", "Timestamp", "RFC 3339"},
		{"Choice rule without Next", `{"StartAt": "C", "States": {"C": {"Type": "Choice", "Choices": [{"Variable": "$.a", "IsPresent": true}], "Default": "D"}, "D": {"Type": "Succeed"}}}`, nil, "C", "Choices", "invalid choice rule"},
		{"Choice with Next", `{"StartAt": "C", "States": {"C": {"Type": "Choice", "Next": "D", "Choices": [{"Variable": "$.a", "IsPresent": true, "Next": "D"}]}, "D": {"Type": "Succeed"}}}`, nil, "C", "Next", "unknown field"},
		{"branch leaves its scope", `{"StartAt": "P", "States": {"P": {"Type": "Parallel", "End": true, "Branches": [
			{"StartAt": "B", "States": {"B": {"Type": "Pass", "Next": "Outside"}}}]}, "Outside": {"Type": "Succeed"}}}`, nil, "B", "Next", "not a state of this scope"},
		{"duplicate state name across scopes", `{"StartAt": "P", "States": {"P": {"Type": "Parallel", "End": true, "Branches": [
			{"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}]}}}`, nil, "P", "", "duplicate state name"},
		{"duplicate JSON key", `{"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}, "A": {"Type": "Pass", "End": true}}}`, nil, "", "", `duplicate key "A"`},
		{"distributed Map", `{"StartAt": "M", "States": {"M": {"Type": "Map", "End": true, "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
			"StartAt": "I", "States": {"I": {"Type": "Pass", "End": true}}}}}}`, nil, "M", "ItemProcessor", "distributed Map"},
		{"ItemReader", `{"StartAt": "M", "States": {"M": {"Type": "Map", "End": true, "ItemReader": {}, "ItemProcessor": {"StartAt": "I", "States": {"I": {"Type": "Pass", "End": true}}}}}}`, nil, "M", "ItemReader", "not supported"},
		{"Map without a processor", `{"StartAt": "M", "States": {"M": {"Type": "Map", "End": true}}}`, nil, "M", "ItemProcessor", "needs ItemProcessor"},
		{"error inside a Map processor", `{"StartAt": "M", "States": {"M": {"Type": "Map", "End": true, "Iterator": {"StartAt": "I", "States": {"I": {"Type": "Pass", "Bogus": true, "End": true}}}}}}`, nil, "I", "Bogus", "unknown field"},
		{"ItemSelector and Parameters", `{"StartAt": "M", "States": {"M": {"Type": "Map", "End": true, "ItemSelector": {}, "Parameters": {}, "Iterator": {"StartAt": "I", "States": {"I": {"Type": "Pass", "End": true}}}}}}`, nil, "M", "Parameters", "mutually exclusive"},
		{"Fail with Error and ErrorPath", `{"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "E", "ErrorPath": "$.e"}}}`, nil, "F", "ErrorPath", "mutually exclusive"},
		{"EXPRESS-only field Version wrong", `{"Version": "2.0", "StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}}`, nil, "", "Version", `"1.0"`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := New(Config{})
			defer e.Close()
			_, err := e.CreateStateMachine(context.Background(), "m", []byte(tc.def), tc.subs)
			var de *DefinitionError
			if !errors.As(err, &de) {
				t.Fatalf("error %v, want a *DefinitionError", err)
			}
			for _, p := range de.Problems {
				if p.State == tc.wantState && p.Field == tc.wantField && strings.Contains(p.Message, tc.wantMsg) {
					return
				}
			}
			t.Errorf("problems %q, want one for state %q field %q saying %q", de.Problems, tc.wantState, tc.wantField, tc.wantMsg)
		})
	}
}

// Every problem is reported, not just the first.
func TestValidationReportsEveryProblem(t *testing.T) {
	e := New(Config{})
	defer e.Close()
	_, err := e.CreateStateMachine(context.Background(), "m", []byte(`{"StartAt": "A", "States": {
		"A": {"Type": "Pass", "Foo": 1, "Next": "B"},
		"B": {"Type": "Wait", "End": true},
		"C": {"Type": "Succeed"}}}`), nil)
	var de *DefinitionError
	if !errors.As(err, &de) {
		t.Fatalf("error %v, want a *DefinitionError", err)
	}
	if len(de.Problems) != 3 {
		t.Errorf("%d problems %q, want 3 (unknown field, Wait without duration, unreachable C)", len(de.Problems), de.Problems)
	}
	if msg := err.Error(); !strings.Contains(msg, `state "A", field "Foo"`) || !strings.Contains(msg, `state "C"`) {
		t.Errorf("message %q does not name the states and fields", msg)
	}
}

// Substitutions are applied as SAM does: verbatim, inside strings or not.
func TestDefinitionSubstitutions(t *testing.T) {
	h := newHarness(t)
	arn := h.create("subs", `{"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": ${Window}, "Next": "P"},
		"P": {"Type": "Pass", "Result": {"table": "${TableName}", "both": "${TableName}-${Window}"}, "End": true}}}`,
		map[string]string{"Window": "30", "TableName": "candor-local", "Unused": "x"})
	x := h.start(arn, "", `{}`)
	h.advance(30 * time.Second)
	if got := h.describe(x).Output; !jsonEqual(t, *got, `{"table": "candor-local", "both": "candor-local-30"}`) {
		t.Errorf("output %s", *got)
	}
}

// The same definition under the same name is idempotent; another one is
// refused.
func TestCreateStateMachineIdempotence(t *testing.T) {
	e := New(Config{})
	defer e.Close()
	ctx := context.Background()
	def := []byte(`{"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}}`)
	a1, err := e.CreateStateMachine(ctx, "same", def, nil)
	if err != nil {
		t.Fatal(err)
	}
	a2, err := e.CreateStateMachine(ctx, "same", def, nil)
	if err != nil || a2 != a1 {
		t.Errorf("second create: %q %v, want %q", a2, err, a1)
	}
	_, err = e.CreateStateMachine(ctx, "same", []byte(`{"StartAt": "B", "States": {"B": {"Type": "Pass", "End": true}}}`), nil)
	var ae *APIError
	if !errors.As(err, &ae) || ae.Code != "StateMachineAlreadyExists" {
		t.Errorf("create with another definition: %v, want StateMachineAlreadyExists", err)
	}
	if _, err := e.CreateStateMachine(ctx, "bad name", def, nil); !errors.As(err, &ae) || ae.Code != "InvalidName" {
		t.Errorf("create with a space in the name: %v, want InvalidName", err)
	}
}
