package stack

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"
)

// ddbNamespace prefixes DynamoDB's error types on the wire.
const ddbNamespace = "com.amazonaws.dynamodb.v20120810#"

// frontOperations are the DynamoDB operations the embedded stand-in
// answers; any other is UnknownOperationException.
var frontOperations = []string{"BatchGetItem", "BatchWriteItem", "CreateTable", "DeleteItem", "DeleteTable", "DescribeTable",
	"DescribeTimeToLive", "GetItem", "ListTables", "PutItem", "Query", "Scan", "TransactGetItems", "TransactWriteItems",
	"UpdateItem", "UpdateTable", "UpdateTimeToLive"}

// dynamoFront stands in front of the embedded minidyn and answers the
// DynamoDB JSON protocol as DynamoDB does where minidyn does not, for what
// the project, its docs and the AWS CLI use:
//   - ListTables, DescribeTimeToLive and UpdateTimeToLive, which minidyn lacks;
//   - CreateTable, DeleteTable and DescribeTable with DynamoDB's table
//     description (TableStatus, TableArn, CreationDateTime as epoch seconds,
//     AttributeDefinitions, BillingModeSummary, the indexes' ARNs);
//   - Query and Scan always carry Count, ScannedCount and Items (none with
//     Select COUNT), and no null members;
//   - every error as DynamoDB's JSON error ({"__type": "…#Code",
//     "message": …}), an operation it does not serve as
//     UnknownOperationException;
//   - items whose TTL attribute (epoch seconds) has passed on the stack's
//     clock are deleted by Expire, which the stack runs whenever its clock
//     moves and once a minute of a running clock.
type dynamoFront struct {
	next   http.Handler
	clock  interface{ Now() time.Time }
	region string

	mu     sync.Mutex
	tables map[string]*tableMeta
}

// tableMeta is what DynamoDB describes about a table that minidyn does not keep.
type tableMeta struct {
	id          string
	created     time.Time
	attrDefs    json.RawMessage
	keySchema   json.RawMessage
	billingMode string
	gsis        []json.RawMessage
	ttlAttr     string // "" while TTL is disabled
}

func newDynamoFront(next http.Handler, c interface{ Now() time.Time }, region string) *dynamoFront {
	return &dynamoFront{next: next, clock: c, region: region, tables: map[string]*tableMeta{}}
}

func (f *dynamoFront) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	_, op, _ := strings.Cut(r.Header.Get("X-Amz-Target"), ".")
	if !slices.Contains(frontOperations, op) {
		writeDDBError(w, http.StatusBadRequest, "com.amazon.coral.service#UnknownOperationException",
			fmt.Sprintf("The local DynamoDB stand-in does not serve %q; it serves %s.", op, strings.Join(frontOperations, ", ")))
		return
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		writeDDBError(w, http.StatusBadRequest, ddbNamespace+"SerializationException", "The request body could not be read.")
		return
	}
	var req map[string]json.RawMessage
	if json.Unmarshal(body, &req) != nil {
		writeDDBError(w, http.StatusBadRequest, ddbNamespace+"SerializationException", "The request body is not a JSON object.")
		return
	}
	table := stringMember(req, "TableName")
	switch op {
	case "ListTables":
		f.listTables(w)
		return
	case "DescribeTimeToLive":
		f.describeTTL(w, table)
		return
	case "UpdateTimeToLive":
		f.updateTTL(w, table, req["TimeToLiveSpecification"])
		return
	}

	r.Body = io.NopCloser(bytes.NewReader(body))
	rec := httptest.NewRecorder()
	f.next.ServeHTTP(rec, r)
	if rec.Code != http.StatusOK {
		f.writeError(w, rec)
		return
	}
	var res map[string]json.RawMessage
	if json.Unmarshal(rec.Body.Bytes(), &res) != nil {
		copyResponse(w, rec)
		return
	}
	for k, v := range res { // DynamoDB leaves out what it has no value for
		if string(v) == "null" {
			delete(res, k)
		}
	}
	switch op {
	case "CreateTable":
		meta := &tableMeta{id: uuid.NewString(), created: f.clock.Now(), attrDefs: req["AttributeDefinitions"], keySchema: req["KeySchema"],
			billingMode: stringMember(req, "BillingMode")}
		if meta.billingMode == "" {
			meta.billingMode = "PROVISIONED"
		}
		var gsis []json.RawMessage
		_ = json.Unmarshal(req["GlobalSecondaryIndexes"], &gsis)
		meta.gsis = gsis
		f.mu.Lock()
		f.tables[table] = meta
		f.mu.Unlock()
		res = map[string]json.RawMessage{"TableDescription": f.describe(table, meta, "CREATING", nil)}
	case "DeleteTable":
		f.mu.Lock()
		meta := f.tables[table]
		delete(f.tables, table)
		f.mu.Unlock()
		if meta != nil {
			res = map[string]json.RawMessage{"TableDescription": f.describe(table, meta, "DELETING", nil)}
		}
	case "DescribeTable":
		f.mu.Lock()
		meta := f.tables[table]
		f.mu.Unlock()
		if meta != nil {
			res = map[string]json.RawMessage{"Table": f.describe(table, meta, "ACTIVE", res["Table"])}
		}
	case "Query", "Scan":
		for _, k := range []string{"Count", "ScannedCount"} {
			if _, ok := res[k]; !ok {
				res[k] = json.RawMessage("0")
			}
		}
		if stringMember(req, "Select") == "COUNT" {
			delete(res, "Items")
		} else if _, ok := res["Items"]; !ok {
			res["Items"] = json.RawMessage("[]")
		}
		if string(res["LastEvaluatedKey"]) == "{}" {
			delete(res, "LastEvaluatedKey")
		}
	}
	out, _ := json.Marshal(res)
	w.Header().Set("Content-Type", "application/x-amz-json-1.0")
	w.Header().Set("X-Amzn-Requestid", uuid.NewString())
	w.WriteHeader(http.StatusOK)
	w.Write(out)
}

