// Command sweeper runs every minute (EventBridge Scheduler) and starts every
// workflow whose start was recorded but has not run yet (a failed or
// throttled StartExecution), so nothing accepted waits forever. Its
// environment is sweeperfunc.New's.
package main

import (
	"github.com/aws/aws-lambda-go/lambda"

	"github.com/candorhq/candor/shared/clock"
	"github.com/candorhq/candor/shared/wire"
	"github.com/candorhq/candor/shared/wire/sweeperfunc"
)

func main() {
	env, cfg, logger := wire.Lambda("sweeper")
	sweeper, err := sweeperfunc.New(env, cfg, clock.System{}, logger)
	wire.Must(logger, "sweeper", err)
	lambda.Start(sweeper.Handle)
}
