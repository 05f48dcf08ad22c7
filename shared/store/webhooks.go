package store

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/candorhq/candor/shared/app"
	"github.com/candorhq/candor/shared/moderation"
	"github.com/candorhq/candor/shared/webhook"
)

// Webhooks (docs/data-model.md, docs/webhooks.md): a business's endpoints in
// one partition, BUS#<id>#WEBHOOKS / WEBHOOK#<id>; each endpoint's
// deliveries in its own, WEBHOOK#<id>#DELIVERIES / EVT#<eventId>, the event
// id making a repeated emission a no-op.
//
// Each business has one delivery queue: a pending delivery is in GSI1 under
// the business's partition WHQ#<businessId>, sorted by its next attempt (a
// finished one leaves the index: the item is rewritten without the GSI1
// attributes, as minidyn ignores REMOVE, and expires from the table after
// DeliveryRetention). Which queues have work is the queue's head item,
// WHQUEUE#<businessId> / QUEUE, in GSI1 under one of DueShards partitions
// (dueShardPK), sorted by when the queue is next due; the dispatcher reads
// the heads of every shard, merged, and then each due business's queue on
// its own, so that no business's backlog stands in front of another's.

var _ webhook.Store = (*Store)(nil)

// DeliveryRetention is how long a delivery stays in the log.
const DeliveryRetention = 30 * 24 * time.Hour

// DueShards is how many GSI1 partitions hold the queue heads. A head is
// rewritten when its business gets a delivery and after each run that
// worked its queue; the shards spread that over partitions at a platform's
// peak (docs/capacity.md). The dispatcher reads every shard on each run:
// raising the count costs one Query per shard a run.
const DueShards = 4

// dueShardPK is the GSI1 partition of a business's queue head, by a hash
// of its id: shard 0 is "WHDUE", the others "WHDUE#<n>" (the names the
// pending deliveries themselves were indexed under before each business had
// its own queue; DueQueues moves any it finds there into their queues).
func dueShardPK(businessID string) string {
	return dueShardName(int(fnv32(businessID) % DueShards))
}

func dueShardName(n int) string {
	if n == 0 {
		return "WHDUE"
	}
	return "WHDUE#" + strconv.Itoa(n)
}

func fnv32(s string) uint32 {
	h := fnv.New32a()
	h.Write([]byte(s))
	return h.Sum32()
}

func webhooksPK(businessID string) string { return "BUS#" + businessID + "#WEBHOOKS" }
func webhookSK(id string) string          { return "WEBHOOK#" + id }
func deliveriesPK(webhookID string) string {
	return "WEBHOOK#" + webhookID + "#DELIVERIES"
}
func deliverySK(eventID string) string { return "EVT#" + eventID }

// queuePK is the GSI1 partition of a business's pending deliveries.
func queuePK(businessID string) string { return "WHQ#" + businessID }

// queueHeadPK is the partition of a business's queue head (sort key skQueue).
func queueHeadPK(businessID string) string { return "WHQUEUE#" + businessID }

const skQueue = "QUEUE"

type secretItem struct {
	Value   string `dynamodbav:"value"`
	Created string `dynamodbav:"created"`
	Expires string `dynamodbav:"expires,omitempty"`
}

type webhookItem struct {
	PK, SK      string
	Type        string       `dynamodbav:"type"`
	ID          string       `dynamodbav:"id"`
	BusinessID  string       `dynamodbav:"businessId"`
	URL         string       `dynamodbav:"url"`
	Description string       `dynamodbav:"description,omitempty"`
	Events      []string     `dynamodbav:"events,omitempty"`
	Secrets     []secretItem `dynamodbav:"secrets"`
	CreatedAt   string       `dynamodbav:"createdAt"`
	UpdatedAt   string       `dynamodbav:"updatedAt"`
	Rev         int          `dynamodbav:"rev"` // absent (0) on endpoints written before revisions were kept
}

