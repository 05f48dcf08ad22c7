package api_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	sfntypes "github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/candorhq/candor/infra/local/stack"
	"github.com/candorhq/candor/shared/api"
	"github.com/candorhq/candor/shared/dsa"
	"github.com/candorhq/candor/shared/dsa/dsaschema"
	"github.com/candorhq/candor/shared/moderation"
)

const day = 24 * time.Hour

// removeAsAda claims the ticket as agent-ada and removes the review, upholding reasons.
func (e *env) removeAsAda(tkt string, reasons ...string) {
	e.t.Helper()
	e.mustStatus(http.StatusOK, "POST", "/v1/compliance/tickets/"+tkt+"/claim", e.compliance, nil)
	e.mustStatus(http.StatusAccepted, "POST", "/v1/compliance/tickets/"+tkt+"/decision", e.compliance,
		map[string]any{"outcome": "remove", "upheldReasons": reasons, "note": "The text calls the owner a crook without any facts."})
}

// reinstateAsAda claims the ticket as agent-ada and reinstates the review.
func (e *env) reinstateAsAda(tkt string) {
	e.t.Helper()
	e.mustStatus(http.StatusOK, "POST", "/v1/compliance/tickets/"+tkt+"/claim", e.compliance, nil)
	e.mustStatus(http.StatusAccepted, "POST", "/v1/compliance/tickets/"+tkt+"/decision", e.compliance,
		map[string]any{"outcome": "reinstate", "note": "An opinion about the service, not defamation."})
}

// appealOf returns the one appeal in the queue with status, failing otherwise.
func (e *env) appealOf(reportID, status string) api.AppealView {
	e.t.Helper()
	q := e.mustStatus(http.StatusOK, "GET", "/v1/compliance/appeals?status="+status, e.compliance, nil)
	for _, a := range decode[api.ListView[api.AppealView]](e.t, q).Items {
		if a.ReportID == reportID {
			return a
		}
	}
	e.t.Fatalf("no %s appeal of %s in the queue: %s", status, reportID, q.raw)
	return api.AppealView{}
}

// visibility is rev-organic's public visibility.
func visibility(e *env) string {
	e.t.Helper()
	pub, _ := e.publicReview("rev-organic")
	return pub.Visibility
}

