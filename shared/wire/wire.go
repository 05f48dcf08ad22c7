// Package wire holds what every function's wiring shares: the cold start
// in Lambda (environment, logger, aws.Config), the state machines a
// function starts, and the settings of a function that sends email. Each
// function is built once, by the New of its own package under wire
// (apifunc, pagesfunc, findreviewerfunc, investigationfunc, sanctionfunc, sweeperfunc, webhookfunc),
// which its Lambda main and the local stack both call — so what runs
// locally and in tests is what runs in AWS, and each function links (and
// initialises at its cold start) only what it uses.
package wire

import (
	"log/slog"
	"os"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/candorhq/candor/shared/app"
	"github.com/candorhq/candor/shared/awsconfig"
	"github.com/candorhq/candor/shared/envconfig"
	"github.com/candorhq/candor/shared/logging"
	"github.com/candorhq/candor/shared/moderation"
)

// Lambda reads what every function needs at a cold start in AWS: its
// environment, its logger (LOG_LEVEL) and its aws.Config from Lambda's
// variables. It exits the process, naming every problem, when they are wrong.
func Lambda(name string) (*envconfig.Env, aws.Config, *slog.Logger) {
	env := envconfig.New()
	logger := logging.New(os.Stdout, env.OneOf("LOG_LEVEL", "info", "debug", "info", "warn", "error"))
	cfg, err := awsconfig.FromEnv(os.Getenv)
	Must(logger, name, err)
	slog.SetDefault(logger)
	return env, cfg, logger
}

// Must ends a function's start when err is not nil, logging why.
func Must(logger *slog.Logger, name string, err error) {
	if err != nil {
		logger.Error(name+": cannot start", "err", err)
		os.Exit(1)
	}
}

// Machines reads the state machine ARNs the API and the sweeper start.
func Machines(env *envconfig.Env) map[string]string {
	return map[string]string{
		app.MachineFindReviewer:  env.Required("FIND_REVIEWER_STATE_MACHINE_ARN"),
		app.MachineInvestigation: env.Required("INVESTIGATION_STATE_MACHINE_ARN"),
		app.MachineSanction:      env.Required("SANCTION_STATE_MACHINE_ARN"),
		app.MachineAppeal:        env.Required("APPEAL_STATE_MACHINE_ARN"),
		app.MachineReply:         env.Required("REPLY_STATE_MACHINE_ARN"),
	}
}

// Policy reads the deployment's policy, one environment variable per
// template parameter, each defaulting to moderation.DefaultPolicy's field:
// MAX_REVIEWER_ROUNDS, REPORTS_PER_HOUR, REQUESTS_PER_HOUR, the windows in
// seconds (PROOF_WINDOW_SECONDS, REVIEWER_ACTION_WINDOW_SECONDS,
// DECISION_REMINDER_SECONDS, APPEAL_WINDOW_SECONDS, REPLY_WINDOW_SECONDS,
// REMINDER_AFTER_SECONDS, DOCUMENT_RETENTION_SECONDS) and the misuse rule (MISUSE_MIN_REPORTS,
// MISUSE_UNFOUNDED_PERCENT, MISUSE_WINDOW_MONTHS). The API and the console
// decide under it, so both read the same variables.
func Policy(env *envconfig.Env, hide string) moderation.Policy {
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
