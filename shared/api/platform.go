package api

import (
	"net/http"

	"github.com/candorhq/candor/shared/httpapi"
	"github.com/candorhq/candor/shared/moderation"
)

type businessRequest struct {
	Name              string `json:"name"`
	NotificationEmail string `json:"notificationEmail"`
	Locale            string `json:"locale"`
	// Domains are the business's own web domains (optional).
	Domains []string `json:"domains"`
}

// created is 201 for a new object, 200 for an update.
func created(isNew bool) int {
	if isNew {
		return http.StatusCreated
	}
	return http.StatusOK
}

// putBusiness creates or updates a business (201 when created, 200 when updated).
func (a *API) putBusiness(w http.ResponseWriter, r *http.Request, _ httpapi.Principal) {
	var req businessRequest
	if !moderation.ValidID(r.PathValue("businessId")) {
		httpapi.WriteError(w, r, moderation.InvalidField("businessId", "must be 1 to 64 of A-Z, a-z, 0-9, _ and -"))
		return
	}
	if err := httpapi.DecodeJSON(r, &req); err != nil {
		httpapi.WriteError(w, r, err)
		return
	}
	b, isNew, err := a.app.PutBusiness(r.Context(), r.PathValue("businessId"),
		moderation.BusinessInput{Name: req.Name, NotificationEmail: req.NotificationEmail, Locale: req.Locale, Domains: req.Domains})
	if err != nil {
		httpapi.WriteError(w, r, err)
		return
	}
	httpapi.WriteJSON(w, created(isNew), newBusinessView(b))
}

type reviewerRequest struct {
	Email    string `json:"email"`
	Name     string `json:"name"`
	Locale   string `json:"locale"`
	TimeZone string `json:"timeZone"`
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
	var req reviewRequest
	if !moderation.ValidID(r.PathValue("reviewId")) {
		httpapi.WriteError(w, r, moderation.InvalidField("reviewId", "must be 1 to 64 of A-Z, a-z, 0-9, _ and -"))
		return
	}
	if err := httpapi.DecodeJSON(r, &req); err != nil {
		httpapi.WriteError(w, r, err)
		return
	}
	rev, isNew, err := a.app.PutReview(r.Context(), r.PathValue("reviewId"), moderation.ReviewInput{
		BusinessID: req.BusinessID, Reviewer: moderation.Reviewer{Email: req.Reviewer.Email, Name: req.Reviewer.Name, Locale: req.Reviewer.Locale,
			TimeZone: req.Reviewer.TimeZone},
		Stars: req.Stars, Title: req.Title, Text: req.Text, Source: moderation.Source(req.Source),
		ExperienceDate: req.ExperienceDate, Version: req.Version,
	})
	if err != nil {
		httpapi.WriteError(w, r, err)
		return
	}
	httpapi.WriteJSON(w, created(isNew), platformReviewView{reviewView: newReviewView(rev),
		Reviewer: reviewerView{Email: rev.Reviewer.Email, Name: rev.Reviewer.Name, Locale: rev.Reviewer.Locale,
			TimeZone: rev.Reviewer.TimeZone}})
}
