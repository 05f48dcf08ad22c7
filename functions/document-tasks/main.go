// Command document-tasks records GuardDuty Malware Protection for S3's
// scan results of the documents bucket (an EventBridge rule on the default
// bus) and, every hour (EventBridge Scheduler, input {"task":"retention"}),
// deletes the documents whose retention ended. Its environment is
// documentfunc.New's.
package main

import (
	"github.com/aws/aws-lambda-go/lambda"

	"github.com/candorhq/candor/shared/clock"
	"github.com/candorhq/candor/shared/wire"
	"github.com/candorhq/candor/shared/wire/documentfunc"
)

func main() {
	env, cfg, logger := wire.Lambda("document-tasks")
	h, err := documentfunc.New(env, cfg, clock.System{}, logger)
	wire.Must(logger, "document-tasks", err)
	lambda.Start(h.Handle)
}
