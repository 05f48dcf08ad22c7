package api_test

import (
	"fmt"
	"net/http"
	"testing"
	"time"
)

// ratedReviews puts n organic reviews of biz-1 and returns their ids.
func (e *env) ratedReviews(n int) []string {
	e.t.Helper()
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("rev-rate-%02d", i)
		e.putReview(out[i], "biz-1", "organic", 1)
	}
	return out
}

// Rate limits per business (REPORTS_PER_HOUR, REQUESTS_PER_HOUR): the 31st report (or Find Reviewer
// request) in a clock hour is 429 rate_limited with Retry-After, changes
// nothing and sends nothing; once the window has passed (clock moved) it is
// accepted. Another business is not affected.
func TestRateLimitsPerBusinessAndHour(t *testing.T) {
	for _, tc := range []struct {
		name, path string
		body       map[string]any
	}{
		{"reports", "/reports", validReport()},
		{"requests", "/reviewer-requests", map[string]any{"message": askMessage}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			reviews := e.ratedReviews(31)
			e.s.Advance(20 * time.Minute) // 09:20: the window ends at 10:00
			for _, id := range reviews[:30] {
				e.mustStatus(http.StatusAccepted, "POST", "/v1/reviews/"+id+tc.path, e.biz1, tc.body)
			}
			before := e.snapshot()
			mails := len(e.s.Outbox.Messages())
			r := e.call("POST", "/v1/reviews/"+reviews[30]+tc.path, e.biz1, tc.body)
			if r.status != http.StatusTooManyRequests || r.errorCode() != "rate_limited" || r.header.Get("Retry-After") != "2400" {
				t.Fatalf("31st in the hour: %d Retry-After %q %s, want 429 rate_limited Retry-After 2400", r.status, r.header.Get("Retry-After"), r.raw)
			}
			if e.snapshot() != before || len(e.s.Outbox.Messages()) != mails {
				t.Error("a refused submission changed the table or sent mail")
			}
			// Another business has its own count.
			e.mustStatus(http.StatusAccepted, "POST", "/v1/reviews/rev-biz2"+tc.path, e.biz2, tc.body)

			e.s.Advance(40 * time.Minute) // 10:00: a new window
			e.mustStatus(http.StatusAccepted, "POST", "/v1/reviews/"+reviews[30]+tc.path, e.biz1, tc.body)
		})
	}
}
