package api_test

import (
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/candorhq/candor/shared/api"
	"github.com/candorhq/candor/shared/webhook"
)

// The limit of webhooks a business may have holds when the registrations
// come all at once: of 30 parallel registrations exactly the limit's
// worth are created and the rest answer 409 webhook_limit.
func TestParallelRegistrationsStopAtTheLimit(t *testing.T) {
	e := newEnv(t)
	rc := newReceiver(t)
	const tries = 30
	statuses := make([]response, tries)
	var wg sync.WaitGroup
	for i := range tries {
		wg.Add(1)
		go func() {
			defer wg.Done()
			statuses[i] = e.call("POST", "/v1/webhooks", e.biz1, map[string]any{"url": rc.srv.URL + "/hooks/candor"})
		}()
	}
	wg.Wait()
	created, limited := 0, 0
	for _, r := range statuses {
		switch {
		case r.status == http.StatusCreated:
			created++
		case r.status == http.StatusConflict && r.errorCode() == "webhook_limit":
			limited++
		default:
			t.Errorf("a registration answered %d %s", r.status, r.raw)
		}
	}
	if created != webhook.MaxPerBusiness || limited != tries-webhook.MaxPerBusiness {
		t.Errorf("%d created and %d refused, want %d and %d", created, limited, webhook.MaxPerBusiness, tries-webhook.MaxPerBusiness)
	}
	list := decode[api.ListView[api.WebhookView]](t, e.mustStatus(http.StatusOK, "GET", "/v1/webhooks", e.biz1, nil))
	if len(list.Items) != webhook.MaxPerBusiness {
		t.Errorf("the business has %d webhooks, want %d", len(list.Items), webhook.MaxPerBusiness)
	}
	// A deleted one frees its place.
	e.mustStatus(http.StatusNoContent, "DELETE", "/v1/webhooks/"+list.Items[0].ID, e.biz1, nil)
	e.mustStatus(http.StatusCreated, "POST", "/v1/webhooks", e.biz1, map[string]any{"url": rc.srv.URL + "/hooks/candor"})
}

// Two rotations at once never leave a caller holding a secret that does
// not sign: each rotation that answers 200 handed out a secret the next
// delivery is signed with (the later one current, the earlier one in its
// overlap), and one that lost the race answers 409 state_changed.
func TestParallelRotationsLeaveOneCurrentSecret(t *testing.T) {
	e := newEnv(t)
	rc := newReceiver(t)
	id, _ := e.register(rc)
	for round := range 5 {
		e.s.Advance(time.Second) // each round's test event is another event
		var (
			wg  sync.WaitGroup
			got [2]response
		)
		for i := range got {
			wg.Add(1)
			go func() {
				defer wg.Done()
				got[i] = e.call("POST", "/v1/webhooks/"+id+"/rotate-secret", e.biz1, nil)
			}()
		}
		wg.Wait()
		var handedOut []string
		for _, r := range got {
			switch {
			case r.status == http.StatusOK:
				handedOut = append(handedOut, decode[api.WebhookView](t, r).Secret)
			case r.status == http.StatusConflict && r.errorCode() == "state_changed":
			default:
				t.Errorf("round %d: a rotation answered %d %s", round, r.status, r.raw)
			}
		}
		if len(handedOut) == 0 {
			t.Fatalf("round %d: no rotation won", round)
		}
		rc.mu.Lock()
		rc.got = nil
		rc.mu.Unlock()
		e.mustStatus(http.StatusAccepted, "POST", "/v1/webhooks/"+id+"/test", e.biz1, nil)
		reqs := rc.requests()
		if len(reqs) != 1 {
			t.Fatalf("round %d: test deliveries = %d, want 1", round, len(reqs))
		}
		sig := reqs[0].header.Get(webhook.SignatureHeader)
		for _, secret := range handedOut { // signatures are stamped in real time
			if err := webhook.Verify(sig, reqs[0].body, secret, time.Now(), webhook.Tolerance); err != nil {
				t.Errorf("round %d: a secret handed out with 200 does not sign the next delivery (%s): %v", round, sig, err)
			}
		}
		if n := strings.Count(sig, "v1="); n != 2 {
			t.Errorf("round %d: the delivery is signed with %d secrets (%s), want the current and the previous one", round, n, sig)
		}
	}
}