// TestAppealOfARemovalReversedByASecondAgent: removal → the reviewer
// appeals on day 30 → the first agent may not touch it → a second agent
// reverses → the review is public again and both parties are emailed.
func TestAppealOfARemovalReversedByASecondAgent(t *testing.T) {
	e := newEnv(t)
	rep, tkt := e.submitReport()
	e.removeAsAda(tkt, "offensive_or_harmful")
	r, _ := e.reportView(rep)
	if deref(r.Ground) != "guideline_violation" || !slices.Equal(r.UpheldReasons, []string{"offensive_or_harmful"}) || deref(r.AppealDeadline) != "2027-05-01T09:00:00Z" {
		t.Fatalf("report after the removal: ground %q, upheld %v, appeal deadline %q; want guideline_violation, [offensive_or_harmful], 2027-05-01T09:00:00Z",
			deref(r.Ground), r.UpheldReasons, deref(r.AppealDeadline))
	}
	mails := e.mailsTo(reviewerAddr)
	statement := mails[len(mails)-1]
	// The reviewer's locale is Swedish: the statement names the upheld
	// reason, not the other reported one, and the appeal deadline.
	if !strings.Contains(statement.Text, "Stötande eller skadligt") || strings.Contains(statement.Text, "Spam: skräppost") {
		t.Errorf("the statement of reasons does not name exactly the upheld reason:\n%s", statement.Text)
	}
	// 180 days from the email (2 November 2026, 09:00 UTC), as a Swedish date.
	if !strings.Contains(statement.Text, "1 maj 2027") {
		t.Errorf("the statement of reasons does not give the appeal deadline 1 May 2027:\n%s", statement.Text)
	}
	if got := len(e.mailsTo(businessAddr)); got != 0 {
		t.Errorf("the business got %d emails about a removal, want none (P8: the business is not emailed about a removal)", got)
	}
	if b := e.call("POST", "/v1/reports/"+rep+"/appeals", e.biz1, map[string]any{"reason": "We want this removal looked at again, please."}); b.status != 409 || b.errorCode() != "appeal_not_allowed" {
		t.Errorf("the business appealed a removal: %d %s", b.status, b.raw)
	}

	e.s.Advance(30 * day)
	link := e.reviewerLink(statement)
	if p := e.postPage(link, url.Values{"reply": {"I did buy the beans and they were stale; crook was a figure of speech."}}); p.status != 200 {
		t.Fatalf("appeal: %d %s", p.status, p.body)
	}
	if p := e.postPage(link, url.Values{"reply": {"And again."}}); p.status != 410 {
		t.Errorf("second appeal through the link: %d", p.status)
	}
	a := e.appealOf(rep, "open")
	id := a.ID
	if a.Appellant != "reviewer" || a.Contested != "removed" || deref(a.FirstAgent) != "agent-ada" {
		t.Errorf("appeal in the queue: appellant %q contested %q first agent %q, want reviewer, removed, agent-ada", a.Appellant, a.Contested, deref(a.FirstAgent))
	}
	if rv, raw := e.reportView(rep); rv.Appeal == nil || rv.Appeal.Status != "open" || strings.Contains(raw, "figure of speech") {
		t.Errorf("the business's view of the appealed report = %s, want its appeal open without the reviewer's words", raw)
	}
	bob := e.s.Token(agent2, "compliance", "", 365*day)
	if c := e.call("POST", "/v1/compliance/appeals/"+id+"/claim", e.compliance, nil); c.status != 409 || c.errorCode() != "appeal_conflict_of_interest" {
		t.Errorf("the first agent claimed the appeal: %d %s", c.status, c.raw)
	}
	e.mustStatus(http.StatusOK, "POST", "/v1/compliance/appeals/"+id+"/claim", bob, nil)
	if d := e.call("POST", "/v1/compliance/appeals/"+id+"/decision", e.compliance, map[string]any{"outcome": "uphold", "note": "I stand by my decision."}); d.status != 409 || d.errorCode() != "appeal_conflict_of_interest" {
		t.Errorf("the first agent decided the appeal: %d %s", d.status, d.raw)
	}
	dr := e.mustStatus(http.StatusOK, "GET", "/v1/compliance/appeals/"+id, bob, nil)
	detail := decode[api.AppealDetailView](t, dr)
	if fd := detail.FirstDecision; deref(fd.DecidedBy) != "agent-ada" || deref(fd.Note) != "The text calls the owner a crook without any facts." {
		t.Errorf("first decision: by %q note %q, want agent-ada's with its note", deref(fd.DecidedBy), deref(fd.Note))
	}
	if want := "I did buy the beans and they were stale; crook was a figure of speech."; detail.Reason != want {
		t.Errorf("appeal reason = %q, want %q", detail.Reason, want)
	}
	if len(detail.Review.Versions) != 1 || len(detail.Audit.Appeal) < 2 {
		t.Errorf("appeal detail: %d versions, %d appeal audit entries, want 1 and at least 2; %s", len(detail.Review.Versions), len(detail.Audit.Appeal), dr.raw)
	}
	if d := e.call("POST", "/v1/compliance/appeals/"+id+"/decision", bob, map[string]any{"outcome": "reverse", "note": "Hyperbole about a real visit.", "upheldReasons": []string{"spam"}}); !d.refusesField(422, "upheldReasons") {
		t.Errorf("reversing a removal with upheld reasons: %d %s", d.status, d.raw)
	}
	before := len(e.mailsTo(reviewerAddr))
	d := e.mustStatus(http.StatusAccepted, "POST", "/v1/compliance/appeals/"+id+"/decision", bob, map[string]any{"outcome": "reverse", "note": "Hyperbole about a real visit, not a factual claim."})
	if dec := decode[api.AppealView](t, d).Decision; dec == nil || dec.Result != "reinstated" || dec.DecidedBy != agent2 {
		t.Errorf("decision = %s, want reinstated by %s", d.raw, agent2)
	}
	if v := visibility(e); v != "published" {
		t.Errorf("review after the reversal is %q, want published", v)
	}
	rv, raw := e.reportView(rep)
	if deref(rv.Outcome) != "reinstated" || rv.Appeal == nil || deref(rv.Appeal.Outcome) != "reverse" || rv.Appeal.Appellant != "reviewer" {
		t.Errorf("report after the reversal = %s, want reinstated with the reviewer's appeal reversed", raw)
	}
	rm := e.mailsTo(reviewerAddr)
	if len(rm) != before+1 || !strings.Contains(rm[len(rm)-1].Text, "Acme Coffee") {
		t.Errorf("reviewer emails after the reversal: %d (before %d): %v", len(rm), before, subjects(rm))
	}
	if bm := e.mailsTo(businessAddr); len(bm) != 1 || !strings.Contains(bm[0].Text, rep) {
		t.Errorf("business emails after the reversal = %v, want the reinstatement linking the report", subjects(bm))
	}
	if x := e.execution(stack.InvestigationMachine, rep); x.Status != sfntypes.ExecutionStatusSucceeded {
		t.Errorf("the investigation is %s after the appeal's decision, want SUCCEEDED", x.Status)
	}
	if x := e.execution(stack.AppealMachine, id); x.Status != sfntypes.ExecutionStatusSucceeded {
		t.Errorf("the appeal's execution is %s after its decision's emails, want SUCCEEDED (the appeal's decision is final)", x.Status)
	}
	e.assertExecutionsCarryNoPersonalData()
}

