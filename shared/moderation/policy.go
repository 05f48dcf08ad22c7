package moderation

import (
	"errors"
	"fmt"
	"time"
)

// Policy is every window, limit and threshold of the product's rules: one
// field per deployment parameter of template.yaml (named in each field's
// comment), with DefaultPolicy holding the defaults of docs/product.md. The
// use cases read it, and hand the windows the state machines wait on to
// each execution in its input.
type Policy struct {
	// HideHarmfulOnly (P4; parameter HidePolicy=harmful_only): only reports
	// naming offensive_or_harmful hide the review on submission.
	HideHarmfulOnly bool

	// ProofWindow (P6; parameter ProofWindowSeconds): how long the reviewer
	// of a no_genuine_experience report has to send proof of the experience
	// before the review is removed on ground no_proof_provided.
	ProofWindow time.Duration
	// ReviewerActionWindow (P7; parameter ReviewerActionWindowSeconds): how
	// long the reviewer has to send the evidence or the edit an agent asked
	// for before the ticket returns to the queue marked no_response.
	ReviewerActionWindow time.Duration
	// MaxReviewerRounds (P7; parameter MaxReviewerRounds): how often an
	// agent may ask the reviewer for evidence or an edit on one report.
	MaxReviewerRounds int
	// DecisionReminder (P7; parameter DecisionReminderSeconds): how long a
	// ticket may wait in the queue for a decision before the workflow logs
	// it as overdue for ops, and waits that long again. Not a limit: a
	// ticket waits for its decision without end.
	DecisionReminder time.Duration
	// AppealWindow (DSA Art. 20; parameter AppealWindowSeconds): how long the
	// party a decision went against may appeal it after being told of it.
	AppealWindow time.Duration

	// FindReviewerReplyWindow (P10; parameter ReplyWindowSeconds): how long
	// the reviewer has to answer a Find Reviewer request before it expires.
	FindReviewerReplyWindow time.Duration
	// FindReviewerReminderAfter (P10; parameter ReminderAfterSeconds): when
	// the automatic reminder goes if there is no reply yet; shorter than
	// FindReviewerReplyWindow.
	FindReviewerReminderAfter time.Duration

	// ReportsPerHour (rate limits; parameter ReportsPerHour): reports one
	// business may submit per clock hour (429 rate_limited beyond).
	ReportsPerHour int
	// RequestsPerHour (rate limits; parameter RequestsPerHour): Find
	// Reviewer requests one business may make per clock hour.
	RequestsPerHour int

	// Misuse (DSA Art. 23; parameters MisuseMinReports,
	// MisuseUnfoundedPercent, MisuseWindowMonths): the automatic rule that
	// proposes a warning to compliance.
	Misuse MisuseRule

	// DocumentRetention (retention; parameter DocumentRetentionSeconds): how
	// long a report's documents are kept once its decision is final (see
	// DocumentsExpireAt).
	DocumentRetention time.Duration
}

// DefaultPolicy is the policy of docs/product.md: what a deployment without
// overrides runs, and what template.yaml's parameter defaults must equal
// (infra/deploycheck compares them).
var DefaultPolicy = Policy{
	HideHarmfulOnly:           false,
	ProofWindow:               7 * 24 * time.Hour,
	ReviewerActionWindow:      7 * 24 * time.Hour,
	MaxReviewerRounds:         3,
	DecisionReminder:          14 * 24 * time.Hour,
	AppealWindow:              180 * 24 * time.Hour,
	FindReviewerReplyWindow:   5 * 24 * time.Hour,
	FindReviewerReminderAfter: 3 * 24 * time.Hour,
	ReportsPerHour:            30,
	RequestsPerHour:           30,
	// At least 10 decided reports filed in the last 12 months, at least
	// 70 % of them reinstated.
	Misuse:            MisuseRule{MinReports: 10, UnfoundedShare: 0.7, WindowMonths: WindowMonths},
	DocumentRetention: 30 * 24 * time.Hour,
}

// WithDefaults returns p with every unset (zero) window, limit and count
// taken from DefaultPolicy, and an unusable misuse rule replaced by
// DefaultPolicy's. HideHarmfulOnly is kept as it is: its zero value is the
// default.
func (p Policy) WithDefaults() Policy {
	d := DefaultPolicy
	fill := func(v *time.Duration, def time.Duration) {
		if *v <= 0 {
			*v = def
		}
	}
	fill(&p.ProofWindow, d.ProofWindow)
	fill(&p.ReviewerActionWindow, d.ReviewerActionWindow)
	fill(&p.DecisionReminder, d.DecisionReminder)
	fill(&p.AppealWindow, d.AppealWindow)
	fill(&p.FindReviewerReplyWindow, d.FindReviewerReplyWindow)
	fill(&p.FindReviewerReminderAfter, d.FindReviewerReminderAfter)
	fill(&p.DocumentRetention, d.DocumentRetention)
	if p.MaxReviewerRounds <= 0 {
		p.MaxReviewerRounds = d.MaxReviewerRounds
	}
	if p.ReportsPerHour <= 0 {
		p.ReportsPerHour = d.ReportsPerHour
	}
	if p.RequestsPerHour <= 0 {
		p.RequestsPerHour = d.RequestsPerHour
	}
	if !p.Misuse.Valid() {
		p.Misuse = d.Misuse
	}
	return p
}

// Check reports what makes a deployment's policy unusable, every problem at
// once: a misuse rule outside its ranges, or a Find Reviewer reminder that
// would go at or after the end of the reply window. A zero field is not a
// problem (WithDefaults fills it); nil means the policy can run.
func (p Policy) Check() error {
	var errs []error
	if m := p.Misuse; m != (MisuseRule{}) && !m.Valid() {
		errs = append(errs, fmt.Errorf("the misuse rule (%d reports, %.0f %%, %d months) needs at least 1 report, 1 to 100 %% and 1 to %d months",
			m.MinReports, m.UnfoundedShare*100, m.WindowMonths, WindowMonths))
	}
	if w := p.WithDefaults(); w.FindReviewerReminderAfter >= w.FindReviewerReplyWindow {
		errs = append(errs, fmt.Errorf("the Find Reviewer reminder (after %s) must go before the reply window ends (%s)",
			w.FindReviewerReminderAfter, w.FindReviewerReplyWindow))
	}
	return errors.Join(errs...)
}
