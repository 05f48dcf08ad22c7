// Package wire builds each of Candor's functions once, from its
// environment, an aws.Config, a clock and a logger. The Lambda mains
// (functions/*) and the local stack (infra/local/stack) call the same
// constructors, so what runs locally and in tests is what runs in AWS.
package wire

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/sfn"

	"github.com/candorhq/candor/shared/api"
	"github.com/candorhq/candor/shared/app"
	"github.com/candorhq/candor/shared/awsconfig"
	"github.com/candorhq/candor/shared/clock"
	"github.com/candorhq/candor/shared/envconfig"
	"github.com/candorhq/candor/shared/findreviewer"
	"github.com/candorhq/candor/shared/investigation"
	"github.com/candorhq/candor/shared/logging"
	"github.com/candorhq/candor/shared/mail"
	"github.com/candorhq/candor/shared/moderation"
	"github.com/candorhq/candor/shared/reviewerpage"
	"github.com/candorhq/candor/shared/store"
	"github.com/candorhq/candor/shared/workflow"
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

// machines reads the state machine ARNs the API and the sweeper start.
func machines(env *envconfig.Env) map[string]string {
	return map[string]string{
		app.MachineFindReviewer:  env.Required("FIND_REVIEWER_STATE_MACHINE_ARN"),
		app.MachineInvestigation: env.Required("INVESTIGATION_STATE_MACHINE_ARN"),
	}
}

// API builds the api function's handler: the HTTP API over the use cases.
// Environment: TABLE_NAME, FIND_REVIEWER_STATE_MACHINE_ARN and
// INVESTIGATION_STATE_MACHINE_ARN (required); HIDE_POLICY (all |
// harmful_only), MAX_REVIEWER_ROUNDS and the policy windows in seconds
// (REPLY_WINDOW_SECONDS, REMINDER_AFTER_SECONDS, REVIEWER_RESPONSE_SECONDS,
// DECISION_REMINDER_SECONDS).
func API(env *envconfig.Env, cfg aws.Config, c clock.Clock, log *slog.Logger) (*api.API, error) {
	table := env.Required("TABLE_NAME")
	arns := machines(env)
	hide := env.OneOf("HIDE_POLICY", "all", "all", "harmful_only")
	rounds := env.Int("MAX_REVIEWER_ROUNDS", moderation.MaxReviewerRounds)
	windows := app.Windows{
		Reply:            env.Seconds("REPLY_WINDOW_SECONDS", app.DefaultWindows.Reply),
		ReminderAfter:    env.Seconds("REMINDER_AFTER_SECONDS", app.DefaultWindows.ReminderAfter),
		ReviewerResponse: env.Seconds("REVIEWER_RESPONSE_SECONDS", app.DefaultWindows.ReviewerResponse),
		DecisionReminder: env.Seconds("DECISION_REMINDER_SECONDS", app.DefaultWindows.DecisionReminder),
	}
	if err := env.Err(); err != nil {
		return nil, err
	}
	if windows.ReminderAfter >= windows.Reply {
		return nil, fmt.Errorf("configuration: REMINDER_AFTER_SECONDS (%s) must be shorter than REPLY_WINDOW_SECONDS (%s)", windows.ReminderAfter, windows.Reply)
	}
	st := store.New(dynamodb.NewFromConfig(cfg), table)
	client := sfn.NewFromConfig(cfg)
	uc := app.New(app.Config{
		Store:   st,
		Clock:   c,
		Policy:  moderation.Policy{HideHarmfulOnly: hide == "harmful_only", MaxReviewerRounds: rounds},
		Windows: windows,
		Starter: workflow.NewStarter(client, arns),
		Waker:   workflow.NewAnswerer(client),
		Logger:  log,
	})
	return api.New(api.Config{App: uc, Keys: st, Clock: c, Logger: log}), nil
}

