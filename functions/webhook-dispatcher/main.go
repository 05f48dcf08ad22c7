// Command webhook-dispatcher runs every minute (EventBridge Scheduler) and
// sends the webhook deliveries that are due: new events and the retries
// whose backoff has passed (docs/webhooks.md). Its environment is
// webhookfunc.New's.
package main

import (
	"github.com/aws/aws-lambda-go/lambda"

	"github.com/candorhq/candor/shared/clock"
	"github.com/candorhq/candor/shared/wire"
	"github.com/candorhq/candor/shared/wire/webhookfunc"
)

func main() {
	env, cfg, logger := wire.Lambda("webhook-dispatcher")
	d, err := webhookfunc.New(env, cfg, clock.System{}, logger)
	wire.Must(logger, "webhook-dispatcher", err)
	lambda.Start(d.Handle)
}
