// Package investigation holds the task handlers of the report state machine
// (statemachines/investigation.asl.json): tell the reviewer, ask for proof,
// remove for want of proof, wait in the queue for an agent, ask the reviewer
// for evidence or an edit, requeue on silence, and close the report with its
// outcome. Every handler is idempotent (a retried task sends no second email)
// and events carry ids and enums only (P12).
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
	"github.com/candorhq/candor/shared/workflow"
)

// Event is a task's payload, as the state machine builds it.
type Event struct {
	Action    string `json:"action"`
	ReportID  string `json:"reportId"`
	Round     int    `json:"round,omitempty"`
	Execution string `json:"execution,omitempty"`
	TaskToken string `json:"taskToken,omitempty"`
	Cause     string `json:"cause,omitempty"`
}

// Result is a task's output.
type Result struct {
	Status string `json:"status,omitempty"`
}

// DecisionOutput is what the queue's task token is answered with: enums and
// numbers only, never an agent's note or message (they stay in the table).
type DecisionOutput struct {
	Outcome string `json:"outcome"`
	Kind    string `json:"kind,omitempty"`
	Round   int    `json:"round"`
}

// AppealWindow is how long the appeal link of a removal works.
const AppealWindow = 180 * 24 * time.Hour

// Store is what the tasks need of the table.
type Store interface {
	sendonce.Ledger
	ReportDetail(ctx context.Context, id string) (app.ReportDetail, error)
	GetTicket(ctx context.Context, id string) (moderation.Ticket, error)
	GetReview(ctx context.Context, id string) (moderation.Review, error)
	GetBusiness(ctx context.Context, id string) (moderation.Business, error)
	TicketDecision(ctx context.Context, id string) (moderation.Decision, string, error)
	SetTicketTaskToken(ctx context.Context, id, token string, at time.Time) error
	SetReportTaskToken(ctx context.Context, id string, status moderation.ReportStatus, round int, token string) error
	CreateLink(ctx context.Context, l app.Link) error
	// ReportKey is the item (partition, sort key) the email ledger of an object lives on.
	ReportKey(id string) (pk, sk string)
	CloseReport(ctx context.Context, c app.Closure) error
	ReviewerNoResponse(ctx context.Context, r moderation.Report, t moderation.Ticket, round int, at time.Time) error
	StartDone(ctx context.Context, name string) error
}

// Mailer sends one email.
type Mailer interface {
	Send(ctx context.Context, to mail.Recipient, msg mail.Message) (string, error)
}

// Tasks handles the report state machine's tasks.
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
	log := t.log.With("action", ev.Action, "reportId", ev.ReportID, "round", ev.Round, "execution", ev.Execution)
	var (
		res Result
		err error
	)
	switch ev.Action {
	case "notify_reported":
		err = t.notifyReported(ctx, ev)
	case "request_proof":
		err = t.requestProof(ctx, ev)
	case "remove_no_proof":
		res, err = t.removeNoProof(ctx, ev)
	case "enqueue":
		err = t.enqueue(ctx, ev)
	case "overdue":
		log.WarnContext(ctx, "ticket waits for a decision longer than the decision reminder; it stays in the queue")
	case "request_action":
		err = t.requestAction(ctx, ev)
	case "no_response":
		err = t.noResponse(ctx, ev)
	case "reinstate":
		err = t.close(ctx, ev, moderation.OutcomeReinstated)
	case "remove":
		err = t.close(ctx, ev, moderation.OutcomeRemoved)
	case "workflow_failed":
		log.ErrorContext(ctx, "report workflow failed beyond its retries; the report keeps its state", "cause", ev.Cause)
	default:
		err = &workflow.PermanentError{Err: fmt.Errorf("report task: unknown action %q", ev.Action)}
	}
	return res, workflow.Finish(ctx, log, "report task", res.Status, err)
}

