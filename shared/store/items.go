package store

import (
	"fmt"
	"strings"
	"time"

	"github.com/candorhq/candor/shared/ids"
	"github.com/candorhq/candor/shared/moderation"
)

// Key prefixes and sort keys of the single table (docs/data-model.md).
const (
	skBusiness    = "BUSINESS"
	skReview      = "REVIEW"
	skReport      = "REPORT"
	skTicket      = "TICKET"
	skIdempotency = "IDEMPOTENCY"
	skReportStats = "REPORTSTATS"
	skVersionPfx  = "VERSION#"
	skRequestPfx  = "REQUEST#"
	skAuditPfx    = "AUDIT#"
)

// timeLayout is fixed-width so that times sort as strings in keys.
const timeLayout = "2006-01-02T15:04:05.000000000Z"

func fmtTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(timeLayout)
}

func parseTime(s string) time.Time {
	if s == "" {
		return time.Time{}
	}
	t, err := time.Parse(timeLayout, s)
	if err != nil {
		return time.Time{}
	}
	return t
}

func businessPK(id string) string        { return "BUS#" + id }
func reviewPK(id string) string          { return "REV#" + id }
func reportPK(id string) string          { return "RPT#" + id }
func ticketPK(id string) string          { return "TKT#" + id }
func versionSK(v int) string             { return fmt.Sprintf("%s%08d", skVersionPfx, v) }
func businessReviewsPK(id string) string { return "BUS#" + id + "#REVIEWS" }
func businessReportsPK(id string) string { return "BUS#" + id + "#REPORTS" }
func businessReportsByStatusPK(id string, s moderation.ReportStatus) string {
	return "BUS#" + id + "#REPORTS#" + string(s)
}

const ticketsPK = "TICKETS"

func ticketsByStatusPK(s moderation.TicketStatus) string { return "TICKETS#" + string(s) }

func sortKey(t time.Time, id string) string { return fmtTime(t) + "#" + id }

type businessItem struct {
	PK, SK            string
	Type              string `dynamodbav:"type"`
	ID                string `dynamodbav:"id"`
	Name              string `dynamodbav:"name"`
	NotificationEmail string `dynamodbav:"notificationEmail"`
	Locale            string `dynamodbav:"locale"`
	CreatedAt         string `dynamodbav:"createdAt"`
	UpdatedAt         string `dynamodbav:"updatedAt"`
	Webhooks          int    `dynamodbav:"webhooks"` // kept by PutWebhook and DeleteWebhook (webhooks.go)
	// Domains is the business's own domains, comma-separated ("" for none).
	Domains string `dynamodbav:"domains"`
}

func (it businessItem) domain() moderation.Business {
	return moderation.Business{ID: it.ID, Name: it.Name, NotificationEmail: it.NotificationEmail, Locale: it.Locale,
		CreatedAt: parseTime(it.CreatedAt), UpdatedAt: parseTime(it.UpdatedAt), Webhooks: it.Webhooks, Domains: splitDomains(it.Domains)}
}

// splitDomains reads a business's domains as stored.
func splitDomains(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}

type reviewerAttr struct {
	Email    string `dynamodbav:"email"`
	Name     string `dynamodbav:"name"`
	Locale   string `dynamodbav:"locale"`
	TimeZone string `dynamodbav:"timeZone,omitempty"` // absent on reviews stored before time zones
}

