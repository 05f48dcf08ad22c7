// Command investigation-tasks is the Lambda function behind every task of the
// investigation state machine (statemachines/investigation.asl.json). Its
// environment is wire.InvestigationTasks's.
package main

import (
	"github.com/aws/aws-lambda-go/lambda"

	"github.com/candorhq/candor/shared/clock"
	"github.com/candorhq/candor/shared/wire"
)

func main() {
	env, cfg, logger := wire.Lambda("investigation-tasks")
	tasks, err := wire.InvestigationTasks(env, cfg, clock.System{}, logger)
	wire.Must(logger, "investigation-tasks", err)
	lambda.Start(tasks.Handle)
}
