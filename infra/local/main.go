// Command local runs Candor's whole system on one machine: the API on
// 127.0.0.1:3000 and the AWS stand-ins on 127.0.0.1:4566, with a seeded demo
// platform. Ctrl-C stops it.
//
//	go run ./infra/local [-api 127.0.0.1:3000] [-aws 127.0.0.1:4566]
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/candorhq/candor/infra/local/stack"
)

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "candor local:", err)
		os.Exit(1)
	}
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

func run(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("local", flag.ContinueOnError)
	fs.SetOutput(stderr)
	apiAddr := fs.String("api", envOr("CANDOR_LOCAL_ADDR", "127.0.0.1:3000"), "address of the API (env CANDOR_LOCAL_ADDR)")
	awsAddr := fs.String("aws", envOr("CANDOR_LOCAL_AWS_ADDR", "127.0.0.1:4566"), "address of the AWS stand-ins (env CANDOR_LOCAL_AWS_ADDR)")
	secret := fs.String("jwt-secret", envOr("CANDOR_LOCAL_JWT_SECRET", "candor-local-secret"), "HS256 secret of local tokens (env CANDOR_LOCAL_JWT_SECRET)")
	hide := fs.String("hide-policy", envOr("HIDE_POLICY", "all"), "all | harmful_only (env HIDE_POLICY)")
	noSeed := fs.Bool("no-seed", false, "start with an empty platform")
	if err := fs.Parse(args); err != nil {
		return err
	}
	logger := slog.New(slog.NewJSONHandler(stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	s, err := stack.Start(ctx, stack.Config{APIAddr: *apiAddr, AWSAddr: *awsAddr, JWTSecret: *secret, HidePolicy: *hide,
		RealTime: true, Seed: !*noSeed, Logger: logger})
	if err != nil {
		return err
	}
	stack.Banner(stdout, s)
	<-ctx.Done()
	fmt.Fprintln(stdout, "\nstopping…")
	s.Close()
	return nil
}
