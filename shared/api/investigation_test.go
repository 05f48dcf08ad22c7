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
	"github.com/candorhq/candor/shared/api"
)

const agent2 = "agent-bob"

// ticketOf returns the ticket id of a report through the compliance queue.
func (e *env) ticketOf(reportID string) string {
	e.t.Helper()
	r := e.mustStatus(http.StatusOK, "GET", "/v1/compliance/tickets?limit=100", e.compliance, nil)
	for _, tk := range decode[api.ListView[api.TicketView]](e.t, r).Items {
		if tk.ReportID != nil && *tk.ReportID == reportID {
			return tk.ID
		}
	}
	e.t.Fatalf("report %s has no ticket in %s", reportID, r.raw)
	return ""
}

func (e *env) report(id string) response {
	e.t.Helper()
	return e.mustStatus(http.StatusOK, "GET", "/v1/reports/"+id, e.biz1, nil)
}

// reportView is the business's report, as GET /v1/reports/{id} shows it.
func (e *env) reportView(id string) (api.ReportView, string) {
	e.t.Helper()
	r := e.report(id)
	return decode[api.ReportView](e.t, r), r.raw
}

// ticket is a ticket's detail, as compliance reads it.
func (e *env) ticket(id string) (api.TicketCaseView, string) {
	e.t.Helper()
	r := e.mustStatus(http.StatusOK, "GET", "/v1/compliance/tickets/"+id, e.compliance, nil)
	return decode[api.TicketCaseView](e.t, r), r.raw
}

// publicReview is what anyone sees of a review.
func (e *env) publicReview(id string) (api.PublicReviewView, string) {
	e.t.Helper()
	r := e.mustStatus(http.StatusOK, "GET", "/v1/public/reviews/"+id, "", nil)
	return decode[api.PublicReviewView](e.t, r), r.raw
}

// openTickets are the tickets in the open queue.
func (e *env) openTickets() []api.TicketView {
	e.t.Helper()
	return decode[api.ListView[api.TicketView]](e.t, e.mustStatus(http.StatusOK, "GET", "/v1/compliance/tickets?status=open", e.compliance, nil)).Items
}

// stalled are the workflows compliance sees stalled.
func (e *env) stalled() []api.StallView {
	e.t.Helper()
	return decode[api.ListView[api.StallView]](e.t, e.mustStatus(http.StatusOK, "GET", "/v1/compliance/workflows/stalled", e.compliance, nil)).Items
}

func (e *env) decide(ticket, token string, body map[string]any) response {
	e.t.Helper()
	return e.call("POST", "/v1/compliance/tickets/"+ticket+"/decision", token, body)
}

