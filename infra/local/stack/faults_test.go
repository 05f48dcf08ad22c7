package stack_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/ses"
	sestypes "github.com/aws/aws-sdk-go-v2/service/ses/types"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	sfntypes "github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/aws/smithy-go"

	"github.com/candorhq/candor/infra/local/edge"
	"github.com/candorhq/candor/infra/local/stack"
)

// faultClients are real SDK clients pointed at a stack's AWS endpoint.
type faultClients struct {
	db   *dynamodb.Client
	sfn  *sfn.Client
	ses  *ses.Client
	s    *stack.Stack
	arn  string // a one-state machine
	tbl  string // a table keyed by pk
	mail []byte // a raw message SES accepts
}

// newFaultClients builds the clients with retryer (nil: the SDK's standard
// one, without back-off so that retries do not wait).
func newFaultClients(t *testing.T, s *stack.Stack, retryer func() aws.Retryer) *faultClients {
	t.Helper()
	if retryer == nil {
		retryer = func() aws.Retryer {
			return retry.NewStandard(func(o *retry.StandardOptions) {
				o.Backoff = retry.BackoffDelayerFunc(func(int, error) (time.Duration, error) { return 0, nil })
			})
		}
	}
	endpoint := aws.String(s.AWSURL)
	c := &faultClients{
		s:    s,
		db:   dynamodb.New(dynamodb.Options{Region: "us-east-1", BaseEndpoint: endpoint, Credentials: stack.AWSCredentials, Retryer: retryer()}),
		sfn:  sfn.New(sfn.Options{Region: "us-east-1", BaseEndpoint: endpoint, Credentials: stack.AWSCredentials, Retryer: retryer()}),
		ses:  ses.New(ses.Options{Region: "us-east-1", BaseEndpoint: endpoint, Credentials: stack.AWSCredentials, Retryer: retryer()}),
		tbl:  s.Table + "-faults", // unique on a shared DynamoDB (CANDOR_DYNAMODB)
		mail: []byte("From: Candor <no-reply@candor.example>\r\nTo: someone@example.com\r\nSubject: hello\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nhello\r\n"),
	}
	ctx := context.Background()
	if _, err := c.db.CreateTable(ctx, &dynamodb.CreateTableInput{
		TableName:            aws.String(c.tbl),
		BillingMode:          ddbtypes.BillingModePayPerRequest,
		AttributeDefinitions: []ddbtypes.AttributeDefinition{{AttributeName: aws.String("pk"), AttributeType: ddbtypes.ScalarAttributeTypeS}},
		KeySchema:            []ddbtypes.KeySchemaElement{{AttributeName: aws.String("pk"), KeyType: ddbtypes.KeyTypeHash}},
	}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		c.db.DeleteTable(context.Background(), &dynamodb.DeleteTableInput{TableName: aws.String(c.tbl)})
	})
	out, err := c.sfn.CreateStateMachine(ctx, &sfn.CreateStateMachineInput{Name: aws.String("pass"),
		Definition: aws.String(`{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}`), RoleArn: aws.String("arn:aws:iam::000000000000:role/local")})
	if err != nil {
		t.Fatal(err)
	}
	c.arn = aws.ToString(out.StateMachineArn)
	return c
}

func (c *faultClients) key() map[string]ddbtypes.AttributeValue {
	return map[string]ddbtypes.AttributeValue{"pk": &ddbtypes.AttributeValueMemberS{Value: "counter"}}
}

// bump adds 1 to the counter item, as a write that is not idempotent.
func (c *faultClients) bump(ctx context.Context) error {
	_, err := c.db.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: aws.String(c.tbl), Key: c.key(),
		UpdateExpression: aws.String("ADD n :one"), ExpressionAttributeValues: map[string]ddbtypes.AttributeValue{":one": &ddbtypes.AttributeValueMemberN{Value: "1"}}})
	return err
}

func (c *faultClients) counter(t *testing.T) string {
	t.Helper()
	out, err := c.db.GetItem(context.Background(), &dynamodb.GetItemInput{TableName: aws.String(c.tbl), Key: c.key(), ConsistentRead: aws.Bool(true)})
	if err != nil {
		t.Fatal(err)
	}
	if n, ok := out.Item["n"].(*ddbtypes.AttributeValueMemberN); ok {
		return n.Value
	}
	return "0"
}

