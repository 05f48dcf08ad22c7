package api_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/candorhq/candor/infra/local/stack"
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

func signal(t *testing.T, v map[string]any, name string) map[string]any {
	t.Helper()
	s, ok := v["signals"].(map[string]any)[name].(map[string]any)
	if !ok {
		t.Fatalf("no signal %s in %v", name, v)
	}
	return s
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
		lastTicket = e.ticketOf(r.body["id"].(string))
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
	onTicket := func() map[string]any {
		return e.mustStatus(http.StatusOK, "GET", "/v1/compliance/tickets/"+tkt, e.compliance, nil).body["sanctions"].(map[string]any)
	}
	if s := onTicket(); s["proposal"] == nil || s["warning"] != nil || s["proposal"].(map[string]any)["decidedReports"] != 6.0 {
		t.Errorf("ticket's sanctions = %v, want the proposal where the agent decides", s)
	}
	list := e.mustStatus(http.StatusOK, "GET", "/v1/compliance/businesses/biz-3/sanctions", e.compliance, nil)
	prop, ok := list.body["proposal"].(map[string]any)
	if !ok || prop["kind"] != "warning" || prop["decidedReports"] != 6.0 || prop["reinstated"] != 5.0 || prop["share"] != 0.833 ||
		prop["minReports"] != 5.0 || !strings.Contains(prop["explanation"].(string), "5 of the 6 decided reports") {
		t.Fatalf("sanctions = %s, want a proposed warning on 5 of 6 reinstated", list.raw)
	}
	before := len(e.mailsTo("ops@bakery.example")) // the outcomes of its reports
	if items := list.body["items"].([]any); len(items) != 0 {
		t.Fatalf("the rule sanctioned by itself: %s", list.raw)
	}
	e.mustStatus(http.StatusCreated, "POST", "/v1/compliance/businesses/biz-3/warnings", e.compliance,
		map[string]any{"note": "5 of your 6 reports in November were of reviews that did not break the guidelines."})
	if m := e.mailsTo("ops@bakery.example"); len(m) != before+1 || !strings.Contains(m[before].Text, "5 of your 6 reports") {
		t.Errorf("business emails after the warning = %v", subjects(m))
	}
	if after := e.mustStatus(http.StatusOK, "GET", "/v1/compliance/businesses/biz-3/sanctions", e.compliance, nil); after.body["proposal"] != nil {
		t.Errorf("sanctions after the warning = %s, want no proposal while it is in force", after.raw)
	}
	if s := onTicket(); s["proposal"] != nil || s["warning"] == nil || s["warning"].(map[string]any)["agent"] != "agent:agent-ada" {
		t.Errorf("ticket's sanctions after the warning = %v, want the warning in force and no proposal", s)
	}

	d := newEnv(t)
	d.negativeOnlyReporter()
	if def := d.mustStatus(http.StatusOK, "GET", "/v1/compliance/businesses/biz-3/sanctions", d.compliance, nil); def.body["proposal"] != nil {
		t.Errorf("default rule, 6 decided reports: %s, want no proposal", def.raw)
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
	openTicket := e.ticketOf(again.body["id"].(string))

	for _, path := range []string{"/v1/compliance/tickets/" + lastTicket, "/v1/compliance/tickets/" + openTicket} {
		tk := e.mustStatus(http.StatusOK, "GET", path, e.compliance, nil)
		rep, ok := tk.body["reporting"].(map[string]any)
		if !ok || rep["flagged"] != true || rep["businessId"] != "biz-3" {
			t.Fatalf("%s reporting = %v, want biz-3 flagged", path, tk.body["reporting"])
		}
	}
	v := e.mustStatus(http.StatusOK, "GET", "/v1/compliance/businesses/biz-3/reporting", e.compliance, nil).body
	if v["reports"] != 7.0 || v["reinstated"] != 5.0 || v["removed"] != 1.0 {
		t.Errorf("reports/reinstated/removed = %v/%v/%v, want 7/5/1", v["reports"], v["reinstated"], v["removed"])
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
		if s["value"] != c.value || s["flagged"] != c.flagged || s["threshold"] == nil || !strings.Contains(s["explanation"].(string), "flag") {
			t.Errorf("signal %s = %v, want value %v flagged %v with a threshold and an explanation", c.name, s, c.value, c.flagged)
		}
	}
	stars := v["byStars"].([]any)
	if one := stars[0].(map[string]any); one["reports"] != 3.0 || one["reviews"] != 3.0 || one["reviewShare"] != 0.25 {
		t.Errorf("1-star row = %v, want 3 reports on 3 of 12 reviews", one)
	}
	if two := stars[1].(map[string]any); two["reports"] != 4.0 || two["reviews"] != 3.0 {
		t.Errorf("2-star row = %v, want 4 reports (one a repeat) on 3 reviews", two)
	}
	// A business with reports of no concern is not flagged.
	if b1 := e.mustStatus(http.StatusOK, "GET", "/v1/compliance/businesses/biz-1/reporting", e.compliance, nil).body; b1["flagged"] != false {
		t.Errorf("biz-1 (no reports) flagged: %v", b1)
	}
	if r := e.call("GET", "/v1/compliance/businesses/biz-3/reporting", biz3, nil); r.status != http.StatusForbidden {
		t.Errorf("the business reading its own signals: %d, want 403", r.status)
	}
	if r := e.call("GET", "/v1/compliance/businesses/nobody/reporting", e.compliance, nil); r.status != http.StatusNotFound {
		t.Errorf("unknown business signals: %d, want 404", r.status)
	}

	pub := e.mustStatus(http.StatusOK, "GET", "/v1/public/businesses/biz-3/flagging", "", nil)
	if cc := pub.header.Get("Cache-Control"); cc != "public, max-age=300" {
		t.Errorf("public record Cache-Control = %q, want public, max-age=300 (no personal data, cacheable)", cc)
	}
	p := pub.body
	if p["reported"] != 7.0 || p["reinstated"] != 5.0 || p["removed"] != 1.0 || p["pending"] != 1.0 || p["businessName"] != "Corner Bakery" {
		t.Errorf("public record = %s, want 7 reported, 5 reinstated, 1 removed, 1 pending", pub.raw)
	}
	if got := fmt.Sprint(p["removedByReason"]); got != "[map[count:1 reason:offensive_or_harmful] map[count:1 reason:spam]]" {
		t.Errorf("removedByReason = %s", got)
	}
	if got := fmt.Sprint(p["byStars"]); got != "[map[reports:3 share:0.429 stars:1] map[reports:4 share:0.571 stars:2] map[reports:0 share:0 stars:3] map[reports:0 share:0 stars:4] map[reports:0 share:0 stars:5]]" {
		t.Errorf("byStars = %s", got)
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
	p = e.mustStatus(http.StatusOK, "GET", "/v1/public/businesses/biz-3/flagging", "", nil).body
	if p["reported"] != 0.0 || p["reinstated"] != 0.0 || p["removed"] != 0.0 {
		t.Errorf("public record 13 months on = %v, want empty", p)
	}
	agent := e.s.Token("agent-ada", "compliance", "", time.Hour) // the year-long test tokens have expired
	if v := e.mustStatus(http.StatusOK, "GET", "/v1/compliance/businesses/biz-3/reporting", agent, nil).body; v["flagged"] != false || v["reports"] != 0.0 {
		t.Errorf("signals 13 months on = %v, want nothing flagged", v)
	}
}

// TestAppealMovesTheOutcomeInTheFlaggingRecord: a reinstatement reversed on
// appeal moves the report from reinstated to removed, with the reasons the
// appeal upheld, in the public record and the signals.
func TestAppealMovesTheOutcomeInTheFlaggingRecord(t *testing.T) {
	e := newEnv(t)
	rep, tkt := e.submitReport()
	e.reinstateAsAda(tkt)
	p := e.mustStatus(http.StatusOK, "GET", "/v1/public/businesses/biz-1/flagging", "", nil).body
	if p["reinstated"] != 1.0 || p["removed"] != 0.0 {
		t.Fatalf("record after the reinstatement = %v", p)
	}
	e.mustStatus(http.StatusCreated, "POST", "/v1/reports/"+rep+"/appeals", e.biz1, map[string]any{"reason": "The same text is posted on three other shops."})
	id := e.appealOf(rep, "open")["id"].(string)
	bob := e.s.Token(agent2, "compliance", "", 365*day)
	e.mustStatus(http.StatusOK, "POST", "/v1/compliance/appeals/"+id+"/claim", bob, nil)
	e.mustStatus(http.StatusAccepted, "POST", "/v1/compliance/appeals/"+id+"/decision", bob,
		map[string]any{"outcome": "reverse", "note": "The text is copied from three other shops.", "upheldReasons": []string{"spam"}})
	p = e.mustStatus(http.StatusOK, "GET", "/v1/public/businesses/biz-1/flagging", "", nil).body
	if p["reported"] != 1.0 || p["reinstated"] != 0.0 || p["removed"] != 1.0 || fmt.Sprint(p["removedByReason"]) != "[map[count:1 reason:spam]]" {
		t.Errorf("record after the reversal = %v, want 1 removed for spam", p)
	}
	v := e.mustStatus(http.StatusOK, "GET", "/v1/compliance/businesses/biz-1/reporting", e.compliance, nil).body
	if s := signal(t, v, "unfoundedShare"); s["value"] != 0.0 {
		t.Errorf("unfounded share after the reversal = %v, want 0", s)
	}
}
