// Package sweeperfunc builds the sweeper function.
package sweeperfunc

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/candorhq/candor/shared/app"
	"github.com/candorhq/candor/shared/clock"
	"github.com/candorhq/candor/shared/envconfig"
	"github.com/candorhq/candor/shared/store"
	"github.com/candorhq/candor/shared/wire"
	"github.com/candorhq/candor/shared/workflow"
)

// Sweeper is the sweeper function: every minute it starts each recorded
// workflow start older than its grace period, and answers again each
// recorded wake-up that failed (app.RetryWakes).
type Sweeper struct {
	store   *store.Store
	starter *workflow.Starter
	waker   *workflow.Answerer
	clock   clock.Clock
	grace   time.Duration
	log     *slog.Logger
}

// New builds the sweeper function. Environment: TABLE_NAME and the ARN of
// every state machine it may start (wire.Machines: FIND_REVIEWER_,
// INVESTIGATION_, SANCTION_, APPEAL_ and REPLY_STATE_MACHINE_ARN; required),
// SWEEP_GRACE_SECONDS (default 60).
func New(env *envconfig.Env, cfg aws.Config, c clock.Clock, log *slog.Logger) (*Sweeper, error) {
	table := env.Required("TABLE_NAME")
	arns := wire.Machines(env)
	grace := env.Seconds("SWEEP_GRACE_SECONDS", time.Minute)
	if err := env.Err(); err != nil {
		return nil, err
	}
	client := workflow.ClientOnFirstUse(cfg)
	return &Sweeper{store: store.New(dynamodb.NewFromConfig(cfg), table), starter: workflow.NewStarter(client, arns),
		waker: workflow.NewAnswerer(client), clock: c, grace: grace, log: log}, nil
}

// Handle runs one sweep and says how many workflows it started and how
// many it woke. A failed start does not keep the wake-ups waiting.
func (s *Sweeper) Handle(ctx context.Context) (map[string]int, error) {
	starts, wakes, err := s.store.Pending(ctx) // one Query for both
	if err != nil {
		return nil, fmt.Errorf("sweep: %w", err)
	}
	n, err := workflow.Sweep(ctx, readStarts(starts), s.starter, s.clock.Now(), s.grace, s.log)
	woken, werr := app.RetryWakes(ctx, readWakes{s.store, wakes}, s.waker, s.log)
	if err == nil {
		err = werr
	}
	return map[string]int{"started": n, "woken": woken}, err
}

// readStarts hands the sweep the starts the sweeper read.
type readStarts []app.WorkflowStart

func (r readStarts) PendingStarts(context.Context) ([]app.WorkflowStart, error) { return r, nil }

// readWakes hands RetryWakes the wake-ups the sweeper read.
type readWakes struct {
	*store.Store
	list []app.PendingWake
}

func (r readWakes) PendingWakes(context.Context) ([]app.PendingWake, error) { return r.list, nil }
