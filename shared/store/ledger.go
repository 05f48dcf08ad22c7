package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// The email ledger: which emails of an object (a request or a report) were
// sent, kept on the object's own item so that a retried task sends none twice.

// ClaimEmail makes sending one email idempotent across task retries. It
// returns true when the caller should send now: the email (named by key,
// e.g. "request:0") was neither sent nor is being sent by another attempt
// whose lease (claimed less than lease ago) is still running.
func (s *Store) ClaimEmail(ctx context.Context, pk, sk, key string, now time.Time, lease time.Duration) (bool, error) {
	// Two conditional writes rather than one with OR: minidyn evaluates
	// begins_with on a missing attribute as an error instead of false.
	claim := func(cond string, values map[string]types.AttributeValue) (bool, error) {
		values[":claim"] = str("claimed:" + fmtTime(now))
		_, err := s.db.UpdateItem(ctx, &dynamodb.UpdateItemInput{
			TableName:                 aws.String(s.table),
			Key:                       s.key(pk, sk),
			UpdateExpression:          aws.String("SET #k = :claim"),
			ConditionExpression:       aws.String(cond),
			ExpressionAttributeNames:  map[string]string{"#k": emailAttr(key)},
			ExpressionAttributeValues: values,
		})
		var ccf *types.ConditionalCheckFailedException
		if errors.As(err, &ccf) {
			return false, nil
		}
		if err != nil {
			return false, fmt.Errorf("claim email %s: %w", key, err)
		}
		return true, nil
	}
	if ok, err := claim("attribute_exists(PK) AND attribute_not_exists(#k)", map[string]types.AttributeValue{}); ok || err != nil {
		return ok, err
	}
	return claim("begins_with(#k, :claimed) AND #k < :stale", map[string]types.AttributeValue{
		":claimed": str("claimed:"), ":stale": str("claimed:" + fmtTime(now.Add(-lease))),
	})
}

// ConfirmEmail records that a claimed email was sent (with its message id).
func (s *Store) ConfirmEmail(ctx context.Context, pk, sk, key, messageID string) error {
	_, err := s.db.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName:                 aws.String(s.table),
		Key:                       s.key(pk, sk),
		UpdateExpression:          aws.String("SET #k = :sent"),
		ExpressionAttributeNames:  map[string]string{"#k": emailAttr(key)},
		ExpressionAttributeValues: map[string]types.AttributeValue{":sent": str("sent:" + messageID)},
	})
	if err != nil {
		return fmt.Errorf("confirm email %s: %w", key, err)
	}
	return nil
}

// ReleaseEmail gives up a claim after a failed send, so a retry sends again.
func (s *Store) ReleaseEmail(ctx context.Context, pk, sk, key string) error {
	_, err := s.db.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName:                 aws.String(s.table),
		Key:                       s.key(pk, sk),
		UpdateExpression:          aws.String("SET #k = :released"),
		ConditionExpression:       aws.String("begins_with(#k, :claimed)"),
		ExpressionAttributeNames:  map[string]string{"#k": emailAttr(key)},
		ExpressionAttributeValues: map[string]types.AttributeValue{":released": str("claimed:"), ":claimed": str("claimed:")},
	})
	if err != nil {
		return fmt.Errorf("release email %s: %w", key, classifyTx(err))
	}
	return nil
}

// emailAttr is the top-level attribute of the email ledger entry for key
// ("claimed:<time>" while being sent, "sent:<message id>" once sent). It is
// top-level rather than a map entry because minidyn rejects empty maps.
func emailAttr(key string) string { return "email:" + key }

// RequestKey returns the key of a request item, for the email ledger.
func (*Store) RequestKey(id string) (pk, sk string) { return requestPK(id), skRequest }

// ReportKey returns the key of a report item, for the email ledger.
func (*Store) ReportKey(id string) (pk, sk string) { return reportPK(id), skReport }
