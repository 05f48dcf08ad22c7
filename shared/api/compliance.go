package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"github.com/candorhq/candor/shared/httpapi"
	"github.com/candorhq/candor/shared/ids"
	"github.com/candorhq/candor/shared/investigation"
	"github.com/candorhq/candor/shared/moderation"
	"github.com/candorhq/candor/shared/store"
	"github.com/candorhq/candor/shared/workflow"
)

// Answerer answers a waiting workflow task (the queue's decision token).
type Answerer interface {
	Succeed(ctx context.Context, token string, output any) error
}

type ticketView struct {
	ID         string        `json:"id"`
	ReportID   string        `json:"reportId"`
	ReviewID   string        `json:"reviewId"`
	BusinessID string        `json:"businessId"`
	Status     string        `json:"status"`
	Assignee   *string       `json:"assignee"`
	Rounds     int           `json:"rounds"`
	Marker     *string       `json:"marker"`
	QueuedAt   string        `json:"queuedAt"`
	CreatedAt  string        `json:"createdAt"`
	UpdatedAt  string        `json:"updatedAt"`
	Decision   *decisionView `json:"decision,omitempty"`
}

type decisionView struct {
	Outcome   string  `json:"outcome"`
	Note      string  `json:"note"`
	Kind      *string `json:"kind"`
	Message   *string `json:"message"`
	DecidedBy string  `json:"decidedBy"`
	DecidedAt string  `json:"decidedAt"`
}

func newTicketView(t moderation.Ticket) ticketView {
	return ticketView{ID: t.ID, ReportID: t.ReportID, ReviewID: t.ReviewID, BusinessID: t.BusinessID, Status: string(t.Status),
		Assignee: optString(t.Assignee), Rounds: t.Rounds, Marker: optString(t.Marker), QueuedAt: rfc3339(t.QueuedAt),
		CreatedAt: rfc3339(t.CreatedAt), UpdatedAt: rfc3339(t.UpdatedAt)}
}

func newDecisionView(d moderation.Decision) *decisionView {
	if d.Outcome == "" {
		return nil
	}
	return &decisionView{Outcome: d.Outcome, Note: d.Note, Kind: optString(d.Kind), Message: optString(d.Message), DecidedBy: d.Agent, DecidedAt: rfc3339(d.At)}
}

// auditView is an audit entry as compliance reads it: with the actor.
type auditView struct {
	At     string `json:"at"`
	Actor  string `json:"actor"`
	Action string `json:"action"`
	From   string `json:"from,omitempty"`
	To     string `json:"to,omitempty"`
	Note   string `json:"note,omitempty"`
}

func newAuditViews(trail []moderation.AuditEntry) []auditView {
	out := make([]auditView, 0, len(trail))
	for _, e := range trail {
		out = append(out, auditView{At: rfc3339(e.At), Actor: e.Actor, Action: e.Action, From: e.From, To: e.To, Note: e.Note})
	}
	return out
}

type versionView struct {
	Version        int      `json:"version"`
	Stars          int      `json:"stars"`
	Title          string   `json:"title"`
	Text           string   `json:"text"`
	ExperienceDate string   `json:"experienceDate"`
	At             string   `json:"at"`
	By             string   `json:"by"`
	Changed        []string `json:"changed"` // fields that differ from the previous version
}

type answerView struct {
	Kind       string `json:"kind"`
	Round      int    `json:"round"`
	Text       string `json:"text,omitempty"`
	NewVersion int    `json:"newVersion,omitempty"`
	At         string `json:"at"`
}

type complianceRequestView struct {
	ID        string  `json:"id"`
	Status    string  `json:"status"`
	Message   string  `json:"message"`
	Reply     *string `json:"reply"`
	RepliedAt *string `json:"repliedAt"`
	CreatedAt string  `json:"createdAt"`
}

type ticketDetailView struct {
	ticketView
	Report struct {
		reportView
		BusinessID string `json:"businessId"`
	} `json:"report"`
	Review struct {
		reviewView
		Versions []versionView `json:"versions"`
	} `json:"review"`
	Answers              []answerView            `json:"answers"`
	FindReviewerRequests []complianceRequestView `json:"findReviewerRequests"`
	Audit                struct {
		Report []auditView `json:"report"`
		Ticket []auditView `json:"ticket"`
		Review []auditView `json:"review"`
	} `json:"audit"`
}

// changedFields names what a version changed against the one before.
func changedFields(prev, v moderation.ReviewVersion) []string {
	var out []string
	if prev.Stars != v.Stars {
		out = append(out, "stars")
	}
	if prev.Title != v.Title {
		out = append(out, "title")
	}
	if prev.Text != v.Text {
		out = append(out, "text")
	}
	if prev.ExperienceDate != v.ExperienceDate {
		out = append(out, "experienceDate")
	}
	return out
}