// TestAppealOfAReinstatementUpheldByAnotherAgent: reinstatement → the
// business appeals → the first agent is refused → another agent upholds →
// both parties are emailed.
func TestAppealOfAReinstatementUpheldByAnotherAgent(t *testing.T) {
	e := newEnv(t)
	rep, tkt := e.submitReport()
	e.reinstateAsAda(tkt)
	if bm := e.mailsTo(businessAddr); len(bm) != 1 {
		t.Fatalf("business emails after the reinstatement = %v", subjects(bm))
	}
	rm := e.mailsTo(reviewerAddr)
	if len(rm) != 2 {
		t.Fatalf("reviewer emails after the reinstatement = %v, want the report's notice and the reinstatement", subjects(rm))
	}
	// The investigation ends with the outcome's emails: no execution stays
	// open through the appeal window.
	if x := e.execution(stack.InvestigationMachine, rep); x.Status != sfntypes.ExecutionStatusSucceeded {
		t.Fatalf("the investigation is %s right after the outcome's emails, want SUCCEEDED", x.Status)
	}
	reason := "The review accuses our owner of a crime; that is not an opinion."
	for _, tc := range []struct {
		name, token, path string
		body              any
		status            int
		code, field       string
	}{
		{"short reason", e.biz1, rep, map[string]any{"reason": "Wrong."}, 422, "validation_failed", "reason"},
		{"unknown field", e.biz1, rep, map[string]any{"reason": reason, "urgent": true}, 400, "", ""},
		{"another business", e.biz2, rep, map[string]any{"reason": reason}, 404, "not_found", ""},
		{"no such report", e.biz1, "rpt_00000000000000000000000000000000", map[string]any{"reason": reason}, 404, "not_found", ""},
	} {
		r := e.call("POST", "/v1/reports/"+tc.path+"/appeals", tc.token, tc.body)
		_, named := r.fields()[tc.field]
		if r.status != tc.status || tc.code != "" && r.errorCode() != tc.code || tc.field != "" && !named {
			t.Errorf("%s: %d %s, want %d %s naming %q", tc.name, r.status, r.raw, tc.status, tc.code, tc.field)
		}
	}
	if n := e.countType("appeal"); n != 0 {
		t.Fatalf("refused appeals stored %d appeals", n)
	}
	e.s.Advance(10 * day)
	f := decode[api.BusinessAppealView](t, e.mustStatus(http.StatusCreated, "POST", "/v1/reports/"+rep+"/appeals", e.biz1, map[string]any{"reason": reason}))
	if f.Status != "open" || f.Appellant != "business" || f.ReportID != rep || f.Reason != reason {
		t.Errorf("filed appeal = %+v, want the business's open appeal of %s with its reason", f, rep)
	}
	if again := e.call("POST", "/v1/reports/"+rep+"/appeals", e.biz1, map[string]any{"reason": reason + " Again."}); again.status != 409 || again.errorCode() != "appeal_exists" {
		t.Errorf("second appeal: %d %s", again.status, again.raw)
	}
	id := e.appealOf(rep, "open").ID
	if x := e.execution(stack.AppealMachine, id); x.Status != sfntypes.ExecutionStatusRunning {
		t.Errorf("the appeal's execution is %s once filed, want RUNNING (waiting for its decision)", x.Status)
	}
	if c := e.call("POST", "/v1/compliance/appeals/"+id+"/claim", e.compliance, nil); c.status != 409 || c.errorCode() != "appeal_conflict_of_interest" {
		t.Errorf("the first agent claimed the appeal: %d %s", c.status, c.raw)
	}
	bob := e.s.Token(agent2, "compliance", "", 365*day)
	e.mustStatus(http.StatusOK, "POST", "/v1/compliance/appeals/"+id+"/claim", bob, nil)
	e.mustStatus(http.StatusAccepted, "POST", "/v1/compliance/appeals/"+id+"/decision", bob, map[string]any{"outcome": "uphold", "note": "Calling someone a crook is an opinion here."})
	if v := visibility(e); v != "published" {
		t.Errorf("review after the upheld reinstatement is %q, want published", v)
	}
	bm := e.mailsTo(businessAddr)
	if len(bm) != 2 || !strings.Contains(bm[1].Text, "Calling someone a crook is an opinion here.") {
		t.Errorf("business emails = %v, want the appeal's outcome with the facts", subjects(bm))
	}
	rm = e.mailsTo(reviewerAddr)
	if len(rm) != 3 || strings.Contains(rm[2].Text, "Calling someone a crook") {
		t.Errorf("reviewer emails = %v, want the outcome of the business's appeal (without the agent's note to the business)", subjects(rm))
	}
	if x := e.execution(stack.AppealMachine, id); x.Status != sfntypes.ExecutionStatusSucceeded {
		t.Errorf("the appeal's execution is %s after its outcome's emails, want SUCCEEDED", x.Status)
	}
	e.assertExecutionsCarryNoPersonalData()
}