// stringMember is a request's string member, "" when absent or not a string.
func stringMember(req map[string]json.RawMessage, name string) string {
	var s string
	_ = json.Unmarshal(req[name], &s)
	return s
}

func (f *dynamoFront) tableARN(table string) string {
	return "arn:aws:dynamodb:" + f.region + ":000000000000:table/" + table
}

// describe is DynamoDB's TableDescription of a table; counted, minidyn's
// own description, gives the item counts.
func (f *dynamoFront) describe(table string, meta *tableMeta, status string, counted json.RawMessage) json.RawMessage {
	var counts struct {
		ItemCount              int64
		GlobalSecondaryIndexes []struct {
			IndexName string
			ItemCount int64
		}
	}
	_ = json.Unmarshal(counted, &counts)
	created := float64(meta.created.UnixMilli()) / 1000
	gsis := make([]map[string]any, 0, len(meta.gsis))
	for _, raw := range meta.gsis {
		var g map[string]any
		if json.Unmarshal(raw, &g) != nil {
			continue
		}
		name, _ := g["IndexName"].(string)
		d := map[string]any{"IndexName": name, "KeySchema": g["KeySchema"], "Projection": g["Projection"], "IndexStatus": "ACTIVE",
			"IndexSizeBytes": 0, "ItemCount": 0, "IndexArn": f.tableARN(table) + "/index/" + name,
			"ProvisionedThroughput": map[string]any{"NumberOfDecreasesToday": 0, "ReadCapacityUnits": 0, "WriteCapacityUnits": 0}}
		for _, c := range counts.GlobalSecondaryIndexes {
			if c.IndexName == name {
				d["ItemCount"] = c.ItemCount
			}
		}
		gsis = append(gsis, d)
	}
	d := map[string]any{
		"TableName": table, "TableStatus": status, "TableArn": f.tableARN(table), "TableId": meta.id,
		"AttributeDefinitions": meta.attrDefs, "KeySchema": meta.keySchema, "CreationDateTime": created,
		"ItemCount": counts.ItemCount, "TableSizeBytes": 0, "DeletionProtectionEnabled": false,
		"ProvisionedThroughput": map[string]any{"NumberOfDecreasesToday": 0, "ReadCapacityUnits": 0, "WriteCapacityUnits": 0},
	}
	if meta.billingMode == "PAY_PER_REQUEST" {
		d["BillingModeSummary"] = map[string]any{"BillingMode": "PAY_PER_REQUEST", "LastUpdateToPayPerRequestDateTime": created}
	}
	if len(gsis) > 0 {
		d["GlobalSecondaryIndexes"] = gsis
	}
	b, _ := json.Marshal(d)
	return b
}

