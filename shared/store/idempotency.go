package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/candorhq/candor/shared/app"
	"github.com/candorhq/candor/shared/moderation"
)

// Idempotency keys: the record is written by the transaction of the change
// it remembers (txBuilder.idempotency), completed with the response by the
// HTTP layer, read when a request with a known key comes again, and
// forgotten after its TTL.

type idempotencyItem struct {
	PK, SK      string
	Type        string `dynamodbav:"type"`
	RequestHash string `dynamodbav:"requestHash"`
	Resource    string `dynamodbav:"resource"`
	Status      int    `dynamodbav:"status"`
	Body        []byte `dynamodbav:"body"`
	CreatedAt   string `dynamodbav:"createdAt"`
	ExpiresAt   int64  `dynamodbav:"expiresAt"`
}

// idempotencyPK is the partition key of the record of key in scope: both
// come from the caller (its sub, the Idempotency-Key it chose), so they are
// hashed, length-prefixed, into a key of fixed length that fits DynamoDB's
// limit whatever they are and that no other scope and key share.
func idempotencyPK(scope, key string) string {
	h := sha256.New()
	fmt.Fprintf(h, "%d:%s%d:%s", len(scope), scope, len(key), key)
	return "IDEM#" + hex.EncodeToString(h.Sum(nil))
}

func newIdempotencyItem(rec app.Idempotency) idempotencyItem {
	return idempotencyItem{PK: idempotencyPK(rec.Scope, rec.Key), SK: skIdempotency, Type: "idempotency",
		RequestHash: rec.RequestHash, Resource: rec.Resource, Status: rec.Status, Body: rec.Body,
		CreatedAt: fmtTime(rec.CreatedAt), ExpiresAt: rec.ExpiresAt.Unix()}
}

// LookupIdempotency returns the record of a key and whether there is one
// that has not expired (TTL deletion lags; an expired record no longer counts).
func (s *Store) LookupIdempotency(ctx context.Context, scope, key string, now time.Time) (app.Idempotency, bool, error) {
	var it idempotencyItem
	err := s.getItem(ctx, idempotencyPK(scope, key), skIdempotency, &it)
	if errors.Is(err, moderation.ErrNotFound) {
		return app.Idempotency{}, false, nil
	}
	if err != nil {
		return app.Idempotency{}, false, fmt.Errorf("read idempotency key: %w", err)
	}
	if it.ExpiresAt <= now.Unix() {
		return app.Idempotency{}, false, nil
	}
	return app.Idempotency{Scope: scope, Key: key, RequestHash: it.RequestHash, Resource: it.Resource, Status: it.Status, Body: it.Body,
		CreatedAt: parseTime(it.CreatedAt), ExpiresAt: time.Unix(it.ExpiresAt, 0).UTC()}, true, nil
}

// CompleteIdempotency stores the first response of the request that wrote
// the key's record. It only completes a record of the same request that has
// no response yet: moderation.ErrChanged otherwise (the request did not
// write one, or another attempt completed it first).
func (s *Store) CompleteIdempotency(ctx context.Context, rec app.Idempotency, status int, body []byte) error {
	_, err := s.db.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName:                aws.String(s.table),
		Key:                      s.key(idempotencyPK(rec.Scope, rec.Key), skIdempotency),
		UpdateExpression:         aws.String("SET #status = :status, body = :body"),
		ConditionExpression:      aws.String("requestHash = :hash AND #status = :zero"),
		ExpressionAttributeNames: map[string]string{"#status": "status"},
		ExpressionAttributeValues: map[string]types.AttributeValue{":status": num(status), ":body": &types.AttributeValueMemberB{Value: body},
			":hash": str(rec.RequestHash), ":zero": num(0)},
	})
	if err != nil {
		return fmt.Errorf("complete idempotency key: %w", classifyTx(err))
	}
	return nil
}
