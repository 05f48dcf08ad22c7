package stack_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	sfntypes "github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/golang-jwt/jwt/v5"

	"github.com/candorhq/candor/infra/local/gateway"
	"github.com/candorhq/candor/infra/local/stack"
)

// These tests run the stack as `go run ./infra/local` does, on a clock that
// runs with real time. What they check is that it keeps pace with real
// time, so they take a little of it (about two seconds in all); every
// policy deadline is still tried elsewhere by moving a still clock.

func startRunningStack(t *testing.T) *stack.Stack {
	t.Helper()
	s, err := stack.Start(context.Background(), stack.Config{APIAddr: "127.0.0.1:0", AWSAddr: "127.0.0.1:0", RealTime: true,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

// clientToken is what a black-box client does: sign its own token with the
// local secret, issued at its own idea of now.
func clientToken(t *testing.T, now time.Time) string {
	t.Helper()
	tok, err := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{
		"sub": "agent-1", "role": "compliance", "iat": now.Unix(), "nbf": now.Unix(), "exp": now.Add(5 * time.Minute).Unix(),
	}).SignedString([]byte(gateway.DefaultSecret))
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func TestRunningClockNeverLagsRealTime(t *testing.T) {
	s := startRunningStack(t)
	if !s.Clock.Running() {
		t.Fatal("RealTime stack: the clock does not run")
	}
	check := func(what string, ahead time.Duration) {
		t.Helper()
		before := time.Now()
		got := s.Clock.Now()
		after := time.Now()
		if got.Before(before.Add(ahead)) || got.After(after.Add(ahead)) {
			t.Errorf("%s: clock = %v, want between %v and %v (real time + %v)", what, got, before.Add(ahead), after.Add(ahead), ahead)
		}
	}
	for end := time.Now().Add(1200 * time.Millisecond); time.Now().Before(end); {
		check("running", 0)
	}
	res, err := http.Post(s.APIURL+"/_local/clock", "application/json", strings.NewReader(`{"advance":"72h"}`))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 200 {
		t.Fatalf("POST /_local/clock: %d", res.StatusCode)
	}
	check("moved 72h", 72*time.Hour)
}

func TestFreshClientTokensAreNeverRefused(t *testing.T) {
	s := startRunningStack(t)
	// Across more than a second boundary, as fast as a client can go.
	for i, end := 0, time.Now().Add(1200*time.Millisecond); time.Now().Before(end); i++ {
		status, body := get(t, s.APIURL+"/v1/compliance/tickets", clientToken(t, time.Now()))
		if status != 200 {
			t.Fatalf("request %d with a token minted now: %d %v", i, status, body)
		}
	}
	// A client whose clock runs a few seconds ahead is within the leeway.
	if status, body := get(t, s.APIURL+"/v1/compliance/tickets", clientToken(t, time.Now().Add(10*time.Second))); status != 200 {
		t.Errorf("token minted 10s ahead: %d %v", status, body)
	}
	if status, body := get(t, s.APIURL+"/v1/compliance/tickets", clientToken(t, time.Now().Add(gateway.Leeway+5*time.Second))); status != 401 {
		t.Errorf("token minted beyond the leeway: %d %v, want 401", status, body)
	}
}

func TestRunningStackFiresTimersWhenTheyFallDue(t *testing.T) {
	s := startRunningStack(t)
	ctx := context.Background()
	client := sfn.New(sfn.Options{Region: "us-east-1", BaseEndpoint: aws.String(s.AWSURL), Credentials: stack.AWSCredentials})
	machine := func(name string, wait int) string {
		def, _ := json.Marshal(map[string]any{"StartAt": "Wait", "States": map[string]any{
			"Wait": map[string]any{"Type": "Wait", "Seconds": wait, "End": true}}})
		out, err := client.CreateStateMachine(ctx, &sfn.CreateStateMachineInput{Name: aws.String(name), Definition: aws.String(string(def)),
			RoleArn: aws.String("arn:aws:iam::000000000000:role/local")})
		if err != nil {
			t.Fatal(err)
		}
		return aws.ToString(out.StateMachineArn)
	}
	start := func(arn string) string {
		out, err := client.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: aws.String(arn)})
		if err != nil {
			t.Fatal(err)
		}
		return aws.ToString(out.ExecutionArn)
	}
	describe := func(arn string) *sfn.DescribeExecutionOutput {
		out, err := client.DescribeExecution(ctx, &sfn.DescribeExecutionInput{ExecutionArn: aws.String(arn)})
		if err != nil {
			t.Fatal(err)
		}
		return out
	}

	// A one-second Wait ends when real time reaches it, with nobody moving the clock.
	short := start(machine("wait-a-second", 1))
	deadline := time.Now().Add(10 * time.Second)
	for describe(short).Status == sfntypes.ExecutionStatusRunning && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	d := describe(short)
	if d.Status != sfntypes.ExecutionStatusSucceeded {
		t.Fatalf("one-second wait: status %s after 10s", d.Status)
	}
	if took := d.StopDate.Sub(*d.StartDate); took < time.Second || took > 2*time.Second {
		t.Errorf("one-second wait took %v on the stack's clock", took)
	}

	// An hour's Wait ends when the clock is moved an hour, at once.
	long := start(machine("wait-an-hour", 3600))
	res, err := http.Post(s.APIURL+"/_local/clock", "application/json", strings.NewReader(`{"advance":"1h"}`))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if st := describe(long).Status; st != sfntypes.ExecutionStatusSucceeded {
		t.Errorf("hour wait after moving the clock an hour: %s", st)
	}
}
