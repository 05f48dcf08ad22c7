// Package findreviewer holds the task handlers of the Find Reviewer state
// machine (statemachines/find-reviewer.asl.json): send the request, remind,
// send the reviewer a copy of their reply, tell the business about a reply,
// close the window, record a stall. Every
// task reads the request, its review and its business in one call (the
// execution carries their ids) and makes its write — token, email claim,
// link, cleared start — in one transaction; a retried task sends no second
// email. Events carry ids, enums and window lengths only (P12).
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
	"github.com/candorhq/candor/shared/webhook"
	"github.com/candorhq/candor/shared/workflow"
)

// Event is a task's payload, as the state machine builds it.
type Event struct {
	Action string         `json:"action"`
	Case   app.RequestIDs `json:"case"`
	Round  int            `json:"round"`
	// Window is the reviewer's window in seconds, for a task that opens one
	// (the request, the manual reminder): they get all of it from the email.
	Window    int64  `json:"window,omitempty"`
	Execution string `json:"execution,omitempty"`
	TaskToken string `json:"taskToken,omitempty"`
	workflow.StallEvent
}

// Result is a task's output: the status the state machine chooses by.
type Result = workflow.Result

// Store is what the tasks need of the table.
type Store interface {
	sendonce.Ledger
	workflow.StallStore
	RequestCase(ctx context.Context, ids app.RequestIDs) (app.RequestCase, error)
	Step(ctx context.Context, st app.Step) error
	ExpireRequest(ctx context.Context, r moderation.FindRequest, at time.Time, claim *app.Claim, events ...app.Event) error
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
	// events receives the webhook events of the tasks' changes (WithEvents).
	events webhook.Emitter
	// replies tells reviewers of businesses' replies (WithReplies).
	replies ReplyNotifier
}

// ReplyNotifier tells a reviewer of the business's reply to their review
// (package replynotice): the reply state machine's one task, which runs in
// this function because it emails reviewers as the Find Reviewer tasks do.
type ReplyNotifier interface {
	// Notify tells of the reply at revision, or, when ticketID is not "",
	// of the decision on that reply ticket.
	Notify(ctx context.Context, reviewID, businessID, ticketID string, revision int, execution string) error
}

// WithReplies makes the tasks run the reply notice ("reply_notice", the
// event's case naming the review and its round the reply's revision) and
// returns t.
func (t *Tasks) WithReplies(n ReplyNotifier) *Tasks {
	t.replies = n
	return t
}

// replyNotice runs the reply notice on its event alone: it reads what it needs.
func (k task) replyNotice(ctx context.Context) error {
	if k.replies == nil {
		return workflow.Permanent(errors.New("find reviewer task: no reply notice wired"))
	}
	return k.replies.Notify(ctx, k.ev.Case.ReviewID, k.ev.Case.BusinessID, k.ev.Case.TicketID, k.ev.Round, k.ev.Execution)
}

// New wires the task handlers.
func New(s Store, m Mailer, l mail.Links, client workflow.SFN, c clock.Clock, log *slog.Logger) *Tasks {
	return &Tasks{store: s, mail: m, links: l, sfn: client, clock: c, log: log}
}

// task is one run of a task: its event, what it read, and when.
type task struct {
	*Tasks
	ev  Event
	c   app.RequestCase
	now time.Time
	log *slog.Logger
}

// tasks are the Find Reviewer tasks, by the action names its state
// machine sends.
var tasks = workflow.Dispatcher[task]{Kind: "find reviewer task", Tasks: map[string]workflow.Task[task]{
	"send_request":   workflow.Reads(task.sendRequest),
	"send_reminder":  workflow.Reads(task.sendReminder),
	"notify_replied": workflow.Reads(task.notifyReplied),
	"confirm_reply":  workflow.Reads(task.confirmReply),
	"expire":         workflow.ReadsFor(task.expire),
	"stalled":        workflow.Reads(task.stalled),
	"reply_notice":   workflow.EventOnly(task.replyNotice),
}}

