package moderation

import "time"

// MisuseRule is the automatic rule that proposes a warning to compliance
// (DSA Art. 23: the absolute number and the proportion of manifestly
// unfounded notices). It only proposes: a person decides, and accepting a
// proposal is giving the warning. Its three figures are deployment
// parameters (MisuseMinReports, MisuseUnfoundedPercent, MisuseWindowMonths).
type MisuseRule struct {
	// MinReports is how many of the business's reports filed in the window
	// must have been decided (reinstated or removed) before the share counts.
	MinReports int
	// UnfoundedShare is the share of those decided reports that ended with
	// the review back online (reinstated: the report was unfounded), 0..1.
	UnfoundedShare float64
	// WindowMonths is how many calendar months the rule looks back, the
	// current one included (1..WindowMonths, the counters kept).
	WindowMonths int
}

// MisuseProposal is the rule's proposal of a warning with the figures it
// rests on.
type MisuseProposal struct {
	From, To   string // the window's first and last month, YYYY-MM
	Decided    int    // reports filed in the window and decided
	Reinstated int    // of those, reinstated
	Share      float64
	Rule       MisuseRule
	// RepliesRemoved is how many of the business's replies compliance
	// removed in the window.
	RepliesRemoved int
	// Basis says which rule proposes: MisuseBasisUnfounded or MisuseBasisReplies.
	Basis string
}

// What a warning proposal rests on.
const (
	MisuseBasisUnfounded = "unfounded_reports" // the share of unfounded reports (Evaluate's thresholds)
	MisuseBasisReplies   = "reply_removals"    // repeated removals of the business's replies
)

// WarnAfterReplyRemovals is how many of a business's replies compliance
// must have removed within the misuse rule's window before a warning is
// proposed.
const WarnAfterReplyRemovals = 3

// ReplyRemovalsWarrantWarning is the rule that repeated removals of a
// business's replies propose a warning: WarnAfterReplyRemovals or more in
// the window. Like the unfounded-reports rule it only proposes.
func ReplyRemovalsWarrantWarning(removed int) bool { return removed >= WarnAfterReplyRemovals }

// Valid reports whether the rule's figures are usable: MinReports at least
// 1, UnfoundedShare in (0, 1], WindowMonths in 1..WindowMonths.
func (r MisuseRule) Valid() bool {
	return r.MinReports >= 1 && r.UnfoundedShare > 0 && r.UnfoundedShare <= 1 && r.WindowMonths >= 1 && r.WindowMonths <= WindowMonths
}

// Evaluate applies the rule to a business's month counters at now: the
// proposal when both thresholds of unfounded reports are reached, or else
// when ReplyRemovalsWarrantWarning, nil otherwise. Months outside
// the rule's window are ignored.
func (r MisuseRule) Evaluate(months []MonthCounts, now time.Time) *MisuseProposal {
	if !r.Valid() {
		return nil
	}
	keys := WindowMonthKeys(now)[WindowMonths-r.WindowMonths:]
	in := make(map[string]bool, len(keys))
	for _, k := range keys {
		in[k] = true
	}
	p := MisuseProposal{From: keys[0], To: keys[len(keys)-1], Rule: r}
	for _, m := range months {
		if in[m.Month] {
			p.Reinstated += m.ByOutcome[OutcomeReinstated]
			p.Decided += m.ByOutcome[OutcomeReinstated] + m.ByOutcome[OutcomeRemoved]
			p.RepliesRemoved += m.RepliesRemoved
		}
	}
	if p.Decided > 0 {
		p.Share = round3(float64(p.Reinstated) / float64(p.Decided))
	}
	switch {
	case p.Decided >= r.MinReports && float64(p.Reinstated) >= r.UnfoundedShare*float64(p.Decided):
		p.Basis = MisuseBasisUnfounded
	case ReplyRemovalsWarrantWarning(p.RepliesRemoved):
		p.Basis = MisuseBasisReplies
	default:
		return nil
	}
	return &p
}
