package api_test

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/candorhq/candor/infra/local/stack"
	"github.com/candorhq/candor/shared/api"
	"github.com/candorhq/candor/shared/moderation"
)

// putStarredReview puts a review of biz-3 with the given stars.
func (e *env) putStarredReview(id string, stars, version int) {
	e.t.Helper()
	body := reviewBody("biz-1", "organic", version)
	body["businessId"], body["stars"] = "biz-3", stars
	want := http.StatusCreated
	if version > 1 {
		want = http.StatusOK
	}
	e.mustStatus(want, "PUT", "/v1/platform/reviews/"+id, e.platform, body)
}

// signal is the named signal of a business's reporting view.
func signal(t *testing.T, v api.ReportingView, name string) api.SignalView {
	t.Helper()
	s, ok := map[string]api.SignalView{"reports": v.Signals.Reports, "unfoundedShare": v.Signals.UnfoundedShare,
		"negativeOnly": v.Signals.NegativeOnly, "repeatReports": v.Signals.RepeatReports, "reportsPerWeek": v.Signals.ReportsPerWeek}[name]
	if !ok {
		t.Fatalf("no signal %s", name)
	}
	return s
}

// reporting is a business's reporting signals as compliance reads them.
func (e *env) reporting(biz, token string) api.ReportingView {
	e.t.Helper()
	return decode[api.ReportingView](e.t, e.mustStatus(http.StatusOK, "GET", "/v1/compliance/businesses/"+biz+"/reporting", token, nil))
}

// flagging is a business's public flagging record.
func (e *env) flagging(biz string) (api.FlaggingView, response) {
	e.t.Helper()
	r := e.mustStatus(http.StatusOK, "GET", "/v1/public/businesses/"+biz+"/flagging", "", nil)
	return decode[api.FlaggingView](e.t, r), r
}

// sanctionList is a business's sanctions as compliance reads them.
func (e *env) sanctionList(biz string) (api.SanctionListView, string) {
	e.t.Helper()
	r := e.mustStatus(http.StatusOK, "GET", "/v1/compliance/businesses/"+biz+"/sanctions", e.compliance, nil)
	return decode[api.SanctionListView](e.t, r), r.raw
}

// negativeOnlyReporter makes biz-3 ("Corner Bakery", ops@bakery.example)
// with six 1–2-star and six 4–5-star reviews, and has it report its six
// negative ones: one removed, five reinstated. It returns biz-3's token and
// the last report's ticket.
func (e *env) negativeOnlyReporter() (token, lastTicket string) {
	e.t.Helper()
	e.mustStatus(http.StatusCreated, "PUT", "/v1/platform/businesses/biz-3", e.platform, map[string]any{"name": "Corner Bakery", "notificationEmail": "ops@bakery.example", "locale": "en"})
	token = e.s.Token("owner-3", "business", "biz-3", 365*24*time.Hour)
	for i := 0; i < 6; i++ {
		e.putStarredReview(fmt.Sprintf("rev-good-%d", i), 4+i%2, 1)
		e.putStarredReview(fmt.Sprintf("rev-bad-%d", i), 1+i%2, 1)
	}
	for i := 0; i < 6; i++ {
		r := e.mustStatus(http.StatusAccepted, "POST", fmt.Sprintf("/v1/reviews/rev-bad-%d/reports", i), token, validReport())
		lastTicket = e.ticketOf(decode[api.ReportView](e.t, r).ID)
		if i == 0 {
			e.removeAsAda(lastTicket, "offensive_or_harmful", "spam")
		} else {
			e.reinstateAsAda(lastTicket)
		}
	}
	return token, lastTicket
}

