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
)

// Lambda reads what every function needs at a cold start in AWS: its
// environment, its logger (LOG_LEVEL) and its aws.Config from Lambda's
// variables. It exits the process, naming every problem, when they are wrong.
func Lambda(name string) (*envconfig.Env, aws.Config, *slog.Logger) {
	reserveStack()
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

// stackReserve is how much stack the calling goroutine is grown to at a cold
// start: more than a first AWS call through the SDK's middleware uses.
const stackReserve = 64 << 10

// reserveStack grows the calling goroutine's stack (Lambda's handler runs
// on the main goroutine) once, while it holds a few frames, to stackReserve
// and more. Otherwise it starts small and the first AWS call grows it by
// doubling, each time copying and adjusting every frame of the SDK's deep
// middleware chain: about 0.1 million instructions of a cold start. The
// stack stays grown until a garbage collection finds most of it unused.
//
//go:noinline
func reserveStack() byte {
	var buf [stackReserve]byte
	return touchStack(buf[:])
}

// touchStack writes to the reserved stack, so that the compiler keeps it.
//
//go:noinline
func touchStack(b []byte) byte {
	b[len(b)-1] = 1
	return b[0]
}
