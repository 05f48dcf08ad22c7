// Command sanction-tasks is the Lambda function behind every task of the
// sanction state machine (statemachines/sanction.asl.json). Its
// environment is sanctionfunc.New's.
package main

import (
	"github.com/aws/aws-lambda-go/lambda"

	"github.com/candorhq/candor/shared/clock"
	"github.com/candorhq/candor/shared/wire"
	"github.com/candorhq/candor/shared/wire/sanctionfunc"
)

func main() {
	env, cfg, logger := wire.Lambda("sanction-tasks")
	tasks, err := sanctionfunc.New(env, cfg, clock.System{}, logger)
	wire.Must(logger, "sanction-tasks", err)
	lambda.Start(tasks.Handle)
}
