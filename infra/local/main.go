// Command local runs Candor's whole system on one machine: the API on
// 127.0.0.1:3000 and the AWS stand-ins on 127.0.0.1:4566, with a seeded demo
// platform, on a clock that runs with real time and can be moved forward.
// Ctrl-C stops it. `go run ./infra/local -h` explains every flag.
package main

import (
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/candorhq/candor/infra/local/stack"
	"github.com/candorhq/candor/shared/brand"
)

func main() {
	err := run(os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	var usage usageError
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
	case errors.As(err, &usage):
		if !usage.printed {
			fmt.Fprintf(os.Stderr, "candor local: %v\n(go run ./infra/local -h explains every flag)\n", usage.err)
		}
		os.Exit(2)
	default:
		fmt.Fprintln(os.Stderr, "candor local:", err)
		os.Exit(1)
	}
}

// usageError is a command line that cannot be run; printed says whether the
// flag package has already said why.
type usageError struct {
	err     error
	printed bool
}

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

// options are the command line, after the environment's defaults.
type options struct {
	api, aws, secret, hide string
	noSeed                 bool
	logFormat, logLevel    string
	data                   string
}

const usageHead = `Usage: go run ./infra/local [flags]

Runs Candor on this machine: every function behind a local API Gateway, with
DynamoDB, Step Functions and SES stand-ins on one AWS endpoint. The clock runs
with real time; POST /_local/clock moves it forward. The banner on start lists
the URLs and ready-to-paste tokens.

Examples:
  go run ./infra/local                          the demo platform, state in memory only
  go run ./infra/local -data .candor            keep the state in .candor between runs
  go run ./infra/local -no-seed -log-format json -log-level debug
  go run ./infra/local -api 127.0.0.1:3100 -aws 127.0.0.1:4600   other ports

With -data, the DynamoDB table, the mailbox, the clock and the Step Functions
executions are saved to DIR/state.json when the stack stops (Ctrl-C) and loaded
when it starts (the demo platform is seeded only into a new directory): running
executions resume where they waited, with the same task tokens and deadlines.
docs/local-stack.md has the details.

Flags (an environment variable, where named, sets the default):
`

// parse reads the flags, taking defaults from getenv, and checks them.
func parse(args []string, getenv func(string) string, stdout, stderr io.Writer) (options, error) {
	envOr := func(name, def string) string {
		if v := getenv(name); v != "" {
			return v
		}
		return def
	}
	var o options
	fs := flag.NewFlagSet("local", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.api, "api", envOr("CANDOR_LOCAL_ADDR", "127.0.0.1:3000"),
		"`address` the API listens on, with /docs, /openapi.yaml, /_local/mail, /_local/clock and /_local/faults (env CANDOR_LOCAL_ADDR)")
	fs.StringVar(&o.aws, "aws", envOr("CANDOR_LOCAL_AWS_ADDR", "127.0.0.1:4566"),
		"`address` of the AWS endpoint (DynamoDB, Step Functions, SES) for the AWS CLI and SDKs (env CANDOR_LOCAL_AWS_ADDR)")
	fs.StringVar(&o.secret, "jwt-secret", envOr("CANDOR_LOCAL_JWT_SECRET", "candor-local-secret"),
		"HS256 `key` that signs and checks local tokens (env CANDOR_LOCAL_JWT_SECRET)")
	fs.StringVar(&o.hide, "hide-policy", envOr("HIDE_POLICY", "all"),
		"`policy` of reported reviews: all (every report hides the review) or harmful_only (env HIDE_POLICY)")
	fs.BoolVar(&o.noSeed, "no-seed", false, "start with an empty platform instead of the demo businesses and reviews")
	fs.StringVar(&o.data, "data", getenv("CANDOR_LOCAL_DATA"),
		"`dir`ectory that keeps the table, the mailbox and the clock between runs (created if missing; default: memory only) (env CANDOR_LOCAL_DATA)")
	fs.StringVar(&o.logFormat, "log-format", envOr("CANDOR_LOCAL_LOG_FORMAT", "text"),
		"`format` of the logs on stderr: text (readable in a terminal) or json (as the functions log in AWS) (env CANDOR_LOCAL_LOG_FORMAT)")
	fs.StringVar(&o.logLevel, "log-level", envOr("LOG_LEVEL", "info"), "least `level` logged: debug, info, warn or error (env LOG_LEVEL)")
	usage := func(w io.Writer) {
		fmt.Fprint(w, usageHead)
		fs.SetOutput(w)
		fs.PrintDefaults()
	}
	fs.Usage = func() {} // written below: -h to stdout, mistakes to stderr
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			usage(stdout)
			return o, err
		}
		usage(stderr)
		return o, usageError{err: err, printed: true}
	}
	var bad []string
	if fs.NArg() > 0 {
		bad = append(bad, fmt.Sprintf("unexpected argument %q (flags only; see -h)", fs.Arg(0)))
	}
	if o.hide != "all" && o.hide != "harmful_only" {
		bad = append(bad, fmt.Sprintf("-hide-policy %q: must be all or harmful_only", o.hide))
	}
	if o.logFormat != "text" && o.logFormat != "json" {
		bad = append(bad, fmt.Sprintf("-log-format %q: must be text or json", o.logFormat))
	}
	if _, ok := levels[o.logLevel]; !ok {
		bad = append(bad, fmt.Sprintf("-log-level %q: must be debug, info, warn or error", o.logLevel))
	}
	if o.secret == "" {
		bad = append(bad, "-jwt-secret: must not be empty")
	}
	if len(bad) > 0 {
		return o, usageError{err: errors.New(strings.Join(bad, "; "))}
	}
	return o, nil
}

var levels = map[string]slog.Level{"debug": slog.LevelDebug, "info": slog.LevelInfo, "warn": slog.LevelWarn, "error": slog.LevelError}

// newLogger writes to w in the chosen format.
func newLogger(w io.Writer, format, level string) *slog.Logger {
	opts := &slog.HandlerOptions{Level: levels[level]}
	if format == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(newTerminalHandler(w, opts))
}

func run(args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	o, err := parse(args, getenv, stdout, stderr)
	if err != nil {
		return err
	}
	logger := newLogger(stderr, o.logFormat, o.logLevel)
	// The platform's name and logo, as the template's PlatformName and
	// PlatformLogoUrl give them to the functions.
	platform, err := brand.New(cmp.Or(getenv(brand.EnvName), brand.DefaultName), getenv(brand.EnvLogoURL))
	if err != nil {
		return fmt.Errorf("%s/%s: %w", brand.EnvName, brand.EnvLogoURL, err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	s, err := stack.Start(ctx, stack.Config{APIAddr: o.api, AWSAddr: o.aws, JWTSecret: o.secret, HidePolicy: o.hide,
		RealTime: true, Seed: !o.noSeed, DataDir: o.data, Logger: logger, Brand: platform})
	if err != nil {
		return err
	}
	stack.Banner(stdout, s)
	<-ctx.Done()
	fmt.Fprintln(stdout, "\nstopping…")
	s.Close()
	if err := s.SaveErr(); err != nil {
		return err
	}
	if o.data != "" {
		fmt.Fprintf(stdout, "state saved in %s\n", o.data)
	}
	return nil
}
