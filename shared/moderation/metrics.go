package moderation

import (
	"math"
	"strconv"
	"time"
)

// The compliance metrics are counters the desk's transactions keep: each
// event that moves a report, a ticket or an appeal names, in a Tally, the
// counters it adds to on its day (UTC) and on its agent's day. The store
// adds them in the same write as the change itself, so an event that is not
// written is not counted, and one written once is counted once.

// Counter names of a day and of an agent's day.
const (
	CountReports      = "reports"        // reports submitted
	CountClaims       = "claims"         // tickets claimed (every claim, also after a release or a reviewer round)
	CountFirstClaims  = "first_claims"   // tickets claimed for the first time
	CountDecisions    = "decisions"      // decisions agents took: on tickets (reviews and replies) and appeals
	CountClosed       = "closed"         // reports closed, by an agent or by the system
	CountAppealsFiled = "appeals_filed"  // appeals filed
	CountNoProof      = "closed_noproof" // reports closed by the system for want of proof (also counted in CountClosed)

	// CountDecisionPrefix + a ticket decision's outcome (reinstate, remove,
	// request_reviewer_action), CountReplyPrefix + a reply ticket's (keep,
	// remove), CountAppealPrefix + an appeal's (uphold, reverse),
	// CountOutcomePrefix + a closed report's outcome (reinstated, removed).
	CountDecisionPrefix = "decision_"
	CountReplyPrefix    = "reply_"
	CountAppealPrefix   = "appeal_"
	CountOutcomePrefix  = "outcome_"

	// HistToDecision and HistToFirstClaim + "_" + a bucket's name count
	// the time from a report to its closing and to its ticket's first
	// claim, one bucket each (DurationBuckets).
	HistToDecision   = "h_decision"
	HistToFirstClaim = "h_claim"
)

// DurationBuckets are the upper bounds of the histograms' buckets: a time
// d is counted in the first bucket whose bound is at least d, or in the
// overflow bucket past the last. Each bound is at most 1.5 times the one
// before it, so a percentile read as its bucket's bound is never below the
// true value and at most 1.5 times it (above the first minute).
var DurationBuckets = []time.Duration{
	time.Minute, 90 * time.Second, 2 * time.Minute, 3 * time.Minute, 4 * time.Minute, 6 * time.Minute, 9 * time.Minute,
	12 * time.Minute, 18 * time.Minute, 27 * time.Minute, 40 * time.Minute, time.Hour, 90 * time.Minute, 2 * time.Hour,
	3 * time.Hour, 4 * time.Hour, 6 * time.Hour, 9 * time.Hour, 12 * time.Hour, 18 * time.Hour, day, 36 * time.Hour,
	2 * day, 3 * day, 4 * day, 6 * day, 9 * day, 12 * day, 18 * day, 27 * day, 40 * day, 60 * day, 90 * day,
	135 * day, 200 * day, 300 * day,
}

const day = 24 * time.Hour

// BucketName is the name of the bucket d is counted in: its bound in
// seconds ("3600"), or "inf" past the last bound. Names, not positions, so
// that a bucket added later does not move the counts already kept.
func BucketName(d time.Duration) string {
	for _, b := range DurationBuckets {
		if d <= b {
			return strconv.FormatInt(int64(b/time.Second), 10)
		}
	}
	return "inf"
}

// Tally is what one event adds to the metrics: Day on the day of At (UTC)
// and, when Agent is set, ByAgent on that agent's day.
type Tally struct {
	At      time.Time
	Agent   string
	Day     map[string]int
	ByAgent map[string]int
}

// Empty reports whether the tally counts nothing.
func (t Tally) Empty() bool { return len(t.Day) == 0 && len(t.ByAgent) == 0 }

// MetricsDay is the day an event at t is counted on: its UTC date.
func MetricsDay(t time.Time) string { return t.UTC().Format(time.DateOnly) }

// ReportSubmittedTally counts a report filed.
func ReportSubmittedTally(r Report) Tally {
	return Tally{At: r.CreatedAt, Day: map[string]int{CountReports: 1}}
}

// ClaimTally counts an agent's claim of ticket t at at: a claim for the
// agent and the day and, when no agent claimed t before (FirstClaimedAt
// unset), a first claim with the time from the ticket's opening to it.
func ClaimTally(t Ticket, agent string, at time.Time) Tally {
	tl := Tally{At: at, Agent: agent, Day: map[string]int{CountClaims: 1}, ByAgent: map[string]int{CountClaims: 1}}
	if t.FirstClaimedAt.IsZero() {
		tl.Day[CountFirstClaims] = 1
		tl.Day[HistToFirstClaim+"_"+BucketName(at.Sub(t.CreatedAt))] = 1
		tl.ByAgent[CountFirstClaims] = 1
	}
	return tl
}