func (c *faultClients) calls(key string) int { return c.s.Edge.Calls()[key] }

func addFault(t *testing.T, s *stack.Stack, r edge.FaultRule) edge.Fault {
	t.Helper()
	f, err := s.Faults.Add(r)
	if err != nil {
		t.Fatalf("add fault %v: %v", r, err)
	}
	return f
}

// TestInjectedFaultsAreAWSErrorsToTheSDK makes one attempt of each call
// against a fault and checks that the real SDK client sees what it would see
// from AWS: the error code, the modelled error type where the API has one,
// the HTTP status, and the retry classification of the SDK's standard
// retryer (throttling and 5xx retryable, the rest not).
func TestInjectedFaultsAreAWSErrorsToTheSDK(t *testing.T) {
	s := startStack(t, false)
	c := newFaultClients(t, s, func() aws.Retryer { return aws.NopRetryer{} })
	ctx := context.Background()
	put := func(ctx context.Context) error {
		_, err := c.db.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(c.tbl), Item: c.key()})
		return err
	}
	transact := func(ctx context.Context) error {
		_, err := c.db.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: []ddbtypes.TransactWriteItem{
			{Put: &ddbtypes.Put{TableName: aws.String(c.tbl), Item: c.key()}}}})
		return err
	}
	get := func(ctx context.Context) error {
		_, err := c.db.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(c.tbl), Key: c.key()})
		return err
	}
	start := func(ctx context.Context) error {
		_, err := c.sfn.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: aws.String(c.arn)})
		return err
	}
	taskSuccess := func(ctx context.Context) error {
		_, err := c.sfn.SendTaskSuccess(ctx, &sfn.SendTaskSuccessInput{TaskToken: aws.String("token"), Output: aws.String("{}")})
		return err
	}
	raw := func(ctx context.Context) error {
		_, err := c.ses.SendRawEmail(ctx, &ses.SendRawEmailInput{RawMessage: &sestypes.RawMessage{Data: c.mail}})
		return err
	}
	tests := []struct {
		rule      edge.FaultRule
		call      func(context.Context) error
		status    int // 0: a network failure, no answer
		retryable bool
		throttle  bool
		typed     func(error) bool // the modelled error type, where the API has one
	}{
		{rule: edge.FaultRule{Service: "dynamodb", Operation: "TransactWriteItems", Error: "ProvisionedThroughputExceededException"}, call: transact,
			status: 400, retryable: true, throttle: true, typed: isType[*ddbtypes.ProvisionedThroughputExceededException]},
		{rule: edge.FaultRule{Service: "dynamodb", Operation: "PutItem", Error: "ThrottlingException"}, call: put, status: 400, retryable: true, throttle: true},
		{rule: edge.FaultRule{Service: "dynamodb", Operation: "PutItem", Error: "RequestLimitExceeded"}, call: put, status: 400, retryable: true, throttle: true,
			typed: isType[*ddbtypes.RequestLimitExceeded]},
		{rule: edge.FaultRule{Service: "dynamodb", Operation: "GetItem", Error: "InternalServerError"}, call: get, status: 500, retryable: true,
			typed: isType[*ddbtypes.InternalServerError]},
		{rule: edge.FaultRule{Service: "dynamodb", Operation: "*", Error: "ServiceUnavailable"}, call: get, status: 503, retryable: true},
		{rule: edge.FaultRule{Service: "dynamodb", Operation: "TransactWriteItems", Error: "ValidationException"}, call: transact, status: 400},
		{rule: edge.FaultRule{Service: "dynamodb", Operation: "PutItem", Error: "ResourceNotFoundException"}, call: put, status: 400,
			typed: isType[*ddbtypes.ResourceNotFoundException]},
		{rule: edge.FaultRule{Service: "dynamodb", Operation: "PutItem", Error: "reset"}, call: put, retryable: true},
		{rule: edge.FaultRule{Service: "dynamodb", Operation: "PutItem", Error: "timeout"}, call: put, retryable: true},
		{rule: edge.FaultRule{Service: "states", Operation: "StartExecution", Error: "ThrottlingException"}, call: start, status: 400, retryable: true, throttle: true},
		{rule: edge.FaultRule{Service: "states", Operation: "SendTaskSuccess", Error: "ServiceUnavailable"}, call: taskSuccess, status: 503, retryable: true},
		{rule: edge.FaultRule{Service: "states", Operation: "StartExecution", Error: "InternalFailure"}, call: start, status: 500, retryable: true},
		{rule: edge.FaultRule{Service: "states", Operation: "StartExecution", Error: "ExecutionLimitExceeded"}, call: start, status: 400,
			typed: isType[*sfntypes.ExecutionLimitExceeded]},
		{rule: edge.FaultRule{Service: "states", Operation: "SendTaskSuccess", Error: "TaskTimedOut"}, call: taskSuccess, status: 400,
			typed: isType[*sfntypes.TaskTimedOut]},
		{rule: edge.FaultRule{Service: "states", Operation: "StartExecution", Error: "reset"}, call: start, retryable: true},
		{rule: edge.FaultRule{Service: "ses", Operation: "SendRawEmail", Error: "Throttling"}, call: raw, status: 400, retryable: true, throttle: true},
		{rule: edge.FaultRule{Service: "ses", Operation: "SendRawEmail", Error: "ServiceUnavailable"}, call: raw, status: 503, retryable: true},
		{rule: edge.FaultRule{Service: "ses", Operation: "*", Error: "InternalFailure"}, call: raw, status: 500, retryable: true},
		{rule: edge.FaultRule{Service: "ses", Operation: "SendRawEmail", Error: "MessageRejected"}, call: raw, status: 400,
			typed: isType[*sestypes.MessageRejected]},
		{rule: edge.FaultRule{Service: "ses", Operation: "SendRawEmail", Error: "AccountSendingPausedException"}, call: raw, status: 400,
			typed: isType[*sestypes.AccountSendingPausedException]},
		{rule: edge.FaultRule{Service: "ses", Operation: "SendRawEmail", Error: "timeout"}, call: raw, retryable: true},
	}
	standard := retry.NewStandard()
	throttles := retry.IsErrorThrottles(retry.DefaultThrottles)
	for _, tt := range tests {
		t.Run(tt.rule.Service+"/"+tt.rule.Operation+"/"+tt.rule.Error, func(t *testing.T) {
			tt.rule.Count = 1
			addFault(t, s, tt.rule)
			defer s.Faults.Clear()
			err := tt.call(ctx)
			if err == nil {
				t.Fatalf("the call succeeded")
			}
			var apiErr smithy.APIError
			hasAPIErr := errors.As(err, &apiErr)
			var respErr *awshttp.ResponseError
			switch {
			case tt.status == 0 && hasAPIErr:
				t.Errorf("network fault: got an API error %v", err)
			case tt.status == 0:
				if !strings.Contains(err.Error(), "connection reset") {
					t.Errorf("network fault: error = %v, want a connection reset", err)
				}
			case !hasAPIErr || apiErr.ErrorCode() != tt.rule.Error:
				t.Errorf("error = %v, want API error code %s", err, tt.rule.Error)
			case !errors.As(err, &respErr) || respErr.HTTPStatusCode() != tt.status:
				t.Errorf("error = %v, want HTTP status %d", err, tt.status)
			}
			if tt.typed != nil && !tt.typed(err) {
				t.Errorf("error %T (%v) is not the API's modelled type", errors.Unwrap(err), err)
			}
			if got := standard.IsErrorRetryable(err); got != tt.retryable {
				t.Errorf("standard retryer: retryable = %v, want %v (%v)", got, tt.retryable, err)
			}
			if got := throttles.IsErrorThrottle(err) == aws.TrueTernary; got != tt.throttle {
				t.Errorf("throttle = %v, want %v", got, tt.throttle)
			}
		})
	}
	if got := s.Faults.Injected(); got != len(tests) {
		t.Errorf("Injected() = %d, want one per case (%d)", got, len(tests))
	}
}

