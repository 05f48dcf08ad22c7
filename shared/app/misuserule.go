package app

import (
	"context"
	"fmt"

	"github.com/candorhq/candor/shared/moderation"
)

// MisuseRule is the automatic rule that proposes a warning to compliance
// (DSA Art. 23: absolute numbers and proportion of manifestly unfounded
// notices). It only proposes: an agent decides, and accepting a proposal is
// POSTing the warning.
//
// It reads the business's all-time reporting counters (REPORTSTATS): a
// report counts as unfounded when it closed reinstated. When per-business
// 12-month counters exist, Proposal reads those instead; the rule itself
// (the comparison below) stays.
type MisuseRule struct {
	MinReports     int     // closed reports needed before the share means anything
	UnfoundedShare float64 // share of closed reports that ended reinstated, 0..1
}

// DefaultMisuseRule: at least 10 closed reports, at least 70 % reinstated.
var DefaultMisuseRule = MisuseRule{MinReports: 10, UnfoundedShare: 0.7}

// MisuseProposal is the rule's proposal of a warning, with the figures it rests on.
type MisuseProposal struct {
	Closed, Reinstated int
	Share              float64
	Rule               MisuseRule
}

// Evaluate applies the rule to a business's counters: a proposal, or nil.
func (r MisuseRule) Evaluate(st ReportStats) *MisuseProposal {
	reinstated := st.ByOutcome[moderation.OutcomeReinstated]
	closed := reinstated + st.ByOutcome[moderation.OutcomeRemoved]
	if r.MinReports <= 0 || closed < r.MinReports {
		return nil
	}
	share := float64(reinstated) / float64(closed)
	if share < r.UnfoundedShare {
		return nil
	}
	return &MisuseProposal{Closed: closed, Reinstated: reinstated, Share: share, Rule: r}
}

// WarningProposal is the rule's proposal for a business: nil when the rule
// does not fire or the business already has an active warning or
// suspension. One read of the counters and one of the sanctions.
func (a *App) WarningProposal(ctx context.Context, businessID string, active []moderation.Sanction) (*MisuseProposal, error) {
	now := a.clock.Now()
	for _, s := range active {
		if s.ActiveAt(now) {
			return nil, nil
		}
	}
	st, err := a.store.ReportStats(ctx, businessID)
	if err != nil {
		return nil, fmt.Errorf("warning proposal: %w", err)
	}
	return DefaultMisuseRule.Evaluate(st), nil
}
