package api_test

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/candorhq/candor/infra/local/edge"
	"github.com/candorhq/candor/infra/local/stack"
)

const agent2 = "agent-bob"

// ticketOf returns the ticket id of a report through the compliance queue.
func (e *env) ticketOf(reportID string) string {
	e.t.Helper()
	r := e.mustStatus(http.StatusOK, "GET", "/v1/compliance/tickets?limit=100", e.compliance, nil)
	for _, it := range r.body["items"].([]any) {
		m := it.(map[string]any)
		if m["reportId"] == reportID {
			return m["id"].(string)
		}
	}
	e.t.Fatalf("report %s has no ticket in %s", reportID, r.raw)
	return ""
}

func (e *env) report(id string) response {
	e.t.Helper()
	return e.mustStatus(http.StatusOK, "GET", "/v1/reports/"+id, e.biz1, nil)
}

func (e *env) decide(ticket, token string, body map[string]any) response {
	e.t.Helper()
	return e.call("POST", "/v1/compliance/tickets/"+ticket+"/decision", token, body)
}

func (e *env) submitReport() (reportID, ticketID string) {
	e.t.Helper()
	r := e.mustStatus(http.StatusAccepted, "POST", "/v1/reviews/rev-organic/reports", e.biz1, validReport())
	id := r.body["id"].(string)
	return id, e.ticketOf(id)
}

func TestReportReinstatedAfterOneClaim(t *testing.T) {
	e := newEnv(t)
	rep, tkt := e.submitReport()
	reported := e.mailsTo(reviewerAddr)
	if len(reported) != 1 || !strings.Contains(reported[0].Text, "We have no record of this order") {
		t.Fatalf("reviewer emails after the report = %+v, want the 'reported' notice with the statement", reported)
	}
	if r := e.decide(tkt, e.compliance, map[string]any{"outcome": "reinstate", "note": "Opinion, not defamation."}); r.status != 409 || r.errorCode() != "ticket_not_in_progress" {
		t.Fatalf("decision before claiming: %d %s", r.status, r.raw)
	}
	c := e.mustStatus(http.StatusOK, "POST", "/v1/compliance/tickets/"+tkt+"/claim", e.compliance, nil)
	if c.body["status"] != "in_progress" || c.body["assignee"] != "agent-ada" {
		t.Fatalf("claim = %s", c.raw)
	}
	bob := e.s.Token(agent2, "compliance", "", time.Hour)
	if r := e.call("POST", "/v1/compliance/tickets/"+tkt+"/claim", bob, nil); r.status != 409 {
		t.Errorf("a second agent's claim: %d %s", r.status, r.raw)
	}
	if r := e.decide(tkt, bob, map[string]any{"outcome": "remove", "upheldReasons": []string{"offensive_or_harmful"}, "note": "Bob thinks it should go."}); r.status != 409 || r.errorCode() != "ticket_not_in_progress" {
		t.Errorf("decision by an agent who does not hold the ticket: %d %s", r.status, r.raw)
	}
	d := e.decide(tkt, e.compliance, map[string]any{"outcome": "reinstate", "note": "An opinion about the service, not defamation."})
	if d.status != 202 {
		t.Fatalf("decision: %d %s", d.status, d.raw)
	}
	rv := e.report(rep)
	if rv.body["status"] != "closed" || rv.body["outcome"] != "reinstated" {
		t.Errorf("report after reinstate = %s", rv.raw)
	}
	if pub := e.mustStatus(http.StatusOK, "GET", "/v1/public/reviews/rev-organic", "", nil); pub.body["visibility"] != "published" || pub.body["review"] == nil {
		t.Errorf("public view after reinstate = %s", pub.raw)
	}
	if biz := e.mailsTo(businessAddr); len(biz) != 1 || !strings.Contains(biz[0].Text, rep) {
		t.Errorf("business emails = %+v, want the reinstatement notice linking the report", biz)
	}
	if rm := e.mailsTo(reviewerAddr); len(rm) != 2 || !strings.Contains(rm[1].Subject+rm[1].Text, "Acme Coffee") || strings.Contains(rm[1].Text, "/r/") {
		t.Errorf("reviewer emails = %v, want the report's notice and the reinstatement (no statement of reasons, no link)", subjects(rm))
	}
	detail := e.mustStatus(http.StatusOK, "GET", "/v1/compliance/tickets/"+tkt, e.compliance, nil)
	audit := detail.body["audit"].(map[string]any)
	if detail.body["status"] != "decided" || len(audit["ticket"].([]any)) < 3 || len(audit["report"].([]any)) < 2 || len(audit["review"].([]any)) < 3 {
		t.Errorf("ticket detail = %s", detail.raw)
	}
	if strings.Contains(rv.raw, "agent-ada") {
		t.Errorf("the business sees the agent's identity: %s", rv.raw)
	}
	e.assertExecutionsCarryNoPersonalData()
}