// listTickets is the compliance queue, oldest first, optionally by status.
func (a *API) listTickets(w http.ResponseWriter, r *http.Request, _ httpapi.Principal) {
	pg, err := page(r)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	status := moderation.TicketStatus(r.URL.Query().Get("status"))
	if status != "" && !status.Valid() {
		a.fail(w, r, httpapi.Invalid(map[string]string{"status": "must be one of open, in_progress, waiting_for_reviewer, decided"}))
		return
	}
	ts, next, err := a.store.ListTickets(r.Context(), status, pg)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	views := make([]ticketView, len(ts))
	for i, t := range ts {
		views[i] = newTicketView(t)
	}
	httpapi.WriteJSON(w, http.StatusOK, newList(views, next))
}

func ticketID(r *http.Request) (string, error) {
	id := r.PathValue("ticketId")
	if !ids.Valid("tkt", id) {
		return "", httpapi.NotFound()
	}
	return id, nil
}

// getTicket returns everything an agent needs to decide: the report, every
// version of the review with what changed, the reviewer's answers, the
// business's Find Reviewer requests on the review, and the audit trails.
func (a *API) getTicket(w http.ResponseWriter, r *http.Request, _ httpapi.Principal) {
	id, err := ticketID(r)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	ctx := r.Context()
	t, ttrail, err := a.store.TicketDetail(ctx, id)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	rd, err := a.store.ReportDetail(ctx, t.ReportID)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	rc, err := a.store.ReviewContext(ctx, t.ReviewID)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	versions, err := a.store.ReviewVersions(ctx, t.ReviewID)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	rtrail, err := a.store.ReviewAudit(ctx, t.ReviewID)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	d, _, err := a.store.TicketDecision(ctx, t.ID)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	var v ticketDetailView
	v.ticketView = newTicketView(t)
	v.Decision = newDecisionView(d)
	v.Report.reportView = newReportView(rd.Report, rd.Trail)
	v.Report.BusinessID = rd.Report.BusinessID
	v.Review.reviewView = newReviewView(rc.Review)
	v.Review.Versions = []versionView{}
	for i, ver := range versions {
		vv := versionView{Version: ver.Version, Stars: ver.Stars, Title: ver.Title, Text: ver.Text, ExperienceDate: ver.ExperienceDate,
			At: rfc3339(ver.At), By: ver.By, Changed: []string{}}
		if i > 0 {
			vv.Changed = append(vv.Changed, changedFields(versions[i-1], ver)...)
		}
		v.Review.Versions = append(v.Review.Versions, vv)
	}
	v.Answers = []answerView{}
	for _, an := range rd.Answers {
		v.Answers = append(v.Answers, answerView{Kind: an.Kind, Round: an.Round, Text: an.Text, NewVersion: an.NewVersion, At: rfc3339(an.At)})
	}
	v.FindReviewerRequests = []complianceRequestView{}
	for _, sum := range rc.Requests {
		fr, _, err := a.store.GetRequest(ctx, sum.ID)
		if err != nil {
			a.fail(w, r, err)
			return
		}
		cv := complianceRequestView{ID: fr.ID, Status: string(fr.Status), Message: fr.Message, CreatedAt: rfc3339(fr.CreatedAt)}
		if fr.Status == moderation.RequestReplied {
			reply := fr.Reply
			cv.Reply, cv.RepliedAt = &reply, optTime(fr.RepliedAt)
		}
		v.FindReviewerRequests = append(v.FindReviewerRequests, cv)
	}
	v.Audit.Report, v.Audit.Ticket, v.Audit.Review = newAuditViews(rd.Trail), newAuditViews(ttrail), newAuditViews(rtrail)
	httpapi.WriteJSON(w, http.StatusOK, v)
}

