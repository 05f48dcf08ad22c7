package store_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/candorhq/candor/shared/app"
	"github.com/candorhq/candor/shared/moderation"
	"github.com/candorhq/candor/shared/store"
	"github.com/candorhq/candor/shared/webhook"
)

func TestWebhooksAreKeptPerBusiness(t *testing.T) {
	s, _ := newStore(t)
	ctx := context.Background()
	if _, _, err := s.PutBusiness(ctx, moderation.Business{ID: "biz-1", Name: "Acme", NotificationEmail: "ops@acme.example", Locale: "en", UpdatedAt: t0}); err != nil {
		t.Fatal(err)
	}
	ep := webhook.Endpoint{ID: "wh_1", BusinessID: "biz-1", URL: "https://hooks.example.com/a", Events: []string{webhook.TypeRequestReplied},
		Secrets:   []webhook.Secret{{Value: "whsec_new", Created: t0}, {Value: "whsec_old", Created: t0.Add(-time.Hour), Expires: t0.Add(24 * time.Hour)}},
		CreatedAt: t0, UpdatedAt: t0}
	if err := s.PutWebhook(ctx, ep, true, nil); err != nil {
		t.Fatal(err)
	}
	if err := s.PutWebhook(ctx, ep, true, nil); moderation.KindOf(err) != moderation.KindConflict {
		t.Errorf("second create: %v, want a conflict", err)
	}
	if b, _ := s.GetBusiness(ctx, "biz-1"); b.Webhooks != 1 {
		t.Errorf("business counts %d webhooks, want 1", b.Webhooks)
	}
	if _, _, err := s.PutBusiness(ctx, moderation.Business{ID: "biz-1", Name: "Acme Coffee", NotificationEmail: "ops@acme.example", Locale: "en", UpdatedAt: t0}); err != nil {
		t.Fatal(err)
	}
	if b, _ := s.GetBusiness(ctx, "biz-1"); b.Webhooks != 1 {
		t.Errorf("the platform's update of the business lost the webhook count: %d", b.Webhooks)
	}
	other := ep
	other.ID, other.BusinessID = "wh_2", "biz-nope"
	if err := s.PutWebhook(ctx, other, true, nil); !errors.Is(err, moderation.ErrUnknownBusiness) {
		t.Errorf("a webhook of an unknown business: %v, want ErrUnknownBusiness", err)
	}
	got, err := s.GetWebhook(ctx, "biz-1", "wh_1")
	if err != nil || got.URL != ep.URL || len(got.Secrets) != 2 || !got.Secrets[1].Expires.Equal(ep.Secrets[1].Expires) || got.Events[0] != webhook.TypeRequestReplied {
		t.Errorf("GetWebhook = %+v, %v", got, err)
	}
	if _, err := s.GetWebhook(ctx, "biz-2", "wh_1"); moderation.KindOf(err) != moderation.KindNotFound {
		t.Errorf("another business's GetWebhook: %v, want not found", err)
	}
	if l, _ := s.ListWebhooks(ctx, "biz-2"); len(l) != 0 {
		t.Errorf("another business lists %v", l)
	}
	if err := s.DeleteWebhook(ctx, "biz-1", "wh_1"); err != nil {
		t.Fatal(err)
	}
	if b, _ := s.GetBusiness(ctx, "biz-1"); b.Webhooks != 0 {
		t.Errorf("business counts %d webhooks after the delete, want 0", b.Webhooks)
	}
	if err := s.DeleteWebhook(ctx, "biz-1", "wh_1"); moderation.KindOf(err) != moderation.KindConflict {
		t.Errorf("a second delete: %v, want a conflict", err)
	}
	if err := s.PutWebhook(ctx, ep, false, nil); moderation.KindOf(err) != moderation.KindConflict {
		t.Errorf("update of a deleted webhook: %v, want a conflict", err)
	}
}