// TicketDecidedTally counts an agent's decision d on report r's ticket with
// consequence c: the decision and its outcome for the day and the agent,
// and, when it closes the report, the closing, its outcome and the time from
// the report to it.
func TicketDecidedTally(r Report, d Decision, c Consequence) Tally {
	tl := Tally{At: d.At, Agent: d.Agent,
		Day:     map[string]int{CountDecisions: 1, CountDecisionPrefix + d.Outcome: 1},
		ByAgent: map[string]int{CountDecisions: 1, CountDecisionPrefix + d.Outcome: 1}}
	if c.ReportStatus == ReportClosed {
		closing(tl.Day, r, c, d.At)
	}
	return tl
}

// ReportClosedTally counts a report the system closed at at (no agent
// decided: the proof window closed): the closing, its outcome, the time
// from the report to it, and a closing for want of proof.
func ReportClosedTally(r Report, c Consequence, at time.Time) Tally {
	tl := Tally{At: at, Day: map[string]int{}}
	closing(tl.Day, r, c, at)
	if c.Ground == GroundNoProofProvided {
		tl.Day[CountNoProof] = 1
	}
	return tl
}

func closing(m map[string]int, r Report, c Consequence, at time.Time) {
	m[CountClosed] = 1
	if c.Outcome != OutcomeNone {
		m[CountOutcomePrefix+string(c.Outcome)] = 1
	}
	m[HistToDecision+"_"+BucketName(at.Sub(r.CreatedAt))] = 1
}

// AppealFiledTally counts an appeal filed.
func AppealFiledTally(a Appeal) Tally {
	return Tally{At: a.FiledAt, Day: map[string]int{CountAppealsFiled: 1}}
}

// AppealDecidedTally counts an agent's decision on an appeal, with its outcome.
func AppealDecidedTally(d AppealDecision) Tally {
	return Tally{At: d.At, Agent: d.Agent,
		Day:     map[string]int{CountDecisions: 1, CountAppealPrefix + d.Outcome: 1},
		ByAgent: map[string]int{CountDecisions: 1, CountAppealPrefix + d.Outcome: 1}}
}

// ReplyDecidedTally counts an agent's decision on a reply ticket, with its outcome.
func ReplyDecidedTally(d Decision) Tally {
	return Tally{At: d.At, Agent: d.Agent,
		Day:     map[string]int{CountDecisions: 1, CountReplyPrefix + d.Outcome: 1},
		ByAgent: map[string]int{CountDecisions: 1, CountReplyPrefix + d.Outcome: 1}}
}

// Histogram is a duration histogram as kept: bucket name → count.
type Histogram map[string]int

// HistogramOf collects the buckets of histogram prefix (HistToDecision,
// HistToFirstClaim) from counters.
func HistogramOf(counters map[string]int, prefix string) Histogram {
	h := Histogram{}
	for _, b := range DurationBuckets {
		name := strconv.FormatInt(int64(b/time.Second), 10)
		if n := counters[prefix+"_"+name]; n > 0 {
			h[name] = n
		}
	}
	if n := counters[prefix+"_inf"]; n > 0 {
		h["inf"] = n
	}
	return h
}

// Add adds o's counts to h.
func (h Histogram) Add(o Histogram) {
	for k, n := range o {
		h[k] += n
	}
}

// Count is how many times the histogram holds.
func (h Histogram) Count() int {
	n := 0
	for _, c := range h {
		n += c
	}
	return n
}

// Quantile is the q-quantile (0 < q ≤ 1; 0.5 the median) as the upper bound
// of the bucket the ⌈q·n⌉-th smallest time is in: never below the true value,
// at most 1.5 times it. ok is false for an empty histogram; over is true when
// that time is past the last bound (the value is then the last bound, and the
// truth is more).
func (h Histogram) Quantile(q float64) (d time.Duration, ok, over bool) {
	n := h.Count()
	if n == 0 {
		return 0, false, false
	}
	rank := int(math.Ceil(q * float64(n)))
	if rank < 1 {
		rank = 1
	}
	seen := 0
	for _, b := range DurationBuckets {
		seen += h[strconv.FormatInt(int64(b/time.Second), 10)]
		if seen >= rank {
			return b, true, false
		}
	}
	return DurationBuckets[len(DurationBuckets)-1], true, true
}
