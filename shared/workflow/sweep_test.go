package workflow_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/aws/smithy-go"

	"github.com/candorhq/candor/shared/app"
	"github.com/candorhq/candor/shared/workflow"
)

// fakeSFN starts executions until refuse says no; it remembers every name
// it started and every call it got.
type fakeSFN struct {
	refuse  func() error // nil: start
	started []string
	calls   int
}

func (f *fakeSFN) StartExecution(_ context.Context, in *sfn.StartExecutionInput, _ ...func(*sfn.Options)) (*sfn.StartExecutionOutput, error) {
	f.calls++
	if f.refuse != nil {
		if err := f.refuse(); err != nil {
			return nil, err
		}
	}
	name := aws.ToString(in.Name)
	if slices.Contains(f.started, name) {
		return nil, &types.ExecutionAlreadyExists{Message: aws.String("Execution Already Exists")}
	}
	f.started = append(f.started, name)
	return &sfn.StartExecutionOutput{ExecutionArn: aws.String("arn:" + name)}, nil
}

func (f *fakeSFN) SendTaskSuccess(context.Context, *sfn.SendTaskSuccessInput, ...func(*sfn.Options)) (*sfn.SendTaskSuccessOutput, error) {
	return &sfn.SendTaskSuccessOutput{}, nil
}

// fakeStarts is the WFSTART records; an execution's first task deletes its
// record, which here happens when the fake starts it.
type fakeStarts struct {
	sfn     *fakeSFN
	records []app.WorkflowStart
}

func (f *fakeStarts) PendingStarts(context.Context) ([]app.WorkflowStart, error) {
	var out []app.WorkflowStart
	for _, w := range f.records {
		if !slices.Contains(f.sfn.started, w.Name) {
			out = append(out, w)
		}
	}
	return out, nil
}

func TestOverloadedNamesWhyStepFunctionsRefusedAStart(t *testing.T) {
	tests := []struct {
		err  error
		want string
	}{
		{&types.ExecutionLimitExceeded{Message: aws.String("The maximum number of running executions has been reached.")}, workflow.OverOpenExecutions},
		{&smithy.GenericAPIError{Code: "ExecutionLimitExceeded"}, workflow.OverOpenExecutions},
		{&smithy.GenericAPIError{Code: "ThrottlingException", Message: "Rate exceeded"}, workflow.OverStartRate},
		{&smithy.GenericAPIError{Code: "TooManyRequestsException"}, workflow.OverStartRate},
		{fmt.Errorf("start x: %w", &smithy.GenericAPIError{Code: "ThrottlingException"}), workflow.OverStartRate},
		{&smithy.GenericAPIError{Code: "ServiceUnavailable"}, ""},
		{&types.StateMachineDoesNotExist{}, ""},
		{errors.New("connection reset by peer"), ""},
		{nil, ""},
	}
	for _, tt := range tests {
		if got := workflow.Overloaded(tt.err); got != tt.want {
			t.Errorf("Overloaded(%v) = %q, want %q", tt.err, got, tt.want)
		}
	}
}

func TestStartReturnsAnOverloadedErrorForARefusalForCapacity(t *testing.T) {
	f := &fakeSFN{refuse: func() error { return &types.ExecutionLimitExceeded{Message: aws.String("full")} }}
	s := workflow.NewStarter(f, map[string]string{"investigation": "arn:sm"})
	err := s.Start(context.Background(), app.WorkflowStart{Machine: "investigation", Name: "rpt_1", Input: "{}"})
	var over *workflow.OverloadedError
	if !errors.As(err, &over) || over.Reason != workflow.OverOpenExecutions {
		t.Fatalf("Start = %v, want an OverloadedError for open executions", err)
	}
	var limit *types.ExecutionLimitExceeded
	if !errors.As(err, &limit) {
		t.Error("the OverloadedError lost the SDK's error")
	}
}

// TestSweepStopsAtARefusalForCapacityAndStartsEachWaitingStartOnceLater:
// while the account is full, each run makes one refused call (not one per
// waiting start), and reports it as an error; once executions close, the
// next run starts every waiting start, oldest first, each exactly once.
// A throttle stops the run too but is no error.
func TestSweepStopsAtARefusalForCapacityAndStartsEachWaitingStartOnceLater(t *testing.T) {
	t0 := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	f := &fakeSFN{}
	st := &fakeStarts{sfn: f}
	for i, name := range []string{"rpt_c", "rpt_a", "fr-b-0", "rpt_d"} {
		st.records = append(st.records, app.WorkflowStart{Machine: "investigation", Name: name, Input: "{}", At: t0.Add(time.Duration(i) * time.Second)})
	}
	s := workflow.NewStarter(f, map[string]string{"investigation": "arn:sm"})
	log := slog.New(slog.DiscardHandler)
	ctx := context.Background()
	now := t0.Add(5 * time.Minute)

	f.refuse = func() error { return &types.ExecutionLimitExceeded{Message: aws.String("full")} }
	for run := 1; run <= 3; run++ {
		n, err := workflow.Sweep(ctx, st, s, now, time.Minute, log)
		if n != 0 || workflow.Overloaded(err) != workflow.OverOpenExecutions {
			t.Fatalf("run %d while full: started %d, err %v; want 0 and the open-execution refusal", run, n, err)
		}
		if f.calls != run {
			t.Fatalf("after %d runs while full, %d StartExecution calls, want one a run", run, f.calls)
		}
	}

	f.refuse = func() error { return &smithy.GenericAPIError{Code: "ThrottlingException", Message: "Rate exceeded"} }
	if n, err := workflow.Sweep(ctx, st, s, now, time.Minute, log); n != 0 || err != nil || f.calls != 4 {
		t.Fatalf("run while throttled: started %d, err %v, calls %d; want 0, no error, one call", n, err, f.calls)
	}

	f.refuse = nil
	n, err := workflow.Sweep(ctx, st, s, now, time.Minute, log)
	if err != nil || n != 4 {
		t.Fatalf("run after the executions closed: started %d, err %v; want all 4", n, err)
	}
	if want := []string{"rpt_c", "rpt_a", "fr-b-0", "rpt_d"}; !slices.Equal(f.started, want) {
		t.Errorf("started %v, want each once, oldest first: %v", f.started, want)
	}
	if n, err := workflow.Sweep(ctx, st, s, now, time.Minute, log); n != 0 || err != nil {
		t.Errorf("a run with nothing waiting started %d, err %v", n, err)
	}
}

// TestSweepLeavesYoungStartsToTheirRequest: a start younger than the grace
// period is being made by the request that recorded it.
func TestSweepLeavesYoungStartsToTheirRequest(t *testing.T) {
	t0 := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	f := &fakeSFN{}
	st := &fakeStarts{sfn: f, records: []app.WorkflowStart{{Machine: "investigation", Name: "rpt_new", Input: "{}", At: t0}}}
	s := workflow.NewStarter(f, map[string]string{"investigation": "arn:sm"})
	if n, err := workflow.Sweep(context.Background(), st, s, t0.Add(30*time.Second), time.Minute, slog.New(slog.DiscardHandler)); n != 0 || err != nil || f.calls != 0 {
		t.Errorf("sweep within the grace period: started %d, err %v, calls %d; want nothing", n, err, f.calls)
	}
}
