package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	sfntypes "github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/candorhq/candor/infra/local/edge"
	"github.com/candorhq/candor/infra/local/ses"
	"github.com/candorhq/candor/shared/api"
)

// TestChaos runs a few hundred whole lifecycles — reports with every
// outcome, Find Reviewer with reply, expiry and the manual reminder,
// not-genuine reports with and without proof, appeals — while every AWS call
// of every function may be throttled, fail with a 5xx, lose its answer after
// it was carried out (DynamoDB, Step Functions and SES: the email went out),
// or have its connection reset. Clients behave as clients
// should: a 5xx or 429 is sent again with the same Idempotency-Key. Then
// the faults stop, the clock moves to the end, and the invariants must hold:
// every object in a state of docs/product.md with the outcome its people chose,
// every review's visibility following its outcome, every email of docs/product.md
// sent exactly once, nothing stalled, nothing running, no execution FAILED.
//
// CANDOR_CHAOS_LIFECYCLES (default 200; 40 with -short) and CANDOR_CHAOS_SEED
// (default: a fresh one, printed) choose the run.
func TestChaos(t *testing.T) {
	n := 200
	if testing.Short() {
		n = 40
	}
	if v, err := strconv.Atoi(os.Getenv("CANDOR_CHAOS_LIFECYCLES")); err == nil && v > 0 {
		n = v
	}
	seed := uint64(time.Now().UnixNano())
	if v, err := strconv.ParseUint(os.Getenv("CANDOR_CHAOS_SEED"), 10, 64); err == nil {
		seed = v
	}
	t.Logf("chaos: %d lifecycles, seed %d (CANDOR_CHAOS_SEED=%d reproduces the faults)", n, seed, seed)
	e := newEnv(t)
	c := &chaos{env: e, rng: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)), tickets: map[string]string{}}
	for i := range n {
		c.lifecycles = append(c.lifecycles, c.newLifecycle(i, chaosKinds[i%len(chaosKinds)]))
	}

	rules := []edge.FaultRule{
		{Service: edge.ServiceDynamoDB, Operation: "*", Error: "ProvisionedThroughputExceededException", Probability: 0.06},
		{Service: edge.ServiceDynamoDB, Operation: "*", Error: "InternalServerError", Probability: 0.02},
		{Service: edge.ServiceDynamoDB, Operation: "*", Error: edge.FaultTimeout, Probability: 0.02},
		{Service: edge.ServiceDynamoDB, Operation: "*", Error: edge.FaultReset, Probability: 0.02},
		{Service: edge.ServiceStepFunctions, Operation: "*", Error: "ThrottlingException", Probability: 0.06},
		{Service: edge.ServiceStepFunctions, Operation: "*", Error: edge.FaultTimeout, Probability: 0.02},
		{Service: edge.ServiceStepFunctions, Operation: "*", Error: edge.FaultReset, Probability: 0.02},
		// SES sends an email when it accepts the call, and the answer may be
		// lost after that (the timeout): the email must still go out once.
		// A call dropped after the request was written looks the same to
		// the sender, who counts it as sent (at most once, docs/decisions.md),
		// so SES's network faults here are lost answers only.
		{Service: edge.ServiceSES, Operation: "*", Error: "Throttling", Probability: 0.08},
		{Service: edge.ServiceSES, Operation: "*", Error: "ServiceUnavailable", Probability: 0.03},
		{Service: edge.ServiceSES, Operation: "*", Error: edge.FaultTimeout, Probability: 0.04},
	}
	for i, r := range rules {
		s := seed + uint64(i)
		r.Seed = &s
		if _, err := e.s.Faults.Add(r); err != nil {
			t.Fatalf("fault rule %d: %v", i, err)
		}
	}
	for day := 0; day <= chaosDays; day++ {
		for _, lc := range c.lifecycles {
			lc.act(c, day)
		}
		e.s.Advance(24 * time.Hour)
		// The sweeper runs every minute in AWS, 1,440 times a day; Advance
		// runs it twice, and under these faults both runs can fail, which
		// would hold a lost wake-up a whole day. A few more runs of the day
		// stand for the rest, as the schedule would.
		for range chaosExtraSweeps {
			e.s.Sweep(context.Background())
		}
	}
	faults := e.s.Faults.Clear()
	e.s.Advance(200 * 24 * time.Hour) // past every appeal window: every execution ends
	e.s.Settle()

	violations := c.check()
	emails := len(e.s.Outbox.Messages())
	execs := e.executionStatuses()
	t.Logf("chaos: %d lifecycles, %d API and page requests (%d sent again after a 5xx), %d faults injected, %d emails, %d executions, %d invariant violations",
		n, c.requests, c.retries, faults.Injected, emails, len(execs), len(violations))
	for _, f := range faults.Rules {
		t.Logf("chaos:   %s %s %s: %d", f.Service, f.Operation, f.Error, f.Fired)
	}
	for _, v := range violations {
		t.Error(v)
	}
	if faults.Injected == 0 {
		t.Error("no fault was injected: the run proves nothing")
	}
}

