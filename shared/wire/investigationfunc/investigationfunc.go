// Package investigationfunc builds the investigation-tasks function.
package investigationfunc

import (
	"log/slog"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/sfn"

	"github.com/candorhq/candor/shared/clock"
	"github.com/candorhq/candor/shared/envconfig"
	"github.com/candorhq/candor/shared/investigation"
	"github.com/candorhq/candor/shared/mail"
	"github.com/candorhq/candor/shared/store"
)

// New builds the investigation-tasks function's handler: the
// tasks of statemachines/investigation.asl.json. Environment: TABLE_NAME,
// PUBLIC_BASE_URL, SENDER_ADDRESS.
func New(env *envconfig.Env, cfg aws.Config, c clock.Clock, log *slog.Logger) (*investigation.Tasks, error) {
	table := env.Required("TABLE_NAME")
	sender, links, err := mail.SenderFromEnv(env, cfg)
	if err != nil {
		return nil, err
	}
	return investigation.New(store.New(dynamodb.NewFromConfig(cfg), table), sender, links, sfn.NewFromConfig(cfg), c, log), nil
}
