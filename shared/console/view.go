package console

import (
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/a-h/templ"

	"github.com/candorhq/candor/shared/app"
	"github.com/candorhq/candor/shared/brand"
	"github.com/candorhq/candor/shared/consoleauth"
	"github.com/candorhq/candor/shared/document"
	"github.com/candorhq/candor/shared/moderation"
	"github.com/candorhq/candor/shared/textdiff"
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
	Later                             []versionView // versions after the reported one, each against it
	Answers                           []answerView
	Requests                          []requestView
	Windows                           []windowView
	Business                          businessView
	Notes                             []noteView
	NoteForm                          noteForm
	ReviewTrail, ReportTrail, Trail   []trailRow
	Decide                            decideView // the decision panel (decide_view.go)
}

type reportView struct {
	ID, Business, Status, Outcome, Statement, Created string
	ReviewVersion                                     int
	Items                                             []itemView
}

type itemView struct{ Scope, Reason, Details, Excerpt string }

// reviewView is the review as reported, its title and text cut into
// segments where the report items' excerpts are marked.
type reviewView struct {
	Version     int
	Stars       string
	Title, Text []segment
	Visibility  string
}

// segment is a run of text, marked when a report item quotes it.
type segment struct {
	Text string
	Mark bool
}

// versionView is a later version of the review: when and by whom it was
// made, and its stars, title and text as a word diff against the reported
// version.
type versionView struct {
	Version     int
	At, By      string
	Stars       string // "1 → 3 of 5 stars" when they changed, "" otherwise
	Title, Text []textdiff.Chunk
}

type answerView struct {
	Kind, At, Text string
	Round          int
	NewVersion     int
	Documents      []documentView
}

// documentView is a reviewer's document as the case lists it: a clean
// one links to where it opens; any other says why it does not.
type documentView struct {
	ID, Type, Size, Uploaded, Scan string
	Href                           string // "" unless the scan found it clean
}

type requestView struct {
	ID, Status, Message, Created, Reply, Replied string
	Trail                                        []trailRow
}

// windowView is a window the report is in; Ends is in the agent's zone,
// EndsUTC the same instant in UTC (the title of the time).
type windowView struct {
	Name, Length, Ends, EndsUTC, EndsISO, Left string
	Running                                    bool
}

// businessView is the business's reporting in brief, with the link to
// its page.
type businessView struct {
	ID, Href                      string
	Reports, Reinstated, Removed  int
	Flagged                       bool
	FlaggedSignals                []string
	Warning, Suspension, Proposal string
}

type noteView struct{ Author, At, Text string }

// noteForm is the note form's state: the text typed and its problem, kept
// when a note is refused.
type noteForm struct{ Text, Problem string }

type trailRow struct{ At, Actor, Action, Change, Note string }

// caseOf is the page's view of case c at now in loc, for agent, with the
// business's reporting br and the deployment's policy p.
func caseOf(c app.TicketCase, br app.BusinessReporting, p moderation.Policy, now time.Time, loc *time.Location, agent string) caseView {
	t, rd := c.Ticket, c.Report
	v := caseView{ID: t.ID, Status: string(t.Status), Assignee: t.Assignee, Queued: FormatTime(t.QueuedAt, loc), Age: Age(now, t.QueuedAt),
		Mine: t.Assignee != "" && t.Assignee == agent, Rounds: t.Rounds, Marker: t.Marker,
		Report: reportView{ID: rd.Report.ID, Business: rd.Report.BusinessID, Status: string(rd.Report.Status), Outcome: string(rd.Report.Outcome),
			Statement: rd.Report.PublicStatement, Created: FormatTime(rd.Report.CreatedAt, loc), ReviewVersion: rd.Report.ReviewVersion}}
	var excerpts []string
	for _, it := range rd.Report.Items {
		v.Report.Items = append(v.Report.Items, itemView{Scope: string(it.Scope), Reason: string(it.Reason), Details: it.Details, Excerpt: it.Excerpt})
		if it.Excerpt != "" {
			excerpts = append(excerpts, it.Excerpt)
		}
	}
	// The review as reported: that version when it is kept, the review as
	// it is otherwise.
	rv := c.Review.Review
	reported := moderation.ReviewVersion{Version: rv.Version, Stars: rv.Stars, Title: rv.Title, Text: rv.Text}
	for _, ver := range c.Versions {
		if ver.Version == rd.Report.ReviewVersion {
			reported = ver
		}
	}
	v.Review = reviewView{Version: reported.Version, Stars: stars(reported.Stars), Title: Highlight(reported.Title, excerpts),
		Text: Highlight(reported.Text, excerpts), Visibility: string(rv.Visibility)}
	for _, ver := range c.Versions {
		if ver.Version <= reported.Version {
			continue
		}
		lv := versionView{Version: ver.Version, At: FormatTime(ver.At, loc), By: ver.By,
			Title: textdiff.Words(reported.Title, ver.Title), Text: textdiff.Words(reported.Text, ver.Text)}
		if ver.Stars != reported.Stars {
			lv.Stars = fmt.Sprintf("%d → %d of 5 stars", reported.Stars, ver.Stars)
		}
		v.Later = append(v.Later, lv)
	}
	for _, a := range rd.Answers {
		av := answerView{Kind: a.Kind, At: FormatTime(a.At, loc), Text: a.Text, Round: a.Round, NewVersion: a.NewVersion}
		for _, d := range rd.Documents {
			if d.Answer.Kind == a.Kind && d.Answer.Round == a.Round {
				av.Documents = append(av.Documents, documentOf(d.Document, loc))
			}
		}
		v.Answers = append(v.Answers, av)
	}
	for _, rq := range c.Requests {
		fr := rq.Request
		v.Requests = append(v.Requests, requestView{ID: fr.ID, Status: string(fr.Status), Message: fr.Message, Created: FormatTime(fr.CreatedAt, loc),
			Reply: fr.Reply, Replied: FormatTime(fr.RepliedAt, loc), Trail: trailOf(rq.Trail, loc)})
	}
	for _, w := range moderation.ReportWindows(rd.Report, rd.ReviewerDeadline, p, now) {
		v.Windows = append(v.Windows, windowOf(w, now, loc))
	}
	v.Business = businessOf(rd.Report.BusinessID, br, loc)
	for _, n := range c.Notes {
		v.Notes = append(v.Notes, noteView{Author: n.Author, At: FormatTime(n.At, loc), Text: n.Text})
	}
	v.ReviewTrail, v.ReportTrail, v.Trail = trailOf(c.ReviewTrail, loc), trailOf(rd.Trail, loc), trailOf(c.Trail, loc)
	return v
}