// TestAppealOfAReinstatementReversedRemovesTheReview: the removal decided
// on appeal names its upheld reasons, sends the reviewer a statement of
// reasons without a further internal appeal, and tells the business.
func TestAppealOfAReinstatementReversedRemovesTheReview(t *testing.T) {
	e := newEnv(t)
	rep, tkt := e.submitReport()
	e.reinstateAsAda(tkt)
	e.mustStatus(http.StatusCreated, "POST", "/v1/reports/"+rep+"/appeals", e.biz1, map[string]any{"reason": "The same text is posted on three other shops."})
	id := e.appealOf(rep, "open").ID
	bob := e.s.Token(agent2, "compliance", "", 365*day)
	e.mustStatus(http.StatusOK, "POST", "/v1/compliance/appeals/"+id+"/claim", bob, nil)
	if d := e.call("POST", "/v1/compliance/appeals/"+id+"/decision", bob, map[string]any{"outcome": "reverse", "note": "Copied text."}); !d.refusesField(422, "upheldReasons") {
		t.Errorf("reversing a reinstatement without upheld reasons: %d %s", d.status, d.raw)
	}
	e.mustStatus(http.StatusAccepted, "POST", "/v1/compliance/appeals/"+id+"/decision", bob,
		map[string]any{"outcome": "reverse", "note": "The text is copied from three other shops.", "upheldReasons": []string{"spam"}})
	if v := visibility(e); v != "removed" {
		t.Errorf("review after the reversal is %q, want removed", v)
	}
	if r, _ := e.reportView(rep); deref(r.Outcome) != "removed" || deref(r.Ground) != "guideline_violation" || !slices.Equal(r.UpheldReasons, []string{"spam"}) {
		t.Errorf("report after the reversal: outcome %q ground %q upheld %v, want removed, guideline_violation, [spam]", deref(r.Outcome), deref(r.Ground), r.UpheldReasons)
	}
	rm := e.mailsTo(reviewerAddr)
	last := rm[len(rm)-1]
	if !strings.Contains(last.Text, "Spam: skräppost") || strings.Contains(last.Text, "/r/") {
		t.Errorf("statement of reasons on appeal (upheld reason, no appeal link):\n%s", last.Text)
	}
	if bm := e.mailsTo(businessAddr); len(bm) != 2 {
		t.Errorf("business emails = %v, want the reinstatement and its appeal's outcome", subjects(bm))
	}
	st := e.mustStatus(http.StatusOK, "GET", "/v1/compliance/statements", e.compliance, nil)
	items := e.statements(st)
	if len(items) != 1 || !strings.HasSuffix(items[0].PUID, "-1") || items[0].AutomatedDecision != "AUTOMATED_DECISION_NOT_AUTOMATED" {
		t.Errorf("statements = %s, want the removal decided on appeal (puid ending -1, not automated)", st.raw)
	}
}

