package stack_test

import (
	"context"
	"maps"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/candorhq/candor/infra/local/stack"
)

// TestPartitionMeterCountsWhatDynamoDBWrites: each write counts on its
// table partition and on every index partition its item enters, leaves or
// changes in (a sort-key change is a delete and a put); units are per
// started KiB, doubled in a transaction; a condition check costs units but
// writes no item, and a refused write counts nothing.
func TestPartitionMeterCountsWhatDynamoDBWrites(t *testing.T) {
	s := startStack(t, false)
	ctx := context.Background()
	db, table := s.DynamoDB, aws.String(s.Table)
	str := func(v string) ddbtypes.AttributeValue { return &ddbtypes.AttributeValueMemberS{Value: v} }
	key := func(pk string) map[string]ddbtypes.AttributeValue {
		return map[string]ddbtypes.AttributeValue{"PK": str(pk), "SK": str("X")}
	}
	must := func(_ any, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(db.PutItem(ctx, &dynamodb.PutItemInput{TableName: table, Item: key("BEFORE")})) // before the meter starts: not counted
	s.Partitions.Start()

	a := key("A")
	a["GSI1PK"], a["GSI1SK"] = str("QUEUE"), str("t1")
	must(db.PutItem(ctx, &dynamodb.PutItemInput{TableName: table, Item: a}))
	must(db.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: table, Key: key("A"), UpdateExpression: aws.String("SET GSI1SK = :t"),
		ExpressionAttributeValues: map[string]ddbtypes.AttributeValue{":t": str("t2")}}))
	must(db.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: table, Key: key("A"), UpdateExpression: aws.String("SET note = :n"),
		ExpressionAttributeValues: map[string]ddbtypes.AttributeValue{":n": str("seen")}}))
	b := key("B")
	b["GSI2PK"], b["GSI2SK"], b["body"] = str("ROUND"), str("t1"), str(strings.Repeat("x", 1500))
	must(db.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: []ddbtypes.TransactWriteItem{
		{Put: &ddbtypes.Put{TableName: table, Item: b}},
		{ConditionCheck: &ddbtypes.ConditionCheck{TableName: table, Key: key("A"), ConditionExpression: aws.String("attribute_exists(PK)")}},
	}}))
	if _, err := db.PutItem(ctx, &dynamodb.PutItemInput{TableName: table, Item: key("A"), ConditionExpression: aws.String("attribute_not_exists(PK)")}); err == nil {
		t.Fatal("a conditional put over an existing item succeeded")
	}
	must(db.DeleteItem(ctx, &dynamodb.DeleteItemInput{TableName: table, Key: key("A")}))

	want := map[string]stack.PartitionWrites{
		"table PK=A":        {Items: 4, WCU: 6}, // put, two updates, delete; the check's 2 units
		"GSI1 GSI1PK=QUEUE": {Items: 5, WCU: 5}, // enter, sort key moved (2), changed in, leave
		"table PK=B":        {Items: 1, WCU: 4}, // 2 KiB, in a transaction
		"GSI2 GSI2PK=ROUND": {Items: 1, WCU: 2},
	}
	if got := s.Partitions.Writes(); !maps.Equal(got, want) {
		t.Errorf("writes = %v, want %v", got, want)
	}
}