type parties struct {
	app.ReportDetail
	ticket   moderation.Ticket
	review   moderation.Review
	business moderation.Business
}

func (t *Tasks) load(ctx context.Context, id string) (parties, error) {
	var p parties
	var err error
	if p.ReportDetail, err = t.store.ReportDetail(ctx, id); err != nil {
		if errors.Is(err, moderation.ErrNotFound) {
			return p, &workflow.PermanentError{Err: err}
		}
		return p, err
	}
	if p.ticket, err = t.store.GetTicket(ctx, p.Report.TicketID); err != nil {
		return p, err
	}
	if p.review, err = t.store.GetReview(ctx, p.Report.ReviewID); err != nil {
		return p, err
	}
	if p.business, err = t.store.GetBusiness(ctx, p.Report.BusinessID); err != nil {
		return p, err
	}
	return p, nil
}

func (p parties) reviewer() mail.Recipient {
	return mail.Recipient{Address: p.review.Reviewer.Email, Name: p.review.Reviewer.Name, Locale: p.review.Reviewer.Locale}
}

func (p parties) businessRecipient() mail.Recipient {
	return mail.Recipient{Address: p.business.NotificationEmail, Locale: p.business.Locale}
}

func (t *Tasks) once(ctx context.Context, reportID, key string, send func() (string, error)) error {
	pk, sk := t.store.ReportKey(reportID)
	return sendonce.Send(ctx, t.store, pk, sk, key, t.clock.Now(), t.log, send)
}

// link makes a reviewer link and returns its URL.
func (t *Tasks) link(ctx context.Context, purpose links.Purpose, reportID string, round int, deadline time.Time) (string, error) {
	token, hash, err := links.New()
	if err != nil {
		return "", err
	}
	if err := t.store.CreateLink(ctx, app.Link{Hash: hash, Purpose: purpose, ObjectID: reportID, Round: round, Deadline: deadline, Created: t.clock.Now()}); err != nil {
		return "", err
	}
	return t.links.ReviewerLink(token), nil
}

// notifyReported clears the recorded workflow start and tells the reviewer
// that their review was reported (and hidden, P4) while it is investigated.
func (t *Tasks) notifyReported(ctx context.Context, ev Event) error {
	if ev.Execution != "" {
		if err := t.store.StartDone(ctx, ev.Execution); err != nil {
			return err
		}
	}
	p, err := t.load(ctx, ev.ReportID)
	if err != nil {
		return err
	}
	return t.once(ctx, p.Report.ID, "reported", func() (string, error) {
		return t.mail.Send(ctx, p.reviewer(), mail.ReviewReported{BusinessName: p.business.Name, ReviewTitle: p.review.Title,
			PublicStatement: p.Report.PublicStatement, Hidden: p.Report.HidesReview})
	})
}

// answered wakes our own task at once when the reviewer's answer (or the
// agent's decision) is already recorded: the workflow goes straight on.
func (t *Tasks) answered(ctx context.Context, token string, output any) error {
	if err := workflow.Succeed(ctx, t.sfn, token, output); err != nil && !errors.Is(err, app.ErrTaskClosed) {
		return err
	}
	return nil
}

// requestProof asks the reviewer for proof of the experience (P6).
func (t *Tasks) requestProof(ctx context.Context, ev Event) error {
	p, err := t.load(ctx, ev.ReportID)
	if err != nil {
		return err
	}
	switch p.Report.Status {
	case moderation.ReportAwaitingProof:
	case moderation.ReportInQueue:
		return t.answered(ctx, ev.TaskToken, map[string]string{"answer": "proof"})
	default:
		return &workflow.PermanentError{Err: fmt.Errorf("report task: cannot ask for proof on a %s report", p.Report.Status)}
	}
	if err := t.store.SetReportTaskToken(ctx, p.Report.ID, moderation.ReportAwaitingProof, 0, ev.TaskToken); err != nil {
		return err
	}
	return t.once(ctx, p.Report.ID, "proof", func() (string, error) {
		url, err := t.link(ctx, links.PurposeProof, p.Report.ID, 0, p.ReviewerDeadline)
		if err != nil {
			return "", err
		}
		return t.mail.Send(ctx, p.reviewer(), mail.ProofRequest{BusinessName: p.business.Name, ReviewTitle: p.review.Title,
			ReplyURL: url, Deadline: p.ReviewerDeadline})
	})
}