func toWebhookItem(e webhook.Endpoint) webhookItem {
	it := webhookItem{PK: webhooksPK(e.BusinessID), SK: webhookSK(e.ID), Type: "webhook", ID: e.ID, BusinessID: e.BusinessID,
		URL: e.URL, Description: e.Description, Events: e.Events, CreatedAt: fmtTime(e.CreatedAt), UpdatedAt: fmtTime(e.UpdatedAt), Rev: e.Rev}
	for _, s := range e.Secrets {
		it.Secrets = append(it.Secrets, secretItem{Value: s.Value, Created: fmtTime(s.Created), Expires: fmtTime(s.Expires)})
	}
	return it
}

func (it webhookItem) endpoint() webhook.Endpoint {
	e := webhook.Endpoint{ID: it.ID, BusinessID: it.BusinessID, URL: it.URL, Description: it.Description, Events: it.Events,
		CreatedAt: parseTime(it.CreatedAt), UpdatedAt: parseTime(it.UpdatedAt), Rev: it.Rev}
	for _, s := range it.Secrets {
		e.Secrets = append(e.Secrets, webhook.Secret{Value: s.Value, Created: parseTime(s.Created), Expires: parseTime(s.Expires)})
	}
	return e
}

// PutWebhook writes an endpoint. A new one (create) must not exist, and its
// business must, with fewer than webhook.MaxPerBusiness webhooks: the count
// on the business item (which the tasks read to know whether to record
// events) goes up in the same transaction, on the condition that it is
// below the limit, so registrations at once cannot pass it
// (moderation.CodeWebhookLimit). A change of an existing one is written at
// e.Rev+1 on the condition that the stored one is at e.Rev
// (moderation.ErrChanged otherwise, or if it is gone).
func (s *Store) PutWebhook(ctx context.Context, e webhook.Endpoint, create bool, idem *app.Idempotency) error {
	if !create {
		cond, values := "attribute_exists(PK) AND rev = :rev", map[string]types.AttributeValue{":rev": num(e.Rev)}
		if e.Rev == 0 {
			cond, values = "attribute_exists(PK) AND attribute_not_exists(rev)", nil
		}
		e.Rev++
		if idem != nil {
			// With its Idempotency-Key record: one transaction.
			b := s.tx()
			b.idempotency(idem, e.UpdatedAt)
			b.put(toWebhookItem(e), cond, values)
			return s.commitAs(ctx, b, "put webhook "+e.ID)
		}
		item, err := marshal(toWebhookItem(e))
		if err != nil {
			return err
		}
		_, err = s.db.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(s.table), Item: item, ConditionExpression: aws.String(cond),
			ExpressionAttributeValues: values})
		if err != nil {
			return fmt.Errorf("put webhook: %w", classifyTx(err))
		}
		return nil
	}
	e.Rev = 1
	b := s.tx()
	b.idempotency(idem, e.CreatedAt)
	b.put(toWebhookItem(e), "attribute_not_exists(PK)", nil)
	b.update(businessPK(e.BusinessID), skBusiness, "ADD webhooks :one",
		"attribute_exists(PK) AND (attribute_not_exists(webhooks) OR webhooks < :max)", nil,
		map[string]types.AttributeValue{":one": num(1), ":max": num(webhook.MaxPerBusiness)})
	business := b.askBusinessItems()
	err := s.commit(ctx, b)
	// The business's condition failed: it does not exist (its item is not
	// returned with the cancellation), or it is at the limit.
	if err != nil && unknownBusiness(err, business) {
		return fmt.Errorf("register webhook %s: %w: %w", e.ID, moderation.ErrUnknownBusiness, err)
	}
	var tce *types.TransactionCanceledException
	if errors.As(err, &tce) && len(tce.CancellationReasons) == len(b.items) && aws.ToString(tce.CancellationReasons[len(b.items)-1].Code) == "ConditionalCheckFailed" {
		return fmt.Errorf("register webhook %s: %w", e.ID, moderation.Conflict(moderation.CodeWebhookLimit,
			fmt.Sprintf("a business may register at most %d webhooks", webhook.MaxPerBusiness)))
	}
	if err != nil {
		return fmt.Errorf("register webhook %s: %w", e.ID, classifyTx(err))
	}
	return nil
}

