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
	"github.com/candorhq/candor/shared/wire/webhookfunc"
	"github.com/candorhq/candor/shared/workflow"
)

// New builds the api function's handler: the HTTP API over the use cases.
// Environment: TABLE_NAME, FIND_REVIEWER_STATE_MACHINE_ARN, INVESTIGATION_STATE_MACHINE_ARN
// and SANCTION_STATE_MACHINE_ARN (required); HIDE_POLICY (all |
// harmful_only), MAX_REVIEWER_ROUNDS, the hourly limits per business
// REPORTS_PER_HOUR and REQUESTS_PER_HOUR (default 30 each) and the policy windows in seconds
// (REPLY_WINDOW_SECONDS, REMINDER_AFTER_SECONDS, REVIEWER_RESPONSE_SECONDS,
// DECISION_REMINDER_SECONDS, APPEAL_WINDOW_SECONDS); the misuse rule that
// proposes warnings (MISUSE_MIN_REPORTS, MISUSE_UNFOUNDED_PERCENT,
// MISUSE_WINDOW_MONTHS; default 10, 70, 12); WEBHOOK_TARGETS (public | local).
func New(env *envconfig.Env, cfg aws.Config, c clock.Clock, log *slog.Logger) (*api.API, error) {
	table := env.Required("TABLE_NAME")
	arns := wire.Machines(env)
	hide := env.OneOf("HIDE_POLICY", "all", "all", "harmful_only")
	rounds := env.Int("MAX_REVIEWER_ROUNDS", moderation.MaxReviewerRounds)
	targets := webhookfunc.Targets(env)
	reportsPerHour := env.Int("REPORTS_PER_HOUR", moderation.DefaultReportsPerHour)
	requestsPerHour := env.Int("REQUESTS_PER_HOUR", moderation.DefaultRequestsPerHour)
	def := moderation.DefaultMisuseRule
	misuse := moderation.MisuseRule{MinReports: env.Int("MISUSE_MIN_REPORTS", def.MinReports),
		UnfoundedShare: float64(env.Int("MISUSE_UNFOUNDED_PERCENT", int(def.UnfoundedShare*100))) / 100,
		WindowMonths:   env.Int("MISUSE_WINDOW_MONTHS", def.WindowMonths)}
	windows := app.Windows{
		Reply:            env.Seconds("REPLY_WINDOW_SECONDS", app.DefaultWindows.Reply),
		ReminderAfter:    env.Seconds("REMINDER_AFTER_SECONDS", app.DefaultWindows.ReminderAfter),
		ReviewerResponse: env.Seconds("REVIEWER_RESPONSE_SECONDS", app.DefaultWindows.ReviewerResponse),
		DecisionReminder: env.Seconds("DECISION_REMINDER_SECONDS", app.DefaultWindows.DecisionReminder),
		Appeal:           env.Seconds("APPEAL_WINDOW_SECONDS", app.DefaultWindows.Appeal),
	}
	if err := env.Err(); err != nil {
		return nil, err
	}
	if !misuse.Valid() {
		return nil, fmt.Errorf("configuration: the misuse rule (MISUSE_MIN_REPORTS %d, MISUSE_UNFOUNDED_PERCENT %.0f, MISUSE_WINDOW_MONTHS %d) needs at least 1 report, 1 to 100 %% and 1 to %d months",
			misuse.MinReports, misuse.UnfoundedShare*100, misuse.WindowMonths, moderation.WindowMonths)
	}
	if windows.ReminderAfter >= windows.Reply {
		return nil, fmt.Errorf("configuration: REMINDER_AFTER_SECONDS (%s) must be shorter than REPLY_WINDOW_SECONDS (%s)", windows.ReminderAfter, windows.Reply)
	}
	policy := moderation.Policy{HideHarmfulOnly: hide == "harmful_only", MaxReviewerRounds: rounds,
		ReportsPerHour: reportsPerHour, RequestsPerHour: requestsPerHour, Misuse: misuse}
	st := store.New(dynamodb.NewFromConfig(cfg), table)
	client := sfn.NewFromConfig(cfg)
	uc := app.New(app.Config{
		Store:   st,
		Clock:   c,
		Policy:  policy,
		Windows: windows,
		Starter: workflow.NewStarter(client, arns),
		Waker:   workflow.NewAnswerer(client),
		Logger:  log,
	})
	return api.New(api.Config{App: uc, Keys: st, Clock: c, Logger: log, Webhooks: webhook.NewService(st, targets, c)}), nil
}
