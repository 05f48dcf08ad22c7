// Package findreviewer holds the task handlers of the Find Reviewer state
// machine (statemachines/find-reviewer.asl.json): send the request, remind,
// tell the business about a reply, close the window, mark a failure. Every
// handler is idempotent — a retried task sends no second email — and the
// events carry ids only (P12).
package findreviewer

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/candorhq/candor/shared/app"
	"github.com/candorhq/candor/shared/clock"
	"github.com/candorhq/candor/shared/links"
	"github.com/candorhq/candor/shared/mail"
	"github.com/candorhq/candor/shared/moderation"
	"github.com/candorhq/candor/shared/sendonce"
	"github.com/candorhq/candor/shared/workflow"
)

// Event is a task's payload, as the state machine builds it.
type Event struct {
	Action    string `json:"action"`
	RequestID string `json:"requestId"`
	Round     int    `json:"round"`
	Execution string `json:"execution,omitempty"`
	TaskToken string `json:"taskToken,omitempty"`
	Cause     string `json:"cause,omitempty"` // mark_failed: the error name
}

// Result is a task's output.
type Result struct {
	Status string `json:"status,omitempty"`
}

// Store is what the tasks need of the table.
type Store interface {
	sendonce.Ledger
	GetRequest(ctx context.Context, id string) (moderation.FindRequest, []moderation.AuditEntry, error)
	GetReview(ctx context.Context, id string) (moderation.Review, error)
	GetBusiness(ctx context.Context, id string) (moderation.Business, error)
	SetRequestTaskToken(ctx context.Context, id string, round int, token string, now time.Time) error
	CreateLink(ctx context.Context, l app.Link) error
	// RequestKey is the item (partition, sort key) the email ledger of an object lives on.
	RequestKey(id string) (pk, sk string)
	RecordReminder(ctx context.Context, id string, round int, at time.Time) error
	ExpireRequest(ctx context.Context, r moderation.FindRequest, at time.Time) error
	StartDone(ctx context.Context, name string) error
}

// Mailer sends one email.
type Mailer interface {
	Send(ctx context.Context, to mail.Recipient, msg mail.Message) (string, error)
}

// Tasks handles the state machine's tasks.
type Tasks struct {
	store Store
	mail  Mailer
	links mail.Links
	sfn   workflow.SFN
	clock clock.Clock
	log   *slog.Logger
}

// New wires the task handlers.
func New(s Store, m Mailer, l mail.Links, client workflow.SFN, c clock.Clock, log *slog.Logger) *Tasks {
	return &Tasks{store: s, mail: m, links: l, sfn: client, clock: c, log: log}
}

// Handle runs one task.
func (t *Tasks) Handle(ctx context.Context, ev Event) (Result, error) {
	log := t.log.With("action", ev.Action, "requestId", ev.RequestID, "round", ev.Round, "execution", ev.Execution)
	var (
		res Result
		err error
	)
	switch ev.Action {
	case "send_request":
		err = t.ask(ctx, ev, false)
	case "send_reminder":
		err = t.ask(ctx, ev, true)
	case "notify_replied":
		err = t.notifyReplied(ctx, ev)
	case "expire":
		res, err = t.expire(ctx, ev)
	case "mark_failed":
		err = t.markFailed(ctx, ev, log)
	default:
		err = &workflow.PermanentError{Err: fmt.Errorf("find reviewer task: unknown action %q", ev.Action)}
	}
	return res, workflow.Finish(ctx, log, "find reviewer task", res.Status, err)
}

type parties struct {
	req      moderation.FindRequest
	review   moderation.Review
	business moderation.Business
}

func (t *Tasks) load(ctx context.Context, id string) (parties, error) {
	var p parties
	var err error
	if p.req, _, err = t.store.GetRequest(ctx, id); err != nil {
		if errors.Is(err, moderation.ErrNotFound) {
			return p, &workflow.PermanentError{Err: err}
		}
		return p, err
	}
	if p.review, err = t.store.GetReview(ctx, p.req.ReviewID); err != nil {
		return p, err
	}
	if p.business, err = t.store.GetBusiness(ctx, p.req.BusinessID); err != nil {
		return p, err
	}
	return p, nil
}

