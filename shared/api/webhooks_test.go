package api_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/candorhq/candor/infra/local/edge"
	"github.com/candorhq/candor/shared/webhook"
)

// receiver is a business's webhook endpoint: it records every request and
// answers the status codes it is told to, then 200.
type receiver struct {
	srv *httptest.Server

	mu    sync.Mutex
	fails []int // statuses to answer first, in order
	got   []received
}

type received struct {
	header http.Header
	body   []byte
}

func newReceiver(t *testing.T) *receiver {
	rc := &receiver{}
	rc.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		rc.mu.Lock()
		defer rc.mu.Unlock()
		rc.got = append(rc.got, received{header: r.Header.Clone(), body: b})
		if len(rc.fails) > 0 {
			w.WriteHeader(rc.fails[0])
			rc.fails = rc.fails[1:]
			return
		}
		w.WriteHeader(http.StatusOK)
	}))
	t.Cleanup(rc.srv.Close)
	return rc
}

func (rc *receiver) failNext(statuses ...int) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	rc.fails = append(rc.fails, statuses...)
}

func (rc *receiver) requests() []received {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]received(nil), rc.got...)
}

// ofType returns the requests that carried events of type typ.
func (rc *receiver) ofType(typ string) []received {
	var out []received
	for _, r := range rc.requests() {
		if r.header.Get("Candor-Event-Type") == typ {
			out = append(out, r)
		}
	}
	return out
}

// register registers rc for biz1 and returns the webhook's id and secret.
func (e *env) register(rc *receiver, events ...string) (string, string) {
	e.t.Helper()
	body := map[string]any{"url": rc.srv.URL + "/hooks/candor", "description": "ops"}
	if len(events) > 0 {
		body["events"] = events
	}
	r := e.mustStatus(http.StatusCreated, "POST", "/v1/webhooks", e.biz1, body)
	secret, _ := r.body["secret"].(string)
	if !strings.HasPrefix(secret, "whsec_") || len(secret) < 40 {
		e.t.Fatalf("registration = %s, want a whsec_ secret", r.raw)
	}
	return r.body["id"].(string), secret
}

// verified decodes a delivery after checking its signature with secret at now.
func verified(t *testing.T, r received, secret string, now time.Time) map[string]any {
	t.Helper()
	if err := webhook.Verify(r.header.Get(webhook.SignatureHeader), r.body, secret, now, webhook.Tolerance); err != nil {
		t.Fatalf("signature %q does not verify: %v", r.header.Get(webhook.SignatureHeader), err)
	}
	var p map[string]any
	if err := json.Unmarshal(r.body, &p); err != nil {
		t.Fatal(err)
	}
	if p["id"] != r.header.Get("Candor-Event-Id") || p["type"] != r.header.Get("Candor-Event-Type") {
		t.Errorf("headers %v disagree with payload %s", r.header, r.body)
	}
	return p
}

func (e *env) deliveries(id, token string) response {
	e.t.Helper()
	return e.call("GET", "/v1/webhooks/"+id+"/deliveries", token, nil)
}

func TestWebhookRegistrationShowsTheSecretOnceAndOnlyToItsBusiness(t *testing.T) {
	e := newEnv(t)
	rc := newReceiver(t)
	id, _ := e.register(rc, webhook.TypeRequestReplied)
	if r := e.mustStatus(http.StatusOK, "GET", "/v1/webhooks/"+id, e.biz1, nil); strings.Contains(r.raw, "whsec_") || r.body["url"] != rc.srv.URL+"/hooks/candor" {
		t.Errorf("GET webhook = %s, want it without the secret", r.raw)
	}
	if r := e.mustStatus(http.StatusOK, "GET", "/v1/webhooks", e.biz1, nil); strings.Contains(r.raw, "whsec_") || len(r.body["items"].([]any)) != 1 {
		t.Errorf("list = %s", r.raw)
	}
	for _, c := range []struct{ method, path string }{
		{"GET", "/v1/webhooks/" + id}, {"DELETE", "/v1/webhooks/" + id}, {"POST", "/v1/webhooks/" + id + "/test"},
		{"POST", "/v1/webhooks/" + id + "/rotate-secret"}, {"GET", "/v1/webhooks/" + id + "/deliveries"},
	} {
		if r := e.call(c.method, c.path, e.biz2, nil); r.status != 404 {
			t.Errorf("another business's %s %s: %d %s, want 404", c.method, c.path, r.status, r.raw)
		}
	}
	if r := e.mustStatus(http.StatusOK, "GET", "/v1/webhooks", e.biz2, nil); len(r.body["items"].([]any)) != 0 {
		t.Errorf("another business lists %s", r.raw)
	}
}

