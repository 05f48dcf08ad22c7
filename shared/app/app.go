// Package app holds Candor's use cases: everything a business, the platform,
// a compliance agent, the public or a reviewer (through a link) can do, as
// methods that take domain values and return domain values. It knows no HTTP
// and no AWS: the HTTP API (package api) and the reviewer pages decode,
// call a use case and encode; the store (package store) and the workflow
// adapter (package workflow) implement the ports declared here.
//
// The layers: functions → api/reviewerpage → app → moderation (the domain),
// with store and workflow as adapters of app's ports.
package app

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"

	"github.com/candorhq/candor/shared/clock"
	"github.com/candorhq/candor/shared/moderation"
)

// Actor is who asks: the JWT's subject, its role and, for a business, the
// business it acts for.
type Actor struct {
	Subject    string
	Role       string
	BusinessID string
}

// The roles an Actor can have (the JWT's "role" claim).
const (
	RoleBusiness   = "business"
	RoleCompliance = "compliance"
	RolePlatform   = "platform"
)

// audit is how the actor appears in audit trails: "business:<id>:<sub>",
// "agent:<sub>" or "platform".
func (a Actor) audit() string {
	switch a.Role {
	case RoleBusiness:
		return "business:" + a.BusinessID + ":" + a.Subject
	case RoleCompliance:
		return "agent:" + a.Subject
	}
	return "platform"
}

// Starter starts a recorded workflow at once. A failure is not the caller's:
// the start is recorded with the object, and the sweeper retries it.
type Starter interface {
	Start(ctx context.Context, w WorkflowStart) error
}

// Waker answers a waiting workflow task with output (SendTaskSuccess). It
// returns ErrTaskClosed when the task is no longer waiting.
type Waker interface {
	Succeed(ctx context.Context, token string, output any) error
}

// ErrTaskClosed: the task a token belonged to is no longer waiting (it timed
// out, or was answered). The workflow finds what was recorded at its next step.
var ErrTaskClosed = errors.New("task is no longer waiting")

// Store is every port of the use cases together: what the table adapter
// implements.
type Store interface {
	ReportStore
	RequestStore
	DeskStore
	ReleaseStore
	NoteStore
	PlatformStore
	LinkStore
	AppealStore
	StatementStore
	SignalStore
	SanctionStore
	ReplyStore
	ReplyReportStore
	MetricsStore
	QueueStore
	DocumentStore
	RecordWake(ctx context.Context, w PendingWake) error
}

// Config wires the use cases.
type Config struct {
	Store Store
	Clock clock.Clock
	// Policy is the deployment's policy; zero fields take DefaultPolicy's.
	Policy moderation.Policy
	// Starter starts workflows at once (nil: leave them to the sweeper).
	Starter Starter
	// Waker answers waiting workflow tasks (nil: the workflows find what was
	// recorded at their next step).
	Waker  Waker
	Logger *slog.Logger
	// Bucket holds reviewers' documents (nil: links take no uploads).
	Bucket DocumentBucket
	// ReplyEvents builds the webhook events of reply changes (nil: none are
	// recorded).
	ReplyEvents ReplyEvents
}

// App runs the use cases. It is safe for concurrent use.
type App struct {
	store   Store
	clock   clock.Clock
	policy  moderation.Policy
	starter Starter
	waker   Waker
	log     *slog.Logger
	bucket  DocumentBucket

	replyEvents ReplyEvents
}

// New returns the use cases wired as cfg says.
func New(cfg Config) *App {
	a := &App{store: cfg.Store, clock: cfg.Clock, policy: cfg.Policy.WithDefaults(),
		starter: cfg.Starter, waker: cfg.Waker, log: cfg.Logger, replyEvents: cfg.ReplyEvents, bucket: cfg.Bucket}
	if a.clock == nil {
		a.clock = clock.System{}
	}
	if a.log == nil {
		a.log = slog.Default()
	}
	return a
}

// Policy returns the policy in force: the deployment's, with defaults filled.
func (a *App) Policy() moderation.Policy { return a.policy }

// start starts a workflow just recorded; a failure is logged and left to the
// sweeper, which re-drives recorded starts: the request stays accepted.
func (a *App) start(ctx context.Context, ws WorkflowStart) {
	if a.starter == nil {
		return
	}
	if err := a.starter.Start(ctx, ws); err != nil {
		a.log.WarnContext(ctx, "workflow start failed; the sweeper will retry it", "execution", ws.Name, "machine", ws.Machine, "err", err)
	}
}

// wakeAttempts is how often wake tries to answer a waiting task (each
// attempt with the SDK's own retries) before it records the wake-up for the
// sweeper.
const wakeAttempts = 5

// tokenOf reads the token of the task waiting for an object ("" if none).
type tokenOf func(ctx context.Context) (string, error)

// wake answers a waiting task whose answer is already recorded, reading its
// token (after the write: a retried task may have stored a new one). If it
// is not waiting (no token stored yet, or closed), the workflow finds the
// answer at its next step. A failed read or answer is tried again, and when
// it still fails the wake-up is recorded (target names the object) for the
// sweeper, which answers it within minutes: the workflow's next step may be
// days away (the end of a window, the decision reminder), and the people
// involved wait for its emails.
func (a *App) wake(ctx context.Context, what string, target WakeTarget, id string, read tokenOf, output any) {
	if a.waker == nil {
		return
	}
	var err error
	for attempt := 1; attempt <= wakeAttempts; attempt++ {
		var token string
		if token, err = read(ctx); err == nil {
			if token == "" {
				return
			}
			err = a.waker.Succeed(ctx, token, output)
		}
		if err == nil || errors.Is(err, ErrTaskClosed) || ctx.Err() != nil {
			break
		}
	}
	switch {
	case errors.Is(err, ErrTaskClosed):
		a.log.InfoContext(ctx, what+" recorded after its task closed; the workflow finds it at its next step", "id", id)
	case err != nil:
		a.recordWake(ctx, what, target, id, output, err)
	}
}

// recordWake records a wake-up that failed, for the sweeper to answer
// again within minutes (RetryWakes).
func (a *App) recordWake(ctx context.Context, what string, target WakeTarget, id string, output any, cause error) {
	b, err := json.Marshal(output)
	if err == nil && a.store != nil {
		err = a.store.RecordWake(ctx, PendingWake{Target: target, ID: id, Output: b, At: a.clock.Now()})
	}
	if err != nil {
		a.log.ErrorContext(ctx, what+" recorded but the workflow was not woken, nor the wake-up kept for the sweeper; it finds it at its next step", "id", id, "err", cause, "recordErr", err)
		return
	}
	a.log.WarnContext(ctx, what+" recorded but the workflow was not woken; the sweeper wakes it", "id", id, "err", cause)
}

// notFound is the answer for an object the actor may not see: the same as
// for one that does not exist, so ids cannot be probed.
func notFound(what string) error { return moderation.NotFound(what) }
