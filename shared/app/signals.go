package app

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/candorhq/candor/shared/moderation"
)

// SignalStore reads the counters of the reporting signals (docs/misuse.md).
type SignalStore interface {
	// ReportingCounts returns the month buckets of the window ending at now's
	// month and the business's review star distribution, in one read.
	ReportingCounts(ctx context.Context, businessID string, now time.Time) ([]moderation.MonthCounts, map[int]int, error)
}

// ReportingSignals judges a business's reporting over the last 12 months
// (compliance). A business that never reported has every signal at zero.
func (a *App) ReportingSignals(ctx context.Context, businessID string) (moderation.ReportingSignals, error) {
	now := a.clock.Now()
	months, reviews, err := a.store.ReportingCounts(ctx, businessID, now)
	if err != nil {
		return moderation.ReportingSignals{}, err
	}
	return moderation.JudgeSignals(businessID, now, months, reviews), nil
}

// KnownReportingSignals is ReportingSignals for a business that must exist
// (moderation.ErrNotFound otherwise): the compliance and public endpoints.
func (a *App) KnownReportingSignals(ctx context.Context, businessID string) (moderation.ReportingSignals, error) {
	if _, err := a.store.GetBusiness(ctx, businessID); err != nil {
		if errors.Is(err, moderation.ErrNotFound) {
			return moderation.ReportingSignals{}, notFound("business")
		}
		return moderation.ReportingSignals{}, err
	}
	return a.ReportingSignals(ctx, businessID)
}

// Business returns a business (moderation.ErrNotFound as a "business not found" error).
func (a *App) Business(ctx context.Context, id string) (moderation.Business, error) {
	b, err := a.store.GetBusiness(ctx, id)
	if errors.Is(err, moderation.ErrNotFound) {
		return b, notFound("business")
	}
	return b, err
}

// WarningProposal is the misuse rule's proposal of a warning for a business
// (moderation.MisuseRule): nil when the rule does not fire or a warning or
// suspension of the business is in force (sanctions, as listed). It reads
// the month counters once.
func (a *App) WarningProposal(ctx context.Context, businessID string, sanctions []moderation.Sanction) (*moderation.MisuseProposal, error) {
	now := a.clock.Now()
	st := a.standing(sanctions, now)
	if st.Warning != nil || st.Suspension != nil {
		return nil, nil // no read: nothing to propose
	}
	months, _, err := a.store.ReportingCounts(ctx, businessID, now)
	if err != nil {
		return nil, fmt.Errorf("warning proposal for %s: %w", businessID, err)
	}
	return a.proposal(st, months, now), nil
}