// reviewItem is the review's head: its current version and moderation state.
// Optional state is kept as "" or 0 rather than absent, so every update can SET
// it (minidyn ignores REMOVE of a top-level attribute, and SET keeps the
// conditions simple: openReportId = :empty).
type reviewItem struct {
	PK, SK              string
	GSI1PK              string       `dynamodbav:"GSI1PK"`
	GSI1SK              string       `dynamodbav:"GSI1SK"`
	Type                string       `dynamodbav:"type"`
	ID                  string       `dynamodbav:"id"`
	BusinessID          string       `dynamodbav:"businessId"`
	Version             int          `dynamodbav:"version"`
	Reviewer            reviewerAttr `dynamodbav:"reviewer"`
	Stars               int          `dynamodbav:"stars"`
	Title               string       `dynamodbav:"title"`
	Text                string       `dynamodbav:"text"`
	Source              string       `dynamodbav:"source"`
	ExperienceDate      string       `dynamodbav:"experienceDate"`
	Visibility          string       `dynamodbav:"visibility"`
	OpenReportID        string       `dynamodbav:"openReportId"`
	LastReportedVersion int          `dynamodbav:"lastReportedVersion"`
	OpenRequestID       string       `dynamodbav:"openRequestId"`
	PublicStatement     string       `dynamodbav:"publicStatement"`
	ReportedAt          string       `dynamodbav:"reportedAt"`
	CreatedAt           string       `dynamodbav:"createdAt"`
	UpdatedAt           string       `dynamodbav:"updatedAt"`

	// LastRequestedVersion is absent on reviews never asked about.
	LastRequestedVersion int `dynamodbav:"lastRequestedVersion,omitempty"`
	// Reply is absent until the business first replies (replies.go).
	Reply *replyAttr `dynamodbav:"reply,omitempty"`
}

func newReviewItem(r moderation.Review) reviewItem {
	return reviewItem{
		PK: reviewPK(r.ID), SK: skReview,
		GSI1PK: businessReviewsPK(r.BusinessID), GSI1SK: sortKey(r.CreatedAt, r.ID),
		Type: "review", ID: r.ID, BusinessID: r.BusinessID, Version: r.Version,
		Reviewer: reviewerAttr(r.Reviewer), Stars: r.Stars, Title: r.Title, Text: r.Text,
		Source: string(r.Source), ExperienceDate: r.ExperienceDate, Visibility: string(r.Visibility),
		OpenReportID: r.OpenReportID, LastReportedVersion: r.LastReportedVersion, OpenRequestID: r.OpenRequestID,
		PublicStatement: r.PublicStatement, ReportedAt: fmtTime(r.ReportedAt),
		CreatedAt: fmtTime(r.CreatedAt), UpdatedAt: fmtTime(r.UpdatedAt), LastRequestedVersion: r.LastRequestedVersion,
		Reply: newReplyAttr(r.Reply),
	}
}

func (it reviewItem) domain() moderation.Review {
	return moderation.Review{
		ID: it.ID, BusinessID: it.BusinessID, Version: it.Version, Reviewer: moderation.Reviewer(it.Reviewer),
		Stars: it.Stars, Title: it.Title, Text: it.Text, Source: moderation.Source(it.Source),
		ExperienceDate: it.ExperienceDate, Visibility: moderation.Visibility(it.Visibility),
		OpenReportID: it.OpenReportID, LastReportedVersion: it.LastReportedVersion, OpenRequestID: it.OpenRequestID,
		PublicStatement: it.PublicStatement, ReportedAt: parseTime(it.ReportedAt),
		CreatedAt: parseTime(it.CreatedAt), UpdatedAt: parseTime(it.UpdatedAt), LastRequestedVersion: it.LastRequestedVersion,
		Reply: it.Reply.domain(),
	}
}

type versionItem struct {
	PK, SK         string
	Type           string `dynamodbav:"type"`
	Version        int    `dynamodbav:"version"`
	Stars          int    `dynamodbav:"stars"`
	Title          string `dynamodbav:"title"`
	Text           string `dynamodbav:"text"`
	ExperienceDate string `dynamodbav:"experienceDate"`
	At             string `dynamodbav:"at"`
	By             string `dynamodbav:"by"`
}

func newVersionItem(reviewID string, v moderation.ReviewVersion) versionItem {
	return versionItem{PK: reviewPK(reviewID), SK: versionSK(v.Version), Type: "reviewVersion", Version: v.Version,
		Stars: v.Stars, Title: v.Title, Text: v.Text, ExperienceDate: v.ExperienceDate, At: fmtTime(v.At), By: v.By}
}

