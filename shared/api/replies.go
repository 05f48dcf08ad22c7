package api

import (
	"net/http"

	"github.com/candorhq/candor/shared/httpapi"
	"github.com/candorhq/candor/shared/moderation"
)

// publicReplyView is a business's reply as the public sees it.
type publicReplyView struct {
	Text      string `json:"text"`
	CreatedAt string `json:"createdAt"`
	UpdatedAt string `json:"updatedAt"`
}

// replyView is a reply as its business sees it: with its entity tag, and
// whether the public sees it now (not while the review is not public).
type replyView struct {
	publicReplyView
	ETag   string `json:"etag"`
	Public bool   `json:"public"`
}

func newPublicReplyView(r moderation.Reply) *publicReplyView {
	return &publicReplyView{Text: r.Text, CreatedAt: rfc3339(r.CreatedAt), UpdatedAt: rfc3339(r.UpdatedAt)}
}

// newReplyView is rev's reply for its business (nil when it has none).
func newReplyView(rev moderation.Review) *replyView {
	if !rev.Reply.Exists() {
		return nil
	}
	return &replyView{publicReplyView: *newPublicReplyView(rev.Reply), ETag: rev.Reply.ETag(), Public: moderation.ReplyShown(rev)}
}

type replyRequest struct {
	Text string `json:"text"`
}

// putReply creates (201) or replaces (200) the business's reply to one of
// its reviews; If-Match on the reply's ETag refuses a lost update (412).
func (a *API) putReply(w http.ResponseWriter, r *http.Request, p httpapi.Principal) {
	var req replyRequest
	if err := httpapi.DecodeJSON(r, &req); err != nil {
		httpapi.WriteError(w, r, err)
		return
	}
	rev, isNew, err := a.app.PutReply(r.Context(), actor(p), r.PathValue("reviewId"), req.Text, r.Header.Get("If-Match"))
	if err != nil {
		httpapi.WriteError(w, r, err)
		return
	}
	w.Header().Set("ETag", rev.Reply.ETag())
	if isNew {
		w.Header().Set("Location", "/v1/reviews/"+rev.ID+"/reply")
	}
	httpapi.WriteJSON(w, created(isNew), newReplyView(rev))
}

// deleteReply removes the business's reply (204).
func (a *API) deleteReply(w http.ResponseWriter, r *http.Request, p httpapi.Principal) {
	if err := a.app.DeleteReply(r.Context(), actor(p), r.PathValue("reviewId"), r.Header.Get("If-Match")); err != nil {
		httpapi.WriteError(w, r, err)
		return
	}
	httpapi.WriteJSON(w, http.StatusNoContent, nil)
}
