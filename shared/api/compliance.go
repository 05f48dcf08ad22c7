package api

import (
	"net/http"

	"github.com/candorhq/candor/shared/app"
	"github.com/candorhq/candor/shared/httpapi"
	"github.com/candorhq/candor/shared/moderation"
)

type ticketView struct {
	ID string `json:"id"`
	// Kind is review (a business's report) or reply (reports on its reply,
	// with no report: ReportID null).
	Kind       string        `json:"kind"`
	ReportID   *string       `json:"reportId"`
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
	// Reports and ReplyReasons, for a reply ticket: how many reports it
	// collected and the reasons they named.
	Reports      int      `json:"reports,omitempty"`
	ReplyReasons []string `json:"replyReasons,omitempty"`
	// Workflow is set when the report's workflow stalled at a failed step.
	Workflow *stallView `json:"workflow,omitempty"`
}

// stallView is a workflow stopped at a failed step, for compliance and ops.
type stallView struct {
	Status    string `json:"status"` // "stalled"
	Object    string `json:"object,omitempty"`
	ID        string `json:"id,omitempty"`
	State     string `json:"state"`
	Error     string `json:"error"`
	Execution string `json:"execution"`
	Since     string `json:"since"`
}

func newStallView(st app.Stall) *stallView {
	if st.State == "" {
		return nil
	}
	return &stallView{Status: "stalled", State: st.State, Error: st.Error, Execution: st.Execution, Since: rfc3339(st.At)}
}

type decisionView struct {
	Outcome       string   `json:"outcome"`
	Note          string   `json:"note"`
	Kind          *string  `json:"kind"`
	Message       *string  `json:"message"`
	UpheldReasons []string `json:"upheldReasons"`
	DecidedBy     string   `json:"decidedBy"`
	DecidedAt     string   `json:"decidedAt"`
}

func newTicketView(t moderation.Ticket) ticketView {
	return ticketView{ID: t.ID, Kind: string(t.KindOrReview()), ReportID: optString(t.ReportID), Reports: t.Reports,
		ReplyReasons: replyReasonNames(t.ReplyReasons), ReviewID: t.ReviewID, BusinessID: t.BusinessID, Status: string(t.Status),
		Assignee: optString(t.Assignee), Rounds: t.Rounds, Marker: optString(t.Marker), QueuedAt: rfc3339(t.QueuedAt),
		CreatedAt: rfc3339(t.CreatedAt), UpdatedAt: rfc3339(t.UpdatedAt)}
}

func newDecisionView(d moderation.Decision) *decisionView {
	if d.Outcome == "" {
		return nil
	}
	return &decisionView{Outcome: d.Outcome, Note: d.Note, Kind: optString(d.Kind), Message: optString(d.Message),
		UpheldReasons: reasonNames(d.UpheldReasons), DecidedBy: d.Agent, DecidedAt: rfc3339(d.At)}
}

// reasonNames are reason codes as JSON strings ([] for none).
func reasonNames(rs []moderation.Reason) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = string(r)
	}
	return out
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
	// Documents are the files the reviewer sent with the answer (proof,
	// evidence, appeal): their records only ([] for none).
	Documents []documentView `json:"documents"`
}

type complianceRequestView struct {
	ID        string      `json:"id"`
	Status    string      `json:"status"`
	Message   string      `json:"message"`
	Reply     *string     `json:"reply"`
	RepliedAt *string     `json:"repliedAt"`
	CreatedAt string      `json:"createdAt"`
	Audit     []auditView `json:"audit"`
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

// newVersionViews are a review's versions, each with what it changed.
func newVersionViews(vs []moderation.ReviewVersion) []versionView {
	out := []versionView{}
	for i, ver := range vs {
		vv := versionView{Version: ver.Version, Stars: ver.Stars, Title: ver.Title, Text: ver.Text, ExperienceDate: ver.ExperienceDate,
			At: rfc3339(ver.At), By: ver.By, Changed: []string{}}
		if i > 0 {
			vv.Changed = append(vv.Changed, changedFields(vs[i-1], ver)...)
		}
		out = append(out, vv)
	}
	return out
}

// newAnswerViews are the reviewer's answers on a report.
func newAnswerViews(as []app.Answer) []answerView {
	out := []answerView{}
	for _, an := range as {
		out = append(out, answerView{Kind: an.Kind, Round: an.Round, Text: an.Text, NewVersion: an.NewVersion, At: rfc3339(an.At), Documents: []documentView{}})
	}
	return out
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
		httpapi.WriteError(w, r, err)
		return
	}
	q := r.URL.Query()
	ts, next, err := a.app.ListTickets(r.Context(), moderation.TicketStatus(q.Get("status")), moderation.TicketKind(q.Get("kind")), pg)
	if err != nil {
		httpapi.WriteError(w, r, err)
		return
	}
	views := make([]ticketView, len(ts))
	for i, t := range ts {
		views[i] = newTicketView(t)
	}
	httpapi.WriteJSON(w, http.StatusOK, newList(views, next))
}

