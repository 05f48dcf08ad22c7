package api

import (
	"net/http"

	"github.com/candorhq/candor/shared/httpapi"
)

// The replayers of the idempotent routes: each renders its object now in
// the shape of its route's response (see replay). The resource id comes from
// the key's record, which only the caller's own scope can reach.

func (a *API) reportAgain(r *http.Request, p httpapi.Principal, id string) (any, error) {
	rep, trail, err := a.app.GetReport(r.Context(), actor(p), id)
	return newReportView(rep, trail), err
}

func (a *API) requestAgain(r *http.Request, p httpapi.Principal, id string) (any, error) {
	fr, trail, err := a.app.GetRequest(r.Context(), actor(p), id)
	return newRequestView(fr, trail), err
}

func (a *API) claimAgain(r *http.Request, _ httpapi.Principal, id string) (any, error) {
	c, err := a.app.Ticket(r.Context(), id)
	return newTicketView(c.Ticket), err
}

func (a *API) decisionAgain(r *http.Request, _ httpapi.Principal, id string) (any, error) {
	c, err := a.app.Ticket(r.Context(), id)
	view := newTicketView(c.Ticket)
	view.Decision = newDecisionView(c.Decision)
	return view, err
}

func (a *API) appealAgain(r *http.Request, _ httpapi.Principal, id string) (any, error) {
	c, err := a.app.Appeal(r.Context(), id)
	return newAppealView(c.Appeal), err
}

func (a *API) businessAppealAgain(r *http.Request, _ httpapi.Principal, id string) (any, error) {
	c, err := a.app.Appeal(r.Context(), id)
	return newBusinessAppealView(c.Appeal), err
}

func (a *API) sanctionAgain(r *http.Request, _ httpapi.Principal, id string) (any, error) {
	rec, err := a.app.Sanction(r.Context(), r.PathValue("businessId"), id)
	return newSanctionView(rec.Sanction, rec.Trail), err
}
