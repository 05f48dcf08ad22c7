package app

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/candorhq/candor/shared/ids"
	"github.com/candorhq/candor/shared/moderation"
)

// RequestStore is what Find Reviewer needs of the table.
type RequestStore interface {
	ReviewContext(ctx context.Context, id string) (moderation.ReviewContext, error)
	// CreateRequest writes the request, marks it open on its review and
	// records its workflow start in one transaction (moderation.ErrChanged
	// when the review changed since it was read).
	CreateRequest(ctx context.Context, c RequestCreation) error
	GetRequest(ctx context.Context, id string) (moderation.FindRequest, []moderation.AuditEntry, error)
	ListRequests(ctx context.Context, businessID string, p Page) ([]moderation.FindRequest, string, error)
	ReopenRequest(ctx context.Context, ro RequestReopening) error
}

// seconds is a window as the state machines' timeouts read it.
func seconds(d time.Duration) int64 { return int64(d / time.Second) }

// findReviewerInput is a Find Reviewer execution's input: ids, the round and
// the round's waits in seconds (reminder delay, then the rest of the
// window; the manual reminder's round waits a whole window).
type findReviewerInput struct {
	Case    RequestIDs `json:"case"`
	Round   int        `json:"round"`
	Windows struct {
		ReminderAfter int64 `json:"reminderAfter"`
		Rest          int64 `json:"rest"`
		Full          int64 `json:"full"`
	} `json:"windows"`
}

// findReviewerStart is the workflow start of a request's round.
func (a *App) findReviewerStart(r moderation.FindRequest, round int) WorkflowStart {
	in := findReviewerInput{Case: RequestIDs{RequestID: r.ID, ReviewID: r.ReviewID, BusinessID: r.BusinessID}, Round: round}
	in.Windows.ReminderAfter = seconds(a.policy.FindReviewerReminderAfter)
	in.Windows.Rest = seconds(a.policy.FindReviewerReplyWindow - a.policy.FindReviewerReminderAfter)
	in.Windows.Full = seconds(a.policy.FindReviewerReplyWindow)
	return WorkflowStart{Machine: MachineFindReviewer, Name: fmt.Sprintf("fr-%s-%d", r.ID, round), Input: workflowInput(in), At: r.UpdatedAt}
}

// CreateRequest is Find Reviewer (P9): the request is stored with its
// workflow start and the workflow emails the reviewer. It returns the
// request and its first timeline entry.
func (a *App) CreateRequest(ctx context.Context, actor Actor, reviewID, message string, idem *Idempotency) (moderation.FindRequest, []moderation.AuditEntry, error) {
	message = moderation.CleanText(message)
	rc, err := a.OwnReview(ctx, actor, reviewID)
	if err == nil {
		err = moderation.CanFindReviewer(rc)
	}
	if err == nil {
		err = moderation.ValidateRequestMessage(message)
	}
	if err != nil {
		return moderation.FindRequest{}, nil, err
	}
	now := a.clock.Now()
	fr := moderation.FindRequest{ID: ids.New("req"), BusinessID: actor.BusinessID, ReviewID: rc.Review.ID, Message: message,
		Status: moderation.RequestAwaitingReply, Deadline: now.Add(a.policy.FindReviewerReplyWindow), ReminderDueAt: now.Add(a.policy.FindReviewerReminderAfter),
		CreatedAt: now, UpdatedAt: now}
	if idem != nil {
		idem.Resource = fr.ID
	}
	c := RequestCreation{Request: fr, ReviewVersion: rc.Review.Version, Start: a.findReviewerStart(fr, 0), Actor: actor.audit(), Idempotency: idem}
	var refused func() error
	c.Rate, refused = rateCount(actor.BusinessID, RateRequests, a.policy.RequestsPerHour, now)
	err = a.store.CreateRequest(ctx, c)
	if errors.Is(err, ErrRateLimited) {
		return moderation.FindRequest{}, nil, refused()
	}
	if errors.Is(err, moderation.ErrChanged) {
		err = moderation.Conflict(moderation.CodeRequestOpen, "the review changed while the request was being made; load it and try again")
		if cur, lerr := a.store.ReviewContext(ctx, rc.Review.ID); lerr == nil {
			if cerr := moderation.CanFindReviewer(cur); cerr != nil {
				err = cerr
			}
		}
	}
	if err != nil {
		return moderation.FindRequest{}, nil, fmt.Errorf("create request: %w", err)
	}
	a.start(ctx, c.Start)
	return fr, []moderation.AuditEntry{{At: now, Actor: c.Actor, Action: "request.created", To: string(fr.Status)}}, nil
}

// GetRequest returns one of the actor's requests with its audit trail.
func (a *App) GetRequest(ctx context.Context, actor Actor, id string) (moderation.FindRequest, []moderation.AuditEntry, error) {
	if !ids.Valid("req", id) {
		return moderation.FindRequest{}, nil, notFound("request")
	}
	fr, trail, err := a.store.GetRequest(ctx, id)
	if err != nil {
		return fr, nil, err
	}
	if fr.BusinessID != actor.BusinessID {
		return moderation.FindRequest{}, nil, notFound("request")
	}
	return fr, trail, nil
}

// ListRequests returns the actor's requests, newest first.
func (a *App) ListRequests(ctx context.Context, actor Actor, p Page) ([]moderation.FindRequest, string, error) {
	return a.store.ListRequests(ctx, actor.BusinessID, p)
}

// Remind is the one manual reminder after expiry (P11): it reopens the
// request for another window and the workflow reminds the reviewer. It
// returns the reopened request and its timeline.
func (a *App) Remind(ctx context.Context, actor Actor, id string, idem *Idempotency) (moderation.FindRequest, []moderation.AuditEntry, error) {
	fr, trail, err := a.GetRequest(ctx, actor, id)
	if err == nil {
		err = moderation.CanRemind(fr)
	}
	if err != nil {
		return moderation.FindRequest{}, nil, err
	}
	now := a.clock.Now()
	reopened := fr
	reopened.Status, reopened.Round, reopened.ManualReminderUsed, reopened.Deadline, reopened.UpdatedAt =
		moderation.RequestAwaitingReply, 1, true, now.Add(a.policy.FindReviewerReplyWindow), now
	if idem != nil {
		idem.Resource = fr.ID
	}
	ro := RequestReopening{Request: fr, Deadline: reopened.Deadline, Start: a.findReviewerStart(reopened, 1), Actor: actor.audit(), At: now, Idempotency: idem}
	err = a.store.ReopenRequest(ctx, ro)
	if errors.Is(err, moderation.ErrChanged) {
		err = moderation.Conflict(moderation.CodeReminderNotAllowed, "the request changed meanwhile; a reminder is not possible now")
	}
	if err != nil {
		return moderation.FindRequest{}, nil, fmt.Errorf("remind: %w", err)
	}
	a.start(ctx, ro.Start)
	trail = append(trail, moderation.AuditEntry{At: now, Actor: ro.Actor, Action: "request.reopened", From: string(fr.Status), To: string(reopened.Status)})
	return reopened, trail, nil
}