// statements decodes a statements page, each item validated against the
// Transparency Database schema of the repository.
func (e *env) statements(r response) []dsa.TDBStatement {
	e.t.Helper()
	var page struct {
		Items []json.RawMessage `json:"items"`
	}
	if err := json.Unmarshal([]byte(r.raw), &page); err != nil {
		e.t.Fatal(err)
	}
	var out []dsa.TDBStatement
	for _, raw := range page.Items {
		if err := dsaschema.ValidateJSON(raw); err != nil {
			e.t.Errorf("statement %s does not match the Transparency Database schema: %v", raw, err)
		}
		for _, secret := range append(reviewerSecrets, "crook", "Stale beans") {
			if strings.Contains(string(raw), secret) {
				e.t.Errorf("statement %s carries %q", raw, secret)
			}
		}
		var st dsa.TDBStatement
		if err := json.Unmarshal(raw, &st); err != nil {
			e.t.Fatalf("statement %s: %v", raw, err)
		}
		out = append(out, st)
	}
	return out
}

// TestStatementsOfReasons: every removal — an agent's, the automated
// no-proof one — is a statement in the Transparency Database shape, listed
// since a time, for compliance only.
func TestStatementsOfReasons(t *testing.T) {
	e := newEnv(t)
	_, tkt := e.submitReport()
	e.removeAsAda(tkt, "offensive_or_harmful", "spam")
	e.s.Advance(2 * day)
	between := e.s.Clock.Now().Format(time.RFC3339)
	e.mustStatus(http.StatusAccepted, "POST", "/v1/reviews/rev-other/reviewer-requests", e.biz1, map[string]any{"message": askMessage})
	e.s.Advance(5 * day)
	e.mustStatus(http.StatusAccepted, "POST", "/v1/reviews/rev-other/reports", e.biz1, map[string]any{
		"items":           []any{map[string]any{"scope": "reviewer", "reason": "no_genuine_experience", "details": "We have no order from anyone by this name or address."}},
		"publicStatement": "We could not find this customer in our records.",
	})
	e.s.Advance(7 * day)
	all := e.statements(e.mustStatus(http.StatusOK, "GET", "/v1/compliance/statements", e.compliance, nil))
	if len(all) != 2 {
		t.Fatalf("statements = %+v, want the agent's removal and the no-proof removal", all)
	}
	agent, auto := all[0], all[1]
	if agent.AutomatedDecision != "AUTOMATED_DECISION_NOT_AUTOMATED" || agent.ApplicationDate != "2026-11-02" || agent.ContentDate != "2026-11-02" {
		t.Errorf("the agent's removal: automated %q, application %q, content %q; want AUTOMATED_DECISION_NOT_AUTOMATED, 2026-11-02, 2026-11-02",
			agent.AutomatedDecision, agent.ApplicationDate, agent.ContentDate)
	}
	if auto.AutomatedDecision != "AUTOMATED_DECISION_FULLY" || auto.Category != "STATEMENT_CATEGORY_CONSUMER_INFORMATION" ||
		!slices.Contains(auto.CategorySpecification, "KEYWORD_INAUTHENTIC_USER_REVIEWS") {
		t.Errorf("the no-proof removal: automated %q, category %q, specification %v; want AUTOMATED_DECISION_FULLY, STATEMENT_CATEGORY_CONSUMER_INFORMATION, KEYWORD_INAUTHENTIC_USER_REVIEWS",
			auto.AutomatedDecision, auto.Category, auto.CategorySpecification)
	}
	since := e.statements(e.mustStatus(http.StatusOK, "GET", "/v1/compliance/statements?since="+url.QueryEscape(between), e.compliance, nil))
	if len(since) != 1 || since[0].PUID != auto.PUID {
		t.Errorf("statements since %s = %+v, want the no-proof removal (%s) only", between, since, auto.PUID)
	}
	if r := e.call("GET", "/v1/compliance/statements?since=yesterday", e.compliance, nil); !r.refusesField(422, "since") {
		t.Errorf("bad since: %d %s", r.status, r.raw)
	}
	if r := e.call("GET", "/v1/compliance/statements", e.biz1, nil); r.status != 403 {
		t.Errorf("a business read the statements: %d", r.status)
	}
}

