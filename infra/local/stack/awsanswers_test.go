package stack_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/ses"
	sestypes "github.com/aws/aws-sdk-go-v2/service/ses/types"
	"github.com/aws/aws-sdk-go-v2/service/sesv2"
	sesv2types "github.com/aws/aws-sdk-go-v2/service/sesv2/types"
	"github.com/aws/smithy-go"

	"github.com/candorhq/candor/infra/local/dynamotest"
	"github.com/candorhq/candor/infra/local/stack"
	"github.com/candorhq/candor/shared/store"
)

// These tests drive the local stack's AWS endpoint through the AWS SDK, as
// the AWS CLI and the functions do, and check what DynamoDB and SES answer
// for every operation the project or its docs use. With
// CANDOR_DYNAMODB=moto (CI) the same checks run against moto, a second
// implementation: the stack's DynamoDB calls go to moto, and the SES checks
// are made on moto's SES. Where a backend is known to answer otherwise,
// the check names it (skipOn) and why.

// rawBodies records the raw JSON of every response, so a check can tell a
// member that is absent from one that is empty (the SDK cannot).
type rawBodies struct {
	mu   sync.Mutex
	last []byte
}

func (r *rawBodies) Do(req *http.Request) (*http.Response, error) {
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	res.Body = io.NopCloser(bytes.NewReader(b))
	r.mu.Lock()
	r.last = b
	r.mu.Unlock()
	return res, nil
}

// members returns the top-level members of the last response.
func (r *rawBodies) members(t *testing.T) map[string]json.RawMessage {
	t.Helper()
	r.mu.Lock()
	defer r.mu.Unlock()
	var m map[string]json.RawMessage
	if err := json.Unmarshal(r.last, &m); err != nil {
		t.Fatalf("response is not a JSON object: %s", r.last)
	}
	return m
}

type awsTarget struct {
	s    *stack.Stack
	db   *dynamodb.Client
	raw  *rawBodies
	ses  *ses.Client
	sesv *sesv2.Client
}

func startAWSTarget(t *testing.T) awsTarget {
	t.Helper()
	s := startStack(t, false)
	raw := &rawBodies{}
	tg := awsTarget{s: s, raw: raw,
		db: dynamodb.New(dynamodb.Options{Region: "us-east-1", BaseEndpoint: aws.String(s.AWSURL), Credentials: stack.AWSCredentials, HTTPClient: raw})}
	sesURL := s.AWSURL
	if dynamotest.Backend() == "moto" {
		sesURL = dynamotest.Endpoint(t)
	}
	tg.ses = ses.New(ses.Options{Region: "us-east-1", BaseEndpoint: aws.String(sesURL), Credentials: stack.AWSCredentials})
	tg.sesv = sesv2.New(sesv2.Options{Region: "us-east-1", BaseEndpoint: aws.String(sesURL), Credentials: stack.AWSCredentials})
	if dynamotest.Backend() == "moto" { // what the stack does at start
		if _, err := tg.ses.VerifyEmailIdentity(context.Background(), &ses.VerifyEmailIdentityInput{EmailAddress: aws.String("no-reply@candor.example")}); err != nil {
			t.Fatal(err)
		}
	}
	return tg
}

// skipOn skips the check on the backends named, with the reason.
func skipOn(t *testing.T, reasons map[string]string) {
	t.Helper()
	if why, ok := reasons[dynamotest.Backend()]; ok {
		t.Skipf("%s: %s", dynamotest.Backend(), why)
	}
}

// deviates reports whether the backend under test is known to answer a
// part of a check otherwise (logging why), so the check leaves that part out.
func deviates(t *testing.T, reasons map[string]string) bool {
	t.Helper()
	why, ok := reasons[dynamotest.Backend()]
	if ok {
		t.Logf("left out on %s: %s", dynamotest.Backend(), why)
	}
	return ok
}

func apiCode(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	return ""
}

func itemKey(pk, sk string) map[string]ddbtypes.AttributeValue {
	return map[string]ddbtypes.AttributeValue{store.AttrPK: &ddbtypes.AttributeValueMemberS{Value: pk}, store.AttrSK: &ddbtypes.AttributeValueMemberS{Value: sk}}
}