func (e *env) submitReport() (reportID, ticketID string) {
	e.t.Helper()
	r := e.mustStatus(http.StatusAccepted, "POST", "/v1/reviews/rev-organic/reports", e.biz1, validReport())
	id := decode[api.ReportView](e.t, r).ID
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
	if got := decode[api.TicketView](t, c); got.Status != "in_progress" || deref(got.Assignee) != "agent-ada" {
		t.Fatalf("claim: status %q assignee %q, want in_progress held by agent-ada; body %s", got.Status, deref(got.Assignee), c.raw)
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
	rv, rvRaw := e.reportView(rep)
	if rv.Status != "closed" || deref(rv.Outcome) != "reinstated" {
		t.Errorf("report after reinstate: status %q outcome %q, want closed, reinstated", rv.Status, deref(rv.Outcome))
	}
	if pub, raw := e.publicReview("rev-organic"); pub.Visibility != "published" || pub.Review == nil || pub.Review.ID != "rev-organic" {
		t.Errorf("public view after reinstate = %s, want the review published", raw)
	}
	if biz := e.mailsTo(businessAddr); len(biz) != 1 || !strings.Contains(biz[0].Text, rep) {
		t.Errorf("business emails = %+v, want the reinstatement notice linking the report", biz)
	}
	if rm := e.mailsTo(reviewerAddr); len(rm) != 2 || !strings.Contains(rm[1].Subject+rm[1].Text, "Acme Coffee") || strings.Contains(rm[1].Text, "/r/") {
		t.Errorf("reviewer emails = %v, want the report's notice and the reinstatement (no statement of reasons, no link)", subjects(rm))
	}
	detail, raw := e.ticket(tkt)
	if detail.Status != "decided" {
		t.Errorf("ticket status = %q, want decided", detail.Status)
	}
	if a := detail.Audit; len(a.Ticket) < 3 || len(a.Report) < 2 || len(a.Review) < 3 {
		t.Errorf("audit entries: ticket %d, report %d, review %d, want at least 3, 2, 3; detail %s", len(a.Ticket), len(a.Report), len(a.Review), raw)
	}
	if strings.Contains(rvRaw, "agent-ada") {
		t.Errorf("the business sees the agent's identity: %s", rvRaw)
	}
	e.assertExecutionsCarryNoPersonalData()
}

func TestEvidenceRoundThenRemoval(t *testing.T) {
	e := newEnv(t)
	rep, tkt := e.submitReport()
	e.mustStatus(http.StatusOK, "POST", "/v1/compliance/tickets/"+tkt+"/claim", e.compliance, nil)
	ask := map[string]any{"outcome": "request_reviewer_action", "kind": "evidence", "note": "Need proof of the purchase.",
		"message": "Please send us your order number and the date of your purchase."}
	d := e.decide(tkt, e.compliance, ask)
	if d.status != 202 {
		t.Fatalf("request evidence: %d %s", d.status, d.raw)
	}
	if got := decode[api.TicketView](t, d); got.Status != "waiting_for_reviewer" || got.Rounds != 1 {
		t.Fatalf("ticket after the request: status %q, rounds %d, want waiting_for_reviewer, 1", got.Status, got.Rounds)
	}
	if r, _ := e.reportView(rep); r.Status != "awaiting_reviewer" {
		t.Errorf("report status while waiting = %q, want awaiting_reviewer", r.Status)
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
	detail, raw := e.ticket(tkt)
	if detail.Status != "open" || deref(detail.Marker) != "reviewer_responded" {
		t.Fatalf("ticket after the evidence: status %q marker %q, want open, reviewer_responded", detail.Status, deref(detail.Marker))
	}
	if len(detail.Answers) != 1 || detail.Answers[0].Text != "Order 4711 on 3 October, paid by card." {
		t.Fatalf("answers = %+v, want the reviewer's evidence; detail %s", detail.Answers, raw)
	}
	if p := e.postPage(link, url.Values{"reply": {"again"}}); p.status != 410 {
		t.Errorf("second submission of the evidence: %d", p.status)
	}
	e.mustStatus(http.StatusOK, "POST", "/v1/compliance/tickets/"+tkt+"/claim", e.compliance, nil)
	if d := e.decide(tkt, e.compliance, map[string]any{"outcome": "remove", "upheldReasons": []string{"offensive_or_harmful"}, "note": "The order number belongs to another customer."}); d.status != 202 {
		t.Fatalf("remove: %d %s", d.status, d.raw)
	}
	if r, _ := e.reportView(rep); r.Status != "closed" || deref(r.Outcome) != "removed" {
		t.Errorf("report: status %q outcome %q, want closed, removed", r.Status, deref(r.Outcome))
	}
	if pub, raw := e.publicReview("rev-organic"); pub.Visibility != "removed" || pub.Review != nil {
		t.Errorf("public view = %s, want removed without the review", raw)
	}
	if got := len(e.mailsTo(businessAddr)); got != 0 {
		t.Errorf("business emails after a removal = %d, want none", got)
	}
	mails = e.mailsTo(reviewerAddr)
	statement := mails[len(mails)-1]
	if len(mails) != 4 || !strings.Contains(statement.Text, "The order number belongs to another customer.") {
		t.Fatalf("reviewer's emails %q (want reported, the request, the copy of the evidence, the statement of reasons); statement of reasons = %q", subjects(mails), statement.Text)
	}
	if c := mails[2]; !strings.HasPrefix(c.Subject, "Vi har tagit emot din information") || !strings.Contains(c.Text, "> Order 4711 on 3 October, paid by card.") {
		t.Errorf("the reviewer's copy of the evidence: %q\n%s", c.Subject, c.Text)
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
	ar := e.mustStatus(http.StatusOK, "GET", "/v1/compliance/appeals/apl_"+strings.TrimPrefix(rep, "rpt_"), e.compliance, nil)
	apl := decode[api.AppealDetailView](t, ar)
	if apl.Status != "open" || apl.Appellant != "reviewer" || apl.Reason != appealText {
		t.Errorf("compliance's appeal: status %q appellant %q reason %q, want open, reviewer, the reviewer's text", apl.Status, apl.Appellant, apl.Reason)
	}
	if !slices.ContainsFunc(apl.Audit.Appeal, func(a api.AuditView) bool { return a.Action == "report.appealed" }) &&
		!slices.ContainsFunc(apl.Audit.Report, func(a api.AuditView) bool { return a.Action == "report.appealed" }) {
		t.Errorf("compliance's appeal has no report.appealed audit entry: %s", ar.raw)
	}
	if strings.Contains(ar.raw, "A second appeal.") {
		t.Errorf("the refused second appeal was recorded: %s", ar.raw)
	}
	if r, raw := e.reportView(rep); strings.Contains(raw, appealText) || r.Status != "closed" || deref(r.Outcome) != "removed" {
		t.Errorf("business's report after the appeal = %s, want it closed, removed, without the reviewer's words", raw)
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
	if d, _ := e.ticket(tkt); d.Status != "waiting_for_reviewer" {
		t.Fatalf("ticket status before 7 days = %q, want waiting_for_reviewer", d.Status)
	}
	e.s.Advance(time.Second)
	if d, _ := e.ticket(tkt); d.Status != "open" || deref(d.Marker) != "no_response" {
		t.Fatalf("ticket after 7 days: status %q marker %q, want open, no_response", d.Status, deref(d.Marker))
	}
	if q := e.openTickets(); len(q) != 1 || q[0].ID != tkt {
		t.Errorf("open queue = %+v, want the ticket alone", q)
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
	rv := decode[api.ReportView](e.t, r)
	if rv.Status != "awaiting_proof" {
		e.t.Fatalf("report status = %q, want awaiting_proof; body %s", rv.Status, r.raw)
	}
	return rv.ID
}

func TestNotGenuineWithoutProofIsRemovedOnDaySeven(t *testing.T) {
	e := newEnv(t)
	rep := e.notGenuine()
	mails := e.mailsTo(reviewerAddr)
	proof := mails[len(mails)-1]
	// The reviewer writes in Swedish: the request is in Swedish, and its link opens the proof page.
	if want := "Bekräfta din upplevelse hos Acme Coffee"; proof.Subject != want {
		t.Fatalf("proof request subject = %q, want %q", proof.Subject, want)
	}
	if !strings.Contains(proof.Text, "Om vi inte har fått något underlag till dess tas ditt omdöme bort.") {
		t.Errorf("proof request does not say the review goes without proof:\n%s", proof.Text)
	}
	if p := e.openPage(e.reviewerLink(proof)); p.status != 200 || !strings.Contains(p.body, "<form") {
		t.Errorf("proof request's link: %d, want the page with its form; body %s", p.status, p.body)
	}
	if q := e.openTickets(); len(q) != 0 {
		t.Errorf("a report awaiting proof is in the open queue: %+v", q)
	}
	e.s.Advance(7*24*time.Hour - time.Second)
	if r, _ := e.reportView(rep); r.Status != "awaiting_proof" {
		t.Fatalf("report status before day 7 = %q, want awaiting_proof", r.Status)
	}
	e.s.Advance(time.Second)
	if r, _ := e.reportView(rep); r.Status != "closed" || deref(r.Outcome) != "removed" || deref(r.Ground) != "no_proof_provided" {
		t.Fatalf("report after day 7: status %q outcome %q ground %q, want closed, removed, no_proof_provided", r.Status, deref(r.Outcome), deref(r.Ground))
	}
	if pub, raw := e.publicReview("rev-organic"); pub.Visibility != "removed" {
		t.Errorf("public view = %s, want removed", raw)
	}
	told := len(mails)
	mails = e.mailsTo(reviewerAddr)
	if len(mails) != told+1 {
		t.Fatalf("reviewer emails after day 7 = %v, want the statement of reasons added", subjects(mails))
	}
	statement := mails[told]
	if want := "Ditt omdöme om Acme Coffee har tagits bort"; statement.Subject != want {
		t.Errorf("statement of reasons subject = %q, want %q", statement.Subject, want)
	}
	for _, want := range []string{"Ingen äkta upplevelse", "Beslutet fattades automatiskt", "Överklaga beslutet:"} {
		if !strings.Contains(statement.Text, want) {
			t.Errorf("statement of reasons lacks %q:\n%s", want, statement.Text)
		}
	}
	if p := e.openPage(e.reviewerLink(statement)); p.status != 200 || !strings.Contains(p.body, "<form") {
		t.Errorf("statement's appeal link: %d, want the appeal page with its form; body %s", p.status, p.body)
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
	if r, _ := e.reportView(rep); r.Status != "in_queue" {
		t.Fatalf("report status after proof = %q, want in_queue", r.Status)
	}
	tkt := e.ticketOf(rep)
	d, raw := e.ticket(tkt)
	if deref(d.Marker) != "proof_received" {
		t.Errorf("ticket marker = %q, want proof_received", deref(d.Marker))
	}
	if len(d.Answers) != 1 || d.Answers[0].Text != "Receipt 99812 from 1 October." {
		t.Errorf("answers = %+v, want the reviewer's proof; detail %s", d.Answers, raw)
	}
	if len(d.FindReviewerRequests) != 1 {
		t.Errorf("Find Reviewer requests on the ticket = %d, want 1; detail %s", len(d.FindReviewerRequests), raw)
	}
	e.s.Advance(7 * 24 * time.Hour)
	if r, _ := e.reportView(rep); r.Status != "in_queue" {
		t.Errorf("report status after the proof window's end = %q, want in_queue (untouched)", r.Status)
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
	if r, raw := e.reportView(rep); deref(r.Outcome) != "reinstated" || r.Ground != nil {
		t.Errorf("report after the proof window = %s, want reinstated as the agent decided", raw)
	}
	if pub, raw := e.publicReview("rev-organic"); pub.Visibility != "published" {
		t.Errorf("public view = %s, want the review back online", raw)
	}
	// The copy of the proof waited with the workflow: it goes when the
	// window's end finds the proof, before the reinstatement.
	if m := e.mailsTo(reviewerAddr); len(m) != told+2 || !strings.HasPrefix(m[told].Subject, "Vi har tagit emot ditt underlag") || !strings.Contains(m[told+1].Subject, "publicerat igen") {
		t.Errorf("reviewer emails after the window = %v, want the copy of the proof and the reinstatement", subjects(m))
	}
	if n := len(e.stalled()); n != 0 {
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
	d, raw := e.ticket(tkt)
	versions := d.Review.Versions
	if len(versions) != 2 {
		t.Fatalf("versions = %d, want 2; detail %s", len(versions), raw)
	}
	if v := versions[1]; v.By != "reviewer" || !slices.Equal(v.Changed, []string{"stars", "text"}) || v.Stars != 2 || v.Text != "The beans were stale when they arrived." {
		t.Errorf("version 2 = %+v, want an edit by the reviewer changing stars (2) and text", v)
	}
	// Reinstated: the new version can be reported; once removed, nothing can.
	e.mustStatus(http.StatusOK, "POST", "/v1/compliance/tickets/"+tkt+"/claim", e.compliance, nil)
	e.decide(tkt, e.compliance, map[string]any{"outcome": "reinstate", "note": "The edit removed the defamation."})
	if r, _ := e.reportView(rep); deref(r.Outcome) != "reinstated" {
		t.Fatalf("report outcome = %q, want reinstated", deref(r.Outcome))
	}
	edited := map[string]any{"items": []any{map[string]any{"scope": "review", "reason": "spam", "details": "The same text was posted on three other shops."}},
		"publicStatement": "This text is copied from elsewhere."}
	second := decode[api.ReportView](t, e.mustStatus(http.StatusAccepted, "POST", "/v1/reviews/rev-organic/reports", e.biz1, edited))
	if second.ReviewVersion != 2 {
		t.Errorf("second report on version %d, want 2", second.ReviewVersion)
	}
	t2 := e.ticketOf(second.ID)
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
	if r, _ := e.reportView(rep); r.Status != "closed" {
		t.Errorf("report status = %q, want closed", r.Status)
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
	if r, _ := e.reportView(rep); deref(r.Outcome) != "reinstated" {
		t.Errorf("report outcome = %q, want reinstated", deref(r.Outcome))
	}
}
