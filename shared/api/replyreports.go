package api

import (
	"net/http"

	"github.com/candorhq/candor/shared/app"
	"github.com/candorhq/candor/shared/httpapi"
	"github.com/candorhq/candor/shared/moderation"
)

type replyReportRequest struct {
	Reason  string `json:"reason"`
	Details string `json:"details"`
}

// reportReplyPublic files anyone's report on a review's public reply: 202
// when it is received; 422 naming the field for a bad reason or details;
// 409 reply_already_reported when this text of the reply was already
// reported for the reason; 404 when there is no public reply.
func (a *API) reportReplyPublic(w http.ResponseWriter, r *http.Request, _ httpapi.Principal) {
	var req replyReportRequest
	if err := httpapi.DecodeJSON(r, &req); err != nil {
		httpapi.WriteError(w, r, err)
		return
	}
	if err := a.app.ReportReplyPublic(r.Context(), r.PathValue("reviewId"), app.ReplyReportInput{Reason: req.Reason, Details: req.Details}); err != nil {
		httpapi.WriteError(w, r, err)
		return
	}
	httpapi.WriteJSON(w, http.StatusAccepted, map[string]string{"status": "received", "reason": req.Reason})
}

// replyReportView is one report on a reply as compliance reads it (the
// reporter is "reviewer" or "public"; no one's identity).
type replyReportView struct {
	Reason        string `json:"reason"`
	Details       string `json:"details"`
	Reporter      string `json:"reporter"`
	ReplyRevision int    `json:"replyRevision"`
	At            string `json:"at"`
}

// replyVersionView is one text a reply had.
type replyVersionView struct {
	Revision int    `json:"revision"`
	Text     string `json:"text"`
	At       string `json:"at"`
	By       string `json:"by"`
}

// replyTicketDetailView is a reply ticket with everything an agent needs:
// the reports, the review with its reply as it is now, every text the reply
// had, and the audit trails of ticket and review.
type replyTicketDetailView struct {
	ticketView
	ReplyReports []replyReportView `json:"replyReports"`
	Review       reviewView        `json:"review"`
	Reply        struct {
		Status   string             `json:"status"`
		Text     string             `json:"text"`
		Revision int                `json:"revision"`
		Removals int                `json:"removals"`
		Versions []replyVersionView `json:"versions"`
	} `json:"reply"`
	Audit struct {
		Ticket []auditView `json:"ticket"`
		Review []auditView `json:"review"`
	} `json:"audit"`
}

func newReplyTicketDetailView(c app.TicketCase) replyTicketDetailView {
	var v replyTicketDetailView
	v.ticketView = newTicketView(c.Ticket)
	v.Decision = newDecisionView(c.Decision)
	v.ReplyReports = []replyReportView{}
	for _, r := range c.ReplyReports {
		v.ReplyReports = append(v.ReplyReports, replyReportView{Reason: string(r.Reason), Details: r.Details, Reporter: string(r.Reporter),
			ReplyRevision: r.ReplyRevision, At: rfc3339(r.At)})
	}
	v.Review = newReviewView(c.Review.Review)
	rp := c.Review.Review.Reply
	v.Reply.Status, v.Reply.Text, v.Reply.Revision, v.Reply.Removals = string(rp.Status), rp.Text, rp.Revision, rp.Removals
	v.Reply.Versions = []replyVersionView{}
	for _, ver := range c.ReplyVersions {
		v.Reply.Versions = append(v.Reply.Versions, replyVersionView{Revision: ver.Revision, Text: ver.Text, At: rfc3339(ver.At), By: ver.By})
	}
	v.Audit.Ticket, v.Audit.Review = newAuditViews(c.Trail), newAuditViews(c.ReviewTrail)
	return v
}

// replyReasonNames are reply report reasons as JSON strings ([] for none).
func replyReasonNames(rs []moderation.ReplyReason) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = string(r)
	}
	return out
}
