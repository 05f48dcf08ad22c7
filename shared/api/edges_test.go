package api_test

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/candorhq/candor/infra/local/edge"
)

// TestReviewerPageAnswersEveryMethod: HEAD of a reviewer link is its GET
// without a body, and a method the page does not take is 405 with Allow,
// not the gateway's 404.
func TestReviewerPageAnswersEveryMethod(t *testing.T) {
	e := newEnv(t)
	e.ask()
	link := e.reviewerLink(e.mailsTo(reviewerAddr)[0])
	for _, tc := range []struct {
		method     string
		wantStatus int
		wantAllow  string
	}{
		{http.MethodHead, http.StatusOK, ""},
		{http.MethodPut, http.StatusMethodNotAllowed, "GET, HEAD, POST"},
		{http.MethodDelete, http.StatusMethodNotAllowed, "GET, HEAD, POST"},
		{http.MethodPatch, http.StatusMethodNotAllowed, "GET, HEAD, POST"},
	} {
		req, err := http.NewRequest(tc.method, link, nil)
		if err != nil {
			t.Fatal(err)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != tc.wantStatus || res.Header.Get("Allow") != tc.wantAllow {
			t.Errorf("%s /r/{token} = %d, Allow %q; want %d, Allow %q", tc.method, res.StatusCode, res.Header.Get("Allow"), tc.wantStatus, tc.wantAllow)
		}
		if tc.method == http.MethodHead && (len(b) != 0 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html")) {
			t.Errorf("HEAD /r/{token}: %d bytes of body, Content-Type %q; want none, text/html", len(b), res.Header.Get("Content-Type"))
		}
	}
	if p := e.openPage(link); p.status != http.StatusOK {
		t.Errorf("GET after HEAD, PUT, DELETE = %d, want 200: none of them used the link", p.status)
	}
}

// TestOversizedIdentitiesAreRefusedBeforeTheTable: a sub over OpenID
// Connect's 255 characters, or a business_id no business can have, would
// make table keys AWS refuses (a partition key is at most 2,048 bytes); the
// token is refused as no identity at all.
func TestOversizedIdentitiesAreRefusedBeforeTheTable(t *testing.T) {
	e := newEnv(t)
	for name, tok := range map[string]string{
		"3,000-character sub":         e.s.Token(strings.Repeat("s", 3000), "business", "biz-1", time.Hour),
		"3,000-character business_id": e.s.Token("owner-1", "business", strings.Repeat("b", 3000), time.Hour),
	} {
		r := e.call("POST", "/v1/reviews/rev-organic/reports", tok, validReport(), "Idempotency-Key", "long-identity")
		if r.status != http.StatusUnauthorized {
			t.Errorf("%s: POST a report = %d %s, want 401", name, r.status, r.raw)
		}
	}
	for _, it := range e.scan() {
		if pk := it["PK"].(*types.AttributeValueMemberS).Value; len(pk) > 2048 {
			t.Errorf("an item's partition key is %d bytes, over DynamoDB's 2,048", len(pk))
		}
	}
}

// TestABusinessesAddressesReachTheReviewerDefanged: a business's message
// with a bare domain, a scheme-relative link and a scheme variant reaches
// the reviewer — by email and on the reply page — with none of them
// followable.
func TestABusinessesAddressesReachTheReviewerDefanged(t *testing.T) {
	e := newEnv(t)
	msg := "Hello! Please confirm your order at secure-login.example/verify, //evil.example/x or HTTPS:/evil.example/y so we can find it."
	e.mustStatus(http.StatusAccepted, "POST", "/v1/reviews/rev-organic/reviewer-requests", e.biz1, map[string]any{"message": msg})
	m := e.mailsTo(reviewerAddr)[0]
	p := e.openPage(e.reviewerLink(m))
	for where, text := range map[string]string{"email text": m.Text, "email HTML": m.HTML, "reply page": p.body} {
		for _, raw := range []string{"secure-login.example", "//evil.example", "HTTPS:/evil.example"} {
			if strings.Contains(text, raw) {
				t.Errorf("%s shows %q as the business wrote it", where, raw)
			}
		}
		if !strings.Contains(text, "secure-login[.]example/verify") {
			t.Errorf("%s lost the business's words (want them defanged, readable)", where)
		}
	}
}

// TestAReviewersWordsSurviveATableThatRefuses: the table refuses every call
// while the reviewer submits; the page gives their words back with a clear
// retry message, and sending them again once the table is back records them.
func TestAReviewersWordsSurviveATableThatRefuses(t *testing.T) {
	e := newEnv(t)
	id := e.ask()
	link := e.reviewerLink(e.mailsTo(reviewerAddr)[0])
	words := "My order number is 4711; I paid in cash at the counter."
	if _, err := e.s.Faults.Add(edge.FaultRule{Service: edge.ServiceDynamoDB, Operation: "*", Error: "ProvisionedThroughputExceededException", Count: 50}); err != nil {
		t.Fatal(err)
	}
	p := e.postPage(link, url.Values{"reply": {words}})
	e.s.Faults.Clear()
	if p.status != http.StatusInternalServerError || !strings.Contains(p.body, words) || !strings.Contains(p.body, "try again in a few minutes") {
		t.Fatalf("submit while the table refuses = %d, want 500 with the words and the retry message:\n%s", p.status, p.body)
	}
	if p := e.postPage(link, url.Values{"reply": {words}}); p.status != http.StatusOK {
		t.Fatalf("sending again = %d, want 200", p.status)
	}
	if rq, raw := e.requestView(id); rq.Status != "replied" || rq.Reply == nil {
		t.Errorf("request after sending again = %s, want replied with the words", raw)
	}
}

// TestAFailedWakeIsRetriedWithinMinutes: Step Functions refuses every
// attempt to wake the request's workflow when the reviewer replies; the
// reply is kept and the failed wake-up recorded, and the sweeper wakes the
// workflow within minutes, so the business hears of the reply then, not
// when the window closes days later.
func TestAFailedWakeIsRetriedWithinMinutes(t *testing.T) {
	e := newEnv(t)
	id := e.ask()
	link := e.reviewerLink(e.mailsTo(reviewerAddr)[0])
	if _, err := e.s.Faults.Add(edge.FaultRule{Service: edge.ServiceStepFunctions, Operation: "SendTaskSuccess", Error: "ThrottlingException", Count: 1000}); err != nil {
		t.Fatal(err)
	}
	if p := e.postPage(link, url.Values{"reply": {"My order number is 4711."}}); p.status != http.StatusOK {
		t.Fatalf("reply = %d, want 200: the reply is recorded whatever the wake-up does", p.status)
	}
	replied := func() int {
		n := 0
		for _, m := range e.mailsTo(businessAddr) {
			if strings.Contains(m.Subject, "replied") {
				n++
			}
		}
		return n
	}
	if n := replied(); n != 0 {
		t.Fatalf("the business was told of the reply %d times while the workflow slept", n)
	}
	e.s.Faults.Clear()
	e.s.Advance(2 * time.Minute)
	e.s.Settle()
	if n := replied(); n != 1 {
		t.Errorf("emails telling the business of the reply two minutes later = %d, want 1", n)
	}
	if rq, raw := e.requestView(id); rq.Status != "replied" {
		t.Errorf("request = %s, want replied", raw)
	}
}

// TestATokenForAnUnknownBusinessIs401: a well-signed token whose business
// was never registered is no caller Candor knows: a write that needs its
// business answers 401, not 409 state_changed, and changes nothing.
func TestATokenForAnUnknownBusinessIs401(t *testing.T) {
	e := newEnv(t)
	ghost := e.s.Token("owner-x", "business", "ghost", time.Hour)
	before := e.snapshot()
	r := e.call("POST", "/v1/webhooks", ghost, map[string]any{"url": "https://hooks.example.com/candor", "description": "ops"})
	if r.status != http.StatusUnauthorized || r.errorCode() != "unauthorized" {
		t.Errorf("POST /v1/webhooks for an unknown business = %d %s, want 401 unauthorized", r.status, r.raw)
	}
	if e.snapshot() != before {
		t.Error("a refused request changed the table")
	}
}

// TestACancelledWriteIsNotCalledAUsedLink: DynamoDB cancels the reply's
// transaction without a condition at fault (throttled, or another
// transaction in the way); the page must not tell the reviewer the link was
// used — it keeps the words and asks them to send again, and sending again
// records the reply.
func TestACancelledWriteIsNotCalledAUsedLink(t *testing.T) {
	e := newEnv(t)
	id := e.ask()
	link := e.reviewerLink(e.mailsTo(reviewerAddr)[0])
	words := "My order number is 4711; I paid in cash at the counter."
	if _, err := e.s.Faults.Add(edge.FaultRule{Service: edge.ServiceDynamoDB, Operation: "TransactWriteItems", Error: "TransactionCanceledException", Status: 400, Count: 1}); err != nil {
		t.Fatal(err)
	}
	p := e.postPage(link, url.Values{"reply": {words}})
	if p.status == http.StatusGone || !strings.Contains(p.body, words) {
		t.Fatalf("submit whose write was cancelled = %d, want the words kept and a retry, not 'used':\n%s", p.status, p.body)
	}
	if p := e.postPage(link, url.Values{"reply": {words}}); p.status != http.StatusOK {
		t.Fatalf("sending again = %d, want 200", p.status)
	}
	if rq, raw := e.requestView(id); rq.Status != "replied" {
		t.Errorf("request after sending again = %s, want replied", raw)
	}
}
