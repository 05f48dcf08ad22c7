package dynamotest_test

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/candorhq/candor/infra/local/dynamotest"
	"github.com/candorhq/candor/shared/store"
)

func TestScratchRemove(t *testing.T) {
	ep, tbl := dynamotest.Table(t, "scratch")
	db := dynamotest.Client(ep)
	ctx := context.Background()
	if _, err := db.CreateTable(ctx, store.TableDefinition(tbl)); err != nil {
		t.Fatal(err)
	}
	key := map[string]types.AttributeValue{"PK": &types.AttributeValueMemberS{Value: "a"}, "SK": &types.AttributeValueMemberS{Value: "b"}}
	item := map[string]types.AttributeValue{"PK": &types.AttributeValueMemberS{Value: "a"}, "SK": &types.AttributeValueMemberS{Value: "b"}, "x": &types.AttributeValueMemberS{Value: "1"}, "m": &types.AttributeValueMemberM{Value: map[string]types.AttributeValue{"y": &types.AttributeValueMemberS{Value: "2"}}}}
	if _, err := db.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(tbl), Item: item}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: aws.String(tbl), Key: key, UpdateExpression: aws.String("REMOVE x, m.y")}); err != nil {
		t.Fatal(err)
	}
	out, _ := db.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(tbl), Key: key})
	t.Logf("%#v", out.Item)
	_, err := db.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: aws.String(tbl), Key: key, UpdateExpression: aws.String("REMOVE #x"), ExpressionAttributeNames: map[string]string{"#x": "m"}})
	out, _ = db.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(tbl), Key: key})
	t.Logf("%v %#v", err, out.Item)
}
