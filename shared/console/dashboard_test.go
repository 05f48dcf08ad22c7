package console_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/candorhq/candor/shared/app"
	"github.com/candorhq/candor/shared/console"
	"github.com/candorhq/candor/shared/consoleauth"
	"github.com/candorhq/candor/shared/moderation"
)

func TestSpanNamesABucketInItsLargestWholeUnit(t *testing.T) {
	for _, tc := range []struct {
		d    time.Duration
		want string
	}{
		{time.Minute, "1 min"}, {90 * time.Second, "90 s"}, {27 * time.Minute, "27 min"}, {90 * time.Minute, "90 min"},
		{3 * time.Hour, "3 h"}, {36 * time.Hour, "36 h"}, {24 * time.Hour, "1 d"}, {9 * 24 * time.Hour, "9 d"},
	} {
		if got := console.Span(tc.d); got != tc.want {
			t.Errorf("Span(%v) = %q, want %q", tc.d, got, tc.want)
		}
	}
}

// The dashboard shows what the counters hold: the queues, the time to act
// as bucket bounds, the decisions of each day, the outcome shares and each
// agent's counts; a period not offered is refused.
func TestDashboardShowsTheFigures(t *testing.T) {
	now := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	d := &desk{metrics: app.Metrics{At: now, From: "2026-11-24", To: "2026-12-07",
		Queues: []app.QueueDepth{{Queue: "open", Depth: 500, More: true, Oldest: now.Add(-26 * time.Hour)}, {Queue: "appeals"}},
		Days: []app.DayFigures{{Day: "2026-12-06"}, {Day: "2026-12-07", Reports: 4, Decisions: 3, NoProof: 1,
			ByDecision: map[string]int{"decision_remove": 2, "decision_reinstate": 1}}},
		ToDecision: app.DurationFigures{Count: 3, Median: 3 * time.Hour, P90: 9 * 24 * time.Hour},
		Outcomes:   []app.OutcomeShare{{Outcome: "removed", Count: 3, Share: 0.75}, {Outcome: "reinstated", Count: 1, Share: 0.25}},
		Agents:     []app.AgentFigures{{Agent: "agent-ben", Claims: 4, FirstClaims: 3, Decisions: 3, ByDecision: map[string]int{"decision_remove": 2}}},
	}}
	s := newSite(t, d)
	rec := s.do("GET", "/console/dashboard", nil)
	body := rec.Body.String()
	if rec.Code != http.StatusOK {
		t.Fatalf("dashboard: %d", rec.Code)
	}
	for _, want := range []string{
		`<td class="num" data-count>500+</td>`, "1 d 2 h", "2026-12-06 08:00 CET",
		"<td>≤ 3 h</td><td>≤ 9 d</td>", "—",
		`data-day="2026-12-07"><th scope="row">2026-12-07</th><td class="num">4</td><td class="num" data-decisions>3</td><td class="num">2</td><td class="num">1</td><td class="num">0</td><td class="num">0</td><td class="num">1</td>`,
		`<td class="num">75 %</td>`,
		`data-agent="agent-ben"><th scope="row">agent-ben</th><td class="num">4</td><td class="num">3</td><td class="num" data-decisions>3</td><td class="num">2</td>`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the dashboard lacks %q", want)
		}
	}
	if strings.Index(body, `data-day="2026-12-07"`) > strings.Index(body, `data-day="2026-12-06"`) {
		t.Error("the days are not newest first")
	}
	if rec := s.do("GET", "/console/dashboard?days=5", nil); rec.Code != http.StatusBadRequest {
		t.Errorf("a period not offered: %d, want 400", rec.Code)
	}
}

// The queues filter by business and reason through a GET form: the
// tickets are read through the filter, the form keeps what was chosen, and
// Start reviewing claims the oldest ticket of the filter; a reason that is
// none is said so and the queues shown whole.
func TestQueuesFilterByBusinessAndReason(t *testing.T) {
	d := &desk{open: []moderation.Ticket{{ID: "tkt_1", BusinessID: "biz-1"}, {ID: "tkt_2", BusinessID: "biz-2"}}}
	s := newSite(t, d)
	body := s.do("GET", "/console?business=biz-2&reason=spam", nil).Body.String()
	if len(d.filters) != 3 || d.filters[0] != (app.QueueFilter{BusinessID: "biz-2", Reason: moderation.ReasonSpam}) {
		t.Errorf("queues read through %v, want the three ticket queues through biz-2 and spam", d.filters)
	}
	for _, want := range []string{`name="business" value="biz-2"`, `<option value="spam" selected>`, `id="filter-note"`, `<td class="num" data-count>1</td>`} {
		if !strings.Contains(body, want) {
			t.Errorf("the filtered queues page lacks %q", want)
		}
	}
	rec := s.do("POST", "/console/start", url.Values{consoleauth.CSRFField: {s.session.CSRF}, "business": {"biz-2"}})
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/console/tickets/tkt_2" {
		t.Errorf("start reviewing biz-2: %d to %q, want tkt_2 (the oldest of biz-2)", rec.Code, rec.Header().Get("Location"))
	}
	d.filters = nil
	body = s.do("GET", "/console?reason=hacked", nil).Body.String()
	if len(d.filters) != 0 || !strings.Contains(body, "There is no such reason") {
		t.Errorf("an unknown reason: filters %v; want the queues unfiltered and a notice", d.filters)
	}
}

// The tickets waiting for the reviewer are listed with the end of the
// reviewer's window in the agent's zone, the soonest first.
func TestQueuesListTheReviewersDeadlines(t *testing.T) {
	now := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	d := &desk{waiting: []moderation.Ticket{
		{ID: "tkt_late", ReviewerDeadline: now.Add(5 * 24 * time.Hour)},
		{ID: "tkt_old"},
		{ID: "tkt_soon", ReviewerDeadline: now.Add(26 * time.Hour)},
	}}
	body := newSite(t, d).do("GET", "/console", nil).Body.String()
	soon, late, old := strings.Index(body, `data-ticket="tkt_soon"`), strings.Index(body, `data-ticket="tkt_late"`), strings.Index(body, `data-ticket="tkt_old"`)
	if soon < 0 || !(soon < late && late < old) {
		t.Errorf("waiting tickets at %d, %d, %d; want the soonest deadline first, the unknown last", soon, late, old)
	}
	if !strings.Contains(body, "<td>2026-12-08 12:00 CET</td><td>1 d 2 h</td>") {
		t.Error("the soonest deadline is not shown in the agent's zone with the time left")
	}
}
