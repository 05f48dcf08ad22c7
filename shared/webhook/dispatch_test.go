package webhook_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/candorhq/candor/infra/local/dynamotest"
	"github.com/candorhq/candor/shared/app"
	"github.com/candorhq/candor/shared/clock"
	"github.com/candorhq/candor/shared/moderation"
	"github.com/candorhq/candor/shared/store"
	"github.com/candorhq/candor/shared/webhook"
)

// TestOneRunCatchesUpWithMoreThanABatch: 230 events wait (more than two
// batches of 100, as a platform at its peak records in a minute); one run
// fans them all out and delivers them all, instead of a batch a minute.
func TestOneRunCatchesUpWithMoreThanABatch(t *testing.T) {
	t0 := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	ctx := context.Background()
	endpoint, table := dynamotest.Table(t, "candor")
	db := dynamotest.Client(endpoint)
	if _, err := db.CreateTable(ctx, store.TableDefinition(table)); err != nil {
		t.Fatal(err)
	}
	st := store.New(db, table)
	if _, _, err := st.PutBusiness(ctx, moderation.Business{ID: "biz-1", Name: "Acme", NotificationEmail: "ops@acme.example", Locale: "en", UpdatedAt: t0}); err != nil {
		t.Fatal(err)
	}
	var got atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		got.Add(1)
		w.WriteHeader(http.StatusNoContent)
	}))
	t.Cleanup(srv.Close)
	if err := st.PutWebhook(ctx, webhook.Endpoint{ID: "wh_1", BusinessID: "biz-1", URL: srv.URL, Secrets: []webhook.Secret{{Value: "whsec_x", Created: t0}},
		CreatedAt: t0, UpdatedAt: t0}, true, nil); err != nil {
		t.Fatal(err)
	}
	const events = 230
	for i := range events {
		id := fmt.Sprintf("evt_%03d", i)
		if err := st.PutEvent(ctx, app.Event{ID: id, Type: webhook.TypeRequestExpired, BusinessID: "biz-1", Payload: `{"id":"` + id + `"}`, At: t0.Add(time.Second)}); err != nil {
			t.Fatal(err)
		}
	}
	d := webhook.NewDispatcher(st, srv.Client(), clock.NewManual(t0.Add(time.Minute)), slog.New(slog.DiscardHandler))
	res, err := d.Run(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if res.Events != events || res.Delivered != events || got.Load() != events {
		t.Errorf("one run fanned out %d events and delivered %d (%d received), want all %d", res.Events, res.Delivered, got.Load(), events)
	}
	if res, _ := d.Run(ctx); res.Events != 0 || res.Attempted != 0 {
		t.Errorf("the next run found %+v left", res)
	}
}
