package store

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/candorhq/candor/shared/app"
	"github.com/candorhq/candor/shared/moderation"
)

// DynamoDB is the part of the DynamoDB client the store uses.
type DynamoDB interface {
	GetItem(ctx context.Context, in *dynamodb.GetItemInput, optFns ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error)
	PutItem(ctx context.Context, in *dynamodb.PutItemInput, optFns ...func(*dynamodb.Options)) (*dynamodb.PutItemOutput, error)
	UpdateItem(ctx context.Context, in *dynamodb.UpdateItemInput, optFns ...func(*dynamodb.Options)) (*dynamodb.UpdateItemOutput, error)
	Query(ctx context.Context, in *dynamodb.QueryInput, optFns ...func(*dynamodb.Options)) (*dynamodb.QueryOutput, error)
	BatchGetItem(ctx context.Context, in *dynamodb.BatchGetItemInput, optFns ...func(*dynamodb.Options)) (*dynamodb.BatchGetItemOutput, error)
	TransactWriteItems(ctx context.Context, in *dynamodb.TransactWriteItemsInput, optFns ...func(*dynamodb.Options)) (*dynamodb.TransactWriteItemsOutput, error)
	DeleteItem(ctx context.Context, in *dynamodb.DeleteItemInput, optFns ...func(*dynamodb.Options)) (*dynamodb.DeleteItemOutput, error)
}

var _ DynamoDB = (*dynamodb.Client)(nil)

// Actions lists every DynamoDB action the store performs, for the IAM policy
// checks of template.yaml.
var Actions = []string{
	"dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:Query",
	"dynamodb:DeleteItem", "dynamodb:BatchGetItem",
}

// The store reports failures in the domain's vocabulary: a missing item
// wraps moderation.ErrNotFound, a failed condition moderation.ErrChanged (with
// the SDK's error kept for the log), a foreign cursor a KindInvalid error on
// field "cursor". Anything else is the SDK's error, wrapped with the operation.

// Store is the DynamoDB adapter. It is safe for concurrent use.
type Store struct {
	db    DynamoDB
	table string
}

// New returns a Store on the named table.
func New(db DynamoDB, table string) *Store { return &Store{db: db, table: table} }

func (s *Store) key(pk, sk string) map[string]types.AttributeValue {
	return map[string]types.AttributeValue{AttrPK: &types.AttributeValueMemberS{Value: pk}, AttrSK: &types.AttributeValueMemberS{Value: sk}}
}

func (s *Store) getItem(ctx context.Context, pk, sk string, out any) error {
	res, err := s.db.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(s.table), Key: s.key(pk, sk), ConsistentRead: aws.Bool(true)})
	if err != nil {
		return err
	}
	if res.Item == nil {
		return moderation.ErrNotFound
	}
	return attributevalue.UnmarshalMap(res.Item, out)
}

func marshal(v any) (map[string]types.AttributeValue, error) {
	m, err := attributevalue.MarshalMap(v)
	if err != nil {
		return nil, fmt.Errorf("marshal %T: %w", v, err)
	}
	return m, nil
}

func str(s string) types.AttributeValue { return &types.AttributeValueMemberS{Value: s} }
func num(n int) types.AttributeValue    { return &types.AttributeValueMemberN{Value: fmt.Sprint(n)} }