// GetWebhook returns a business's endpoint (moderation.ErrNotFound if it has none of that id).
func (s *Store) GetWebhook(ctx context.Context, businessID, id string) (webhook.Endpoint, error) {
	var it webhookItem
	if err := s.getItem(ctx, webhooksPK(businessID), webhookSK(id), &it); err != nil {
		return webhook.Endpoint{}, fmt.Errorf("get webhook: %w", err)
	}
	return it.endpoint(), nil
}

// ListWebhooks returns a business's endpoints.
func (s *Store) ListWebhooks(ctx context.Context, businessID string) ([]webhook.Endpoint, error) {
	var out []webhook.Endpoint
	err := s.queryAll(ctx, &dynamodb.QueryInput{
		TableName:                 aws.String(s.table),
		KeyConditionExpression:    aws.String("PK = :pk"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": str(webhooksPK(businessID))},
		ConsistentRead:            aws.Bool(true),
	}, func(raw map[string]types.AttributeValue) error {
		var it webhookItem
		if err := attributevalue.UnmarshalMap(raw, &it); err != nil {
			return err
		}
		out = append(out, it.endpoint())
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list webhooks: %w", err)
	}
	return out, nil
}

// DeleteWebhook deletes an endpoint and counts it off its business, in one
// transaction (its deliveries stay in the log until they expire).
func (s *Store) DeleteWebhook(ctx context.Context, businessID, id string) error {
	b := s.tx()
	b.items = append(b.items, types.TransactWriteItem{Delete: &types.Delete{TableName: aws.String(s.table),
		Key: s.key(webhooksPK(businessID), webhookSK(id)), ConditionExpression: aws.String("attribute_exists(PK)")}})
	b.update(businessPK(businessID), skBusiness, "ADD webhooks :minus", "attribute_exists(PK)", nil,
		map[string]types.AttributeValue{":minus": num(-1)})
	return s.commitAs(ctx, b, "delete webhook "+id)
}

type attemptItem struct {
	At         string `dynamodbav:"at"`
	StatusCode int    `dynamodbav:"statusCode,omitempty"`
	Error      string `dynamodbav:"error,omitempty"`
	DurationMS int64  `dynamodbav:"durationMs"`
}

type deliveryItem struct {
	PK, SK      string
	GSI1PK      string        `dynamodbav:"GSI1PK,omitempty"`
	GSI1SK      string        `dynamodbav:"GSI1SK,omitempty"`
	Type        string        `dynamodbav:"type"`
	WebhookID   string        `dynamodbav:"webhookId"`
	BusinessID  string        `dynamodbav:"businessId"`
	EventID     string        `dynamodbav:"eventId"`
	EventType   string        `dynamodbav:"eventType"`
	Payload     string        `dynamodbav:"payload"`
	Status      string        `dynamodbav:"status"`
	Attempts    int           `dynamodbav:"attempts"`
	NextAttempt string        `dynamodbav:"nextAttempt,omitempty"`
	CreatedAt   string        `dynamodbav:"createdAt"`
	UpdatedAt   string        `dynamodbav:"updatedAt"`
	Log         []attemptItem `dynamodbav:"log,omitempty"`
	ExpiresAt   int64         `dynamodbav:"expiresAt"`
}

func toDeliveryItem(d webhook.Delivery) deliveryItem {
	it := deliveryItem{PK: deliveriesPK(d.WebhookID), SK: deliverySK(d.EventID), Type: "webhookDelivery", WebhookID: d.WebhookID,
		BusinessID: d.BusinessID, EventID: d.EventID, EventType: d.EventType, Payload: d.Payload, Status: d.Status, Attempts: d.Attempts,
		CreatedAt: fmtTime(d.CreatedAt), UpdatedAt: fmtTime(d.UpdatedAt), ExpiresAt: d.CreatedAt.Add(DeliveryRetention).Unix()}
	if d.Status == webhook.StatusPending {
		it.NextAttempt = fmtTime(d.NextAttempt)
		it.GSI1PK, it.GSI1SK = queuePK(d.BusinessID), fmtTime(d.NextAttempt)+"#"+d.WebhookID+"#"+d.EventID
	}
	for _, a := range d.Log {
		it.Log = append(it.Log, attemptItem{At: fmtTime(a.At), StatusCode: a.StatusCode, Error: a.Error, DurationMS: a.Duration.Milliseconds()})
	}
	return it
}

func (it deliveryItem) delivery() webhook.Delivery {
	d := webhook.Delivery{WebhookID: it.WebhookID, BusinessID: it.BusinessID, EventID: it.EventID, EventType: it.EventType,
		Payload: it.Payload, Status: it.Status, Attempts: it.Attempts, NextAttempt: parseTime(it.NextAttempt),
		CreatedAt: parseTime(it.CreatedAt), UpdatedAt: parseTime(it.UpdatedAt)}
	for _, a := range it.Log {
		d.Log = append(d.Log, webhook.Attempt{At: parseTime(a.At), StatusCode: a.StatusCode, Error: a.Error, Duration: time.Duration(a.DurationMS) * time.Millisecond})
	}
	return d
}

// AddDelivery records a new delivery in its business's queue and marks
// the queue due at the delivery's first attempt, in one transaction; an
// existing delivery stays as it is.
func (s *Store) AddDelivery(ctx context.Context, d webhook.Delivery, idem *app.Idempotency) error {
	b := s.tx()
	b.idempotency(idem, d.CreatedAt)
	first := len(b.items)
	b.put(toDeliveryItem(d), "attribute_not_exists(PK)", nil)
	s.touchQueue(b, d.BusinessID, d.NextAttempt)
	err := s.commit(ctx, b)
	var tce *types.TransactionCanceledException
	if errors.As(err, &tce) && len(tce.CancellationReasons) > first && aws.ToString(tce.CancellationReasons[first].Code) == "ConditionalCheckFailed" &&
		(first == 0 || aws.ToString(tce.CancellationReasons[0].Code) != "ConditionalCheckFailed") {
		// Emitted before: the same event for the same endpoint. (A used
		// Idempotency-Key fails too, and is the caller's to answer:
		// DynamoDB reports every failed condition, not only the first.)
		return nil
	}
	if err != nil {
		return fmt.Errorf("add webhook delivery: %w", classifyTx(err))
	}
	return nil
}

// touchQueue adds to b the update of a business's queue head that says it
// has work due at due (a new delivery is due at once, so an earlier due
// time it replaces has passed too) and counts the change (seq), which the
// dispatcher's rescheduling is conditioned on.
func (s *Store) touchQueue(b *txBuilder, businessID string, due time.Time) {
	b.update(queueHeadPK(businessID), skQueue, "SET GSI1PK = :shard, GSI1SK = :due, #t = :type, businessId = :b, checkedEmpty = :no ADD seq :one", "",
		map[string]string{"#t": "type"}, map[string]types.AttributeValue{":shard": str(dueShardPK(businessID)),
			":due": str(fmtTime(due) + "#" + businessID), ":type": str("webhookQueue"), ":b": str(businessID),
			":no": &types.AttributeValueMemberBOOL{Value: false}, ":one": num(1)})
}

type queueItem struct {
	PK, SK       string
	BusinessID   string `dynamodbav:"businessId"`
	Seq          int    `dynamodbav:"seq"`
	CheckedEmpty bool   `dynamodbav:"checkedEmpty"`
}

// DueQueues returns the queues (heads) due at now, earliest first, up to
// limit: the first limit of each shard (one Query each, at the same time),
// merged. A pending delivery it finds indexed in a shard itself (written
// before each business had a queue) is moved into its business's queue on
// the way.
func (s *Store) DueQueues(ctx context.Context, now time.Time, limit int) ([]webhook.Queue, error) {
	type entry struct {
		sk    string
		queue webhook.Queue
	}
	type shard struct {
		entries []entry
		err     error
	}
	shards := make([]shard, DueShards)
	var wg sync.WaitGroup
	for n := range shards {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res, err := s.db.Query(ctx, &dynamodb.QueryInput{
				TableName:              aws.String(s.table),
				IndexName:              aws.String(IndexGSI1),
				KeyConditionExpression: aws.String("GSI1PK = :pk AND GSI1SK <= :now"),
				ExpressionAttributeValues: map[string]types.AttributeValue{
					":pk": str(dueShardName(n)), ":now": str(fmtTime(now) + "#~"),
				},
				Limit: aws.Int32(int32(limit)),
			})
			if err != nil {
				shards[n].err = err
				return
			}
			for _, raw := range res.Items {
				var kind struct {
					Type   string `dynamodbav:"type"`
					GSI1SK string
				}
				if err := attributevalue.UnmarshalMap(raw, &kind); err != nil {
					shards[n].err = err
					return
				}
				if kind.Type == "webhookDelivery" { // indexed here before queues: move it into its queue
					var it deliveryItem
					if err := attributevalue.UnmarshalMap(raw, &it); err != nil {
						shards[n].err = err
						return
					}
					if err := s.requeue(ctx, it.delivery()); err != nil {
						shards[n].err = err
						return
					}
					shards[n].entries = append(shards[n].entries, entry{kind.GSI1SK, webhook.Queue{BusinessID: it.BusinessID}})
					continue
				}
				var it queueItem
				if err := attributevalue.UnmarshalMap(raw, &it); err != nil {
					shards[n].err = err
					return
				}
				shards[n].entries = append(shards[n].entries, entry{kind.GSI1SK, webhook.Queue{BusinessID: it.BusinessID, Seq: it.Seq, CheckedEmpty: it.CheckedEmpty}})
			}
		}()
	}
	wg.Wait()
	var all []entry
	for _, sh := range shards {
		if sh.err != nil {
			return nil, fmt.Errorf("due webhook queues: %w", sh.err)
		}
		all = append(all, sh.entries...)
	}
	slices.SortFunc(all, func(a, b entry) int { return strings.Compare(a.sk, b.sk) })
	out := make([]webhook.Queue, 0, min(len(all), limit))
	seen := map[string]bool{}
	for _, e := range all {
		if len(out) == limit {
			break
		}
		if !seen[e.queue.BusinessID] {
			seen[e.queue.BusinessID] = true
			out = append(out, e.queue)
		}
	}
	return out, nil
}

// requeue moves a pending delivery indexed the way it was before queues
// into its business's queue (if it has not been attempted meanwhile).
func (s *Store) requeue(ctx context.Context, d webhook.Delivery) error {
	b := s.tx()
	b.put(toDeliveryItem(d), "attempts = :prev", map[string]types.AttributeValue{":prev": num(d.Attempts)})
	s.touchQueue(b, d.BusinessID, d.NextAttempt)
	if err := s.commit(ctx, b); err != nil && moderation.KindOf(classifyTx(err)) != moderation.KindConflict {
		return fmt.Errorf("requeue webhook delivery %s: %w", d.EventID, err)
	}
	return nil
}

// QueueHead returns a business's queue head as it is now (strongly
// consistent): its change count, or the zero Queue if it has none.
func (s *Store) QueueHead(ctx context.Context, businessID string) (webhook.Queue, error) {
	var it queueItem
	err := s.getItem(ctx, queueHeadPK(businessID), skQueue, &it)
	if moderation.KindOf(err) == moderation.KindNotFound {
		return webhook.Queue{BusinessID: businessID}, nil
	}
	if err != nil {
		return webhook.Queue{}, fmt.Errorf("webhook queue head: %w", err)
	}
	return webhook.Queue{BusinessID: businessID, Seq: it.Seq, CheckedEmpty: it.CheckedEmpty}, nil
}

// RescheduleQueue marks q due at due (checkedEmpty: its queue was found
// empty once), if nothing was added since q was read (its seq); else it
// returns a conflict and the head stays due at the addition.
func (s *Store) RescheduleQueue(ctx context.Context, q webhook.Queue, due time.Time, checkedEmpty bool) error {
	cond := "seq = :seq"
	if q.Seq == 0 {
		cond = "attribute_not_exists(PK) OR seq = :seq"
	}
	_, err := s.db.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: aws.String(s.table), Key: s.key(queueHeadPK(q.BusinessID), skQueue),
		UpdateExpression:         aws.String("SET GSI1PK = :shard, GSI1SK = :due, #t = :type, businessId = :b, checkedEmpty = :empty, seq = :seq"),
		ConditionExpression:      aws.String(cond),
		ExpressionAttributeNames: map[string]string{"#t": "type"},
		ExpressionAttributeValues: map[string]types.AttributeValue{":shard": str(dueShardPK(q.BusinessID)),
			":due": str(fmtTime(due) + "#" + q.BusinessID), ":type": str("webhookQueue"), ":b": str(q.BusinessID),
			":empty": &types.AttributeValueMemberBOOL{Value: checkedEmpty}, ":seq": num(q.Seq)}})
	if err != nil {
		return fmt.Errorf("reschedule webhook queue: %w", classifyTx(err))
	}
	return nil
}