func (it versionItem) domain() moderation.ReviewVersion {
	return moderation.ReviewVersion{Version: it.Version, Stars: it.Stars, Title: it.Title, Text: it.Text,
		ExperienceDate: it.ExperienceDate, At: parseTime(it.At), By: it.By}
}

// requestRefItem lives in the review's partition so that one Query returns
// the review with the Find Reviewer requests the report rules need (P5).
type requestRefItem struct {
	PK, SK string
	Type   string `dynamodbav:"type"`
	ID     string `dynamodbav:"id"`
	Status string `dynamodbav:"status"`
}

type reportItemAttr struct {
	Scope   string `dynamodbav:"scope"`
	Reason  string `dynamodbav:"reason"`
	Details string `dynamodbav:"details"`
	Excerpt string `dynamodbav:"excerpt"`
}

type reportItem struct {
	PK, SK           string
	GSI1PK           string           `dynamodbav:"GSI1PK"`
	GSI1SK           string           `dynamodbav:"GSI1SK"`
	GSI2PK           string           `dynamodbav:"GSI2PK"`
	GSI2SK           string           `dynamodbav:"GSI2SK"`
	Type             string           `dynamodbav:"type"`
	ID               string           `dynamodbav:"id"`
	BusinessID       string           `dynamodbav:"businessId"`
	ReviewID         string           `dynamodbav:"reviewId"`
	ReviewVersion    int              `dynamodbav:"reviewVersion"`
	ReviewStars      int              `dynamodbav:"reviewStars"`
	Status           string           `dynamodbav:"status"`
	Outcome          string           `dynamodbav:"outcome"`
	Ground           string           `dynamodbav:"ground"`
	Items            []reportItemAttr `dynamodbav:"items"`
	PublicStatement  string           `dynamodbav:"publicStatement"`
	TicketID         string           `dynamodbav:"ticketId"`
	HidesReview      bool             `dynamodbav:"hidesReview"`
	TaskToken        string           `dynamodbav:"taskToken"`
	ReviewerDeadline string           `dynamodbav:"reviewerDeadline"`
	Round            int              `dynamodbav:"round"`
	CreatedAt        string           `dynamodbav:"createdAt"`
	UpdatedAt        string           `dynamodbav:"updatedAt"`
	ClosedAt         string           `dynamodbav:"closedAt"`
	ReviewDate       string           `dynamodbav:"reviewDate"`
	UpheldReasons    string           `dynamodbav:"upheldReasons"`
	AppealDeadline   string           `dynamodbav:"appealDeadline"`
	AppealStatus     string           `dynamodbav:"appealStatus"`
	AppealOutcome    string           `dynamodbav:"appealOutcome"`
}

func newReportItem(r moderation.Report) reportItem {
	items := make([]reportItemAttr, len(r.Items))
	for i, it := range r.Items {
		items[i] = reportItemAttr{Scope: string(it.Scope), Reason: string(it.Reason), Details: it.Details, Excerpt: it.Excerpt}
	}
	return reportItem{
		PK: reportPK(r.ID), SK: skReport,
		GSI1PK: businessReportsPK(r.BusinessID), GSI1SK: sortKey(r.CreatedAt, r.ID),
		GSI2PK: businessReportsByStatusPK(r.BusinessID, r.Status), GSI2SK: sortKey(r.CreatedAt, r.ID),
		Type: "report", ID: r.ID, BusinessID: r.BusinessID, ReviewID: r.ReviewID, ReviewVersion: r.ReviewVersion,
		ReviewStars: r.ReviewStars, Status: string(r.Status), Outcome: string(r.Outcome), Ground: r.Ground,
		Items: items, PublicStatement: r.PublicStatement, TicketID: r.TicketID, HidesReview: r.HidesReview,
		CreatedAt: fmtTime(r.CreatedAt), UpdatedAt: fmtTime(r.UpdatedAt), ClosedAt: fmtTime(r.ClosedAt),
		ReviewDate: fmtTime(r.ReviewDate), UpheldReasons: reasonStrings(r.UpheldReasons),
		AppealDeadline: fmtTime(r.AppealDeadline), AppealStatus: string(r.AppealStatus), AppealOutcome: r.AppealOutcome,
	}
}