func TestWebhookRegistrationRefusesBadInput(t *testing.T) {
	e := newEnv(t)
	tests := []struct {
		body  map[string]any
		field string
	}{
		{map[string]any{}, "url"},
		{map[string]any{"url": "ftp://example.com/x"}, "url"},
		{map[string]any{"url": "http://hooks.example.com/x"}, "url"},
		{map[string]any{"url": "https://user:pw@hooks.example.com/x"}, "url"},
		{map[string]any{"url": "https://hooks.example.com/x", "events": []string{"report.deleted"}}, "events[0]"},
		{map[string]any{"url": "https://hooks.example.com/x", "events": []string{"request.replied", "request.replied"}}, "events[1]"},
	}
	before := e.snapshot()
	for _, tt := range tests {
		r := e.call("POST", "/v1/webhooks", e.biz1, tt.body)
		if !r.refusesField(422, tt.field) {
			t.Errorf("POST %v: %d %s, want 422 naming %s", tt.body, r.status, r.raw, tt.field)
		}
	}
	if e.snapshot() != before {
		t.Error("a refused registration changed the table")
	}
}

func TestReplyIsDeliveredSignedWithRetriesAndBackoff(t *testing.T) {
	e := newEnv(t)
	rc := newReceiver(t)
	id, secret := e.register(rc)
	rc.failNext(500, 503)
	req := e.ask()
	link := e.reviewerLink(e.mailsTo(reviewerAddr)[0])
	if p := e.postPage(link, url.Values{"reply": {"Order 4711, delivered on 3 October."}}); p.status != 200 {
		t.Fatalf("reply: %d", p.status)
	}
	if got := len(rc.ofType(webhook.TypeRequestReplied)); got != 1 {
		t.Fatalf("attempts right after the reply = %d, want 1 (answered 500)", got)
	}
	d := e.deliveries(id, e.biz1)
	items := d.body["items"].([]any)
	first := items[0].(map[string]any)
	if first["eventType"] != "request.replied" || first["status"] != "pending" || first["attempts"] != 1.0 || first["nextAttemptAt"] != "2026-11-02T09:01:00Z" {
		t.Fatalf("delivery log after a failed attempt = %s", d.raw)
	}
	e.s.Advance(time.Minute - time.Second)
	if got := len(rc.ofType(webhook.TypeRequestReplied)); got != 1 {
		t.Fatalf("attempts before the first backoff ran out = %d, want 1", got)
	}
	e.s.Advance(time.Second) // 1 minute after the first attempt: the second (503)
	e.s.Advance(time.Minute) // 2 minutes after the second: the third
	e.s.Advance(time.Minute)
	got := rc.ofType(webhook.TypeRequestReplied)
	if len(got) != 3 {
		t.Fatalf("attempts = %d, want 3 (500, 503, 200)", len(got))
	}
	p := verified(t, got[2], secret, e.s.Clock.Now())
	data := p["data"].(map[string]any)
	if data["requestId"] != req || data["status"] != "replied" || p["businessId"] != "biz-1" {
		t.Errorf("payload = %s", got[2].body)
	}
	for i, r := range got {
		if string(r.body) != string(got[0].body) || r.header.Get("Candor-Event-Id") != got[0].header.Get("Candor-Event-Id") {
			t.Errorf("attempt %d sent another body or event id: %s", i+1, r.body)
		}
		if r.header.Get("Candor-Delivery-Attempt") != []string{"1", "2", "3"}[i] {
			t.Errorf("attempt %d says it is attempt %q", i+1, r.header.Get("Candor-Delivery-Attempt"))
		}
		for _, secret := range append(reviewerSecrets, "4711") {
			if strings.Contains(string(r.body), secret) {
				t.Errorf("a webhook carries %q: %s", secret, r.body)
			}
		}
	}
	d = e.deliveries(id, e.biz1)
	first = d.body["items"].([]any)[0].(map[string]any)
	log := first["log"].([]any)
	if first["status"] != "delivered" || first["attempts"] != 3.0 || len(log) != 3 || log[0].(map[string]any)["statusCode"] != 500.0 {
		t.Errorf("delivery log = %s", d.raw)
	}
}