// windowNames are the windows as the page names them.
var windowNames = map[moderation.WindowName]string{
	moderation.WindowProof:          "Proof window (the reviewer's proof of the experience)",
	moderation.WindowReviewerAction: "Reviewer-action window (the evidence or edit asked for)",
	moderation.WindowAppeal:         "Appeal window (against the decision)",
}

func windowOf(w moderation.Window, now time.Time, loc *time.Location) windowView {
	wv := windowView{Name: windowNames[w.Name], Length: days(w.Length), Ends: FormatTime(w.Ends, loc), EndsUTC: FormatTime(w.Ends, time.UTC),
		EndsISO: w.Ends.UTC().Format(time.RFC3339), Running: w.Running}
	if w.Running {
		wv.Left = Age(w.Ends, now) + " left"
	} else {
		wv.Left = "ended " + Age(now, w.Ends) + " ago"
	}
	return wv
}

// days is a policy length as an agent reads it: "7 days", "36 h".
func days(d time.Duration) string {
	if d > 0 && d%(24*time.Hour) == 0 {
		if d == 24*time.Hour {
			return "1 day"
		}
		return fmt.Sprintf("%d days", int(d/(24*time.Hour)))
	}
	return d.String()
}

func documentOf(d document.Document, loc *time.Location) documentView {
	dv := documentView{ID: d.ID, Type: string(d.Type), Size: byteSize(d.Size), Uploaded: FormatTime(d.UploadedAt, loc)}
	switch d.Scan {
	case document.ScanClean:
		dv.Scan, dv.Href = "clean", "/console/documents/"+url.PathEscape(d.ID)
	case document.ScanPending:
		dv.Scan = "being scanned"
	default: // a threat, or a scan that failed: withheld for good
		dv.Scan = "withheld"
	}
	return dv
}

// byteSize is a size as people read it: "812 B", "34 KB", "2.4 MB".
func byteSize(n int64) string {
	switch {
	case n < 1000:
		return fmt.Sprintf("%d B", n)
	case n < 1000*1000:
		return fmt.Sprintf("%d KB", (n+500)/1000)
	}
	return fmt.Sprintf("%.1f MB", float64(n)/1e6)
}

func businessOf(id string, br app.BusinessReporting, loc *time.Location) businessView {
	s := br.Signals
	bv := businessView{ID: id, Href: "/console/businesses/" + url.PathEscape(id), Reports: s.Reports, Reinstated: s.Reinstated, Removed: s.Removed, Flagged: s.Flagged}
	for _, sig := range []struct {
		name string
		s    moderation.Signal
	}{{"report volume", s.ReportVolume}, {"unfounded share", s.UnfoundedShare}, {"negative reviews only", s.NegativeOnly},
		{"repeat reports", s.RepeatReports}, {"reports per week", s.PerWeek}, {"reply removals", s.ReplyRemovals}} {
		if sig.s.Flagged {
			bv.FlaggedSignals = append(bv.FlaggedSignals, sig.name+": "+sig.s.Explanation)
		}
	}
	if w := br.Standing.Warning; w != nil {
		bv.Warning = "warned until " + FormatTime(w.Until, loc)
	}
	if su := br.Standing.Suspension; su != nil {
		bv.Suspension = "reporting suspended until " + FormatTime(su.Until, loc)
	}
	if br.Proposal != nil {
		bv.Proposal = "the misuse rule proposes a warning"
	}
	return bv
}

func trailOf(entries []moderation.AuditEntry, loc *time.Location) []trailRow {
	rows := make([]trailRow, 0, len(entries))
	for _, e := range entries {
		row := trailRow{At: FormatTime(e.At, loc), Actor: e.Actor, Action: e.Action, Note: e.Note}
		if e.From != "" || e.To != "" {
			row.Change = e.From + " → " + e.To
		}
		rows = append(rows, row)
	}
	return rows
}

// Highlight cuts text into segments, marking every place where one of
// excerpts occurs verbatim (overlapping or touching places as one mark).
// The segments joined are text.
func Highlight(text string, excerpts []string) []segment {
	marked := make([]bool, len(text))
	for _, x := range excerpts {
		if x == "" {
			continue
		}
		for from := 0; from < len(text); {
			i := strings.Index(text[from:], x)
			if i < 0 {
				break
			}
			for j := from + i; j < from+i+len(x); j++ {
				marked[j] = true
			}
			from += i + 1
		}
	}
	var out []segment
	for i := 0; i < len(text); {
		j := i
		for j < len(text) && marked[j] == marked[i] {
			j++
		}
		out = append(out, segment{Text: text[i:j], Mark: marked[i]})
		i = j
	}
	return out
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
