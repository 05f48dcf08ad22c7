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
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/candorhq/candor/shared/app"
)

// SFN is the part of the Step Functions client the package uses.
type SFN interface {
	StartExecution(ctx context.Context, in *sfn.StartExecutionInput, optFns ...func(*sfn.Options)) (*sfn.StartExecutionOutput, error)
	SendTaskSuccess(ctx context.Context, in *sfn.SendTaskSuccessInput, optFns ...func(*sfn.Options)) (*sfn.SendTaskSuccessOutput, error)
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
// already exists as started (a repeated start is harmless).
func (s *Starter) Start(ctx context.Context, w app.WorkflowStart) error {
	arn, ok := s.machines[w.Machine]
	if !ok {
		return fmt.Errorf("start %s: no state machine %q configured", w.Name, w.Machine)
	}
	_, err := s.sfn.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: aws.String(arn), Name: aws.String(w.Name), Input: aws.String(w.Input)})
	var exists *types.ExecutionAlreadyExists
	if err != nil && !errors.As(err, &exists) {
		return fmt.Errorf("start %s: %w", w.Name, err)
	}
	return nil
}

// Starts is what Sweep needs of the store.
type Starts interface {
	PendingStarts(ctx context.Context) ([]app.WorkflowStart, error)
}

// Sweep starts every recorded workflow start older than grace (younger ones
// are being started by the request that wrote them). The executions' first
// tasks delete the records. It returns how many it started and the first error.
func Sweep(ctx context.Context, st Starts, s *Starter, now time.Time, grace time.Duration, log *slog.Logger) (int, error) {
	pending, err := st.PendingStarts(ctx)
	if err != nil {
		return 0, fmt.Errorf("sweep: %w", err)
	}
	started := 0
	var first error
	for _, w := range pending {
		if now.Sub(w.At) < grace {
			continue
		}
		if err := s.Start(ctx, w); err != nil {
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