// queryPrefix reads every item of partition pk whose sort key begins with
// prefix, in sort-key order (strongly consistent), as T, each converted by
// conv.
func queryPrefix[T, R any](ctx context.Context, s *Store, pk, prefix string, conv func(T) R) ([]R, error) {
	var out []R
	err := s.queryAll(ctx, &dynamodb.QueryInput{
		TableName:                 aws.String(s.table),
		KeyConditionExpression:    aws.String("PK = :pk AND begins_with(SK, :prefix)"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": str(pk), ":prefix": str(prefix)},
		ConsistentRead:            aws.Bool(true),
	}, func(raw map[string]types.AttributeValue) error {
		var it T
		if err := attributevalue.UnmarshalMap(raw, &it); err != nil {
			return err
		}
		out = append(out, conv(it))
		return nil
	})
	return out, err
}

func (s *Store) queryAll(ctx context.Context, in *dynamodb.QueryInput, each func(map[string]types.AttributeValue) error) error {
	for {
		res, err := s.db.Query(ctx, in)
		if err != nil {
			return err
		}
		for _, raw := range res.Items {
			if err := each(raw); err != nil {
				return err
			}
		}
		if res.LastEvaluatedKey == nil {
			return nil
		}
		in.ExclusiveStartKey = res.LastEvaluatedKey
	}
}

// classifyTx turns a cancelled transaction or a failed condition into
// moderation.ErrChanged (keeping the original error for the log) and leaves
// other errors as they are.
func classifyTx(err error) error {
	var tce *types.TransactionCanceledException
	if errors.As(err, &tce) {
		if !conditionFailed(tce) {
			return err // throttled or in conflict with another transaction: nothing changed, a retry may pass
		}
		return fmt.Errorf("%w: %w", moderation.ErrChanged, err)
	}
	var ccf *types.ConditionalCheckFailedException
	if errors.As(err, &ccf) {
		return fmt.Errorf("%w: %w", moderation.ErrChanged, err)
	}
	return err
}

// conditionFailed reports whether a cancelled transaction was cancelled by
// a condition (the state changed). DynamoDB also cancels one that was
// throttled or met another transaction (ThrottlingError,
// TransactionConflict, ProvisionedThroughputExceeded): nothing changed
// then, and the caller's answer is a retry, not "it changed". A
// cancellation that names no reasons is taken as a condition.
func conditionFailed(tce *types.TransactionCanceledException) bool {
	if len(tce.CancellationReasons) == 0 {
		return true
	}
	for _, r := range tce.CancellationReasons {
		if aws.ToString(r.Code) == "ConditionalCheckFailed" {
			return true
		}
	}
	return false
}

// readPartition reads every item of partition pk, strongly consistent,
// handing each to fn with its sort key.
func (s *Store) readPartition(ctx context.Context, pk string, fn func(sk string, raw map[string]types.AttributeValue) error) error {
	return s.queryAll(ctx, &dynamodb.QueryInput{
		TableName:                 aws.String(s.table),
		KeyConditionExpression:    aws.String("PK = :pk"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": str(pk)},
		ConsistentRead:            aws.Bool(true),
	}, func(raw map[string]types.AttributeValue) error {
		if sk, ok := raw[AttrSK].(*types.AttributeValueMemberS); ok {
			return fn(sk.Value, raw)
		}
		return nil
	})
}

// appendAudit decodes an audit item onto trail.
func appendAudit(trail *[]moderation.AuditEntry, raw map[string]types.AttributeValue) error {
	var it auditItem
	if err := attributevalue.UnmarshalMap(raw, &it); err != nil {
		return err
	}
	*trail = append(*trail, it.domain())
	return nil
}

var _ app.Store = (*Store)(nil)

// readWithTrail reads an object's item (sort key head) into item and its
// audit trail, in one Query of the object's partition; moderation.ErrNotFound
// when the item does not exist.
func (s *Store) readWithTrail(ctx context.Context, pk, head string, item any) ([]moderation.AuditEntry, error) {
	var trail []moderation.AuditEntry
	found := false
	err := s.readPartition(ctx, pk, func(sk string, raw map[string]types.AttributeValue) error {
		switch {
		case sk == head:
			found = true
			return attributevalue.UnmarshalMap(raw, item)
		case strings.HasPrefix(sk, skAuditPfx):
			return appendAudit(&trail, raw)
		}
		return nil
	})
	if err == nil && !found {
		err = moderation.ErrNotFound
	}
	return trail, err
}
