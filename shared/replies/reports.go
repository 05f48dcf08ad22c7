package replies

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/candorhq/candor/shared/links"
	"github.com/candorhq/candor/shared/moderation"
	"github.com/candorhq/candor/shared/reviewerpage"
	"github.com/candorhq/candor/shared/store"
)

// reportCase is what a report link's page and submission need.
type reportCase struct {
	store.ReportDetail
	ticket   moderation.Ticket
	review   moderation.Review
	business moderation.Business
	decision moderation.Decision
}

func (b *Backend) reportCase(ctx context.Context, l store.Link) (reportCase, error) {
	var rc reportCase
	var err error
	if rc.ReportDetail, err = b.store.ReportDetail(ctx, l.ObjectID); err != nil {
		return rc, fmt.Errorf("reviewer page: %w", err)
	}
	if rc.ticket, err = b.store.GetTicket(ctx, rc.Report.TicketID); err != nil {
		return rc, fmt.Errorf("reviewer page: %w", err)
	}
	if rc.review, err = b.store.GetReview(ctx, rc.Report.ReviewID); err != nil {
		return rc, fmt.Errorf("reviewer page: %w", err)
	}
	if rc.business, err = b.store.GetBusiness(ctx, rc.Report.BusinessID); err != nil {
		return rc, fmt.Errorf("reviewer page: %w", err)
	}
	if rc.decision, _, err = b.store.TicketDecision(ctx, rc.ticket.ID); err != nil {
		return rc, fmt.Errorf("reviewer page: %w", err)
	}
	return rc, nil
}

// state says whether a report link's form is open: the report must still
// wait for exactly this answer, within the link's window.
func (rc reportCase) state(l store.Link, now time.Time) reviewerpage.State {
	if !l.UsedAt.IsZero() {
		return reviewerpage.StateUsed
	}
	if !now.Before(l.Deadline) {
		return reviewerpage.StateExpired
	}
	r := rc.Report
	switch l.Purpose {
	case links.PurposeProof:
		if r.Status == moderation.ReportAwaitingProof {
			return reviewerpage.StateOpen
		}
		if r.Status != moderation.ReportClosed && rc.answered("proof", 0) {
			return reviewerpage.StateUsed
		}
	case links.PurposeEvidence, links.PurposeEdit:
		if r.Status == moderation.ReportAwaitingReviewer && rc.Round == l.Round {
			return reviewerpage.StateOpen
		}
		if rc.answered(string(l.Purpose), l.Round) {
			return reviewerpage.StateUsed
		}
	case links.PurposeAppeal:
		if r.Status == moderation.ReportClosed && r.Outcome == moderation.OutcomeRemoved {
			if rc.answered("appeal", 0) {
				return reviewerpage.StateUsed
			}
			return reviewerpage.StateOpen
		}
	}
	return reviewerpage.StateExpired
}

// answered reports whether the reviewer already sent this kind of answer in round.
func (rc reportCase) answered(kind string, round int) bool {
	for _, a := range rc.Answers {
		if a.Kind == kind && a.Round == round {
			return true
		}
	}
	return false
}

// submitForReport records proof, evidence, an edit or an appeal once.
func (b *Backend) submitForReport(ctx context.Context, l store.Link, s reviewerpage.Submission) error {
	rc, err := b.reportCase(ctx, l)
	if err != nil {
		return err
	}
	now := b.clock.Now()
	if st := rc.state(l, now); st != reviewerpage.StateOpen {
		return stateErr(st)
	}
	var sub store.AnswerSubmission
	s.Text = moderation.CleanText(s.Text)
	switch l.Purpose {
	case links.PurposeAppeal:
		if err := moderation.ValidateAnswer(s.Text); err != nil {
			return err
		}
		err := b.store.SubmitAppeal(ctx, l.Hash, rc.Report, s.Text, now)
		if errors.Is(err, store.ErrConflict) {
			return reviewerpage.ErrUsed
		}
		return err
	case links.PurposeEdit:
		next, ver, err := moderation.ApplyReviewerEdit(rc.review, moderation.EditInput{Title: s.Title, Text: s.Body, Stars: s.Stars}, now)
		if err != nil {
			return err
		}
		sub = store.AnswerSubmission{Answer: store.Answer{Kind: "edit", Round: l.Round, NewVersion: next.Version, At: now},
			Edit: &next, EditVersion: &ver, PrevVersion: rc.review.Version}
	default: // proof, evidence
		if err := moderation.ValidateAnswer(s.Text); err != nil {
			return err
		}
		sub = store.AnswerSubmission{Answer: store.Answer{Kind: string(l.Purpose), Round: l.Round, Text: s.Text, At: now}}
	}
	sub.TokenHash, sub.Report, sub.Ticket, sub.Round = l.Hash, rc.Report, rc.ticket, l.Round
	err = b.store.SubmitAnswer(ctx, sub)
	if errors.Is(err, store.ErrConflict) {
		if l2, lerr := b.store.GetLink(ctx, l.Hash); lerr == nil {
			if rc2, rerr := b.reportCase(ctx, l2); rerr == nil {
				if st := rc2.state(l2, now); st != reviewerpage.StateOpen {
					return stateErr(st)
				}
			}
		}
		return reviewerpage.ErrUsed
	}
	if err != nil {
		return fmt.Errorf("reviewer submit: %w", err)
	}
	b.wakeReport(ctx, rc.Report.ID, string(l.Purpose))
	return nil
}

// wakeReport answers the report workflow's task waiting for the reviewer.
// The answer is recorded already; if the task closed, the workflow finds it.
func (b *Backend) wakeReport(ctx context.Context, reportID, kind string) {
	token, err := b.store.ReportTaskToken(ctx, reportID)
	if err == nil && token == "" {
		return // the request task has not stored its token yet: it will see the answer
	}
	if err == nil {
		err = b.answerer(ctx, token, map[string]string{"answer": kind})
	}
	if err != nil {
		b.log.WarnContext(ctx, "answer recorded but the workflow was not woken; it will find the answer", "reportId", reportID, "err", err)
	}
}
