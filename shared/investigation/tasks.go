// Package investigation holds the task handlers of the investigation and
// appeal state machines (statemachines/investigation.asl.json,
// statemachines/appeal.asl.json): tell the reviewer, ask for proof, remove
// for want of proof, wait in the queue for an agent, ask the reviewer for
// evidence or an edit, requeue on silence, send the emails of the outcome
// an agent's decision wrote, wait in the appeal queue, send the emails of
// the appeal's outcome, send the reviewer a copy of what they sent through a
// link (proof, evidence, an edit, an appeal), and record a stall. Every task
// reads its objects in one call (the execution carries their ids) and makes
// its write — change, email claim, link, cleared start — in one
// transaction; a retried task sends no second email. Events carry ids,
// enums and window lengths only (P12).
package investigation

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
	Action string      `json:"action"`
	Case   app.CaseIDs `json:"case"`
	Round  int         `json:"round,omitempty"`
	// Window is the reviewer's window in seconds, for a task that emails
	// them a link: they always get all of it from the email.
	Window    int64  `json:"window,omitempty"`
	Execution string `json:"execution,omitempty"`
	TaskToken string `json:"taskToken,omitempty"`
	// Windows is the execution input's windows, which the first task
	// (notify_reported) checks: a missing or non-positive one fails it for
	// good, before anything is sent, so the later states read only windows
	// that exist (a path that selects nothing would fail the execution
	// past every Catch).
	Windows *Windows `json:"windows,omitempty"`
	// Decision is the agent's decision the queue task was answered with;
	// a task after it takes its round from it (and refuses one without).
	Decision *struct {
		Round int `json:"round"`
	} `json:"decision,omitempty"`
	workflow.StallEvent
}

// Windows are the investigation's windows in seconds, as its execution
// input carries them; nil is a window the input lacks.
type Windows struct {
	Proof    *int64 `json:"proof"`
	Action   *int64 `json:"action"`
	Decision *int64 `json:"decision"`
	Appeal   *int64 `json:"appeal"`
}

// check names the first window that is missing or not positive.
func (w *Windows) check() error {
	if w == nil {
		return errors.New("investigation task: the execution input has no windows")
	}
	for _, f := range []struct {
		name string
		v    *int64
	}{{"proof", w.Proof}, {"action", w.Action}, {"decision", w.Decision}, {"appeal", w.Appeal}} {
		if f.v == nil || *f.v <= 0 {
			return fmt.Errorf("investigation task: the execution input's window %s is missing or not positive", f.name)
		}
	}
	return nil
}

// Result is a task's output: the status the state machine chooses by.
type Result = workflow.Result

// Store is what the tasks need of the table.
type Store interface {
	sendonce.Ledger
	// RecordEmails records the emails a task sent together (sendonce.StepAll).
	RecordEmails(ctx context.Context, o app.ObjectKey, sent map[string]string, released []app.Claim) error
	workflow.StallStore
	InvestigationCase(ctx context.Context, ids app.CaseIDs) (app.InvestigationCase, error)
	Step(ctx context.Context, st app.Step) error
	SetTicketTaskToken(ctx context.Context, id, token string, at time.Time) error
	CloseReport(ctx context.Context, c app.Closure) error
	ReviewerNoResponse(ctx context.Context, r moderation.Report, t moderation.Ticket, round int, at time.Time) error
	SetAppealQueueToken(ctx context.Context, appealID, token, startDone string) error
	ClearStart(ctx context.Context, name string) error
	// ReviewerAnswers returns the answers the reviewer sent on a report.
	ReviewerAnswers(ctx context.Context, reportID string) ([]app.Answer, error)
}

// Mailer sends one email.
type Mailer interface {
	Send(ctx context.Context, to mail.Recipient, msg mail.Message) (string, error)
}

// Tasks handles the investigation's tasks.
type Tasks struct {
	store Store
	mail  Mailer
	links mail.Links
	sfn   workflow.SFN
	clock clock.Clock
	log   *slog.Logger
	// events receives the webhook events of the tasks' changes (WithEvents).
	events webhook.Emitter
}

