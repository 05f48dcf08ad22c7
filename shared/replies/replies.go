// Package replies records what reviewers send through their links and hands
// it to the waiting workflow. It is the backend of the reviewer pages
// (package reviewerpage): it finds a link by its token's hash, says whether
// its form is open, used or expired, and records a submission exactly once
// before answering the workflow's task token with SendTaskSuccess. The task
// token never leaves the server.
package replies

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/candorhq/candor/shared/clock"
	"github.com/candorhq/candor/shared/links"
	"github.com/candorhq/candor/shared/moderation"
	"github.com/candorhq/candor/shared/reviewerpage"
	"github.com/candorhq/candor/shared/store"
	"github.com/candorhq/candor/shared/workflow"
)

// Store is what the backend needs of the table.
type Store interface {
	GetLink(ctx context.Context, hash string) (store.Link, error)
	GetRequest(ctx context.Context, id string) (moderation.FindRequest, []moderation.AuditEntry, error)
	GetReview(ctx context.Context, id string) (moderation.Review, error)
	GetBusiness(ctx context.Context, id string) (moderation.Business, error)
	SubmitReply(ctx context.Context, sub store.ReplyLinkSubmission) error
	RequestTaskToken(ctx context.Context, id string) (string, error)
	ReportDetail(ctx context.Context, id string) (store.ReportDetail, error)
	GetTicket(ctx context.Context, id string) (moderation.Ticket, error)
	TicketDecision(ctx context.Context, id string) (moderation.Decision, string, error)
	SubmitAnswer(ctx context.Context, sub store.AnswerSubmission) error
	SubmitAppeal(ctx context.Context, hash string, r moderation.Report, text string, at time.Time) error
	ReportTaskToken(ctx context.Context, id string) (string, error)
}

// Backend implements reviewerpage.Backend.
type Backend struct {
	store Store
	sfn   workflow.SFN
	clock clock.Clock
	log   *slog.Logger
}

var _ reviewerpage.Backend = (*Backend)(nil)

// New returns the backend.
func New(s Store, client workflow.SFN, c clock.Clock, log *slog.Logger) *Backend {
	return &Backend{store: s, sfn: client, clock: c, log: log}
}

// link finds a link, mapping an unknown hash to reviewerpage.ErrNotFound.
func (b *Backend) link(ctx context.Context, hash string) (store.Link, error) {
	l, err := b.store.GetLink(ctx, hash)
	if errors.Is(err, store.ErrNotFound) {
		return l, reviewerpage.ErrNotFound
	}
	return l, err
}

// requestState says whether a Find Reviewer link's form is open.
func requestState(l store.Link, r moderation.FindRequest, now time.Time) reviewerpage.State {
	switch {
	case !l.UsedAt.IsZero() || r.Status == moderation.RequestReplied:
		return reviewerpage.StateUsed
	case r.Status != moderation.RequestAwaitingReply, r.Round != l.Round, !now.Before(l.Deadline), !now.Before(r.Deadline):
		return reviewerpage.StateExpired
	}
	return reviewerpage.StateOpen
}

