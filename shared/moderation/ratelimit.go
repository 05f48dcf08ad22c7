package moderation

import (
	"fmt"
	"math"
	"strconv"
	"time"
)

// RateWindowLength is the length of a rate window: a clock hour in UTC
// (Policy.ReportsPerHour and Policy.RequestsPerHour count per window).
const RateWindowLength = time.Hour

// CodeRateLimited is the code of a KindRateLimited error.
const CodeRateLimited = "rate_limited"

// RateWindow returns the start of the fixed rate window holding t (its UTC
// clock hour) and how long from t until the next window begins.
func RateWindow(t time.Time) (start time.Time, untilNext time.Duration) {
	start = t.UTC().Truncate(RateWindowLength)
	return start, start.Add(RateWindowLength).Sub(t)
}

// RateLimited is the KindRateLimited error for a business that made limit
// things (what, e.g. "reports") in this window; retryAfter is rounded up to
// whole seconds, at least one.
func RateLimited(what string, limit int, retryAfter time.Duration) *Error {
	secs := int(math.Ceil(retryAfter.Seconds()))
	if secs < 1 {
		secs = 1
	}
	return &Error{Kind: KindRateLimited, Code: CodeRateLimited, RetryAfter: time.Duration(secs) * time.Second,
		Message: fmt.Sprintf("at most %d %s per hour; try again in %s seconds", limit, what, strconv.Itoa(secs))}
}