func TestEvidenceRoundThenRemoval(t *testing.T) {
	e := newEnv(t)
	rep, tkt := e.submitReport()
	e.mustStatus(http.StatusOK, "POST", "/v1/compliance/tickets/"+tkt+"/claim", e.compliance, nil)
	ask := map[string]any{"outcome": "request_reviewer_action", "kind": "evidence", "note": "Need proof of the purchase.",
		"message": "Please send us your order number and the date of your purchase."}
	if d := e.decide(tkt, e.compliance, ask); d.status != 202 || d.body["status"] != "waiting_for_reviewer" || d.body["rounds"] != 1.0 {
		t.Fatalf("request evidence: %d %s", d.status, d.raw)
	}
	if r := e.report(rep); r.body["status"] != "awaiting_reviewer" {
		t.Errorf("report while waiting = %s", r.raw)
	}
	mails := e.mailsTo(reviewerAddr)
	if len(mails) != 2 || !strings.Contains(mails[1].Text, "order number and the date") {
		t.Fatalf("reviewer emails = %d, want the evidence request with the agent's message", len(mails))
	}
	e.s.Advance(48 * time.Hour)
	link := e.reviewerLink(mails[1])
	if p := e.postPage(link, url.Values{"reply": {"Order 4711 on 3 October, paid by card."}}); p.status != 200 {
		t.Fatalf("evidence: %d %s", p.status, p.body)
	}
	detail := e.mustStatus(http.StatusOK, "GET", "/v1/compliance/tickets/"+tkt, e.compliance, nil)
	answers := detail.body["answers"].([]any)
	if detail.body["status"] != "open" || detail.body["marker"] != "reviewer_responded" || len(answers) != 1 ||
		answers[0].(map[string]any)["text"] != "Order 4711 on 3 October, paid by card." {
		t.Fatalf("ticket after the evidence = %s", detail.raw)
	}
	if p := e.postPage(link, url.Values{"reply": {"again"}}); p.status != 410 {
		t.Errorf("second submission of the evidence: %d", p.status)
	}
	e.mustStatus(http.StatusOK, "POST", "/v1/compliance/tickets/"+tkt+"/claim", e.compliance, nil)
	if d := e.decide(tkt, e.compliance, map[string]any{"outcome": "remove", "upheldReasons": []string{"offensive_or_harmful"}, "note": "The order number belongs to another customer."}); d.status != 202 {
		t.Fatalf("remove: %d %s", d.status, d.raw)
	}
	if r := e.report(rep); r.body["status"] != "closed" || r.body["outcome"] != "removed" {
		t.Errorf("report = %s", r.raw)
	}
	if pub := e.mustStatus(http.StatusOK, "GET", "/v1/public/reviews/rev-organic", "", nil); pub.body["visibility"] != "removed" {
		t.Errorf("public view = %s", pub.raw)
	}
	if got := len(e.mailsTo(businessAddr)); got != 0 {
		t.Errorf("business emails after a removal = %d, want none", got)
	}
	mails = e.mailsTo(reviewerAddr)
	statement := mails[len(mails)-1]
	if len(mails) != 3 || !strings.Contains(statement.Text, "The order number belongs to another customer.") {
		t.Fatalf("statement of reasons = %q", statement.Text)
	}
	appeal := e.reviewerLink(statement)
	if p := e.openPage(appeal); p.status != 200 {
		t.Errorf("appeal page: %d", p.status)
	}
	const appealText = "The order number is mine: it was a gift bought by my partner on our shared account."
	e.s.Advance(30 * 24 * time.Hour) // well inside the appeal window
	if p := e.postPage(appeal, url.Values{"reply": {appealText}}); p.status != 200 {
		t.Fatalf("appeal: %d %s", p.status, p.body)
	}
	if p := e.postPage(appeal, url.Values{"reply": {"A second appeal."}}); p.status != 410 {
		t.Errorf("second appeal through the same link: %d, want 410", p.status)
	}
	detail = e.mustStatus(http.StatusOK, "GET", "/v1/compliance/appeals/apl_"+strings.TrimPrefix(rep, "rpt_"), e.compliance, nil)
	if !strings.Contains(detail.raw, appealText) || !strings.Contains(detail.raw, "report.appealed") || detail.body["status"] != "open" {
		t.Errorf("compliance's appeal does not show the appeal and its audit entry: %s", detail.raw)
	}
	if strings.Contains(detail.raw, "A second appeal.") {
		t.Errorf("the refused second appeal was recorded: %s", detail.raw)
	}
	if r := e.report(rep); strings.Contains(r.raw, appealText) || r.body["status"] != "closed" || r.body["outcome"] != "removed" {
		t.Errorf("business's report after the appeal = %s, want it closed, removed, without the reviewer's words", r.raw)
	}
	e.assertExecutionsCarryNoPersonalData()
}

