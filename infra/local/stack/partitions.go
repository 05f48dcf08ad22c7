package stack

import (
	"bytes"
	"encoding/json"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync"
)

// PartitionWrites is what one partition of the table or of an index received
// while the meter was on: the items written to it and the write capacity
// units they consumed (1 per started KiB of the item; twice that for an item
// of a transaction on the table, as DynamoDB charges; a condition check of a
// transaction consumes the units of the item it checks, not an item write).
type PartitionWrites struct {
	Items int
	WCU   int
}

// PartitionMeter counts the writes each partition receives, keyed
// "table PK=<value>", "GSI1 GSI1PK=<value>" and "GSI2 GSI2PK=<value>": it
// reads each written item just before and just after the call that writes
// it, and counts a write to the index partition an item leaves, enters or
// changes in (a change of an index entry's key, sort key included, is a
// delete and a put, as DynamoDB's index maintenance is). Off, it only passes calls on. Reading
// around a call is not atomic: calls that write the same item at the same
// time can be miscounted, so a measurement runs one lifecycle at a time.
type PartitionMeter struct {
	next http.Handler

	mu     sync.Mutex
	on     bool
	writes map[string]PartitionWrites
}

func newPartitionMeter(next http.Handler) *PartitionMeter {
	return &PartitionMeter{next: next, writes: map[string]PartitionWrites{}}
}

// Start turns the meter on (the stack starts with it off: every write costs
// two extra reads while it is on).
func (m *PartitionMeter) Start() {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.on = true
}

// Writes returns the counts so far, by partition.
func (m *PartitionMeter) Writes() map[string]PartitionWrites {
	m.mu.Lock()
	defer m.mu.Unlock()
	return maps.Clone(m.writes)
}

// ddbJSON is an item or a key in DynamoDB's JSON wire format.
type ddbJSON = map[string]map[string]any

type meteredWrite struct {
	table       string
	key         ddbJSON
	item        ddbJSON // a Put's item (its key is taken from it)
	transaction bool
	check       bool // a ConditionCheck: capacity, no item write
}

// ServeHTTP passes the call on to the DynamoDB stand-in; while the meter is
// on, it counts the writes of a call that succeeded.
func (m *PartitionMeter) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	m.mu.Lock()
	on := m.on
	m.mu.Unlock()
	target := r.Header.Get("X-Amz-Target")
	_, op, _ := strings.Cut(target, ".")
	if !on || !isWrite(op) {
		m.next.ServeHTTP(w, r)
		return
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, "read body", http.StatusBadRequest)
		return
	}
	writes := parseWrites(op, body)
	before := make([]ddbJSON, len(writes))
	for i, wr := range writes {
		before[i] = m.get(r, wr.table, wr.key)
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	rec := httptest.NewRecorder()
	m.next.ServeHTTP(rec, r)
	if rec.Code == http.StatusOK {
		after := make([]ddbJSON, len(writes))
		for i, wr := range writes {
			after[i] = m.get(r, wr.table, wr.key)
		}
		m.mu.Lock()
		for i, wr := range writes {
			m.count(wr, before[i], after[i])
		}
		m.mu.Unlock()
	}
	for k, v := range rec.Header() {
		w.Header()[k] = v
	}
	w.WriteHeader(rec.Code)
	w.Write(rec.Body.Bytes())
}

func isWrite(op string) bool {
	switch op {
	case "PutItem", "UpdateItem", "DeleteItem", "TransactWriteItems", "BatchWriteItem":
		return true
	}
	return false
}

func parseWrites(op string, body []byte) []meteredWrite {
	type one struct {
		TableName string
		Key, Item ddbJSON
	}
	keyOf := func(o one) ddbJSON {
		if o.Key != nil {
			return o.Key
		}
		return ddbJSON{"PK": o.Item["PK"], "SK": o.Item["SK"]}
	}
	var out []meteredWrite
	switch op {
	case "PutItem", "UpdateItem", "DeleteItem":
		var o one
		if json.Unmarshal(body, &o) == nil {
			out = append(out, meteredWrite{table: o.TableName, key: keyOf(o)})
		}
	case "TransactWriteItems":
		var req struct {
			TransactItems []struct{ Put, Update, Delete, ConditionCheck *one }
		}
		if json.Unmarshal(body, &req) != nil {
			return nil
		}
		for _, ti := range req.TransactItems {
			for _, o := range []*one{ti.Put, ti.Update, ti.Delete} {
				if o != nil {
					out = append(out, meteredWrite{table: o.TableName, key: keyOf(*o), transaction: true})
				}
			}
			if o := ti.ConditionCheck; o != nil {
				out = append(out, meteredWrite{table: o.TableName, key: keyOf(*o), transaction: true, check: true})
			}
		}
	case "BatchWriteItem":
		var req struct {
			RequestItems map[string][]struct {
				PutRequest    *struct{ Item ddbJSON }
				DeleteRequest *struct{ Key ddbJSON }
			}
		}
		if json.Unmarshal(body, &req) != nil {
			return nil
		}
		for table, reqs := range req.RequestItems {
			for _, rq := range reqs {
				switch {
				case rq.PutRequest != nil:
					out = append(out, meteredWrite{table: table, key: keyOf(one{Item: rq.PutRequest.Item})})
				case rq.DeleteRequest != nil:
					out = append(out, meteredWrite{table: table, key: rq.DeleteRequest.Key})
				}
			}
		}
	}
	return out
}