// TestAppealWindowEnds: the investigation ends with the outcome's emails;
// the appeal window is the deadline stored on the report, so on day 179 the
// business still may appeal, an appeal on day 181 is 410 and changes
// nothing, no execution waited through the window, and the report's
// timeline shows the window's end at the deadline.
func TestAppealWindowEnds(t *testing.T) {
	e := newEnv(t)
	rep, tkt := e.submitReport()
	e.reinstateAsAda(tkt)
	if x := e.execution(stack.InvestigationMachine, rep); x.Status != sfntypes.ExecutionStatusSucceeded {
		t.Fatalf("the investigation is %s right after the outcome's emails, want SUCCEEDED", x.Status)
	}
	// The business's email says until when it may appeal: 180 days from it.
	if m := e.mailsTo(businessAddr); len(m) != 1 || !strings.Contains(m[0].Text, "until 1 May 2027, 10:00 BST (09:00 UTC)") ||
		e.reportAppealDeadline(rep) != "2027-05-01T09:00:00Z" {
		t.Errorf("business emails after the reinstatement = %v, want the appeal deadline 1 May 2027 in the text and on the report", subjects(m))
	}
	e.s.Advance(179 * day)
	if tl := e.report(rep).raw; strings.Contains(tl, "report.appeal_window_closed") {
		t.Errorf("the timeline shows the window's end on day 179: %s", tl)
	}
	e.s.Advance(2 * day)
	before := e.snapshot()
	if r := e.call("POST", "/v1/reports/"+rep+"/appeals", e.biz1, map[string]any{"reason": "We only now saw that the review is back."}); r.status != 410 || r.errorCode() != "appeal_window_closed" {
		t.Errorf("appeal on day 181: %d %s", r.status, r.raw)
	}
	if after := e.snapshot(); after != before {
		t.Errorf("a refused appeal changed the table")
	}
	for _, x := range e.executions() {
		if strings.HasPrefix(x.name, "apl_") {
			t.Errorf("a refused appeal started execution %s", x.name)
		}
	}
	rv, raw := e.reportView(rep)
	var closedAt []string
	for _, en := range rv.Timeline {
		if en.Action == "report.appeal_window_closed" {
			closedAt = append(closedAt, en.At)
		}
	}
	if !slices.Equal(closedAt, []string{"2027-05-01T09:00:00Z"}) {
		t.Errorf("the window's end in the report's timeline at %v, want once at the deadline 2027-05-01T09:00:00Z; report %s", closedAt, raw)
	}
}

