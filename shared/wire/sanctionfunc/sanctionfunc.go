// Package sanctionfunc builds the sanction-tasks function.
package sanctionfunc

import (
	"log/slog"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/candorhq/candor/shared/clock"
	"github.com/candorhq/candor/shared/envconfig"
	"github.com/candorhq/candor/shared/mail"
	"github.com/candorhq/candor/shared/sanction"
	"github.com/candorhq/candor/shared/store"
	"github.com/candorhq/candor/shared/webhook"
)

// New builds the sanction-tasks function's handler: the tasks of
// statemachines/sanction.asl.json. Environment: TABLE_NAME,
// PUBLIC_BASE_URL, SENDER_ADDRESS, BUSINESS_REPORT_URL, BUSINESS_REQUEST_URL,
// and the brand its emails name, PLATFORM_NAME and PLATFORM_LOGO_URL
// (mail.SenderFromEnv). A business with webhooks also gets the
// reporting.* events (webhook.Sanctioned, webhook.ReportingReopened).
func New(env *envconfig.Env, cfg aws.Config, c clock.Clock, log *slog.Logger) (*sanction.Tasks, error) {
	table := env.Required("TABLE_NAME")
	sender, _, err := mail.SenderFromEnv(env, cfg)
	if err != nil {
		return nil, err
	}
	st := store.New(dynamodb.NewFromConfig(cfg), table)
	return sanction.New(st, sender, webhook.NewOutbox(st), c, log), nil
}
