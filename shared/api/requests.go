package api

import (
	"net/http"

	"github.com/candorhq/candor/shared/httpapi"
	"github.com/candorhq/candor/shared/moderation"
)

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
		CreatedAt: rfc3339(r.CreatedAt), UpdatedAt: rfc3339(r.UpdatedAt), Timeline: newTimeline(trail)}
	if r.Round == 0 && r.Status == moderation.RequestAwaitingReply && len(r.RemindersSent) == 0 {
		v.ReminderDueAt = optTime(r.ReminderDueAt)
	}
	if r.Status == moderation.RequestReplied {
		reply := r.Reply
		v.Reply, v.RepliedAt = &reply, optTime(r.RepliedAt)
	}
	return v
}

type requestRequest struct {
	Message string `json:"message"`
}

// createRequest is Find Reviewer (P9): 202 with the request.
func (a *API) createRequest(w http.ResponseWriter, r *http.Request, p httpapi.Principal) {
	var req requestRequest
	if err := httpapi.DecodeJSON(r, &req); err != nil {
		httpapi.WriteError(w, r, err)
		return
	}
	fr, trail, err := a.app.CreateRequest(r.Context(), actor(p), r.PathValue("reviewId"), req.Message, idempotencyOf(r))
	if err != nil {
		httpapi.WriteError(w, r, err)
		return
	}
	accepted(w, "/v1/reviewer-requests/"+fr.ID, newRequestView(fr, trail))
}

func (a *API) getRequest(w http.ResponseWriter, r *http.Request, p httpapi.Principal) {
	fr, trail, err := a.app.GetRequest(r.Context(), actor(p), r.PathValue("requestId"))
	if err != nil {
		httpapi.WriteError(w, r, err)
		return
	}
	httpapi.WriteJSON(w, http.StatusOK, newRequestView(fr, trail))
}

func (a *API) listRequests(w http.ResponseWriter, r *http.Request, p httpapi.Principal) {
	pg, err := page(r)
	if err != nil {
		httpapi.WriteError(w, r, err)
		return
	}
	reqs, next, err := a.app.ListRequests(r.Context(), actor(p), pg)
	if err != nil {
		httpapi.WriteError(w, r, err)
		return
	}
	views := make([]requestView, len(reqs))
	for i, fr := range reqs {
		views[i] = newRequestView(fr, nil)
	}
	httpapi.WriteJSON(w, http.StatusOK, newList(views, next))
}

// remind is the one manual reminder after expiry (P11): 202 with the request.
func (a *API) remind(w http.ResponseWriter, r *http.Request, p httpapi.Principal) {
	if err := emptyBody(r); err != nil {
		httpapi.WriteError(w, r, err)
		return
	}
	fr, trail, err := a.app.Remind(r.Context(), actor(p), r.PathValue("requestId"), idempotencyOf(r))
	if err != nil {
		httpapi.WriteError(w, r, err)
		return
	}
	accepted(w, "/v1/reviewer-requests/"+fr.ID, newRequestView(fr, trail))
}