// Handle runs one task. An unknown action is refused before any read.
func (t *Tasks) Handle(ctx context.Context, ev Event) (Result, error) {
	log := t.log.With("action", ev.Action, "requestId", ev.Case.RequestID, "round", ev.Round, "execution", ev.Execution)
	return tasks.Dispatch(ctx, log, ev.Action, func(ctx context.Context, read bool) (task, error) {
		k := task{Tasks: t, ev: ev, log: log}
		if read {
			c, err := t.store.RequestCase(ctx, ev.Case)
			if err != nil {
				return task{}, err
			}
			k.c = c
		}
		k.now = t.clock.Now()
		return k, nil
	})
}

// sendRequest emails the reviewer the business's request (ask).
func (k task) sendRequest(ctx context.Context) error { return k.ask(ctx, false) }

// sendReminder emails the reviewer a reminder of the request (ask).
func (k task) sendReminder(ctx context.Context) error { return k.ask(ctx, true) }

// stalled records (or, after a redrive, clears) the stall of a task that
// failed for good (workflow.Stalled).
func (k task) stalled(ctx context.Context) error {
	return workflow.Stalled(ctx, k.store, k.object(), k.c.Stall, k.ev.StallEvent, k.ev.Execution, k.now, k.log)
}

func (k task) object() app.ObjectKey {
	return app.ObjectKey{Kind: app.ObjectRequest, ID: k.c.Request.ID}
}

func (k task) business() mail.Recipient {
	return mail.Recipient{Address: k.c.Business.NotificationEmail, Locale: k.c.Business.Locale}
}

// mailStep writes st with the claim of email key (when it is due) and then
// sends msg: the email goes at most once, whatever the retries. (Another
// attempt's live claim is sendonce.ErrBusy: a transient error, retried.)
func (k task) mailStep(ctx context.Context, st app.Step, key string, to mail.Recipient, msg func() mail.Message) error {
	st.Object, st.At = k.object(), k.now
	return sendonce.Step(ctx, k.store, k.c.Ledger, st, key, k.owner(), k.log, func() (string, error) { return k.mail.Send(ctx, to, msg()) })
}

// owner names this task for its email claims (sendonce.Owner).
func (k task) owner() string { return sendonce.Owner(k.ev.Execution, k.ev.Action, k.ev.Round) }

// ask sends the request (or a reminder) with a fresh reply link, keeping
// this task's token with the request in the same write so the reply can
// answer it. The first task of an execution clears its recorded start.
func (k task) ask(ctx context.Context, reminder bool) error {
	r := k.c.Request
	switch {
	case k.ev.TaskToken == "":
		return workflow.Permanent(errors.New("find reviewer task: no task token"))
	case r.Status == moderation.RequestReplied:
		// The reply won a race with this task: answer our own token so the
		// workflow goes on to tell the business at once.
		if err := workflow.Succeed(ctx, k.sfn, k.ev.TaskToken, map[string]string{"outcome": "replied"}); err != nil && !errors.Is(err, app.ErrTaskClosed) {
			return err
		}
		return nil
	case r.Status != moderation.RequestAwaitingReply || r.Round != k.ev.Round:
		return workflow.Permanent(fmt.Errorf("find reviewer task: request is %s in round %d, not awaiting a reply in round %d", r.Status, r.Round, k.ev.Round))
	}
	// The reviewer gets the whole window from this email: a request emailed
	// late (started by the sweeper, or redriven) has its deadline moved.
	deadline := r.Deadline
	if w := k.now.Add(time.Duration(k.ev.Window) * time.Second); k.ev.Window > 0 && w.After(deadline) {
		deadline = w
	}
	token, hash, err := links.New()
	if err != nil {
		return err
	}
	st := app.Step{Status: string(moderation.RequestAwaitingReply), Round: k.ev.Round, Token: k.ev.TaskToken,
		Link: &app.Link{Hash: hash, Purpose: links.PurposeFindReviewerReply, ObjectID: r.ID, Round: k.ev.Round, Deadline: deadline, Created: k.now}}
	if !deadline.Equal(r.Deadline) {
		st.Deadline = deadline
	}
	key := fmt.Sprintf("request:%d", k.ev.Round)
	if reminder {
		key = fmt.Sprintf("reminder:%d", k.ev.Round)
		st.Reminder = "auto"
		if k.ev.Round > 0 {
			st.Reminder = "manual"
		}
	}
	if !reminder || k.ev.Round > 0 {
		st.StartDone = k.ev.Execution
	}
	rev := k.c.Review
	to := mail.Recipient{Address: rev.Reviewer.Email, Name: rev.Reviewer.Name, Locale: rev.Reviewer.Locale}
	url := k.links.ReviewerLink(token)
	return k.mailStep(ctx, st, key, to, func() mail.Message {
		if reminder {
			return mail.FindReviewerReminder{BusinessName: k.c.Business.Name, ReviewTitle: rev.Title, Message: r.Message,
				ReplyURL: url, Deadline: deadline, Manual: k.ev.Round > 0, TimeZone: rev.Reviewer.TimeZone}
		}
		return mail.FindReviewerRequest{BusinessName: k.c.Business.Name, ReviewTitle: rev.Title, Message: r.Message, ReplyURL: url, Deadline: deadline,
			TimeZone: rev.Reviewer.TimeZone}
	})
}

