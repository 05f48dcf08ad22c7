package api

import (
	"net/http"

	"github.com/candorhq/candor/shared/app"
	"github.com/candorhq/candor/shared/httpapi"
	"github.com/candorhq/candor/shared/moderation"
)

// Appeals (DSA Art. 20; docs/appeals.md): the business appeals a
// reinstatement here, the reviewer a removal through the link of the
// statement of reasons; compliance works them as a queue of their own.

type appealRequest struct {
	Reason string `json:"reason"`
}

// businessAppealView is the business's own appeal as it reads it back.
type businessAppealView struct {
	ID        string `json:"id"`
	ReportID  string `json:"reportId"`
	Appellant string `json:"appellant"`
	Reason    string `json:"reason"`
	Status    string `json:"status"`
	FiledAt   string `json:"filedAt"`
}

// fileAppeal files the business's appeal of a reinstatement: 201.
func (a *API) fileAppeal(w http.ResponseWriter, r *http.Request, p httpapi.Principal) {
	var req appealRequest
	if err := httpapi.DecodeJSON(r, &req); err != nil {
		httpapi.WriteError(w, r, err)
		return
	}
	ap, err := a.app.FileBusinessAppeal(r.Context(), actor(p), r.PathValue("reportId"), req.Reason, idempotencyOf(r))
	if err != nil {
		httpapi.WriteError(w, r, err)
		return
	}
	w.Header().Set("Location", "/v1/reports/"+ap.ReportID)
	httpapi.WriteJSON(w, http.StatusCreated, newBusinessAppealView(ap))
}

func newBusinessAppealView(ap moderation.Appeal) businessAppealView {
	return businessAppealView{ID: ap.ID, ReportID: ap.ReportID, Appellant: string(ap.Appellant),
		Reason: ap.Reason, Status: string(ap.Status), FiledAt: rfc3339(ap.FiledAt)}
}

type appealView struct {
	ID         string  `json:"id"`
	ReportID   string  `json:"reportId"`
	TicketID   string  `json:"ticketId"`
	ReviewID   string  `json:"reviewId"`
	BusinessID string  `json:"businessId"`
	Appellant  string  `json:"appellant"`
	Contested  string  `json:"contested"` // the outcome appealed
	Status     string  `json:"status"`
	Assignee   *string `json:"assignee"`
	// FirstAgent took the decision appealed (null: it was automated); they
	// cannot claim or decide the appeal.
	FirstAgent *string             `json:"firstAgent"`
	Decision   *appealDecisionView `json:"decision"`
	FiledAt    string              `json:"filedAt"`
	QueuedAt   string              `json:"queuedAt"`
	UpdatedAt  string              `json:"updatedAt"`
}

type appealDecisionView struct {
	Outcome       string   `json:"outcome"`
	Result        string   `json:"result"` // the report's outcome after the appeal
	Note          string   `json:"note"`
	UpheldReasons []string `json:"upheldReasons"`
	DecidedBy     string   `json:"decidedBy"`
	DecidedAt     string   `json:"decidedAt"`
}

func newAppealView(ap moderation.Appeal) appealView {
	v := appealView{ID: ap.ID, ReportID: ap.ReportID, TicketID: ap.TicketID, ReviewID: ap.ReviewID, BusinessID: ap.BusinessID,
		Appellant: string(ap.Appellant), Contested: string(ap.Contested), Status: string(ap.Status), Assignee: optString(ap.Assignee),
		FirstAgent: optString(ap.FirstAgent), FiledAt: rfc3339(ap.FiledAt), QueuedAt: rfc3339(ap.QueuedAt), UpdatedAt: rfc3339(ap.UpdatedAt)}
	if ap.Status == moderation.AppealDecided {
		d := ap.Decision
		v.Decision = &appealDecisionView{Outcome: d.Outcome, Result: string(ap.Result()), Note: d.Note,
			UpheldReasons: reasonNames(d.UpheldReasons), DecidedBy: d.Agent, DecidedAt: rfc3339(d.At)}
	}
	return v
}

// firstDecisionView is the decision appealed.
type firstDecisionView struct {
	Outcome       string   `json:"outcome"`
	Automated     bool     `json:"automated"` // the no-proof removal: no person decided
	Ground        *string  `json:"ground"`
	Note          *string  `json:"note"`
	UpheldReasons []string `json:"upheldReasons"`
	DecidedBy     *string  `json:"decidedBy"`
	DecidedAt     string   `json:"decidedAt"`
}