const chaosDays = 16

// The lifecycles, each with what its people do on which day and what must
// be true at the end.
var chaosKinds = []string{
	"reinstate", "remove", "evidence-then-remove", "edit-unanswered-then-reinstate",
	"fr-reply", "fr-expire", "fr-remind-then-reply", "ngx-no-proof", "ngx-proof-then-reinstate", "remove-then-appeal",
	"reinstate-then-business-appeal",
}

// chaosExtraSweeps is how many more sweeps each simulated day gets beside
// the two of Advance.
const chaosExtraSweeps = 6

type chaos struct {
	env        *env
	rng        *rand.Rand
	lifecycles []*lifecycle
	tickets    map[string]string // report id → ticket id
	requests   int
	retries    int
}

type lifecycle struct {
	i                        int
	kind                     string
	biz, token, review, addr string // the business, its token, the review, the reviewer's address
	bizAddr                  string
	report, request          string
	lost                     []string // what a person did that the system did not take
}

func (c *chaos) newLifecycle(i int, kind string) *lifecycle {
	e := c.env
	lc := &lifecycle{i: i, kind: kind, biz: fmt.Sprintf("chaos-b%03d", i), review: fmt.Sprintf("chaos-r%03d", i),
		addr: fmt.Sprintf("chaos.reviewer.%03d@example.org", i), bizAddr: fmt.Sprintf("ops@chaos-b%03d.example", i)}
	e.mustStatus(http.StatusCreated, "PUT", "/v1/platform/businesses/"+lc.biz, e.platform, map[string]any{"name": "Chaos " + strconv.Itoa(i), "notificationEmail": lc.bizAddr, "locale": "en"})
	body := reviewBody(lc.biz, "organic", 1)
	body["reviewer"] = map[string]any{"email": lc.addr, "name": "Chaos Reviewer", "locale": "en"}
	e.mustStatus(http.StatusCreated, "PUT", "/v1/platform/reviews/"+lc.review, e.platform, body)
	lc.token = e.s.Token("owner@"+lc.biz, "business", lc.biz, 365*24*time.Hour)
	return lc
}

// send makes a request as a careful client does: a 5xx, a 429 or a lost
// connection is sent again, with the same Idempotency-Key for a POST.
func (c *chaos) send(method, path, token string, body any) response {
	key := fmt.Sprintf("chaos-%d", c.rng.Uint64())
	for attempt := 0; ; attempt++ {
		c.requests++
		var r response
		if method == "POST" {
			r = c.env.call(method, path, token, body, "Idempotency-Key", key)
		} else {
			r = c.env.call(method, path, token, body)
		}
		if (r.status < 500 && r.status != http.StatusTooManyRequests) || attempt == 11 {
			return r
		}
		c.retries++
	}
}

// post is send for a request that must be accepted (2xx).
func (c *chaos) post(lc *lifecycle, what, path, token string, body any) response {
	r := c.send("POST", path, token, body)
	if r.status/100 != 2 {
		lc.lost = append(lc.lost, fmt.Sprintf("%s: %d %s", what, r.status, r.raw))
	}
	return r
}

// answer submits a reviewer's form through the latest link of their emails
// that opens one, sending it again after a 5xx; "already received" after a
// failed attempt is the answer taken.
func (c *chaos) answer(lc *lifecycle, what string, form url.Values) {
	mails := c.env.mailsTo(lc.addr)
	var link string
	for i := len(mails) - 1; i >= 0 && link == ""; i-- {
		for _, l := range mails[i].Links {
			if reviewerLinkRE.MatchString(l) {
				link = l
				break
			}
		}
	}
	if link == "" {
		lc.lost = append(lc.lost, what+": no link in the reviewer's emails")
		return
	}
	for attempt := 0; attempt < 12; attempt++ {
		c.requests++
		p := c.env.postPage(link, form)
		switch {
		case p.status == http.StatusOK, p.status == http.StatusGone && attempt > 0:
			return
		case p.status < 500:
			lc.lost = append(lc.lost, fmt.Sprintf("%s: page answered %d", what, p.status))
			return
		}
		c.retries++
	}
	lc.lost = append(lc.lost, what+": the page failed 12 times")
}

