package api_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/candorhq/candor/shared/api"
)

// The webhook POSTs take an Idempotency-Key like every other POST: sent
// again, each answers its first answer, marked, and changes nothing more —
// one webhook, one secret, one test delivery.
func TestWebhookPostsAreIdempotent(t *testing.T) {
	e := newEnv(t)
	body := map[string]any{"url": e.s.ReceiverURL()}
	first := e.call("POST", "/v1/webhooks", e.biz1, body, "Idempotency-Key", "wh-1")
	again := e.call("POST", "/v1/webhooks", e.biz1, body, "Idempotency-Key", "wh-1")
	if first.status != http.StatusCreated || again.status != http.StatusCreated || again.header.Get("Idempotent-Replayed") != "true" || again.raw != first.raw {
		t.Fatalf("register twice: %d / %d replayed=%q\n%s\n%s", first.status, again.status, again.header.Get("Idempotent-Replayed"), first.raw, again.raw)
	}
	if list := e.mustStatus(http.StatusOK, "GET", "/v1/webhooks", e.biz1, nil); len(list.body["items"].([]any)) != 1 {
		t.Errorf("webhooks after a replayed registration: %s, want one", list.raw)
	}
	if r := e.call("POST", "/v1/webhooks", e.biz1, map[string]any{"url": e.s.ReceiverURL() + "?other"}, "Idempotency-Key", "wh-1"); r.status != 422 || r.errorCode() != "idempotency_key_reused" {
		t.Errorf("the key with another body: %d %s", r.status, r.raw)
	}
	id := decode[api.WebhookView](t, first).ID

	rot := e.call("POST", "/v1/webhooks/"+id+"/rotate-secret", e.biz1, nil, "Idempotency-Key", "rot-1")
	rot2 := e.call("POST", "/v1/webhooks/"+id+"/rotate-secret", e.biz1, nil, "Idempotency-Key", "rot-1")
	if rot.status != 200 || rot2.header.Get("Idempotent-Replayed") != "true" || decode[api.WebhookView](t, rot2).Secret != decode[api.WebhookView](t, rot).Secret {
		t.Errorf("rotate twice: %d %s / %s", rot.status, rot.raw, rot2.raw)
	}

	test := e.call("POST", "/v1/webhooks/"+id+"/test", e.biz1, nil, "Idempotency-Key", "test-1")
	test2 := e.call("POST", "/v1/webhooks/"+id+"/test", e.biz1, nil, "Idempotency-Key", "test-1")
	if test.status != 202 || test2.status != 202 || test2.header.Get("Idempotent-Replayed") != "true" ||
		decode[api.DeliveryView](t, test2).EventID != decode[api.DeliveryView](t, test).EventID {
		t.Errorf("test twice: %d %s / %d %s", test.status, test.raw, test2.status, test2.raw)
	}
	ds := e.mustStatus(http.StatusOK, "GET", "/v1/webhooks/"+id+"/deliveries", e.biz1, nil)
	tests := 0
	for _, d := range ds.body["items"].([]any) {
		if d.(map[string]any)["eventType"] == "webhook.test" {
			tests++
		}
	}
	if tests != 1 {
		t.Errorf("test deliveries after a replayed test: %d, want 1", tests)
	}
}

// The delivery log pages with nextCursor: every delivery once, newest first,
// and a cursor that is not one is 422 on cursor.
func TestWebhookDeliveriesPage(t *testing.T) {
	e := newEnv(t)
	wh := e.mustStatus(http.StatusCreated, "POST", "/v1/webhooks", e.biz1, map[string]any{"url": e.s.ReceiverURL()})
	id := decode[api.WebhookView](t, wh).ID
	for range 5 {
		e.mustStatus(http.StatusAccepted, "POST", "/v1/webhooks/"+id+"/test", e.biz1, nil)
		e.s.Advance(time.Second) // a test is one event per moment of the clock
	}
	if list := e.mustStatus(http.StatusOK, "GET", "/v1/webhooks", e.biz1, nil); list.body["nextCursor"] != nil {
		t.Errorf("webhook list: %s, want nextCursor null", list.raw)
	}
	seen := map[string]bool{}
	path := "/v1/webhooks/" + id + "/deliveries?limit=2"
	pages := 0
	for {
		r := e.mustStatus(http.StatusOK, "GET", path, e.biz1, nil)
		page := decode[api.ListView[api.DeliveryView]](t, r)
		for _, d := range page.Items {
			if seen[d.EventID] {
				t.Errorf("delivery %s on two pages", d.EventID)
			}
			seen[d.EventID] = true
		}
		pages++
		if page.NextCursor == nil {
			break
		}
		path = "/v1/webhooks/" + id + "/deliveries?limit=2&cursor=" + *page.NextCursor
	}
	if len(seen) != 5 || pages != 3 {
		t.Errorf("paged %d deliveries in %d pages, want 5 in 3", len(seen), pages)
	}
	if r := e.call("GET", "/v1/webhooks/"+id+"/deliveries?cursor=nope", e.biz1, nil); r.status != 422 || r.fields()["cursor"] == "" {
		t.Errorf("a bad cursor: %d %s", r.status, r.raw)
	}
}
