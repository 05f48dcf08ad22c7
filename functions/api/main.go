// Command api is the Lambda function behind every JSON route of the HTTP API
// (API Gateway HTTP API, payload format 2.0, JWT authorizer in front).
//
// Environment: TABLE_NAME, FIND_REVIEWER_STATE_MACHINE_ARN, REPORT_STATE_MACHINE_ARN (required);
// HIDE_POLICY (all | harmful_only), REPLY_WINDOW_SECONDS,
// REMINDER_AFTER_SECONDS, REVIEWER_RESPONSE_SECONDS, MAX_REVIEWER_ROUNDS, LOG_LEVEL.
package main

import (
	"fmt"
	"log/slog"
	"os"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/awslabs/aws-lambda-go-api-proxy/httpadapter"

	"github.com/candorhq/candor/shared/api"
	"github.com/candorhq/candor/shared/awsconfig"
	"github.com/candorhq/candor/shared/clock"
	"github.com/candorhq/candor/shared/envconfig"
	"github.com/candorhq/candor/shared/logging"
	"github.com/candorhq/candor/shared/moderation"
	"github.com/candorhq/candor/shared/store"
	"github.com/candorhq/candor/shared/workflow"
)

func main() {
	env := envconfig.New()
	table := env.Required("TABLE_NAME")
	findReviewer := env.Required("FIND_REVIEWER_STATE_MACHINE_ARN")
	reportReview := env.Required("REPORT_STATE_MACHINE_ARN")
	hide := env.OneOf("HIDE_POLICY", "all", "all", "harmful_only")
	rounds := env.Int("MAX_REVIEWER_ROUNDS", moderation.MaxReviewerRounds)
	windows := api.Windows{
		Reply:            env.Seconds("REPLY_WINDOW_SECONDS", api.DefaultWindows.Reply),
		ReminderAfter:    env.Seconds("REMINDER_AFTER_SECONDS", api.DefaultWindows.ReminderAfter),
		ReviewerResponse: env.Seconds("REVIEWER_RESPONSE_SECONDS", api.DefaultWindows.ReviewerResponse),
	}
	logger := logging.New(os.Stdout, env.OneOf("LOG_LEVEL", "info", "debug", "info", "warn", "error"))
	if err := env.Err(); err != nil {
		fail(logger, err)
	}
	cfg, err := awsconfig.FromEnv(os.Getenv)
	if err != nil {
		fail(logger, fmt.Errorf("load aws config: %w", err))
	}
	sfnClient := sfn.NewFromConfig(cfg)
	handler := api.New(api.Config{
		Store:    store.New(dynamodb.NewFromConfig(cfg), table),
		Clock:    clock.System{},
		Policy:   moderation.Policy{HideHarmfulOnly: hide == "harmful_only", MaxReviewerRounds: rounds},
		Logger:   logger,
		Starter:  workflow.NewStarter(sfnClient, map[string]string{workflow.FindReviewer: findReviewer, workflow.ReportReview: reportReview}),
		Answerer: workflow.NewAnswerer(sfnClient),
		Windows:  windows,
	})
	slog.SetDefault(logger)
	lambda.Start(httpadapter.NewV2(handler).ProxyWithContext)
}

func fail(logger *slog.Logger, err error) {
	logger.Error("api: cannot start", "err", err)
	os.Exit(1)
}