// ticketOf finds a report's ticket in the compliance queue.
func (c *chaos) ticketOf(lc *lifecycle) string {
	if t, ok := c.tickets[lc.report]; ok {
		return t
	}
	cursor := ""
	for {
		path := "/v1/compliance/tickets?limit=100"
		if cursor != "" {
			path += "&cursor=" + url.QueryEscape(cursor)
		}
		page := parse[api.ListView[api.TicketView]](c.send("GET", path, c.env.compliance, nil))
		for _, tk := range page.Items {
			if tk.ReportID != nil {
				c.tickets[*tk.ReportID] = tk.ID
			}
		}
		if page.NextCursor == nil || len(page.Items) == 0 {
			break
		}
		cursor = *page.NextCursor
	}
	return c.tickets[lc.report]
}

func (c *chaos) decide(lc *lifecycle, body map[string]any) {
	tkt := c.ticketOf(lc)
	if tkt == "" {
		lc.lost = append(lc.lost, "no ticket for report "+lc.report)
		return
	}
	c.post(lc, "claim", "/v1/compliance/tickets/"+tkt+"/claim", c.env.compliance, nil)
	c.post(lc, "decision "+fmt.Sprint(body["outcome"]), "/v1/compliance/tickets/"+tkt+"/decision", c.env.compliance, body)
}

// decideAppeal has a second agent (not the first decision's) claim and
// decide the appeal of the lifecycle's report.
func (c *chaos) decideAppeal(lc *lifecycle, body map[string]any) {
	id := "apl_" + strings.TrimPrefix(lc.report, "rpt_")
	bob := c.env.s.Token(agent2, "compliance", "", 365*24*time.Hour)
	c.post(lc, "claim appeal", "/v1/compliance/appeals/"+id+"/claim", bob, nil)
	c.post(lc, "appeal decision "+fmt.Sprint(body["outcome"]), "/v1/compliance/appeals/"+id+"/decision", bob, body)
}

func (c *chaos) submitReport(lc *lifecycle, body map[string]any) {
	r := c.post(lc, "report", "/v1/reviews/"+lc.review+"/reports", lc.token, body)
	lc.report = parse[api.ReportView](r).ID
}

func (c *chaos) ask(lc *lifecycle) {
	r := c.post(lc, "find reviewer", "/v1/reviews/"+lc.review+"/reviewer-requests", lc.token, map[string]any{"message": askMessage})
	lc.request = parse[api.RequestView](r).ID
}

func chaosNGXReport() map[string]any {
	return map[string]any{
		"items":           []any{map[string]any{"scope": "reviewer", "reason": "no_genuine_experience", "details": "We have no order from anyone by this name or address."}},
		"publicStatement": "We could not find this customer in our records.",
	}
}