func TestFailedDeliveryGivesUpAfterTheLastAttempt(t *testing.T) {
	e := newEnv(t)
	rc := newReceiver(t)
	id, _ := e.register(rc)
	fails := make([]int, webhook.MaxAttempts)
	for i := range fails {
		fails[i] = 500
	}
	rc.failNext(fails...)
	e.mustStatus(http.StatusAccepted, "POST", "/v1/webhooks/"+id+"/test", e.biz1, nil)
	for n := 1; n < webhook.MaxAttempts; n++ {
		e.s.Advance(webhook.Backoff(n))
	}
	if got := len(rc.requests()); got != webhook.MaxAttempts {
		t.Fatalf("attempts = %d, want %d", got, webhook.MaxAttempts)
	}
	e.s.Advance(48 * time.Hour)
	if got := len(rc.requests()); got != webhook.MaxAttempts {
		t.Errorf("attempts after giving up = %d, want no more", got)
	}
	d := e.deliveries(id, e.biz1).body["items"].([]any)[0].(map[string]any)
	if d["status"] != "failed" || d["nextAttemptAt"] != nil {
		t.Errorf("delivery = %v, want failed", d)
	}
}

// An event is never lost, whichever step around the change fails: the
// task's own write (the event rides in it and is retried with it), the
// email after the write (the task is retried; the event was written with
// the change), or the dispatcher's fan-out (the next run does it).
func TestEventsSurviveFailuresAroundTheChange(t *testing.T) {
	tests := []struct {
		name  string
		fault edge.FaultRule
	}{
		{"the expiry's transaction", edge.FaultRule{Service: edge.ServiceDynamoDB, Operation: "TransactWriteItems", Error: "InternalServerError", Count: 3}},
		{"the email after the expiry", edge.FaultRule{Service: edge.ServiceSES, Operation: "*", Error: "Throttling", Count: 3}},
		{"the dispatcher's fan-out", edge.FaultRule{Service: edge.ServiceDynamoDB, Operation: "PutItem", Error: "InternalServerError", Count: 3}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			rc := newReceiver(t)
			_, secret := e.register(rc)
			req := e.ask()
			e.s.Advance(119 * time.Hour) // past the reminder; the window closes at 120h
			if _, err := e.s.Faults.Add(tt.fault); err != nil {
				t.Fatal(err)
			}
			e.s.Advance(time.Hour)
			e.s.Advance(time.Minute) // the state machine's retry, the dispatcher's next run
			e.s.Advance(time.Minute)
			if n := e.s.Faults.Report().Injected; n != 3 {
				t.Fatalf("faults injected = %d, want 3", n)
			}
			if r := e.request(req); r.body["status"] != "expired" {
				t.Fatalf("request = %s", r.raw)
			}
			got := rc.ofType(webhook.TypeRequestExpired)
			if len(got) != 1 {
				t.Fatalf("request.expired deliveries = %d, want exactly 1", len(got))
			}
			if d := verified(t, got[0], secret, e.s.Clock.Now())["data"].(map[string]any); d["requestId"] != req || d["canRemind"] != true {
				t.Errorf("payload = %s", got[0].body)
			}
			if biz := e.mailsTo(businessAddr); len(biz) != 1 {
				t.Errorf("business emails = %d, want 1", len(biz))
			}
		})
	}
}

func TestRotationSignsWithBothSecretsDuringTheOverlap(t *testing.T) {
	e := newEnv(t)
	rc := newReceiver(t)
	id, old := e.register(rc)
	r := e.mustStatus(http.StatusOK, "POST", "/v1/webhooks/"+id+"/rotate-secret", e.biz1, nil)
	fresh, _ := r.body["secret"].(string)
	if fresh == "" || fresh == old || r.body["previousSecretExpiresAt"] != "2026-11-03T09:00:00Z" {
		t.Fatalf("rotation = %s", r.raw)
	}
	e.mustStatus(http.StatusAccepted, "POST", "/v1/webhooks/"+id+"/test", e.biz1, nil)
	got := rc.ofType(webhook.TypeTest)
	if len(got) != 1 {
		t.Fatalf("test deliveries = %d", len(got))
	}
	verified(t, got[0], old, e.s.Clock.Now())
	verified(t, got[0], fresh, e.s.Clock.Now())

	e.s.Advance(24 * time.Hour)
	e.mustStatus(http.StatusAccepted, "POST", "/v1/webhooks/"+id+"/test", e.biz1, nil)
	got = rc.ofType(webhook.TypeTest)
	if len(got) != 2 {
		t.Fatalf("test deliveries = %d", len(got))
	}
	verified(t, got[1], fresh, e.s.Clock.Now())
	if err := webhook.Verify(got[1].header.Get(webhook.SignatureHeader), got[1].body, old, e.s.Clock.Now(), webhook.Tolerance); err == nil {
		t.Error("the rotated secret still signs after the overlap")
	}
	// A replay of the first delivery, later than the tolerance, is refused.
	if err := webhook.Verify(got[0].header.Get(webhook.SignatureHeader), got[0].body, fresh, e.s.Clock.Now(), webhook.Tolerance); err == nil {
		t.Error("a day-old signature verifies")
	}
}