// reportAppealDeadline is the report's appealDeadline as its business reads it ("" when not set).
func (e *env) reportAppealDeadline(id string) string {
	e.t.Helper()
	r, _ := e.reportView(id)
	return deref(r.AppealDeadline)
}

// TestReversingAReinstatementWaitsForAnOpenReport: the review was edited
// and reported again after its reinstatement; the business's appeal of the
// reinstatement cannot remove it while that report is open.
func TestReversingAReinstatementWaitsForAnOpenReport(t *testing.T) {
	e := newEnv(t)
	rep, tkt := e.submitReport()
	e.reinstateAsAda(tkt)
	e.mustStatus(http.StatusCreated, "POST", "/v1/reports/"+rep+"/appeals", e.biz1, map[string]any{"reason": "The same text is posted on three other shops."})
	e.putReview("rev-organic", "biz-1", "organic", 2)
	e.mustStatus(http.StatusAccepted, "POST", "/v1/reviews/rev-organic/reports", e.biz1, map[string]any{
		"items": []any{map[string]any{"scope": "review", "reason": "spam", "details": "The edited text is copied from elsewhere too."}}, "publicStatement": "Copied text."})
	id := "apl_" + strings.TrimPrefix(rep, "rpt_")
	bob := e.s.Token(agent2, "compliance", "", time.Hour)
	e.mustStatus(http.StatusOK, "POST", "/v1/compliance/appeals/"+id+"/claim", bob, nil)
	before := e.snapshot()
	r := e.call("POST", "/v1/compliance/appeals/"+id+"/decision", bob, map[string]any{"outcome": "reverse", "note": "Copied text.", "upheldReasons": []string{"spam"}})
	if r.status != 409 || r.errorCode() != "review_has_open_report" {
		t.Errorf("reversal with another report open: %d %s", r.status, r.raw)
	}
	if e.snapshot() != before {
		t.Error("the refused reversal changed the table")
	}
}