// notifyReplied tells the business that the reviewer answered. The answer
// itself is read in the API, not sent by email.
func (k task) notifyReplied(ctx context.Context) error {
	if k.c.Request.Status != moderation.RequestReplied {
		return workflow.Permanent(fmt.Errorf("find reviewer task: request is %s, not replied", k.c.Request.Status))
	}
	return k.mailStep(ctx, app.Step{Events: k.record(webhook.RequestReplied(k.c.Request, k.eventKey(), k.now))}, "replied", k.business(), func() mail.Message {
		return mail.ReviewerReplied{BusinessName: k.c.Business.Name, ReviewTitle: k.c.Review.Title, RequestURL: k.links.RequestLink(k.c.Request.ID)}
	})
}

// confirmReply emails the reviewer a copy of the reply they sent, once. It
// is transactional: a reviewer who stopped the reply emails gets it too.
// The reply is read from the request, never from the execution.
func (k task) confirmReply(ctx context.Context) error {
	r := k.c.Request
	if r.Status != moderation.RequestReplied {
		return workflow.Permanent(fmt.Errorf("find reviewer task: request is %s, not replied", r.Status))
	}
	rev := k.c.Review
	to := mail.Recipient{Address: rev.Reviewer.Email, Name: rev.Reviewer.Name, Locale: rev.Reviewer.Locale}
	return k.mailStep(ctx, app.Step{}, "reply:copy", to, func() mail.Message {
		return mail.AnswerReceived{Kind: mail.AnswerReply, BusinessName: k.c.Business.Name, ReviewTitle: rev.Title, Text: r.Reply,
			ReceivedAt: r.RepliedAt, TimeZone: rev.Reviewer.TimeZone}
	})
}

// expire closes the window, claiming the business's email in the same
// write. If the reply won the race, it says so and the workflow tells the
// business about the reply instead.
func (k task) expire(ctx context.Context) (Result, error) {
	r := k.c.Request
	key := fmt.Sprintf("expired:%d", k.ev.Round)
	msg := func() mail.Message {
		return mail.RequestExpired{BusinessName: k.c.Business.Name, ReviewTitle: k.c.Review.Title, RequestURL: k.links.RequestLink(r.ID), CanRemind: !r.ManualReminderUsed}
	}
	switch r.Status {
	case moderation.RequestReplied:
		return Result{Status: string(moderation.RequestReplied)}, nil
	case moderation.RequestExpired: // a retry after the expiry was written
		return Result{Status: string(moderation.RequestExpired)}, k.mailStep(ctx, app.Step{Events: k.expired()}, key, k.business(), msg)
	case moderation.RequestAwaitingReply:
	default:
		return Result{}, workflow.Permanent(fmt.Errorf("find reviewer task: cannot expire a %s request", r.Status))
	}
	claim := sendonce.Claim(k.c.Ledger, key, k.owner(), k.now)
	if err := k.store.ExpireRequest(ctx, r, k.now, claim, k.expired()...); err != nil {
		return Result{}, err // changed meanwhile (a reply): the retry reads it again
	}
	return Result{Status: string(moderation.RequestExpired)}, sendonce.Deliver(ctx, k.store, k.object(), claim, k.log, func() (string, error) {
		return k.mail.Send(ctx, k.business(), msg())
	})
}
