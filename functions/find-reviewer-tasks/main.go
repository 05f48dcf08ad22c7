// Command find-reviewer-tasks is the Lambda function behind every task of the
// Find Reviewer state machine (statemachines/find-reviewer.asl.json). Its
// environment is findreviewerfunc.New's.
package main

import (
	"github.com/aws/aws-lambda-go/lambda"

	"github.com/candorhq/candor/shared/clock"
	"github.com/candorhq/candor/shared/wire"
	"github.com/candorhq/candor/shared/wire/findreviewerfunc"
)

func main() {
	env, cfg, logger := wire.Lambda("find-reviewer-tasks")
	tasks, err := findreviewerfunc.New(env, cfg, clock.System{}, logger)
	wire.Must(logger, "find-reviewer-tasks", err)
	lambda.Start(tasks.Handle)
}
