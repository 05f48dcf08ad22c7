package console

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/a-h/templ"

	"github.com/candorhq/candor/shared/app"
	"github.com/candorhq/candor/shared/brand"
	"github.com/candorhq/candor/shared/consoleauth"
	"github.com/candorhq/candor/shared/moderation"
)

type templComponent = templ.Component

// chrome is what every page shows around its content.
type chrome struct {
	Brand    brand.Brand
	Title    string
	SignedIn bool
	Agent    string // the agent's sub
	CSRF     string
	Zone     string
}

// CSRFField is the form field the pages' forms carry the CSRF token in.
const CSRFField = consoleauth.CSRFField

type overview struct {
	Filter  app.QueueFilter
	Reasons []moderation.Reason
	Notice  string
	Queues  []queueView
	Mine    []ticketRow // tickets the agent holds
	// Waiting are the tickets waiting for the reviewer, the soonest
	// deadline first (at most waitingShown).
	Waiting []waitingRow
	Zones   []string
}

type queueView struct {
	Key, Label, Hint string
	Count            string // "3", "500+"
	Oldest           string // "2 d 4 h" ("" when empty)
	OldestAt         string // the oldest item's time in the agent's zone
}

type ticketRow struct {
	ID, Queued, Age string
}

// countLabel is a queue's count as shown: n, or n+ when more were not read.
func countLabel(n int, more bool) string {
	if more {
		return strconv.Itoa(n) + "+"
	}
	return strconv.Itoa(n)
}

// Age is how long ago t was at now, in the two largest units an agent
// needs to rank work: "3 d 4 h", "5 h 12 min", "7 min", "under a minute".
func Age(now, t time.Time) string {
	d := now.Sub(t)
	switch {
	case d < time.Minute:
		return "under a minute"
	case d < time.Hour:
		return fmt.Sprintf("%d min", int(d/time.Minute))
	case d < 24*time.Hour:
		return fmt.Sprintf("%d h %d min", int(d/time.Hour), int(d%time.Hour/time.Minute))
	}
	return fmt.Sprintf("%d d %d h", int(d/(24*time.Hour)), int(d%(24*time.Hour)/time.Hour))
}

// FormatTime is t in the agent's zone, with the zone's abbreviation so
// that no one mistakes it for another zone's: "2026-12-07 14:05 CET".
func FormatTime(t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return ""
	}
	if loc == nil {
		loc = time.UTC
	}
	return t.In(loc).Format("2006-01-02 15:04 MST")
}

// caseView is a ticket's case as the page shows it: nothing of the
// reviewer's identity (no name, no email), only what they wrote.
type caseView struct {
	ID, Status, Assignee, Queued, Age string
	Mine                              bool // the agent holds it
	Rounds                            int
	Marker                            string
	Report                            reportView
	Review                            reviewView
	Trail                             []trailRow
}

type reportView struct {
	ID, Business, Status, Statement, Created, ReviewerDeadline string
	ReviewVersion                                              int
	Items                                                      []itemView
}

type itemView struct{ Scope, Reason, Details, Excerpt string }

type reviewView struct {
	Version      int
	Stars, Title string
	Text         string
	Visibility   string
}

type trailRow struct{ At, Actor, Action, Change, Note string }

func caseOf(c app.TicketCase, now time.Time, loc *time.Location, agent string) caseView {
	t, rd := c.Ticket, c.Report
	v := caseView{ID: t.ID, Status: string(t.Status), Assignee: t.Assignee, Queued: FormatTime(t.QueuedAt, loc), Age: Age(now, t.QueuedAt),
		Mine: t.Assignee != "" && t.Assignee == agent, Rounds: t.Rounds, Marker: t.Marker,
		Report: reportView{ID: rd.Report.ID, Business: rd.Report.BusinessID, Status: string(rd.Report.Status), Statement: rd.Report.PublicStatement,
			Created: FormatTime(rd.Report.CreatedAt, loc), ReviewerDeadline: FormatTime(rd.ReviewerDeadline, loc), ReviewVersion: rd.Report.ReviewVersion}}
	for _, it := range rd.Report.Items {
		v.Report.Items = append(v.Report.Items, itemView{Scope: string(it.Scope), Reason: string(it.Reason), Details: it.Details, Excerpt: it.Excerpt})
	}
	// The review as reported: that version's text when it is kept.
	rv := c.Review.Review
	v.Review = reviewView{Version: rv.Version, Stars: stars(rv.Stars), Title: rv.Title, Text: rv.Text, Visibility: string(rv.Visibility)}
	for _, ver := range c.Versions {
		if ver.Version == rd.Report.ReviewVersion {
			v.Review = reviewView{Version: ver.Version, Stars: stars(ver.Stars), Title: ver.Title, Text: ver.Text, Visibility: string(rv.Visibility)}
		}
	}
	trail := slices.Concat(c.Trail, rd.Trail)
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

func stars(n int) string {
	if n < 1 || n > 5 {
		return ""
	}
	return fmt.Sprintf("%d of 5 stars", n)
}

// filterText says what a queue filter keeps: "business biz-1, reason spam".
func filterText(f app.QueueFilter) string {
	var parts []string
	if f.BusinessID != "" {
		parts = append(parts, "business "+f.BusinessID)
	}
	if f.Reason != "" {
		parts = append(parts, "reason "+string(f.Reason))
	}
	return strings.Join(parts, ", ")
}

// waitingShown is how many tickets waiting for the reviewer the queues list.
const waitingShown = 20

type waitingRow struct {
	ID, Deadline, Left string
	at                 time.Time
}

func waitingRowOf(t moderation.Ticket, now time.Time, loc *time.Location) waitingRow {
	row := waitingRow{ID: t.ID, Deadline: FormatTime(t.ReviewerDeadline, loc), at: t.ReviewerDeadline}
	switch {
	case t.ReviewerDeadline.IsZero():
		row.Deadline, row.Left = "not recorded", ""
	case t.ReviewerDeadline.After(now):
		row.Left = Age(t.ReviewerDeadline, now)
	default:
		row.Left = "passed"
	}
	return row
}

// soonestFirst orders rows by deadline (unknown ones last) and keeps n.
func soonestFirst(rows []waitingRow, n int) []waitingRow {
	slices.SortStableFunc(rows, func(a, b waitingRow) int {
		switch {
		case a.at.IsZero() && b.at.IsZero():
			return 0
		case a.at.IsZero():
			return 1
		case b.at.IsZero():
			return -1
		}
		return a.at.Compare(b.at)
	})
	return rows[:min(len(rows), n)]
}