// act does what the lifecycle's people do on day.
func (lc *lifecycle) act(c *chaos, day int) {
	evidence := map[string]any{"outcome": "request_reviewer_action", "kind": "evidence", "note": "Need the order number.", "message": "Please send us your order number for this purchase."}
	edit := map[string]any{"outcome": "request_reviewer_action", "kind": "edit", "note": "Ask for an edit.", "message": "Please remove the word crook from your review."}
	reinstate := map[string]any{"outcome": "reinstate", "note": "Opinion, not defamation."}
	remove := map[string]any{"outcome": "remove", "upheldReasons": []string{"offensive_or_harmful"}, "note": "The accusation is defamatory."}
	switch lc.kind + "@" + strconv.Itoa(day) {
	case "reinstate@0", "remove@0", "evidence-then-remove@0", "edit-unanswered-then-reinstate@0", "remove-then-appeal@0":
		c.submitReport(lc, validReport())
	case "reinstate@1":
		c.decide(lc, reinstate)
	case "remove@1", "remove-then-appeal@1":
		c.decide(lc, remove)
	case "evidence-then-remove@1":
		c.decide(lc, evidence)
	case "evidence-then-remove@2":
		c.answer(lc, "evidence", url.Values{"reply": {"Order 4711, bought in October."}})
	case "evidence-then-remove@3":
		c.decide(lc, remove)
	case "edit-unanswered-then-reinstate@1":
		c.decide(lc, edit)
	case "edit-unanswered-then-reinstate@9": // the window closed on day 8: back in the queue
		c.decide(lc, reinstate)
	case "remove-then-appeal@3":
		c.answer(lc, "appeal", url.Values{"reply": {"I really bought the beans; here is why the removal is wrong."}})
	case "remove-then-appeal@5":
		c.decideAppeal(lc, map[string]any{"outcome": "reverse", "note": "Hyperbole about a real visit."})
	case "reinstate-then-business-appeal@0":
		c.submitReport(lc, validReport())
	case "reinstate-then-business-appeal@1":
		c.decide(lc, reinstate)
	case "reinstate-then-business-appeal@2":
		c.post(lc, "business appeal", "/v1/reports/"+lc.report+"/appeals", lc.token, map[string]any{"reason": "The review accuses our owner of a crime."})
	case "reinstate-then-business-appeal@4":
		c.decideAppeal(lc, map[string]any{"outcome": "uphold", "note": "An opinion about the service."})
	case "fr-reply@0", "fr-expire@0", "fr-remind-then-reply@0", "ngx-no-proof@0", "ngx-proof-then-reinstate@0":
		c.ask(lc)
	case "fr-reply@1", "ngx-proof-then-reinstate@1":
		c.answer(lc, "reply", url.Values{"reply": {"My order number is 4711."}})
	case "fr-remind-then-reply@6": // expired on day 5
		c.post(lc, "manual reminder", "/v1/reviewer-requests/"+lc.request+"/reminders", lc.token, nil)
	case "fr-remind-then-reply@7":
		c.answer(lc, "reply after the reminder", url.Values{"reply": {"Sorry for the delay: order 4711."}})
	case "ngx-no-proof@6": // the request expired on day 5
		c.submitReport(lc, chaosNGXReport())
	case "ngx-proof-then-reinstate@2":
		c.submitReport(lc, chaosNGXReport())
	case "ngx-proof-then-reinstate@3":
		c.answer(lc, "proof", url.Values{"reply": {"Receipt 4711 from the shop's till, 12 October."}})
	case "ngx-proof-then-reinstate@4":
		c.decide(lc, reinstate)
	}
}

// chaosWant is what must be true of a lifecycle at the end.
type chaosWant struct {
	outcome, visibility, request   string // "" when it has none
	reviewerEmails, businessEmails int
}

var chaosWants = map[string]chaosWant{
	// reviewer: the report's notice, the reinstatement; business: the reinstatement
	"reinstate": {"reinstated", "published", "", 2, 1},
	// reviewer: the notice and the statement of reasons; the business is not emailed (P8)
	"remove": {"removed", "removed", "", 2, 0},
	// reviewer: notice, evidence request, the copy of the evidence, statement of reasons
	"evidence-then-remove": {"removed", "removed", "", 4, 0},
	// reviewer: notice, edit request, reinstatement; business: the reinstatement
	"edit-unanswered-then-reinstate": {"reinstated", "published", "", 3, 1},
	// reviewer: the request, the copy of the reply; business: the reply
	"fr-reply": {"", "published", "replied", 2, 1},
	// reviewer: request, reminder; business: the window closed
	"fr-expire": {"", "published", "expired", 2, 1},
	// reviewer: request, reminder, manual reminder, the copy of the reply; business: expired, replied
	"fr-remind-then-reply": {"", "published", "replied", 4, 2},
	// reviewer: request, reminder, notice, proof request, statement of reasons; business: expired
	"ngx-no-proof": {"removed", "removed", "expired", 5, 1},
	// reviewer: request, the copy of the reply, notice, proof request, the copy of the proof,
	// reinstatement; business: replied, reinstated
	"ngx-proof-then-reinstate": {"reinstated", "published", "replied", 6, 2},
	// reviewer: notice, statement of reasons, the copy of the appeal, reinstated on appeal;
	// business: reinstated on appeal
	"remove-then-appeal": {"reinstated", "published", "", 4, 1},
	// reviewer: notice, reinstatement, the business's appeal rejected; business: reinstatement, appeal outcome
	"reinstate-then-business-appeal": {"reinstated", "published", "", 3, 2},
}

