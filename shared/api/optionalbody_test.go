package api_test

import (
	"testing"
	"time"

	"github.com/candorhq/candor/shared/api"
)

// The routes whose body the contract marks optional take no body, an empty
// one with Content-Type: application/json, JSON null and {} alike: the
// generated clients send one or the other.
func TestOptionalBodiesAcceptEmptyAndNull(t *testing.T) {
	e := newEnv(t)
	_, tkt := e.submitReport()
	for _, body := range []any{"", "null", " null ", "{}"} {
		if r := e.call("POST", "/v1/compliance/tickets/"+tkt+"/claim", e.compliance, body); r.status != 200 {
			t.Errorf("claim with body %q: %d %s", body, r.status, r.raw)
		}
	}
	wh := e.mustStatus(201, "POST", "/v1/webhooks", e.biz1, map[string]any{"url": e.s.ReceiverURL()})
	id, _ := wh.body["id"].(string)
	for _, body := range []any{"", "null"} {
		if r := e.call("POST", "/v1/webhooks/"+id+"/test", e.biz1, body); r.status != 202 {
			t.Errorf("webhook test with body %q: %d %s", body, r.status, r.raw)
		}
		if r := e.call("POST", "/v1/webhooks/"+id+"/rotate-secret", e.biz1, body); r.status != 200 {
			t.Errorf("rotate-secret with body %q: %d %s", body, r.status, r.raw)
		}
	}
	// Anything else is still refused as before.
	for body, want := range map[string]int{`[]`: 400, `{"x":1}`: 400, `nul`: 400} {
		if r := e.call("POST", "/v1/compliance/tickets/"+tkt+"/claim", e.compliance, body); r.status != want {
			t.Errorf("claim with body %q: %d, want %d", body, r.status, want)
		}
	}
}

// A claim sent again with its Idempotency-Key is a replay like any other:
// marked, with the first answer's body; and the updatedAt it answered is
// the one stored.
func TestClaimReplayIsTheFirstAnswer(t *testing.T) {
	e := newEnv(t)
	_, tkt := e.submitReport()
	path := "/v1/compliance/tickets/" + tkt + "/claim"
	e.s.Advance(time.Hour) // claimed an hour after it was queued
	first := e.call("POST", path, e.compliance, nil, "Idempotency-Key", "claim-1")
	if first.status != 200 || first.header.Get("Idempotent-Replayed") != "" {
		t.Fatalf("claim: %d replayed=%q %s", first.status, first.header.Get("Idempotent-Replayed"), first.raw)
	}
	e.s.Advance(time.Minute)
	again := e.call("POST", path, e.compliance, nil, "Idempotency-Key", "claim-1")
	if again.status != 200 || again.header.Get("Idempotent-Replayed") != "true" || again.raw != first.raw {
		t.Errorf("replay: %d replayed=%q\n%s\nwant the first answer marked replayed\n%s", again.status, again.header.Get("Idempotent-Replayed"), again.raw, first.raw)
	}
	if r := e.call("POST", path, e.compliance, `{}`, "Idempotency-Key", "claim-1"); r.status != 422 || r.errorCode() != "idempotency_key_reused" {
		t.Errorf("the key with another body: %d %s, want 422 idempotency_key_reused", r.status, r.raw)
	}
	answered := decode[api.TicketView](t, first).UpdatedAt
	stored, _ := e.ticket(tkt)
	if stored.UpdatedAt != answered || answered == stored.QueuedAt {
		t.Errorf("claim answered updatedAt %s; the ticket stores %s (queued %s)", answered, stored.UpdatedAt, stored.QueuedAt)
	}
}
