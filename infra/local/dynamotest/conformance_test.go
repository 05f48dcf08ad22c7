package dynamotest_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/candorhq/candor/infra/local/dynamotest"
	"github.com/candorhq/candor/shared/store"
)

// deviation is how a backend is known to differ from DynamoDB's documented
// behaviour in one respect, and what the project does about it.
type deviation struct {
	backend string // "minidyn" or "moto"
	why     string // what it does instead, and the workaround
}

// TestBackendFollowsDynamoDB checks the raw backend (no local-stack wrapper)
// against DynamoDB's documented behaviour in the respects Candor depends
// on. A known deviation of the backend under test is asserted to still be
// there: when a new version fixes it the test fails, so the workaround can
// be dropped and the docs (docs/dynamodb.md) updated.
func TestBackendFollowsDynamoDB(t *testing.T) {
	backend := dynamotest.Backend()
	if backend != "minidyn" && backend != "moto" {
		backend = "external"
	}
	tests := []struct {
		name  string
		known []deviation
		// check reports whether the backend behaved as DynamoDB documents,
		// and what it did.
		check func(t *testing.T, db *dynamodb.Client, table string) (ok bool, got string)
	}{
		{
			// "REMOVE - Removes one or more attributes from an item." (UpdateExpression)
			name:  "UpdateItem REMOVE of a top-level attribute removes it",
			known: []deviation{{"minidyn", "keeps the attribute (no error); the store SETs \"\"/0 instead of REMOVE"}},
			check: func(t *testing.T, db *dynamodb.Client, table string) (bool, string) {
				put(t, db, table, map[string]types.AttributeValue{"x": s("1")})
				if _, err := db.UpdateItem(context.Background(), &dynamodb.UpdateItemInput{TableName: aws.String(table), Key: key(),
					UpdateExpression: aws.String("REMOVE x")}); err != nil {
					t.Fatal(err)
				}
				_, kept := get(t, db, table)["x"]
				return !kept, map[bool]string{true: "x kept", false: "x removed"}[kept]
			},
		},
		{
			// "Providing a ClientRequestToken makes the call to TransactWriteItems
			// idempotent [...] valid for 10 minutes"; the SDK sets one and keeps
			// it across its retries.
			name: "TransactWriteItems with a repeated ClientRequestToken is not run again",
			known: []deviation{
				{"minidyn", "runs it again; the local stack's withTransactionTokens answers the first result"},
				{"moto", "runs it again; the local stack's withTransactionTokens answers the first result"},
			},
			check: func(t *testing.T, db *dynamodb.Client, table string) (bool, string) {
				add := &dynamodb.TransactWriteItemsInput{ClientRequestToken: aws.String("token-1"),
					TransactItems: []types.TransactWriteItem{{Update: &types.Update{TableName: aws.String(table), Key: key(),
						UpdateExpression:          aws.String("ADD n :one"),
						ExpressionAttributeValues: map[string]types.AttributeValue{":one": &types.AttributeValueMemberN{Value: "1"}}}}}}
				for range 2 {
					if _, err := db.TransactWriteItems(context.Background(), add); err != nil {
						t.Fatal(err)
					}
				}
				n := get(t, db, table)["n"].(*types.AttributeValueMemberN).Value
				return n == "1", "n = " + n
			},
		},
		{
			// ListTables "returns an array of table names associated with the current account and endpoint".
			name:  "ListTables lists the table",
			known: []deviation{{"minidyn", "has no ListTables; the local stack's dynamoFront answers it"}},
			check: func(t *testing.T, db *dynamodb.Client, table string) (bool, string) {
				out, err := db.ListTables(context.Background(), &dynamodb.ListTablesInput{})
				if err != nil {
					return false, err.Error()
				}
				for _, name := range out.TableNames {
					if name == table {
						return true, "listed"
					}
				}
				return false, "not listed"
			},
		},
		{
			// A Query returns the items of its partition only, in sort-key order
			// (descending with ScanIndexForward false), a page of Limit at a time,
			// on the table and on a GSI. Partition "p" is next to "p.x" and "p#",
			// whose key strings start alike.
			name: "Query reads one partition, in order, page by page",
			check: func(t *testing.T, db *dynamodb.Client, table string) (bool, string) {
				ctx := context.Background()
				for _, pk := range []string{"p", "p.x", "p#", "o"} {
					for _, sk := range []string{"3", "1", "2", "10"} {
						put(t, db, table, map[string]types.AttributeValue{"PK": s(pk), "SK": s(sk), "GSI1PK": s("g-" + pk), "GSI1SK": s(sk)})
					}
				}
				read := func(index string, forward bool) string {
					pkName, val := "PK", "p"
					if index != "" {
						pkName, val = "GSI1PK", "g-p"
					}
					var got []string
					var start map[string]types.AttributeValue
					for range 10 {
						in := &dynamodb.QueryInput{TableName: aws.String(table), KeyConditionExpression: aws.String("#pk = :v"),
							ExpressionAttributeNames: map[string]string{"#pk": pkName}, ExpressionAttributeValues: map[string]types.AttributeValue{":v": s(val)},
							ScanIndexForward: aws.Bool(forward), Limit: aws.Int32(3), ExclusiveStartKey: start}
						if index != "" {
							in.IndexName = aws.String(index)
						}
						out, err := db.Query(ctx, in)
						if err != nil {
							t.Fatal(err)
						}
						for _, it := range out.Items {
							got = append(got, it["PK"].(*types.AttributeValueMemberS).Value+"/"+it["SK"].(*types.AttributeValueMemberS).Value)
						}
						if start = out.LastEvaluatedKey; start == nil {
							break
						}
					}
					return strings.Join(got, " ")
				}
				want := map[string]string{"table asc": "p/1 p/10 p/2 p/3", "table desc": "p/3 p/2 p/10 p/1", "GSI1 asc": "p/1 p/10 p/2 p/3", "GSI1 desc": "p/3 p/2 p/10 p/1"}
				got := map[string]string{"table asc": read("", true), "table desc": read("", false), "GSI1 asc": read("GSI1", true), "GSI1 desc": read("GSI1", false)}
				for k := range want {
					if got[k] != want[k] {
						return false, fmt.Sprintf("%s: %q, want %q", k, got[k], want[k])
					}
				}
				return true, "as documented"
			},
		},
		{
			// A condition that fails cancels the whole transaction with the
			// reason of each item (TransactionCanceledException, CancellationReasons).
			name: "a failed condition cancels the transaction with its reason",
			check: func(t *testing.T, db *dynamodb.Client, table string) (bool, string) {
				ctx := context.Background()
				kept := map[string]types.AttributeValue{"PK": s("a"), "SK": s("kept")}
				if _, err := db.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(table), Item: map[string]types.AttributeValue{
					"PK": s("a"), "SK": s("kept"), "x": s("before"), "GSI1PK": s("g-before"), "GSI1SK": s("1")}}); err != nil {
					t.Fatal(err)
				}
				_, err := db.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: []types.TransactWriteItem{
					{Put: &types.Put{TableName: aws.String(table), Item: map[string]types.AttributeValue{"PK": s("a"), "SK": s("other"), "GSI1PK": s("g-other"), "GSI1SK": s("1")}}},
					{Update: &types.Update{TableName: aws.String(table), Key: kept, UpdateExpression: aws.String("SET x = :v, GSI1PK = :g"),
						ExpressionAttributeValues: map[string]types.AttributeValue{":v": s("after"), ":g": s("g-after")}}},
					{ConditionCheck: &types.ConditionCheck{TableName: aws.String(table), Key: key(), ConditionExpression: aws.String("attribute_exists(PK)")}},
				}})
				// The cancelled transaction changed nothing, in the table or its index.
				defer func() {
					out, err := db.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(table), Key: kept, ConsistentRead: aws.Bool(true)})
					if err != nil || out.Item["x"].(*types.AttributeValueMemberS).Value != "before" {
						t.Errorf("the updated item after the cancelled transaction: %v %v", out.Item, err)
					}
					for g, want := range map[string]int{"g-before": 1, "g-after": 0, "g-other": 0} {
						q, err := db.Query(ctx, &dynamodb.QueryInput{TableName: aws.String(table), IndexName: aws.String("GSI1"),
							KeyConditionExpression: aws.String("GSI1PK = :g"), ExpressionAttributeValues: map[string]types.AttributeValue{":g": s(g)}})
						if err != nil || len(q.Items) != want {
							t.Errorf("GSI1 %s after the cancelled transaction: %d items (%v), want %d", g, len(q.Items), err, want)
						}
					}
				}()
				var canceled *types.TransactionCanceledException
				if !errors.As(err, &canceled) {
					return false, "err = " + errString(err)
				}
				if len(canceled.CancellationReasons) != 3 || aws.ToString(canceled.CancellationReasons[2].Code) != "ConditionalCheckFailed" {
					return false, "reasons = " + canceled.Error()
				}
				if out, _ := db.GetItem(context.Background(), &dynamodb.GetItemInput{TableName: aws.String(table), ConsistentRead: aws.Bool(true),
					Key: map[string]types.AttributeValue{"PK": s("a"), "SK": s("other")}}); len(out.Item) > 0 {
					return false, "the put of the cancelled transaction was written"
				}
				return true, "cancelled"
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			endpoint, table := dynamotest.Table(t, "conformance")
			db := dynamotest.Client(endpoint)
			if _, err := db.CreateTable(context.Background(), store.TableDefinition(table)); err != nil {
				t.Fatal(err)
			}
			ok, got := tt.check(t, db, table)
			var known *deviation
			for i := range tt.known {
				if tt.known[i].backend == backend {
					known = &tt.known[i]
				}
			}
			switch {
			case known == nil && !ok:
				t.Errorf("%s: %s, not as DynamoDB documents", backend, got)
			case known != nil && ok:
				t.Errorf("%s now behaves as DynamoDB documents (%s): drop the workaround (%s) and update docs/dynamodb.md", backend, got, known.why)
			case known != nil:
				t.Logf("%s: known deviation: %s (%s)", backend, known.why, got)
			}
		})
	}
}

func s(v string) types.AttributeValue { return &types.AttributeValueMemberS{Value: v} }

func key() map[string]types.AttributeValue {
	return map[string]types.AttributeValue{"PK": s("a"), "SK": s("b")}
}

func put(t *testing.T, db *dynamodb.Client, table string, attrs map[string]types.AttributeValue) {
	t.Helper()
	item := key() // attrs may set PK and SK
	for k, v := range attrs {
		item[k] = v
	}
	if _, err := db.PutItem(context.Background(), &dynamodb.PutItemInput{TableName: aws.String(table), Item: item}); err != nil {
		t.Fatal(err)
	}
}

func get(t *testing.T, db *dynamodb.Client, table string) map[string]types.AttributeValue {
	t.Helper()
	out, err := db.GetItem(context.Background(), &dynamodb.GetItemInput{TableName: aws.String(table), Key: key(), ConsistentRead: aws.Bool(true)})
	if err != nil {
		t.Fatal(err)
	}
	return out.Item
}

func errString(err error) string {
	if err == nil {
		return "nil"
	}
	return err.Error()
}
