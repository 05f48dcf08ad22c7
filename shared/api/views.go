package api

import (
	"strings"
	"time"

	"github.com/candorhq/candor/shared/moderation"
)

// The JSON shapes of the API. Business-facing views are built only from
// fields a business may see: no view below for a business holds a reviewer's
// email or name (P12); reviewerView is for the platform alone.

func rfc3339(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

func optTime(t time.Time) *string {
	if t.IsZero() {
		return nil
	}
	s := rfc3339(t)
	return &s
}

func optString(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

type businessView struct {
	ID                string   `json:"id"`
	Name              string   `json:"name"`
	NotificationEmail string   `json:"notificationEmail"`
	Locale            string   `json:"locale"`
	Domains           []string `json:"domains"`
	CreatedAt         string   `json:"createdAt"`
	UpdatedAt         string   `json:"updatedAt"`
}

func newBusinessView(b moderation.Business) businessView {
	domains := b.Domains
	if domains == nil {
		domains = []string{}
	}
	return businessView{ID: b.ID, Name: b.Name, NotificationEmail: b.NotificationEmail, Locale: b.Locale, Domains: domains,
		CreatedAt: rfc3339(b.CreatedAt), UpdatedAt: rfc3339(b.UpdatedAt)}
}

// reviewView is a review as its business sees it.
type reviewView struct {
	ID             string  `json:"id"`
	BusinessID     string  `json:"businessId"`
	Version        int     `json:"version"`
	Visibility     string  `json:"visibility"`
	Stars          int     `json:"stars"`
	Title          string  `json:"title"`
	Text           string  `json:"text"`
	Source         string  `json:"source"`
	ExperienceDate string  `json:"experienceDate"`
	OpenReportID   *string `json:"openReportId"`
	OpenRequestID  *string `json:"openRequestId"`
	CreatedAt      string  `json:"createdAt"`
	UpdatedAt      string  `json:"updatedAt"`
	// Reply is the business's reply (absent when it has none).
	Reply *replyView `json:"reply,omitempty"`
}

func newReviewView(r moderation.Review) reviewView {
	return reviewView{ID: r.ID, BusinessID: r.BusinessID, Version: r.Version, Visibility: string(r.Visibility),
		Stars: r.Stars, Title: r.Title, Text: r.Text, Source: string(r.Source), ExperienceDate: r.ExperienceDate,
		OpenReportID: optString(r.OpenReportID), OpenRequestID: optString(r.OpenRequestID),
		CreatedAt: rfc3339(r.CreatedAt), UpdatedAt: rfc3339(r.UpdatedAt), Reply: newReplyView(r)}
}

// refusalView says why an action is not available now.
type refusalView struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Until   string `json:"until,omitempty"` // when the refusal ends, if it ends by the clock
}

// reviewDetailView adds what the business may do now.
type reviewDetailView struct {
	reviewView
	CanReport           bool         `json:"canReport"`
	ReportRefusal       *refusalView `json:"reportRefusal,omitempty"`
	AllowedReasons      []string     `json:"allowedReasons"`
	CanFindReviewer     bool         `json:"canFindReviewer"`
	FindReviewerRefusal *refusalView `json:"findReviewerRefusal,omitempty"`
	CanReply            bool         `json:"canReply"`
}

func refusal(err error) *refusalView {
	if err == nil {
		return nil
	}
	if e, ok := moderation.AsError(err); ok {
		v := &refusalView{Code: e.Code, Message: e.Message}
		if !e.Until.IsZero() {
			v.Until = e.Until.UTC().Format(time.RFC3339)
		}
		return v
	}
	return &refusalView{Code: "unavailable", Message: "not available"}
}

func newReviewDetailView(rc moderation.ReviewContext) reviewDetailView {
	reasons := []string{}
	for _, r := range moderation.AllowedReasons(rc) {
		reasons = append(reasons, string(r))
	}
	canReport := moderation.CanReport(rc)
	canFind := moderation.CanFindReviewer(rc)
	return reviewDetailView{
		reviewView: newReviewView(rc.Review), CanReport: canReport == nil, ReportRefusal: refusal(canReport),
		AllowedReasons: reasons, CanFindReviewer: canFind == nil, FindReviewerRefusal: refusal(canFind),
		CanReply: moderation.CanReply(rc.Review),
	}
}

// platformReviewView is a review as the platform sees it, with its author.
type platformReviewView struct {
	reviewView
	Reviewer reviewerView `json:"reviewer"`
}

type reviewerView struct {
	Email    string `json:"email"`
	Name     string `json:"name"`
	Locale   string `json:"locale"`
	TimeZone string `json:"timeZone"` // as the platform sent it; "" when it did not
}

type reportItemView struct {
	Scope   string  `json:"scope"`
	Reason  string  `json:"reason"`
	Details string  `json:"details"`
	Excerpt *string `json:"excerpt,omitempty"`
}

type timelineView struct {
	At     string `json:"at"`
	Action string `json:"action"`
	By     string `json:"by"`
	From   string `json:"from,omitempty"`
	To     string `json:"to,omitempty"`
}

// reportView is a report as its business sees it.
type reportView struct {
	ID              string           `json:"id"`
	ReviewID        string           `json:"reviewId"`
	ReviewVersion   int              `json:"reviewVersion"`
	Status          string           `json:"status"`
	Outcome         *string          `json:"outcome"`
	Items           []reportItemView `json:"items"`
	PublicStatement string           `json:"publicStatement"`
	HidesReview     bool             `json:"hidesReview"`
	CreatedAt       string           `json:"createdAt"`
	UpdatedAt       string           `json:"updatedAt"`
	ClosedAt        *string          `json:"closedAt"`
	// Ground is why a removal was decided: no_proof_provided or guideline_violation (null otherwise).
	Ground *string `json:"ground"`
	// UpheldReasons are the reported reasons a removal upholds ([] otherwise).
	UpheldReasons []string `json:"upheldReasons"`
	// AppealDeadline ends the window in which the party the outcome went
	// against may appeal it (null until that party is told).
	AppealDeadline *string           `json:"appealDeadline"`
	Appeal         *reportAppealView `json:"appeal"`
	Timeline       []timelineView    `json:"timeline"`
}

// reportAppealView is the appeal of a report's decision as its business
// sees it: who appealed and how it ended — not the appellant's text.
type reportAppealView struct {
	Status    string  `json:"status"`
	Appellant string  `json:"appellant"`
	Outcome   *string `json:"outcome"`
}

// actorRole keeps only the kind of actor ("business", "compliance", ...):
// a business never learns which agent handled its report.
func actorRole(actor string) string {
	role, _, _ := strings.Cut(actor, ":")
	if role == "agent" {
		return "compliance"
	}
	return role
}

// newTimeline is an audit trail as a business reads it (nil when empty).
func newTimeline(trail []moderation.AuditEntry) []timelineView {
	var tl []timelineView
	for _, e := range trail {
		tl = append(tl, timelineView{At: rfc3339(e.At), Action: e.Action, By: actorRole(e.Actor), From: e.From, To: e.To})
	}
	return tl
}

func newReportView(r moderation.Report, trail []moderation.AuditEntry) reportView {
	items := make([]reportItemView, len(r.Items))
	for i, it := range r.Items {
		items[i] = reportItemView{Scope: string(it.Scope), Reason: string(it.Reason), Details: it.Details, Excerpt: optString(it.Excerpt)}
	}
	tl := newTimeline(trail)
	if tl == nil {
		tl = []timelineView{}
	}
	var outcome *string
	if r.Outcome != moderation.OutcomeNone {
		outcome = optString(string(r.Outcome))
	}
	upheld := reasonNames(r.UpheldReasons)
	var appeal *reportAppealView
	if r.AppealStatus != "" {
		appeal = &reportAppealView{Status: string(r.AppealStatus), Appellant: string(moderation.Appellant(r.Outcome)), Outcome: optString(r.AppealOutcome)}
		if r.AppealOutcome == moderation.AppealReverse { // the outcome now is the reversal's: the appellant lost the first decision
			appeal.Appellant = string(moderation.Appellant(opposite(r.Outcome)))
		}
	}
	return reportView{ID: r.ID, ReviewID: r.ReviewID, ReviewVersion: r.ReviewVersion, Status: string(r.Status),
		Outcome: outcome, Items: items, PublicStatement: r.PublicStatement, HidesReview: r.HidesReview,
		CreatedAt: rfc3339(r.CreatedAt), UpdatedAt: rfc3339(r.UpdatedAt), ClosedAt: optTime(r.ClosedAt),
		Ground: optString(r.Ground), UpheldReasons: upheld, AppealDeadline: optTime(r.AppealDeadline), Appeal: appeal, Timeline: tl}
}

// opposite is the other closed outcome.
func opposite(o moderation.Outcome) moderation.Outcome {
	if o == moderation.OutcomeRemoved {
		return moderation.OutcomeReinstated
	}
	return moderation.OutcomeRemoved
}

type listView[T any] struct {
	Items      []T     `json:"items"`
	NextCursor *string `json:"nextCursor"`
}

func newList[T any](items []T, next string) listView[T] {
	if items == nil {
		items = []T{}
	}
	return listView[T]{Items: items, NextCursor: optString(next)}
}
