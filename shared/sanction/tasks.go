// Package sanction handles the tasks of the sanction state machine
// (statemachines/sanction.asl.json), one execution per warning or
// suspension, named after it: "notify" emails the business the sanction
// with its facts (once, however often the task is retried) and clears the
// recorded workflow start; after the Wait until the sanction's until, "end"
// records its end (status ended, audit entry sanction.ended) and, for a
// suspension, emails the business that it can report again — unless a
// later suspension keeps its reporting blocked, whose own end will. A
// sanction an agent lifted (app.Lift) has an execution of its own whose
// end tells the business at once: reporting reopened, or the warning
// withdrawn; the first execution's end, at the original until, then tells
// nothing (moderation.NoticeAtEnd).
package sanction

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/candorhq/candor/shared/app"
	"github.com/candorhq/candor/shared/clock"
	"github.com/candorhq/candor/shared/mail"
	"github.com/candorhq/candor/shared/moderation"
	"github.com/candorhq/candor/shared/sendonce"
	"github.com/candorhq/candor/shared/webhook"
	"github.com/candorhq/candor/shared/workflow/taskrun"
)

// Event is a task's input: the action, the execution's input and its name.
type Event struct {
	Action string `json:"action"`
	app.SanctionInput
	Execution string `json:"execution"`
}

// Result is a task's output.
type Result = taskrun.Result

// Store is what the tasks need of the table.
type Store interface {
	// SanctionTask reads the sanction, its email ledger and its business (one read).
	SanctionTask(ctx context.Context, businessID, id string, createdAt time.Time) (moderation.Sanction, app.Ledger, moderation.Business, error)
	ClaimSanctionEmail(ctx context.Context, s moderation.Sanction, c app.Claim, startDone string) error
	ClearStart(ctx context.Context, name string) error
	EndSanction(ctx context.Context, s moderation.Sanction, at time.Time, e moderation.AuditEntry) error
	ListSanctions(ctx context.Context, businessID string) ([]moderation.Sanction, error)
	// Ledger is the email ledger of one sanction.
	Ledger(s moderation.Sanction) sendonce.Ledger
}

// Mailer sends one email.
type Mailer interface {
	Send(ctx context.Context, to mail.Recipient, msg mail.Message) (string, error)
}

// Tasks handles the sanction tasks.
type Tasks struct {
	store  Store
	mail   Mailer
	events webhook.Emitter
	clock  clock.Clock
	log    *slog.Logger
}

// New wires the task handlers. events records the webhook events of a
// business that has webhooks (reporting.warned, .suspended, .reopened);
// nil records none.
func New(s Store, m Mailer, events webhook.Emitter, c clock.Clock, log *slog.Logger) *Tasks {
	return &Tasks{store: s, mail: m, events: events, clock: c, log: log}
}

// emit records e for a business with webhooks, before the email it goes
// with: a retry records it again under the same id, which is harmless.
func (t *Tasks) emit(ctx context.Context, biz moderation.Business, e webhook.Event) error {
	if t.events == nil || biz.Webhooks <= 0 {
		return nil
	}
	return t.events.Emit(ctx, e)
}

// ErrNotDue: the end task ran before the sanction's until (a clock ahead
// of this one); a retry ends it.
var ErrNotDue = errors.New("sanction: not due yet")

// tasks are the sanction's tasks, by the action names its state machine sends.
var tasks = taskrun.Dispatcher[task]{Kind: "sanction task", Tasks: map[string]taskrun.Task[task]{
	"notify": taskrun.ReadsFor(task.notify),
	"end":    taskrun.ReadsFor(task.end),
}}

// task is one run of a task: its event, what it read, and when.
type task struct {
	*Tasks
	ev     Event
	s      moderation.Sanction
	ledger app.Ledger
	biz    moderation.Business
	to     mail.Recipient // the business
	now    time.Time
	owner  string // this task's email claims (sendonce.Owner)
	log    *slog.Logger
}

// Handle runs one task. An unknown action is refused before any read.
func (t *Tasks) Handle(ctx context.Context, ev Event) (Result, error) {
	log := t.log.With("action", ev.Action, "sanctionId", ev.SanctionID, "execution", ev.Execution)
	return tasks.Dispatch(ctx, log, ev.Action, func(ctx context.Context, read bool) (task, error) {
		k := task{Tasks: t, ev: ev, owner: sendonce.Owner(ev.Execution, ev.Action, 0), log: log}
		if read {
			created, err := time.Parse(time.RFC3339Nano, ev.CreatedAt)
			if err != nil {
				return task{}, taskrun.Permanent(fmt.Errorf("sanction task: createdAt: %w", err))
			}
			if k.s, k.ledger, k.biz, err = t.store.SanctionTask(ctx, ev.BusinessID, ev.SanctionID, created); err != nil {
				return task{}, err
			}
			k.to = mail.Recipient{Address: k.biz.NotificationEmail, Locale: k.biz.Locale}
		}
		k.now = t.clock.Now()
		return k, nil
	})
}

