package stepfunctions

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/aws/smithy-go"
)

const waitingMachine = `{"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 60, "End": true}}}`

// StartExecution's name rules: the same name and input while running is the
// same execution; anything else with a used name is ExecutionAlreadyExists.
func TestStartExecutionIdempotence(t *testing.T) {
	h := newHarness(t)
	arn := h.create("idem", waitingMachine, nil)
	start := func(name, input string) (string, error) {
		out, err := h.client.StartExecution(h.ctx(), &sfn.StartExecutionInput{StateMachineArn: aws.String(arn), Name: aws.String(name), Input: aws.String(input)})
		if err != nil {
			return "", err
		}
		return aws.ToString(out.ExecutionArn), nil
	}
	first, err := start("rpt-1", `{"a": 1}`)
	if err != nil {
		t.Fatal(err)
	}
	again, err := start("rpt-1", `{"a": 1}`)
	if err != nil || again != first {
		t.Errorf("same name and input while running: %q %v, want %q", again, err, first)
	}
	if _, err := start("rpt-1", `{"a": 2}`); !errorIs[*types.ExecutionAlreadyExists](err) {
		t.Errorf("same name, other input: %v, want ExecutionAlreadyExists", err)
	}
	h.advance(time.Minute)
	if _, err := start("rpt-1", `{"a": 1}`); !errorIs[*types.ExecutionAlreadyExists](err) {
		t.Errorf("same name and input after the end: %v, want ExecutionAlreadyExists", err)
	}
	if n := len(h.listExecutions(arn, "")); n != 1 {
		t.Errorf("%d executions, want 1", n)
	}
}

func (h *harness) listExecutions(arn string, status types.ExecutionStatus) []types.ExecutionListItem {
	h.t.Helper()
	var out []types.ExecutionListItem
	p := sfn.NewListExecutionsPaginator(h.client, &sfn.ListExecutionsInput{StateMachineArn: aws.String(arn), StatusFilter: status, MaxResults: 2})
	for p.HasMorePages() {
		page, err := p.NextPage(h.ctx())
		if err != nil {
			h.t.Fatalf("list executions: %v", err)
		}
		out = append(out, page.Executions...)
	}
	return out
}

// The errors come back as the SDK's typed exceptions.
func TestProtocolErrors(t *testing.T) {
	h := newHarness(t)
	arn := h.create("errs", waitingMachine, nil)
	missingMachine := strings.Replace(arn, ":errs", ":nope", 1)
	missingExec := strings.Replace(arn, ":stateMachine:errs", ":execution:errs:nope", 1)
	cases := []struct {
		name string
		call func(ctx context.Context) error
		want func(error) bool
		code string
	}{
		{"unknown machine", func(ctx context.Context) error {
			_, err := h.client.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: aws.String(missingMachine)})
			return err
		}, errorIs[*types.StateMachineDoesNotExist], "StateMachineDoesNotExist"},
		{"malformed machine ARN", func(ctx context.Context) error {
			_, err := h.client.DescribeStateMachine(ctx, &sfn.DescribeStateMachineInput{StateMachineArn: aws.String("arn:aws:states:us-east-1:000000000000:activity:x")})
			return err
		}, errorIs[*types.InvalidArn], "InvalidArn"},
		{"bad execution name", func(ctx context.Context) error {
			_, err := h.client.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: aws.String(arn), Name: aws.String("has space")})
			return err
		}, errorIs[*types.InvalidName], "InvalidName"},
		{"input that is not JSON", func(ctx context.Context) error {
			_, err := h.client.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: aws.String(arn), Input: aws.String("{nope")})
			return err
		}, errorIs[*types.InvalidExecutionInput], "InvalidExecutionInput"},
		{"unknown execution", func(ctx context.Context) error {
			_, err := h.client.DescribeExecution(ctx, &sfn.DescribeExecutionInput{ExecutionArn: aws.String(missingExec)})
			return err
		}, errorIs[*types.ExecutionDoesNotExist], "ExecutionDoesNotExist"},
		{"history of an unknown execution", func(ctx context.Context) error {
			_, err := h.client.GetExecutionHistory(ctx, &sfn.GetExecutionHistoryInput{ExecutionArn: aws.String(missingExec)})
			return err
		}, errorIs[*types.ExecutionDoesNotExist], "ExecutionDoesNotExist"},
		{"stop an unknown execution", func(ctx context.Context) error {
			_, err := h.client.StopExecution(ctx, &sfn.StopExecutionInput{ExecutionArn: aws.String(missingExec)})
			return err
		}, errorIs[*types.ExecutionDoesNotExist], "ExecutionDoesNotExist"},
		{"invalid definition", func(ctx context.Context) error {
			_, err := h.client.CreateStateMachine(ctx, &sfn.CreateStateMachineInput{Name: aws.String("bad"), RoleArn: aws.String("arn:aws:iam::000000000000:role/r"),
				Definition: aws.String(`{"StartAt": "A", "States": {"A": {"Type": "Pass"}}}`)})
			return err
		}, errorIs[*types.InvalidDefinition], "InvalidDefinition"},
		{"EXPRESS machine", func(ctx context.Context) error {
			_, err := h.client.CreateStateMachine(ctx, &sfn.CreateStateMachineInput{Name: aws.String("express"), RoleArn: aws.String("arn:aws:iam::000000000000:role/r"),
				Definition: aws.String(waitingMachine), Type: types.StateMachineTypeExpress})
			return err
		}, errorIs[*types.ValidationException], "ValidationException"},
		{"bad pagination token", func(ctx context.Context) error {
			_, err := h.client.ListExecutions(ctx, &sfn.ListExecutionsInput{StateMachineArn: aws.String(arn), NextToken: aws.String("garbage")})
			return err
		}, errorIs[*types.InvalidToken], "InvalidToken"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.call(h.ctx())
			if !tc.want(err) {
				t.Fatalf("error %v (%T), want %s", err, err, tc.code)
			}
			var ae smithy.APIError
			if !errorAs(err, &ae) || ae.ErrorCode() != tc.code || ae.ErrorMessage() == "" {
				t.Errorf("API error %v, want code %s with a message", err, tc.code)
			}
		})
	}
}

