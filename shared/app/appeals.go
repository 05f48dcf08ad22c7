package app

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/candorhq/candor/shared/ids"
	"github.com/candorhq/candor/shared/moderation"
)

// AppealStore is what appeals need of the table.
type AppealStore interface {
	ReportDetail(ctx context.Context, id string) (ReportDetail, error)
	TicketDetail(ctx context.Context, id string) (moderation.Ticket, []moderation.AuditEntry, moderation.Decision, error)
	ReviewVersions(ctx context.Context, id string) ([]moderation.ReviewVersion, error)
	GetReview(ctx context.Context, id string) (moderation.Review, error)
	// FileAppeal records an appeal once, with the report marked appealed
	// (moderation.ErrChanged when the report was appealed, or its window
	// closed, meanwhile — or the link was used).
	FileAppeal(ctx context.Context, f AppealFiling) error
	ListAppeals(ctx context.Context, status moderation.AppealStatus, p Page) ([]moderation.Appeal, string, error)
	// AppealDetail reads an appeal, its audit trail and the token of the task waiting for its decision.
	AppealDetail(ctx context.Context, id string) (moderation.Appeal, []moderation.AuditEntry, string, error)
	// ClaimAppeal gives an open appeal to an agent (moderation.ErrChanged when it is not open any more).
	ClaimAppeal(ctx context.Context, a moderation.Appeal, agent string, at time.Time, idem *Idempotency) error
	// DecideAppeal records an appeal's decision in one transaction
	// (moderation.ErrChanged when the appeal or report changed since read).
	DecideAppeal(ctx context.Context, d AppealDecisionWrite) error
}

// AppealFiling is everything filing an appeal writes, in one transaction.
type AppealFiling struct {
	Appeal moderation.Appeal
	Report moderation.Report // as read: closed, not appealed
	// LinkHash is the reviewer's appeal link, consumed by the same write ("" for the business).
	LinkHash string
	Actor    string
	// Start is the appeal's workflow (MachineAppeal), recorded with it.
	Start       WorkflowStart
	Idempotency *Idempotency
	// Documents are the appeal link's arrived, unsent documents the appeal
	// carries, marked sent by the same transaction.
	Documents []ReportDocument
}

// AppealDecisionWrite is an appeal's decision as one transaction: the
// appeal decided and, for a reversal, the report's outcome changed and the
// review published or removed — so the outcome never waits for the
// workflow, which sends the emails.
type AppealDecisionWrite struct {
	Appeal      moderation.Appeal // as read: in progress, held by the agent
	Report      moderation.Report // as read: closed with the contested outcome
	Decision    moderation.AppealDecision
	Consequence moderation.AppealConsequence // what the store writes (moderation.DecideAppeal)
	Idempotency *Idempotency
}

// AppealOutput is what an appeal's decision answers the waiting task with:
// the state machine chooses the notifications by it.
type AppealOutput struct {
	Outcome string             `json:"outcome"` // uphold or reverse
	Result  moderation.Outcome `json:"result"`  // the report's outcome now
}

// MachineAppeal is the state machine of an appeal: one execution per
// appeal, named after it, started when the appeal is filed.
const MachineAppeal = "appeal"

// appealInput is an appeal workflow's input: the report's ids (the tasks
// read the appeal by the report's) and the decision reminder in seconds,
// which the queue task's timeout reads.
type appealInput struct {
	Case   CaseIDs `json:"case"`
	Window struct {
		Decision int64 `json:"decision"`
	} `json:"window"`
}

// appealStart is the workflow start of the appeal of report r's decision,
// filed at: the appeal's queue, its decision reminder and the emails of its outcome.
func (a *App) appealStart(r moderation.Report, at time.Time) WorkflowStart {
	in := appealInput{Case: CaseIDs{ReportID: r.ID, TicketID: r.TicketID, ReviewID: r.ReviewID, BusinessID: r.BusinessID}}
	in.Window.Decision = seconds(a.policy.DecisionReminder)
	return WorkflowStart{Machine: MachineAppeal, Name: moderation.AppealID(r.ID), Input: workflowInput(in), At: at}
}

// AppealCase is everything an agent needs to decide an appeal.
type AppealCase struct {
	Appeal moderation.Appeal
	Trail  []moderation.AuditEntry
	Report ReportDetail
	// FirstDecision is the decision appealed, with its note and agent
	// ("" Agent for the automated no-proof removal).
	FirstDecision moderation.Decision
	Versions      []moderation.ReviewVersion
}

// FileBusinessAppeal files the business's appeal of a reinstatement (DSA
// Art. 20) with its reason (20–2000 characters), within the appeal window
// from when it was told. Another business's report is not found; an appeal
// of a removal (409 appeal_not_allowed), a second appeal (409
// appeal_exists) and a late one (410 appeal_window_closed) change nothing.
func (a *App) FileBusinessAppeal(ctx context.Context, actor Actor, reportID, reason string, idem *Idempotency) (moderation.Appeal, error) {
	if !ids.Valid("rpt", reportID) {
		return moderation.Appeal{}, notFound("report")
	}
	reason = moderation.CleanText(reason)
	if err := moderation.ValidateAppealReason(reason); err != nil {
		return moderation.Appeal{}, err
	}
	rd, err := a.store.ReportDetail(ctx, reportID)
	if errors.Is(err, moderation.ErrNotFound) || err == nil && rd.Report.BusinessID != actor.BusinessID {
		return moderation.Appeal{}, notFound("report")
	}
	if err != nil {
		return moderation.Appeal{}, err
	}
	return a.fileAppeal(ctx, rd, moderation.PartyBusiness, reason, "", actor.audit(), idem)
}