func TestDeliveriesAreDueInOrderAndRecordedOnce(t *testing.T) {
	s, _ := newStore(t)
	ctx := context.Background()
	d := func(ev string, next time.Time) webhook.Delivery {
		return webhook.Delivery{WebhookID: "wh_1", BusinessID: "biz-1", EventID: ev, EventType: webhook.TypeTest, Payload: `{}`,
			Status: webhook.StatusPending, NextAttempt: next, CreatedAt: t0, UpdatedAt: t0}
	}
	for _, x := range []webhook.Delivery{d("evt_b", t0.Add(2*time.Minute)), d("evt_a", t0.Add(time.Minute)), d("evt_c", t0.Add(time.Hour))} {
		if err := s.AddDelivery(ctx, x, nil); err != nil {
			t.Fatal(err)
		}
	}
	// The same event again (a repeated fan-out) leaves the first as it is.
	again := d("evt_a", t0)
	again.Payload = `{"changed":true}`
	if err := s.AddDelivery(ctx, again, nil); err != nil {
		t.Fatal(err)
	}
	due, err := s.QueuedDeliveries(ctx, "biz-1", t0.Add(2*time.Minute), 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(due) != 2 || due[0].EventID != "evt_a" || due[1].EventID != "evt_b" || due[0].Payload != `{}` {
		t.Fatalf("due = %+v, want evt_a then evt_b, the first payload kept", due)
	}
	done := due[0]
	done.Status, done.Attempts = webhook.StatusDelivered, 1
	done.Log = []webhook.Attempt{{At: t0.Add(2 * time.Minute), StatusCode: 204, Duration: 12 * time.Millisecond}}
	if err := s.UpdateDelivery(ctx, done, 0); err != nil {
		t.Fatal(err)
	}
	if err := s.UpdateDelivery(ctx, done, 0); moderation.KindOf(err) != moderation.KindConflict {
		t.Errorf("a second record of the same attempt: %v, want a conflict", err)
	}
	due, _ = s.QueuedDeliveries(ctx, "biz-1", t0.Add(24*time.Hour), 10)
	if len(due) != 2 || due[0].EventID != "evt_b" {
		t.Errorf("due after delivering evt_a = %+v, want evt_b and evt_c", due)
	}
	got, err := s.GetDelivery(ctx, "wh_1", "evt_a")
	if err != nil || got.Status != webhook.StatusDelivered || len(got.Log) != 1 || got.Log[0].StatusCode != 204 || got.Log[0].Duration != 12*time.Millisecond {
		t.Errorf("GetDelivery = %+v, %v", got, err)
	}
	if all, _ := s.ListDeliveries(ctx, "wh_1"); len(all) != 3 {
		t.Errorf("ListDeliveries = %d, want 3", len(all))
	}
}

func TestEventsWaitForTheirFanOut(t *testing.T) {
	s, _ := newStore(t)
	ctx := context.Background()
	e := app.Event{ID: "evt_1", Type: webhook.TypeRequestExpired, BusinessID: "biz-1", Payload: `{"id":"evt_1"}`, At: t0}
	if err := s.PutEvent(ctx, e); err != nil {
		t.Fatal(err)
	}
	if err := s.PutEvent(ctx, e); err != nil { // a retried write
		t.Fatal(err)
	}
	pending, err := s.PendingEvents(ctx, 10)
	if err != nil || len(pending) != 1 || pending[0].Payload != e.Payload || !pending[0].At.Equal(t0) {
		t.Fatalf("pending = %+v, %v", pending, err)
	}
	if err := s.EventFannedOut(ctx, e); err != nil {
		t.Fatal(err)
	}
	if pending, _ := s.PendingEvents(ctx, 10); len(pending) != 0 {
		t.Errorf("pending after the fan-out = %+v", pending)
	}
}

// An event is written exactly when the change it reports is: a step or an
// expiry whose condition fails writes no event either.
func TestEventsRideInTheChangesWrite(t *testing.T) {
	s, _ := newStore(t)
	ctx := context.Background()
	r := seedReview(t, s, "rev-1", moderation.SourceOrganic)
	c := newRequest(r, t0)
	if err := s.CreateRequest(ctx, c); err != nil {
		t.Fatal(err)
	}
	obj := app.ObjectKey{Kind: app.ObjectRequest, ID: c.Request.ID}
	ev := func(id string) app.Event {
		return app.Event{ID: id, Type: webhook.TypeRequestReplied, BusinessID: "biz-1", Payload: `{"id":"` + id + `"}`, At: t0}
	}
	pending := func() int {
		evs, err := s.PendingEvents(ctx, 10)
		if err != nil {
			t.Fatal(err)
		}
		return len(evs)
	}
	if err := s.Step(ctx, app.Step{Object: obj, Status: string(moderation.RequestAwaitingReply), Round: 1, At: t0, Events: []app.Event{ev("evt_a")}}); moderation.KindOf(err) != moderation.KindConflict {
		t.Fatalf("step in the wrong round: %v, want a conflict", err)
	}
	if n := pending(); n != 0 {
		t.Errorf("a failed step wrote %d events", n)
	}
	if err := s.Step(ctx, app.Step{Object: obj, Status: string(moderation.RequestAwaitingReply), Round: 0, At: t0, Events: []app.Event{ev("evt_a")}}); err != nil {
		t.Fatal(err)
	}
	if err := s.ExpireRequest(ctx, c.Request, t0.Add(120*time.Hour), nil, ev("evt_b")); err != nil {
		t.Fatal(err)
	}
	if err := s.ExpireRequest(ctx, c.Request, t0.Add(121*time.Hour), nil, ev("evt_c")); moderation.KindOf(err) != moderation.KindConflict {
		t.Fatalf("second expiry: %v, want a conflict", err)
	}
	if n := pending(); n != 2 {
		t.Errorf("pending events = %d, want the step's and the expiry's", n)
	}
}

// TestDueQueuesSpreadOverShardsComeBackInOrder: each business's queue head
// is in one of the index's due shards, and the dispatcher still gets the
// earliest due first, up to its limit, whichever shard each is in; a
// business's own deliveries are in its own queue, not in the shards.
func TestDueQueuesSpreadOverShardsComeBackInOrder(t *testing.T) {
	s, db := newStore(t)
	ctx := context.Background()
	var want []string
	for i := range 24 {
		biz := fmt.Sprintf("biz-%02d", i)
		next := t0.Add(time.Duration(24-i) * time.Minute) // added latest-due first
		for _, ev := range []string{"evt_a", "evt_b"} {
			if err := s.AddDelivery(ctx, webhook.Delivery{WebhookID: "wh_" + biz, BusinessID: biz, EventID: ev, EventType: webhook.TypeTest,
				Payload: `{}`, Status: webhook.StatusPending, NextAttempt: next, CreatedAt: t0, UpdatedAt: t0}, nil); err != nil {
				t.Fatal(err)
			}
		}
		want = append([]string{biz}, want...)
	}
	shards, queues := map[string]bool{}, map[string]int{}
	out, err := db.Scan(ctx, &dynamodb.ScanInput{TableName: aws.String(tableName(db))})
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range out.Items {
		if pk, ok := it["GSI1PK"].(*types.AttributeValueMemberS); ok {
			if strings.HasPrefix(pk.Value, "WHQ#") {
				queues[pk.Value]++
			} else {
				shards[pk.Value] = true
			}
		}
	}
	if len(shards) != store.DueShards || len(queues) != 24 || queues["WHQ#biz-00"] != 2 {
		t.Errorf("heads in %d index partitions %v, want all %d shards; queues %v, want 24 of 2", len(shards), shards, store.DueShards, queues)
	}
	for _, limit := range []int{5, 24, 100} {
		due, err := s.DueQueues(ctx, t0.Add(time.Hour), limit)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, q := range due {
			got = append(got, q.BusinessID)
		}
		if n := min(limit, len(want)); !slices.Equal(got, want[:n]) {
			t.Errorf("DueQueues(limit %d) = %v, want %v", limit, got, want[:n])
		}
	}
	due, _ := s.DueQueues(ctx, t0.Add(3*time.Minute), 100)
	if len(due) != 3 || due[0].BusinessID != "biz-23" {
		t.Errorf("queues due within 3 minutes = %v, want the 3 earliest", due)
	}
}

// A queue's head is rescheduled or dropped only over the head as it was
// read: a delivery added meanwhile keeps the queue due.
func TestQueueHeadYieldsToAnAddition(t *testing.T) {
	s, _ := newStore(t)
	ctx := context.Background()
	add := func(ev string, at time.Time) {
		t.Helper()
		if err := s.AddDelivery(ctx, webhook.Delivery{WebhookID: "wh_1", BusinessID: "biz-1", EventID: ev, EventType: webhook.TypeTest,
			Payload: `{}`, Status: webhook.StatusPending, NextAttempt: at, CreatedAt: at, UpdatedAt: at}, nil); err != nil {
			t.Fatal(err)
		}
	}
	if q, err := s.QueueHead(ctx, "biz-1"); err != nil || q.Seq != 0 {
		t.Fatalf("head before any delivery = %+v, %v", q, err)
	}
	add("evt_a", t0)
	head, err := s.QueueHead(ctx, "biz-1")
	if err != nil || head.Seq != 1 {
		t.Fatalf("head = %+v, %v", head, err)
	}
	add("evt_b", t0.Add(time.Minute))
	if err := s.RescheduleQueue(ctx, head, t0.Add(time.Hour), false); moderation.KindOf(err) != moderation.KindConflict {
		t.Errorf("reschedule over an addition: %v, want a conflict", err)
	}
	if err := s.DropQueue(ctx, head); moderation.KindOf(err) != moderation.KindConflict {
		t.Errorf("drop over an addition: %v, want a conflict", err)
	}
	if due, _ := s.DueQueues(ctx, t0.Add(time.Minute), 10); len(due) != 1 {
		t.Errorf("due queues = %v, want biz-1 still due", due)
	}
	head, _ = s.QueueHead(ctx, "biz-1")
	if err := s.RescheduleQueue(ctx, head, t0.Add(time.Hour), false); err != nil {
		t.Fatal(err)
	}
	if due, _ := s.DueQueues(ctx, t0.Add(time.Minute), 10); len(due) != 0 {
		t.Errorf("due queues after rescheduling to later = %v, want none", due)
	}
	if err := s.DropQueue(ctx, head); err != nil {
		t.Errorf("drop with nothing added since the read: %v", err)
	}
	if q, _ := s.QueueHead(ctx, "biz-1"); q.Seq != 0 {
		t.Errorf("head after the drop = %+v, want none", q)
	}
}

// A pending delivery indexed in a due shard itself, as all were before
// each business had a queue, is found and moved into its business's queue.
func TestDeliveriesIndexedInTheShardsMoveIntoTheirQueue(t *testing.T) {
	s, db := newStore(t)
	ctx := context.Background()
	if err := s.AddDelivery(ctx, webhook.Delivery{WebhookID: "wh_1", BusinessID: "biz-1", EventID: "evt_old", EventType: webhook.TypeTest,
		Payload: `{}`, Status: webhook.StatusPending, NextAttempt: t0, CreatedAt: t0, UpdatedAt: t0}, nil); err != nil {
		t.Fatal(err)
	}
	// Index it the old way and take the queue's head away.
	table := aws.String(tableName(db))
	if _, err := db.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: table,
		Key:                       map[string]types.AttributeValue{"PK": &types.AttributeValueMemberS{Value: "WEBHOOK#wh_1#DELIVERIES"}, "SK": &types.AttributeValueMemberS{Value: "EVT#evt_old"}},
		UpdateExpression:          aws.String("SET GSI1PK = :pk"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": &types.AttributeValueMemberS{Value: "WHDUE#2"}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.DeleteItem(ctx, &dynamodb.DeleteItemInput{TableName: table,
		Key: map[string]types.AttributeValue{"PK": &types.AttributeValueMemberS{Value: "WHQUEUE#biz-1"}, "SK": &types.AttributeValueMemberS{Value: "QUEUE"}}}); err != nil {
		t.Fatal(err)
	}
	due, err := s.DueQueues(ctx, t0.Add(time.Minute), 10)
	if err != nil || len(due) != 1 || due[0].BusinessID != "biz-1" {
		t.Fatalf("due queues = %v, %v, want biz-1", due, err)
	}
	if q, _ := s.QueuedDeliveries(ctx, "biz-1", t0.Add(time.Minute), 10); len(q) != 1 || q[0].EventID != "evt_old" {
		t.Errorf("biz-1's queue = %v, want the moved delivery", q)
	}
	if head, _ := s.QueueHead(ctx, "biz-1"); head.Seq == 0 {
		t.Errorf("biz-1 has no queue head after the move")
	}
}