func errorAs(err error, target any) bool {
	return err != nil && errors.As(err, target)
}

// The invalid-definition message names the state and the field.
func TestInvalidDefinitionMessage(t *testing.T) {
	h := newHarness(t)
	_, err := h.client.CreateStateMachine(h.ctx(), &sfn.CreateStateMachineInput{Name: aws.String("bad"), RoleArn: aws.String("arn:aws:iam::000000000000:role/r"),
		Definition: aws.String(`{"StartAt": "A", "States": {"A": {"Type": "Pass", "Reslut": 1, "End": true}}}`)})
	var id *types.InvalidDefinition
	if !errorAs(err, &id) || !strings.Contains(aws.ToString(id.Message), `state "A", field "Reslut"`) {
		t.Errorf("error %v, want InvalidDefinition naming state A and field Reslut", err)
	}
}

// State machines created over HTTP can be described and listed, and
// executions can be listed, filtered, paged, described and stopped.
func TestStateMachineAndExecutionOperations(t *testing.T) {
	h := newHarness(t)
	ctx := h.ctx()
	created, err := h.client.CreateStateMachine(ctx, &sfn.CreateStateMachineInput{Name: aws.String("ops"), RoleArn: aws.String("arn:aws:iam::000000000000:role/r"), Definition: aws.String(waitingMachine)})
	if err != nil {
		t.Fatal(err)
	}
	arn := aws.ToString(created.StateMachineArn)
	if want := "arn:aws:states:us-east-1:000000000000:stateMachine:ops"; arn != want {
		t.Errorf("ARN %s, want %s", arn, want)
	}
	desc, err := h.client.DescribeStateMachine(ctx, &sfn.DescribeStateMachineInput{StateMachineArn: aws.String(arn)})
	if err != nil || aws.ToString(desc.Definition) != waitingMachine || desc.Status != types.StateMachineStatusActive || desc.Type != types.StateMachineTypeStandard {
		t.Errorf("describe state machine: %+v %v", desc, err)
	}
	list, err := h.client.ListStateMachines(ctx, &sfn.ListStateMachinesInput{})
	if err != nil || len(list.StateMachines) != 1 || aws.ToString(list.StateMachines[0].Name) != "ops" {
		t.Errorf("list state machines: %+v %v", list, err)
	}

	var names []string
	for i := range 5 {
		names = append(names, fmt.Sprintf("x%d", i))
		h.start(arn, names[i], `{}`)
		h.advance(10 * time.Second)
	}
	// Started at +0, +10 … +40 s, each waiting 60 s; stop x4 at +50 s.
	if _, err := h.client.StopExecution(ctx, &sfn.StopExecutionInput{ExecutionArn: aws.String(strings.Replace(arn, "stateMachine:ops", "execution:ops:x4", 1))}); err != nil {
		t.Fatal(err)
	}
	h.advance(10 * time.Second)
	all := h.listExecutions(arn, "")
	var got []string
	for _, x := range all {
		got = append(got, aws.ToString(x.Name)+":"+string(x.Status))
	}
	want := []string{"x4:ABORTED", "x3:RUNNING", "x2:RUNNING", "x1:RUNNING", "x0:SUCCEEDED"}
	if !slices.Equal(got, want) {
		t.Errorf("executions (newest first, 2 per page) %v, want %v", got, want)
	}
	if running := h.listExecutions(arn, types.ExecutionStatusRunning); len(running) != 3 {
		t.Errorf("%d running executions, want 3", len(running))
	}
	fe, err := h.client.DescribeStateMachineForExecution(ctx, &sfn.DescribeStateMachineForExecutionInput{ExecutionArn: all[0].ExecutionArn})
	if err != nil || aws.ToString(fe.StateMachineArn) != arn {
		t.Errorf("describe state machine for execution: %+v %v", fe, err)
	}
	// Stopping a closed execution changes nothing.
	stop, err := h.client.StopExecution(ctx, &sfn.StopExecutionInput{ExecutionArn: all[4].ExecutionArn})
	if err != nil || !aws.ToTime(stop.StopDate).Equal(epoch.Add(60*time.Second)) {
		t.Errorf("stop a finished execution: %+v %v, want its stop date +60s", stop, err)
	}
	if d := h.describe(aws.ToString(all[4].ExecutionArn)); d.Status != types.ExecutionStatusSucceeded {
		t.Errorf("finished execution became %s after StopExecution", d.Status)
	}
}

