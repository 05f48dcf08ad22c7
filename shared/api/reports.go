package api

import (
	"net/http"
	"strconv"

	"github.com/candorhq/candor/shared/httpapi"
	"github.com/candorhq/candor/shared/moderation"
)

type reportItemRequest struct {
	Scope   string `json:"scope"`
	Reason  string `json:"reason"`
	Details string `json:"details"`
	Excerpt string `json:"excerpt"`
}

type reportRequest struct {
	Items           []reportItemRequest `json:"items"`
	PublicStatement string              `json:"publicStatement"`
}

// submitReport files a report (P1–P6): 202 with the report.
func (a *API) submitReport(w http.ResponseWriter, r *http.Request, p httpapi.Principal) {
	var req reportRequest
	if err := httpapi.DecodeJSON(r, &req); err != nil {
		httpapi.WriteError(w, r, err)
		return
	}
	d := moderation.ReportDraft{PublicStatement: req.PublicStatement}
	for _, it := range req.Items {
		d.Items = append(d.Items, moderation.ReportItem{Scope: moderation.Scope(it.Scope), Reason: moderation.Reason(it.Reason), Details: it.Details, Excerpt: it.Excerpt})
	}
	rep, trail, err := a.app.SubmitReport(r.Context(), actor(p), r.PathValue("reviewId"), d, idempotencyOf(r))
	if err != nil {
		httpapi.WriteError(w, r, err)
		return
	}
	accepted(w, "/v1/reports/"+rep.ID, newReportView(rep, trail))
}

// listReports returns the caller's reports, newest first, optionally by status.
func (a *API) listReports(w http.ResponseWriter, r *http.Request, p httpapi.Principal) {
	pg, err := page(r)
	if err != nil {
		httpapi.WriteError(w, r, err)
		return
	}
	reps, next, err := a.app.ListReports(r.Context(), actor(p), moderation.ReportStatus(r.URL.Query().Get("status")), pg)
	if err != nil {
		httpapi.WriteError(w, r, err)
		return
	}
	views := make([]reportView, len(reps))
	for i, rep := range reps {
		views[i] = newReportView(rep, nil)
		views[i].Timeline = nil
	}
	httpapi.WriteJSON(w, http.StatusOK, newList(views, next))
}

// getReport returns one of the caller's reports with its timeline.
func (a *API) getReport(w http.ResponseWriter, r *http.Request, p httpapi.Principal) {
	rep, trail, err := a.app.GetReport(r.Context(), actor(p), r.PathValue("reportId"))
	if err != nil {
		httpapi.WriteError(w, r, err)
		return
	}
	httpapi.WriteJSON(w, http.StatusOK, newReportView(rep, trail))
}

type summaryView struct {
	Total     int            `json:"total"`
	ByStatus  map[string]int `json:"byStatus"`
	ByOutcome map[string]int `json:"byOutcome"`
	ByReason  map[string]int `json:"byReason"`
	ByStars   map[string]int `json:"byStars"`
}

// reportSummary counts the caller's reports by status, outcome, reason and
// the reported review's stars, every known key present.
func (a *API) reportSummary(w http.ResponseWriter, r *http.Request, p httpapi.Principal) {
	st, err := a.app.ReportSummary(r.Context(), actor(p))
	if err != nil {
		httpapi.WriteError(w, r, err)
		return
	}
	v := summaryView{Total: st.Total, ByStatus: map[string]int{}, ByOutcome: map[string]int{}, ByReason: map[string]int{}, ByStars: map[string]int{}}
	for k, n := range st.ByStatus {
		v.ByStatus[string(k)] = n
	}
	for k, n := range st.ByOutcome {
		v.ByOutcome[string(k)] = n
	}
	for k, n := range st.ByReason {
		v.ByReason[string(k)] = n
	}
	for k, n := range st.ByStars {
		v.ByStars[strconv.Itoa(k)] = n
	}
	httpapi.WriteJSON(w, http.StatusOK, v)
}
