// Command constructor is what TestAnalyzeFollowsConstructors reads: a thin
// main, as every function's will be, that hands its environment, an
// aws.Config, a clock and a logger to a constructor in another package of
// the module, which reads the variables and performs the AWS operations.
package main

import (
	"log/slog"
	"os"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/candorhq/candor/infra/deploycheck/testdata/constructor/app"
	"github.com/candorhq/candor/shared/awsconfig"
	"github.com/candorhq/candor/shared/clock"
	"github.com/candorhq/candor/shared/envconfig"
)

func main() {
	logger := slog.New(slog.NewJSONHandler(os.Stdout, nil))
	cfg, err := awsconfig.FromEnv(os.Getenv)
	if err != nil {
		os.Exit(1)
	}
	h, err := app.NewMailer(envconfig.New(), cfg, clock.System{}, logger)
	if err != nil {
		os.Exit(1)
	}
	lambda.Start(h.Handle)
}
