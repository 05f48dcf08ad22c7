package api_test

import "testing"

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
