package api

import (
	"errors"
	"net/http"

	"github.com/candorhq/candor/shared/httpapi"
	"github.com/candorhq/candor/shared/moderation"
	"github.com/candorhq/candor/shared/store"
)

// fail writes err, translating the store's errors into the API's.
func (a *API) fail(w http.ResponseWriter, r *http.Request, err error) {
	switch {
	case errors.Is(err, store.ErrNotFound):
		err = httpapi.NotFound()
	case errors.Is(err, store.ErrBadCursor):
		err = httpapi.Invalid(map[string]string{"cursor": "is not a cursor from this list"})
	case errors.Is(err, store.ErrIdempotencyKeyReused):
		err = &httpapi.Error{Status: http.StatusUnprocessableEntity, Code: "idempotency_key_reused",
			Message: "this Idempotency-Key was used with another request",
			Fields:  map[string]string{"Idempotency-Key": "already used with another request"}}
	}
	httpapi.WriteError(w, r, err)
}

type businessRequest struct {
	Name              string `json:"name"`
	NotificationEmail string `json:"notificationEmail"`
	Locale            string `json:"locale"`
}

// putBusiness creates or updates a business (201 when created, 200 when updated).
func (a *API) putBusiness(w http.ResponseWriter, r *http.Request, _ httpapi.Principal) {
	id := r.PathValue("businessId")
	if !moderation.ValidID(id) {
		a.fail(w, r, httpapi.Invalid(map[string]string{"businessId": "must be 1 to 64 of A-Z, a-z, 0-9, _ and -"}))
		return
	}
	var req businessRequest
	if err := httpapi.DecodeJSON(r, &req); err != nil {
		a.fail(w, r, err)
		return
	}
	req.Name = moderation.CleanText(req.Name)
	in := moderation.BusinessInput{Name: req.Name, NotificationEmail: req.NotificationEmail, Locale: req.Locale}
	if err := moderation.ValidateBusiness(in); err != nil {
		a.fail(w, r, err)
		return
	}
	now := a.clock.Now()
	b, created, err := a.store.PutBusiness(r.Context(), moderation.Business{ID: id, Name: req.Name, NotificationEmail: req.NotificationEmail,
		Locale: moderation.NormalizeLocale(req.Locale), UpdatedAt: now})
	if err != nil {
		a.fail(w, r, err)
		return
	}
	status := http.StatusOK
	if created {
		status = http.StatusCreated
	}
	httpapi.WriteJSON(w, status, newBusinessView(b))
}

type reviewerRequest struct {
	Email  string `json:"email"`
	Name   string `json:"name"`
	Locale string `json:"locale"`
}

type reviewRequest struct {
	BusinessID     string          `json:"businessId"`
	Reviewer       reviewerRequest `json:"reviewer"`
	Stars          int             `json:"stars"`
	Title          string          `json:"title"`
	Text           string          `json:"text"`
	Source         string          `json:"source"`
	ExperienceDate string          `json:"experienceDate"`
	Version        int             `json:"version"`
}

// putReview creates a review (201) or records the platform's update of it:
// a content change is the reviewer's edit and makes a new version (200).
func (a *API) putReview(w http.ResponseWriter, r *http.Request, _ httpapi.Principal) {
	id := r.PathValue("reviewId")
	if !moderation.ValidID(id) {
		a.fail(w, r, httpapi.Invalid(map[string]string{"reviewId": "must be 1 to 64 of A-Z, a-z, 0-9, _ and -"}))
		return
	}
	var req reviewRequest
	if err := httpapi.DecodeJSON(r, &req); err != nil {
		a.fail(w, r, err)
		return
	}
	req.Reviewer.Name, req.Title, req.Text = moderation.CleanText(req.Reviewer.Name), moderation.CleanText(req.Title), moderation.CleanText(req.Text)
	now := a.clock.Now()
	in := moderation.ReviewInput{
		BusinessID: req.BusinessID, Reviewer: moderation.Reviewer{Email: req.Reviewer.Email, Name: req.Reviewer.Name, Locale: req.Reviewer.Locale},
		Stars: req.Stars, Title: req.Title, Text: req.Text, Source: moderation.Source(req.Source),
		ExperienceDate: req.ExperienceDate, Version: req.Version,
	}
	if err := moderation.ValidateReviewInput(in, now); err != nil {
		a.fail(w, r, err)
		return
	}
	ctx := r.Context()
	var existing *moderation.Review
	switch cur, err := a.store.GetReview(ctx, id); {
	case err == nil:
		existing = &cur
	case !errors.Is(err, store.ErrNotFound):
		a.fail(w, r, err)
		return
	}
	if existing == nil {
		if _, err := a.store.GetBusiness(ctx, req.BusinessID); err != nil {
			if errors.Is(err, store.ErrNotFound) {
				err = httpapi.Invalid(map[string]string{"businessId": "no such business"})
			}
			a.fail(w, r, err)
			return
		}
	}
	rev, ver, changed, err := moderation.ApplyReview(existing, id, in, now)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	status := http.StatusOK
	switch {
	case existing == nil:
		status = http.StatusCreated
		err = a.store.CreateReview(ctx, rev, ver, "platform")
	case changed:
		var v *moderation.ReviewVersion
		if ver.Version != 0 {
			v = &ver
		}
		err = a.store.UpdateReview(ctx, rev, existing.Version, v, "platform")
	}
	if errors.Is(err, store.ErrConflict) {
		err = moderation.Conflict(moderation.CodeVersionConflict, "the review changed concurrently; send the update again")
	}
	if err != nil {
		a.fail(w, r, err)
		return
	}
	httpapi.WriteJSON(w, status, platformReviewView{reviewView: newReviewView(rev),
		Reviewer: reviewerView{Email: rev.Reviewer.Email, Name: rev.Reviewer.Name, Locale: rev.Reviewer.Locale}})
}
