package store

import (
	"context"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/candorhq/candor/shared/app"
)

// Wake-ups that failed wait in the workflow starts' partition (WFSTART,
// sort key WAKE#<target>#<id>), one item per object (a later failure for
// the same object replaces the earlier: the task takes one answer), so
// that the sweeper reads both with its one Query a minute (Pending).

const wakePrefix = "WAKE#"

type wakeItem struct {
	PK, SK string
	Type   string `dynamodbav:"type"`
	Target string `dynamodbav:"target"`
	ID     string `dynamodbav:"id"`
	Output string `dynamodbav:"output"`
	At     string `dynamodbav:"at"`
}

func wakeSK(t app.WakeTarget, id string) string { return wakePrefix + string(t) + "#" + id }

// RecordWake records a wake-up that failed, replacing an earlier one of
// the same object.
func (s *Store) RecordWake(ctx context.Context, w app.PendingWake) error {
	item, err := marshal(wakeItem{PK: startsPK, SK: wakeSK(w.Target, w.ID), Type: "wake", Target: string(w.Target), ID: w.ID,
		Output: string(w.Output), At: fmtTime(w.At)})
	if err != nil {
		return fmt.Errorf("record wake %s %s: %w", w.Target, w.ID, err)
	}
	if _, err := s.db.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(s.table), Item: item}); err != nil {
		return fmt.Errorf("record wake %s %s: %w", w.Target, w.ID, err)
	}
	return nil
}

// PendingWakes lists the recorded wake-ups.
func (s *Store) PendingWakes(ctx context.Context) ([]app.PendingWake, error) {
	_, wakes, err := s.Pending(ctx)
	return wakes, err
}

// wakeOf decodes a wake-up's item.
func wakeOf(raw map[string]types.AttributeValue) (app.PendingWake, error) {
	var it wakeItem
	if err := attributevalue.UnmarshalMap(raw, &it); err != nil {
		return app.PendingWake{}, err
	}
	return app.PendingWake{Target: app.WakeTarget(it.Target), ID: it.ID, Output: []byte(it.Output), At: parseTime(it.At)}, nil
}

// ClearWake forgets w, unless a later failure recorded it again meanwhile.
func (s *Store) ClearWake(ctx context.Context, w app.PendingWake) error {
	_, err := s.db.DeleteItem(ctx, &dynamodb.DeleteItemInput{
		TableName:                 aws.String(s.table),
		Key:                       s.key(startsPK, wakeSK(w.Target, w.ID)),
		ConditionExpression:       aws.String("#at = :at"),
		ExpressionAttributeNames:  map[string]string{"#at": "at"},
		ExpressionAttributeValues: map[string]types.AttributeValue{":at": str(fmtTime(w.At))},
	})
	if _, changed := errors.AsType[*types.ConditionalCheckFailedException](err); changed {
		return nil // recorded again (or gone): the next sweep sees the newer one
	}
	if err != nil {
		return fmt.Errorf("clear wake %s %s: %w", w.Target, w.ID, err)
	}
	return nil
}

// AppealTaskToken returns the token of the task waiting for the appeal's
// decision ("" if none).
func (s *Store) AppealTaskToken(ctx context.Context, id string) (string, error) {
	_, _, token, err := s.AppealDetail(ctx, id)
	return token, err
}

var _ app.WakeStore = (*Store)(nil)
