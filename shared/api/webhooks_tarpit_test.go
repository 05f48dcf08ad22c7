package api_test

import (
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/candorhq/candor/shared/webhook"
)

// tarpit is a webhook receiver that holds every request, answering
// nothing, until released (then 204) or until the sender gives up.
type tarpit struct {
	srv      *httptest.Server
	release  chan struct{}
	once     sync.Once
	arrived  chan string // the event id of each request, as it arrives
	got      atomic.Int64
	held     atomic.Int64
	gaveUp   atomic.Int64 // requests the sender gave up on
	answered atomic.Int64
}

func newTarpit(t *testing.T) *tarpit {
	tp := &tarpit{release: make(chan struct{}), arrived: make(chan string, 10000)}
	tp.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		tp.got.Add(1)
		tp.held.Add(1)
		defer tp.held.Add(-1)
		tp.arrived <- r.Header.Get("Candor-Event-Id")
		select {
		case <-r.Context().Done():
			tp.gaveUp.Add(1)
		case <-tp.release:
			tp.answered.Add(1)
			w.WriteHeader(http.StatusNoContent)
		}
	}))
	t.Cleanup(func() {
		tp.open()
		tp.srv.Close()
	})
	return tp
}

// open makes the tarpit answer every request held and every later one.
func (tp *tarpit) open() { tp.once.Do(func() { close(tp.release) }) }

// A business's receiver that holds the connection slows only that
// business's own calls in the local stack: while biz-1's test delivery
// hangs in the tarpit, biz-2 registers a webhook, has a test delivered and
// reads its log, and the tarpit is still holding biz-1's one connection
// (not given up, not tried a second time).
func TestATarpitDoesNotSlowAnotherBusinessesCalls(t *testing.T) {
	e := newEnv(t)
	tp := newTarpit(t)
	id1 := e.mustStatus(http.StatusCreated, "POST", "/v1/webhooks", e.biz1, map[string]any{"url": tp.srv.URL + "/hooks"}).body["id"].(string)
	done := make(chan response, 1)
	go func() { done <- e.call("POST", "/v1/webhooks/"+id1+"/test", e.biz1, nil) }()
	<-tp.arrived // biz-1's delivery is in the tarpit; biz-1's call waits for it

	rc := newReceiver(t)
	r := e.mustStatus(http.StatusCreated, "POST", "/v1/webhooks", e.biz2, map[string]any{"url": rc.srv.URL + "/hooks"})
	id2 := r.body["id"].(string)
	e.mustStatus(http.StatusAccepted, "POST", "/v1/webhooks/"+id2+"/test", e.biz2, nil)
	if got := len(rc.ofType(webhook.TypeTest)); got != 1 {
		t.Errorf("biz-2's receiver got %d test deliveries, want 1", got)
	}
	log := decode[struct {
		Items []struct {
			Status string `json:"status"`
		} `json:"items"`
	}](t, e.mustStatus(http.StatusOK, "GET", "/v1/webhooks/"+id2+"/deliveries", e.biz2, nil))
	if len(log.Items) != 1 || log.Items[0].Status != "delivered" {
		t.Errorf("biz-2's delivery log = %+v, want one delivered", log.Items)
	}
	if n := tp.gaveUp.Load(); n != 0 {
		t.Errorf("biz-2's calls returned only after %d of the tarpit's connections were given up", n)
	}
	if n, held := tp.got.Load(), tp.held.Load(); n != 1 || held != 1 {
		t.Errorf("the tarpit got %d requests and holds %d, want biz-1's one, still held", n, held)
	}
	tp.open()
	if r := <-done; r.status != http.StatusAccepted {
		t.Errorf("biz-1's test: %d %s", r.status, r.raw)
	}
}
