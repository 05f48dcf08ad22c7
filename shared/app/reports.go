package app

import (
	"context"
	"errors"
	"fmt"

	"github.com/candorhq/candor/shared/ids"
	"github.com/candorhq/candor/shared/moderation"
)

// ReportStore is what the business's reviews and reports need of the table.
type ReportStore interface {
	// ReviewContext reads the review with the Find Reviewer requests ever
	// made on it (everything the report rules need), strongly consistent.
	ReviewContext(ctx context.Context, id string) (moderation.ReviewContext, error)
	ListReviews(ctx context.Context, businessID string, p Page) ([]moderation.Review, string, error)
	// SubmitReport writes the filing in one transaction, or nothing
	// (moderation.ErrChanged when the review changed since it was read).
	SubmitReport(ctx context.Context, f ReportFiling) error
	GetReport(ctx context.Context, id string) (moderation.Report, []moderation.AuditEntry, error)
	ListReports(ctx context.Context, businessID string, status moderation.ReportStatus, p Page) ([]moderation.Report, string, error)
	ReportStats(ctx context.Context, businessID string) (ReportStats, error)
}

// OwnReview reads one of the actor's reviews with its context; another
// business's review is not found.
func (a *App) OwnReview(ctx context.Context, actor Actor, reviewID string) (moderation.ReviewContext, error) {
	if !moderation.ValidID(reviewID) {
		return moderation.ReviewContext{}, notFound("review")
	}
	rc, err := a.store.ReviewContext(ctx, reviewID)
	if err != nil {
		return rc, err
	}
	if rc.Review.BusinessID != actor.BusinessID {
		return moderation.ReviewContext{}, notFound("review")
	}
	return rc, nil
}

// ListReviews returns the actor's reviews, newest first.
func (a *App) ListReviews(ctx context.Context, actor Actor, p Page) ([]moderation.Review, string, error) {
	return a.store.ListReviews(ctx, actor.BusinessID, p)
}

// SubmitReport files a report on the current version of one of the actor's
// reviews (P1–P6): the report, the hiding of the review (P4), the ticket, the
// audit entries, the workflow start and the idempotency key are one
// transaction; then the investigation starts. It returns the report and its
// first timeline entry.
func (a *App) SubmitReport(ctx context.Context, actor Actor, reviewID string, d moderation.ReportDraft, idem *Idempotency) (moderation.Report, []moderation.AuditEntry, error) {
	d = cleanDraft(d)
	rc, err := a.OwnReview(ctx, actor, reviewID)
	if err != nil {
		return moderation.Report{}, nil, err
	}
	if err := moderation.ValidateReport(rc, d); err != nil {
		return moderation.Report{}, nil, err
	}
	now := a.clock.Now()
	rep := moderation.Report{
		ID: ids.New("rpt"), BusinessID: actor.BusinessID, ReviewID: rc.Review.ID, ReviewVersion: rc.Review.Version,
		ReviewStars: rc.Review.Stars, ReviewDate: rc.Review.UpdatedAt, Status: moderation.ReportInQueue, Items: d.Items,
		PublicStatement: d.PublicStatement, HidesReview: a.policy.HidesReview(d.Items),
		CreatedAt: now, UpdatedAt: now,
	}
	tk := moderation.Ticket{ID: ids.New("tkt"), ReportID: rep.ID, BusinessID: rep.BusinessID, ReviewID: rep.ReviewID,
		Status: moderation.TicketOpen, QueuedAt: now, CreatedAt: now, UpdatedAt: now}
	rep.TicketID = tk.ID
	f := ReportFiling{Report: rep, Ticket: tk, Actor: actor.audit(), Idempotency: idem, Repeat: rc.Review.LastReportedVersion > 0}
	if moderation.NeedsProof(rep.Items) {
		// P6: the reviewer is asked for proof at once; the ticket joins the
		// queue when the proof arrives.
		f.Report.Status, f.Ticket.Status = moderation.ReportAwaitingProof, moderation.TicketWaitingForReviewer
		f.ProofDeadline = now.Add(a.policy.ProofWindow)
	}
	f.Start = a.investigationStart(f.Report)
	if idem != nil {
		idem.Resource = rep.ID
	}
	var refused func() error
	f.Rate, refused = rateCount(actor.BusinessID, RateReports, a.policy.ReportsPerHour, now)
	err = a.store.SubmitReport(ctx, f)
	if errors.Is(err, ErrRateLimited) {
		return moderation.Report{}, nil, refused()
	}
	if errors.Is(err, moderation.ErrChanged) {
		// Lost a race: say what the review's state is now.
		// Or the business's reporting is suspended (the transaction checks
		// the block; only a refusal reads the sanctions to say until when).
		err = moderation.Conflict(moderation.CodeVersionConflict, "the review changed while it was being reported; load it and report again")
		if serr := a.checkReporting(ctx, actor.BusinessID); serr != nil {
			return moderation.Report{}, nil, serr
		}
		if cur, lerr := a.store.ReviewContext(ctx, rc.Review.ID); lerr == nil {
			if cerr := moderation.CanReport(cur); cerr != nil {
				err = cerr
			}
		}
	}
	if err != nil {
		return moderation.Report{}, nil, fmt.Errorf("submit report: %w", err)
	}
	a.start(ctx, f.Start)
	return f.Report, []moderation.AuditEntry{{At: now, Actor: f.Actor, Action: "report.submitted", To: string(f.Report.Status)}}, nil
}

