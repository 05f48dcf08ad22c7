package stack_test

import (
	"context"
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/candorhq/candor/infra/local/edge"
)

// TestTransactionLostInTransitIsNotRunTwice: a TransactWriteItems is carried
// out but its answer lost (a "timeout" fault resets the connection); the
// SDK retries with the same ClientRequestToken and, as DynamoDB does, the
// local stack answers the first result without running it again.
func TestTransactionLostInTransitIsNotRunTwice(t *testing.T) {
	s := startStack(t, false)
	c := newFaultClients(t, s, nil)
	ctx := context.Background()
	if _, err := s.Faults.Add(edge.FaultRule{Service: edge.ServiceDynamoDB, Operation: "TransactWriteItems", Error: edge.FaultTimeout, Count: 1}); err != nil {
		t.Fatal(err)
	}
	add := func(token string, by string) error {
		_, err := c.db.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{ClientRequestToken: aws.String(token),
			TransactItems: []ddbtypes.TransactWriteItem{{Update: &ddbtypes.Update{TableName: aws.String(c.tbl),
				Key:                       map[string]ddbtypes.AttributeValue{"pk": &ddbtypes.AttributeValueMemberS{Value: "counter"}},
				UpdateExpression:          aws.String("ADD n :one"),
				ExpressionAttributeValues: map[string]ddbtypes.AttributeValue{":one": &ddbtypes.AttributeValueMemberN{Value: by}}}}}})
		return err
	}
	if err := add("tok-1", "1"); err != nil {
		t.Fatalf("transaction through a lost answer: %v", err)
	}
	if s.Faults.Injected() != 1 {
		t.Fatalf("faults injected = %d, want the one timeout", s.Faults.Injected())
	}
	out, err := c.db.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(c.tbl), ConsistentRead: aws.Bool(true),
		Key: map[string]ddbtypes.AttributeValue{"pk": &ddbtypes.AttributeValueMemberS{Value: "counter"}}})
	if err != nil {
		t.Fatal(err)
	}
	if n := out.Item["n"].(*ddbtypes.AttributeValueMemberN).Value; n != "1" {
		t.Fatalf("counter = %s, want 1: the retried transaction ran twice", n)
	}
	var mismatch *ddbtypes.IdempotentParameterMismatchException
	if err := add("tok-1", "2"); !errors.As(err, &mismatch) {
		t.Errorf("the same token with another request: got %v, want IdempotentParameterMismatchException", err)
	}
	if err := add("tok-2", "1"); err != nil {
		t.Errorf("a new token: %v", err)
	}
}