func (f *dynamoFront) listTables(w http.ResponseWriter) {
	f.mu.Lock()
	names := make([]string, 0, len(f.tables))
	for n := range f.tables {
		names = append(names, n)
	}
	f.mu.Unlock()
	slices.Sort(names)
	writeDDBJSON(w, map[string]any{"TableNames": names})
}

func (f *dynamoFront) notFound(w http.ResponseWriter, table string) {
	writeDDBError(w, http.StatusBadRequest, ddbNamespace+"ResourceNotFoundException", "Requested resource not found: Table: "+table+" not found")
}

func (f *dynamoFront) describeTTL(w http.ResponseWriter, table string) {
	f.mu.Lock()
	meta := f.tables[table]
	var attr string
	if meta != nil {
		attr = meta.ttlAttr
	}
	f.mu.Unlock()
	switch {
	case meta == nil:
		f.notFound(w, table)
	case attr == "":
		writeDDBJSON(w, map[string]any{"TimeToLiveDescription": map[string]any{"TimeToLiveStatus": "DISABLED"}})
	default:
		writeDDBJSON(w, map[string]any{"TimeToLiveDescription": map[string]any{"TimeToLiveStatus": "ENABLED", "AttributeName": attr}})
	}
}

func (f *dynamoFront) updateTTL(w http.ResponseWriter, table string, raw json.RawMessage) {
	var spec struct {
		AttributeName *string
		Enabled       *bool
	}
	if json.Unmarshal(raw, &spec) != nil || spec.AttributeName == nil || spec.Enabled == nil || *spec.AttributeName == "" {
		writeDDBError(w, http.StatusBadRequest, ddbNamespace+"ValidationException",
			"1 validation error detected: Value null at 'timeToLiveSpecification' failed to satisfy constraint: Member must not be null")
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	meta := f.tables[table]
	switch {
	case meta == nil:
		f.notFound(w, table)
		return
	case *spec.Enabled && meta.ttlAttr != "":
		writeDDBError(w, http.StatusBadRequest, ddbNamespace+"ValidationException", "TimeToLive is already enabled")
		return
	case !*spec.Enabled && meta.ttlAttr == "":
		writeDDBError(w, http.StatusBadRequest, ddbNamespace+"ValidationException", "TimeToLive is already disabled")
		return
	case !*spec.Enabled && meta.ttlAttr != *spec.AttributeName:
		writeDDBError(w, http.StatusBadRequest, ddbNamespace+"ValidationException", "TimeToLive is active on a different AttributeName: current AttributeName is "+meta.ttlAttr)
		return
	}
	meta.ttlAttr = ""
	if *spec.Enabled {
		meta.ttlAttr = *spec.AttributeName
	}
	writeDDBJSON(w, map[string]any{"TimeToLiveSpecification": map[string]any{"AttributeName": *spec.AttributeName, "Enabled": *spec.Enabled}})
}

// ttlHorizon is how far in the past a TTL value may lie and still be
// acted on: DynamoDB ignores an expiry more than five years old.
const ttlHorizon = 5 * 365 * 24 * time.Hour

// Expire deletes, in every table with TTL enabled, the items whose TTL
// attribute is a number of epoch seconds before now (and not more than
// five years before it, which DynamoDB ignores; so is a TTL that is not a
// number). Each delete is conditional on the item's TTL being the one it
// read, so a concurrent update that moves the expiry on keeps the item. It
// reports how many items it deleted.
func (f *dynamoFront) Expire(_ context.Context) (int, error) {
	f.mu.Lock()
	ttl := map[string]*tableMeta{}
	for name, m := range f.tables {
		if m.ttlAttr != "" {
			ttl[name] = m
		}
	}
	f.mu.Unlock()
	now := f.clock.Now()
	deleted := 0
	for table, meta := range ttl {
		var keyAttrs []struct{ AttributeName string }
		_ = json.Unmarshal(meta.keySchema, &keyAttrs)
		names := map[string]string{"#ttl": meta.ttlAttr}
		proj := []string{"#ttl"}
		for i, k := range keyAttrs {
			alias := "#k" + strconv.Itoa(i)
			names[alias] = k.AttributeName
			proj = append(proj, alias)
		}
		var start json.RawMessage
		for {
			// Every item with the attribute; which are due is decided here:
			// a TTL that is not a number is ignored, as DynamoDB ignores it
			// (minidyn refuses to compare a string with a number).
			in := map[string]any{"TableName": table, "FilterExpression": "attribute_exists(#ttl)", "ProjectionExpression": strings.Join(proj, ", "),
				"ExpressionAttributeNames": names}
			if start != nil {
				in["ExclusiveStartKey"] = start
			}
			var out struct {
				Items            []map[string]json.RawMessage
				LastEvaluatedKey json.RawMessage
			}
			if err := callJSON(f, "DynamoDB_20120810.Scan", in, &out); err != nil {
				return deleted, fmt.Errorf("expire items of %s: %w", table, err)
			}
			for _, it := range out.Items {
				var v struct{ N *string }
				if json.Unmarshal(it[meta.ttlAttr], &v) != nil || v.N == nil {
					continue
				}
				at, err := strconv.ParseFloat(*v.N, 64)
				if err != nil || at >= float64(now.Unix()) || at <= float64(now.Add(-ttlHorizon).Unix()) {
					continue
				}
				key := map[string]json.RawMessage{}
				for _, k := range keyAttrs {
					key[k.AttributeName] = it[k.AttributeName]
				}
				err = callJSON(f, "DynamoDB_20120810.DeleteItem", map[string]any{"TableName": table, "Key": key,
					"ConditionExpression": "#ttl = :seen", "ExpressionAttributeNames": map[string]string{"#ttl": meta.ttlAttr},
					"ExpressionAttributeValues": map[string]any{":seen": it[meta.ttlAttr]}}, &struct{}{})
				switch {
				case err == nil:
					deleted++
				case strings.Contains(err.Error(), "ConditionalCheckFailed"): // its TTL moved meanwhile
				default:
					return deleted, fmt.Errorf("expire items of %s: %w", table, err)
				}
			}
			if len(out.LastEvaluatedKey) == 0 || string(out.LastEvaluatedKey) == "{}" {
				break
			}
			start = out.LastEvaluatedKey
		}
	}
	return deleted, nil
}

// writeError passes minidyn's error on in DynamoDB's JSON error format.
func (f *dynamoFront) writeError(w http.ResponseWriter, rec *httptest.ResponseRecorder) {
	var e struct {
		Type    string `json:"__type"`
		Message string `json:"message"`
	}
	if strings.Contains(rec.Header().Get("Content-Type"), "json") && json.Unmarshal(rec.Body.Bytes(), &e) == nil && e.Type != "" {
		if !strings.Contains(e.Type, "#") { // minidyn leaves out the namespace
			var all map[string]json.RawMessage
			_ = json.Unmarshal(rec.Body.Bytes(), &all)
			all["__type"], _ = json.Marshal(ddbNamespace + e.Type)
			b, _ := json.Marshal(all)
			w.Header().Set("Content-Type", "application/x-amz-json-1.0")
			w.WriteHeader(rec.Code)
			w.Write(b)
			return
		}
		copyResponse(w, rec)
		return
	}
	status := rec.Code
	if status < 500 {
		status = http.StatusBadRequest
	}
	writeDDBError(w, status, ddbNamespace+"ValidationException", strings.TrimSpace(rec.Body.String()))
}

func copyResponse(w http.ResponseWriter, rec *httptest.ResponseRecorder) {
	for k, v := range rec.Header() {
		w.Header()[k] = v
	}
	w.WriteHeader(rec.Code)
	w.Write(rec.Body.Bytes())
}

func writeDDBJSON(w http.ResponseWriter, v any) {
	b, _ := json.Marshal(v)
	w.Header().Set("Content-Type", "application/x-amz-json-1.0")
	w.Header().Set("X-Amzn-Requestid", uuid.NewString())
	w.WriteHeader(http.StatusOK)
	w.Write(b)
}

// writeDDBError writes an error in DynamoDB's JSON error format.
func writeDDBError(w http.ResponseWriter, status int, typ, msg string) {
	b, _ := json.Marshal(map[string]string{"__type": typ, "message": msg})
	w.Header().Set("Content-Type", "application/x-amz-json-1.0")
	w.Header().Set("X-Amzn-Requestid", uuid.NewString())
	w.WriteHeader(status)
	w.Write(b)
}