func TestEvidenceUnansweredReturnsMarkedNoResponse(t *testing.T) {
	e := newEnv(t)
	_, tkt := e.submitReport()
	e.mustStatus(http.StatusOK, "POST", "/v1/compliance/tickets/"+tkt+"/claim", e.compliance, nil)
	e.decide(tkt, e.compliance, map[string]any{"outcome": "request_reviewer_action", "kind": "edit", "note": "Defamatory sentence.",
		"message": "Please remove the sentence calling the owner a crook."})
	e.s.Advance(7*24*time.Hour - time.Second)
	if d := e.mustStatus(http.StatusOK, "GET", "/v1/compliance/tickets/"+tkt, e.compliance, nil); d.body["status"] != "waiting_for_reviewer" {
		t.Fatalf("before 7 days: %s", d.raw)
	}
	e.s.Advance(time.Second)
	d := e.mustStatus(http.StatusOK, "GET", "/v1/compliance/tickets/"+tkt, e.compliance, nil)
	if d.body["status"] != "open" || d.body["marker"] != "no_response" {
		t.Fatalf("after 7 days: %s", d.raw)
	}
	q := e.mustStatus(http.StatusOK, "GET", "/v1/compliance/tickets?status=open", e.compliance, nil)
	if len(q.body["items"].([]any)) != 1 {
		t.Errorf("open queue = %s", q.raw)
	}
}

func TestFourthReviewerRoundIsRefused(t *testing.T) {
	e := newEnv(t)
	_, tkt := e.submitReport()
	ask := map[string]any{"outcome": "request_reviewer_action", "kind": "evidence", "note": "Need more.", "message": "Please send us your order number for this purchase."}
	for round := 1; round <= 3; round++ {
		e.mustStatus(http.StatusOK, "POST", "/v1/compliance/tickets/"+tkt+"/claim", e.compliance, nil)
		if d := e.decide(tkt, e.compliance, ask); d.status != 202 {
			t.Fatalf("round %d: %d %s", round, d.status, d.raw)
		}
		e.s.Advance(7 * 24 * time.Hour)
	}
	e.mustStatus(http.StatusOK, "POST", "/v1/compliance/tickets/"+tkt+"/claim", e.compliance, nil)
	before := e.snapshot()
	if d := e.decide(tkt, e.compliance, ask); d.status != 409 || d.errorCode() != "reviewer_rounds_exhausted" {
		t.Fatalf("fourth round: %d %s", d.status, d.raw)
	}
	if e.snapshot() != before {
		t.Error("a refused fourth round changed the table")
	}
	if got := len(e.mailsTo(reviewerAddr)); got != 4 { // reported + three requests
		t.Errorf("reviewer emails = %d, want 4", got)
	}
}

// notGenuine reports rev-organic with no_genuine_experience after an expired Find Reviewer request.
func (e *env) notGenuine() (reportID string) {
	e.t.Helper()
	e.ask()
	e.s.Advance(5 * 24 * time.Hour)
	r := e.mustStatus(http.StatusAccepted, "POST", "/v1/reviews/rev-organic/reports", e.biz1, map[string]any{
		"items":           []any{map[string]any{"scope": "reviewer", "reason": "no_genuine_experience", "details": "We have no order from anyone by this name or address."}},
		"publicStatement": "We could not find this customer in our records.",
	})
	if r.body["status"] != "awaiting_proof" {
		e.t.Fatalf("report = %s", r.raw)
	}
	return r.body["id"].(string)
}