// TestMisuseRuleProposesAWarningThatAPersonGives: past the rule's
// thresholds (here 5 decided reports, 70 % reinstated) the business's
// sanctions show a proposed warning with its figures; the rule gives
// nothing itself, and once an agent warns, the proposal is gone. Under the
// default rule (10 decided reports) the same business gets no proposal.
func TestMisuseRuleProposesAWarningThatAPersonGives(t *testing.T) {
	e := newEnv(t, func(c *stack.Config) {
		c.Policy.Misuse = moderation.MisuseRule{MinReports: 5, UnfoundedShare: 0.7, WindowMonths: 12}
	})
	_, tkt := e.negativeOnlyReporter()
	onTicket := func() (api.TicketCaseView, string) { return e.ticket(tkt) }
	if tk, raw := onTicket(); tk.Sanctions.Proposal == nil || tk.Sanctions.Warning != nil || tk.Sanctions.Proposal.DecidedReports != 6 {
		t.Errorf("ticket's sanctions = %s, want the proposal on 6 decided reports where the agent decides", raw)
	}
	list, raw := e.sanctionList("biz-3")
	prop := list.Proposal
	if prop == nil || prop.Kind != "warning" || prop.DecidedReports != 6 || prop.Reinstated != 5 || prop.Share != 0.833 ||
		prop.MinReports != 5 || !strings.Contains(prop.Explanation, "5 of the 6 decided reports") {
		t.Fatalf("sanctions = %s, want a proposed warning on 5 of 6 reinstated", raw)
	}
	before := len(e.mailsTo("ops@bakery.example")) // the outcomes of its reports
	if len(list.Items) != 0 {
		t.Fatalf("the rule sanctioned by itself: %s", raw)
	}
	e.mustStatus(http.StatusCreated, "POST", "/v1/compliance/businesses/biz-3/warnings", e.compliance,
		map[string]any{"note": "5 of your 6 reports in November were of reviews that did not break the guidelines."})
	if m := e.mailsTo("ops@bakery.example"); len(m) != before+1 || !strings.Contains(m[before].Text, "5 of your 6 reports") {
		t.Errorf("business emails after the warning = %v", subjects(m))
	}
	if after, raw := e.sanctionList("biz-3"); after.Proposal != nil {
		t.Errorf("sanctions after the warning = %s, want no proposal while it is in force", raw)
	}
	if tk, raw := onTicket(); tk.Sanctions.Proposal != nil || tk.Sanctions.Warning == nil || tk.Sanctions.Warning.Agent != "agent:agent-ada" {
		t.Errorf("ticket's sanctions after the warning = %s, want agent-ada's warning in force and no proposal", raw)
	}

	d := newEnv(t)
	d.negativeOnlyReporter()
	if def, raw := d.sanctionList("biz-3"); def.Proposal != nil {
		t.Errorf("default rule, 6 decided reports: %s, want no proposal", raw)
	}
}

// TestNegativeOnlyReporterIsFlaggedAndItsPublicRecordMatches: a business
// that reports only its 1- and 2-star reviews, most of them reinstated, is
// flagged on its tickets and at the compliance endpoint; its public record
// counts the outcomes, and moving the clock 13 months empties the window.
func TestNegativeOnlyReporterIsFlaggedAndItsPublicRecordMatches(t *testing.T) {
	e := newEnv(t)
	biz3, lastTicket := e.negativeOnlyReporter()
	// One reinstated review, edited by its reviewer, reported again: a repeat.
	e.putStarredReview("rev-bad-1", 2, 2)
	again := e.mustStatus(http.StatusAccepted, "POST", "/v1/reviews/rev-bad-1/reports", biz3, map[string]any{
		"items":           []any{map[string]any{"scope": "review", "reason": "spam", "details": "Posted again to hurt us."}},
		"publicStatement": "We have no record of this order.",
	})
	openTicket := e.ticketOf(decode[api.ReportView](t, again).ID)

	for _, id := range []string{lastTicket, openTicket} {
		if tk, _ := e.ticket(id); !tk.Reporting.Flagged || tk.Reporting.BusinessID != "biz-3" {
			t.Fatalf("ticket %s reporting: business %q flagged %v, want biz-3 flagged", id, tk.Reporting.BusinessID, tk.Reporting.Flagged)
		}
	}
	v := e.reporting("biz-3", e.compliance)
	if v.Reports != 7 || v.Reinstated != 5 || v.Removed != 1 {
		t.Errorf("reports/reinstated/removed = %d/%d/%d, want 7/5/1", v.Reports, v.Reinstated, v.Removed)
	}
	for _, c := range []struct {
		name    string
		value   float64
		flagged bool
	}{
		{"unfoundedShare", 0.833, true},
		{"negativeOnly", 0.5, true}, // 100% of reports vs 50% of reviews on 1–2 stars
		{"repeatReports", 1, false},
		{"reports", 7, false},
		{"reportsPerWeek", 7, false},
	} {
		s := signal(t, v, c.name)
		if s.Value != c.value || s.Flagged != c.flagged || s.Threshold <= 0 || !strings.Contains(s.Explanation, "flag") {
			t.Errorf("signal %s = %+v, want value %v flagged %v with a threshold and an explanation", c.name, s, c.value, c.flagged)
		}
	}
	if len(v.ByStars) != 5 {
		t.Fatalf("byStars rows = %d, want one per star", len(v.ByStars))
	}
	if one := v.ByStars[0]; one.Stars != 1 || one.Reports != 3 || one.Reviews != 3 || one.ReviewShare != 0.25 {
		t.Errorf("1-star row = %+v, want 3 reports on 3 of 12 reviews", one)
	}
	if two := v.ByStars[1]; two.Stars != 2 || two.Reports != 4 || two.Reviews != 3 {
		t.Errorf("2-star row = %+v, want 4 reports (one a repeat) on 3 reviews", two)
	}
	// A business with reports of no concern is not flagged.
	if b1 := e.reporting("biz-1", e.compliance); b1.Flagged {
		t.Errorf("biz-1 (no reports) flagged: %+v", b1)
	}
	if r := e.call("GET", "/v1/compliance/businesses/biz-3/reporting", biz3, nil); r.status != http.StatusForbidden {
		t.Errorf("the business reading its own signals: %d, want 403", r.status)
	}
	if r := e.call("GET", "/v1/compliance/businesses/nobody/reporting", e.compliance, nil); r.status != http.StatusNotFound {
		t.Errorf("unknown business signals: %d, want 404", r.status)
	}

	p, pub := e.flagging("biz-3")
	if cc := pub.header.Get("Cache-Control"); cc != "public, max-age=300" {
		t.Errorf("public record Cache-Control = %q, want public, max-age=300 (no personal data, cacheable)", cc)
	}
	if p.Reported != 7 || p.Reinstated != 5 || p.Removed != 1 || p.Pending != 1 || p.BusinessName != "Corner Bakery" {
		t.Errorf("public record = %s, want Corner Bakery with 7 reported, 5 reinstated, 1 removed, 1 pending", pub.raw)
	}
	if want := []api.ReasonCountView{{Reason: "offensive_or_harmful", Count: 1}, {Reason: "spam", Count: 1}}; !slices.Equal(p.RemovedBy, want) {
		t.Errorf("removedByReason = %+v, want %+v", p.RemovedBy, want)
	}
	if want := []api.StarShareView{{Stars: 1, Reports: 3, Share: 0.429}, {Stars: 2, Reports: 4, Share: 0.571}, {Stars: 3}, {Stars: 4}, {Stars: 5}}; !slices.Equal(p.ByStars, want) {
		t.Errorf("byStars = %+v, want %+v", p.ByStars, want)
	}
	for _, leak := range []string{"Ana", "reviewer@", "crook", "rev-bad", "rpt_"} {
		if strings.Contains(pub.raw, leak) {
			t.Errorf("the public record shows %q: %s", leak, pub.raw)
		}
	}
	if r := e.call("GET", "/v1/public/businesses/nobody/flagging", "", nil); r.status != http.StatusNotFound {
		t.Errorf("unknown business record: %d, want 404", r.status)
	}

	e.s.Advance(396 * day) // 13 months on: every report's month has left the window
	if p, pub := e.flagging("biz-3"); p.Reported != 0 || p.Reinstated != 0 || p.Removed != 0 {
		t.Errorf("public record 13 months on = %s, want empty", pub.raw)
	}
	agent := e.s.Token("agent-ada", "compliance", "", time.Hour) // an hour of real time is enough however far the clock moved
	if v := e.reporting("biz-3", agent); v.Flagged || v.Reports != 0 {
		t.Errorf("signals 13 months on = %+v, want nothing flagged", v)
	}
}

