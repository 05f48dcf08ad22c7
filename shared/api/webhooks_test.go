package api_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/candorhq/candor/infra/local/edge"
	"github.com/candorhq/candor/shared/api"
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
	w := decode[api.WebhookView](e.t, r)
	if !strings.HasPrefix(w.Secret, "whsec_") || len(w.Secret) < 40 {
		e.t.Fatalf("registration = %s, want a whsec_ secret", r.raw)
	}
	return w.ID, w.Secret
}

// eventPayload is a webhook event as its receiver decodes it; Data has the
// fields of every event type the tests read.
type eventPayload struct {
	ID         string `json:"id"`
	Type       string `json:"type"`
	BusinessID string `json:"businessId"`
	Data       struct {
		RequestID  string `json:"requestId"`
		ReportID   string `json:"reportId"`
		Status     string `json:"status"`
		Outcome    string `json:"outcome"`
		CanRemind  bool   `json:"canRemind"`
		SanctionID string `json:"sanctionId"`
		Until      string `json:"until"`
		ReopenedAt string `json:"reopenedAt"`
	} `json:"data"`
}

// verified decodes a delivery after checking its signature with secret at
// now, a receiver's real time.
func verified(t *testing.T, r received, secret string, now time.Time) eventPayload {
	t.Helper()
	if err := webhook.Verify(r.header.Get(webhook.SignatureHeader), r.body, secret, now, webhook.Tolerance); err != nil {
		t.Fatalf("signature %q does not verify: %v", r.header.Get(webhook.SignatureHeader), err)
	}
	var p eventPayload
	if err := json.Unmarshal(r.body, &p); err != nil {
		t.Fatal(err)
	}
	if p.ID == "" || p.ID != r.header.Get("Candor-Event-Id") || p.Type != r.header.Get("Candor-Event-Type") {
		t.Errorf("headers %v disagree with payload %s", r.header, r.body)
	}
	return p
}

// deliveryLog is a webhook's deliveries as its business reads them.
func (e *env) deliveryLog(id string) ([]api.DeliveryView, string) {
	e.t.Helper()
	r := e.mustStatus(http.StatusOK, "GET", "/v1/webhooks/"+id+"/deliveries", e.biz1, nil)
	return decode[api.ListView[api.DeliveryView]](e.t, r).Items, r.raw
}