// check asserts the invariants and returns what is violated.
func (c *chaos) check() []string {
	e := c.env
	var v []string
	for _, lc := range c.lifecycles {
		want := chaosWants[lc.kind]
		who := fmt.Sprintf("lifecycle %d (%s)", lc.i, lc.kind)
		for _, l := range lc.lost {
			v = append(v, who+": a person's action was not taken: "+l)
		}
		if want.outcome != "" {
			r := parse[api.ReportView](e.call("GET", "/v1/reports/"+lc.report, lc.token, nil))
			if r.Status != "closed" || deref(r.Outcome) != want.outcome {
				v = append(v, fmt.Sprintf("%s: report %s is %q/%q, want closed/%s", who, lc.report, r.Status, deref(r.Outcome), want.outcome))
			}
		}
		if want.request != "" {
			r := parse[api.RequestView](e.call("GET", "/v1/reviewer-requests/"+lc.request, lc.token, nil))
			if r.Status != want.request {
				v = append(v, fmt.Sprintf("%s: request %s is %q, want %s", who, lc.request, r.Status, want.request))
			}
		}
		if got := parse[api.PublicReviewView](e.call("GET", "/v1/public/reviews/"+lc.review, "", nil)).Visibility; got != want.visibility {
			v = append(v, fmt.Sprintf("%s: review %s is %q, want %s", who, lc.review, got, want.visibility))
		}
		if got := len(e.mailsTo(lc.addr)); got != want.reviewerEmails {
			v = append(v, fmt.Sprintf("%s: the reviewer got %d emails %v, want %d", who, got, subjects(e.mailsTo(lc.addr)), want.reviewerEmails))
		}
		if got := len(e.mailsTo(lc.bizAddr)); got != want.businessEmails {
			v = append(v, fmt.Sprintf("%s: the business got %d emails %v, want %d", who, got, subjects(e.mailsTo(lc.bizAddr)), want.businessEmails))
		}
		if lc.kind == "remove-then-appeal" || lc.kind == "reinstate-then-business-appeal" {
			ap := e.call("GET", "/v1/compliance/appeals/apl_"+strings.TrimPrefix(lc.report, "rpt_"), e.compliance, nil)
			if parse[api.AppealDetailView](ap).Status != "decided" {
				v = append(v, who+": the appeal is not decided: "+ap.raw)
			}
		}
	}
	seen := map[string]bool{}
	for _, m := range e.s.Outbox.Messages() {
		k := strings.Join(m.To, ",") + "\x00" + m.Subject + "\x00" + m.Text
		if seen[k] {
			v = append(v, fmt.Sprintf("email sent twice to %v: %q", m.To, m.Subject))
		}
		seen[k] = true
	}
	for _, x := range e.executionStatuses() {
		if x.status != sfntypes.ExecutionStatusSucceeded {
			v = append(v, fmt.Sprintf("execution %s is %s, want SUCCEEDED", x.name, x.status))
		}
	}
	if r := e.call("GET", "/v1/compliance/workflows/stalled", e.compliance, nil); !strings.Contains(r.raw, `"items":[]`) {
		v = append(v, "stalled workflows: "+r.raw)
	}
	if n := e.countType("workflowStart"); n != 0 {
		v = append(v, fmt.Sprintf("%d workflow starts still recorded after the sweeper", n))
	}
	if n := e.countType("wake"); n != 0 {
		v = append(v, fmt.Sprintf("%d failed wake-ups still recorded after the sweeper", n))
	}
	return v
}

func subjects(ms []ses.Message) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.Subject
	}
	return out
}

type executionStatus struct {
	name   string
	status sfntypes.ExecutionStatus
}

// listExecutions lists every execution of every state machine, page by page.
func (e *env) listExecutions() []sfntypes.ExecutionListItem {
	e.t.Helper()
	ctx := context.Background()
	client := e.sfnClient()
	machines, err := client.ListStateMachines(ctx, &sfn.ListStateMachinesInput{})
	if err != nil {
		e.t.Fatal(err)
	}
	var out []sfntypes.ExecutionListItem
	for _, m := range machines.StateMachines {
		p := sfn.NewListExecutionsPaginator(client, &sfn.ListExecutionsInput{StateMachineArn: m.StateMachineArn})
		for p.HasMorePages() {
			page, err := p.NextPage(ctx)
			if err != nil {
				e.t.Fatal(err)
			}
			out = append(out, page.Executions...)
		}
	}
	return out
}

// executionStatuses lists every execution of every state machine with its
// status, by name.
func (e *env) executionStatuses() []executionStatus {
	e.t.Helper()
	var out []executionStatus
	for _, x := range e.listExecutions() {
		out = append(out, executionStatus{aws.ToString(x.Name), x.Status})
	}
	slices.SortFunc(out, func(a, b executionStatus) int { return strings.Compare(a.name, b.name) })
	return out
}

// parse decodes a response into the view T the API wrote, or gives T's zero
// value (whose fields then fail the comparison that follows, with the body
// in its message). Unlike decode it does not stop the test, so the chaos
// checks can run from any goroutine and report every violation at once.
func parse[T any](r response) T {
	var v T
	_ = json.Unmarshal([]byte(r.raw), &v)
	return v
}