// GetExecutionHistory pages, reverses, and leaves data out on request.
func TestGetExecutionHistoryOptions(t *testing.T) {
	h := newHarness(t)
	arn := h.create("hist", `{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"}, "B": {"Type": "Pass", "Next": "C"}, "C": {"Type": "Pass", "End": true}}}`, nil)
	x := h.start(arn, "", `{"secret": "reviewer@example.com"}`)
	all := h.history(x)
	if len(all) != 8 {
		t.Fatalf("%d events, want 8", len(all))
	}
	rev, err := h.client.GetExecutionHistory(h.ctx(), &sfn.GetExecutionHistoryInput{ExecutionArn: aws.String(x), ReverseOrder: true, MaxResults: 3})
	if err != nil {
		t.Fatal(err)
	}
	if ids := []int64{rev.Events[0].Id, rev.Events[1].Id, rev.Events[2].Id}; !slices.Equal(ids, []int64{8, 7, 6}) || rev.NextToken == nil {
		t.Errorf("reverse page ids %v next %v, want [8 7 6] and a next token", ids, rev.NextToken)
	}
	next, err := h.client.GetExecutionHistory(h.ctx(), &sfn.GetExecutionHistoryInput{ExecutionArn: aws.String(x), ReverseOrder: true, MaxResults: 3, NextToken: rev.NextToken})
	if err != nil || next.Events[0].Id != 5 {
		t.Errorf("second reverse page: %v, want it to start at 5", err)
	}
	bare, err := h.client.GetExecutionHistory(h.ctx(), &sfn.GetExecutionHistoryInput{ExecutionArn: aws.String(x), IncludeExecutionData: aws.Bool(false)})
	if err != nil {
		t.Fatal(err)
	}
	for _, ev := range bare.Events {
		b, _ := json.Marshal(ev)
		if strings.Contains(string(b), "reviewer@example.com") {
			t.Errorf("event %d carries execution data although includeExecutionData is false: %s", ev.Id, b)
		}
	}
	if bare.Events[1].StateEnteredEventDetails == nil || aws.ToString(bare.Events[1].StateEnteredEventDetails.Name) != "A" {
		t.Errorf("without data the state name must remain: %+v", bare.Events[1].StateEnteredEventDetails)
	}
}