// fileAppeal checks and records an appeal of rd's decision by party, with
// the start of its workflow, and starts it. A repeat of an appeal still
// open starts it again (a start is idempotent), in case the first start and
// its recorded retry are both still to come.
func (a *App) fileAppeal(ctx context.Context, rd ReportDetail, party moderation.Party, reason, linkHash, auditActor string, idem *Idempotency) (moderation.Appeal, error) {
	now := a.clock.Now()
	r := rd.Report
	if err := moderation.CanAppeal(r, party, now); err != nil {
		if moderation.IsCode(err, moderation.CodeAppealExists) && r.AppealStatus == moderation.AppealOpen {
			a.restartAppeal(ctx, r)
		}
		return moderation.Appeal{}, err
	}
	first := ""
	if r.Ground != moderation.GroundNoProofProvided {
		_, _, d, err := a.store.TicketDetail(ctx, r.TicketID)
		if err != nil {
			return moderation.Appeal{}, fmt.Errorf("appeal: the first decision: %w", err)
		}
		first = d.Agent
	}
	ap := moderation.Appeal{ID: moderation.AppealID(r.ID), ReportID: r.ID, TicketID: r.TicketID, ReviewID: r.ReviewID,
		BusinessID: r.BusinessID, Appellant: party, Reason: reason, Status: moderation.AppealOpen, Contested: r.Outcome,
		FirstAgent: first, FiledAt: now, QueuedAt: now, UpdatedAt: now}
	if idem != nil {
		idem.Resource = ap.ID
	}
	start := a.appealStart(r, now)
	filing := AppealFiling{Appeal: ap, Report: r, LinkHash: linkHash, Actor: auditActor, Start: start, Idempotency: idem}
	if linkHash != "" {
		filing.Documents = sendable(rd.Documents, linkHash)
	}
	err := a.store.FileAppeal(ctx, filing)
	if errors.Is(err, moderation.ErrChanged) {
		if cur, rerr := a.store.ReportDetail(ctx, r.ID); rerr == nil {
			if cerr := moderation.CanAppeal(cur.Report, party, now); cerr != nil {
				return moderation.Appeal{}, cerr
			}
		}
		return moderation.Appeal{}, moderation.Conflict(moderation.CodeAppealExists, "this decision was appealed meanwhile")
	}
	if err != nil {
		return moderation.Appeal{}, fmt.Errorf("appeal: %w", err)
	}
	a.start(ctx, start)
	return ap, nil
}

// restartAppeal starts the workflow of report r's open appeal again, for a
// repeated filing: a no-op when it runs already.
func (a *App) restartAppeal(ctx context.Context, r moderation.Report) {
	a.start(ctx, a.appealStart(r, a.clock.Now()))
}

// ListAppeals is the appeal queue, oldest first, optionally by status.
func (a *App) ListAppeals(ctx context.Context, status moderation.AppealStatus, p Page) ([]moderation.Appeal, string, error) {
	if status != "" && !status.Valid() {
		return nil, "", moderation.InvalidField("status", "must be one of open, in_progress, decided")
	}
	return a.store.ListAppeals(ctx, status, p)
}

// Appeal reads an appeal's case: the appeal and its audit trail, the report
// with its trail, the decision appealed and every version of the review.
func (a *App) Appeal(ctx context.Context, id string) (AppealCase, error) {
	var c AppealCase
	if !ids.Valid("apl", id) {
		return c, notFound("appeal")
	}
	var err error
	if c.Appeal, c.Trail, _, err = a.store.AppealDetail(ctx, id); err != nil {
		return c, err
	}
	if c.Report, err = a.store.ReportDetail(ctx, c.Appeal.ReportID); err != nil {
		return c, err
	}
	if _, _, c.FirstDecision, err = a.store.TicketDetail(ctx, c.Appeal.TicketID); err != nil {
		return c, err
	}
	if c.Appeal.FirstAgent == "" { // automated: no person decided
		c.FirstDecision = moderation.Decision{Outcome: moderation.DecideRemove, Note: "", At: c.Report.Report.ClosedAt,
			UpheldReasons: c.Report.Report.UpheldReasons}
	}
	if c.Versions, err = a.store.ReviewVersions(ctx, c.Appeal.ReviewID); err != nil {
		return c, err
	}
	return c, nil
}

