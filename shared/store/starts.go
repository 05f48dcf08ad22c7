package store

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/candorhq/candor/shared/app"
)

// Workflow starts: recorded with the object they serve (one partition,
// WFSTART), deleted by the execution's first task, re-driven by the sweeper.

const (
	startsPK    = "WFSTART"
	startPrefix = "START#"
)

type startItem struct {
	PK, SK  string
	Type    string `dynamodbav:"type"`
	Machine string `dynamodbav:"machine"`
	Name    string `dynamodbav:"name"`
	Input   string `dynamodbav:"input"`
	At      string `dynamodbav:"at"`
}

func startSK(name string) string { return startPrefix + name }

func newStartItem(w app.WorkflowStart) startItem {
	return startItem{PK: startsPK, SK: startSK(w.Name), Type: "workflowStart", Machine: w.Machine, Name: w.Name, Input: w.Input, At: fmtTime(w.At)}
}

// PendingStarts returns the workflow starts still recorded, oldest first.
func (s *Store) PendingStarts(ctx context.Context) ([]app.WorkflowStart, error) {
	starts, _, err := s.Pending(ctx)
	return starts, err
}

// Pending returns, in one Query, the workflow starts still recorded (oldest
// first) and the wake-ups that failed: what the sweeper does every minute.
func (s *Store) Pending(ctx context.Context) ([]app.WorkflowStart, []app.PendingWake, error) {
	var starts []app.WorkflowStart
	var wakes []app.PendingWake
	err := s.queryAll(ctx, &dynamodb.QueryInput{
		TableName:                 aws.String(s.table),
		KeyConditionExpression:    aws.String("PK = :pk"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": str(startsPK)},
		ConsistentRead:            aws.Bool(true),
	}, func(raw map[string]types.AttributeValue) error {
		if sk, _ := raw[AttrSK].(*types.AttributeValueMemberS); sk != nil && strings.HasPrefix(sk.Value, wakePrefix) {
			w, err := wakeOf(raw)
			wakes = append(wakes, w)
			return err
		}
		var it startItem
		if err := attributevalue.UnmarshalMap(raw, &it); err != nil {
			return err
		}
		starts = append(starts, app.WorkflowStart{Machine: it.Machine, Name: it.Name, Input: it.Input, At: parseTime(it.At)})
		return nil
	})
	if err != nil {
		return nil, nil, fmt.Errorf("pending workflow starts and wake-ups: %w", err)
	}
	slices.SortFunc(starts, func(a, b app.WorkflowStart) int { return a.At.Compare(b.At) })
	return starts, wakes, nil
}
