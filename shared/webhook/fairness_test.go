package webhook_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/candorhq/candor/infra/local/dynamotest"
	"github.com/candorhq/candor/shared/clock"
	"github.com/candorhq/candor/shared/moderation"
	"github.com/candorhq/candor/shared/store"
	"github.com/candorhq/candor/shared/webhook"
)

// tarpit is a receiver that takes every request and holds it, answering
// nothing, until released (or the client gives up).
type tarpit struct {
	srv     *httptest.Server
	release chan struct{}
	held    atomic.Int64 // requests being held now
	most    atomic.Int64 // the most held at once
	ended   atomic.Int64 // requests the client gave up on before the release
	arrived chan struct{}
}

func newTarpit(t testing.TB) *tarpit {
	tp := &tarpit{release: make(chan struct{}), arrived: make(chan struct{}, 1000)}
	tp.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := tp.held.Add(1)
		for m := tp.most.Load(); n > m && !tp.most.CompareAndSwap(m, n); m = tp.most.Load() {
		}
		tp.arrived <- struct{}{}
		defer tp.held.Add(-1)
		select {
		case <-r.Context().Done():
			tp.ended.Add(1)
		case <-tp.release:
			w.WriteHeader(http.StatusNoContent)
		}
	}))
	t.Cleanup(func() {
		tp.open()
		tp.srv.Close()
	})
	return tp
}

var releaseOnce sync.Map

func (tp *tarpit) open() {
	if _, done := releaseOnce.LoadOrStore(tp, true); !done {
		close(tp.release)
	}
}

// fairnessStore is a table with two businesses: biz-slow, whose webhook is
// slow, and biz-fast.
func fairnessStore(t testing.TB, slowURL, fastURL string) *store.Store {
	t0 := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	ctx := context.Background()
	endpoint, table := dynamotest.Table(t, "candor")
	db := dynamotest.Client(endpoint)
	if _, err := db.CreateTable(ctx, store.TableDefinition(table)); err != nil {
		t.Fatal(err)
	}
	st := store.New(db, table)
	for biz, url := range map[string]string{"biz-slow": slowURL, "biz-fast": fastURL} {
		if _, _, err := st.PutBusiness(ctx, moderation.Business{ID: biz, Name: biz, NotificationEmail: "ops@" + biz + ".example", Locale: "en", UpdatedAt: t0}); err != nil {
			t.Fatal(err)
		}
		if err := st.PutWebhook(ctx, webhook.Endpoint{ID: "wh_" + biz, BusinessID: biz, URL: url, Secrets: []webhook.Secret{{Value: "whsec_x", Created: t0}},
			CreatedAt: t0, UpdatedAt: t0}, true, nil); err != nil {
			t.Fatal(err)
		}
	}
	return st
}

// queue adds n deliveries for biz, due at at.
func queue(t testing.TB, st *store.Store, biz string, n int, at time.Time, tag string) {
	t.Helper()
	for i := range n {
		id := fmt.Sprintf("evt_%s_%s_%03d", biz, tag, i)
		if err := st.AddDelivery(context.Background(), webhook.Delivery{WebhookID: "wh_" + biz, BusinessID: biz, EventID: id, EventType: webhook.TypeTest,
			Payload: `{"id":"` + id + `"}`, Status: webhook.StatusPending, NextAttempt: at, CreatedAt: at, UpdatedAt: at}, nil); err != nil {
			t.Fatal(err)
		}
	}
}

