package console

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/candorhq/candor/shared/app"
	"github.com/candorhq/candor/shared/consoleauth"
	"github.com/candorhq/candor/shared/moderation"
)

// DashboardPeriods are the periods (days) the dashboard offers; the first is its default.
var DashboardPeriods = []int{14, 7, 30, 90}

type dashboardView struct {
	Days     int
	Periods  []int
	From, To string
	Queues   []queueView
	Figures  []durationRow
	PerDay   []dayRow
	Outcomes []outcomeRow
	Agents   []agentRow
}

type durationRow struct{ Label, Count, Median, P90 string }

type dayRow struct {
	Day                                                                  string
	Reports, Decisions, Removed, Reinstated, Requested, Appeals, NoProof int
}

type outcomeRow struct {
	Outcome, Share string
	Count          int
}

type agentRow struct {
	Agent                                         string
	Claims, FirstClaims, Decisions, Removed, Kept int
}

var queueLabels = map[string]string{
	string(moderation.TicketOpen): "Open tickets", string(moderation.TicketWaitingForReviewer): "Waiting for the reviewer",
	string(moderation.TicketInProgress): "In progress", "appeals": "Appeals", "stalled": "Stalled workflows",
}

// dashboard shows the desk's figures over a period chosen by a GET form.
func (h *Handler) dashboard(w http.ResponseWriter, r *http.Request) {
	days := DashboardPeriods[0]
	if s := r.URL.Query().Get("days"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || !slices.Contains(DashboardPeriods, n) {
			render(w, r, http.StatusBadRequest, messagePage(h.chrome(r, "Unknown period"), "Choose a period from the list.", false))
			return
		}
		days = n
	}
	m, err := h.desk.Metrics(r.Context(), days)
	if err != nil {
		h.fail(w, r, "dashboard", err)
		return
	}
	s, _ := consoleauth.FromContext(r.Context())
	render(w, r, http.StatusOK, dashboardPage(h.chrome(r, "Dashboard"), dashboardOf(m, days, Location(zoneOf(s)))))
}

func dashboardOf(m app.Metrics, days int, loc *time.Location) dashboardView {
	v := dashboardView{Days: days, Periods: DashboardPeriods, From: m.From, To: m.To}
	for _, q := range m.Queues {
		qv := queueView{Key: q.Queue, Label: queueLabels[q.Queue], Count: countLabel(q.Depth, q.More)}
		if !q.Oldest.IsZero() {
			qv.Oldest, qv.OldestAt = Age(m.At, q.Oldest), FormatTime(q.Oldest, loc)
		}
		v.Queues = append(v.Queues, qv)
	}
	v.Figures = []durationRow{durationRowOf("Report to decision", m.ToDecision), durationRowOf("Report to first claim", m.ToFirstClaim)}
	for i := len(m.Days) - 1; i >= 0; i-- { // newest first
		d := m.Days[i]
		v.PerDay = append(v.PerDay, dayRow{Day: d.Day, Reports: d.Reports, Decisions: d.Decisions,
			Removed:    d.ByDecision[moderation.CountDecisionPrefix+moderation.DecideRemove] + d.ByDecision[moderation.CountReplyPrefix+moderation.DecideRemove],
			Reinstated: d.ByDecision[moderation.CountDecisionPrefix+moderation.DecideReinstate] + d.ByDecision[moderation.CountReplyPrefix+moderation.DecideKeep],
			Requested:  d.ByDecision[moderation.CountDecisionPrefix+moderation.DecideReviewerAction],
			Appeals:    d.ByDecision[moderation.CountAppealPrefix+moderation.AppealUphold] + d.ByDecision[moderation.CountAppealPrefix+moderation.AppealReverse],
			NoProof:    d.NoProof})
	}
	for _, o := range m.Outcomes {
		v.Outcomes = append(v.Outcomes, outcomeRow{Outcome: o.Outcome, Count: o.Count, Share: fmt.Sprintf("%.0f %%", 100*o.Share)})
	}
	for _, a := range m.Agents {
		v.Agents = append(v.Agents, agentRow{Agent: a.Agent, Claims: a.Claims, FirstClaims: a.FirstClaims, Decisions: a.Decisions,
			Removed: a.ByDecision[moderation.CountDecisionPrefix+moderation.DecideRemove] + a.ByDecision[moderation.CountReplyPrefix+moderation.DecideRemove],
			Kept:    a.ByDecision[moderation.CountDecisionPrefix+moderation.DecideReinstate] + a.ByDecision[moderation.CountReplyPrefix+moderation.DecideKeep]})
	}
	return v
}

func durationRowOf(label string, f app.DurationFigures) durationRow {
	row := durationRow{Label: label, Count: strconv.Itoa(f.Count), Median: "—", P90: "—"}
	if f.Count > 0 {
		row.Median, row.P90 = atMost(f.Median, f.MedianOver), atMost(f.P90, f.P90Over)
	}
	return row
}

// atMost shows a percentile read as its bucket's upper bound: "≤ 3 h", or
// "> 300 d" past the last bucket.
func atMost(d time.Duration, over bool) string {
	if over {
		return "> " + Span(d)
	}
	return "≤ " + Span(d)
}

// Span is a bucket bound in its largest whole unit: "90 s", "27 min", "36 h", "9 d".
func Span(d time.Duration) string {
	switch {
	case d < 2*time.Minute && d%time.Minute != 0:
		return fmt.Sprintf("%d s", int(d/time.Second))
	case d < 2*time.Hour && d%time.Hour != 0:
		return fmt.Sprintf("%d min", int(d/time.Minute))
	case d < 48*time.Hour && d%(24*time.Hour) != 0:
		return fmt.Sprintf("%d h", int(d/time.Hour))
	case d < time.Hour:
		return fmt.Sprintf("%d min", int(d/time.Minute))
	case d < 24*time.Hour:
		return fmt.Sprintf("%d h", int(d/time.Hour))
	}
	return fmt.Sprintf("%d d", int(d/(24*time.Hour)))
}
