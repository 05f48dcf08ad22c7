package app

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/candorhq/candor/shared/ids"
	"github.com/candorhq/candor/shared/links"
	"github.com/candorhq/candor/shared/moderation"
)

// ReplyReportStore is what reports on replies and their tickets need of
// the table.
type ReplyReportStore interface {
	// FileReplyReport writes one report on a reply in one transaction: the
	// report in its slot (taken once per reply revision), the ticket it
	// opens or joins, the reply naming its open ticket, the reviewer's link
	// consumed when it came through one, and the audit entries — on the
	// condition that the reply and the ticket are as read.
	// moderation.ErrChanged when any of it is not.
	FileReplyReport(ctx context.Context, w ReplyReportWrite) error
	// ReplyReportFiled reports whether the slot of a reply revision is taken.
	ReplyReportFiled(ctx context.Context, reviewID string, revision int, slot string) (bool, error)
	// ReplyTicketReports returns the reports a reply ticket collected, oldest first.
	ReplyTicketReports(ctx context.Context, reviewID, ticketID string) ([]moderation.ReplyReport, error)
	// DecideReplyTicket records an agent's decision on a reply ticket in
	// one transaction (moderation.ErrChanged when the ticket or the reply
	// changed since they were read).
	DecideReplyTicket(ctx context.Context, w ReplyDecisionWrite) error
}

// ReplyReportWrite is one report on a reply, as one transaction.
type ReplyReportWrite struct {
	Review moderation.Review // as read: the reply's revision and open ticket are the condition
	Report moderation.ReplyReport
	Slot   string // moderation.ReplyReportSlot(Report)
	// Ticket is the ticket after the report; Opened when the report opens
	// it, otherwise PrevReports is the count it was read with.
	Ticket      moderation.Ticket
	Opened      bool
	PrevReports int
	// LinkHash is the reviewer's link the report came through ("" from the public).
	LinkHash string
	At       time.Time
}

// ReplyDecisionWrite is an agent's decision on a reply ticket, as one
// transaction.
type ReplyDecisionWrite struct {
	Ticket      moderation.Ticket // as read: in progress, held by the agent
	Review      moderation.Review // as read: its reply names the ticket
	Decision    moderation.Decision
	Consequence moderation.ReplyConsequence
	Events      []Event
	// Start is the reply machine's execution that tells the business and
	// the reviewer (nil when no one is told).
	Start       *WorkflowStart
	Idempotency *Idempotency
}

// ReplyReportInput is a report on a reply as it arrives.
type ReplyReportInput struct {
	Reason  string
	Details string
}

// fileAttempts is how often a report is tried when a concurrent report on
// the same reply changed the ticket it joins.
const fileAttempts = 5

// ReportReplyPublic files anyone's report on the reply of reviewID (docs/
// product.md, "Reply reports"): only a reply the public sees can be
// reported (not found otherwise); a bad reason or details is 422 naming
// the field and changes nothing; a reason already reported from the
// public on this text of the reply is 409 reply_already_reported.
func (a *App) ReportReplyPublic(ctx context.Context, reviewID string, in ReplyReportInput) error {
	reason, details, err := moderation.ValidateReplyReport(in.Reason, in.Details)
	if err != nil {
		return err
	}
	return a.fileReplyReport(ctx, reviewID, moderation.ReplyReport{Reason: reason, Details: details, Reporter: moderation.ReplyReporterPublic}, "")
}

