// Command sweeper runs every minute (EventBridge Scheduler) and starts every
// workflow whose start was recorded but has not run yet (a failed or
// throttled StartExecution), so nothing accepted waits forever.
//
// Environment: TABLE_NAME, FIND_REVIEWER_STATE_MACHINE_ARN, REPORT_STATE_MACHINE_ARN (required),
// SWEEP_GRACE_SECONDS (default 60), LOG_LEVEL.
package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/sfn"

	"github.com/candorhq/candor/shared/awsconfig"
	"github.com/candorhq/candor/shared/clock"
	"github.com/candorhq/candor/shared/envconfig"
	"github.com/candorhq/candor/shared/logging"
	"github.com/candorhq/candor/shared/store"
	"github.com/candorhq/candor/shared/workflow"
)

func main() {
	env := envconfig.New()
	table := env.Required("TABLE_NAME")
	findReviewer := env.Required("FIND_REVIEWER_STATE_MACHINE_ARN")
	reportReview := env.Required("REPORT_STATE_MACHINE_ARN")
	grace := env.Seconds("SWEEP_GRACE_SECONDS", time.Minute)
	logger := logging.New(os.Stdout, env.OneOf("LOG_LEVEL", "info", "debug", "info", "warn", "error"))
	if err := env.Err(); err != nil {
		fail(logger, err)
	}
	cfg, err := awsconfig.FromEnv(os.Getenv)
	if err != nil {
		fail(logger, fmt.Errorf("load aws config: %w", err))
	}
	st := store.New(dynamodb.NewFromConfig(cfg), table)
	starter := workflow.NewStarter(sfn.NewFromConfig(cfg), map[string]string{workflow.FindReviewer: findReviewer, workflow.ReportReview: reportReview})
	c := clock.System{}
	slog.SetDefault(logger)
	lambda.Start(func(ctx context.Context) (map[string]int, error) {
		n, err := workflow.Sweep(ctx, st, starter, c.Now(), grace, logger)
		return map[string]int{"started": n}, err
	})
}

func fail(logger *slog.Logger, err error) {
	logger.Error("sweeper: cannot start", "err", err)
	os.Exit(1)
}