func isType[T error](err error) bool {
	_, ok := errors.AsType[T](err)
	return ok
}

// TestSDKRetriesInjectedFaults runs the SDK's standard retryer (three
// attempts) against faults: it retries throttling, 5xx and network faults
// until the call goes through, gives up after three attempts, and never
// retries what it must not. A timeout's lost answer shows: the write
// happened on the attempt that "failed" too.
func TestSDKRetriesInjectedFaults(t *testing.T) {
	s := startStack(t, false)
	c := newFaultClients(t, s, nil)
	ctx := context.Background()

	steps := []struct {
		name        string
		rule        edge.FaultRule
		wantErr     bool
		attempts    int    // calls the edge saw
		wantCounter string // the counter after the step
	}{
		{"two throttles, then through", edge.FaultRule{Error: "ThrottlingException", Count: 2}, false, 3, "1"},
		{"a 500, then through", edge.FaultRule{Error: "InternalServerError", Count: 1}, false, 2, "2"},
		{"a reset: the write did not happen, the retry makes it", edge.FaultRule{Error: "reset", Count: 1}, false, 2, "3"},
		{"a timeout: the write happened, and the retry makes it again", edge.FaultRule{Error: "timeout", Count: 1}, false, 2, "5"},
		{"unavailable three times: the SDK gives up", edge.FaultRule{Error: "ServiceUnavailable", Count: 3}, true, 3, "5"},
		{"not retryable: one attempt", edge.FaultRule{Error: "ValidationException", Count: 5}, true, 1, "5"},
	}
	for _, st := range steps {
		st.rule.Service, st.rule.Operation = "dynamodb", "UpdateItem"
		rule := addFault(t, s, st.rule)
		before := c.calls("dynamodb:UpdateItem")
		err := c.bump(ctx)
		if (err != nil) != st.wantErr {
			t.Errorf("%s: error = %v, want error %v", st.name, err, st.wantErr)
		}
		if got := c.calls("dynamodb:UpdateItem") - before; got != st.attempts {
			t.Errorf("%s: %d attempts, want %d", st.name, got, st.attempts)
		}
		s.Faults.Remove(rule.ID)
		if got := c.counter(t); got != st.wantCounter {
			t.Errorf("%s: counter = %s, want %s", st.name, got, st.wantCounter)
		}
	}

	// Step Functions and SES retry the same way.
	addFault(t, s, edge.FaultRule{Service: "states", Operation: "StartExecution", Error: "ThrottlingException", Count: 2})
	if _, err := c.sfn.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: aws.String(c.arn), Name: aws.String("once")}); err != nil {
		t.Errorf("StartExecution through two throttles: %v", err)
	}
	addFault(t, s, edge.FaultRule{Service: "ses", Operation: "SendRawEmail", Error: "Throttling", Count: 2})
	if _, err := c.ses.SendRawEmail(ctx, &ses.SendRawEmailInput{RawMessage: &sestypes.RawMessage{Data: c.mail}}); err != nil {
		t.Errorf("SendRawEmail through two throttles: %v", err)
	}
	if got := len(s.Outbox.Messages()); got != 1 {
		t.Errorf("outbox holds %d messages, want the one the retries sent", got)
	}
	rep := s.Faults.Report()
	// Removed rules are gone from the list; the two left fired twice each.
	if len(rep.Rules) != 2 || rep.Rules[0].Fired != 2 || rep.Rules[1].Fired != 2 {
		t.Errorf("report = %+v", rep)
	}
	if want := 2 + 1 + 1 + 1 + 3 + 1 + 2 + 2; rep.Injected != want {
		t.Errorf("injected = %d, want %d", rep.Injected, want)
	}
}