// cleanDraft puts every text of a draft in the form it is stored and shown in.
func cleanDraft(d moderation.ReportDraft) moderation.ReportDraft {
	items := make([]moderation.ReportItem, len(d.Items))
	for i, it := range d.Items {
		it.Details, it.Excerpt = moderation.CleanText(it.Details), moderation.CleanText(it.Excerpt)
		items[i] = it
	}
	d.Items, d.PublicStatement = items, moderation.CleanText(d.PublicStatement)
	return d
}

// investigationInput is the investigation's execution input: ids, a flag and
// the windows in seconds, which the state machine's timeouts read.
type investigationInput struct {
	Case       CaseIDs `json:"case"`
	NeedsProof bool    `json:"needsProof"`
	Windows    struct {
		Proof    int64 `json:"proof"`  // P6: the proof task's timeout
		Action   int64 `json:"action"` // P7: the reviewer-action task's timeout
		Decision int64 `json:"decision"`
		Appeal   int64 `json:"appeal"`
	} `json:"windows"`
}

// investigationStart is the workflow start of a report.
func (a *App) investigationStart(r moderation.Report) WorkflowStart {
	in := investigationInput{Case: CaseIDs{ReportID: r.ID, TicketID: r.TicketID, ReviewID: r.ReviewID, BusinessID: r.BusinessID},
		NeedsProof: moderation.NeedsProof(r.Items)}
	in.Windows.Proof, in.Windows.Action = seconds(a.policy.ProofWindow), seconds(a.policy.ReviewerActionWindow)
	in.Windows.Decision, in.Windows.Appeal = seconds(a.policy.DecisionReminder), seconds(a.policy.AppealWindow)
	return WorkflowStart{Machine: MachineInvestigation, Name: r.ID, Input: workflowInput(in), At: r.CreatedAt}
}

// GetReport returns one of the actor's reports with its audit trail.
func (a *App) GetReport(ctx context.Context, actor Actor, id string) (moderation.Report, []moderation.AuditEntry, error) {
	if !ids.Valid("rpt", id) {
		return moderation.Report{}, nil, notFound("report")
	}
	rep, trail, err := a.store.GetReport(ctx, id)
	if err != nil {
		return rep, nil, err
	}
	if rep.BusinessID != actor.BusinessID {
		return moderation.Report{}, nil, notFound("report")
	}
	return rep, moderation.WithAppealWindowEnd(rep, trail, a.clock.Now()), nil
}

// ListReports returns the actor's reports, newest first, optionally by status.
func (a *App) ListReports(ctx context.Context, actor Actor, status moderation.ReportStatus, p Page) ([]moderation.Report, string, error) {
	if status != "" && !status.Valid() {
		return nil, "", moderation.InvalidField("status", "must be one of submitted, awaiting_proof, in_queue, awaiting_reviewer, closed")
	}
	return a.store.ListReports(ctx, actor.BusinessID, status, p)
}

// ReportSummary counts the actor's reports by status, outcome, reason (a
// report counts once for each of its reasons) and the reported review's
// stars, with every known key present. It reads one item, whatever the
// number of reports.
func (a *App) ReportSummary(ctx context.Context, actor Actor) (ReportStats, error) {
	st, err := a.store.ReportStats(ctx, actor.BusinessID)
	if err != nil {
		return ReportStats{}, err
	}
	out := ReportStats{Total: st.Total, ByStatus: map[moderation.ReportStatus]int{}, ByOutcome: map[moderation.Outcome]int{},
		ByReason: map[moderation.Reason]int{}, ByStars: map[int]int{}}
	for _, s := range moderation.ReportStatuses() {
		out.ByStatus[s] = st.ByStatus[s]
	}
	for _, o := range []moderation.Outcome{moderation.OutcomeReinstated, moderation.OutcomeRemoved} {
		out.ByOutcome[o] = st.ByOutcome[o]
	}
	for _, r := range moderation.AllReasons() {
		out.ByReason[r] = st.ByReason[r]
	}
	for i := 1; i <= 5; i++ {
		out.ByStars[i] = st.ByStars[i]
	}
	return out, nil
}