func (it reportItem) domain() moderation.Report {
	items := make([]moderation.ReportItem, len(it.Items))
	for i, x := range it.Items {
		items[i] = moderation.ReportItem{Scope: moderation.Scope(x.Scope), Reason: moderation.Reason(x.Reason), Details: x.Details, Excerpt: x.Excerpt}
	}
	return moderation.Report{
		ID: it.ID, BusinessID: it.BusinessID, ReviewID: it.ReviewID, ReviewVersion: it.ReviewVersion,
		ReviewStars: it.ReviewStars, Status: moderation.ReportStatus(it.Status), Outcome: moderation.Outcome(it.Outcome),
		Ground: it.Ground, Items: items, PublicStatement: it.PublicStatement, TicketID: it.TicketID,
		HidesReview: it.HidesReview, CreatedAt: parseTime(it.CreatedAt), UpdatedAt: parseTime(it.UpdatedAt),
		ClosedAt: parseTime(it.ClosedAt), ReviewDate: parseTime(it.ReviewDate), UpheldReasons: reasonsOf(it.UpheldReasons),
		AppealDeadline: parseTime(it.AppealDeadline), AppealStatus: moderation.AppealStatus(it.AppealStatus), AppealOutcome: it.AppealOutcome,
	}
}

// reasonStrings and reasonsOf store a list of reasons as one string, the
// codes joined by commas ("" for none): an empty list (L) is valid in
// DynamoDB but minidyn refuses it, and an optional SS cannot be empty.
func reasonStrings(rs []moderation.Reason) string {
	ss := make([]string, len(rs))
	for i, r := range rs {
		ss[i] = string(r)
	}
	return strings.Join(ss, ",")
}

func reasonsOf(s string) []moderation.Reason {
	if s == "" {
		return nil
	}
	parts := strings.Split(s, ",")
	out := make([]moderation.Reason, len(parts))
	for i, p := range parts {
		out[i] = moderation.Reason(p)
	}
	return out
}

type ticketItem struct {
	PK, SK          string
	GSI1PK          string `dynamodbav:"GSI1PK"`
	GSI1SK          string `dynamodbav:"GSI1SK"`
	GSI2PK          string `dynamodbav:"GSI2PK"`
	GSI2SK          string `dynamodbav:"GSI2SK"`
	Type            string `dynamodbav:"type"`
	ID              string `dynamodbav:"id"`
	ReportID        string `dynamodbav:"reportId"`
	BusinessID      string `dynamodbav:"businessId"`
	ReviewID        string `dynamodbav:"reviewId"`
	Status          string `dynamodbav:"status"`
	Assignee        string `dynamodbav:"assignee"`
	Rounds          int    `dynamodbav:"rounds"`
	Marker          string `dynamodbav:"marker"`
	TaskToken       string `dynamodbav:"taskToken"`
	DecisionOutcome string `dynamodbav:"decisionOutcome"`
	DecisionNote    string `dynamodbav:"decisionNote"`
	DecisionKind    string `dynamodbav:"decisionKind"`
	DecisionMessage string `dynamodbav:"decisionMessage"`
	DecidedBy       string `dynamodbav:"decidedBy"`
	DecidedAt       string `dynamodbav:"decidedAt"`
	DecisionUpheld  string `dynamodbav:"decisionUpheld"`
	QueuedAt        string `dynamodbav:"queuedAt"`
	CreatedAt       string `dynamodbav:"createdAt"`
	UpdatedAt       string `dynamodbav:"updatedAt"`
	FirstClaimedAt  string `dynamodbav:"firstClaimedAt,omitempty"`
	// ReviewerDeadline is set by the decision that asks the reviewer, and
	// emptied by the next decision.
	ReviewerDeadline string `dynamodbav:"reviewerDeadline,omitempty"`
	// Kind, Reports, ReplyReasons and ReviewerReported are a reply
	// ticket's ("" kind: a review ticket stored before kinds existed).
	Kind             string `dynamodbav:"kind"`
	Reports          int    `dynamodbav:"reports"`
	ReplyReasons     string `dynamodbav:"replyReasons"`
	ReviewerReported bool   `dynamodbav:"reviewerReported"`
}

