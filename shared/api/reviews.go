package api

import (
	"errors"
	"net/http"
	"time"

	"github.com/candorhq/candor/shared/httpapi"
	"github.com/candorhq/candor/shared/moderation"
	"github.com/candorhq/candor/shared/store"
)

// page reads ?limit and ?cursor.
func page(r *http.Request) (store.Page, error) {
	limit, err := httpapi.ParseLimit(r)
	if err != nil {
		return store.Page{}, err
	}
	return store.Page{Limit: limit, Cursor: r.URL.Query().Get("cursor")}, nil
}

// listReviews returns the caller's reviews, newest first.
func (a *API) listReviews(w http.ResponseWriter, r *http.Request, p httpapi.Principal) {
	pg, err := page(r)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	revs, next, err := a.store.ListReviews(r.Context(), p.BusinessID, pg)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	views := make([]reviewView, len(revs))
	for i, rv := range revs {
		views[i] = newReviewView(rv)
	}
	httpapi.WriteJSON(w, http.StatusOK, newList(views, next))
}

// ownReviewContext loads a review's context, answering 404 when it belongs
// to another business (its existence is not revealed).
func (a *API) ownReviewContext(r *http.Request, p httpapi.Principal) (moderation.ReviewContext, error) {
	id := r.PathValue("reviewId")
	if !moderation.ValidID(id) {
		return moderation.ReviewContext{}, httpapi.NotFound()
	}
	rc, err := a.store.ReviewContext(r.Context(), id)
	if err != nil {
		return rc, err
	}
	if rc.Review.BusinessID != p.BusinessID {
		return rc, httpapi.NotFound()
	}
	return rc, nil
}

// getReview returns one review with what the business may do now.
func (a *API) getReview(w http.ResponseWriter, r *http.Request, p httpapi.Principal) {
	rc, err := a.ownReviewContext(r, p)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	httpapi.WriteJSON(w, http.StatusOK, newReviewDetailView(rc))
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
}

// publicReview shows what anyone may see of a review (no auth). It never
// shows the reviewer: not the email (SPEC), and not the name either, since
// this endpoint is open to businesses too (P12).
func (a *API) publicReview(w http.ResponseWriter, r *http.Request, _ httpapi.Principal) {
	id := r.PathValue("reviewId")
	if !moderation.ValidID(id) {
		a.fail(w, r, httpapi.NotFound())
		return
	}
	ctx := r.Context()
	rev, err := a.store.GetReview(ctx, id)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	view := publicReviewView{Visibility: string(rev.Visibility)}
	statement := func() (*publicStatementView, error) {
		b, err := a.store.GetBusiness(ctx, rev.BusinessID)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return nil, err
		}
		return &publicStatementView{BusinessName: b.Name, PublicStatement: rev.PublicStatement, ReportedAt: rev.ReportedAt.UTC().Format(time.RFC3339)}, nil
	}
	switch rev.Visibility {
	case moderation.Published:
		view.Review = &publicReviewBody{ID: rev.ID, BusinessID: rev.BusinessID, Version: rev.Version, Stars: rev.Stars,
			Title: rev.Title, Text: rev.Text, Source: string(rev.Source), ExperienceDate: rev.ExperienceDate}
		if rev.OpenReportID != "" {
			if view.Report, err = statement(); err != nil {
				a.fail(w, r, err)
				return
			}
		}
	case moderation.UnderInvestigation:
		if view.publicStatementView, err = statement(); err != nil {
			a.fail(w, r, err)
			return
		}
	}
	httpapi.WriteJSON(w, http.StatusOK, view)
}