// ask sends the request (or a reminder) with a fresh reply link, after
// storing this task's token with the request so the reply can answer it.
func (t *Tasks) ask(ctx context.Context, ev Event, reminder bool) error {
	if ev.TaskToken == "" {
		return &workflow.PermanentError{Err: errors.New("find reviewer task: no task token")}
	}
	if ev.Execution != "" && (!reminder || ev.Round > 0) {
		// The first task of an execution clears its recorded start.
		if err := t.store.StartDone(ctx, ev.Execution); err != nil {
			return err
		}
	}
	p, err := t.load(ctx, ev.RequestID)
	if err != nil {
		return err
	}
	now := t.clock.Now()
	switch {
	case p.req.Status == moderation.RequestReplied:
		// The reply won a race with this task's start: answer our own token
		// so the workflow goes on to tell the business at once.
		if err := workflow.Succeed(ctx, t.sfn, ev.TaskToken, map[string]string{"outcome": "replied"}); err != nil && !errors.Is(err, app.ErrTaskClosed) {
			return err
		}
		return nil
	case p.req.Status != moderation.RequestAwaitingReply || p.req.Round != ev.Round:
		return &workflow.PermanentError{Err: fmt.Errorf("find reviewer task: request is %s in round %d, not awaiting a reply in round %d", p.req.Status, p.req.Round, ev.Round)}
	}
	if err := t.store.SetRequestTaskToken(ctx, p.req.ID, ev.Round, ev.TaskToken, now); err != nil {
		return err
	}
	key := fmt.Sprintf("request:%d", ev.Round)
	if reminder {
		key = fmt.Sprintf("reminder:%d", ev.Round)
	}
	return t.once(ctx, p.req.ID, key, func() (string, error) {
		token, hash, err := links.New()
		if err != nil {
			return "", err
		}
		if err := t.store.CreateLink(ctx, app.Link{Hash: hash, Purpose: links.PurposeFindReviewerReply, ObjectID: p.req.ID,
			Round: ev.Round, Deadline: p.req.Deadline, Created: now}); err != nil {
			return "", err
		}
		to := mail.Recipient{Address: p.review.Reviewer.Email, Name: p.review.Reviewer.Name, Locale: p.review.Reviewer.Locale}
		var msg mail.Message = mail.FindReviewerRequest{BusinessName: p.business.Name, ReviewTitle: p.review.Title,
			Message: p.req.Message, ReplyURL: t.links.ReviewerLink(token), Deadline: p.req.Deadline}
		if reminder {
			msg = mail.FindReviewerReminder{BusinessName: p.business.Name, ReviewTitle: p.review.Title, Message: p.req.Message,
				ReplyURL: t.links.ReviewerLink(token), Deadline: p.req.Deadline, Manual: ev.Round > 0}
		}
		id, err := t.mail.Send(ctx, to, msg)
		if err != nil {
			return "", err
		}
		if reminder {
			if err := t.store.RecordReminder(ctx, p.req.ID, ev.Round, now); err != nil {
				t.log.WarnContext(ctx, "find reviewer: reminder sent but not recorded", "requestId", p.req.ID, "err", err)
			}
		}
		return id, nil
	})
}

// once sends an email at most once per key, across retries.
func (t *Tasks) once(ctx context.Context, requestID, key string, send func() (string, error)) error {
	pk, sk := t.store.RequestKey(requestID)
	return sendonce.Send(ctx, t.store, pk, sk, key, t.clock.Now(), t.log, send)
}

// notifyReplied tells the business that the reviewer answered. The answer
// itself is read in the API, not sent by email.
func (t *Tasks) notifyReplied(ctx context.Context, ev Event) error {
	p, err := t.load(ctx, ev.RequestID)
	if err != nil {
		return err
	}
	if p.req.Status != moderation.RequestReplied {
		return &workflow.PermanentError{Err: fmt.Errorf("find reviewer task: request is %s, not replied", p.req.Status)}
	}
	return t.once(ctx, p.req.ID, "replied", func() (string, error) {
		return t.mail.Send(ctx, mail.Recipient{Address: p.business.NotificationEmail, Locale: p.business.Locale},
			mail.ReviewerReplied{ReviewTitle: p.review.Title, RequestURL: t.links.RequestLink(p.req.ID)})
	})
}

// expire closes the window. If the reply won the race, it says so and the
// workflow tells the business about the reply instead.
func (t *Tasks) expire(ctx context.Context, ev Event) (Result, error) {
	return t.expireOnce(ctx, ev, true)
}

func (t *Tasks) expireOnce(ctx context.Context, ev Event, again bool) (Result, error) {
	p, err := t.load(ctx, ev.RequestID)
	if err != nil {
		return Result{}, err
	}
	switch p.req.Status {
	case moderation.RequestReplied:
		return Result{Status: string(moderation.RequestReplied)}, nil
	case moderation.RequestAwaitingReply:
		if err := t.store.ExpireRequest(ctx, p.req, t.clock.Now()); err != nil {
			if errors.Is(err, moderation.ErrChanged) && again {
				return t.expireOnce(ctx, ev, false) // changed under us: decide on what it is now
			}
			return Result{}, err
		}
	case moderation.RequestExpired: // a retry after the expiry was written
	default:
		return Result{}, &workflow.PermanentError{Err: fmt.Errorf("find reviewer task: cannot expire a %s request", p.req.Status)}
	}
	err = t.once(ctx, p.req.ID, fmt.Sprintf("expired:%d", ev.Round), func() (string, error) {
		return t.mail.Send(ctx, mail.Recipient{Address: p.business.NotificationEmail, Locale: p.business.Locale},
			mail.RequestExpired{ReviewTitle: p.review.Title, RequestURL: t.links.RequestLink(p.req.ID), CanRemind: !p.req.ManualReminderUsed})
	})
	return Result{Status: string(moderation.RequestExpired)}, err
}

// markFailed makes a broken workflow visible to ops: an error log line
// naming the request and the error (the request keeps its state).
func (t *Tasks) markFailed(ctx context.Context, ev Event, log *slog.Logger) error {
	log.ErrorContext(ctx, "find reviewer workflow failed beyond its retries; the request keeps its state", "cause", ev.Cause)
	return nil
}
