// Package webhookfunc builds the webhook-dispatcher function and reads the
// webhook settings the other functions share.
package webhookfunc

import (
	"context"
	"log/slog"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/candorhq/candor/shared/clock"
	"github.com/candorhq/candor/shared/envconfig"
	"github.com/candorhq/candor/shared/store"
	"github.com/candorhq/candor/shared/webhook"
)

// Targets reads WEBHOOK_TARGETS: "public" (deployed stages: https to public
// addresses only) or "local" (the local stack: http and loopback too).
func Targets(env *envconfig.Env) webhook.Targets {
	return webhook.Targets{Local: env.OneOf("WEBHOOK_TARGETS", "public", "public", "local") == "local"}
}

// Dispatcher is the webhook-dispatcher function: every minute it sends the
// deliveries that are due.
type Dispatcher struct {
	d *webhook.Dispatcher
}

// New builds the webhook-dispatcher function. Environment: TABLE_NAME
// (required), WEBHOOK_TARGETS (public | local, default public),
// WEBHOOK_TIMEOUT_MS (one attempt's limit, default 10000).
func New(env *envconfig.Env, cfg aws.Config, c clock.Clock, log *slog.Logger) (*Dispatcher, error) {
	table := env.Required("TABLE_NAME")
	targets := Targets(env)
	targets.Timeout = time.Duration(env.Int("WEBHOOK_TIMEOUT_MS", int(webhook.DeliveryTimeout/time.Millisecond))) * time.Millisecond
	if err := env.Err(); err != nil {
		return nil, err
	}
	st := store.New(dynamodb.NewFromConfig(cfg), table)
	return &Dispatcher{d: webhook.NewDispatcher(st, targets.Client(), c, log)}, nil
}

// Handle runs one dispatch and says what it did.
func (d *Dispatcher) Handle(ctx context.Context) (webhook.Result, error) {
	return d.d.Run(ctx)
}

// HandleFor runs a dispatch of the named businesses' queues and of those
// whose events it fans out (webhook.Dispatcher.RunFor): the local stack's
// dispatch after a request.
func (d *Dispatcher) HandleFor(ctx context.Context, businessIDs ...string) (webhook.Result, error) {
	return d.d.RunFor(ctx, businessIDs...)
}
