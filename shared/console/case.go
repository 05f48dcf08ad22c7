package console

import (
	"context"
	"net/http"
	"net/url"

	"github.com/candorhq/candor/shared/app"
	"github.com/candorhq/candor/shared/moderation"
)

// CaseDesk is what the case page needs of the use cases beyond the
// queues: the business's reporting, the deployment's policy (the windows'
// lengths) and internal notes.
type CaseDesk interface {
	BusinessReporting(ctx context.Context, businessID string) (app.BusinessReporting, error)
	Policy() moderation.Policy
	AddNote(ctx context.Context, actor app.Actor, ticketID, text string, idem *app.Idempotency) (moderation.InternalNote, error)
}

// NoteField is the note form's text field.
const NoteField = "text"

// addNote adds the agent's internal note and shows the case again at its
// notes; a refused note shows the case with the text kept and the problem
// next to the field.
func (h *Handler) addNote(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	text := r.PostForm.Get(NoteField)
	_, err := h.desk.AddNote(r.Context(), actor(r), id, text, nil)
	if e, ok := moderation.AsError(err); ok && e.Kind == moderation.KindInvalid {
		c, err := h.desk.Ticket(r.Context(), id)
		if err != nil {
			h.fail(w, r, "add a note", err)
			return
		}
		h.showCase(w, r, c, http.StatusUnprocessableEntity, decideForm{}, nil, nil, noteForm{Text: text, Problem: e.Fields["text"]})
		return
	}
	if err != nil {
		h.fail(w, r, "add a note", err)
		return
	}
	http.Redirect(w, r, "/console/tickets/"+url.PathEscape(id)+"#notes", http.StatusSeeOther)
}
