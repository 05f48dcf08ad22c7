// Command api is the Lambda function behind every JSON route of the HTTP API
// (API Gateway HTTP API, payload format 2.0, JWT authorizer in front).
//
// Environment: TABLE_NAME (required), HIDE_POLICY (all | harmful_only),
// LOG_LEVEL (debug | info | warn | error).
package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/awslabs/aws-lambda-go-api-proxy/httpadapter"

	"github.com/candorhq/candor/shared/api"
	"github.com/candorhq/candor/shared/clock"
	"github.com/candorhq/candor/shared/envconfig"
	"github.com/candorhq/candor/shared/logging"
	"github.com/candorhq/candor/shared/moderation"
	"github.com/candorhq/candor/shared/store"
)

func main() {
	env := envconfig.New()
	table := env.Required("TABLE_NAME")
	hide := env.OneOf("HIDE_POLICY", "all", "all", "harmful_only")
	level := env.OneOf("LOG_LEVEL", "info", "debug", "info", "warn", "error")
	logger := logging.New(os.Stdout, level)
	if err := env.Err(); err != nil {
		logger.Error("api: bad configuration", "err", err)
		os.Exit(1)
	}
	ctx := context.Background()
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		logger.Error("api: load AWS config", "err", fmt.Errorf("load aws config: %w", err))
		os.Exit(1)
	}
	handler := api.New(api.Config{
		Store:  store.New(dynamodb.NewFromConfig(cfg), table),
		Clock:  clock.System{},
		Policy: moderation.Policy{HideHarmfulOnly: hide == "harmful_only"},
		Logger: logger,
	})
	slog.SetDefault(logger)
	lambda.Start(httpadapter.NewV2(handler).ProxyWithContext)
}
