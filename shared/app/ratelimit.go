package app

import (
	"errors"
	"time"

	"github.com/candorhq/candor/shared/moderation"
)

// ErrRateLimited: a RateCount was at its limit, so the transaction carrying
// it wrote nothing.
var ErrRateLimited = errors.New("rate limit reached")

// The things a business's rate is counted for.
const (
	RateReports  = "reports"
	RateRequests = "requests"
)

// RateCount is one count in a business's fixed rate window, written in the
// same transaction as the thing counted, on condition that the window's
// count is below Limit: a refused submission writes nothing and an accepted
// one counts exactly once.
type RateCount struct {
	BusinessID string
	Kind       string    // RateReports or RateRequests
	Window     time.Time // start of the window (moderation.RateWindow)
	Limit      int
}

// rateCount returns the count of kind for the business at now, with the
// error to answer when it is refused.
func rateCount(businessID, kind string, limit int, now time.Time) (*RateCount, func() error) {
	start, untilNext := moderation.RateWindow(now)
	rc := &RateCount{BusinessID: businessID, Kind: kind, Window: start, Limit: limit}
	what := "reports"
	if kind == RateRequests {
		what = "Find Reviewer requests"
	}
	return rc, func() error { return moderation.RateLimited(what, limit, untilNext) }
}
