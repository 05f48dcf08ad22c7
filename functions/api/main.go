// Command api is the Lambda function behind every JSON route of the HTTP API
// (API Gateway HTTP API, payload format 2.0, JWT authorizer in front). Its
// environment is apifunc.New's.
package main

import (
	"github.com/aws/aws-lambda-go/lambda"

	"github.com/candorhq/candor/shared/clock"
	"github.com/candorhq/candor/shared/httpapi"
	"github.com/candorhq/candor/shared/wire"
	"github.com/candorhq/candor/shared/wire/apifunc"
)

func main() {
	env, cfg, logger := wire.Lambda("api")
	h, err := apifunc.New(env, cfg, clock.System{}, logger)
	wire.Must(logger, "api", err)
	lambda.Start(httpapi.NewLambda(h))
}
