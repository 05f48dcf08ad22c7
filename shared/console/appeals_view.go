package console

import (
	"slices"
	"time"

	"github.com/candorhq/candor/shared/app"
	"github.com/candorhq/candor/shared/moderation"
)

// appealsOverview is the appeal queue as its page shows it.
type appealsOverview struct {
	Notice         string
	Count          string // "3", "500+"
	Oldest, OldAt  string // the oldest open appeal's age and time ("" when none)
	Open, Mine     []appealRow
	MayTakeAnyOpen bool // at least one open appeal is not the agent's own decision
}

type appealRow struct {
	ID, Appellant, Contested, Business, Filed, Age string
	// Conflict: the agent took the decision appealed, so may not take it.
	Conflict bool
}

func appealRowOf(a moderation.Appeal, now time.Time, loc *time.Location, agent string) appealRow {
	return appealRow{ID: a.ID, Appellant: string(a.Appellant), Contested: string(a.Contested), Business: a.BusinessID,
		Filed: FormatTime(a.QueuedAt, loc), Age: Age(now, a.QueuedAt), Conflict: conflictOfInterest(a, agent)}
}

// conflictOfInterest reports whether agent took the decision appeal a
// contests: the appeal-claim rule (moderation.CanClaimAppeal) refuses them,
// so the console says so before they try and offers no claim.
func conflictOfInterest(a moderation.Appeal, agent string) bool {
	return moderation.IsCode(moderation.CanClaimAppeal(a, agent), moderation.CodeAppealConflict)
}

// appealView is an appeal's case as its page shows it: the appeal and the
// appellant's reason, the decision contested with its reasons and facts,
// the report and the review as reported, and the audit trails. Nothing of
// the reviewer's identity: the report and the review carry none, and the
// appellant is named by party only.
type appealView struct {
	ID, Status, Appellant, Reason, Filed, Age string
	Assignee                                  string
	Mine                                      bool // the agent holds it
	Conflict                                  bool // the agent took the decision appealed
	Contested                                 firstDecisionView
	// Removes: reversing the decision removes the review, so the reversal
	// names the reasons it upholds.
	Removes  bool
	Reasons  []string // the report's reasons, for the upheld reasons' choice
	Decided  *appealDecisionView
	Report   reportView
	Review   reviewView
	Trail    []trailRow
	Form     appealForm
	Problems map[string]string // field → what is wrong with what was typed
	Notice   string
}

type firstDecisionView struct {
	Outcome, Ground, Note, By, At string
	Automated                     bool
	Upheld                        []string
}

type appealDecisionView struct {
	Outcome, Result, Note, By, At string
	Upheld                        []string
}

// appealForm is what the agent typed into the decision form, kept when it
// is refused.
type appealForm struct {
	Outcome string
	Note    string
	Upheld  []string
}

// Checked reports whether reason r was ticked in the form.
func (f appealForm) Checked(r string) bool { return slices.Contains(f.Upheld, r) }

func appealOf(c app.AppealCase, now time.Time, loc *time.Location, agent string) appealView {
	ap, r := c.Appeal, c.Report.Report
	v := appealView{ID: ap.ID, Status: string(ap.Status), Appellant: string(ap.Appellant), Reason: ap.Reason,
		Filed: FormatTime(ap.FiledAt, loc), Age: Age(now, ap.QueuedAt), Assignee: ap.Assignee,
		Mine: ap.Status == moderation.AppealInProgress && ap.Assignee == agent, Conflict: conflictOfInterest(ap, agent),
		Removes: ap.Contested == moderation.OutcomeReinstated}
	fd := c.FirstDecision
	v.Contested = firstDecisionView{Outcome: string(ap.Contested), Note: fd.Note, By: ap.FirstAgent, At: FormatTime(fd.At, loc),
		Automated: ap.FirstAgent == "", Upheld: reasonNames(fd.UpheldReasons)}
	switch {
	case ap.FirstAgent == "":
		v.Contested.Ground = moderation.GroundNoProofProvided
	case ap.Contested == moderation.OutcomeRemoved:
		v.Contested.Ground = moderation.GroundGuidelineViolation
	}
	for _, reason := range r.Reasons() {
		if !slices.Contains(v.Reasons, string(reason)) {
			v.Reasons = append(v.Reasons, string(reason))
		}
	}
	if ap.Status == moderation.AppealDecided {
		d := ap.Decision
		v.Decided = &appealDecisionView{Outcome: d.Outcome, Result: string(ap.Result()), Note: d.Note, By: d.Agent,
			At: FormatTime(d.At, loc), Upheld: reasonNames(d.UpheldReasons)}
	}
	v.Report = reportView{ID: r.ID, Business: r.BusinessID, Status: string(r.Status), Statement: r.PublicStatement,
		Created: FormatTime(r.CreatedAt, loc), ReviewVersion: r.ReviewVersion}
	var excerpts []string
	for _, it := range r.Items {
		v.Report.Items = append(v.Report.Items, itemView{Scope: string(it.Scope), Reason: string(it.Reason), Details: it.Details, Excerpt: it.Excerpt})
		if it.Excerpt != "" {
			excerpts = append(excerpts, it.Excerpt)
		}
	}
	for _, ver := range c.Versions {
		if ver.Version == r.ReviewVersion {
			v.Review = reviewView{Version: ver.Version, Stars: stars(ver.Stars), Title: Highlight(ver.Title, excerpts), Text: Highlight(ver.Text, excerpts)}
		}
	}
	trail := slices.Concat(c.Trail, moderation.WithAppealWindowEnd(r, c.Report.Trail, now))
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

func reasonNames(rs []moderation.Reason) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = string(r)
	}
	return out
}

// appealDecisionOf reads the decision form: the outcome, the facts and,
// for a reversal that removes the review, the reasons it upholds (ticks
// left on another outcome are not sent, so they are never refused).
func appealDecisionOf(f appealForm, removes bool) moderation.AppealDecision {
	d := moderation.AppealDecision{Outcome: f.Outcome, Note: f.Note}
	if removes && f.Outcome == moderation.AppealReverse {
		for _, r := range f.Upheld {
			d.UpheldReasons = append(d.UpheldReasons, moderation.Reason(r))
		}
	}
	return d
}
