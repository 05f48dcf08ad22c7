package api

import (
	"net/http"
	"time"

	"github.com/candorhq/candor/shared/httpapi"
	"github.com/candorhq/candor/shared/moderation"
)

// listReviews returns the caller's reviews, newest first.
func (a *API) listReviews(w http.ResponseWriter, r *http.Request, p httpapi.Principal) {
	pg, err := page(r)
	if err != nil {
		httpapi.WriteError(w, r, err)
		return
	}
	revs, next, err := a.app.ListReviews(r.Context(), actor(p), pg)
	if err != nil {
		httpapi.WriteError(w, r, err)
		return
	}
	views := make([]reviewView, len(revs))
	for i, rv := range revs {
		views[i] = newReviewView(rv)
	}
	httpapi.WriteJSON(w, http.StatusOK, newList(views, next))
}

// getReview returns one review with what the business may do now.
func (a *API) getReview(w http.ResponseWriter, r *http.Request, p httpapi.Principal) {
	rc, err := a.app.OwnReview(r.Context(), actor(p), r.PathValue("reviewId"))
	if err != nil {
		httpapi.WriteError(w, r, err)
		return
	}
	susp, err := a.app.ReportingSuspension(r.Context(), rc.Review.BusinessID)
	if err != nil {
		httpapi.WriteError(w, r, err)
		return
	}
	httpapi.WriteJSON(w, http.StatusOK, withSuspension(newReviewDetailView(rc), susp))
}

type publicReviewBody struct {
	ID             string `json:"id"`
	BusinessID     string `json:"businessId"`
	Version        int    `json:"version"`
	Stars          int    `json:"stars"`
	Title          string `json:"title"`
	Text           string `json:"text"`
	Source         string `json:"source"`
	ExperienceDate string `json:"experienceDate"`
}

type publicStatementView struct {
	BusinessName    string `json:"businessName"`
	PublicStatement string `json:"publicStatement"`
	ReportedAt      string `json:"reportedAt"`
}

type publicReviewView struct {
	Visibility string            `json:"visibility"`
	Review     *publicReviewBody `json:"review,omitempty"`
	// While under investigation: the business's statement in the review's place.
	*publicStatementView
	// While published with an open report that did not hide it (HidePolicy=harmful_only).
	Report *publicStatementView `json:"report,omitempty"`
	// The business's reply, while there is one and the review is published.
	Reply *publicReplyView `json:"reply,omitempty"`
}

// publicReview shows what anyone may see of a review (no auth). It never
// shows the reviewer: not the email, and not the name either, since
// this endpoint is open to businesses too (P12).
func (a *API) publicReview(w http.ResponseWriter, r *http.Request, _ httpapi.Principal) {
	pr, err := a.app.Public(r.Context(), r.PathValue("reviewId"))
	if err != nil {
		httpapi.WriteError(w, r, err)
		return
	}
	rev := pr.Review
	view := publicReviewView{Visibility: string(rev.Visibility)}
	statement := &publicStatementView{BusinessName: pr.BusinessName, PublicStatement: rev.PublicStatement, ReportedAt: rev.ReportedAt.UTC().Format(time.RFC3339)}
	switch rev.Visibility {
	case moderation.Published:
		view.Review = &publicReviewBody{ID: rev.ID, BusinessID: rev.BusinessID, Version: rev.Version, Stars: rev.Stars,
			Title: rev.Title, Text: rev.Text, Source: string(rev.Source), ExperienceDate: rev.ExperienceDate}
		if rev.OpenReportID != "" {
			view.Report = statement
		}
		if moderation.ReplyShown(rev) {
			view.Reply = newPublicReplyView(rev.Reply)
		}
	case moderation.UnderInvestigation:
		view.publicStatementView = statement
	}
	httpapi.WriteJSON(w, http.StatusOK, view)
}
