// Package apifunc builds the api function: the HTTP API over the use cases.
package apifunc

import (
	"fmt"
	"log/slog"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/candorhq/candor/shared/api"
	"github.com/candorhq/candor/shared/app"
	"github.com/candorhq/candor/shared/clock"
	"github.com/candorhq/candor/shared/envconfig"
	"github.com/candorhq/candor/shared/store"
	"github.com/candorhq/candor/shared/webhook"
	"github.com/candorhq/candor/shared/wire"
	"github.com/candorhq/candor/shared/wire/documentfunc"
	"github.com/candorhq/candor/shared/wire/webhookfunc"
	"github.com/candorhq/candor/shared/workflow"
)

// New builds the api function's handler: the HTTP API over the use cases.
// Environment: TABLE_NAME, FIND_REVIEWER_STATE_MACHINE_ARN, INVESTIGATION_STATE_MACHINE_ARN,
// SANCTION_STATE_MACHINE_ARN, APPEAL_STATE_MACHINE_ARN, REPLY_STATE_MACHINE_ARN and DOCUMENTS_BUCKET
// (required); HIDE_POLICY (all |
// harmful_only) and the rest of the policy (see wire.Policy; unset:
// moderation.DefaultPolicy); WEBHOOK_TARGETS (public | local).
func New(env *envconfig.Env, cfg aws.Config, c clock.Clock, log *slog.Logger) (*api.API, error) {
	table := env.Required("TABLE_NAME")
	arns := wire.Machines(env)
	hide := env.OneOf("HIDE_POLICY", "all", "all", "harmful_only")
	targets := webhookfunc.Targets(env)
	bucket := env.Required("DOCUMENTS_BUCKET")
	policy := wire.Policy(env, hide)
	if err := env.Err(); err != nil {
		return nil, err
	}
	if err := policy.Check(); err != nil {
		return nil, fmt.Errorf("configuration: %w", err)
	}
	st := store.New(dynamodb.NewFromConfig(cfg), table)
	client := workflow.ClientOnFirstUse(cfg)
	uc := app.New(app.Config{
		Store:   st,
		Clock:   c,
		Policy:  policy,
		Starter: workflow.NewStarter(client, arns),
		Waker:   workflow.NewAnswerer(client),
		Logger:  log,
		// Replies record their webhook events in their own write.
		ReplyEvents: webhook.ReplyEvents{},
	})
	docs := app.NewDocuments(app.DocumentsConfig{Store: st, Objects: documentfunc.Bucket(cfg, bucket), Clock: c, Policy: policy, Logger: log})
	return api.New(api.Config{App: uc, Keys: st, Clock: c, Logger: log, Webhooks: webhook.NewService(st, targets, c), Documents: docs}), nil
}