func TestNotGenuineWithoutProofIsRemovedOnDaySeven(t *testing.T) {
	e := newEnv(t)
	rep := e.notGenuine()
	mails := e.mailsTo(reviewerAddr)
	proof := mails[len(mails)-1]
	if !strings.Contains(proof.Subject+proof.Text, "") || len(proof.Links) == 0 {
		t.Fatalf("proof request = %+v", proof)
	}
	q := e.mustStatus(http.StatusOK, "GET", "/v1/compliance/tickets?status=open", e.compliance, nil)
	if len(q.body["items"].([]any)) != 0 {
		t.Errorf("a report awaiting proof is in the open queue: %s", q.raw)
	}
	e.s.Advance(7*24*time.Hour - time.Second)
	if r := e.report(rep); r.body["status"] != "awaiting_proof" {
		t.Fatalf("before day 7: %s", r.raw)
	}
	e.s.Advance(time.Second)
	r := e.report(rep)
	if r.body["status"] != "closed" || r.body["outcome"] != "removed" {
		t.Fatalf("after day 7: %s", r.raw)
	}
	if pub := e.mustStatus(http.StatusOK, "GET", "/v1/public/reviews/rev-organic", "", nil); pub.body["visibility"] != "removed" {
		t.Errorf("public view = %s", pub.raw)
	}
	mails = e.mailsTo(reviewerAddr)
	if !strings.Contains(mails[len(mails)-1].Subject+mails[len(mails)-1].Text, "") || len(mails) < 4 {
		t.Errorf("reviewer emails = %d, want the statement of reasons last", len(mails))
	}
	if p := e.postPage(e.reviewerLink(proof), url.Values{"reply": {"Too late"}}); p.status != 410 {
		t.Errorf("late proof: %d", p.status)
	}
	e.assertExecutionsCarryNoPersonalData()
}

func TestNotGenuineWithProofGoesToTheQueue(t *testing.T) {
	e := newEnv(t)
	rep := e.notGenuine()
	mails := e.mailsTo(reviewerAddr)
	e.s.Advance(24 * time.Hour)
	if p := e.postPage(e.reviewerLink(mails[len(mails)-1]), url.Values{"reply": {"Receipt 99812 from 1 October."}}); p.status != 200 {
		t.Fatalf("proof: %d %s", p.status, p.body)
	}
	if r := e.report(rep); r.body["status"] != "in_queue" {
		t.Fatalf("report after proof = %s", r.raw)
	}
	tkt := e.ticketOf(rep)
	d := e.mustStatus(http.StatusOK, "GET", "/v1/compliance/tickets/"+tkt, e.compliance, nil)
	answers := d.body["answers"].([]any)
	if d.body["marker"] != "proof_received" || len(answers) != 1 || answers[0].(map[string]any)["text"] != "Receipt 99812 from 1 October." {
		t.Errorf("ticket = %s", d.raw)
	}
	if len(d.body["findReviewerRequests"].([]any)) != 1 {
		t.Errorf("the ticket does not show the Find Reviewer request: %s", d.raw)
	}
	e.s.Advance(7 * 24 * time.Hour)
	if r := e.report(rep); r.body["status"] != "in_queue" {
		t.Errorf("a report with proof was touched by the proof window's end: %s", r.raw)
	}
}