func TestDeletedWebhookGetsNoMoreEvents(t *testing.T) {
	e := newEnv(t)
	rc := newReceiver(t)
	id, _ := e.register(rc)
	e.mustStatus(http.StatusNoContent, "DELETE", "/v1/webhooks/"+id, e.biz1, nil)
	if r := e.call("GET", "/v1/webhooks/"+id, e.biz1, nil); r.status != 404 {
		t.Errorf("deleted webhook: %d", r.status)
	}
	e.ask()
	e.s.Advance(120 * time.Hour)
	if got := len(rc.requests()); got != 0 {
		t.Errorf("a deleted webhook got %d requests", got)
	}
}

func TestReportEventsFollowTheInvestigation(t *testing.T) {
	e := newEnv(t)
	rc := newReceiver(t)
	_, secret := e.register(rc, webhook.TypeReportStatusChanged, webhook.TypeReportOutcome)
	rep, tkt := e.submitReport()
	e.mustStatus(http.StatusOK, "POST", "/v1/compliance/tickets/"+tkt+"/claim", e.compliance, nil)
	if d := e.decide(tkt, e.compliance, map[string]any{"outcome": "reinstate", "note": "An opinion about the service."}); d.status != 202 {
		t.Fatalf("decision: %d %s", d.status, d.raw)
	}
	var statuses []string
	for _, r := range rc.ofType(webhook.TypeReportStatusChanged) {
		d := verified(t, r, secret, e.s.Clock.Now())["data"].(map[string]any)
		if d["reportId"] != rep {
			t.Errorf("status event of another report: %s", r.body)
		}
		statuses = append(statuses, d["status"].(string))
	}
	if strings.Join(statuses, ",") != "in_queue,closed" {
		t.Errorf("status events = %v, want in_queue,closed", statuses)
	}
	out := rc.ofType(webhook.TypeReportOutcome)
	if len(out) != 1 {
		t.Fatalf("outcome events = %d, want 1", len(out))
	}
	if d := verified(t, out[0], secret, e.s.Clock.Now())["data"].(map[string]any); d["outcome"] != "reinstated" || d["reportId"] != rep {
		t.Errorf("outcome = %s", out[0].body)
	}
	if got := len(rc.ofType(webhook.TypeRequestReplied)); got != 0 {
		t.Errorf("an unsubscribed type was delivered")
	}
}

// TestSanctionEventsReachTheBusinessesWebhook: a business that integrates
// by webhook hears of its warning, its suspension (with until) and the
// reopening at until, signed like every event and without the facts, which
// are in the email.
func TestSanctionEventsReachTheBusinessesWebhook(t *testing.T) {
	e := newEnv(t)
	rc := newReceiver(t)
	_, secret := e.register(rc, webhook.TypeReportingWarned, webhook.TypeReportingSuspended, webhook.TypeReportingReopened)
	note := "Reported 9 reviews in a week; 8 were reinstated as not breaking the guidelines."
	w := e.mustStatus(http.StatusCreated, "POST", "/v1/compliance/businesses/biz-1/warnings", e.compliance, map[string]any{"note": note})
	until := "2026-11-12T09:00:00Z"
	s := e.mustStatus(http.StatusCreated, "POST", "/v1/compliance/businesses/biz-1/suspensions", e.compliance,
		map[string]any{"until": until, "note": "Kept reporting reinstated reviews after the warning."})
	check := func(typ, sanction, field, value string) {
		t.Helper()
		got := rc.ofType(typ)
		if len(got) != 1 {
			t.Errorf("%s events = %d, want 1", typ, len(got))
			return
		}
		p := verified(t, got[0], secret, e.s.Clock.Now())
		d := p["data"].(map[string]any)
		if p["businessId"] != "biz-1" || d["sanctionId"] != sanction || d[field] != value {
			t.Errorf("%s = %s, want sanction %s with %s %s", typ, got[0].body, sanction, field, value)
		}
		if strings.Contains(string(got[0].body), "reinstated") {
			t.Errorf("%s carries the facts: %s", typ, got[0].body)
		}
	}
	check(webhook.TypeReportingWarned, w.body["id"].(string), "until", "2027-11-02T09:00:00Z")
	check(webhook.TypeReportingSuspended, s.body["id"].(string), "until", until)
	if n := len(rc.ofType(webhook.TypeReportingReopened)); n != 0 {
		t.Errorf("reopened events before until = %d", n)
	}
	e.s.Advance(10 * 24 * time.Hour)
	e.s.Settle()
	check(webhook.TypeReportingReopened, s.body["id"].(string), "reopenedAt", until)
}
