package app

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/candorhq/candor/shared/ids"
	"github.com/candorhq/candor/shared/moderation"
)

// DeskStore is what the compliance desk needs of the table.
type DeskStore interface {
	// ListTickets lists the queue, by status and kind when they are not "".
	ListTickets(ctx context.Context, status moderation.TicketStatus, kind moderation.TicketKind, p Page) ([]moderation.Ticket, string, error)
	GetTicket(ctx context.Context, id string) (moderation.Ticket, error)
	// TicketDetail reads a ticket, its audit trail and its recorded decision.
	TicketDetail(ctx context.Context, id string) (moderation.Ticket, []moderation.AuditEntry, moderation.Decision, error)
	// TicketToken returns the token of the task waiting for the ticket's decision ("" if none).
	TicketToken(ctx context.Context, id string) (string, error)
	ReportDetail(ctx context.Context, id string) (ReportDetail, error)
	ReviewContext(ctx context.Context, id string) (moderation.ReviewContext, error)
	ReviewVersions(ctx context.Context, id string) ([]moderation.ReviewVersion, error)
	ReviewAudit(ctx context.Context, id string) ([]moderation.AuditEntry, error)
	GetRequest(ctx context.Context, id string) (moderation.FindRequest, []moderation.AuditEntry, error)
	// Stalled lists the workflows stopped at a failed step, oldest first.
	Stalled(ctx context.Context) ([]StalledWorkflow, error)
	// ClaimTicket gives an open ticket to an agent (moderation.ErrChanged when it is not open any more).
	ClaimTicket(ctx context.Context, t moderation.Ticket, agent string, at time.Time, idem *Idempotency) error
	// DecideTicket records a decision in one transaction (moderation.ErrChanged
	// when the ticket or report changed since they were read).
	DecideTicket(ctx context.Context, d TicketDecision) error
}

// ListTickets is the compliance queue, oldest first, optionally by status
// and by kind (review or reply tickets).
func (a *App) ListTickets(ctx context.Context, status moderation.TicketStatus, kind moderation.TicketKind, p Page) ([]moderation.Ticket, string, error) {
	if status != "" && !status.Valid() {
		return nil, "", moderation.InvalidField("status", "must be one of open, in_progress, waiting_for_reviewer, decided")
	}
	if kind != "" && !kind.Valid() {
		return nil, "", moderation.InvalidField("kind", "must be review or reply")
	}
	return a.store.ListTickets(ctx, status, kind, p)
}

// StalledWorkflows lists the workflows that stopped at a failed step and
// wait for ops to redrive them, oldest first.
func (a *App) StalledWorkflows(ctx context.Context) ([]StalledWorkflow, error) {
	return a.store.Stalled(ctx)
}

// RequestTrail is a Find Reviewer request with its audit trail.
type RequestTrail struct {
	Request moderation.FindRequest
	Trail   []moderation.AuditEntry
}

// TicketCase is everything an agent needs to decide a ticket.
type TicketCase struct {
	Ticket   moderation.Ticket
	Trail    []moderation.AuditEntry
	Decision moderation.Decision // the latest decision ("" outcome if none)
	// Notes are the agents' internal notes on the ticket, oldest first:
	// compliance's only.
	Notes       []moderation.InternalNote
	Report      ReportDetail
	Review      moderation.ReviewContext
	Versions    []moderation.ReviewVersion
	ReviewTrail []moderation.AuditEntry
	// Requests are the business's Find Reviewer requests on the review, with
	// their audit trails (P13).
	Requests []RequestTrail
	// ReplyReports and ReplyVersions, for a reply ticket (which has no
	// Report): the reports it collected and every text the reply had.
	ReplyReports  []moderation.ReplyReport
	ReplyVersions []moderation.ReplyVersion
}

// Ticket reads a ticket's case: the report, every version of the review,
// the reviewer's answers, the Find Reviewer requests, the audit trails and
// the internal notes.
func (a *App) Ticket(ctx context.Context, id string) (TicketCase, error) {
	var c TicketCase
	if !ids.Valid("tkt", id) {
		return c, notFound("ticket")
	}
	rec, err := a.store.TicketRecord(ctx, id)
	if err != nil {
		return c, err
	}
	c.Ticket, c.Trail, c.Decision, c.Notes = rec.Ticket, rec.Trail, rec.Decision, rec.Notes
	if c.Ticket.Kind == moderation.TicketKindReply {
		return a.replyTicketCase(ctx, c)
	}
	if c.Report, err = a.store.ReportDetail(ctx, c.Ticket.ReportID); err != nil {
		return c, err
	}
	c.Report.Trail = moderation.WithAppealWindowEnd(c.Report.Report, c.Report.Trail, a.clock.Now())
	rv, err := a.store.ReviewRecord(ctx, c.Ticket.ReviewID)
	if err != nil {
		return c, err
	}
	c.Review, c.Versions, c.ReviewTrail = rv.Context, rv.Versions, rv.Trail
	for _, sum := range c.Review.Requests {
		fr, trail, err := a.store.GetRequest(ctx, sum.ID)
		if err != nil {
			return c, err
		}
		c.Requests = append(c.Requests, RequestTrail{Request: fr, Trail: trail})
	}
	return c, nil
}

