// Package apifunc builds the api function: the HTTP API over the use cases.
package apifunc

import (
	"fmt"
	"log/slog"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/sfn"

	"github.com/candorhq/candor/shared/api"
	"github.com/candorhq/candor/shared/app"
	"github.com/candorhq/candor/shared/clock"
	"github.com/candorhq/candor/shared/envconfig"
	"github.com/candorhq/candor/shared/moderation"
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
// harmful_only) and the rest of the policy (see policyFrom; unset:
// moderation.DefaultPolicy); WEBHOOK_TARGETS (public | local).
func New(env *envconfig.Env, cfg aws.Config, c clock.Clock, log *slog.Logger) (*api.API, error) {
	table := env.Required("TABLE_NAME")
	arns := wire.Machines(env)
	hide := env.OneOf("HIDE_POLICY", "all", "all", "harmful_only")
	targets := webhookfunc.Targets(env)
	bucket := env.Required("DOCUMENTS_BUCKET")
	policy := policyFrom(env, hide)
	if err := env.Err(); err != nil {
		return nil, err
	}
	if err := policy.Check(); err != nil {
		return nil, fmt.Errorf("configuration: %w", err)
	}
	st := store.New(dynamodb.NewFromConfig(cfg), table)
	client := sfn.NewFromConfig(cfg)
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

// policyFrom reads the deployment's policy, one environment variable per
// template parameter, each defaulting to moderation.DefaultPolicy's field:
// MAX_REVIEWER_ROUNDS, REPORTS_PER_HOUR, REQUESTS_PER_HOUR, the windows in
// seconds (PROOF_WINDOW_SECONDS, REVIEWER_ACTION_WINDOW_SECONDS,
// DECISION_REMINDER_SECONDS, APPEAL_WINDOW_SECONDS, REPLY_WINDOW_SECONDS,
// REMINDER_AFTER_SECONDS, DOCUMENT_RETENTION_SECONDS) and the misuse rule (MISUSE_MIN_REPORTS,
// MISUSE_UNFOUNDED_PERCENT, MISUSE_WINDOW_MONTHS).
func policyFrom(env *envconfig.Env, hide string) moderation.Policy {
	def := moderation.DefaultPolicy
	return moderation.Policy{
		HideHarmfulOnly:           hide == "harmful_only",
		ProofWindow:               env.Seconds("PROOF_WINDOW_SECONDS", def.ProofWindow),
		ReviewerActionWindow:      env.Seconds("REVIEWER_ACTION_WINDOW_SECONDS", def.ReviewerActionWindow),
		MaxReviewerRounds:         env.Int("MAX_REVIEWER_ROUNDS", def.MaxReviewerRounds),
		DecisionReminder:          env.Seconds("DECISION_REMINDER_SECONDS", def.DecisionReminder),
		AppealWindow:              env.Seconds("APPEAL_WINDOW_SECONDS", def.AppealWindow),
		FindReviewerReplyWindow:   env.Seconds("REPLY_WINDOW_SECONDS", def.FindReviewerReplyWindow),
		FindReviewerReminderAfter: env.Seconds("REMINDER_AFTER_SECONDS", def.FindReviewerReminderAfter),
		ReportsPerHour:            env.Int("REPORTS_PER_HOUR", def.ReportsPerHour),
		RequestsPerHour:           env.Int("REQUESTS_PER_HOUR", def.RequestsPerHour),
		Misuse: moderation.MisuseRule{MinReports: env.Int("MISUSE_MIN_REPORTS", def.Misuse.MinReports),
			UnfoundedShare: float64(env.Int("MISUSE_UNFOUNDED_PERCENT", int(def.Misuse.UnfoundedShare*100))) / 100,
			WindowMonths:   env.Int("MISUSE_WINDOW_MONTHS", def.Misuse.WindowMonths)},
		DocumentRetention: env.Seconds("DOCUMENT_RETENTION_SECONDS", def.DocumentRetention),
	}
}
