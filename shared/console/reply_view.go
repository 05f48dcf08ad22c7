package console

import (
	"slices"
	"strconv"
	"time"

	"github.com/candorhq/candor/shared/app"
	"github.com/candorhq/candor/shared/moderation"
)

// replyCaseView is the case of a ticket on a business's reply: the reply
// as it was reported (each reported text), the reports, the review it
// answers and the audit trails. Nothing of the reviewer's identity; a
// report by the reviewer says only that it came through their email.
type replyCaseView struct {
	ID, Status, Assignee, Queued, Age string
	Mine                              bool
	Business, ReviewID                string
	ReplyNow                          string // the reply's state now: "published", "removed", …
	Reported                          []replyTextView
	Reports                           []replyReportView
	Review                            reviewView
	Trail                             []trailRow
	Decide                            decideView
}

type replyTextView struct {
	Revision    int
	Text, At    string
	CurrentText bool // still the reply's published text
}

type replyReportView struct{ At, Reason, Reporter, Details, Revision string }

var reporters = map[moderation.ReplyReporter]string{
	moderation.ReplyReporterReviewer: "the reviewer, through their email",
	moderation.ReplyReporterPublic:   "a member of the public",
}

func replyCaseOf(c app.TicketCase, now time.Time, loc *time.Location, agent string) replyCaseView {
	t, rv := c.Ticket, c.Review.Review
	v := replyCaseView{ID: t.ID, Status: string(t.Status), Assignee: t.Assignee, Queued: FormatTime(t.QueuedAt, loc), Age: Age(now, t.QueuedAt),
		Mine: t.Assignee != "" && t.Assignee == agent, Business: t.BusinessID, ReviewID: t.ReviewID, ReplyNow: string(rv.Reply.Status),
		Review: reviewView{Version: rv.Version, Stars: stars(rv.Stars), Title: Highlight(rv.Title, nil), Text: Highlight(rv.Text, nil), Visibility: string(rv.Visibility)}}
	var revisions []int
	for _, r := range c.ReplyReports {
		who, ok := reporters[r.Reporter]
		if !ok {
			who = string(r.Reporter)
		}
		v.Reports = append(v.Reports, replyReportView{At: FormatTime(r.At, loc), Reason: reasonLabel(string(r.Reason)), Reporter: who,
			Details: r.Details, Revision: strconv.Itoa(r.ReplyRevision)})
		if !slices.Contains(revisions, r.ReplyRevision) {
			revisions = append(revisions, r.ReplyRevision)
		}
	}
	for _, ver := range c.ReplyVersions {
		if slices.Contains(revisions, ver.Revision) {
			v.Reported = append(v.Reported, replyTextView{Revision: ver.Revision, Text: ver.Text, At: FormatTime(ver.At, loc),
				CurrentText: rv.Reply.Exists() && rv.Reply.Revision == ver.Revision})
		}
	}
	trail := slices.Concat(c.Trail, c.ReviewTrail)
	slices.SortStableFunc(trail, func(a, b moderation.AuditEntry) int { return a.At.Compare(b.At) })
	for _, e := range trail {
		row := trailRow{At: FormatTime(e.At, loc), Actor: e.Actor, Action: e.Action, Note: e.Note}
		if e.From != "" || e.To != "" {
			row.Change = e.From + " → " + e.To
		}
		v.Trail = append(v.Trail, row)
	}
	return v
}
