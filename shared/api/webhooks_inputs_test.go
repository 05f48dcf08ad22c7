package api_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/candorhq/candor/shared/api"
)

// A registration refuses the ways of writing a URL that reach something
// other than a public receiver: a trailing-dot host, a short IPv4 form, an
// IPv6 transition form of a private address, a port other than 443 and
// 8443. (The local stack's policy: loopback receivers are allowed, so the
// examples are ones no policy allows.)
func TestWebhookRegistrationRefusesDisguisedHostsAndPorts(t *testing.T) {
	e := newEnv(t)
	for _, u := range []string{
		"https://hooks.example.com./candor",
		"https://127.1/candor",
		"https://2130706433/candor",
		"https://[64:ff9b::a9fe:a9fe]/latest/meta-data",
		"https://[2002:a00:1::1]/candor",
		"https://[::ffff:10.0.0.1]/candor",
		"https://[2001:0:4136:e378:8000:63bf:f5ff:fffe]/candor",
		"https://hooks.example.com:6379/candor",
	} {
		r := e.call("POST", "/v1/webhooks", e.biz1, map[string]any{"url": u})
		if r.status != http.StatusUnprocessableEntity || r.fields()["url"] == "" {
			t.Errorf("register %s: %d %s, want 422 naming url", u, r.status, r.raw)
		}
	}
	e.mustStatus(http.StatusCreated, "POST", "/v1/webhooks", e.biz1, map[string]any{"url": "https://hooks.example.com:8443/candor"})
}

// A description is limited in visible characters, under the text rule:
// 200 accented letters (400 bytes) are fine, 201 are not, and invisible
// formatting characters are refused.
func TestWebhookDescriptionFollowsTheTextRule(t *testing.T) {
	e := newEnv(t)
	url := "https://hooks.example.com/candor"
	r := e.mustStatus(http.StatusCreated, "POST", "/v1/webhooks", e.biz1, map[string]any{"url": url, "description": strings.Repeat("é", 200)})
	if got := decode[api.WebhookView](t, r).Description; got != strings.Repeat("é", 200) {
		t.Errorf("description = %q", got)
	}
	for name, d := range map[string]string{
		"201 characters":       strings.Repeat("é", 201),
		"a direction override": "ops \u202Egnp.exe",
		"a zero-width space":   "ops\u200Bteam",
		"no letter or digit":   "!!!",
	} {
		r := e.call("POST", "/v1/webhooks", e.biz1, map[string]any{"url": url, "description": d})
		if r.status != http.StatusUnprocessableEntity || r.fields()["description"] == "" {
			t.Errorf("%s: %d %s, want 422 naming description", name, r.status, r.raw)
		}
	}
}

// A failed attempt is shown as its category: a receiver where nothing
// listens is connection_refused in the delivery log, which names no
// address and carries no network error text.
func TestDeliveryLogShowsCategoriesNotNetworkErrors(t *testing.T) {
	e := newEnv(t)
	r := e.mustStatus(http.StatusCreated, "POST", "/v1/webhooks", e.biz1, map[string]any{"url": "http://127.0.0.1:1/hooks"})
	id := decode[api.WebhookView](t, r).ID
	e.mustStatus(http.StatusAccepted, "POST", "/v1/webhooks/"+id+"/test", e.biz1, nil)
	items, raw := e.deliveryLog(id)
	if len(items) != 1 || len(items[0].Log) != 1 || items[0].Log[0].Error != "connection_refused" || items[0].Log[0].StatusCode != nil {
		t.Fatalf("delivery log = %s, want one attempt that failed with connection_refused", raw)
	}
	for _, leak := range []string{"127.0.0.1", "dial", "tcp", "connect:"} {
		if strings.Contains(raw, leak) {
			t.Errorf("the delivery log carries %q: %s", leak, raw)
		}
	}
}
