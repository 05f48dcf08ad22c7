// Command investigation-tasks is the Lambda function behind every task of the
// investigation state machine (statemachines/investigation.asl.json). Its
// environment is investigationfunc.New's.
package main

import (
	"github.com/aws/aws-lambda-go/lambda"

	"github.com/candorhq/candor/shared/clock"
	"github.com/candorhq/candor/shared/wire"
	"github.com/candorhq/candor/shared/wire/investigationfunc"
)

func main() {
	env, cfg, logger := wire.Lambda("investigation-tasks")
	tasks, err := investigationfunc.New(env, cfg, clock.System{}, logger)
	wire.Must(logger, "investigation-tasks", err)
	lambda.Start(tasks.Handle)
}
