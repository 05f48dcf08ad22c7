// Command reviewer-page is the Lambda function behind GET and POST /r/{token}:
// the pages reviewers reach from the links in their emails (no JWT).
//
// Environment: TABLE_NAME (required), LOG_LEVEL.
package main

import (
	"fmt"
	"log/slog"
	"os"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/awslabs/aws-lambda-go-api-proxy/httpadapter"

	"github.com/candorhq/candor/shared/awsconfig"
	"github.com/candorhq/candor/shared/clock"
	"github.com/candorhq/candor/shared/envconfig"
	"github.com/candorhq/candor/shared/logging"
	"github.com/candorhq/candor/shared/replies"
	"github.com/candorhq/candor/shared/reviewerpage"
	"github.com/candorhq/candor/shared/store"
)

func main() {
	env := envconfig.New()
	table := env.Required("TABLE_NAME")
	logger := logging.New(os.Stdout, env.OneOf("LOG_LEVEL", "info", "debug", "info", "warn", "error"))
	if err := env.Err(); err != nil {
		fail(logger, err)
	}
	cfg, err := awsconfig.FromEnv(os.Getenv)
	if err != nil {
		fail(logger, fmt.Errorf("load aws config: %w", err))
	}
	backend := replies.New(store.New(dynamodb.NewFromConfig(cfg), table), sfn.NewFromConfig(cfg), clock.System{}, logger)
	pages := reviewerpage.New(backend, reviewerpage.Options{Logger: logger, Clock: clock.System{}})
	slog.SetDefault(logger)
	lambda.Start(httpadapter.NewV2(pages).ProxyWithContext)
}

func fail(logger *slog.Logger, err error) {
	logger.Error("reviewer-page: cannot start", "err", err)
	os.Exit(1)
}
