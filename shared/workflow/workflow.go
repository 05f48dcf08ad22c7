// Package workflow starts Candor's Step Functions executions and answers
// their task tokens. Starts are idempotent (execution names derive from the
// object id) and never lost: the object and a record of the start are
// written together, the start is attempted at once, and Sweep re-drives any
// start still recorded after a grace period (throttling, an outage, a crash
// between the write and the start).
package workflow

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/aws/smithy-go"

	"github.com/candorhq/candor/shared/app"
)

// SFN is the part of the Step Functions client the package uses.
type SFN interface {
	StartExecution(ctx context.Context, in *sfn.StartExecutionInput, optFns ...func(*sfn.Options)) (*sfn.StartExecutionOutput, error)
	SendTaskSuccess(ctx context.Context, in *sfn.SendTaskSuccessInput, optFns ...func(*sfn.Options)) (*sfn.SendTaskSuccessOutput, error)
}

// ClientOnFirstUse is the Step Functions client of cfg, built by its first
// call rather than when the function starts: many requests and tasks of the
// functions that hold one never start or answer an execution, and building
// an SDK client costs every cold start page faults of its own.
func ClientOnFirstUse(cfg aws.Config) SFN {
	return sfnOnFirstUse(sync.OnceValue(func() *sfn.Client { return sfn.NewFromConfig(cfg) }))
}

// sfnOnFirstUse is a Step Functions client built by its first call.
type sfnOnFirstUse func() *sfn.Client

func (c sfnOnFirstUse) StartExecution(ctx context.Context, in *sfn.StartExecutionInput, optFns ...func(*sfn.Options)) (*sfn.StartExecutionOutput, error) {
	return c().StartExecution(ctx, in, optFns...)
}

func (c sfnOnFirstUse) SendTaskSuccess(ctx context.Context, in *sfn.SendTaskSuccessInput, optFns ...func(*sfn.Options)) (*sfn.SendTaskSuccessOutput, error) {
	return c().SendTaskSuccess(ctx, in, optFns...)
}

var (
	_ SFN         = (*sfn.Client)(nil)
	_ app.Starter = (*Starter)(nil)
	_ app.Waker   = (*Answerer)(nil)
)

// Actions lists the Step Functions actions this package performs, for the IAM checks.
var Actions = []string{"states:StartExecution", "states:SendTaskSuccess"}

// Starter starts executions of the named state machines.
type Starter struct {
	sfn      SFN
	machines map[string]string // logical name -> ARN
}

// NewStarter returns a Starter; machines maps logical names to state machine ARNs.
func NewStarter(client SFN, machines map[string]string) *Starter {
	return &Starter{sfn: client, machines: machines}
}

// Start starts the execution, treating an execution of the same name that
// already exists as started (a repeated start is harmless). A start Step
// Functions refuses for capacity is an *OverloadedError (see Overloaded);
// the caller leaves it recorded and the sweeper starts it later.
func (s *Starter) Start(ctx context.Context, w app.WorkflowStart) error {
	arn, ok := s.machines[w.Machine]
	if !ok {
		return fmt.Errorf("start %s: no state machine %q configured", w.Name, w.Machine)
	}
	_, err := s.sfn.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: aws.String(arn), Name: aws.String(w.Name), Input: aws.String(w.Input)})
	var exists *types.ExecutionAlreadyExists
	switch {
	case err == nil, errors.As(err, &exists):
		return nil
	case Overloaded(err) != "":
		return fmt.Errorf("start %s: %w", w.Name, &OverloadedError{Reason: Overloaded(err), Err: err})
	}
	return fmt.Errorf("start %s: %w", w.Name, err)
}

// Why Step Functions refuses a start for capacity.
const (
	// OverOpenExecutions: the account's open Standard executions in the
	// Region reached their quota (ExecutionLimitExceeded). Starts succeed
	// again as executions close, or once the quota is raised.
	OverOpenExecutions = "open executions"
	// OverStartRate: StartExecution's token bucket is empty (a throttle,
	// after the SDK's own retries). Starts succeed again within seconds.
	OverStartRate = "start rate"
)