func TestDynamoDBAnswersAsAWS(t *testing.T) {
	tg := startAWSTarget(t)
	ctx := context.Background()
	table := aws.String(tg.s.Table)
	put := func(t *testing.T, item map[string]ddbtypes.AttributeValue) {
		t.Helper()
		if _, err := tg.db.PutItem(ctx, &dynamodb.PutItemInput{TableName: table, Item: item}); err != nil {
			t.Fatal(err)
		}
	}
	with := func(pk, sk string, attrs map[string]ddbtypes.AttributeValue) map[string]ddbtypes.AttributeValue {
		it := itemKey(pk, sk)
		for k, v := range attrs {
			it[k] = v
		}
		return it
	}

	t.Run("a query that matches nothing has Count, ScannedCount and Items", func(t *testing.T) {
		out, err := tg.db.Query(ctx, &dynamodb.QueryInput{TableName: table, KeyConditionExpression: aws.String("PK = :p"),
			ExpressionAttributeValues: map[string]ddbtypes.AttributeValue{":p": &ddbtypes.AttributeValueMemberS{Value: "NOTHING#here"}}})
		if err != nil {
			t.Fatal(err)
		}
		m := tg.raw.members(t)
		for _, k := range []string{"Count", "ScannedCount", "Items"} {
			if _, ok := m[k]; !ok {
				t.Errorf("empty query: no %s in %v", k, m)
			}
		}
		if out.Items == nil || len(out.Items) != 0 || out.Count != 0 || out.ScannedCount != 0 {
			t.Errorf("empty query = items %v, count %d, scanned %d", out.Items, out.Count, out.ScannedCount)
		}
	})

	t.Run("a cancelled transaction names every failed condition and writes nothing", func(t *testing.T) {
		put(t, with("TXN#1", "A", map[string]ddbtypes.AttributeValue{"v": &ddbtypes.AttributeValueMemberN{Value: "1"}}))
		put(t, with("TXN#1", "C", map[string]ddbtypes.AttributeValue{"v": &ddbtypes.AttributeValueMemberN{Value: "1"}}))
		two := &ddbtypes.AttributeValueMemberN{Value: "2"}
		_, err := tg.db.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: []ddbtypes.TransactWriteItem{
			{Update: &ddbtypes.Update{TableName: table, Key: itemKey("TXN#1", "A"), UpdateExpression: aws.String("SET v = :two"),
				ConditionExpression: aws.String("v = :two"), ExpressionAttributeValues: map[string]ddbtypes.AttributeValue{":two": two}}},
			{Put: &ddbtypes.Put{TableName: table, Item: with("TXN#1", "B", map[string]ddbtypes.AttributeValue{"v": two})}},
			{ConditionCheck: &ddbtypes.ConditionCheck{TableName: table, Key: itemKey("TXN#1", "C"),
				ConditionExpression: aws.String("attribute_not_exists(PK)")}},
		}})
		tce, ok := errors.AsType[*ddbtypes.TransactionCanceledException](err)
		if !ok {
			t.Fatalf("transaction with two failed conditions: %v, want TransactionCanceledException", err)
		}
		var codes []string
		for _, r := range tce.CancellationReasons {
			codes = append(codes, aws.ToString(r.Code))
		}
		if want := []string{"ConditionalCheckFailed", "None", "ConditionalCheckFailed"}; !slices.Equal(codes, want) {
			t.Errorf("cancellation reasons = %v, want %v", codes, want)
		}
		if !strings.Contains(aws.ToString(tce.Message), "[ConditionalCheckFailed, None, ConditionalCheckFailed]") {
			t.Errorf("message = %q, want the codes in order", aws.ToString(tce.Message))
		}
		got, err := tg.db.GetItem(ctx, &dynamodb.GetItemInput{TableName: table, Key: itemKey("TXN#1", "B"), ConsistentRead: aws.Bool(true)})
		if err != nil || got.Item != nil {
			t.Errorf("the put of a cancelled transaction stands: %v, %v", got.Item, err)
		}
	})

	t.Run("Select COUNT counts and returns no items", func(t *testing.T) {
		for i := range 3 {
			put(t, with("COUNTED#1", "N#"+strconv.Itoa(i), map[string]ddbtypes.AttributeValue{"n": &ddbtypes.AttributeValueMemberN{Value: strconv.Itoa(i)}}))
		}
		out, err := tg.db.Query(ctx, &dynamodb.QueryInput{TableName: table, KeyConditionExpression: aws.String("PK = :p"), Select: ddbtypes.SelectCount,
			FilterExpression:          aws.String("n > :z"),
			ExpressionAttributeValues: map[string]ddbtypes.AttributeValue{":p": &ddbtypes.AttributeValueMemberS{Value: "COUNTED#1"}, ":z": &ddbtypes.AttributeValueMemberN{Value: "0"}}})
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := tg.raw.members(t)["Items"]; ok || out.Items != nil {
			t.Errorf("Select COUNT returned items: %v", out.Items)
		}
		if out.Count != 2 || out.ScannedCount != 3 {
			t.Errorf("Select COUNT with a filter = Count %d, ScannedCount %d, want 2 and 3", out.Count, out.ScannedCount)
		}
		if deviates(t, map[string]string{"moto": "moto 5.2.1's Scan returns the items with Select COUNT"}) {
			return
		}
		scan, err := tg.db.Scan(ctx, &dynamodb.ScanInput{TableName: table, Select: ddbtypes.SelectCount})
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := tg.raw.members(t)["Items"]; ok || scan.Count < 3 || scan.ScannedCount != scan.Count {
			t.Errorf("scan --select COUNT = items %v, Count %d, ScannedCount %d", scan.Items, scan.Count, scan.ScannedCount)
		}
	})

	t.Run("put-item answers nothing unless ReturnValues asks for the old item", func(t *testing.T) {
		first := with("PUT#1", "A", map[string]ddbtypes.AttributeValue{"v": &ddbtypes.AttributeValueMemberS{Value: "first"}})
		out, err := tg.db.PutItem(ctx, &dynamodb.PutItemInput{TableName: table, Item: first})
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := tg.raw.members(t)["Attributes"]; ok || out.Attributes != nil {
			t.Errorf("put-item without ReturnValues answered attributes %v", out.Attributes)
		}
		out, err = tg.db.PutItem(ctx, &dynamodb.PutItemInput{TableName: table, ReturnValues: ddbtypes.ReturnValueAllOld,
			Item: with("PUT#1", "A", map[string]ddbtypes.AttributeValue{"v": &ddbtypes.AttributeValueMemberS{Value: "second"}})})
		if err != nil {
			t.Fatal(err)
		}
		if v, ok := out.Attributes["v"].(*ddbtypes.AttributeValueMemberS); !ok || v.Value != "first" {
			t.Errorf("put-item ALL_OLD = %v, want the replaced item", out.Attributes)
		}
		_, err = tg.db.PutItem(ctx, &dynamodb.PutItemInput{TableName: table, ReturnValues: ddbtypes.ReturnValueUpdatedNew, Item: first})
		if apiCode(err) != "ValidationException" {
			t.Errorf("put-item UPDATED_NEW: %v, want ValidationException", err)
		}
	})

	t.Run("describe-table is ACTIVE, in DynamoDB's shape", func(t *testing.T) {
		out, err := tg.db.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: table})
		if err != nil {
			t.Fatal(err)
		}
		d := out.Table
		if d.TableStatus != ddbtypes.TableStatusActive || aws.ToString(d.TableArn) == "" || d.CreationDateTime == nil ||
			len(d.AttributeDefinitions) != 6 || len(d.KeySchema) != 2 || d.ItemCount == nil {
			t.Errorf("describe-table = status %q, arn %q, created %v, %d attribute definitions, %d keys, item count %v",
				d.TableStatus, aws.ToString(d.TableArn), d.CreationDateTime, len(d.AttributeDefinitions), len(d.KeySchema), d.ItemCount)
		}
		if d.BillingModeSummary == nil || d.BillingModeSummary.BillingMode != ddbtypes.BillingModePayPerRequest {
			t.Errorf("describe-table billing = %+v, want PAY_PER_REQUEST", d.BillingModeSummary)
		}
		if len(d.GlobalSecondaryIndexes) != 2 {
			t.Fatalf("describe-table indexes = %d, want 2", len(d.GlobalSecondaryIndexes))
		}
		for _, g := range d.GlobalSecondaryIndexes {
			noARN := aws.ToString(g.IndexArn) == "" && !deviates(t, map[string]string{"moto": "moto 5.2.1 describes an index without its IndexArn"})
			if g.IndexStatus != ddbtypes.IndexStatusActive || noARN || g.Projection == nil {
				t.Errorf("index %s = status %q, arn %q", aws.ToString(g.IndexName), g.IndexStatus, aws.ToString(g.IndexArn))
			}
		}
		if m := tg.raw.members(t); len(m) != 1 {
			t.Errorf("describe-table members = %v, want Table only", m)
		}
		_, err = tg.db.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String("no-such-table")})
		if apiCode(err) != "ResourceNotFoundException" {
			t.Errorf("describe-table of a missing table: %v, want ResourceNotFoundException", err)
		}
	})

	t.Run("list-tables names the table", func(t *testing.T) {
		out, err := tg.db.ListTables(ctx, &dynamodb.ListTablesInput{})
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, n := range out.TableNames {
			found = found || n == tg.s.Table
		}
		if !found {
			t.Errorf("list-tables = %v, want %s among them", out.TableNames, tg.s.Table)
		}
	})

	t.Run("describe-time-to-live: enabled on expiresAt, as the template sets it", func(t *testing.T) {
		out, err := tg.db.DescribeTimeToLive(ctx, &dynamodb.DescribeTimeToLiveInput{TableName: table})
		if err != nil {
			t.Fatal(err)
		}
		if d := out.TimeToLiveDescription; d == nil || d.TimeToLiveStatus != ddbtypes.TimeToLiveStatusEnabled || aws.ToString(d.AttributeName) != store.AttrExpiresAt {
			t.Errorf("describe-time-to-live = %+v", out.TimeToLiveDescription)
		}
		if deviates(t, map[string]string{"moto": "moto 5.2.1 accepts enabling TTL that is already enabled"}) {
			return
		}
		_, err = tg.db.UpdateTimeToLive(ctx, &dynamodb.UpdateTimeToLiveInput{TableName: table,
			TimeToLiveSpecification: &ddbtypes.TimeToLiveSpecification{AttributeName: aws.String(store.AttrExpiresAt), Enabled: aws.Bool(true)}})
		if apiCode(err) != "ValidationException" {
			t.Errorf("enabling TTL twice: %v, want ValidationException", err)
		}
	})

	t.Run("TTL deletes an expired item once the stack's clock passes it", func(t *testing.T) {
		skipOn(t, map[string]string{"moto": "the stack runs TTL on its embedded DynamoDB only, and moto does not delete expired items"})
		now := tg.s.Clock.Now()
		expires := func(d time.Duration) map[string]ddbtypes.AttributeValue {
			return map[string]ddbtypes.AttributeValue{store.AttrExpiresAt: &ddbtypes.AttributeValueMemberN{Value: strconv.FormatInt(now.Add(d).Unix(), 10)}}
		}
		put(t, with("TTL#1", "soon", expires(time.Hour)))
		put(t, with("TTL#1", "later", expires(48*time.Hour)))
		put(t, with("TTL#1", "not-a-number", map[string]ddbtypes.AttributeValue{store.AttrExpiresAt: &ddbtypes.AttributeValueMemberS{Value: "0"}}))
		put(t, with("TTL#1", "ancient", expires(-6*365*24*time.Hour))) // more than five years past: DynamoDB ignores it
		left := func() map[string]bool {
			out, err := tg.db.Query(ctx, &dynamodb.QueryInput{TableName: table, KeyConditionExpression: aws.String("PK = :p"), ConsistentRead: aws.Bool(true),
				ExpressionAttributeValues: map[string]ddbtypes.AttributeValue{":p": &ddbtypes.AttributeValueMemberS{Value: "TTL#1"}}})
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]bool{}
			for _, it := range out.Items {
				got[it[store.AttrSK].(*ddbtypes.AttributeValueMemberS).Value] = true
			}
			return got
		}
		if got := left(); len(got) != 4 {
			t.Fatalf("before expiry: %v", got)
		}
		tg.s.Advance(2 * time.Hour)
		if got := left(); got["soon"] || !got["later"] || !got["not-a-number"] || !got["ancient"] {
			t.Errorf("two hours on: items left %v, want all but the expired one", got)
		}
	})

	t.Run("an operation the stand-in does not serve is a JSON UnknownOperationException", func(t *testing.T) {
		skipOn(t, map[string]string{"moto": "moto serves ListBackups, which the embedded stand-in does not"})
		_, err := tg.db.ListBackups(ctx, &dynamodb.ListBackupsInput{})
		if apiCode(err) != "UnknownOperationException" {
			t.Errorf("list-backups: %v, want UnknownOperationException", err)
		}
	})

	t.Run("a malformed request is a JSON ValidationException", func(t *testing.T) {
		_, err := tg.db.PutItem(ctx, &dynamodb.PutItemInput{TableName: table, Item: map[string]ddbtypes.AttributeValue{store.AttrPK: &ddbtypes.AttributeValueMemberS{Value: "no sort key"}}})
		if apiCode(err) != "ValidationException" {
			t.Errorf("put-item without the sort key: %v, want ValidationException", err)
		}
	})
}

