package api_test

import (
	"net/http"
	"testing"
	"time"
)

type metricsBody struct {
	From, To string
	Queues   []struct {
		Queue            string
		Depth            int
		OldestAgeSeconds *int64
	}
	Days []struct {
		Day        string
		Reports    int
		Decisions  int
		ByDecision map[string]int
		Closed     int
	}
	ReportToDecision struct {
		Count         int
		MedianSeconds *int64
	}
	ReportToFirstClaim struct {
		Count         int
		MedianSeconds *int64
	}
	Outcomes []struct {
		Outcome string
		Count   int
		Share   float64
	}
	Agents []struct {
		Agent     string
		Claims    int
		Decisions int
	}
}

// After a report is removed two hours after it was filed, the metrics
// count the report, the decision, the agent's claim and decision, the time
// to decide, and the outcome's share; a business may not read them.
func TestMetricsCountWhatAgentsDecided(t *testing.T) {
	e := newEnv(t)
	_, tkt := e.submitReport()
	e.s.Advance(20 * time.Minute)
	e.mustStatus(http.StatusOK, "POST", "/v1/compliance/tickets/"+tkt+"/claim", e.compliance, nil)
	e.s.Advance(110 * time.Minute)
	e.mustStatus(http.StatusAccepted, "POST", "/v1/compliance/tickets/"+tkt+"/decision", e.compliance,
		map[string]any{"outcome": "remove", "upheldReasons": []string{"offensive_or_harmful"}, "note": "The text calls the owner a crook without any facts."})
	e.s.Settle()

	m := decode[metricsBody](t, e.mustStatus(http.StatusOK, "GET", "/v1/compliance/metrics?days=3", e.compliance, nil))
	if len(m.Days) != 3 || m.Days[2].Day != m.To {
		t.Fatalf("days = %+v, want 3 ending on %s", m.Days, m.To)
	}
	reports, decisions, removals := 0, 0, 0
	for _, d := range m.Days {
		reports, decisions, removals = reports+d.Reports, decisions+d.Decisions, removals+d.ByDecision["decision_remove"]
	}
	if reports != 1 || decisions != 1 || removals != 1 {
		t.Errorf("reports %d, decisions %d, removals %d; want 1 each", reports, decisions, removals)
	}
	if m.ReportToDecision.Count != 1 || m.ReportToDecision.MedianSeconds == nil || *m.ReportToDecision.MedianSeconds != 3*3600 {
		t.Errorf("report to decision = %+v, want one, median 3 h (the bucket of 2 h 10 min)", m.ReportToDecision)
	}
	if m.ReportToFirstClaim.Count != 1 || m.ReportToFirstClaim.MedianSeconds == nil || *m.ReportToFirstClaim.MedianSeconds != 27*60 {
		t.Errorf("report to first claim = %+v, want one, median 27 min (the bucket of 20 min)", m.ReportToFirstClaim)
	}
	if len(m.Outcomes) != 1 || m.Outcomes[0].Outcome != "removed" || m.Outcomes[0].Share != 1 {
		t.Errorf("outcomes = %+v, want removed, all of them", m.Outcomes)
	}
	if len(m.Agents) != 1 || m.Agents[0].Agent != "agent-ada" || m.Agents[0].Claims != 1 || m.Agents[0].Decisions != 1 {
		t.Errorf("agents = %+v, want agent-ada with one claim and one decision", m.Agents)
	}
	if len(m.Queues) != 5 || m.Queues[0].Queue != "open" || m.Queues[0].Depth != 0 || m.Queues[0].OldestAgeSeconds != nil {
		t.Errorf("queues = %+v, want the open queue first and empty", m.Queues)
	}

	if r := e.call("GET", "/v1/compliance/metrics", e.biz1, nil); r.status != http.StatusForbidden {
		t.Errorf("a business reads the metrics: %d, want 403", r.status)
	}
	if r := e.call("GET", "/v1/compliance/metrics?days=91", e.compliance, nil); !r.refusesField(http.StatusUnprocessableEntity, "days") {
		t.Errorf("91 days: %d %s, want 422 on days", r.status, r.raw)
	}
}
