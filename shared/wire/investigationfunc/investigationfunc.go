// Package investigationfunc builds the investigation-tasks function.
package investigationfunc

import (
	"log/slog"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/candorhq/candor/shared/clock"
	"github.com/candorhq/candor/shared/envconfig"
	"github.com/candorhq/candor/shared/investigation"
	"github.com/candorhq/candor/shared/mail"
	"github.com/candorhq/candor/shared/store"
	"github.com/candorhq/candor/shared/webhook"
	"github.com/candorhq/candor/shared/workflow"
)

// New builds the investigation-tasks function's handler: the
// tasks of statemachines/investigation.asl.json. Environment: TABLE_NAME,
// PUBLIC_BASE_URL, SENDER_ADDRESS, BUSINESS_REPORT_URL, BUSINESS_REQUEST_URL,
// and the brand its emails name, PLATFORM_NAME and PLATFORM_LOGO_URL
// (mail.SenderFromEnv).
// Its tasks emit the webhook events of their changes (docs/webhooks.md).
func New(env *envconfig.Env, cfg aws.Config, c clock.Clock, log *slog.Logger) (*investigation.Tasks, error) {
	table := env.Required("TABLE_NAME")
	sender, links, err := mail.SenderFromEnv(env, cfg)
	if err != nil {
		return nil, err
	}
	st := store.New(dynamodb.NewFromConfig(cfg), table)
	return investigation.New(st, sender, links, workflow.ClientOnFirstUse(cfg), c, log).WithEvents(webhook.NewOutbox(st)), nil
}