// ReviewerPage builds the reviewer-page function's handler: the pages of
// the reviewers' links. Environment: TABLE_NAME.
func ReviewerPage(env *envconfig.Env, cfg aws.Config, c clock.Clock, log *slog.Logger) (*reviewerpage.Handler, error) {
	table := env.Required("TABLE_NAME")
	if err := env.Err(); err != nil {
		return nil, err
	}
	uc := app.New(app.Config{Store: store.New(dynamodb.NewFromConfig(cfg), table), Clock: c,
		Waker: workflow.NewAnswerer(sfn.NewFromConfig(cfg)), Logger: log})
	return reviewerpage.New(pages{uc}, reviewerpage.Options{Logger: log, Clock: c}), nil
}

// mailer reads the settings of a function that sends email.
func mailer(env *envconfig.Env, cfg aws.Config) (*mail.Sender, mail.Links, error) {
	base := env.Required("PUBLIC_BASE_URL")
	from := env.Required("SENDER_ADDRESS")
	if err := env.Err(); err != nil {
		return nil, mail.Links{}, err
	}
	return mail.NewSESSender(cfg, base, from)
}

// FindReviewerTasks builds the find-reviewer-tasks function's handler: the
// tasks of statemachines/find-reviewer.asl.json. Environment: TABLE_NAME,
// PUBLIC_BASE_URL, SENDER_ADDRESS.
func FindReviewerTasks(env *envconfig.Env, cfg aws.Config, c clock.Clock, log *slog.Logger) (*findreviewer.Tasks, error) {
	table := env.Required("TABLE_NAME")
	sender, links, err := mailer(env, cfg)
	if err != nil {
		return nil, err
	}
	return findreviewer.New(store.New(dynamodb.NewFromConfig(cfg), table), sender, links, sfn.NewFromConfig(cfg), c, log), nil
}

// InvestigationTasks builds the investigation-tasks function's handler: the
// tasks of statemachines/investigation.asl.json. Environment: TABLE_NAME,
// PUBLIC_BASE_URL, SENDER_ADDRESS.
func InvestigationTasks(env *envconfig.Env, cfg aws.Config, c clock.Clock, log *slog.Logger) (*investigation.Tasks, error) {
	table := env.Required("TABLE_NAME")
	sender, links, err := mailer(env, cfg)
	if err != nil {
		return nil, err
	}
	return investigation.New(store.New(dynamodb.NewFromConfig(cfg), table), sender, links, sfn.NewFromConfig(cfg), c, log), nil
}

// Sweeper is the sweeper function: every minute it starts each recorded
// workflow start older than its grace period.
type Sweeper struct {
	store   *store.Store
	starter *workflow.Starter
	clock   clock.Clock
	grace   time.Duration
	log     *slog.Logger
}

// NewSweeper builds the sweeper function. Environment: TABLE_NAME,
// FIND_REVIEWER_STATE_MACHINE_ARN, INVESTIGATION_STATE_MACHINE_ARN
// (required), SWEEP_GRACE_SECONDS (default 60).
func NewSweeper(env *envconfig.Env, cfg aws.Config, c clock.Clock, log *slog.Logger) (*Sweeper, error) {
	table := env.Required("TABLE_NAME")
	arns := machines(env)
	grace := env.Seconds("SWEEP_GRACE_SECONDS", time.Minute)
	if err := env.Err(); err != nil {
		return nil, err
	}
	return &Sweeper{store: store.New(dynamodb.NewFromConfig(cfg), table), starter: workflow.NewStarter(sfn.NewFromConfig(cfg), arns),
		clock: c, grace: grace, log: log}, nil
}

// Handle runs one sweep and says how many workflows it started.
func (s *Sweeper) Handle(ctx context.Context) (map[string]int, error) {
	n, err := workflow.Sweep(ctx, s.store, s.starter, s.clock.Now(), s.grace, s.log)
	return map[string]int{"started": n}, err
}
