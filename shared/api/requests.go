package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"github.com/candorhq/candor/shared/httpapi"
	"github.com/candorhq/candor/shared/ids"
	"github.com/candorhq/candor/shared/moderation"
	"github.com/candorhq/candor/shared/store"
	"github.com/candorhq/candor/shared/workflow"
)

// Starter starts a recorded workflow at once; the sweeper retries what fails.
type Starter interface {
	Start(ctx context.Context, w store.WorkflowStart) error
}

type requestView struct {
	ID                 string         `json:"id"`
	ReviewID           string         `json:"reviewId"`
	Status             string         `json:"status"`
	Message            string         `json:"message"`
	Deadline           string         `json:"deadline"`
	ReminderDueAt      *string        `json:"reminderDueAt"`
	RemindersSent      []string       `json:"remindersSent"`
	ManualReminderUsed bool           `json:"manualReminderUsed"`
	CanRemind          bool           `json:"canRemind"`
	Reply              *string        `json:"reply"`
	RepliedAt          *string        `json:"repliedAt"`
	CreatedAt          string         `json:"createdAt"`
	UpdatedAt          string         `json:"updatedAt"`
	Timeline           []timelineView `json:"timeline,omitempty"`
}

func newRequestView(r moderation.FindRequest, trail []moderation.AuditEntry) requestView {
	sent := make([]string, 0, len(r.RemindersSent))
	for _, t := range r.RemindersSent {
		sent = append(sent, rfc3339(t))
	}
	v := requestView{ID: r.ID, ReviewID: r.ReviewID, Status: string(r.Status), Message: r.Message, Deadline: rfc3339(r.Deadline),
		RemindersSent: sent, ManualReminderUsed: r.ManualReminderUsed, CanRemind: moderation.CanRemind(r) == nil,
		CreatedAt: rfc3339(r.CreatedAt), UpdatedAt: rfc3339(r.UpdatedAt)}
	if r.Round == 0 && r.Status == moderation.RequestAwaitingReply && len(r.RemindersSent) == 0 {
		v.ReminderDueAt = optTime(r.ReminderDueAt)
	}
	if r.Status == moderation.RequestReplied {
		reply := r.Reply
		v.Reply, v.RepliedAt = &reply, optTime(r.RepliedAt)
	}
	for _, e := range trail {
		v.Timeline = append(v.Timeline, timelineView{At: rfc3339(e.At), Action: e.Action, By: actorRole(e.Actor), From: e.From, To: e.To})
	}
	return v
}

type requestRequest struct {
	Message string `json:"message"`
}

// keyed reads the Idempotency-Key and buffers the body for its hash.
func (a *API) keyed(r *http.Request, p httpapi.Principal) (*store.IdempotencyRecord, error) {
	key, err := httpapi.IdempotencyKey(r)
	if err != nil {
		return nil, err
	}
	body, err := readBody(r)
	if err != nil || key == "" {
		return nil, err
	}
	now := a.clock.Now()
	return &store.IdempotencyRecord{Scope: "business:" + p.BusinessID + ":" + p.Subject, Key: key,
		RequestHash: requestHash(r, body), CreatedAt: now, ExpiresAt: now.Add(IdempotencyTTL)}, nil
}

// refuse answers err, unless an Idempotency-Key shows the request is a replay
// of one that was accepted (its state check now fails because it succeeded).
func (a *API) refuse(w http.ResponseWriter, r *http.Request, idem *store.IdempotencyRecord, err error) {
	if idem != nil {
		switch lerr := a.store.LookupIdempotency(r.Context(), *idem, a.clock.Now()); {
		case a.replayed(w, r, lerr):
			return
		case errors.Is(lerr, store.ErrIdempotencyKeyReused):
			err = lerr
		}
	}
	a.fail(w, r, err)
}

// accepted writes a 202 with a prepared body.
func accepted(w http.ResponseWriter, location string, body []byte) {
	w.Header().Set("Location", location)
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusAccepted)
	w.Write(body)
}

// startWorkflow starts a workflow just recorded; a failure is logged and left
// to the sweeper, which retries recorded starts: the request stays accepted.
func (a *API) startWorkflow(ctx context.Context, ws store.WorkflowStart) {
	if a.starter == nil {
		return
	}
	if err := a.starter.Start(ctx, ws); err != nil {
		a.log.WarnContext(ctx, "workflow start failed; the sweeper will retry it", "execution", ws.Name, "machine", ws.Machine, "err", err)
	}
}

// findReviewerStart is the workflow start of a request's round.
func findReviewerStart(r moderation.FindRequest, round int) store.WorkflowStart {
	return store.WorkflowStart{Machine: workflow.FindReviewer, Name: fmt.Sprintf("fr-%s-%d", r.ID, round),
		Input: workflow.Input(map[string]any{"requestId": r.ID, "round": round}), At: r.UpdatedAt}
}