// ClaimAppeal gives an open appeal to the calling agent — never to the
// agent who took the decision appealed (409 appeal_conflict_of_interest).
// Claiming one the agent holds already returns it again.
func (a *App) ClaimAppeal(ctx context.Context, actor Actor, id string, idem *Idempotency) (moderation.Appeal, error) {
	if !ids.Valid("apl", id) {
		return moderation.Appeal{}, notFound("appeal")
	}
	ap, _, _, err := a.store.AppealDetail(ctx, id)
	if err != nil {
		return ap, err
	}
	if ap.Status == moderation.AppealInProgress && ap.Assignee == actor.Subject {
		return ap, nil
	}
	if err := moderation.CanClaimAppeal(ap, actor.Subject); err != nil {
		return moderation.Appeal{}, err
	}
	now := a.clock.Now()
	if idem != nil {
		idem.Resource = ap.ID
	}
	err = a.store.ClaimAppeal(ctx, ap, actor.Subject, now, idem)
	if errors.Is(err, moderation.ErrChanged) {
		err = moderation.Conflict(moderation.CodeAppealNotOpen, "the appeal was claimed meanwhile")
	}
	if err != nil {
		return moderation.Appeal{}, fmt.Errorf("claim appeal: %w", err)
	}
	ap.Status, ap.Assignee, ap.UpdatedAt = moderation.AppealInProgress, actor.Subject, now
	return ap, nil
}

// DecideAppeal records an agent's decision on an appeal: uphold keeps the
// first decision; reverse publishes a removed review or removes a
// reinstated one (naming the reasons it upholds), in the decision's own
// transaction. The workflow then sends the emails. It returns the appeal as
// decided.
func (a *App) DecideAppeal(ctx context.Context, actor Actor, id string, d moderation.AppealDecision, idem *Idempotency) (moderation.Appeal, error) {
	if !ids.Valid("apl", id) {
		return moderation.Appeal{}, notFound("appeal")
	}
	now := a.clock.Now()
	d.Note, d.Agent, d.At = moderation.CleanText(d.Note), actor.Subject, now
	ap, _, _, err := a.store.AppealDetail(ctx, id)
	if err != nil {
		return ap, err
	}
	rd, err := a.store.ReportDetail(ctx, ap.ReportID)
	if err != nil {
		return ap, err
	}
	cons, err := moderation.DecideAppeal(ap, rd.Report, d)
	if err != nil {
		if ap.Status == moderation.AppealDecided { // perhaps a repeat whose wake-up was lost: wake again
			a.wake(ctx, "appeal decision (again)", WakeAppeal, id, func(ctx context.Context) (string, error) {
				_, _, token, err := a.store.AppealDetail(ctx, id)
				return token, err
			}, AppealOutput{Outcome: ap.Decision.Outcome, Result: ap.Result()})
		}
		return moderation.Appeal{}, err
	}
	if cons.Visibility == moderation.Removed {
		rev, err := a.store.GetReview(ctx, ap.ReviewID)
		if err != nil {
			return moderation.Appeal{}, fmt.Errorf("decide appeal: %w", err)
		}
		if rev.OpenReportID != "" {
			return moderation.Appeal{}, moderation.Conflict(moderation.CodeReviewHasOpenReport,
				"the review has another open report (on a later version); decide that report first, then this appeal")
		}
	}
	if idem != nil {
		idem.Resource = ap.ID
	}
	err = a.store.DecideAppeal(ctx, AppealDecisionWrite{Appeal: ap, Report: rd.Report, Decision: d, Consequence: cons, Idempotency: idem})
	if errors.Is(err, moderation.ErrChanged) {
		err = moderation.Conflict(moderation.CodeAppealNotInProgress, "the appeal changed meanwhile (another decision was recorded)")
	}
	if err != nil {
		return moderation.Appeal{}, fmt.Errorf("decide appeal: %w", err)
	}
	ap.Status, ap.Decision, ap.UpdatedAt = moderation.AppealDecided, d, now
	a.wake(ctx, "appeal decision", WakeAppeal, id, func(ctx context.Context) (string, error) {
		_, _, token, err := a.store.AppealDetail(ctx, id)
		return token, err
	}, AppealOutput{Outcome: d.Outcome, Result: cons.Result})
	return ap, nil
}

// Removal is one removal of a review as its statement of reasons records
// it, free of personal data and free text (DSA Art. 17 and 24(5)).
type Removal struct {
	ReportID    string
	Seq         int                 // 0 for a first decision, 1 for a removal decided on appeal
	Reasons     []moderation.Reason // the reported reasons the removal upholds
	Ground      string              // moderation.GroundNoProofProvided or moderation.GroundGuidelineViolation
	Automated   bool                // the no-proof removal is decided without a person
	OnAppeal    bool
	ContentDate time.Time // when the removed version was published
	DecidedAt   time.Time
}

// StatementStore is what the statements of reasons need of the table.
type StatementStore interface {
	ListStatements(ctx context.Context, since time.Time, p Page) ([]Removal, string, error)
}

// Statements lists the removals decided at or after since, oldest first,
// for the DSA Transparency Database.
func (a *App) Statements(ctx context.Context, since time.Time, p Page) ([]Removal, string, error) {
	return a.store.ListStatements(ctx, since, p)
}