// Overloaded says why err is Step Functions refusing a start for capacity
// (OverOpenExecutions or OverStartRate), or "" when it is another error.
// Such a refusal clears with time, not by trying again at once.
func Overloaded(err error) string {
	var limit *types.ExecutionLimitExceeded
	if errors.As(err, &limit) {
		return OverOpenExecutions
	}
	var apiErr smithy.APIError
	if errors.As(err, &apiErr) {
		switch apiErr.ErrorCode() {
		case "ExecutionLimitExceeded":
			return OverOpenExecutions
		case "ThrottlingException", "Throttling", "TooManyRequestsException", "TooManyRequests", "RequestLimitExceeded":
			return OverStartRate
		}
	}
	return ""
}

// OverloadedError is a start refused for capacity; Reason is
// OverOpenExecutions or OverStartRate.
type OverloadedError struct {
	Reason string
	Err    error
}

func (e *OverloadedError) Error() string {
	return "step functions refused the start (" + e.Reason + "): " + e.Err.Error()
}
func (e *OverloadedError) Unwrap() error { return e.Err }

// Starts is what Sweep needs of the store.
type Starts interface {
	PendingStarts(ctx context.Context) ([]app.WorkflowStart, error)
}

// Sweep starts every recorded workflow start older than grace (younger ones
// are being started by the request that wrote them), oldest first. The
// executions' first tasks delete the records. When Step Functions refuses a
// start for capacity (*OverloadedError) the sweep stops there: the rest stay
// recorded, in order, for the next run, so a full account costs one refused
// call a run rather than one per waiting start. It returns how many it
// started and the first error; a refusal for the open-execution quota is
// an error (it needs the quota raised, or executions to close), a throttle
// is not (the next run starts them).
func Sweep(ctx context.Context, st Starts, s *Starter, now time.Time, grace time.Duration, log *slog.Logger) (int, error) {
	pending, err := st.PendingStarts(ctx)
	if err != nil {
		return 0, fmt.Errorf("sweep: %w", err)
	}
	started := 0
	var first error
	for i, w := range pending {
		if now.Sub(w.At) < grace {
			continue
		}
		if err := s.Start(ctx, w); err != nil {
			var over *OverloadedError
			if errors.As(err, &over) {
				waiting := len(pending) - i
				log.WarnContext(ctx, "sweep: step functions refuses starts for capacity; the rest wait for the next run",
					"reason", over.Reason, "waiting", waiting, "oldest", w.At, "err", err)
				if over.Reason == OverOpenExecutions && first == nil {
					first = fmt.Errorf("sweep: %d workflow starts wait: %w", waiting, err)
				}
				break
			}
			log.ErrorContext(ctx, "sweep: workflow start failed again", "execution", w.Name, "machine", w.Machine, "err", err)
			if first == nil {
				first = err
			}
			continue
		}
		log.WarnContext(ctx, "sweep: started a workflow whose first start had failed", "execution", w.Name, "machine", w.Machine, "recordedAt", w.At)
		started++
	}
	return started, first
}

// Succeed answers a waiting task with output (SendTaskSuccess). A token
// whose task already closed (timed out or answered) returns app.ErrTaskClosed.
func Succeed(ctx context.Context, client SFN, token string, output any) error {
	b, err := json.Marshal(output)
	if err != nil {
		return fmt.Errorf("send task success: %w", err)
	}
	_, err = client.SendTaskSuccess(ctx, &sfn.SendTaskSuccessInput{TaskToken: aws.String(token), Output: aws.String(string(b))})
	var timedOut *types.TaskTimedOut
	var invalid *types.InvalidToken
	var notExist *types.TaskDoesNotExist
	switch {
	case errors.As(err, &timedOut), errors.As(err, &notExist):
		return app.ErrTaskClosed
	case errors.As(err, &invalid):
		return fmt.Errorf("send task success: %w", err)
	case err != nil:
		return fmt.Errorf("send task success: %w", err)
	}
	return nil
}

// Answerer answers waiting tasks on behalf of a caller that holds no client.
type Answerer struct{ sfn SFN }

// NewAnswerer returns an Answerer using client.
func NewAnswerer(client SFN) *Answerer { return &Answerer{sfn: client} }

// Succeed answers token with output; see the package-level Succeed.
func (a *Answerer) Succeed(ctx context.Context, token string, output any) error {
	return Succeed(ctx, a.sfn, token, output)
}