// A business whose receiver holds every connection (a tarpit) does not
// hold up another business's delivery: with 30 of its deliveries due
// before the other business's one, the other's arrives while the tarpit
// still holds every connection it was given (none given up), and the
// tarpit is never given more than QueueConcurrency at once.
func TestATarpitDoesNotDelayAnotherBusiness(t *testing.T) {
	t0 := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	tp := newTarpit(t)
	fastHit := make(chan struct{}, 10)
	fast := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		fastHit <- struct{}{}
		w.WriteHeader(http.StatusNoContent)
	}))
	t.Cleanup(fast.Close)
	st := fairnessStore(t, tp.srv.URL, fast.URL)
	queue(t, st, "biz-slow", 30, t0, "a")
	queue(t, st, "biz-fast", 1, t0.Add(time.Second), "a") // due after every one of the tarpit's
	d := webhook.NewDispatcher(st, webhook.Targets{Local: true}.Client(), clock.NewManual(t0.Add(time.Minute)), slog.New(slog.DiscardHandler))

	type outcome struct {
		res webhook.Result
		err error
	}
	done := make(chan outcome, 1)
	go func() {
		res, err := d.Run(context.Background())
		done <- outcome{res, err}
	}()
	select {
	case <-fastHit:
	case o := <-done:
		t.Fatalf("the run ended (%+v, %v) before the other business's delivery arrived", o.res, o.err)
	}
	if n := tp.ended.Load(); n != 0 {
		t.Errorf("the other business's delivery arrived only after %d of the tarpit's connections were given up", n)
	}
	tp.open()
	o := <-done
	if o.err != nil {
		t.Fatal(o.err)
	}
	if most := tp.most.Load(); most > webhook.QueueConcurrency {
		t.Errorf("the tarpit held %d connections at once, want at most %d", most, webhook.QueueConcurrency)
	}
	if o.res.Attempted != 31 || o.res.Delivered != 31 {
		t.Errorf("run = %+v, want all 31 delivered once released", o.res)
	}
}

// BenchmarkTarpitDelay measures how long another business's delivery takes
// from the start of a run, alone and beside a business whose receiver holds
// every connection for the full attempt timeout (a tarpit, 8 deliveries due
// before it). "worst-ms" is the slowest of the iterations; the difference
// between the two is the delay a tarpit adds (docs/webhooks.md).
func BenchmarkTarpitDelay(b *testing.B) {
	for _, withTarpit := range []bool{false, true} {
		name := "alone"
		if withTarpit {
			name = "beside-a-tarpit"
		}
		b.Run(name, func(b *testing.B) {
			t0 := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
			hold := make(chan struct{})
			slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				select { // until the client gives up, or the benchmark ends the run
				case <-r.Context().Done():
				case <-hold:
				}
			}))
			defer slow.Close()
			defer close(hold)
			var arrived chan time.Time
			var mu sync.Mutex
			fast := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				mu.Lock()
				select { // the first of an iteration counts (an earlier one cut short by the end of its run may come again)
				case arrived <- time.Now():
				default:
				}
				mu.Unlock()
				w.WriteHeader(http.StatusNoContent)
			}))
			defer fast.Close()
			st := fairnessStore(b, slow.URL, fast.URL)
			var worst, total time.Duration
			b.ResetTimer()
			for i := range b.N {
				b.StopTimer()
				at := t0.Add(time.Duration(i) * time.Hour)
				if withTarpit {
					queue(b, st, "biz-slow", 8, at, fmt.Sprint(i))
				}
				queue(b, st, "biz-fast", 1, at.Add(time.Second), fmt.Sprint(i))
				mu.Lock()
				arrived = make(chan time.Time, 1)
				mu.Unlock()
				d := webhook.NewDispatcher(st, webhook.Targets{Local: true}.Client(), clock.NewManual(at.Add(time.Minute)), slog.New(slog.DiscardHandler))
				ctx, cancel := context.WithCancel(context.Background())
				done := make(chan struct{})
				b.StartTimer()
				began := time.Now()
				go func() {
					defer close(done)
					_, _ = d.Run(ctx)
				}()
				mu.Lock()
				ch := arrived
				mu.Unlock()
				got := <-ch
				b.StopTimer()
				delay := got.Sub(began)
				total += delay
				worst = max(worst, delay)
				cancel() // the tarpit's attempts end here, not at their timeout: the next iteration begins
				<-done
				b.StartTimer()
			}
			b.ReportMetric(float64(worst.Microseconds())/1000, "worst-ms")
			b.ReportMetric(float64(total.Microseconds())/1000/float64(b.N), "mean-ms")
		})
	}
}
