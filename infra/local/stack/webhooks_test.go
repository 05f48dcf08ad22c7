package stack_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/candorhq/candor/shared/webhook"
)

func postJSON(t *testing.T, url, token string, body any) (int, map[string]any) {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest("POST", url, rd)
	req.Header.Set("Authorization", "Bearer "+token)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var out map[string]any
	json.NewDecoder(res.Body).Decode(&out)
	return res.StatusCode, out
}

// The demo: a business registers the stack's own receiver, asks for a test
// event, and sees it delivered on /_local/webhooks and at the receiver,
// signed with its secret at real time, which is what a receiver checks the
// timestamp against, however far the stack's clock was moved.
func TestLocalWebhookReceiverAndDeliveriesPage(t *testing.T) {
	s := startStack(t, true)
	s.Advance(200 * 24 * time.Hour)
	biz := s.Demo.Businesses[0]
	status, reg := postJSON(t, s.APIURL+"/v1/webhooks", biz.Token, map[string]any{"url": s.ReceiverURL()})
	if status != 201 {
		t.Fatalf("register: %d %v", status, reg)
	}
	id, secret := reg["id"].(string), reg["secret"].(string)
	if status, _ := postJSON(t, s.APIURL+"/v1/webhooks/"+id+"/test", biz.Token, nil); status != 202 {
		t.Fatalf("test: %d", status)
	}
	got := s.Receiver.Got()
	if len(got) != 1 || got[0].Headers["Candor-Event-Type"] != webhook.TypeTest {
		t.Fatalf("receiver got %+v", got)
	}
	if err := webhook.Verify(got[0].Headers["Candor-Signature"], got[0].Body, secret, time.Now(), webhook.Tolerance); err != nil {
		t.Errorf("the receiver's request does not verify: %v", err)
	}
	_, page := get(t, s.APIURL+"/_local/webhooks.json", "")
	ds, _ := page["deliveries"].([]any)
	if len(ds) != 1 || ds[0].(map[string]any)["Status"] != "delivered" || ds[0].(map[string]any)["URL"] != s.ReceiverURL() {
		t.Errorf("/_local/webhooks.json = %v", page)
	}
	res, err := http.Get(s.APIURL + "/_local/webhooks")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	html, _ := io.ReadAll(res.Body)
	if res.StatusCode != 200 || !strings.Contains(string(html), "webhook.test") || !strings.Contains(string(html), "delivered") {
		t.Errorf("/_local/webhooks: %d %s", res.StatusCode, html)
	}
}