func newTicketItem(t moderation.Ticket) ticketItem {
	return ticketItem{
		PK: ticketPK(t.ID), SK: skTicket,
		GSI1PK: ticketsPK, GSI1SK: sortKey(t.CreatedAt, t.ID),
		GSI2PK: ticketsByStatusPK(t.Status), GSI2SK: sortKey(t.QueuedAt, t.ID),
		Type: "ticket", ID: t.ID, ReportID: t.ReportID, BusinessID: t.BusinessID, ReviewID: t.ReviewID,
		Status: string(t.Status), Assignee: t.Assignee, Rounds: t.Rounds, Marker: t.Marker,
		QueuedAt: fmtTime(t.QueuedAt), CreatedAt: fmtTime(t.CreatedAt), UpdatedAt: fmtTime(t.UpdatedAt),
		Kind: string(t.KindOrReview()), Reports: t.Reports, ReplyReasons: replyReasonStrings(t.ReplyReasons), ReviewerReported: t.ReviewerReported,
	}
}

func (it ticketItem) domain() moderation.Ticket {
	t := moderation.Ticket{ID: it.ID, ReportID: it.ReportID, BusinessID: it.BusinessID, ReviewID: it.ReviewID,
		Status: moderation.TicketStatus(it.Status), Assignee: it.Assignee, Rounds: it.Rounds, Marker: it.Marker,
		QueuedAt: parseTime(it.QueuedAt), CreatedAt: parseTime(it.CreatedAt), UpdatedAt: parseTime(it.UpdatedAt),
		Kind: moderation.TicketKind(it.Kind), Reports: it.Reports, ReplyReasons: replyReasonsOf(it.ReplyReasons), ReviewerReported: it.ReviewerReported,
		FirstClaimedAt: parseTime(it.FirstClaimedAt), ReviewerDeadline: parseTime(it.ReviewerDeadline)}
	if t.Kind == "" {
		t.Kind = moderation.TicketKindReview
	}
	return t
}

type auditItem struct {
	PK, SK string
	Type   string `dynamodbav:"type"`
	At     string `dynamodbav:"at"`
	Actor  string `dynamodbav:"actor"`
	Action string `dynamodbav:"action"`
	From   string `dynamodbav:"from"`
	To     string `dynamodbav:"to"`
	Note   string `dynamodbav:"note"`
}

// newAuditItem places entry seq of one write under the object's partition pk.
func newAuditItem(pk string, seq int, e moderation.AuditEntry) auditItem {
	// The id makes the key unique when several entries of one object share an
	// instant (a frozen test clock, or one transaction); UUIDv7 keeps them in order.
	return auditItem{PK: pk, SK: fmt.Sprintf("%s%s#%03d#%s", skAuditPfx, fmtTime(e.At), seq, ids.New("aud")), Type: "audit",
		At: fmtTime(e.At), Actor: e.Actor, Action: e.Action, From: e.From, To: e.To, Note: e.Note}
}

func (it auditItem) domain() moderation.AuditEntry {
	return moderation.AuditEntry{At: parseTime(it.At), Actor: it.Actor, Action: it.Action, From: it.From, To: it.To, Note: it.Note}
}