// removeNoProof removes the review when no proof came in the window (P6),
// unless the proof won the race, in which case the report goes to the queue.
func (t *Tasks) removeNoProof(ctx context.Context, ev Event) (Result, error) {
	return t.removeNoProofOnce(ctx, ev, true)
}

func (t *Tasks) removeNoProofOnce(ctx context.Context, ev Event, again bool) (Result, error) {
	p, err := t.load(ctx, ev.ReportID)
	if err != nil {
		return Result{}, err
	}
	switch p.Report.Status {
	case moderation.ReportInQueue:
		return Result{Status: "answered"}, nil
	case moderation.ReportAwaitingProof:
		err := t.store.CloseReport(ctx, app.Closure{Report: p.Report, Ticket: p.ticket, Outcome: moderation.OutcomeRemoved,
			Ground: moderation.GroundNoProofProvided, Actor: "system", At: t.clock.Now()})
		if errors.Is(err, moderation.ErrChanged) && again {
			return t.removeNoProofOnce(ctx, ev, false) // the proof arrived at the last moment: decide on what is stored now
		}
		if err != nil {
			return Result{}, err
		}
		if p, err = t.load(ctx, ev.ReportID); err != nil {
			return Result{}, err
		}
	case moderation.ReportClosed: // a retry after the removal was written
	default:
		return Result{}, &workflow.PermanentError{Err: fmt.Errorf("report task: cannot remove a %s report for want of proof", p.Report.Status)}
	}
	return Result{Status: "removed"}, t.statementOfReasons(ctx, p, "", moderation.GroundNoProofProvided)
}

// statementOfReasons emails the reviewer why the review was removed (P8),
// with a link to appeal.
func (t *Tasks) statementOfReasons(ctx context.Context, p parties, facts, ground string) error {
	return t.once(ctx, p.Report.ID, "removed", func() (string, error) {
		url, err := t.link(ctx, links.PurposeAppeal, p.Report.ID, 0, t.clock.Now().Add(AppealWindow))
		if err != nil {
			return "", err
		}
		reasons := make([]moderation.Reason, len(p.Report.Items))
		for i, it := range p.Report.Items {
			reasons[i] = it.Reason
		}
		decided := p.Report.ClosedAt
		if decided.IsZero() {
			decided = t.clock.Now()
		}
		return t.mail.Send(ctx, p.reviewer(), mail.ReviewRemoved{BusinessName: p.business.Name, ReviewTitle: p.review.Title,
			Reasons: reasons, Facts: facts, Ground: ground, DecidedAt: decided, AppealURL: url})
	})
}

// enqueue keeps the queue's task token with the ticket, so the decision API
// can answer it. A decision already recorded (its wake-up was lost) is
// answered at once.
func (t *Tasks) enqueue(ctx context.Context, ev Event) error {
	p, err := t.load(ctx, ev.ReportID)
	if err != nil {
		return err
	}
	switch p.ticket.Status {
	case moderation.TicketOpen, moderation.TicketInProgress:
		return t.store.SetTicketTaskToken(ctx, p.ticket.ID, ev.TaskToken, t.clock.Now())
	case moderation.TicketDecided, moderation.TicketWaitingForReviewer:
		d, _, err := t.store.TicketDecision(ctx, p.ticket.ID)
		if err != nil {
			return err
		}
		return t.answered(ctx, ev.TaskToken, DecisionOutput{Outcome: d.Outcome, Kind: d.Kind, Round: d.Round})
	}
	return &workflow.PermanentError{Err: fmt.Errorf("report task: ticket is %s", p.ticket.Status)}
}