// The wire shape of errors and unknown operations, as raw HTTP.
func TestRawProtocol(t *testing.T) {
	h := newHarness(t)
	post := func(target, body string) (int, map[string]any) {
		req, _ := http.NewRequest(http.MethodPost, h.url, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/x-amz-json-1.0")
		if target != "" {
			req.Header.Set("X-Amz-Target", target)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		var m map[string]any
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatalf("body %s: %v", b, err)
		}
		if ct := resp.Header.Get("Content-Type"); ct != "application/x-amz-json-1.0" {
			t.Errorf("content type %q", ct)
		}
		return resp.StatusCode, m
	}
	cases := []struct {
		target, body string
		status       int
		code         string
	}{
		{"AWSStepFunctions.StartExecution", `{}`, 400, "ValidationException"},
		{"AWSStepFunctions.SendTaskSuccess", `{"taskToken": "x"}`, 400, "ValidationException"},
		{"AWSStepFunctions.DeleteActivity", `{}`, 400, "UnknownOperationException"},
		{"", `{}`, 400, "UnknownOperationException"},
		{"AWSStepFunctions.ListExecutions", `{"stateMachineArn": 7}`, 400, "SerializationException"},
	}
	for _, tc := range cases {
		status, body := post(tc.target, tc.body)
		if status != tc.status || body["__type"] != "com.amazonaws.swf.service.v2.model#"+tc.code || body["message"] == "" {
			t.Errorf("%s %s: %d %v, want %d %s", tc.target, tc.body, status, body, tc.status, tc.code)
		}
	}
	status, body := post("AWSStepFunctions.ListStateMachines", ``)
	if status != 200 || body["stateMachines"] == nil {
		t.Errorf("empty body list: %d %v", status, body)
	}
	req := httptestRequest(h.url)
	if !IsStepFunctionsRequest(req) {
		t.Error("IsStepFunctionsRequest is false for a Step Functions call")
	}
	req.Header.Set("X-Amz-Target", "DynamoDB_20120810.Scan")
	if IsStepFunctionsRequest(req) {
		t.Error("IsStepFunctionsRequest is true for a DynamoDB call")
	}
}

func httptestRequest(url string) *http.Request {
	req, _ := http.NewRequest(http.MethodPost, url, nil)
	req.Header.Set("X-Amz-Target", "AWSStepFunctions.ListStateMachines")
	return req
}

// The AWS CLI works against the engine unchanged.
func TestAWSCLI(t *testing.T) {
	t.Parallel() // each runs its own engine; the CLI's start-up dominates the package's time
	cli, err := exec.LookPath("aws")
	if err != nil {
		t.Skip("the AWS CLI is not installed (apt-get install awscli); skipping the CLI check")
	}
	h := newHarness(t)
	arn := h.create("cli", `{"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": {"done": true}, "End": true}}}`, nil)
	run := func(args ...string) (map[string]any, string) {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		cmd := exec.CommandContext(ctx, cli, append([]string{"--endpoint-url", h.url, "--region", "us-east-1", "--output", "json", "stepfunctions"}, args...)...)
		cmd.Env = append(os.Environ(), "AWS_ACCESS_KEY_ID=AKIDLOCAL", "AWS_SECRET_ACCESS_KEY=local", "AWS_MAX_ATTEMPTS=1", "AWS_EC2_METADATA_DISABLED=true", "AWS_PAGER=")
		out, err := cmd.CombinedOutput()
		var m map[string]any
		if err == nil {
			if jerr := json.Unmarshal(out, &m); jerr != nil {
				t.Fatalf("aws %v: %s: %v", args, out, jerr)
			}
		}
		return m, string(out)
	}
	if m, out := run("list-state-machines"); m == nil || !strings.Contains(out, arn) {
		t.Fatalf("list-state-machines: %s", out)
	}
	m, out := run("start-execution", "--state-machine-arn", arn, "--name", "from-cli", "--input", `{"via": "cli"}`)
	if m == nil {
		t.Fatalf("start-execution: %s", out)
	}
	h.settle()
	if m, out := run("describe-execution", "--execution-arn", m["executionArn"].(string)); m == nil || m["status"] != "SUCCEEDED" || m["output"] != `{"done":true}` {
		t.Errorf("describe-execution: %s", out)
	}
	if _, out := run("describe-execution", "--execution-arn", strings.Replace(arn, "stateMachine:cli", "execution:cli:none", 1)); !strings.Contains(out, "ExecutionDoesNotExist") {
		t.Errorf("describe-execution of an unknown execution: %s, want ExecutionDoesNotExist", out)
	}
}