// getTicket returns everything an agent needs to decide: the report, every
// version of the review with what changed, the reviewer's answers, the
// business's Find Reviewer requests on the review with their audit trails,
// the audit trails of report, ticket and review, and the business's
// reporting: its signals, the sanctions in force and the rule's proposal,
// and the agents' internal notes.
func (a *API) getTicket(w http.ResponseWriter, r *http.Request, _ httpapi.Principal) {
	c, err := a.app.Ticket(r.Context(), r.PathValue("ticketId"))
	if err != nil {
		httpapi.WriteError(w, r, err)
		return
	}
	br, err := a.app.BusinessReporting(r.Context(), c.Ticket.BusinessID)
	if err != nil {
		httpapi.WriteError(w, r, err)
		return
	}
	if c.Ticket.Kind == moderation.TicketKindReply {
		httpapi.WriteJSON(w, http.StatusOK, struct {
			replyTicketDetailView
			Reporting reportingView        `json:"reporting"`
			Sanctions sanctionsInForceView `json:"sanctions"`
			Notes     []noteView           `json:"notes"`
		}{newReplyTicketDetailView(c), newReportingView(br.Signals), newSanctionsInForceView(br), newNoteViews(c.Notes)})
		return
	}
	httpapi.WriteJSON(w, http.StatusOK, struct {
		ticketDetailView
		Reporting reportingView        `json:"reporting"`
		Sanctions sanctionsInForceView `json:"sanctions"`
		Notes     []noteView           `json:"notes"`
	}{newTicketDetailView(c), newReportingView(br.Signals), newSanctionsInForceView(br), newNoteViews(c.Notes)})
}

func newTicketDetailView(c app.TicketCase) ticketDetailView {
	var v ticketDetailView
	v.ticketView = newTicketView(c.Ticket)
	v.Decision = newDecisionView(c.Decision)
	v.Workflow = newStallView(c.Report.Stall)
	v.Report.reportView = newReportView(c.Report.Report, c.Report.Trail)
	v.Report.BusinessID = c.Report.Report.BusinessID
	v.Review.reviewView = newReviewView(c.Review.Review)
	v.Review.Versions = newVersionViews(c.Versions)
	v.Answers = withDocuments(newAnswerViews(c.Report.Answers), c.Report.Documents)
	v.FindReviewerRequests = []complianceRequestView{}
	for _, rq := range c.Requests {
		fr := rq.Request
		cv := complianceRequestView{ID: fr.ID, Status: string(fr.Status), Message: fr.Message, CreatedAt: rfc3339(fr.CreatedAt), Audit: newAuditViews(rq.Trail)}
		if fr.Status == moderation.RequestReplied {
			reply := fr.Reply
			cv.Reply, cv.RepliedAt = &reply, optTime(fr.RepliedAt)
		}
		v.FindReviewerRequests = append(v.FindReviewerRequests, cv)
	}
	v.Audit.Report, v.Audit.Ticket, v.Audit.Review = newAuditViews(c.Report.Trail), newAuditViews(c.Trail), newAuditViews(c.ReviewTrail)
	return v
}

// stalledWorkflows lists the workflows stopped at a failed step, oldest
// first: what ops redrive (docs/ops.md, "A workflow stalled").
func (a *API) stalledWorkflows(w http.ResponseWriter, r *http.Request, _ httpapi.Principal) {
	list, err := a.app.StalledWorkflows(r.Context())
	if err != nil {
		httpapi.WriteError(w, r, err)
		return
	}
	views := make([]stallView, 0, len(list))
	for _, sw := range list {
		v := newStallView(sw.Stall)
		v.Object, v.ID = string(sw.Object.Kind), sw.Object.ID
		views = append(views, *v)
	}
	httpapi.WriteJSON(w, http.StatusOK, newList(views, ""))
}

// claim gives an open ticket to the calling agent (the JWT's subject).
// Claiming a ticket one already holds answers it again.
func (a *API) claim(w http.ResponseWriter, r *http.Request, p httpapi.Principal) {
	if err := emptyBody(r); err != nil {
		httpapi.WriteError(w, r, err)
		return
	}
	t, err := a.app.Claim(r.Context(), actor(p), r.PathValue("ticketId"), idempotencyOf(r))
	if err != nil {
		httpapi.WriteError(w, r, err)
		return
	}
	httpapi.WriteJSON(w, http.StatusOK, newTicketView(t))
}

type decisionRequest struct {
	Outcome       string              `json:"outcome"`
	Note          string              `json:"note"`
	Kind          string              `json:"kind"`
	Message       string              `json:"message"`
	UpheldReasons []moderation.Reason `json:"upheldReasons"`
}

// decide records an agent's decision (P7, P8): 202 with the ticket.
func (a *API) decide(w http.ResponseWriter, r *http.Request, p httpapi.Principal) {
	var req decisionRequest
	if err := httpapi.DecodeJSON(r, &req); err != nil {
		httpapi.WriteError(w, r, err)
		return
	}
	t, d, err := a.app.Decide(r.Context(), actor(p), r.PathValue("ticketId"),
		moderation.Decision{Outcome: req.Outcome, Note: req.Note, Kind: req.Kind, Message: req.Message, UpheldReasons: req.UpheldReasons}, idempotencyOf(r))
	if err != nil {
		httpapi.WriteError(w, r, err)
		return
	}
	view := newTicketView(t)
	view.Decision = newDecisionView(d)
	accepted(w, "/v1/compliance/tickets/"+t.ID, view)
}