// New wires the task handlers.
func New(s Store, m Mailer, l mail.Links, client workflow.SFN, c clock.Clock, log *slog.Logger) *Tasks {
	return &Tasks{store: s, mail: m, links: l, sfn: client, clock: c, log: log}
}

// task is one run of a task: its event, what it read, and when.
type task struct {
	*Tasks
	ev  Event
	c   app.InvestigationCase
	now time.Time
	log *slog.Logger
}

// tasks are the investigation's tasks, by the action names its state
// machine sends.
var tasks = workflow.Dispatcher[task]{Kind: "investigation task", Tasks: map[string]workflow.Task[task]{
	"notify_reported":               workflow.Reads(task.notifyReported),
	"request_proof":                 workflow.Reads(task.requestProof),
	"remove_no_proof":               workflow.ReadsFor(task.removeNoProof),
	"enqueue":                       workflow.Reads(task.enqueue),
	"overdue":                       workflow.EventOnly(task.overdue),
	"request_action":                workflow.Reads(task.requestAction),
	"confirm_proof":                 workflow.Reads(task.confirmProof),
	"confirm_action":                workflow.Reads(task.confirmAction),
	"confirm_appeal":                workflow.Reads(task.confirmAppeal),
	"no_response":                   workflow.Reads(task.noResponse),
	"notify_reinstated":             workflow.Reads(task.notifyReinstated),
	"notify_reinstated_reviewer":    workflow.Reads(task.notifyReinstatedReviewer),
	"notify_removed":                workflow.Reads(task.notifyRemoved),
	"enqueue_appeal":                workflow.Reads(task.enqueueAppeal),
	"appeal_overdue":                workflow.EventOnly(task.appealOverdue),
	"notify_appeal_business":        workflow.Reads(task.notifyAppealBusiness),
	"notify_appeal_upheld":          workflow.Reads(task.notifyAppealUpheld),
	"notify_appeal_upheld_reviewer": workflow.Reads(task.notifyAppealUpheldReviewer),
	"stalled":                       workflow.Reads(task.stalled),
}}

// Handle runs one task. An unknown action is refused before any read.
func (t *Tasks) Handle(ctx context.Context, ev Event) (Result, error) {
	if ev.Decision != nil {
		ev.Round = ev.Decision.Round
	}
	log := t.log.With("action", ev.Action, "reportId", ev.Case.ReportID, "round", ev.Round, "execution", ev.Execution)
	return tasks.Dispatch(ctx, log, ev.Action, func(ctx context.Context, read bool) (task, error) {
		k := task{Tasks: t, ev: ev, log: log}
		if read {
			c, err := t.store.InvestigationCase(ctx, ev.Case)
			if err != nil {
				return task{}, err
			}
			k.c = c
		}
		k.now = t.clock.Now()
		return k, nil
	})
}

// overdue logs, for ops, a ticket waiting for a decision longer than the
// decision reminder; it stays in the queue.
func (k task) overdue(ctx context.Context) error {
	k.log.WarnContext(ctx, "ticket waits for a decision longer than the decision reminder; it stays in the queue", "ticketId", k.ev.Case.TicketID)
	return nil
}

// appealOverdue logs, for ops, an appeal waiting for a decision longer than
// the decision reminder; it stays in the queue.
func (k task) appealOverdue(ctx context.Context) error {
	k.log.WarnContext(ctx, "appeal waits for a decision longer than the decision reminder; it stays in the queue", "appealId", moderation.AppealID(k.ev.Case.ReportID))
	return nil
}

// stalled records (or, after a redrive, clears) the stall of a task that
// failed for good (workflow.Stalled).
func (k task) stalled(ctx context.Context) error {
	return workflow.Stalled(ctx, k.store, k.object(), k.c.Stall, k.ev.StallEvent, k.ev.Execution, k.now, k.log)
}

func (k task) object() app.ObjectKey {
	return app.ObjectKey{Kind: app.ObjectReport, ID: k.c.Report.ID}
}