func faultsRequest(t *testing.T, method, url, body string) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest(method, url, strings.NewReader(body))
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	data, _ := io.ReadAll(res.Body)
	var out map[string]any
	if err := json.Unmarshal(data, &out); err != nil {
		t.Fatalf("%s %s: %d %q is not JSON", method, url, res.StatusCode, data)
	}
	return res.StatusCode, out
}

func TestFaultsEndpoints(t *testing.T) {
	s := startStack(t, false)
	url := s.APIURL + "/_local/faults"
	c := newFaultClients(t, s, func() aws.Retryer { return aws.NopRetryer{} })

	status, body := faultsRequest(t, "POST", url, `{"service":"ses","operation":"SendRawEmail","error":"Throttling","count":2}`)
	if status != 201 || body["id"] != "fault-1" || body["status"] != 400.0 || body["remaining"] != 2.0 || body["fired"] != 0.0 {
		t.Fatalf("POST count rule: %d %v", status, body)
	}
	status, body = faultsRequest(t, "POST", url, `{"service":"dynamodb","operation":"*","error":"timeout","probability":0.5,"seed":7}`)
	if status != 201 || body["id"] != "fault-2" || body["seed"] != 7.0 || body["probability"] != 0.5 {
		t.Fatalf("POST probability rule: %d %v", status, body)
	}

	c.ses.SendRawEmail(context.Background(), &ses.SendRawEmailInput{RawMessage: &sestypes.RawMessage{Data: c.mail}})
	status, body = faultsRequest(t, "GET", url, "")
	rules, _ := body["rules"].([]any)
	if status != 200 || len(rules) != 2 || rules[0].(map[string]any)["fired"] != 1.0 || rules[0].(map[string]any)["remaining"] != 1.0 {
		t.Fatalf("GET: %d %v", status, body)
	}

	bad := []struct {
		body   string
		status int
		code   string
		fields map[string]string // field -> a part of the problem
	}{
		{`{"service":"dynamodb","operation":"TransactWriteItem","error":"ThrottlingException","count":1}`, 422, "validation_failed",
			map[string]string{"operation": "no operation"}},
		{`{"service":"sqs","operation":"*","error":"reset","count":1}`, 422, "validation_failed", map[string]string{"service": "dynamodb, states, ses or s3"}},
		{`{"service":"ses","operation":"*","error":"Nope","probability":2}`, 422, "validation_failed",
			map[string]string{"status": "required for Nope", "probability": "at most 1"}},
		{`{}`, 422, "validation_failed", map[string]string{"service": "required", "operation": "required", "error": "required", "count": "give count"}},
		{`{"service":"ses","operation":"*","error":"Throttling","count":"2"}`, 400, "malformed_request", map[string]string{"count": "a whole number"}},
		{`{"service":"ses","operation":"*","error":"Throttling","count":1.5}`, 400, "malformed_request", map[string]string{"count": "a whole number"}},
		{`{"service":"ses","operation":"*","error":"Throttling","probability":0.5,"seed":-1}`, 400, "malformed_request", map[string]string{"seed": "0 or more"}},
		{`{"service":"ses","operation":"*","error":"Throttling","count":1,"times":3}`, 400, "malformed_request", map[string]string{"times": "unknown field"}},
		{`{"service":"ses"`, 400, "malformed_request", nil},
		{`[]`, 400, "malformed_request", nil},
		{`{"service":"ses","operation":"*","error":"Throttling","count":1} {}`, 400, "malformed_request", nil},
		{``, 400, "malformed_request", nil},
	}
	for _, b := range bad {
		status, body := faultsRequest(t, "POST", url, b.body)
		e, _ := body["error"].(map[string]any)
		if status != b.status || e["code"] != b.code {
			t.Errorf("POST %s: %d %v, want %d %s", b.body, status, body, b.status, b.code)
			continue
		}
		fields, _ := e["fields"].(map[string]any)
		if len(fields) != len(b.fields) {
			t.Errorf("POST %s: fields %v, want %v", b.body, fields, b.fields)
		}
		for f, part := range b.fields {
			if got, _ := fields[f].(string); !strings.Contains(got, part) {
				t.Errorf("POST %s: fields[%s] = %q, want it to say %q", b.body, f, got, part)
			}
		}
	}
	if got := len(s.Faults.Report().Rules); got != 2 {
		t.Errorf("after the refused rules: %d rules held, want the 2 taken", got)
	}

	if status, body := faultsRequest(t, "DELETE", url+"/fault-2", ""); status != 200 || body["id"] != "fault-2" {
		t.Errorf("DELETE fault-2: %d %v", status, body)
	}
	if status, body := faultsRequest(t, "DELETE", url+"/fault-2", ""); status != 404 {
		t.Errorf("DELETE fault-2 again: %d %v, want 404", status, body)
	}
	status, body = faultsRequest(t, "DELETE", url, "")
	if rules, _ := body["rules"].([]any); status != 200 || len(rules) != 1 || body["injected"] != 1.0 {
		t.Errorf("DELETE: %d %v, want the one rule left as it was, 1 injected", status, body)
	}
	status, body = faultsRequest(t, "GET", url, "")
	if rules, _ := body["rules"].([]any); status != 200 || len(rules) != 0 || body["injected"] != 1.0 {
		t.Errorf("GET after DELETE: %d %v, want no rules and the total kept", status, body)
	}
}