// notify emails the business the sanction with its facts, once, and
// clears the recorded workflow start; a sanction lifted before its notice
// went is only told by its end.
func (k task) notify(ctx context.Context) (Result, error) {
	s, ledger, biz, to, now, owner, log := k.s, k.ledger, k.biz, k.to, k.now, k.owner, k.log
	status := "notified"
	if s.Lifted() { // lifted before its notice went (or the lift's own execution): only the end tells the business
		return Result{Status: status}, k.store.ClearStart(ctx, k.ev.Execution)
	}
	var msg mail.Message = mail.BusinessWarned{Facts: s.Note, Until: s.Until}
	if s.Kind == moderation.SanctionSuspension {
		list, err := k.store.ListSanctions(ctx, s.BusinessID)
		if err != nil {
			return Result{}, fmt.Errorf("sanction task: warnings before: %w", err)
		}
		msg = mail.ReportingSuspended{Facts: s.Note, Until: s.Until, AfterWarning: moderation.WarnedBefore(s, list)}
	}
	err := k.emit(ctx, biz, webhook.Sanctioned(s, s.ID+":given", s.CreatedAt))
	if err == nil {
		err = k.once(ctx, s, ledger, "notified", owner, now, k.ev.Execution, to, msg, log)
	}
	return Result{Status: status}, err
}

// end records the sanction's end at its until (or at once when lifted)
// and tells the business what moderation.NoticeAtEnd says the end changes
// for it: reporting reopened (unless a later suspension keeps it blocked),
// or the warning withdrawn — a lifted sanction only at the lift's own end.
func (k task) end(ctx context.Context) (Result, error) {
	s, ledger, biz, to, now, owner, log := k.s, k.ledger, k.biz, k.to, k.now, k.owner, k.log
	if now.Before(s.Until) && !s.Lifted() {
		return Result{}, taskrun.Transient(ErrNotDue)
	}
	var err error
	if s.Status == moderation.SanctionActive {
		e := moderation.AuditEntry{At: now, Actor: "system", Action: "sanction.ended", From: string(s.Status), To: string(moderation.SanctionEnded)}
		if err = k.store.EndSanction(ctx, s, now, e); errors.Is(err, moderation.ErrChanged) {
			err = nil // a retry after the end was recorded
		}
		s.EndedAt = now
	}
	status := "ended"
	if err != nil {
		return Result{Status: status}, err
	}
	e := moderation.SanctionEnd{ByLift: k.ev.Execution == app.LiftExecution(s.ID),
		Told: !s.Lifted() || sendonce.Check(ledger, "notified", owner, now) == sendonce.Sent}
	notice := moderation.NoticeAtEnd(s, e)
	if notice == moderation.EndTellsReopened {
		if e.StillSuspended, err = k.extended(ctx, s, now); err != nil {
			return Result{Status: status}, err
		}
		if notice = moderation.NoticeAtEnd(s, e); notice == moderation.EndTellsNothing {
			log.InfoContext(ctx, "sanction task: suspension ended; a later suspension keeps reporting blocked, no reopening email")
		}
	}
	switch notice {
	case moderation.EndTellsReopened:
		// Reporting opened at until by the clock (or at the lift), whenever this task ran.
		since := s.Until
		if s.Lifted() {
			since = s.EndedAt
		}
		if err = k.emit(ctx, biz, webhook.ReportingReopened(s, since, s.ID+":reopened")); err == nil {
			err = k.once(ctx, s, ledger, "reopened", owner, now, "", to, mail.ReportingReopened{Since: since}, log)
		}
	case moderation.EndTellsWithdrawn:
		err = k.once(ctx, s, ledger, "withdrawn", owner, now, "", to, mail.WarningWithdrawn{Given: s.CreatedAt}, log)
	}
	return Result{Status: status}, err
}

// extended reports whether another suspension of s's business keeps its
// reporting blocked after s ended.
func (t *Tasks) extended(ctx context.Context, s moderation.Sanction, now time.Time) (bool, error) {
	list, err := t.store.ListSanctions(ctx, s.BusinessID)
	if err != nil {
		return false, fmt.Errorf("sanction task: other suspensions: %w", err)
	}
	for _, o := range list {
		if o.ID != s.ID && o.Kind == moderation.SanctionSuspension && o.ActiveAt(now) {
			return true, nil
		}
	}
	return false, nil
}

// once sends an email of a sanction at most once: claimed with the
// clearing of the recorded start (if any), sent, then confirmed.
func (t *Tasks) once(ctx context.Context, s moderation.Sanction, l app.Ledger, key, owner string, now time.Time, startDone string,
	to mail.Recipient, msg mail.Message, log *slog.Logger) error {
	switch sendonce.Check(l, key, owner, now) {
	case sendonce.Sent:
		if startDone != "" {
			return t.store.ClearStart(ctx, startDone)
		}
		return nil
	case sendonce.Busy:
		return sendonce.ErrBusy
	}
	c := sendonce.Claim(l, key, owner, now)
	if err := t.store.ClaimSanctionEmail(ctx, s, *c, startDone); err != nil {
		return err
	}
	return sendonce.Deliver(ctx, t.store.Ledger(s), app.ObjectKey{ID: s.ID}, c, log, func() (string, error) { return t.mail.Send(ctx, to, msg) })
}