type appealDetailView struct {
	appealView
	Reason        string            `json:"reason"`
	FirstDecision firstDecisionView `json:"firstDecision"`
	Report        struct {
		reportView
		BusinessID string `json:"businessId"`
	} `json:"report"`
	Review struct {
		Versions []versionView `json:"versions"`
	} `json:"review"`
	Answers []answerView `json:"answers"`
	Audit   struct {
		Appeal []auditView `json:"appeal"`
		Report []auditView `json:"report"`
	} `json:"audit"`
}

func newAppealDetailView(c app.AppealCase) appealDetailView {
	v := appealDetailView{appealView: newAppealView(c.Appeal), Reason: c.Appeal.Reason}
	fd := c.FirstDecision
	ground := moderation.GroundGuidelineViolation
	if c.Appeal.Contested == moderation.OutcomeReinstated {
		ground = ""
	}
	if c.Appeal.FirstAgent == "" {
		ground = moderation.GroundNoProofProvided
	}
	v.FirstDecision = firstDecisionView{Outcome: string(c.Appeal.Contested), Automated: c.Appeal.FirstAgent == "", Ground: optString(ground),
		Note: optString(fd.Note), UpheldReasons: reasonNames(fd.UpheldReasons), DecidedBy: optString(c.Appeal.FirstAgent), DecidedAt: rfc3339(fd.At)}
	v.Report.reportView = newReportView(c.Report.Report, c.Report.Trail)
	v.Report.BusinessID = c.Report.Report.BusinessID
	v.Review.Versions = newVersionViews(c.Versions)
	v.Answers = withDocuments(newAnswerViews(c.Report.Answers), c.Report.Documents)
	v.Audit.Appeal, v.Audit.Report = newAuditViews(c.Trail), newAuditViews(c.Report.Trail)
	return v
}

// listAppeals is the appeal queue, oldest first, optionally by status.
func (a *API) listAppeals(w http.ResponseWriter, r *http.Request, _ httpapi.Principal) {
	pg, err := page(r)
	if err != nil {
		httpapi.WriteError(w, r, err)
		return
	}
	list, next, err := a.app.ListAppeals(r.Context(), moderation.AppealStatus(r.URL.Query().Get("status")), pg)
	if err != nil {
		httpapi.WriteError(w, r, err)
		return
	}
	views := make([]appealView, len(list))
	for i, ap := range list {
		views[i] = newAppealView(ap)
	}
	httpapi.WriteJSON(w, http.StatusOK, newList(views, next))
}

// getAppeal returns an appeal's case: the appeal with the appellant's
// reason, the decision appealed with its note and agent, the report, every
// version of the review, the reviewer's answers and the audit trails.
func (a *API) getAppeal(w http.ResponseWriter, r *http.Request, _ httpapi.Principal) {
	c, err := a.app.Appeal(r.Context(), r.PathValue("appealId"))
	if err != nil {
		httpapi.WriteError(w, r, err)
		return
	}
	httpapi.WriteJSON(w, http.StatusOK, newAppealDetailView(c))
}

// claimAppeal gives an open appeal to the calling agent, unless they took
// the decision appealed (409 appeal_conflict_of_interest).
func (a *API) claimAppeal(w http.ResponseWriter, r *http.Request, p httpapi.Principal) {
	if err := emptyBody(r); err != nil {
		httpapi.WriteError(w, r, err)
		return
	}
	ap, err := a.app.ClaimAppeal(r.Context(), actor(p), r.PathValue("appealId"), idempotencyOf(r))
	if err != nil {
		httpapi.WriteError(w, r, err)
		return
	}
	httpapi.WriteJSON(w, http.StatusOK, newAppealView(ap))
}

type appealDecisionRequest struct {
	Outcome       string              `json:"outcome"`
	Note          string              `json:"note"`
	UpheldReasons []moderation.Reason `json:"upheldReasons"`
}

// decideAppeal records an appeal's decision: 202 with the appeal; the
// workflow sends the emails.
func (a *API) decideAppeal(w http.ResponseWriter, r *http.Request, p httpapi.Principal) {
	var req appealDecisionRequest
	if err := httpapi.DecodeJSON(r, &req); err != nil {
		httpapi.WriteError(w, r, err)
		return
	}
	ap, err := a.app.DecideAppeal(r.Context(), actor(p), r.PathValue("appealId"),
		moderation.AppealDecision{Outcome: req.Outcome, Note: req.Note, UpheldReasons: req.UpheldReasons}, idempotencyOf(r))
	if err != nil {
		httpapi.WriteError(w, r, err)
		return
	}
	accepted(w, "/v1/compliance/appeals/"+ap.ID, newAppealView(ap))
}
