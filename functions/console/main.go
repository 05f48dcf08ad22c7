// Command console is the Lambda function behind /console and /console/{proxy+}
// (no JWT authorizer: the console signs agents in itself, through the
// platform's OIDC provider). Its environment is consolefunc.New's, plus
// CONSOLE_SESSION_SECRET_ARN (the Secrets Manager secret the session keys
// are derived from) and CONSOLE_CLIENT_SECRET_ARN (the OIDC client's
// secret; "" for a public client). Neither secret nor the provider is read
// at the cold start: the first request reads them.
package main

import (
	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"

	"github.com/candorhq/candor/shared/clock"
	"github.com/candorhq/candor/shared/httpapi"
	"github.com/candorhq/candor/shared/wire"
	"github.com/candorhq/candor/shared/wire/consolefunc"
)

func main() {
	env, cfg, logger := wire.Lambda("console")
	secrets := consolefunc.SecretsManager{Client: secretsmanager.NewFromConfig(cfg),
		SessionSecret: env.Required("CONSOLE_SESSION_SECRET_ARN"), ClientSecretID: env.Optional("CONSOLE_CLIENT_SECRET_ARN", "")}
	h, err := consolefunc.New(env, cfg, clock.System{}, logger, secrets, consolefunc.Options{})
	wire.Must(logger, "console", err)
	lambda.Start(httpapi.NewLambda(h))
}