// requestAction emails the reviewer the agent's request for evidence or an
// edit (P7) and keeps the task token with the report.
func (t *Tasks) requestAction(ctx context.Context, ev Event) error {
	p, err := t.load(ctx, ev.ReportID)
	if err != nil {
		return err
	}
	if p.Report.Status != moderation.ReportAwaitingReviewer || p.Round != ev.Round {
		if p.Round >= ev.Round && p.Report.Status != moderation.ReportClosed {
			return t.answered(ctx, ev.TaskToken, map[string]string{"answer": "reviewer"}) // answered already
		}
		return &workflow.PermanentError{Err: fmt.Errorf("report task: report is %s in round %d, not awaiting the reviewer in round %d", p.Report.Status, p.Round, ev.Round)}
	}
	if err := t.store.SetReportTaskToken(ctx, p.Report.ID, moderation.ReportAwaitingReviewer, ev.Round, ev.TaskToken); err != nil {
		return err
	}
	d, _, err := t.store.TicketDecision(ctx, p.ticket.ID)
	if err != nil {
		return err
	}
	purpose := links.PurposeEvidence
	if d.Kind == moderation.ActionEdit {
		purpose = links.PurposeEdit
	}
	return t.once(ctx, p.Report.ID, fmt.Sprintf("action:%d", ev.Round), func() (string, error) {
		url, err := t.link(ctx, purpose, p.Report.ID, ev.Round, p.ReviewerDeadline)
		if err != nil {
			return "", err
		}
		return t.mail.Send(ctx, p.reviewer(), mail.ComplianceRequest{Kind: d.Kind, BusinessName: p.business.Name,
			ReviewTitle: p.review.Title, Message: d.Message, ReplyURL: url, Deadline: p.ReviewerDeadline})
	})
}

// noResponse returns the ticket to the queue marked no_response (P7).
func (t *Tasks) noResponse(ctx context.Context, ev Event) error {
	p, err := t.load(ctx, ev.ReportID)
	if err != nil {
		return err
	}
	if p.Report.Status != moderation.ReportAwaitingReviewer || p.Round != ev.Round {
		return nil // answered at the last moment, or a retry after the write
	}
	err = t.store.ReviewerNoResponse(ctx, p.Report, p.ticket, ev.Round, t.clock.Now())
	if errors.Is(err, moderation.ErrChanged) {
		return nil
	}
	return err
}

// close applies the agent's decision (P8): reinstated — the review is
// public again and the business is emailed; removed — the review stays
// offline and the reviewer gets a statement of reasons.
func (t *Tasks) close(ctx context.Context, ev Event, outcome moderation.Outcome) error {
	p, err := t.load(ctx, ev.ReportID)
	if err != nil {
		return err
	}
	d, _, err := t.store.TicketDecision(ctx, p.ticket.ID)
	if err != nil {
		return err
	}
	if p.Report.Status != moderation.ReportClosed {
		err := t.store.CloseReport(ctx, app.Closure{Report: p.Report, Ticket: p.ticket, Outcome: outcome,
			Ground: moderation.GroundAgentDecision, Actor: "agent:" + d.Agent, At: t.clock.Now()})
		if err != nil {
			return err
		}
		if p, err = t.load(ctx, ev.ReportID); err != nil {
			return err
		}
	}
	if outcome == moderation.OutcomeRemoved {
		return t.statementOfReasons(ctx, p, d.Note, moderation.GroundAgentDecision)
	}
	return t.once(ctx, p.Report.ID, "reinstated", func() (string, error) {
		return t.mail.Send(ctx, p.businessRecipient(), mail.ReviewReinstated{ReviewTitle: p.review.Title, ReportURL: t.links.ReportLink(p.Report.ID)})
	})
}