// TestAppealWhoseStartFailedIsStartedBySweeper: Step Functions refuses the
// appeal's StartExecution; the appeal is filed anyway (201) with its start
// recorded, the sweeper starts its workflow, and the decision's emails go out.
func TestAppealWhoseStartFailedIsStartedBySweeper(t *testing.T) {
	fail := &startFailures{}
	e := newEnv(t, func(c *stack.Config) { c.FunctionOptions = append(c.FunctionOptions, fail.middleware) })
	rep, tkt := e.submitReport()
	e.reinstateAsAda(tkt)
	fail.mu.Lock()
	fail.n = 1
	fail.mu.Unlock()
	e.mustStatus(http.StatusCreated, "POST", "/v1/reports/"+rep+"/appeals", e.biz1, map[string]any{"reason": "The review accuses our owner of a crime; that is not an opinion."})
	id := "apl_" + strings.TrimPrefix(rep, "rpt_")
	for _, x := range e.executions() {
		if x.name == id {
			t.Fatalf("the appeal's execution exists although its start was refused")
		}
	}
	if n := e.countType("workflowStart"); n != 1 {
		t.Fatalf("recorded workflow starts after the refused start = %d, want the appeal's", n)
	}
	e.s.Advance(2 * time.Minute)
	if x := e.execution(stack.AppealMachine, id); x.Status != sfntypes.ExecutionStatusRunning {
		t.Fatalf("the appeal's execution after the sweeper is %s, want RUNNING", x.Status)
	}
	if n := e.countType("workflowStart"); n != 0 {
		t.Errorf("recorded workflow starts once the appeal's execution runs = %d, want none (its first task clears it)", n)
	}
	appealDecision(e, rep, map[string]any{"outcome": "uphold", "note": "Calling someone a crook is an opinion here."})
	if bm := e.mailsTo(businessAddr); len(bm) != 2 || !strings.Contains(bm[1].Text, "Calling someone a crook is an opinion here.") {
		t.Errorf("business emails = %v, want the reinstatement and the appeal's outcome", subjects(bm))
	}
	if x := e.execution(stack.AppealMachine, id); x.Status != sfntypes.ExecutionStatusSucceeded {
		t.Errorf("the appeal's execution is %s after its outcome's emails, want SUCCEEDED", x.Status)
	}
}

// TestAppealWaitingPastTheDecisionReminderStaysQueued: an appeal nobody
// decides for longer than the decision reminder is logged as overdue by its
// workflow and waits again, still open in the queue; a decision made after
// that is carried out and ends the execution.
func TestAppealWaitingPastTheDecisionReminderStaysQueued(t *testing.T) {
	e := newEnv(t)
	rep, tkt := e.submitReport()
	e.reinstateAsAda(tkt)
	e.mustStatus(http.StatusCreated, "POST", "/v1/reports/"+rep+"/appeals", e.biz1,
		map[string]any{"reason": "The review accuses our owner of a crime; that is not an opinion."})
	id := e.appealOf(rep, "open").ID
	e.s.Advance(moderation.DefaultPolicy.DecisionReminder + day)
	if x := e.execution(stack.AppealMachine, id); x.Status != sfntypes.ExecutionStatusRunning {
		t.Fatalf("the appeal's execution past the decision reminder is %s, want RUNNING (waiting again)", x.Status)
	}
	var overdue, queued int
	for _, x := range e.executions() {
		if x.name != id {
			continue
		}
		for _, ev := range x.events {
			if d := ev.StateEnteredEventDetails; d != nil {
				switch aws.ToString(d.Name) {
				case "AppealOverdue":
					overdue++
				case "AppealQueue":
					queued++
				}
			}
		}
	}
	if overdue != 1 || queued != 2 {
		t.Errorf("the appeal's workflow entered AppealOverdue %d and AppealQueue %d times, want 1 and 2 (overdue once, then waiting again)", overdue, queued)
	}
	if a := e.appealOf(rep, "open"); a.ID != id {
		t.Errorf("the overdue appeal is no longer open in the queue")
	}
	bob := e.s.Token(agent2, "compliance", "", time.Hour)
	e.mustStatus(http.StatusOK, "POST", "/v1/compliance/appeals/"+id+"/claim", bob, nil)
	e.mustStatus(http.StatusAccepted, "POST", "/v1/compliance/appeals/"+id+"/decision", bob, map[string]any{"outcome": "uphold", "note": "Calling someone a crook is an opinion here."})
	if x := e.execution(stack.AppealMachine, id); x.Status != sfntypes.ExecutionStatusSucceeded {
		t.Errorf("the appeal's execution after the late decision is %s, want SUCCEEDED", x.Status)
	}
	if bm := e.mailsTo(businessAddr); len(bm) != 2 {
		t.Errorf("business emails = %v, want the reinstatement and the appeal's outcome", subjects(bm))
	}
}