// View returns what the link's page shows.
func (b *Backend) View(ctx context.Context, hash string) (reviewerpage.View, error) {
	l, err := b.link(ctx, hash)
	if err != nil {
		return reviewerpage.View{}, err
	}
	switch l.Purpose {
	case links.PurposeFindReviewerReply:
		r, _, err := b.store.GetRequest(ctx, l.ObjectID)
		if err != nil {
			return reviewerpage.View{}, fmt.Errorf("reviewer view: %w", err)
		}
		rev, err := b.store.GetReview(ctx, r.ReviewID)
		if err != nil {
			return reviewerpage.View{}, fmt.Errorf("reviewer view: %w", err)
		}
		biz, err := b.store.GetBusiness(ctx, r.BusinessID)
		if err != nil {
			return reviewerpage.View{}, fmt.Errorf("reviewer view: %w", err)
		}
		return reviewerpage.View{Purpose: l.Purpose, State: requestState(l, r, b.clock.Now()), Locale: rev.Reviewer.Locale,
			BusinessName: biz.Name, Message: r.Message, ReviewTitle: rev.Title, ReviewText: rev.Text, ReviewStars: rev.Stars,
			Deadline: l.Deadline}, nil
	}
	rc, err := b.reportCase(ctx, l)
	if err != nil {
		return reviewerpage.View{}, err
	}
	v := reviewerpage.View{Purpose: l.Purpose, State: rc.state(l, b.clock.Now()), Locale: rc.review.Reviewer.Locale,
		BusinessName: rc.business.Name, ReviewTitle: rc.review.Title, ReviewText: rc.review.Text, ReviewStars: rc.review.Stars, Deadline: l.Deadline}
	if l.Purpose == links.PurposeEvidence || l.Purpose == links.PurposeEdit {
		v.Message = rc.decision.Message
	}
	return v, nil
}

// Submit records the reviewer's submission once and wakes the workflow.
func (b *Backend) Submit(ctx context.Context, hash string, s reviewerpage.Submission) error {
	l, err := b.link(ctx, hash)
	if err != nil {
		return err
	}
	if l.Purpose != links.PurposeFindReviewerReply {
		return b.submitForReport(ctx, l, s)
	}
	s.Text = moderation.CleanText(s.Text)
	if err := moderation.ValidateReply(s.Text); err != nil {
		return err
	}
	r, _, err := b.store.GetRequest(ctx, l.ObjectID)
	if err != nil {
		return fmt.Errorf("reviewer submit: %w", err)
	}
	now := b.clock.Now()
	if st := requestState(l, r, now); st != reviewerpage.StateOpen {
		return stateErr(st)
	}
	err = b.store.SubmitReply(ctx, store.ReplyLinkSubmission{TokenHash: hash, Request: r, Reply: s.Text, At: now})
	if errors.Is(err, store.ErrConflict) {
		// Lost a race (a second submission, or the window closing): say which.
		if l2, lerr := b.store.GetLink(ctx, hash); lerr == nil {
			if r2, _, rerr := b.store.GetRequest(ctx, l.ObjectID); rerr == nil {
				if st := requestState(l2, r2, now); st != reviewerpage.StateOpen {
					return stateErr(st)
				}
			}
		}
		return stateErr(reviewerpage.StateUsed)
	}
	if err != nil {
		return fmt.Errorf("reviewer submit: %w", err)
	}
	b.wake(ctx, r.ID)
	return nil
}

// answerer answers a task token, treating a closed task as done.
func (b *Backend) answerer(ctx context.Context, token string, output any) error {
	err := workflow.Succeed(ctx, b.sfn, token, output)
	if errors.Is(err, workflow.ErrTaskClosed) {
		return nil
	}
	return err
}

// wake answers the workflow's waiting task. The reply is already recorded:
// if the task closed meanwhile (the reminder or expiry fired), the workflow
// finds the reply when it next looks at the request, so this only logs.
func (b *Backend) wake(ctx context.Context, requestID string) {
	token, err := b.store.RequestTaskToken(ctx, requestID)
	if err == nil && token == "" {
		err = errors.New("no task token stored")
	}
	if err == nil {
		err = workflow.Succeed(ctx, b.sfn, token, map[string]string{"outcome": "replied"})
	}
	switch {
	case errors.Is(err, workflow.ErrTaskClosed):
		b.log.WarnContext(ctx, "reply recorded after its task closed; the workflow will find it", "requestId", requestID)
	case err != nil:
		b.log.ErrorContext(ctx, "reply recorded but the workflow was not woken; it will find the reply at its next step", "requestId", requestID, "err", err)
	}
}

func stateErr(s reviewerpage.State) error {
	if s == reviewerpage.StateUsed {
		return reviewerpage.ErrUsed
	}
	return reviewerpage.ErrExpired
}