// claim gives an open ticket to the calling agent (the JWT's subject).
// Claiming a ticket one already holds answers it again.
func (a *API) claim(w http.ResponseWriter, r *http.Request, p httpapi.Principal) {
	idem, err := a.keyed(r, p)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	if err := emptyBody(r); err != nil {
		a.fail(w, r, err)
		return
	}
	id, err := ticketID(r)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	ctx := r.Context()
	t, err := a.store.GetTicket(ctx, id)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	if t.Status == moderation.TicketInProgress && t.Assignee == p.Subject {
		httpapi.WriteJSON(w, http.StatusOK, newTicketView(t))
		return
	}
	if err := moderation.CanClaim(t); err != nil {
		a.refuse(w, r, idem, err)
		return
	}
	now := a.clock.Now()
	claimed := t
	claimed.Status, claimed.Assignee, claimed.UpdatedAt = moderation.TicketInProgress, p.Subject, now
	body, err := json.Marshal(newTicketView(claimed))
	if err != nil {
		a.fail(w, r, fmt.Errorf("claim: %w", err))
		return
	}
	if idem != nil {
		idem.Status, idem.Body = http.StatusOK, body
	}
	err = a.store.ClaimTicket(ctx, t, p.Subject, now, idem)
	if a.replayed(w, r, err) {
		return
	}
	if errors.Is(err, store.ErrConflict) {
		if cur, gerr := a.store.GetTicket(ctx, id); gerr == nil {
			err = moderation.CanClaim(cur)
		}
		if err == nil || errors.Is(err, store.ErrConflict) {
			err = moderation.Conflict(moderation.CodeTicketNotOpen, "the ticket was claimed meanwhile")
		}
	}
	if err != nil {
		a.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	w.Write(body)
}

// emptyBody accepts no body or an empty JSON object.
func emptyBody(r *http.Request) error {
	if r.ContentLength == 0 && r.Header.Get("Content-Type") == "" {
		return nil
	}
	var empty struct{}
	return httpapi.DecodeJSON(r, &empty)
}

type decisionRequest struct {
	Outcome string `json:"outcome"`
	Note    string `json:"note"`
	Kind    string `json:"kind"`
	Message string `json:"message"`
}

// decide records an agent's decision (P7) and wakes the report's workflow:
// reinstate and remove close the report; request_reviewer_action asks the
// reviewer (at most Policy.MaxReviewerRounds times). 202 with the ticket.
func (a *API) decide(w http.ResponseWriter, r *http.Request, p httpapi.Principal) {
	idem, err := a.keyed(r, p)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	var req decisionRequest
	if err := httpapi.DecodeJSON(r, &req); err != nil {
		a.fail(w, r, err)
		return
	}
	id, err := ticketID(r)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	ctx := r.Context()
	now := a.clock.Now()
	t, err := a.store.GetTicket(ctx, id)
	d := moderation.Decision{Outcome: req.Outcome, Note: moderation.CleanText(req.Note), Kind: req.Kind, Message: moderation.CleanText(req.Message), Agent: p.Subject, At: now}
	if err == nil {
		err = moderation.ValidateDecision(t, d, a.policy.MaxReviewerRounds)
	}
	if err != nil {
		a.refuse(w, r, idem, err)
		return
	}
	rd, err := a.store.ReportDetail(ctx, t.ReportID)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	after := t
	after.Status, after.UpdatedAt = moderation.TicketDecided, now
	if d.Outcome == moderation.DecideReviewerAction {
		after.Status, after.Rounds = moderation.TicketWaitingForReviewer, t.Rounds+1
	}
	view := newTicketView(after)
	view.Decision = newDecisionView(d)
	body, err := json.Marshal(view)
	if err != nil {
		a.fail(w, r, fmt.Errorf("decide: %w", err))
		return
	}
	if idem != nil {
		idem.Status, idem.Body = http.StatusAccepted, body
	}
	err = a.store.DecideTicket(ctx, t, rd.Report, d, now.Add(a.windows.ReviewerResponse), idem)
	if a.replayed(w, r, err) {
		return
	}
	if errors.Is(err, store.ErrConflict) {
		err = moderation.Conflict(moderation.CodeTicketNotInProgress, "the ticket changed meanwhile (another decision was recorded)")
	}
	if err != nil {
		a.fail(w, r, err)
		return
	}
	a.wake(ctx, t.ID, investigation.DecisionOutput{Outcome: d.Outcome, Kind: d.Kind, Round: after.Rounds})
	accepted(w, "/v1/compliance/tickets/"+t.ID, body)
}

// wake answers the queue task of a ticket's workflow. The decision is
// recorded already: if the task is not waiting (its token not stored yet, or
// closed), the workflow's next queue task finds the decision itself.
func (a *API) wake(ctx context.Context, ticketID string, out investigation.DecisionOutput) {
	if a.answerer == nil {
		return
	}
	_, token, err := a.store.TicketDecision(ctx, ticketID)
	if err == nil && token != "" {
		err = a.answerer.Succeed(ctx, token, out)
	}
	if err != nil && !errors.Is(err, workflow.ErrTaskClosed) {
		a.log.WarnContext(ctx, "decision recorded but the workflow was not woken; its next queue task will find it", "ticketId", ticketID, "err", err)
	}
}

// reportStart is the workflow start of a report.
func reportStart(r moderation.Report) store.WorkflowStart {
	return store.WorkflowStart{Machine: workflow.ReportReview, Name: r.ID,
		Input: workflow.Input(map[string]any{"reportId": r.ID, "needsProof": moderation.NeedsProof(r.Items)}), At: r.CreatedAt}
}
