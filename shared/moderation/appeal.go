package moderation

import (
	"slices"
	"strings"
	"time"
)

// Appeals (DSA Art. 20): the party a decision went against may ask for it
// to be looked at again by a person not involved in it — the reviewer after
// a removal, the business after a reinstatement — once per decision, within
// the appeal window from the moment they were told of the decision. The
// appeal's decision is final within the platform; the statement of reasons
// and the outcome email name the out-of-court dispute settlement.

// Party is who appeals.
type Party string

// The parties.
const (
	PartyReviewer Party = "reviewer"
	PartyBusiness Party = "business"
)

// AppealStatus is where an appeal stands in the appeal queue.
type AppealStatus string

// The appeal statuses.
const (
	AppealOpen       AppealStatus = "open"
	AppealInProgress AppealStatus = "in_progress"
	AppealDecided    AppealStatus = "decided"
)

// Valid reports whether s is a known appeal status.
func (s AppealStatus) Valid() bool {
	return s == AppealOpen || s == AppealInProgress || s == AppealDecided
}

// The outcomes of an appeal.
const (
	AppealUphold  = "uphold"  // the first decision stands
	AppealReverse = "reverse" // the first decision is reversed
)

// Limits of an appeal's texts.
const (
	MinAppealReason = 20
	MaxAppealReason = 2000
)

// Appeal is a party's request to look at a report's decision again.
type Appeal struct {
	ID         string
	ReportID   string
	TicketID   string
	ReviewID   string
	BusinessID string
	Appellant  Party
	Reason     string // the appellant's text: shown to compliance only
	Status     AppealStatus
	Assignee   string // the agent holding it ("" if none)
	// Contested is the outcome appealed; FirstAgent the agent who decided
	// it ("" when it was automated: the no-proof removal).
	Contested  Outcome
	FirstAgent string
	Decision   AppealDecision // zero until decided
	FiledAt    time.Time
	QueuedAt   time.Time
	UpdatedAt  time.Time
}

// AppealDecision is an agent's decision on an appeal.
type AppealDecision struct {
	Outcome string // AppealUphold or AppealReverse
	Note    string // the facts relied on, told to the appellant
	// UpheldReasons, for the reversal of a reinstatement (a removal): the
	// reported reasons the removal upholds.
	UpheldReasons []Reason
	Agent         string
	At            time.Time
}

// Result is the report's outcome after the appeal's decision.
func (a Appeal) Result() Outcome {
	if a.Decision.Outcome != AppealReverse {
		return a.Contested
	}
	if a.Contested == OutcomeRemoved {
		return OutcomeReinstated
	}
	return OutcomeRemoved
}

// AppealID is the id of the appeal of a report's decision: one per report,
// since a decision goes against one party only and the appeal's own
// decision is final — so a second appeal collides with the first.
func AppealID(reportID string) string {
	return "apl_" + strings.TrimPrefix(reportID, "rpt_")
}

// ReportIDOfAppeal is the report an appeal id belongs to.
func ReportIDOfAppeal(appealID string) string {
	return "rpt_" + strings.TrimPrefix(appealID, "apl_")
}

// Appellant is the party a closed report's outcome went against: the
// reviewer after a removal, the business after a reinstatement.
func Appellant(o Outcome) Party {
	switch o {
	case OutcomeRemoved:
		return PartyReviewer
	case OutcomeReinstated:
		return PartyBusiness
	}
	return ""
}

// CanAppeal checks that party may appeal report r's decision at now: the
// report is closed against party (409 appeal_not_allowed), party has been
// told of the decision (409 appeal_not_yet_open), the window has not ended
// (410 appeal_window_closed) and no appeal was filed (409 appeal_exists).
func CanAppeal(r Report, party Party, now time.Time) error {
	if r.Status != ReportClosed || Appellant(r.Outcome) != party {
		who := "the business after a reinstatement"
		if party == PartyBusiness {
			who = "the reviewer after a removal"
		}
		return Conflict(CodeAppealNotAllowed, "only the party a decision went against may appeal it; this decision can be appealed by "+who)
	}
	if r.AppealStatus != "" {
		return Conflict(CodeAppealExists, "this decision was appealed already; the appeal's decision is final")
	}
	if r.AppealDeadline.IsZero() {
		return Conflict(CodeAppealNotYetOpen, "the decision is being notified; the appeal opens when you are told of it")
	}
	if !now.Before(r.AppealDeadline) {
		return Gone(CodeAppealWindowClosed, "the appeal period ended on "+r.AppealDeadline.UTC().Format(time.RFC3339))
	}
	return nil
}