// rewakeDecision answers the queue's task with the decision recorded on t
// again. A decision refused because one is recorded is often the client's
// repeat of a decision whose answer was lost (a 5xx after the write); its
// wake-up may have been lost with it, and the workflow would not look again
// before the decision reminder. Waking twice is harmless: a closed task is
// not woken.
func (a *App) rewakeDecision(ctx context.Context, t moderation.Ticket) {
	_, _, d, err := a.store.TicketDetail(ctx, t.ID)
	if err != nil || d.Outcome == "" {
		return
	}
	a.wake(ctx, "decision (again)", WakeTicket, t.ID, func(ctx context.Context) (string, error) { return a.store.TicketToken(ctx, t.ID) },
		DecisionOutput{Outcome: d.Outcome, Kind: d.Kind, Round: t.Rounds})
}

// Claim gives an open ticket to the calling agent. Claiming a ticket one
// holds already returns it again; one another agent holds is a conflict.
func (a *App) Claim(ctx context.Context, actor Actor, id string, idem *Idempotency) (moderation.Ticket, error) {
	if !ids.Valid("tkt", id) {
		return moderation.Ticket{}, notFound("ticket")
	}
	t, err := a.store.GetTicket(ctx, id)
	if err != nil {
		return t, err
	}
	if t.Status == moderation.TicketInProgress && t.Assignee == actor.Subject {
		return t, nil
	}
	if err := moderation.CanClaim(t); err != nil {
		return moderation.Ticket{}, err
	}
	now := a.clock.Now()
	if idem != nil {
		idem.Resource = t.ID
	}
	err = a.store.ClaimTicket(ctx, t, actor.Subject, now, idem)
	if errors.Is(err, moderation.ErrChanged) {
		err = moderation.Conflict(moderation.CodeTicketNotOpen, "the ticket was claimed meanwhile")
		if cur, gerr := a.store.GetTicket(ctx, id); gerr == nil {
			if cerr := moderation.CanClaim(cur); cerr != nil {
				err = cerr
			}
		}
	}
	if err != nil {
		return moderation.Ticket{}, fmt.Errorf("claim: %w", err)
	}
	t.Status, t.Assignee, t.UpdatedAt = moderation.TicketInProgress, actor.Subject, now
	return t, nil
}

// Decide records an agent's decision (P7, P8) and wakes the investigation.
// What it changes is moderation.Decide's consequence: reinstate and remove
// close the report, publish or remove the review and decide the ticket in
// the decision's own transaction: the outcome never
// waits for the workflow, which only sends the emails. A reviewer-action
// request opens the next round (at most Policy.MaxReviewerRounds). It
// returns the ticket as it is after the decision, and the decision.
func (a *App) Decide(ctx context.Context, actor Actor, id string, d moderation.Decision, idem *Idempotency) (moderation.Ticket, moderation.Decision, error) {
	if !ids.Valid("tkt", id) {
		return moderation.Ticket{}, d, notFound("ticket")
	}
	now := a.clock.Now()
	d.Note, d.Message, d.Agent, d.At = moderation.CleanText(d.Note), moderation.CleanText(d.Message), actor.Subject, now
	t, err := a.store.GetTicket(ctx, id)
	if err != nil {
		return moderation.Ticket{}, d, err
	}
	if t.Kind == moderation.TicketKindReply {
		return a.decideReply(ctx, t, d, idem)
	}
	if err := moderation.ValidateDecision(t, d, nil, a.policy.MaxReviewerRounds); err != nil && !moderation.IsCode(err, moderation.CodeValidationFailed) {
		if t.Status == moderation.TicketDecided || t.Status == moderation.TicketWaitingForReviewer {
			a.rewakeDecision(ctx, t)
		}
		return moderation.Ticket{}, d, err // not claimed, or rounds exhausted: before any further read
	}
	rd, err := a.store.ReportDetail(ctx, t.ReportID)
	if err != nil {
		return moderation.Ticket{}, d, err
	}
	cons, err := moderation.Decide(rd.Report, t, d, a.policy, now)
	if err != nil {
		return moderation.Ticket{}, d, err
	}
	after := t
	after.Status, after.UpdatedAt = cons.TicketStatus, now
	if cons.Round > 0 {
		after.Rounds, d.Round = cons.Round, cons.Round
	}
	if idem != nil {
		idem.Resource = t.ID
	}
	err = a.store.DecideTicket(ctx, TicketDecision{Ticket: t, Report: rd.Report, Decision: d, Consequence: cons, Idempotency: idem})
	if errors.Is(err, moderation.ErrChanged) {
		err = moderation.Conflict(moderation.CodeTicketNotInProgress, "the ticket changed meanwhile (another decision was recorded)")
	}
	if err != nil {
		return moderation.Ticket{}, d, fmt.Errorf("decide: %w", err)
	}
	a.wake(ctx, "decision", WakeTicket, t.ID, func(ctx context.Context) (string, error) { return a.store.TicketToken(ctx, t.ID) },
		DecisionOutput{Outcome: d.Outcome, Kind: d.Kind, Round: after.Rounds})
	return after, d, nil
}