func (k task) reviewer() mail.Recipient {
	r := k.c.Review.Reviewer
	return mail.Recipient{Address: r.Email, Name: r.Name, Locale: r.Locale}
}

func (k task) business() mail.Recipient {
	return mail.Recipient{Address: k.c.Business.NotificationEmail, Locale: k.c.Business.Locale}
}

// newLink makes a reviewer link for the report and returns it with its URL.
func (k task) newLink(purpose links.Purpose, round int, deadline time.Time) (*app.Link, string, error) {
	token, hash, err := links.New()
	if err != nil {
		return nil, "", err
	}
	return &app.Link{Hash: hash, Purpose: purpose, ObjectID: k.c.Report.ID, Round: round, Deadline: deadline, Created: k.now},
		k.links.ReviewerLink(token), nil
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

// answered wakes our own task at once when what it would wait for is
// recorded already: the workflow goes straight on.
func (k task) answered(ctx context.Context, output any) error {
	if err := workflow.Succeed(ctx, k.sfn, k.ev.TaskToken, output); err != nil && !errors.Is(err, app.ErrTaskClosed) {
		return err
	}
	return nil
}

// reviewerDeadline is when the reviewer's window ends if they are emailed
// now: never earlier than recorded, and never less than the whole window
// from the email (a task that runs late, after a redrive, gives the window again).
func (k task) reviewerDeadline() time.Time {
	d := k.now.Add(time.Duration(k.ev.Window) * time.Second)
	if k.c.ReviewerDeadline.After(d) {
		return k.c.ReviewerDeadline
	}
	return d
}

// notifyReported clears the recorded workflow start and tells the reviewer
// that their review was reported (and hidden, P4) while it is investigated.
func (k task) notifyReported(ctx context.Context) error {
	if err := k.ev.Windows.check(); err != nil {
		return workflow.Permanent(err)
	}
	return k.mailStep(ctx, app.Step{StartDone: k.ev.Execution, Events: k.status(k.c.Report.Status)}, "reported", k.reviewer(), func() mail.Message {
		return mail.ReviewReported{BusinessName: k.c.Business.Name, ReviewTitle: k.c.Review.Title,
			PublicStatement: k.c.Report.PublicStatement, Hidden: k.c.Report.HidesReview}
	})
}

// requestProof asks the reviewer for proof of the experience (P6) and keeps
// the task's token with the report, for the reviewer page to answer.
func (k task) requestProof(ctx context.Context) error {
	switch k.c.Report.Status {
	case moderation.ReportAwaitingProof:
	case moderation.ReportInQueue:
		return k.answered(ctx, map[string]string{"answer": "proof"})
	default:
		return workflow.Permanent(fmt.Errorf("investigation task: cannot ask for proof on a %s report", k.c.Report.Status))
	}
	deadline := k.reviewerDeadline()
	link, url, err := k.newLink(links.PurposeProof, 0, deadline)
	if err != nil {
		return err
	}
	st := app.Step{Status: string(moderation.ReportAwaitingProof), Round: 0, Token: k.ev.TaskToken, Deadline: deadline, Link: link,
		Events: k.status(moderation.ReportAwaitingProof)}
	return k.mailStep(ctx, st, "proof", k.reviewer(), func() mail.Message {
		return mail.ProofRequest{BusinessName: k.c.Business.Name, ReviewTitle: k.c.Review.Title, ReplyURL: url, Deadline: deadline,
			TimeZone: k.c.Review.Reviewer.TimeZone}
	})
}

// removeNoProof removes the review when no proof came in the window (P6),
// in one transaction with the claim of the statement of reasons, unless the
// proof won the race: then ("answered") the workflow goes to the queue, whose
// task finds an agent's decision already taken if the proof's wake-up was
// lost and the case moved on without the workflow.
func (k task) removeNoProof(ctx context.Context) (Result, error) {
	r0 := k.c.Report
	switch {
	case r0.Status == moderation.ReportClosed && r0.Outcome == moderation.OutcomeRemoved && r0.Ground == moderation.GroundNoProofProvided:
		// a retry after the removal was written
		return Result{Status: "removed"}, k.statementOfReasons(ctx)
	case r0.Status == moderation.ReportInQueue, r0.Status == moderation.ReportAwaitingReviewer, r0.Status == moderation.ReportClosed:
		return Result{Status: "answered"}, nil
	case r0.Status == moderation.ReportAwaitingProof:
	default:
		return Result{}, workflow.Permanent(fmt.Errorf("investigation task: cannot remove a %s report for want of proof", k.c.Report.Status))
	}
	c, err := moderation.CloseForNoProof(r0, moderation.Policy{AppealWindow: time.Duration(k.ev.Window) * time.Second}, k.now)
	if err != nil {
		return Result{}, workflow.Permanent(err)
	}
	deadline := k.appealDeadline()
	link, url, err := k.newLink(links.PurposeAppeal, 0, deadline)
	if err != nil {
		return Result{}, err
	}
	claim := sendonce.Claim(k.c.Ledger, "removed", k.owner(), k.now)
	err = k.store.CloseReport(ctx, app.Closure{Report: r0, Ticket: k.c.Ticket, Consequence: c, Actor: "system", At: k.now,
		Claim: claim, Link: link, AppealDeadline: deadline, Events: k.closed(c.Outcome, c.Ground)})
	if err != nil {
		return Result{}, err // changed meanwhile (the proof arrived): the retry reads it again
	}
	r := r0
	r.Status, r.Outcome, r.Ground, r.UpheldReasons, r.ClosedAt = c.ReportStatus, c.Outcome, c.Ground, c.UpheldReasons, k.now
	k.c.Report = r
	return Result{Status: "removed"}, sendonce.Deliver(ctx, k.store, k.object(), claim, k.log, func() (string, error) {
		return k.mail.Send(ctx, k.reviewer(), k.removal(url, deadline))
	})
}

// appealDeadline is when the appeal window of the party told now ends:
// the whole window from the email, never earlier than recorded.
func (k task) appealDeadline() time.Time {
	d := k.now.Add(time.Duration(k.ev.Window) * time.Second)
	if k.c.Report.AppealDeadline.After(d) {
		return k.c.Report.AppealDeadline
	}
	return d
}

// removal is the statement of reasons of the report's removal (P8, DSA
// Art. 17): the reasons it upholds, the facts, the ground, whether it was
// automated, and the redress — the internal appeal until appealBy (none for
// a removal decided on appeal) and out-of-court dispute settlement.
func (k task) removal(appealURL string, appealBy time.Time) mail.Message {
	r := k.c.Report
	decided := r.ClosedAt
	if decided.IsZero() {
		decided = k.now
	}
	facts := k.c.Decision.Note
	if k.onAppeal() {
		facts, decided = k.c.Appeal.Decision.Note, k.c.Appeal.Decision.At
	} else if r.Ground == moderation.GroundNoProofProvided {
		facts = ""
	}
	reasons := r.UpheldReasons
	if len(reasons) == 0 { // a removal recorded before reasons were upheld
		reasons = r.Reasons()
	}
	return mail.ReviewRemoved{BusinessName: k.c.Business.Name, ReviewTitle: k.c.Review.Title, Reasons: reasons, Facts: facts,
		Ground: r.Ground, Automated: r.Ground == moderation.GroundNoProofProvided, DecidedAt: decided,
		AppealURL: appealURL, AppealDeadline: appealBy, OnAppeal: k.onAppeal(), TimeZone: k.c.Review.Reviewer.TimeZone}
}

// onAppeal reports whether the report's outcome now is an appeal's reversal.
func (k task) onAppeal() bool {
	return k.c.Appeal.Status == moderation.AppealDecided && k.c.Appeal.Decision.Outcome == moderation.AppealReverse
}

// told is who the domain says is emailed about the report's outcome as it
// stands: moderation.WhoIsTold of a first decision, or
// moderation.WhoIsToldOfAppeal once an appeal was decided.
func (k task) told() moderation.Told {
	if a := k.c.Appeal; a.Status == moderation.AppealDecided {
		return moderation.WhoIsToldOfAppeal(a.Appellant, a.Result(), a.Decision.Outcome == moderation.AppealReverse)
	}
	return moderation.WhoIsTold(k.c.Report.Outcome)
}

// statementOfReasons emails the reviewer why the review was removed, with
// a link to appeal, and opens the appeal window (P8).
func (k task) statementOfReasons(ctx context.Context) error {
	deadline := k.appealDeadline()
	link, url, err := k.newLink(links.PurposeAppeal, 0, deadline)
	if err != nil {
		return err
	}
	st := app.Step{Link: link, AppealDeadline: deadline, Events: k.closed(moderation.OutcomeRemoved, k.c.Report.Ground)}
	return k.mailStep(ctx, st, "removed", k.reviewer(), func() mail.Message { return k.removal(url, deadline) })
}

// enqueue keeps the queue's task token with the ticket, so the decision API
// can answer it. A decision already recorded (its wake-up was lost) is
// answered at once.
func (k task) enqueue(ctx context.Context) error {
	switch k.c.Ticket.Status {
	case moderation.TicketOpen, moderation.TicketInProgress:
		if err := k.store.SetTicketTaskToken(ctx, k.c.Ticket.ID, k.ev.TaskToken, k.now); err != nil {
			return err
		}
		return k.emit(ctx, k.statusEvent(moderation.ReportInQueue)) // its own write: SetTicketTaskToken is one UpdateItem
	case moderation.TicketDecided, moderation.TicketWaitingForReviewer:
		d := k.c.Decision
		return k.answered(ctx, app.DecisionOutput{Outcome: d.Outcome, Kind: d.Kind, Round: d.Round})
	}
	return workflow.Permanent(fmt.Errorf("investigation task: ticket is %s", k.c.Ticket.Status))
}

// requestAction emails the reviewer the agent's request for evidence or an
// edit (P7) and keeps the task token with the report.
func (k task) requestAction(ctx context.Context) error {
	if k.ev.Round < 1 {
		return workflow.Permanent(errors.New("investigation task: the decision carries no round"))
	}
	r := k.c.Report
	if r.Status != moderation.ReportAwaitingReviewer || k.c.Round != k.ev.Round {
		if k.c.Round >= k.ev.Round && r.Status != moderation.ReportClosed {
			return k.answered(ctx, map[string]string{"answer": "reviewer"}) // answered already
		}
		return workflow.Permanent(fmt.Errorf("investigation task: report is %s in round %d, not awaiting the reviewer in round %d", r.Status, k.c.Round, k.ev.Round))
	}
	purpose := links.PurposeEvidence
	if k.c.Decision.Kind == moderation.ActionEdit {
		purpose = links.PurposeEdit
	}
	deadline := k.reviewerDeadline()
	link, url, err := k.newLink(purpose, k.ev.Round, deadline)
	if err != nil {
		return err
	}
	st := app.Step{Status: string(moderation.ReportAwaitingReviewer), Round: k.ev.Round, Token: k.ev.TaskToken, Deadline: deadline, Link: link,
		Events: k.status(moderation.ReportAwaitingReviewer)}
	return k.mailStep(ctx, st, fmt.Sprintf("action:%d", k.ev.Round), k.reviewer(), func() mail.Message {
		return mail.ComplianceRequest{Kind: k.c.Decision.Kind, BusinessName: k.c.Business.Name, ReviewTitle: k.c.Review.Title,
			Message: k.c.Decision.Message, ReplyURL: url, Deadline: deadline, TimeZone: k.c.Review.Reviewer.TimeZone}
	})
}

// noResponse returns the ticket to the queue marked no_response (P7).
func (k task) noResponse(ctx context.Context) error {
	if k.ev.Round < 1 {
		return workflow.Permanent(errors.New("investigation task: the decision carries no round"))
	}
	if k.c.Report.Status != moderation.ReportAwaitingReviewer || k.c.Round != k.ev.Round {
		return nil // answered at the last moment, or a retry after the write
	}
	if err := k.store.ReviewerNoResponse(ctx, k.c.Report, k.c.Ticket, k.ev.Round, k.now); err != nil {
		return err
	}
	return k.emit(ctx, k.statusEvent(moderation.ReportInQueue))
}

// closedAs checks that the agent's decision closed the report with outcome:
// the decision's own transaction does, before it wakes the workflow.
func (k task) closedAs(outcome moderation.Outcome) error {
	if k.c.Report.Status != moderation.ReportClosed || k.c.Report.Outcome != outcome {
		return workflow.Permanent(fmt.Errorf("investigation task: report is %s (%s), not closed %s", k.c.Report.Status, k.c.Report.Outcome, outcome))
	}
	return nil
}

// appealPrefix keys the emails of an outcome decided on appeal apart from
// those of the first decision.
func (k task) appealPrefix() string {
	if k.onAppeal() {
		return "appeal:"
	}
	return ""
}

// notifyReinstated tells the business and the reviewer that the review is
// public again (P8) — after a first decision, or after the reviewer's appeal
// reversed a removal — each as moderation.WhoIsTold says. After a first
// decision, telling the business opens its appeal window. Both emails are
// claimed in the task's one write and recorded in one more
// (sendonce.StepAll): each goes at most once, and one task and one state
// transition tell both parties.
func (k task) notifyReinstated(ctx context.Context) error {
	if err := k.closedAs(moderation.OutcomeReinstated); err != nil {
		return err
	}
	var step app.Step
	var emails []sendonce.Email
	if k.told().Business {
		step.Events = k.closed(moderation.OutcomeReinstated, k.c.Report.Ground)
		if !k.onAppeal() {
			step.AppealDeadline = k.appealDeadline()
		}
		emails = append(emails, sendonce.Email{Key: k.appealPrefix() + "reinstated", Send: func() (string, error) {
			return k.mail.Send(ctx, k.business(), mail.ReviewReinstated{BusinessName: k.c.Business.Name, ReviewTitle: k.c.Review.Title,
				ReportURL: k.links.ReportLink(k.c.Report.ID), OnAppeal: k.onAppeal(), AppealDeadline: step.AppealDeadline})
		}})
	}
	if k.told().Reviewer {
		emails = append(emails, sendonce.Email{Key: k.appealPrefix() + "reinstated:reviewer", Send: func() (string, error) {
			return k.mail.Send(ctx, k.reviewer(), k.reinstatedForReviewer())
		}})
	}
	if len(emails) == 0 {
		return nil
	}
	step.Object, step.At = k.object(), k.now
	return sendonce.StepAll(ctx, k.store, k.c.Ledger, step, emails, k.owner(), k.log)
}

// reinstatedForReviewer is the reviewer's email that their review is
// public again, after the investigation or after their appeal.
func (k task) reinstatedForReviewer() mail.Message {
	return mail.ReviewReinstatedForReviewer{BusinessName: k.c.Business.Name, ReviewTitle: k.c.Review.Title, OnAppeal: k.onAppeal()}
}

// notifyReinstatedReviewer tells the reviewer that their review is public
// again. notify_reinstated sends this email itself; this task remains for
// the executions started when the state machines still had a state of
// their own for it: it finds the email sent and sends nothing, or sends
// it once when that execution told the business before notify_reinstated
// sent both.
func (k task) notifyReinstatedReviewer(ctx context.Context) error {
	if err := k.closedAs(moderation.OutcomeReinstated); err != nil || !k.told().Reviewer {
		return err
	}
	return k.mailStep(ctx, app.Step{}, k.appealPrefix()+"reinstated:reviewer", k.reviewer(), k.reinstatedForReviewer)
}

// notifyRemoved sends the reviewer the statement of reasons of a removal
// (P8): after a first decision with the appeal link; after the business's
// appeal reversed a reinstatement without one (the appeal's decision is
// final). The business is not emailed about a first removal
// (moderation.WhoIsTold).
func (k task) notifyRemoved(ctx context.Context) error {
	if err := k.closedAs(moderation.OutcomeRemoved); err != nil || !k.told().StatementOfReasons {
		return err
	}
	if !k.onAppeal() {
		return k.statementOfReasons(ctx)
	}
	st := app.Step{Events: k.closed(moderation.OutcomeRemoved, k.c.Report.Ground)}
	return k.mailStep(ctx, st, "appeal:removed", k.reviewer(), func() mail.Message { return k.removal("", time.Time{}) })
}

// notifyAppealBusiness tells the business that its appeal reversed the
// reinstatement: the review is removed.
func (k task) notifyAppealBusiness(ctx context.Context) error {
	if err := k.closedAs(moderation.OutcomeRemoved); err != nil {
		return err
	}
	if !k.onAppeal() || k.c.Appeal.Appellant != moderation.PartyBusiness {
		return workflow.Permanent(fmt.Errorf("investigation task: report %s was not removed on the business's appeal", k.c.Report.ID))
	}
	if !k.told().Business {
		return nil
	}
	return k.mailStep(ctx, app.Step{}, "appeal:decided:business", k.business(), func() mail.Message {
		return k.appealDecided(moderation.PartyBusiness)
	})
}

// appealDecided is the email of the appeal's outcome to party.
func (k task) appealDecided(to moderation.Party) mail.Message {
	a := k.c.Appeal
	outcome := "upheld"
	if a.Decision.Outcome == moderation.AppealReverse {
		outcome = "reversed"
	}
	m := mail.AppealDecided{Appellant: string(a.Appellant), ToAppellant: to == a.Appellant, Outcome: outcome,
		BusinessName: k.c.Business.Name, ReviewTitle: k.c.Review.Title, DecidedAt: a.Decision.At}
	if m.ToAppellant {
		m.Facts = a.Decision.Note
	}
	if to == moderation.PartyBusiness {
		m.ReportURL = k.links.ReportLink(k.c.Report.ID)
	} else {
		m.TimeZone = k.c.Review.Reviewer.TimeZone // the reviewer's; a business has none: its language's usual zone
	}
	return m
}

// enqueueAppeal, the appeal workflow's first task, keeps the token of the
// task waiting for the appeal's decision with the appeal and clears the
// recorded workflow start in the same write; a decision recorded already
// (before the workflow started, or its wake-up lost) is answered at once.
func (k task) enqueueAppeal(ctx context.Context) error {
	a := k.c.Appeal
	switch a.Status {
	case moderation.AppealOpen, moderation.AppealInProgress:
		err := k.store.SetAppealQueueToken(ctx, a.ID, k.ev.TaskToken, k.ev.Execution)
		if !errors.Is(err, moderation.ErrChanged) {
			return err
		}
		return workflow.Transient(fmt.Errorf("investigation task: appeal %s was decided meanwhile: %w", a.ID, err)) // the retry answers it
	case moderation.AppealDecided:
		if err := k.store.ClearStart(ctx, k.ev.Execution); err != nil {
			return err
		}
		return k.answered(ctx, app.AppealOutput{Outcome: a.Decision.Outcome, Result: a.Result()})
	}
	return workflow.Permanent(fmt.Errorf("investigation task: no appeal of report %s", k.c.Report.ID))
}

// upheld checks that the report's appeal was decided and rejected.
func (k task) upheld() error {
	a := k.c.Appeal
	if a.Status != moderation.AppealDecided || a.Decision.Outcome != moderation.AppealUphold {
		return workflow.Permanent(fmt.Errorf("investigation task: appeal of report %s is %s (%s), not upheld", k.c.Report.ID, a.Status, a.Decision.Outcome))
	}
	return nil
}

// notifyAppealUpheld tells the appellant that the first decision stands.
func (k task) notifyAppealUpheld(ctx context.Context) error {
	if err := k.upheld(); err != nil {
		return err
	}
	a := k.c.Appeal
	to := k.reviewer()
	if a.Appellant == moderation.PartyBusiness {
		to = k.business()
	}
	return k.mailStep(ctx, app.Step{}, "appeal:decided:"+string(a.Appellant), to, func() mail.Message { return k.appealDecided(a.Appellant) })
}

// notifyAppealUpheldReviewer tells the reviewer that the business's appeal
// against keeping their review online failed. A reviewer's own failed
// appeal concerns a removal: the business, the other party, is not
// emailed (moderation.WhoIsToldOfAppeal), and there is nothing more to send.
func (k task) notifyAppealUpheldReviewer(ctx context.Context) error {
	if err := k.upheld(); err != nil || k.c.Appeal.Appellant != moderation.PartyBusiness || !k.told().Reviewer {
		return err
	}
	return k.mailStep(ctx, app.Step{}, "appeal:decided:reviewer", k.reviewer(), func() mail.Message { return k.appealDecided(moderation.PartyReviewer) })
}

// confirmProof emails the reviewer a copy of the proof they sent, once.
// A proof wait that ended without one (no proof answer is recorded: the
// report moved on otherwise) sends nothing.
func (k task) confirmProof(ctx context.Context) error {
	return k.confirmAnswer(ctx, links.PurposeProof, 0, "proof:copy")
}

// confirmAction emails the reviewer a copy of the evidence or the edit they
// sent in the decision's round, once; nothing when the round was not
// answered (the task follows the wait, which may have ended otherwise).
func (k task) confirmAction(ctx context.Context) error {
	if k.ev.Round < 1 {
		return workflow.Permanent(errors.New("investigation task: the decision carries no round"))
	}
	kind := links.PurposeEvidence
	if k.c.Decision.Kind == moderation.ActionEdit {
		kind = links.PurposeEdit
	}
	return k.confirmAnswer(ctx, kind, k.ev.Round, fmt.Sprintf("action:%d:copy", k.ev.Round))
}

// confirmAppeal, the appeal workflow's first task, emails the reviewer who
// appealed through their link a copy of their appeal, once. A business's
// appeal (filed through the API, which answers it) sends nothing.
func (k task) confirmAppeal(ctx context.Context) error {
	a := k.c.Appeal
	if a.ID == "" {
		return workflow.Permanent(fmt.Errorf("investigation task: no appeal of report %s", k.c.Report.ID))
	}
	if a.Appellant != moderation.PartyReviewer {
		return nil
	}
	return k.mailStep(ctx, app.Step{}, "appeal:copy", k.reviewer(), func() mail.Message {
		return k.copyOf(mail.AnswerAppeal, a.Reason, a.FiledAt)
	})
}

// confirmAnswer emails the reviewer a copy of their answer of kind in
// round under email key, once (a retry finds the key sent). The answer is
// read from the table, never from the execution; for an edit the copy is
// the review as it now reads. It is a transactional email: it goes whether
// or not the reviewer stopped the reply emails.
func (k task) confirmAnswer(ctx context.Context, kind links.Purpose, round int, key string) error {
	answers, err := k.store.ReviewerAnswers(ctx, k.c.Report.ID)
	if err != nil {
		return err
	}
	a, ok := answerOf(answers, kind, round)
	if !ok {
		k.log.InfoContext(ctx, "no answer to confirm: the wait ended without one", "kind", kind)
		return nil
	}
	text, mk := a.Text, mail.AnswerEvidence
	switch kind {
	case links.PurposeProof:
		mk = mail.AnswerProof
	case links.PurposeEdit:
		mk, text = mail.AnswerEdit, k.c.Review.Text
	}
	return k.mailStep(ctx, app.Step{}, key, k.reviewer(), func() mail.Message { return k.copyOf(mk, text, a.At) })
}

// copyOf is the reviewer's copy of what they sent.
func (k task) copyOf(kind, text string, at time.Time) mail.Message {
	return mail.AnswerReceived{Kind: kind, BusinessName: k.c.Business.Name, ReviewTitle: k.c.Review.Title, Text: text,
		ReceivedAt: at, TimeZone: k.c.Review.Reviewer.TimeZone}
}

// answerOf returns the reviewer's answer of kind (the purpose of the link
// it came through) in round, the first if there were more.
func answerOf(answers []app.Answer, kind links.Purpose, round int) (app.Answer, bool) {
	for _, a := range answers {
		if a.Kind == string(kind) && a.Round == round {
			return a, true
		}
	}
	return app.Answer{}, false
}
