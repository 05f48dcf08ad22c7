package app

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/candorhq/candor/shared/moderation"
)

// MetricsDay is one day's compliance counters as kept (moderation.Tally
// names them): the day's, and each agent's (by sub) who acted that day.
type MetricsDay struct {
	Day    string // "2006-01-02", UTC
	Counts map[string]int
	Agents map[string]map[string]int
}

// MetricsStore reads the kept counters.
type MetricsStore interface {
	// MetricsDays reads the counters of each day (empty for a day nothing
	// was counted on), in the order asked.
	MetricsDays(ctx context.Context, days []string) ([]MetricsDay, error)
}

// MaxMetricsDays is the longest period the metrics cover at once.
const MaxMetricsDays = 90

// QueueDepthCap bounds how many items of one queue are counted: past it
// the depth is given as at least that many (More).
const QueueDepthCap = 500

// Metrics are the desk's figures: the queues as they stand, and the
// counters of the last Days days (UTC, today included).
type Metrics struct {
	At       time.Time
	From, To string // the first and last day covered
	Queues   []QueueDepth
	Days     []DayFigures // oldest first
	// ToDecision is the time from a report to its closing, ToFirstClaim to
	// its ticket's first claim, over the period.
	ToDecision, ToFirstClaim DurationFigures
	// Outcomes are the closed reports' outcomes over the period, with their shares.
	Outcomes []OutcomeShare
	Agents   []AgentFigures // by agent sub
}

// QueueDepth is a queue's depth and its oldest item.
type QueueDepth struct {
	Queue  string // open, waiting_for_reviewer, in_progress, appeals, stalled
	Depth  int
	More   bool      // more than Depth (QueueDepthCap) items
	Oldest time.Time // zero when empty
}

// DayFigures are one day's counters.
type DayFigures struct {
	Day                                                      string
	Reports, Claims, FirstClaims, Decisions, Closed, NoProof int
	AppealsFiled                                             int
	ByDecision                                               map[string]int // "decision_remove", "appeal_reverse", "reply_keep", … → count
	ToDecision, ToFirstClaim                                 moderation.Histogram
}

// DurationFigures summarise a duration histogram: how many, and the median
// and 90th percentile as the upper bound of their bucket (never below the
// truth, at most 1.5 times it); Over when the percentile is past the last
// bucket (the value is then a lower bound).
type DurationFigures struct {
	Count               int
	Median, P90         time.Duration
	MedianOver, P90Over bool
}

// OutcomeShare is an outcome's count among the closed reports and its share (0–1).
type OutcomeShare struct {
	Outcome string
	Count   int
	Share   float64
}

// AgentFigures are an agent's counters over the period.
type AgentFigures struct {
	Agent                          string
	Claims, FirstClaims, Decisions int
	ByDecision                     map[string]int
}

// MetricsDays lists the days of a period of n days ending on the day of
// now (UTC), oldest first.
func MetricsDays(now time.Time, n int) []string {
	out := make([]string, n)
	for i := range n {
		out[i] = moderation.MetricsDay(now.AddDate(0, 0, i-n+1))
	}
	return out
}

// Metrics reads the desk's figures over the last days days (1 to
// MaxMetricsDays): the flows from the counters the transactions keep (one
// Query a day), the queues from their status indexes (oldest first, counted
// up to QueueDepthCap).
func (a *App) Metrics(ctx context.Context, days int) (Metrics, error) {
	if days < 1 || days > MaxMetricsDays {
		return Metrics{}, moderation.InvalidField("days", fmt.Sprintf("must be 1 to %d", MaxMetricsDays))
	}
	now := a.clock.Now()
	list := MetricsDays(now, days)
	kept, err := a.store.MetricsDays(ctx, list)
	if err != nil {
		return Metrics{}, fmt.Errorf("metrics: %w", err)
	}
	m := SummarizeMetrics(kept)
	m.At, m.From, m.To = now, list[0], list[len(list)-1]
	if m.Queues, err = a.queueDepths(ctx); err != nil {
		return Metrics{}, fmt.Errorf("metrics: %w", err)
	}
	return m, nil
}