// TestAppealMovesTheOutcomeInTheFlaggingRecord: a reinstatement reversed on
// appeal moves the report from reinstated to removed, with the reasons the
// appeal upheld, in the public record and the signals.
func TestAppealMovesTheOutcomeInTheFlaggingRecord(t *testing.T) {
	e := newEnv(t)
	rep, tkt := e.submitReport()
	e.reinstateAsAda(tkt)
	if p, pub := e.flagging("biz-1"); p.Reinstated != 1 || p.Removed != 0 {
		t.Fatalf("record after the reinstatement = %s, want 1 reinstated, 0 removed", pub.raw)
	}
	e.mustStatus(http.StatusCreated, "POST", "/v1/reports/"+rep+"/appeals", e.biz1, map[string]any{"reason": "The same text is posted on three other shops."})
	id := e.appealOf(rep, "open").ID
	bob := e.s.Token(agent2, "compliance", "", 365*day)
	e.mustStatus(http.StatusOK, "POST", "/v1/compliance/appeals/"+id+"/claim", bob, nil)
	e.mustStatus(http.StatusAccepted, "POST", "/v1/compliance/appeals/"+id+"/decision", bob,
		map[string]any{"outcome": "reverse", "note": "The text is copied from three other shops.", "upheldReasons": []string{"spam"}})
	p, pub := e.flagging("biz-1")
	if p.Reported != 1 || p.Reinstated != 0 || p.Removed != 1 || !slices.Equal(p.RemovedBy, []api.ReasonCountView{{Reason: "spam", Count: 1}}) {
		t.Errorf("record after the reversal = %s, want 1 removed for spam", pub.raw)
	}
	if s := signal(t, e.reporting("biz-1", e.compliance), "unfoundedShare"); s.Value != 0 {
		t.Errorf("unfounded share after the reversal = %+v, want 0", s)
	}
}
