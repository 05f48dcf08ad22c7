// Command report-tasks is the Lambda function behind every task of the report
// investigation state machine (statemachines/report-review.asl.json).
//
// Environment: TABLE_NAME, PUBLIC_BASE_URL, SENDER_ADDRESS (required), LOG_LEVEL.
package main

import (
	"log/slog"
	"os"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/sfn"

	"github.com/candorhq/candor/shared/awsconfig"
	"github.com/candorhq/candor/shared/clock"
	"github.com/candorhq/candor/shared/envconfig"
	"github.com/candorhq/candor/shared/investigation"
	"github.com/candorhq/candor/shared/logging"
	"github.com/candorhq/candor/shared/mail"
	"github.com/candorhq/candor/shared/store"
)

func main() {
	env := envconfig.New()
	table := env.Required("TABLE_NAME")
	base := env.Required("PUBLIC_BASE_URL")
	from := env.Required("SENDER_ADDRESS")
	logger := logging.New(os.Stdout, env.OneOf("LOG_LEVEL", "info", "debug", "info", "warn", "error"))
	if err := env.Err(); err != nil {
		fail(logger, err)
	}
	cfg, err := awsconfig.FromEnv(os.Getenv)
	if err != nil {
		fail(logger, err)
	}
	sender, links, err := mail.NewSESSender(cfg, base, from)
	if err != nil {
		fail(logger, err)
	}
	tasks := investigation.New(store.New(dynamodb.NewFromConfig(cfg), table), sender, links, sfn.NewFromConfig(cfg), clock.System{}, logger)
	slog.SetDefault(logger)
	lambda.Start(tasks.Handle)
}

func fail(logger *slog.Logger, err error) {
	logger.Error("report-tasks: cannot start", "err", err)
	os.Exit(1)
}
