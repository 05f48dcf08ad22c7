package store

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/candorhq/candor/shared/app"
)

// Webhook events (outbox items): WHEVENT#<eventId> / EVENT, written with
// the change they report, unconditionally (a retried write rewrites the
// same item). Until the dispatcher has made a delivery of it for each
// subscribed webhook it is in GSI1 under WHFANOUT; then it is rewritten
// without the GSI1 keys and expires after DeliveryRetention.

const (
	eventsFanOutPK = "WHFANOUT"
	skEvent        = "EVENT"
)

func eventPK(id string) string { return "WHEVENT#" + id }

type eventItem struct {
	PK, SK     string
	GSI1PK     string `dynamodbav:"GSI1PK,omitempty"`
	GSI1SK     string `dynamodbav:"GSI1SK,omitempty"`
	Type       string `dynamodbav:"type"`
	EventID    string `dynamodbav:"eventId"`
	EventType  string `dynamodbav:"eventType"`
	BusinessID string `dynamodbav:"businessId"`
	Payload    string `dynamodbav:"payload"`
	At         string `dynamodbav:"at"`
	ExpiresAt  int64  `dynamodbav:"expiresAt"`
}

func newEventItem(e app.Event, pending bool) eventItem {
	it := eventItem{PK: eventPK(e.ID), SK: skEvent, Type: "webhookEvent", EventID: e.ID, EventType: e.Type, BusinessID: e.BusinessID,
		Payload: e.Payload, At: fmtTime(e.At), ExpiresAt: e.At.Add(DeliveryRetention).Unix()}
	if pending {
		it.GSI1PK, it.GSI1SK = eventsFanOutPK, fmtTime(e.At)+"#"+e.ID
	}
	return it
}

func (it eventItem) event() app.Event {
	return app.Event{ID: it.EventID, Type: it.EventType, BusinessID: it.BusinessID, Payload: it.Payload, At: parseTime(it.At)}
}

// events adds the Puts of webhook events to a transaction.
func (b *txBuilder) events(evs []app.Event) {
	for _, e := range evs {
		b.put(newEventItem(e, true), "", nil)
	}
}

// PutEvent records a webhook event on its own, for a change whose write
// cannot carry it (a retry of the same event rewrites the same item).
func (s *Store) PutEvent(ctx context.Context, e app.Event) error {
	item, err := marshal(newEventItem(e, true))
	if err != nil {
		return err
	}
	if _, err := s.db.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(s.table), Item: item}); err != nil {
		return fmt.Errorf("put webhook event: %w", err)
	}
	return nil
}

// PendingEvents returns up to limit events not yet fanned out, oldest first.
func (s *Store) PendingEvents(ctx context.Context, limit int) ([]app.Event, error) {
	res, err := s.db.Query(ctx, &dynamodb.QueryInput{
		TableName:                 aws.String(s.table),
		IndexName:                 aws.String(IndexGSI1),
		KeyConditionExpression:    aws.String("GSI1PK = :pk"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": str(eventsFanOutPK)},
		Limit:                     aws.Int32(int32(limit)),
	})
	if err != nil {
		return nil, fmt.Errorf("pending webhook events: %w", err)
	}
	out := make([]app.Event, 0, len(res.Items))
	for _, raw := range res.Items {
		var it eventItem
		if err := attributevalue.UnmarshalMap(raw, &it); err != nil {
			return nil, fmt.Errorf("pending webhook events: %w", err)
		}
		out = append(out, it.event())
	}
	return out, nil
}

// EventFannedOut takes an event out of the fan-out index.
func (s *Store) EventFannedOut(ctx context.Context, e app.Event) error {
	item, err := marshal(newEventItem(e, false))
	if err != nil {
		return err
	}
	if _, err := s.db.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(s.table), Item: item}); err != nil {
		return fmt.Errorf("webhook event fanned out: %w", err)
	}
	return nil
}