// DropQueue deletes q's head, if nothing was added since q was read (its
// seq); else it returns a conflict.
func (s *Store) DropQueue(ctx context.Context, q webhook.Queue) error {
	_, err := s.db.DeleteItem(ctx, &dynamodb.DeleteItemInput{TableName: aws.String(s.table), Key: s.key(queueHeadPK(q.BusinessID), skQueue),
		ConditionExpression:       aws.String("seq = :seq"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":seq": num(q.Seq)}})
	if err != nil {
		return fmt.Errorf("drop webhook queue: %w", classifyTx(err))
	}
	return nil
}

// UpdateDelivery rewrites a delivery if it still has prevAttempts attempts.
func (s *Store) UpdateDelivery(ctx context.Context, d webhook.Delivery, prevAttempts int) error {
	item, err := marshal(toDeliveryItem(d))
	if err != nil {
		return err
	}
	_, err = s.db.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(s.table), Item: item,
		ConditionExpression:       aws.String("attempts = :prev"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":prev": num(prevAttempts)}})
	if err != nil {
		return fmt.Errorf("update webhook delivery: %w", classifyTx(err))
	}
	return nil
}

// QueuedDeliveries returns up to limit pending deliveries of a business,
// earliest next attempt first: those due at now, or (due zero) the first
// whatever its time.
func (s *Store) QueuedDeliveries(ctx context.Context, businessID string, due time.Time, limit int) ([]webhook.Delivery, error) {
	cond, values := "GSI1PK = :pk", map[string]types.AttributeValue{":pk": str(queuePK(businessID))}
	if !due.IsZero() {
		cond, values[":now"] = cond+" AND GSI1SK <= :now", str(fmtTime(due)+"#~")
	}
	res, err := s.db.Query(ctx, &dynamodb.QueryInput{TableName: aws.String(s.table), IndexName: aws.String(IndexGSI1),
		KeyConditionExpression: aws.String(cond), ExpressionAttributeValues: values, Limit: aws.Int32(int32(limit))})
	if err != nil {
		return nil, fmt.Errorf("queued webhook deliveries: %w", err)
	}
	out := make([]webhook.Delivery, 0, len(res.Items))
	for _, raw := range res.Items {
		var it deliveryItem
		if err := attributevalue.UnmarshalMap(raw, &it); err != nil {
			return nil, fmt.Errorf("queued webhook deliveries: %w", err)
		}
		out = append(out, it.delivery())
	}
	return out, nil
}

// ListDeliveries returns every delivery of an endpoint still in the log.
func (s *Store) ListDeliveries(ctx context.Context, webhookID string) ([]webhook.Delivery, error) {
	var out []webhook.Delivery
	err := s.queryAll(ctx, &dynamodb.QueryInput{
		TableName:                 aws.String(s.table),
		KeyConditionExpression:    aws.String("PK = :pk"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": str(deliveriesPK(webhookID))},
		ConsistentRead:            aws.Bool(true),
	}, func(raw map[string]types.AttributeValue) error {
		var it deliveryItem
		if err := attributevalue.UnmarshalMap(raw, &it); err != nil {
			return err
		}
		out = append(out, it.delivery())
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list webhook deliveries: %w", err)
	}
	return out, nil
}

// GetDelivery returns one delivery.
func (s *Store) GetDelivery(ctx context.Context, webhookID, eventID string) (webhook.Delivery, error) {
	var it deliveryItem
	if err := s.getItem(ctx, deliveriesPK(webhookID), deliverySK(eventID), &it); err != nil {
		return webhook.Delivery{}, fmt.Errorf("get webhook delivery: %w", err)
	}
	return it.delivery(), nil
}
