package lambdaemu

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-lambda-go/lambdacontext"
)

// The tests run this test binary itself as the bootstrap: with
// LAMBDAEMU_HELPER set, TestMain becomes one of the functions below.
func TestMain(m *testing.M) {
	switch os.Getenv("LAMBDAEMU_HELPER") {
	case "":
		os.Exit(m.Run())
	case "echo":
		lambda.Start(echo)
	case "fail":
		lambda.Start(func(ctx context.Context, in json.RawMessage) (string, error) {
			return "", errors.New("no such review")
		})
	case "exit":
		fmt.Fprintln(os.Stderr, "configuration: TABLE_NAME is not set")
		os.Exit(1)
	case "init-error":
		body := `{"errorType":"ConfigError","errorMessage":"TABLE_NAME is not set"}`
		resp, err := http.Post("http://"+os.Getenv("AWS_LAMBDA_RUNTIME_API")+"/2018-06-01/runtime/init/error", "application/json", strings.NewReader(body))
		if err == nil {
			resp.Body.Close()
		}
		select {} // Lambda ends the process
	case "hang":
		select {} // never polls
	}
	os.Exit(2)
}

// echoed is what the echo function answers: the event and what Lambda told it.
type echoed struct {
	Event       json.RawMessage
	RequestID   string
	FunctionARN string
	DeadlineMs  int64
	Env         map[string]string
}

func echo(ctx context.Context, in json.RawMessage) (echoed, error) {
	lc, _ := lambdacontext.FromContext(ctx)
	dl, _ := ctx.Deadline()
	env := map[string]string{}
	for _, k := range []string{"AWS_LAMBDA_FUNCTION_NAME", "AWS_REGION", "TABLE_NAME", "HOME_OF_TEST"} {
		env[k] = os.Getenv(k)
	}
	return echoed{Event: in, RequestID: lc.AwsRequestID, FunctionARN: lc.InvokedFunctionArn, DeadlineMs: dl.UnixMilli(), Env: env}, nil
}

func start(t *testing.T, helper string, cfg Config) *Runtime {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cfg.Bootstrap = exe
	if cfg.Env == nil {
		cfg.Env = map[string]string{}
	}
	cfg.Env["LAMBDAEMU_HELPER"] = helper
	var stderr bytes.Buffer
	if cfg.Stderr == nil {
		cfg.Stderr = &stderr
	}
	r, err := Start(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := r.Close(); err != nil {
			t.Errorf("close: %v", err)
		}
	})
	return r
}

func TestInvokeAnswersEachEventInTurn(t *testing.T) {
	t.Setenv("HOME_OF_TEST", "leaks")
	r := start(t, "echo", Config{FunctionName: "candor-test-api", Timeout: 30 * time.Second, Env: map[string]string{"TABLE_NAME": "candor-test"}})
	var ids []string
	for i, event := range []string{`{"n":1}`, `{"n":2}`} {
		res, err := r.Invoke(context.Background(), []byte(event))
		if err != nil {
			t.Fatalf("invoke %d: %v", i, err)
		}
		if res.Err != nil {
			t.Fatalf("invoke %d: function error %v", i, res.Err)
		}
		var got echoed
		if err := json.Unmarshal(res.Payload, &got); err != nil {
			t.Fatalf("invoke %d: payload %s: %v", i, res.Payload, err)
		}
		if string(got.Event) != event {
			t.Errorf("invoke %d: the function got %s, want %s", i, got.Event, event)
		}
		if got.RequestID != res.RequestID || got.RequestID == "" {
			t.Errorf("invoke %d: request id %q in the function, %q in the result", i, got.RequestID, res.RequestID)
		}
		if got.FunctionARN != "arn:aws:lambda:us-east-1:123456789012:function:candor-test-api" {
			t.Errorf("invoke %d: function ARN %q", i, got.FunctionARN)
		}
		if left := time.Until(time.UnixMilli(got.DeadlineMs)); left < 20*time.Second || left > 31*time.Second {
			t.Errorf("invoke %d: deadline %v away, want about the 30s timeout", i, left)
		}
		want := map[string]string{"AWS_LAMBDA_FUNCTION_NAME": "candor-test-api", "AWS_REGION": "us-east-1", "TABLE_NAME": "candor-test", "HOME_OF_TEST": ""}
		for k, v := range want {
			if got.Env[k] != v {
				t.Errorf("invoke %d: %s=%q in the function, want %q", i, k, got.Env[k], v)
			}
		}
		ids = append(ids, res.RequestID)
	}
	if ids[0] == ids[1] {
		t.Errorf("both invocations had request id %s", ids[0])
	}
	tm := r.Timings()
	if tm.Started.IsZero() || tm.FirstPoll.Before(tm.Started) || tm.FirstResponse.Before(tm.FirstPoll) {
		t.Errorf("timings out of order: %+v", tm)
	}
}

func TestInvokeReportsFunctionErrors(t *testing.T) {
	r := start(t, "fail", Config{})
	res, err := r.Invoke(context.Background(), []byte(`{}`))
	if err != nil {
		t.Fatal(err)
	}
	if res.Err == nil || res.Err.Message != "no such review" || res.Err.Type != "errorString" {
		t.Errorf("function error %+v, want errorString: no such review", res.Err)
	}
	if r.Timings().FirstResponse.IsZero() {
		t.Error("an error answer did not count as the first response")
	}
}

func TestInvokeWhenTheFunctionCannotStart(t *testing.T) {
	tests := []struct{ helper, want string }{
		{"exit", "exit status 1"},
		{"init-error", "init error ConfigError: TABLE_NAME is not set"},
	}
	for _, tc := range tests {
		t.Run(tc.helper, func(t *testing.T) {
			r := start(t, tc.helper, Config{})
			_, err := r.Invoke(context.Background(), []byte(`{}`))
			if !errors.Is(err, ErrExited) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("invoke: %v, want ErrExited saying %q", err, tc.want)
			}
			if !r.Timings().FirstPoll.IsZero() {
				t.Error("a function that never polled has a first poll")
			}
		})
	}
}

func TestInvokeGivesUpWithItsContext(t *testing.T) {
	r := start(t, "hang", Config{})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := r.Invoke(ctx, []byte(`{}`)); !errors.Is(err, context.Canceled) {
		t.Errorf("invoke on a canceled context: %v, want context.Canceled", err)
	}
}

func TestRuntimeAPIRefusesUnknownRequestIDs(t *testing.T) {
	r := start(t, "hang", Config{})
	srv := r.handler()
	for _, path := range []string{"/2018-06-01/runtime/invocation/nope/response", "/2018-06-01/runtime/invocation/nope/error"} {
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, path, strings.NewReader(`{}`)))
		if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), "InvalidRequestID") {
			t.Errorf("POST %s: %d %s, want 400 InvalidRequestID", path, rec.Code, rec.Body.String())
		}
	}
}