// SummarizeMetrics turns kept day counters into the figures: per day,
// the percentiles and outcome shares over all of them, per agent.
func SummarizeMetrics(kept []MetricsDay) Metrics {
	var m Metrics
	toDecision, toClaim := moderation.Histogram{}, moderation.Histogram{}
	outcomes := map[string]int{}
	agents := map[string]*AgentFigures{}
	for _, d := range kept {
		c := d.Counts
		f := DayFigures{Day: d.Day, Reports: c[moderation.CountReports], Claims: c[moderation.CountClaims], FirstClaims: c[moderation.CountFirstClaims],
			Decisions: c[moderation.CountDecisions], Closed: c[moderation.CountClosed], NoProof: c[moderation.CountNoProof],
			AppealsFiled: c[moderation.CountAppealsFiled], ByDecision: decisionCounts(c),
			ToDecision: moderation.HistogramOf(c, moderation.HistToDecision), ToFirstClaim: moderation.HistogramOf(c, moderation.HistToFirstClaim)}
		m.Days = append(m.Days, f)
		toDecision.Add(f.ToDecision)
		toClaim.Add(f.ToFirstClaim)
		for k, n := range c {
			if o, ok := strings.CutPrefix(k, moderation.CountOutcomePrefix); ok {
				outcomes[o] += n
			}
		}
		for sub, ac := range d.Agents {
			af := agents[sub]
			if af == nil {
				af = &AgentFigures{Agent: sub, ByDecision: map[string]int{}}
				agents[sub] = af
			}
			af.Claims += ac[moderation.CountClaims]
			af.FirstClaims += ac[moderation.CountFirstClaims]
			af.Decisions += ac[moderation.CountDecisions]
			for k, n := range decisionCounts(ac) {
				af.ByDecision[k] += n
			}
		}
	}
	m.ToDecision, m.ToFirstClaim = durationFigures(toDecision), durationFigures(toClaim)
	total := 0
	for _, n := range outcomes {
		total += n
	}
	for o, n := range outcomes {
		m.Outcomes = append(m.Outcomes, OutcomeShare{Outcome: o, Count: n, Share: float64(n) / float64(total)})
	}
	slices.SortFunc(m.Outcomes, func(a, b OutcomeShare) int { return strings.Compare(a.Outcome, b.Outcome) })
	for _, af := range agents {
		m.Agents = append(m.Agents, *af)
	}
	slices.SortFunc(m.Agents, func(a, b AgentFigures) int { return strings.Compare(a.Agent, b.Agent) })
	return m
}

// decisionCounts picks the per-outcome decision counters out of c.
func decisionCounts(c map[string]int) map[string]int {
	out := map[string]int{}
	for k, n := range c {
		for _, p := range []string{moderation.CountDecisionPrefix, moderation.CountAppealPrefix, moderation.CountReplyPrefix} {
			if strings.HasPrefix(k, p) && n != 0 {
				out[k] = n
			}
		}
	}
	return out
}

func durationFigures(h moderation.Histogram) DurationFigures {
	f := DurationFigures{Count: h.Count()}
	f.Median, _, f.MedianOver = h.Quantile(0.5)
	f.P90, _, f.P90Over = h.Quantile(0.9)
	return f
}

// queueDepths reads each queue's depth and oldest item by its status index.
func (a *App) queueDepths(ctx context.Context) ([]QueueDepth, error) {
	var out []QueueDepth
	for _, st := range []moderation.TicketStatus{moderation.TicketOpen, moderation.TicketWaitingForReviewer, moderation.TicketInProgress} {
		ts, more, err := collectCapped(ctx, func(ctx context.Context, p Page) ([]moderation.Ticket, string, error) {
			return a.store.ListTickets(ctx, st, "", p)
		})
		if err != nil {
			return nil, err
		}
		q := QueueDepth{Queue: string(st), Depth: len(ts), More: more}
		for _, t := range ts {
			if q.Oldest.IsZero() || t.QueuedAt.Before(q.Oldest) {
				q.Oldest = t.QueuedAt
			}
		}
		out = append(out, q)
	}
	as, more, err := collectCapped(ctx, func(ctx context.Context, p Page) ([]moderation.Appeal, string, error) {
		return a.store.ListAppeals(ctx, moderation.AppealOpen, p)
	})
	if err != nil {
		return nil, err
	}
	q := QueueDepth{Queue: "appeals", Depth: len(as), More: more}
	for _, ap := range as {
		if q.Oldest.IsZero() || ap.QueuedAt.Before(q.Oldest) {
			q.Oldest = ap.QueuedAt
		}
	}
	out = append(out, q)
	stalled, err := a.store.Stalled(ctx)
	if err != nil {
		return nil, err
	}
	q = QueueDepth{Queue: "stalled", Depth: len(stalled)}
	for _, s := range stalled {
		if q.Oldest.IsZero() || s.Stall.At.Before(q.Oldest) {
			q.Oldest = s.Stall.At
		}
	}
	return append(out, q), nil
}

// collectCapped reads a list page by page up to QueueDepthCap items; more
// says there are further ones.
func collectCapped[T any](ctx context.Context, list func(context.Context, Page) ([]T, string, error)) ([]T, bool, error) {
	var out []T
	p := Page{Limit: 100}
	for {
		items, next, err := list(ctx, p)
		if err != nil {
			return nil, false, err
		}
		out = append(out, items...)
		if len(out) >= QueueDepthCap {
			return out[:QueueDepthCap], next != "" || len(out) > QueueDepthCap, nil
		}
		if next == "" {
			return out, false, nil
		}
		p.Cursor = next
	}
}