// AppealWindowEnded reports whether report r's decision is final at now
// because the appeal window of the party it went against ended with no
// appeal filed. The window's end is the deadline stored on the report when
// the party was told; nothing runs at that moment: filing checks the
// deadline (CanAppeal), and the report's timeline shows the end
// (WithAppealWindowEnd).
func AppealWindowEnded(r Report, now time.Time) bool {
	return r.Status == ReportClosed && r.AppealStatus == "" && !r.AppealDeadline.IsZero() && !now.Before(r.AppealDeadline)
}

// WithAppealWindowEnd returns report r's audit trail (oldest first) with the
// entry report.appeal_window_closed at the window's end once the window has
// ended without an appeal (AppealWindowEnded); the trail as it is otherwise.
func WithAppealWindowEnd(r Report, trail []AuditEntry, now time.Time) []AuditEntry {
	if !AppealWindowEnded(r, now) {
		return trail
	}
	e := AuditEntry{At: r.AppealDeadline, Actor: "system", Action: "report.appeal_window_closed", Note: "no appeal: the decision is final"}
	i := len(trail)
	for i > 0 && trail[i-1].At.After(e.At) {
		i--
	}
	return slices.Insert(slices.Clone(trail), i, e)
}

// ValidateAppealReason checks an appeal's reason (20–2000 characters).
func ValidateAppealReason(text string) error {
	var f problems
	f.add("reason", checkText(text, MinAppealReason, MaxAppealReason))
	return f.err()
}

// CanClaimAppeal checks that agent may take appeal a: not the agent who
// took the decision appealed (409 appeal_conflict_of_interest), and the
// appeal is in the queue (409 appeal_not_open).
func CanClaimAppeal(a Appeal, agent string) error {
	if a.FirstAgent != "" && a.FirstAgent == agent {
		return Conflict(CodeAppealConflict, "you took the decision under appeal; another agent must handle the appeal")
	}
	if a.Status != AppealOpen {
		return Conflict(CodeAppealNotOpen, "only an appeal in the queue can be claimed; this one is "+string(a.Status))
	}
	return nil
}

// ValidateAppealDecision checks an agent's decision on appeal a of a report
// with the given reported reasons: not the first decision's agent (409
// appeal_conflict_of_interest), the appeal in progress and held by the agent
// (409 appeal_not_in_progress), outcome uphold or reverse, a note of
// 10–2000 characters, and — only for reversing a reinstatement, which
// removes the review — upheldReasons, a non-empty subset of the reasons.
func ValidateAppealDecision(a Appeal, d AppealDecision, reported []Reason) error {
	if a.FirstAgent != "" && a.FirstAgent == d.Agent {
		return Conflict(CodeAppealConflict, "you took the decision under appeal; another agent must decide the appeal")
	}
	if a.Status != AppealInProgress || a.Assignee != d.Agent {
		return Conflict(CodeAppealNotInProgress, "the appeal must be in progress and held by you; claim it first")
	}
	var f problems
	if d.Outcome != AppealUphold && d.Outcome != AppealReverse {
		f.add("outcome", "must be uphold or reverse")
	}
	f.add("note", checkText(d.Note, MinNote, MaxNote))
	removes := d.Outcome == AppealReverse && a.Contested == OutcomeReinstated
	f.add("upheldReasons", checkUpheld(d.UpheldReasons, reported, removes))
	return f.err()
}

// checkUpheld checks the upheld reasons of a decision: required (a
// non-empty subset of reported, without repeats) when the decision removes
// the review, absent otherwise. It returns "" when they are right.
func checkUpheld(upheld, reported []Reason, removes bool) string {
	if !removes {
		if len(upheld) > 0 {
			return "only for a decision that removes the review"
		}
		return ""
	}
	if len(upheld) == 0 {
		return "name at least one of the report's reasons that the removal upholds"
	}
	for i, r := range upheld {
		if !slices.Contains(reported, r) {
			return "must be reasons of the report: " + string(r) + " is not one"
		}
		if slices.Contains(upheld[:i], r) {
			return string(r) + " is named twice"
		}
	}
	return ""
}

// Reasons lists the reasons of a report's items, in order.
func (r Report) Reasons() []Reason {
	out := make([]Reason, len(r.Items))
	for i, it := range r.Items {
		out[i] = it.Reason
	}
	return out
}
