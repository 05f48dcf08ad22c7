package api

import (
	"net/http"
	"strconv"
	"time"

	"github.com/candorhq/candor/shared/app"
	"github.com/candorhq/candor/shared/httpapi"
	"github.com/candorhq/candor/shared/moderation"
)

// DefaultMetricsDays is the period GET /v1/compliance/metrics covers without ?days.
const DefaultMetricsDays = 14

type metricsView struct {
	GeneratedAt  string             `json:"generatedAt"`
	From         string             `json:"from"`
	To           string             `json:"to"`
	Queues       []queueDepthView   `json:"queues"`
	Days         []dayFiguresView   `json:"days"`
	ToDecision   durationView       `json:"reportToDecision"`
	ToFirstClaim durationView       `json:"reportToFirstClaim"`
	Outcomes     []outcomeShareView `json:"outcomes"`
	Agents       []agentView        `json:"agents"`
}

type queueDepthView struct {
	Queue         string  `json:"queue"`
	Depth         int     `json:"depth"`
	More          bool    `json:"more"`
	Oldest        *string `json:"oldestAt"`
	OldestSeconds *int64  `json:"oldestAgeSeconds"`
}

type dayFiguresView struct {
	Day          string         `json:"day"`
	Reports      int            `json:"reports"`
	Claims       int            `json:"claims"`
	FirstClaims  int            `json:"firstClaims"`
	Decisions    int            `json:"decisions"`
	ByDecision   map[string]int `json:"byDecision"`
	Closed       int            `json:"closed"`
	NoProof      int            `json:"closedForNoProof"`
	AppealsFiled int            `json:"appealsFiled"`
}

type durationView struct {
	Count         int    `json:"count"`
	MedianSeconds *int64 `json:"medianSeconds"`
	MedianOver    bool   `json:"medianOver"`
	P90Seconds    *int64 `json:"p90Seconds"`
	P90Over       bool   `json:"p90Over"`
}

type outcomeShareView struct {
	Outcome string  `json:"outcome"`
	Count   int     `json:"count"`
	Share   float64 `json:"share"`
}

type agentView struct {
	Agent       string         `json:"agent"`
	Claims      int            `json:"claims"`
	FirstClaims int            `json:"firstClaims"`
	Decisions   int            `json:"decisions"`
	ByDecision  map[string]int `json:"byDecision"`
}

func seconds(d time.Duration) *int64 { s := int64(d / time.Second); return &s }

func newDurationView(f app.DurationFigures) durationView {
	v := durationView{Count: f.Count, MedianOver: f.MedianOver, P90Over: f.P90Over}
	if f.Count > 0 {
		v.MedianSeconds, v.P90Seconds = seconds(f.Median), seconds(f.P90)
	}
	return v
}

func newMetricsView(m app.Metrics) metricsView {
	v := metricsView{GeneratedAt: rfc3339(m.At), From: m.From, To: m.To, ToDecision: newDurationView(m.ToDecision), ToFirstClaim: newDurationView(m.ToFirstClaim),
		Queues: []queueDepthView{}, Days: []dayFiguresView{}, Outcomes: []outcomeShareView{}, Agents: []agentView{}}
	for _, q := range m.Queues {
		qv := queueDepthView{Queue: q.Queue, Depth: q.Depth, More: q.More, Oldest: optTime(q.Oldest)}
		if !q.Oldest.IsZero() {
			qv.OldestSeconds = seconds(m.At.Sub(q.Oldest))
		}
		v.Queues = append(v.Queues, qv)
	}
	for _, d := range m.Days {
		v.Days = append(v.Days, dayFiguresView{Day: d.Day, Reports: d.Reports, Claims: d.Claims, FirstClaims: d.FirstClaims, Decisions: d.Decisions,
			ByDecision: d.ByDecision, Closed: d.Closed, NoProof: d.NoProof, AppealsFiled: d.AppealsFiled})
	}
	for _, o := range m.Outcomes {
		v.Outcomes = append(v.Outcomes, outcomeShareView(o))
	}
	for _, ag := range m.Agents {
		v.Agents = append(v.Agents, agentView{Agent: ag.Agent, Claims: ag.Claims, FirstClaims: ag.FirstClaims, Decisions: ag.Decisions, ByDecision: ag.ByDecision})
	}
	return v
}

// metrics serves the desk's figures over the last ?days days (default
// DefaultMetricsDays): the same the console's dashboard shows.
func (a *API) metrics(w http.ResponseWriter, r *http.Request, _ httpapi.Principal) {
	days := DefaultMetricsDays
	if s := r.URL.Query().Get("days"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			httpapi.WriteError(w, r, moderation.InvalidField("days", "must be a whole number of days"))
			return
		}
		days = n
	}
	m, err := a.app.Metrics(r.Context(), days)
	if err != nil {
		httpapi.WriteError(w, r, err)
		return
	}
	httpapi.WriteJSON(w, http.StatusOK, newMetricsView(m))
}