// fileReplyReport files r on the reply of reviewID: it opens a reply ticket
// or joins the open one, trying again when a concurrent report changed the
// ticket meanwhile.
func (a *App) fileReplyReport(ctx context.Context, reviewID string, r moderation.ReplyReport, linkHash string) error {
	for attempt := 1; ; attempt++ {
		rev, err := a.store.GetReview(ctx, reviewID)
		if errors.Is(err, moderation.ErrNotFound) {
			return notFound("review")
		}
		if err != nil {
			return fmt.Errorf("report reply %s: %w", reviewID, err)
		}
		if err := moderation.CanReportReply(rev); err != nil {
			return err
		}
		now := a.clock.Now()
		r.ReviewID, r.BusinessID, r.ReplyRevision, r.At = rev.ID, rev.BusinessID, rev.Reply.Revision, now
		w := ReplyReportWrite{Review: rev, Report: r, Slot: moderation.ReplyReportSlot(r), LinkHash: linkHash, At: now}
		if rev.Reply.TicketID == "" {
			w.Ticket, w.Opened = moderation.NewReplyTicket(ids.New("tkt"), r, now), true
		} else {
			t, err := a.store.GetTicket(ctx, rev.Reply.TicketID)
			if err != nil {
				return fmt.Errorf("report reply %s: %w", reviewID, err)
			}
			w.Ticket, w.PrevReports = moderation.AddReplyReport(t, r, now), t.Reports
		}
		err = a.store.FileReplyReport(ctx, w)
		if err == nil {
			return nil
		}
		if !errors.Is(err, moderation.ErrChanged) {
			return fmt.Errorf("report reply %s: %w", reviewID, err)
		}
		// The write refused: the slot was taken, or the reply or its ticket
		// changed meanwhile (then try again on what is there now).
		taken, ferr := a.store.ReplyReportFiled(ctx, reviewID, rev.Reply.Revision, w.Slot)
		if ferr == nil && taken {
			return moderation.Conflict(moderation.CodeReplyAlreadyReported, "this reply was already reported for this reason; compliance has it")
		}
		if attempt == fileAttempts {
			return moderation.Conflict(moderation.CodeStateChanged, "the reply changed meanwhile; read it and report again")
		}
	}
}

// replyReportLinkState says whether a reviewer's report link can be used:
// once, within its window, while the reply is public.
func replyReportLinkState(l Link, rev moderation.Review, now time.Time) LinkState {
	switch {
	case !l.UsedAt.IsZero():
		return LinkUsed
	case !now.Before(l.Deadline), moderation.CanReportReply(rev) != nil:
		return LinkExpired
	}
	return LinkOpen
}

// viewReplyReportLink is what the reviewer's report link shows: the reply
// (as Message) beside their review.
func (a *App) viewReplyReportLink(ctx context.Context, l Link) (LinkView, error) {
	rev, err := a.store.GetReview(ctx, l.ObjectID)
	if err != nil {
		return LinkView{}, fmt.Errorf("reply report page: %w", err)
	}
	biz, err := a.store.GetBusiness(ctx, rev.BusinessID)
	if err != nil {
		return LinkView{}, fmt.Errorf("reply report page: %w", err)
	}
	return LinkView{Purpose: l.Purpose, State: replyReportLinkState(l, rev, a.clock.Now()), Locale: rev.Reviewer.Locale,
		BusinessName: biz.Name, Message: rev.Reply.Text, ReviewTitle: rev.Title, ReviewText: rev.Text, ReviewStars: rev.Stars,
		Deadline: l.Deadline}, nil
}

// submitReplyReport files the reviewer's report through their link, once.
func (a *App) submitReplyReport(ctx context.Context, hash string, l Link, s LinkSubmission) error {
	reason, details, err := moderation.ValidateReplyReport(s.Reason, s.Text)
	if err != nil {
		return err
	}
	rev, err := a.store.GetReview(ctx, l.ObjectID)
	if err != nil {
		return fmt.Errorf("reply report page: %w", err)
	}
	if st := replyReportLinkState(l, rev, a.clock.Now()); st != LinkOpen {
		return linkStateErr(st)
	}
	err = a.fileReplyReport(ctx, l.ObjectID, moderation.ReplyReport{Reason: reason, Details: details, Reporter: moderation.ReplyReporterReviewer}, hash)
	if moderation.IsCode(err, moderation.CodeReplyAlreadyReported) {
		return ErrLinkUsed
	}
	if moderation.KindOf(err) == moderation.KindNotFound {
		return ErrLinkExpired // the reply was taken down meanwhile
	}
	return err
}

