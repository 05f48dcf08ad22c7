package console

import (
	"context"
	"net/http"
	"net/url"

	"github.com/candorhq/candor/shared/app"
	"github.com/candorhq/candor/shared/consoleauth"
	"github.com/candorhq/candor/shared/ids"
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

// showCase renders ticket id's case page with status, the note form in the
// state form (a refused note keeps its text and says its problem).
func (h *Handler) showCase(w http.ResponseWriter, r *http.Request, id string, status int, form noteForm) {
	if !ids.Valid("tkt", id) {
		h.fail(w, r, "ticket", moderation.ErrNotFound)
		return
	}
	ctx := r.Context()
	c, err := h.desk.Ticket(ctx, id)
	if err != nil {
		h.fail(w, r, "ticket", err)
		return
	}
	br, err := h.desk.BusinessReporting(ctx, c.Ticket.BusinessID)
	if err != nil {
		h.fail(w, r, "ticket", err)
		return
	}
	s, _ := consoleauth.FromContext(ctx)
	v := caseOf(c, br, h.desk.Policy(), h.opt.Clock.Now(), Location(zoneOf(s)), s.Subject)
	v.NoteForm = form
	render(w, r, status, casePage(h.chrome(r, "Ticket "+id), v))
}

// addNote adds the agent's internal note and shows the case again at its
// notes; a refused note shows the case with the text kept and the problem
// next to the field.
func (h *Handler) addNote(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	text := r.PostForm.Get(NoteField)
	_, err := h.desk.AddNote(r.Context(), actor(r), id, text, nil)
	if e, ok := moderation.AsError(err); ok && e.Kind == moderation.KindInvalid {
		h.showCase(w, r, id, http.StatusUnprocessableEntity, noteForm{Text: text, Problem: e.Fields["text"]})
		return
	}
	if err != nil {
		h.fail(w, r, "add a note", err)
		return
	}
	http.Redirect(w, r, "/console/tickets/"+url.PathEscape(id)+"#notes", http.StatusSeeOther)
}
