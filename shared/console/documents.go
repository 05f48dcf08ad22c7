package console

import (
	"errors"
	"net/http"

	"github.com/candorhq/candor/shared/moderation"
)

// document opens a reviewer's document for the signed-in agent as the API
// does: the view is audited under the agent's subject, then a 303 to a
// URL that reads it for a minute. A document not scanned yet, or withheld,
// is a page saying so; it is never shown.
func (h *Handler) document(w http.ResponseWriter, r *http.Request) {
	url, err := h.desk.OpenDocument(r.Context(), actor(r), r.PathValue("id"))
	e, _ := moderation.AsError(err)
	switch {
	case err == nil:
		w.Header().Set("Cache-Control", "no-store")
		w.Header().Set("Referrer-Policy", "no-referrer")
		http.Redirect(w, r, url, http.StatusSeeOther)
	case e != nil && e.Code == moderation.CodeDocumentNotScanned:
		render(w, r, http.StatusConflict, messagePage(h.chrome(r, "Not scanned yet"),
			"This document's malware scan has not answered yet. Try again in a minute.", false))
	case e != nil && e.Code == moderation.CodeDocumentWithheld:
		render(w, r, http.StatusGone, messagePage(h.chrome(r, "Withheld"),
			"This document is withheld: its malware scan found a threat or could not be completed. It cannot be opened.", false))
	case errors.Is(err, moderation.ErrNotFound) || e != nil && e.Kind == moderation.KindNotFound:
		render(w, r, http.StatusNotFound, messagePage(h.chrome(r, "Not found"), "There is no such document.", false))
	default:
		h.fail(w, r, "open document", err)
	}
}
