package api

import (
	"net/http"

	"github.com/candorhq/candor/shared/httpapi"
	"github.com/candorhq/candor/shared/moderation"
)

// noteView is an internal note as compliance reads it. Only compliance
// routes carry notes.
type noteView struct {
	ID        string `json:"id"`
	Author    string `json:"author"`
	Text      string `json:"text"`
	CreatedAt string `json:"createdAt"`
}

func newNoteView(n moderation.InternalNote) noteView {
	return noteView{ID: n.ID, Author: n.Author, Text: n.Text, CreatedAt: rfc3339(n.At)}
}

func newNoteViews(ns []moderation.InternalNote) []noteView {
	out := make([]noteView, len(ns))
	for i, n := range ns {
		out[i] = newNoteView(n)
	}
	return out
}

type noteRequest struct {
	Text string `json:"text"`
}

// addNote adds the calling agent's internal note to a ticket: 201 with the
// note.
func (a *API) addNote(w http.ResponseWriter, r *http.Request, p httpapi.Principal) {
	var req noteRequest
	if err := httpapi.DecodeJSON(r, &req); err != nil {
		httpapi.WriteError(w, r, err)
		return
	}
	n, err := a.app.AddNote(r.Context(), actor(p), r.PathValue("ticketId"), req.Text, idempotencyOf(r))
	if err != nil {
		httpapi.WriteError(w, r, err)
		return
	}
	httpapi.WriteJSON(w, http.StatusCreated, newNoteView(n))
}

// noteAgain is the note a key's first request added.
func (a *API) noteAgain(r *http.Request, _ httpapi.Principal, resource string) (any, error) {
	n, err := a.app.Note(r.Context(), resource)
	return newNoteView(n), err
}