func TestSESAnswersAsAWS(t *testing.T) {
	tg := startAWSTarget(t)
	ctx := context.Background()
	send := func(from string) error {
		_, err := tg.ses.SendEmail(ctx, &ses.SendEmailInput{Source: aws.String(from), Destination: &sestypes.Destination{ToAddresses: []string{"reviewer@example.org"}},
			Message: &sestypes.Message{Subject: &sestypes.Content{Data: aws.String("Hello")}, Body: &sestypes.Body{Text: &sestypes.Content{Data: aws.String("Hi.")}}}})
		return err
	}

	t.Run("the stack's sender is verified and sends", func(t *testing.T) {
		out, err := tg.ses.ListIdentities(ctx, &ses.ListIdentitiesInput{})
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, id := range out.Identities {
			found = found || id == "no-reply@candor.example"
		}
		if !found {
			t.Errorf("list-identities = %v, want the stack's sender", out.Identities)
		}
		if err := send("Candor <no-reply@candor.example>"); err != nil {
			t.Errorf("send from the verified sender: %v", err)
		}
	})

	t.Run("an unverified sender is MessageRejected", func(t *testing.T) {
		if err := send("someone@unverified.example"); apiCode(err) != "MessageRejected" {
			t.Errorf("send from an unverified address: %v, want MessageRejected", err)
		}
	})

	t.Run("get-send-quota counts what was sent", func(t *testing.T) {
		before, err := tg.ses.GetSendQuota(ctx, &ses.GetSendQuotaInput{})
		if err != nil {
			t.Fatal(err)
		}
		if err := send("no-reply@candor.example"); err != nil {
			t.Fatal(err)
		}
		after, err := tg.ses.GetSendQuota(ctx, &ses.GetSendQuotaInput{})
		if err != nil {
			t.Fatal(err)
		}
		if before.Max24HourSend <= 0 || before.MaxSendRate <= 0 || after.SentLast24Hours != before.SentLast24Hours+1 {
			t.Errorf("get-send-quota = %+v then %+v", before, after)
		}
	})

	t.Run("SES v2 answers in JSON, errors included", func(t *testing.T) {
		if !deviates(t, map[string]string{"moto": "moto 5.2.1 answers SES v2 GetAccount with a 404 HTML page"}) {
			acct, err := tg.sesv.GetAccount(ctx, &sesv2.GetAccountInput{})
			if err != nil || acct.SendQuota == nil || !acct.SendingEnabled {
				t.Errorf("sesv2 get-account = %+v, %v", acct, err)
			}
		}
		_, err := tg.sesv.SendEmail(ctx, &sesv2.SendEmailInput{FromEmailAddress: aws.String("someone@unverified.example"),
			Destination: &sesv2types.Destination{ToAddresses: []string{"reviewer@example.org"}},
			Content: &sesv2types.EmailContent{Simple: &sesv2types.Message{Subject: &sesv2types.Content{Data: aws.String("Hello")},
				Body: &sesv2types.Body{Text: &sesv2types.Content{Data: aws.String("Hi.")}}}}})
		var rejected *sesv2types.MessageRejected
		if !errors.As(err, &rejected) {
			t.Errorf("sesv2 send-email from an unverified address: %v, want MessageRejected", err)
		}
		if deviates(t, map[string]string{"moto": "moto 5.2.1 answers the SDK's ListEmailIdentities (POST /v2/email/list-identities) with a 404 HTML page"}) {
			return
		}
		ids, err := tg.sesv.ListEmailIdentities(ctx, &sesv2.ListEmailIdentitiesInput{})
		if err != nil || len(ids.EmailIdentities) == 0 {
			t.Errorf("sesv2 list-email-identities = %+v, %v", ids, err)
		}
	})
}
