package app_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/candorhq/candor/shared/app"
	"github.com/candorhq/candor/shared/clock"
	"github.com/candorhq/candor/shared/moderation"
)

// metricsStore is a hand-written fake of the reads the metrics use case
// makes: kept counters by day, and queues as lists. Any other call panics
// (the embedded nil Store): the use case must make none.
type metricsStore struct {
	app.Store
	days    map[string]app.MetricsDay
	asked   []string
	tickets map[moderation.TicketStatus][]moderation.Ticket
	appeals []moderation.Appeal
	stalled []app.StalledWorkflow
}

func (f *metricsStore) MetricsDays(_ context.Context, days []string) ([]app.MetricsDay, error) {
	f.asked = days
	out := make([]app.MetricsDay, len(days))
	for i, d := range days {
		out[i] = f.days[d]
		out[i].Day = d
	}
	return out, nil
}

func (f *metricsStore) ListTickets(_ context.Context, status moderation.TicketStatus, _ moderation.TicketKind, p app.Page) ([]moderation.Ticket, string, error) {
	return pageOf(f.tickets[status], p)
}

func (f *metricsStore) ListAppeals(_ context.Context, _ moderation.AppealStatus, p app.Page) ([]moderation.Appeal, string, error) {
	return pageOf(f.appeals, p)
}

func (f *metricsStore) Stalled(context.Context) ([]app.StalledWorkflow, error) { return f.stalled, nil }

// pageOf pages a list as the store does: p.Limit items after the cursor (an index).
func pageOf[T any](all []T, p app.Page) ([]T, string, error) {
	start := 0
	if p.Cursor != "" {
		fmt.Sscan(p.Cursor, &start)
	}
	end := min(start+p.Limit, len(all))
	next := ""
	if end < len(all) {
		next = fmt.Sprint(end)
	}
	return all[start:end], next, nil
}

func TestMetricsSumTheKeptCountersAndReadTheQueues(t *testing.T) {
	now := time.Date(2026, 12, 7, 15, 0, 0, 0, time.UTC)
	h := func(prefix string, d time.Duration) string { return prefix + "_" + moderation.BucketName(d) }
	f := &metricsStore{
		days: map[string]app.MetricsDay{
			"2026-12-06": {Counts: map[string]int{moderation.CountReports: 3, moderation.CountDecisions: 2, "decision_remove": 1, "decision_reinstate": 1,
				moderation.CountClosed: 2, "outcome_removed": 1, "outcome_reinstated": 1, h(moderation.HistToDecision, 2*time.Hour): 1, h(moderation.HistToDecision, 3*24*time.Hour): 1,
				moderation.CountFirstClaims: 2, h(moderation.HistToFirstClaim, 10*time.Minute): 2},
				Agents: map[string]map[string]int{"agent-anna": {moderation.CountDecisions: 2, "decision_remove": 1, "decision_reinstate": 1, moderation.CountClaims: 2}}},
			"2026-12-07": {Counts: map[string]int{moderation.CountReports: 1, moderation.CountDecisions: 1, "decision_remove": 1, moderation.CountClosed: 2,
				moderation.CountNoProof: 1, "outcome_removed": 2, h(moderation.HistToDecision, 8*24*time.Hour): 2},
				Agents: map[string]map[string]int{"agent-ben": {moderation.CountDecisions: 1, "decision_remove": 1}, "agent-anna": {moderation.CountClaims: 1}}},
		},
		tickets: map[moderation.TicketStatus][]moderation.Ticket{},
		appeals: []moderation.Appeal{{ID: "apl_1", QueuedAt: now.Add(-3 * time.Hour)}},
	}
	for i := range 501 { // past the depth cap
		f.tickets[moderation.TicketOpen] = append(f.tickets[moderation.TicketOpen], moderation.Ticket{ID: fmt.Sprint(i), QueuedAt: now.Add(-time.Duration(i) * time.Minute)})
	}
	a := app.New(app.Config{Store: f, Clock: clock.NewManual(now)})
	m, err := a.Metrics(context.Background(), 7)
	if err != nil {
		t.Fatal(err)
	}
	if want := app.MetricsDays(now, 7); !slices.Equal(f.asked, want) || m.From != "2026-12-01" || m.To != "2026-12-07" {
		t.Errorf("days asked %v (from %s to %s), want %v", f.asked, m.From, m.To, want)
	}
	if len(m.Days) != 7 || m.Days[5].Reports != 3 || m.Days[6].Decisions != 1 || m.Days[6].NoProof != 1 || m.Days[0].Reports != 0 {
		t.Errorf("days = %+v", m.Days)
	}
	// Closing times 2 h, 3 d, 8 d, 8 d: the median is the 2nd (3 d), the 90th percentile the 4th (8 d), as bucket bounds.
	if m.ToDecision.Count != 4 || m.ToDecision.Median != 3*24*time.Hour || m.ToDecision.P90 != 9*24*time.Hour {
		t.Errorf("to decision = %+v, want 4, median 3 d, p90 9 d (the 8 d bucket's bound)", m.ToDecision)
	}
	if m.ToFirstClaim.Count != 2 || m.ToFirstClaim.Median != 12*time.Minute {
		t.Errorf("to first claim = %+v, want 2, median 12 min", m.ToFirstClaim)
	}
	wantShares := []app.OutcomeShare{{Outcome: "reinstated", Count: 1, Share: 0.25}, {Outcome: "removed", Count: 3, Share: 0.75}}
	if !slices.Equal(m.Outcomes, wantShares) {
		t.Errorf("outcomes = %+v, want %+v", m.Outcomes, wantShares)
	}
	if len(m.Agents) != 2 || m.Agents[0].Agent != "agent-anna" || m.Agents[0].Decisions != 2 || m.Agents[0].Claims != 3 ||
		m.Agents[1].Agent != "agent-ben" || m.Agents[1].ByDecision["decision_remove"] != 1 {
		t.Errorf("agents = %+v", m.Agents)
	}
	open := m.Queues[0]
	if open.Queue != "open" || open.Depth != app.QueueDepthCap || !open.More || !open.Oldest.Equal(now.Add(-499*time.Minute)) {
		t.Errorf("open queue = %+v, want %d+ with the oldest read", open, app.QueueDepthCap)
	}
	if ap := m.Queues[3]; ap.Queue != "appeals" || ap.Depth != 1 || ap.More || !ap.Oldest.Equal(now.Add(-3*time.Hour)) {
		t.Errorf("appeals = %+v", ap)
	}
	if st := m.Queues[4]; st.Queue != "stalled" || st.Depth != 0 || !st.Oldest.IsZero() {
		t.Errorf("stalled = %+v, want empty", st)
	}
}

func TestMetricsRefuseAPeriodOutOfRange(t *testing.T) {
	a := app.New(app.Config{Store: &metricsStore{}, Clock: clock.NewManual(time.Now())})
	for _, days := range []int{0, app.MaxMetricsDays + 1} {
		_, err := a.Metrics(context.Background(), days)
		var e *moderation.Error
		if !errors.As(err, &e) || e.Kind != moderation.KindInvalid {
			t.Errorf("Metrics(%d): %v, want an invalid field", days, err)
		}
	}
}