// TestProofWhoseWakeWasLostIsNotRemovedAtTheWindowsEnd: the proof is
// recorded but Step Functions refuses every attempt to wake the workflow, so
// the workflow still waits for proof while an agent takes the case from the
// queue and reinstates the review. When the proof window ends, the workflow
// does not remove the review or stall: it finds the decision and carries it
// out (the reviewer is told, the review is back), as if it had been woken.
func TestProofWhoseWakeWasLostIsNotRemovedAtTheWindowsEnd(t *testing.T) {
	e := newEnv(t)
	rep := e.notGenuine()
	mails := e.mailsTo(reviewerAddr)
	if _, err := e.s.Faults.Add(edge.FaultRule{Service: edge.ServiceStepFunctions, Operation: "SendTaskSuccess", Error: "ServiceUnavailable", Count: 1000}); err != nil {
		t.Fatal(err)
	}
	if p := e.postPage(e.reviewerLink(mails[len(mails)-1]), url.Values{"reply": {"Receipt 99812 from 1 October."}}); p.status != 200 {
		t.Fatalf("proof: %d %s", p.status, p.body)
	}
	e.s.Faults.Clear()
	tkt := e.ticketOf(rep)
	e.reinstateAsAda(tkt)
	told := len(e.mailsTo(reviewerAddr))
	e.s.Advance(7 * 24 * time.Hour)
	if r := e.report(rep); r.body["outcome"] != "reinstated" || r.body["ground"] != nil {
		t.Errorf("report after the proof window = %s, want reinstated as the agent decided", r.raw)
	}
	if pub := e.mustStatus(http.StatusOK, "GET", "/v1/public/reviews/rev-organic", "", nil); pub.body["visibility"] != "published" {
		t.Errorf("public view = %s, want the review back online", pub.raw)
	}
	if m := e.mailsTo(reviewerAddr); len(m) != told+1 || !strings.Contains(m[told].Subject, "publicerat igen") {
		t.Errorf("reviewer emails after the window = %v, want the reinstatement", subjects(m))
	}
	if n := len(e.mustStatus(http.StatusOK, "GET", "/v1/compliance/workflows/stalled", e.compliance, nil).body["items"].([]any)); n != 0 {
		t.Errorf("stalled workflows = %d, want 0", n)
	}
}

func TestEditThroughThePageMakesANewVersion(t *testing.T) {
	e := newEnv(t)
	rep, tkt := e.submitReport()
	e.mustStatus(http.StatusOK, "POST", "/v1/compliance/tickets/"+tkt+"/claim", e.compliance, nil)
	e.decide(tkt, e.compliance, map[string]any{"outcome": "request_reviewer_action", "kind": "edit", "note": "Defamatory sentence.",
		"message": "Please remove the sentence calling the owner a crook."})
	mails := e.mailsTo(reviewerAddr)
	link := e.reviewerLink(mails[len(mails)-1])
	if p := e.postPage(link, url.Values{"title": {"Stale beans"}, "text": {"The beans were stale when they arrived."}, "stars": {"2"}}); p.status != 200 {
		t.Fatalf("edit: %d %s", p.status, p.body)
	}
	d := e.mustStatus(http.StatusOK, "GET", "/v1/compliance/tickets/"+tkt, e.compliance, nil)
	versions := d.body["review"].(map[string]any)["versions"].([]any)
	if len(versions) != 2 {
		t.Fatalf("versions = %v", versions)
	}
	changed := versions[1].(map[string]any)["changed"].([]any)
	if versions[1].(map[string]any)["by"] != "reviewer" || len(changed) != 2 {
		t.Errorf("version 2 = %v, want an edit by the reviewer changing stars and text", versions[1])
	}
	// Reinstated: the new version can be reported; once removed, nothing can.
	e.mustStatus(http.StatusOK, "POST", "/v1/compliance/tickets/"+tkt+"/claim", e.compliance, nil)
	e.decide(tkt, e.compliance, map[string]any{"outcome": "reinstate", "note": "The edit removed the defamation."})
	if r := e.report(rep); r.body["outcome"] != "reinstated" {
		t.Fatalf("report = %s", r.raw)
	}
	edited := map[string]any{"items": []any{map[string]any{"scope": "review", "reason": "spam", "details": "The same text was posted on three other shops."}},
		"publicStatement": "This text is copied from elsewhere."}
	second := e.mustStatus(http.StatusAccepted, "POST", "/v1/reviews/rev-organic/reports", e.biz1, edited)
	if second.body["reviewVersion"] != 2.0 {
		t.Errorf("second report on version %v, want 2", second.body["reviewVersion"])
	}
	t2 := e.ticketOf(second.body["id"].(string))
	e.mustStatus(http.StatusOK, "POST", "/v1/compliance/tickets/"+t2+"/claim", e.compliance, nil)
	e.decide(t2, e.compliance, map[string]any{"outcome": "remove", "upheldReasons": []string{"spam"}, "note": "Copied text, confirmed on three sites."})
	e.putReview("rev-organic", "biz-1", "organic", 3)
	if r := e.call("POST", "/v1/reviews/rev-organic/reports", e.biz1, edited); r.status != 409 || r.errorCode() != "review_removed" {
		t.Errorf("report on a removed review: %d %s", r.status, r.raw)
	}
}