func TestWebhookRegistrationShowsTheSecretOnceAndOnlyToItsBusiness(t *testing.T) {
	e := newEnv(t)
	rc := newReceiver(t)
	id, _ := e.register(rc, webhook.TypeRequestReplied)
	if r := e.mustStatus(http.StatusOK, "GET", "/v1/webhooks/"+id, e.biz1, nil); strings.Contains(r.raw, "whsec_") || decode[api.WebhookView](t, r).URL != rc.srv.URL+"/hooks/candor" {
		t.Errorf("GET webhook = %s, want its URL without the secret", r.raw)
	}
	if r := e.mustStatus(http.StatusOK, "GET", "/v1/webhooks", e.biz1, nil); strings.Contains(r.raw, "whsec_") || len(decode[api.ListView[api.WebhookView]](t, r).Items) != 1 {
		t.Errorf("list = %s, want the one webhook without its secret", r.raw)
	}
	for _, c := range []struct{ method, path string }{
		{"GET", "/v1/webhooks/" + id}, {"DELETE", "/v1/webhooks/" + id}, {"POST", "/v1/webhooks/" + id + "/test"},
		{"POST", "/v1/webhooks/" + id + "/rotate-secret"}, {"GET", "/v1/webhooks/" + id + "/deliveries"},
	} {
		if r := e.call(c.method, c.path, e.biz2, nil); r.status != 404 {
			t.Errorf("another business's %s %s: %d %s, want 404", c.method, c.path, r.status, r.raw)
		}
	}
	if r := e.mustStatus(http.StatusOK, "GET", "/v1/webhooks", e.biz2, nil); len(decode[api.ListView[api.WebhookView]](t, r).Items) != 0 {
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
	items, raw := e.deliveryLog(id)
	if len(items) != 1 {
		t.Fatalf("delivery log after a failed attempt = %s, want one delivery", raw)
	}
	if first := items[0]; first.EventType != "request.replied" || first.Status != "pending" || first.Attempts != 1 || deref(first.NextAttempt) != "2026-11-02T09:01:00Z" {
		t.Fatalf("delivery log after a failed attempt = %s, want request.replied pending after 1 attempt, next at 2026-11-02T09:01:00Z", raw)
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
	if p := verified(t, got[2], secret, time.Now()); p.Data.RequestID != req || p.Data.Status != "replied" || p.BusinessID != "biz-1" {
		t.Errorf("payload = %s, want request %s replied for biz-1", got[2].body, req)
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
	items, raw = e.deliveryLog(id)
	if len(items) != 1 {
		t.Fatalf("delivery log = %s, want one delivery", raw)
	}
	first := items[0]
	var codes []int
	for _, a := range first.Log {
		if a.StatusCode != nil {
			codes = append(codes, *a.StatusCode)
		}
	}
	if first.Status != "delivered" || first.Attempts != 3 || !slices.Equal(codes, []int{500, 503, 200}) {
		t.Errorf("delivery log = %s, want delivered on the third attempt after 500 and 503", raw)
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
	if items, raw := e.deliveryLog(id); len(items) != 1 || items[0].Status != "failed" || items[0].NextAttempt != nil || items[0].Attempts != webhook.MaxAttempts {
		t.Errorf("deliveries = %s, want one failed after %d attempts, none next", raw, webhook.MaxAttempts)
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
			if rq, _ := e.requestView(req); rq.Status != "expired" {
				t.Fatalf("request status = %q, want expired", rq.Status)
			}
			got := rc.ofType(webhook.TypeRequestExpired)
			if len(got) != 1 {
				t.Fatalf("request.expired deliveries = %d, want exactly 1", len(got))
			}
			if d := verified(t, got[0], secret, time.Now()).Data; d.RequestID != req || !d.CanRemind {
				t.Errorf("payload = %s, want request %s that can be reminded", got[0].body, req)
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
	rw := decode[api.WebhookView](t, r)
	fresh := rw.Secret
	if !strings.HasPrefix(fresh, "whsec_") || fresh == old || deref(rw.PreviousSecretExpiresAt) != "2026-11-03T09:00:00Z" {
		t.Fatalf("rotation = %s, want a new secret, the old one valid until 2026-11-03T09:00:00Z", r.raw)
	}
	e.mustStatus(http.StatusAccepted, "POST", "/v1/webhooks/"+id+"/test", e.biz1, nil)
	got := rc.ofType(webhook.TypeTest)
	if len(got) != 1 {
		t.Fatalf("test deliveries = %d", len(got))
	}
	verified(t, got[0], old, time.Now())
	verified(t, got[0], fresh, time.Now())

	e.s.Advance(24 * time.Hour)
	e.mustStatus(http.StatusAccepted, "POST", "/v1/webhooks/"+id+"/test", e.biz1, nil)
	got = rc.ofType(webhook.TypeTest)
	if len(got) != 2 {
		t.Fatalf("test deliveries = %d", len(got))
	}
	verified(t, got[1], fresh, time.Now())
	if err := webhook.Verify(got[1].header.Get(webhook.SignatureHeader), got[1].body, old, time.Now(), webhook.Tolerance); err == nil {
		t.Error("the rotated secret still signs after the overlap")
	}
	// A replay of the first delivery a day later, in real time (what the
	// receiver's clock shows), is refused.
	if err := webhook.Verify(got[0].header.Get(webhook.SignatureHeader), got[0].body, fresh, time.Now().Add(24*time.Hour), webhook.Tolerance); err == nil {
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
		d := verified(t, r, secret, time.Now()).Data
		if d.ReportID != rep {
			t.Errorf("status event of another report: %s", r.body)
		}
		statuses = append(statuses, d.Status)
	}
	if strings.Join(statuses, ",") != "in_queue,closed" {
		t.Errorf("status events = %v, want in_queue,closed", statuses)
	}
	out := rc.ofType(webhook.TypeReportOutcome)
	if len(out) != 1 {
		t.Fatalf("outcome events = %d, want 1", len(out))
	}
	if d := verified(t, out[0], secret, time.Now()).Data; d.Outcome != "reinstated" || d.ReportID != rep {
		t.Errorf("outcome = %s, want %s reinstated", out[0].body, rep)
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
		p := verified(t, got[0], secret, time.Now())
		d := p.Data
		if p.BusinessID != "biz-1" || d.SanctionID != sanction || map[string]string{"until": d.Until, "reopenedAt": d.ReopenedAt}[field] != value {
			t.Errorf("%s = %s, want sanction %s with %s %s", typ, got[0].body, sanction, field, value)
		}
		if strings.Contains(string(got[0].body), "reinstated") {
			t.Errorf("%s carries the facts: %s", typ, got[0].body)
		}
	}
	wid, sid := decode[api.SanctionView](t, w).ID, decode[api.SanctionView](t, s).ID
	check(webhook.TypeReportingWarned, wid, "until", "2027-11-02T09:00:00Z")
	check(webhook.TypeReportingSuspended, sid, "until", until)
	if n := len(rc.ofType(webhook.TypeReportingReopened)); n != 0 {
		t.Errorf("reopened events before until = %d", n)
	}
	e.s.Advance(10 * 24 * time.Hour)
	e.s.Settle()
	check(webhook.TypeReportingReopened, sid, "reopenedAt", until)
}
