package api

import (
	"net/http"

	"github.com/candorhq/candor/shared/httpapi"
)

// release puts a ticket the calling agent holds back in the queue, at its
// place; the answer is the ticket, open and held by nobody.
func (a *API) release(w http.ResponseWriter, r *http.Request, p httpapi.Principal) {
	if err := emptyBody(r); err != nil {
		httpapi.WriteError(w, r, err)
		return
	}
	t, err := a.app.Release(r.Context(), actor(p), r.PathValue("ticketId"), idempotencyOf(r))
	if err != nil {
		httpapi.WriteError(w, r, err)
		return
	}
	httpapi.WriteJSON(w, http.StatusOK, newTicketView(t))
}
