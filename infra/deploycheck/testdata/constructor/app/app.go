// Package app holds the constructors of the constructor fixture: one per
// function, in one package, as the functions' constructors will be. Only
// the one main calls counts.
package app

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/ses"

	"github.com/candorhq/candor/shared/clock"
	"github.com/candorhq/candor/shared/envconfig"
)

// sender is the part of SES the mailer uses.
type sender interface {
	SendEmail(context.Context, *ses.SendEmailInput, ...func(*ses.Options)) (*ses.SendEmailOutput, error)
}

// Mailer answers an event with an email.
type Mailer struct {
	ses    sender
	db     *dynamodb.Client
	table  string
	window time.Duration
	clock  clock.Clock
	log    *slog.Logger
}

// NewMailer reads the mailer's environment and builds its clients.
func NewMailer(env *envconfig.Env, cfg aws.Config, clk clock.Clock, log *slog.Logger) (*Mailer, error) {
	m := &Mailer{
		table:  env.Required("FIXTURE_MAILER_TABLE"),
		window: env.Seconds("FIXTURE_MAILER_WINDOW_SECONDS", time.Hour),
		ses:    ses.NewFromConfig(cfg),
		db:     dynamodb.NewFromConfig(cfg),
		clock:  clk,
		log:    log,
	}
	if err := env.Err(); err != nil {
		return nil, fmt.Errorf("new mailer: %w", err)
	}
	return m, nil
}

// Handle sends one email and records it.
func (m *Mailer) Handle(ctx context.Context) error {
	if _, err := m.ses.SendEmail(ctx, &ses.SendEmailInput{}); err != nil {
		return fmt.Errorf("handle: %w", err)
	}
	_, err := m.db.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(m.table)})
	return err
}

// Sweeper is another function's: nothing of it may count for the mailer.
type Sweeper struct{ db *dynamodb.Client }

// NewSweeper reads the sweeper's environment.
func NewSweeper(env *envconfig.Env, cfg aws.Config) *Sweeper {
	_ = env.Required("FIXTURE_SWEEPER_TABLE")
	return &Sweeper{db: dynamodb.NewFromConfig(cfg)}
}

// Sweep deletes an item.
func (s *Sweeper) Sweep(ctx context.Context) error {
	_, err := s.db.DeleteItem(ctx, &dynamodb.DeleteItemInput{})
	return err
}