// get reads the item at key, consistently, from the backend (nil when absent).
func (m *PartitionMeter) get(orig *http.Request, table string, key ddbJSON) ddbJSON {
	body, _ := json.Marshal(map[string]any{"TableName": table, "Key": key, "ConsistentRead": true})
	r := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(body))
	r.Header.Set("X-Amz-Target", "DynamoDB_20120810.GetItem")
	r.Header.Set("Content-Type", "application/x-amz-json-1.0")
	if a := orig.Header.Get("Authorization"); a != "" {
		r.Header.Set("Authorization", a)
	}
	rec := httptest.NewRecorder()
	m.next.ServeHTTP(rec, r)
	var out struct{ Item ddbJSON }
	if rec.Code != http.StatusOK || json.Unmarshal(rec.Body.Bytes(), &out) != nil {
		return nil
	}
	return out.Item
}

func (m *PartitionMeter) add(partition string, items, wcu int) {
	p := m.writes[partition]
	p.Items += items
	p.WCU += wcu
	m.writes[partition] = p
}

func (m *PartitionMeter) count(wr meteredWrite, before, after ddbJSON) {
	pk, _ := wr.key["PK"]["S"].(string)
	units := kib(max(itemSize(before), itemSize(after)))
	if wr.transaction {
		units *= 2
	}
	if wr.check {
		m.add("table PK="+pk, 0, units)
		return
	}
	m.add("table PK="+pk, 1, units)
	changed := !reflect.DeepEqual(before, after)
	for _, index := range []string{"GSI1", "GSI2"} {
		oldPK, oldSK := indexKey(before, index)
		newPK, newSK := indexKey(after, index)
		switch {
		case oldPK == newPK && oldSK == newSK && oldPK != "":
			if changed {
				m.add(index+" "+index+"PK="+newPK, 1, kib(itemSize(after)))
			}
		default:
			if oldPK != "" {
				m.add(index+" "+index+"PK="+oldPK, 1, kib(itemSize(before)))
			}
			if newPK != "" {
				m.add(index+" "+index+"PK="+newPK, 1, kib(itemSize(after)))
			}
		}
	}
}

// indexKey is the item's key in the index ("" when the item is not in it:
// an index holds only items with both its key attributes).
func indexKey(item ddbJSON, index string) (pk, sk string) {
	pk, _ = item[index+"PK"]["S"].(string)
	sk, ok := item[index+"SK"]["S"].(string)
	if !ok {
		return "", ""
	}
	return pk, sk
}

func kib(n int) int { return max(1, (n+1023)/1024) }

// itemSize is DynamoDB's item size, closely enough for capacity: each
// attribute's name and value (strings and binaries by length, numbers at
// about half their digits, containers with 3 bytes and their elements).
func itemSize(item ddbJSON) int {
	n := 0
	for name, v := range item {
		n += len(name) + valueSize(v)
	}
	return n
}

func valueSize(v map[string]any) int {
	for typ, x := range v {
		switch typ {
		case "S", "B":
			s, _ := x.(string)
			return len(s)
		case "N":
			s, _ := x.(string)
			return len(s)/2 + 1
		case "BOOL", "NULL":
			return 1
		case "SS", "NS", "BS":
			n := 0
			xs, _ := x.([]any)
			for _, e := range xs {
				s, _ := e.(string)
				n += len(s)
			}
			return n
		case "L":
			n := 3
			xs, _ := x.([]any)
			for _, e := range xs {
				em, _ := e.(map[string]any)
				n += 1 + valueSize(em)
			}
			return n
		case "M":
			n := 3
			xs, _ := x.(map[string]any)
			for k, e := range xs {
				em, _ := e.(map[string]any)
				n += 1 + len(k) + valueSize(em)
			}
			return n
		}
	}
	return 0
}