func TestConcurrentDecisionsStoreOne(t *testing.T) {
	e := newEnv(t)
	rep, tkt := e.submitReport()
	e.mustStatus(http.StatusOK, "POST", "/v1/compliance/tickets/"+tkt+"/claim", e.compliance, nil)
	var wg sync.WaitGroup
	statuses := make([]int, 4)
	for i := range statuses {
		wg.Add(1)
		go func() {
			defer wg.Done()
			outcome := "reinstate"
			if i%2 == 1 {
				outcome = "remove"
			}
			body := map[string]any{"outcome": outcome, "note": "Concurrent decision " + outcome}
			if outcome == "remove" {
				body["upheldReasons"] = []string{"spam"}
			}
			statuses[i] = e.decide(tkt, e.compliance, body).status
		}()
	}
	wg.Wait()
	ok := 0
	for _, s := range statuses {
		if s == 202 {
			ok++
		} else if s != 409 {
			t.Errorf("status %d", s)
		}
	}
	if ok != 1 {
		t.Fatalf("%d decisions accepted (%v), want exactly 1", ok, statuses)
	}
	if r := e.report(rep); r.body["status"] != "closed" {
		t.Errorf("report = %s", r.raw)
	}
	if t.Failed() {
		for _, l := range strings.Split(e.logs.String(), "\n") {
			if strings.Contains(l, "ERROR") || strings.Contains(l, "\"err\"") {
				t.Log(l)
			}
		}
	}
}

func TestComplianceRefusals(t *testing.T) {
	e := newEnv(t)
	rep, tkt := e.submitReport()
	cases := []struct {
		name, method, path, token string
		body                      any
		status                    int
	}{
		{"business lists tickets", "GET", "/v1/compliance/tickets", e.biz1, nil, 403},
		{"business claims", "POST", "/v1/compliance/tickets/" + tkt + "/claim", e.biz1, nil, 403},
		{"no token", "GET", "/v1/compliance/tickets/" + tkt, "", nil, 401},
		{"unknown ticket", "GET", "/v1/compliance/tickets/tkt_00000000000000000000000000000000", e.compliance, nil, 404},
		{"bad status filter", "GET", "/v1/compliance/tickets?status=closed", e.compliance, nil, 422},
		{"compliance reads a business report route", "GET", "/v1/reports/" + rep, e.compliance, nil, 403},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := e.snapshot()
			if r := e.call(tc.method, tc.path, tc.token, tc.body); r.status != tc.status {
				t.Errorf("got %d %s, want %d", r.status, r.raw, tc.status)
			}
			if e.snapshot() != before {
				t.Error("a refused request changed the table")
			}
		})
	}
}

// TestReportStartFailureAndSESOutageRecover injects a failed
// StartExecution and an SES outage that outlasts the SDK's three attempts:
// the report still reaches its workflow through the sweeper, the state
// machine retries the failed task (TransientError), the reviewer gets
// exactly one notice, and an agent's decision still closes the report.
func TestReportStartFailureAndSESOutageRecover(t *testing.T) {
	fail := &startFailures{n: 1}
	e := newEnv(t, func(c *stack.Config) { c.FunctionOptions = append(c.FunctionOptions, fail.middleware) })
	e.s.Outbox.Fail(3, "ServiceUnavailable")
	rep, tkt := e.submitReport()
	if got := len(e.mailsTo(reviewerAddr)); got != 0 {
		t.Fatalf("reviewer emails before the sweeper = %d", got)
	}
	e.s.Advance(10 * time.Minute) // the sweeper's minute and the SES retry's back-off
	if got := len(e.mailsTo(reviewerAddr)); got != 1 {
		t.Fatalf("reviewer emails after recovery = %d, want exactly 1", got)
	}
	if got := e.taskErrors(); !slices.Equal(got, []string{"TransientError"}) {
		t.Errorf("task errors in the executions' histories = %v, want one TransientError", got)
	}
	e.mustStatus(http.StatusOK, "POST", "/v1/compliance/tickets/"+tkt+"/claim", e.compliance, nil)
	e.decide(tkt, e.compliance, map[string]any{"outcome": "reinstate", "note": "Opinion, not defamation."})
	if r := e.report(rep); r.body["outcome"] != "reinstated" {
		t.Errorf("report = %s", r.raw)
	}
}