// createRequest is Find Reviewer (P9): 202 with the request; the workflow
// emails the reviewer.
func (a *API) createRequest(w http.ResponseWriter, r *http.Request, p httpapi.Principal) {
	idem, err := a.keyed(r, p)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	var req requestRequest
	if err := httpapi.DecodeJSON(r, &req); err != nil {
		a.fail(w, r, err)
		return
	}
	ctx := r.Context()
	req.Message = moderation.CleanText(req.Message)
	rc, err := a.ownReviewContext(r, p)
	if err == nil {
		err = moderation.CanFindReviewer(rc)
	}
	if err == nil {
		err = moderation.ValidateRequestMessage(req.Message)
	}
	if err != nil {
		a.refuse(w, r, idem, err)
		return
	}
	now := a.clock.Now()
	fr := moderation.FindRequest{ID: ids.New("req"), BusinessID: p.BusinessID, ReviewID: rc.Review.ID, Message: req.Message,
		Status: moderation.RequestAwaitingReply, Deadline: now.Add(a.windows.Reply), ReminderDueAt: now.Add(a.windows.ReminderAfter),
		CreatedAt: now, UpdatedAt: now}
	actor := "business:" + p.BusinessID + ":" + p.Subject
	body, err := json.Marshal(newRequestView(fr, []moderation.AuditEntry{{At: now, Actor: actor, Action: "request.created", To: string(fr.Status)}}))
	if err != nil {
		a.fail(w, r, fmt.Errorf("create request: %w", err))
		return
	}
	if idem != nil {
		idem.Status, idem.Body = http.StatusAccepted, body
	}
	start := findReviewerStart(fr, 0)
	err = a.store.CreateRequest(ctx, store.RequestCreation{Request: fr, Start: start, Actor: actor, Idempotency: idem})
	if a.replayed(w, r, err) {
		return
	}
	if errors.Is(err, store.ErrConflict) {
		if now, lerr := a.store.ReviewContext(ctx, rc.Review.ID); lerr == nil {
			if cerr := moderation.CanFindReviewer(now); cerr != nil {
				err = cerr
			} else {
				err = moderation.Conflict(moderation.CodeRequestOpen, "the review changed while the request was being made; load it and try again")
			}
		}
	}
	if err != nil {
		a.fail(w, r, err)
		return
	}
	a.startWorkflow(ctx, start)
	accepted(w, "/v1/reviewer-requests/"+fr.ID, body)
}

// ownRequest loads one of the caller's requests (404 for anyone else's).
func (a *API) ownRequest(r *http.Request, p httpapi.Principal) (moderation.FindRequest, []moderation.AuditEntry, error) {
	id := r.PathValue("requestId")
	if !ids.Valid("req", id) {
		return moderation.FindRequest{}, nil, httpapi.NotFound()
	}
	fr, trail, err := a.store.GetRequest(r.Context(), id)
	if err == nil && fr.BusinessID != p.BusinessID {
		err = httpapi.NotFound()
	}
	return fr, trail, err
}

func (a *API) getRequest(w http.ResponseWriter, r *http.Request, p httpapi.Principal) {
	fr, trail, err := a.ownRequest(r, p)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	httpapi.WriteJSON(w, http.StatusOK, newRequestView(fr, trail))
}

func (a *API) listRequests(w http.ResponseWriter, r *http.Request, p httpapi.Principal) {
	pg, err := page(r)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	reqs, next, err := a.store.ListRequests(r.Context(), p.BusinessID, pg)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	views := make([]requestView, len(reqs))
	for i, fr := range reqs {
		views[i] = newRequestView(fr, nil)
	}
	httpapi.WriteJSON(w, http.StatusOK, newList(views, next))
}

// remind is the one manual reminder after expiry (P11): it reopens the
// request for another window and the workflow reminds the reviewer.
func (a *API) remind(w http.ResponseWriter, r *http.Request, p httpapi.Principal) {
	idem, err := a.keyed(r, p)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	if r.ContentLength > 0 || r.Header.Get("Content-Type") != "" {
		var empty struct{}
		if err := httpapi.DecodeJSON(r, &empty); err != nil {
			a.fail(w, r, err)
			return
		}
	}
	ctx := r.Context()
	fr, trail, err := a.ownRequest(r, p)
	if err == nil {
		err = moderation.CanRemind(fr)
	}
	if err != nil {
		a.refuse(w, r, idem, err)
		return
	}
	now := a.clock.Now()
	actor := "business:" + p.BusinessID + ":" + p.Subject
	reopened := fr
	reopened.Status, reopened.Round, reopened.ManualReminderUsed, reopened.Deadline, reopened.UpdatedAt =
		moderation.RequestAwaitingReply, 1, true, now.Add(a.windows.Reply), now
	trail = append(trail, moderation.AuditEntry{At: now, Actor: actor, Action: "request.reopened", From: string(fr.Status), To: string(reopened.Status)})
	body, err := json.Marshal(newRequestView(reopened, trail))
	if err != nil {
		a.fail(w, r, fmt.Errorf("remind: %w", err))
		return
	}
	if idem != nil {
		idem.Status, idem.Body = http.StatusAccepted, body
	}
	start := findReviewerStart(reopened, 1)
	err = a.store.ReopenRequest(ctx, store.RequestReopening{Request: fr, Deadline: reopened.Deadline, Start: start, Actor: actor, At: now, Idempotency: idem})
	if a.replayed(w, r, err) {
		return
	}
	if errors.Is(err, store.ErrConflict) {
		err = moderation.Conflict(moderation.CodeReminderNotAllowed, "the request changed meanwhile; a reminder is not possible now")
	}
	if err != nil {
		a.fail(w, r, err)
		return
	}
	a.startWorkflow(ctx, start)
	accepted(w, "/v1/reviewer-requests/"+fr.ID, body)
}
