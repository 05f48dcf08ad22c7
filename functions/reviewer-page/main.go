// Command reviewer-page is the Lambda function behind /r/{token} (GET, HEAD, POST; 405 otherwise):
// the pages reviewers reach from the links in their emails (no JWT). Its
// environment is pagesfunc.New's.
package main

import (
	"github.com/aws/aws-lambda-go/lambda"

	"github.com/candorhq/candor/shared/clock"
	"github.com/candorhq/candor/shared/httpapi"
	"github.com/candorhq/candor/shared/wire"
	"github.com/candorhq/candor/shared/wire/pagesfunc"
)

func main() {
	env, cfg, logger := wire.Lambda("reviewer-page")
	h, err := pagesfunc.New(env, cfg, clock.System{}, logger)
	wire.Must(logger, "reviewer-page", err)
	lambda.Start(httpapi.NewLambda(h))
}