// replyTicketCase reads a reply ticket's case: the reports, the review with
// its reply, every text the reply had and the review's audit trail.
func (a *App) replyTicketCase(ctx context.Context, c TicketCase) (TicketCase, error) {
	var err error
	if c.ReplyReports, err = a.store.ReplyTicketReports(ctx, c.Ticket.ReviewID, c.Ticket.ID); err != nil {
		return c, err
	}
	if c.Review, err = a.store.ReviewContext(ctx, c.Ticket.ReviewID); err != nil {
		return c, err
	}
	if c.ReplyVersions, err = a.store.ReplyVersions(ctx, c.Ticket.ReviewID); err != nil {
		return c, err
	}
	if c.ReviewTrail, err = a.store.ReviewAudit(ctx, c.Ticket.ReviewID); err != nil {
		return c, err
	}
	return c, nil
}

// replyDecisionStart is the execution that tells of the decision on ticket
// t, named after the ticket (a repeated start is harmless).
func replyDecisionStart(t moderation.Ticket, revision int, at time.Time) WorkflowStart {
	sum := sha256.Sum256([]byte(t.ID))
	return WorkflowStart{Machine: MachineReply, Name: "replydecision-" + hex.EncodeToString(sum[:12]),
		Input: workflowInput(ReplyNoticeInput{ReviewID: t.ReviewID, BusinessID: t.BusinessID, TicketID: t.ID, Revision: revision}), At: at}
}

// decideReply records an agent's decision on a reply ticket: remove or keep
// (moderation.DecideReply). A removal takes the reply down as removed by
// compliance (its versions stay), counts it in the business's signals,
// records reply.removed with removedBy compliance, and tells the business
// with a statement of reasons; the reviewer, if they reported through
// their link, is told either outcome. All of it but the emails is the
// decision's one transaction.
func (a *App) decideReply(ctx context.Context, t moderation.Ticket, d moderation.Decision, idem *Idempotency) (moderation.Ticket, moderation.Decision, error) {
	if err := moderation.ValidateReplyDecision(t, d, t.ReplyReasons); err != nil && !moderation.IsCode(err, moderation.CodeValidationFailed) {
		return moderation.Ticket{}, d, err // not claimed: before any further read
	}
	rev, err := a.store.GetReview(ctx, t.ReviewID)
	if err != nil {
		return moderation.Ticket{}, d, fmt.Errorf("decide reply ticket %s: %w", t.ID, err)
	}
	now := d.At
	cons, err := moderation.DecideReply(t, rev.Reply, d, t.ReplyReasons, t.ReviewerReported, now)
	if err != nil {
		return moderation.Ticket{}, d, err
	}
	w := ReplyDecisionWrite{Ticket: t, Review: rev, Decision: d, Consequence: cons, Idempotency: idem}
	if cons.Remove && a.replyEvents != nil {
		biz, err := a.store.GetBusiness(ctx, rev.BusinessID)
		if err != nil {
			return moderation.Ticket{}, d, fmt.Errorf("decide reply ticket %s: %w", t.ID, err)
		}
		if biz.Webhooks > 0 {
			after := rev
			after.Reply = cons.Reply
			w.Events = append(w.Events, a.replyEvents.ReplyRemoved(after, RemovedByCompliance, now))
		}
	}
	if cons.TellBusiness || cons.TellReviewer {
		ws := replyDecisionStart(t, cons.Reply.Revision, now)
		w.Start = &ws
	}
	if idem != nil {
		idem.Resource = t.ID
	}
	err = a.store.DecideReplyTicket(ctx, w)
	if errors.Is(err, moderation.ErrChanged) {
		err = moderation.Conflict(moderation.CodeTicketNotInProgress, "the ticket or its reply changed meanwhile (another decision was recorded); read the ticket again")
	}
	if err != nil {
		return moderation.Ticket{}, d, fmt.Errorf("decide reply ticket %s: %w", t.ID, err)
	}
	if w.Start != nil {
		a.start(ctx, *w.Start)
	}
	after := t
	after.Status, after.UpdatedAt = cons.TicketStatus, now
	return after, d, nil
}

// isReplyReportLink reports whether l is a reviewer's link to report a reply.
func isReplyReportLink(l Link) bool { return l.Purpose == links.PurposeReportReply }
