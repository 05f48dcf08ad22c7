package edge

import (
	"encoding/json"
	"encoding/xml"
	"errors"
	"hash/crc32"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
)

// countingHandler answers every call 200 and counts the calls it got.
type countingHandler struct{ n atomic.Int64 }

func (c *countingHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	io.Copy(io.Discard, r.Body)
	c.n.Add(1)
	w.Header().Set("Content-Type", "application/x-amz-json-1.0")
	io.WriteString(w, "{}")
}

type testEdge struct {
	e                *Edge
	url              string
	dynamo, sfn, ses *countingHandler
}

func newTestEdge(t *testing.T) *testEdge {
	t.Helper()
	te := &testEdge{e: New(), dynamo: &countingHandler{}, sfn: &countingHandler{}, ses: &countingHandler{}}
	te.e.Mount(ServiceDynamoDB, "DynamoDB_20120810", te.dynamo)
	te.e.Mount(ServiceStepFunctions, "AWSStepFunctions", te.sfn)
	te.e.Mount(ServiceSES, "", te.ses)
	srv := httptest.NewServer(te.e)
	t.Cleanup(srv.Close)
	te.url = srv.URL
	return te
}

// call makes one raw call of service's op and returns the answer, or the
// transport error.
func (te *testEdge) call(t *testing.T, service, op string) (*http.Response, []byte, error) {
	t.Helper()
	var req *http.Request
	switch service {
	case ServiceSES:
		req, _ = http.NewRequest("POST", te.url, strings.NewReader(url.Values{"Action": {op}, "Version": {"2010-12-01"}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=test/20261102/us-east-1/ses/aws4_request, SignedHeaders=host, Signature=0")
	default:
		prefix := map[string]string{ServiceDynamoDB: "DynamoDB_20120810", ServiceStepFunctions: "AWSStepFunctions"}[service]
		req, _ = http.NewRequest("POST", te.url, strings.NewReader("{}"))
		req.Header.Set("Content-Type", "application/x-amz-json-1.0")
		req.Header.Set("X-Amz-Target", prefix+"."+op)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	return res, body, err
}

func mustAdd(t *testing.T, f *Faults, r FaultRule) Fault {
	t.Helper()
	got, err := f.Add(r)
	if err != nil {
		t.Fatalf("Add(%v): %v", r, err)
	}
	return got
}

func seed(n uint64) *uint64 { return &n }

func TestFaultRuleValidation(t *testing.T) {
	ok := FaultRule{Service: "dynamodb", Operation: "TransactWriteItems", Error: "ProvisionedThroughputExceededException", Count: 1}
	with := func(change func(*FaultRule)) FaultRule {
		r := ok
		change(&r)
		return r
	}
	tests := []struct {
		name string
		rule FaultRule
		want map[string]string // field -> a part of the problem; nil: accepted
	}{
		{"valid", ok, nil},
		{"every operation", with(func(r *FaultRule) { r.Operation = "*" }), nil},
		{"step functions", FaultRule{Service: "states", Operation: "SendTaskSuccess", Error: "ThrottlingException", Probability: 0.5, Seed: seed(1)}, nil},
		{"ses", FaultRule{Service: "ses", Operation: "SendRawEmail", Error: "Throttling", Count: 3}, nil},
		{"reset", with(func(r *FaultRule) { r.Error = "reset" }), nil},
		{"timeout", with(func(r *FaultRule) { r.Error = "timeout" }), nil},
		{"unknown code with a status", with(func(r *FaultRule) { r.Error = "ItemCollectionSizeLimitExceededException"; r.Status = 400 }), nil},
		{"probability 1", with(func(r *FaultRule) { r.Count = 0; r.Probability = 1 }), nil},
		{"nothing", FaultRule{}, map[string]string{"service": "required", "operation": "required", "error": "required", "count": "give count"}},
		{"unknown service", with(func(r *FaultRule) { r.Service = "kinesis" }), map[string]string{"service": "must be dynamodb, states, ses or s3"}},
		{"service by another name", with(func(r *FaultRule) { r.Service = "stepfunctions" }), map[string]string{"service": "must be"}},
		{"misspelt operation", with(func(r *FaultRule) { r.Operation = "TransactWriteItem" }), map[string]string{"operation": `dynamodb has no operation "TransactWriteItem"`}},
		{"operation of another service", with(func(r *FaultRule) { r.Operation = "StartExecution" }), map[string]string{"operation": "dynamodb has no operation"}},
		{"operation in lower case", with(func(r *FaultRule) { r.Operation = "transactwriteitems" }), map[string]string{"operation": "no operation"}},
		{"Options is no operation", with(func(r *FaultRule) { r.Operation = "Options" }), map[string]string{"operation": "no operation"}},
		{"unknown code without a status", with(func(r *FaultRule) { r.Error = "ThrottlingExeption" }), map[string]string{"status": "required for ThrottlingExeption"}},
		{"code of another service", with(func(r *FaultRule) { r.Error = "Throttling" }), map[string]string{"status": "does not know for dynamodb"}},
		{"not a code", with(func(r *FaultRule) { r.Error = "throttle me" }), map[string]string{"error": "must be an AWS error code"}},
		{"status not an error", with(func(r *FaultRule) { r.Status = 200 }), map[string]string{"status": "400 to 599"}},
		{"status of a reset", with(func(r *FaultRule) { r.Error = "reset"; r.Status = 503 }), map[string]string{"status": "no HTTP status"}},
		{"message of a timeout", with(func(r *FaultRule) { r.Error = "timeout"; r.Message = "slow" }), map[string]string{"message": "no message"}},
		{"message with a newline", with(func(r *FaultRule) { r.Message = "a\nb" }), map[string]string{"message": "control characters"}},
		{"long message", with(func(r *FaultRule) { r.Message = strings.Repeat("x", MaxFaultMessage+1) }), map[string]string{"message": "at most"}},
		{"count and probability", with(func(r *FaultRule) { r.Probability = 0.5 }), map[string]string{"probability": "not both"}},
		{"negative count", with(func(r *FaultRule) { r.Count = -1 }), map[string]string{"count": "must be 1 to"}},
		{"huge count", with(func(r *FaultRule) { r.Count = MaxFaultCount + 1 }), map[string]string{"count": "must be 1 to"}},
		{"probability above 1", with(func(r *FaultRule) { r.Count = 0; r.Probability = 1.5 }), map[string]string{"probability": "above 0 and at most 1"}},
		{"negative probability", with(func(r *FaultRule) { r.Count = 0; r.Probability = -0.1 }), map[string]string{"probability": "above 0 and at most 1"}},
		{"seed without probability", with(func(r *FaultRule) { r.Seed = seed(7) }), map[string]string{"seed": "only a probability rule"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := &Faults{}
			got, err := f.Add(tt.rule)
			if tt.want == nil {
				if err != nil {
					t.Fatalf("Add() = %v, want it accepted", err)
				}
				if got.ID == "" || got.Status == 0 && tt.rule.Error != FaultReset && tt.rule.Error != FaultTimeout {
					t.Errorf("Add() = %+v, want an id and the error's status", got)
				}
				return
			}
			ruleErr, ok := errors.AsType[*FaultRuleError](err)
			if !ok {
				t.Fatalf("Add() error = %v, want a *FaultRuleError", err)
			}
			if len(ruleErr.Fields) != len(tt.want) {
				t.Errorf("fields = %v, want problems with %v", ruleErr.Fields, tt.want)
			}
			for field, part := range tt.want {
				if !strings.Contains(ruleErr.Fields[field], part) {
					t.Errorf("fields[%q] = %q, want it to say %q", field, ruleErr.Fields[field], part)
				}
			}
			if rep := f.Report(); len(rep.Rules) != 0 {
				t.Errorf("a refused rule is held: %+v", rep)
			}
		})
	}
}

func TestCountRuleFailsTheNextCallsThenNoMore(t *testing.T) {
	te := newTestEdge(t)
	rule := mustAdd(t, te.e.Faults(), FaultRule{Service: "dynamodb", Operation: "TransactWriteItems", Error: "ProvisionedThroughputExceededException", Count: 2})
	if rule.ID != "fault-1" || rule.Status != 400 || rule.Remaining == nil || *rule.Remaining != 2 {
		t.Errorf("added rule = %+v", rule)
	}
	var statuses []int
	for _, op := range []string{"GetItem", "TransactWriteItems", "PutItem", "TransactWriteItems", "TransactWriteItems"} {
		res, _, err := te.call(t, "dynamodb", op)
		if err != nil {
			t.Fatal(err)
		}
		statuses = append(statuses, res.StatusCode)
	}
	if want := []int{200, 400, 200, 400, 200}; !reflect.DeepEqual(statuses, want) {
		t.Errorf("statuses = %v, want %v", statuses, want)
	}
	if got := te.dynamo.n.Load(); got != 3 {
		t.Errorf("the stand-in got %d calls, want the 3 that did not fail", got)
	}
	// Another service's call of the same name is not the rule's.
	if res, _, _ := te.call(t, "states", "StartExecution"); res.StatusCode != 200 {
		t.Errorf("states call: %d", res.StatusCode)
	}
	rep := te.e.Faults().Report()
	if len(rep.Rules) != 1 || rep.Rules[0].Fired != 2 || *rep.Rules[0].Remaining != 0 || rep.Injected != 2 {
		t.Errorf("report = %+v, want the rule fired twice, none left, 2 injected", rep)
	}
	if got := te.e.Calls()["dynamodb:TransactWriteItems"]; got != 3 {
		t.Errorf("edge counted %d TransactWriteItems calls, want 3 (failed ones included)", got)
	}
}

func TestFirstMatchingRuleWins(t *testing.T) {
	te := newTestEdge(t)
	f := te.e.Faults()
	mustAdd(t, f, FaultRule{Service: "ses", Operation: "SendRawEmail", Error: "Throttling", Count: 1})
	mustAdd(t, f, FaultRule{Service: "ses", Operation: "*", Error: "ServiceUnavailable", Count: 1})
	var statuses []int
	for range 3 {
		res, _, err := te.call(t, "ses", "SendRawEmail")
		if err != nil {
			t.Fatal(err)
		}
		statuses = append(statuses, res.StatusCode)
	}
	if want := []int{400, 503, 200}; !reflect.DeepEqual(statuses, want) {
		t.Errorf("statuses = %v, want %v (the first rule, then the second, then none)", statuses, want)
	}
}

func TestProbabilityRuleIsReproducibleWithItsSeed(t *testing.T) {
	run := func(s *uint64) (fired []bool, listed Fault) {
		f := &Faults{}
		mustAdd(t, f, FaultRule{Service: "states", Operation: "*", Error: "ThrottlingException", Probability: 0.25, Seed: s})
		for range 400 {
			_, ok := f.take("states", "StartExecution")
			fired = append(fired, ok)
		}
		return fired, f.Report().Rules[0]
	}
	a, ruleA := run(seed(42))
	b, _ := run(seed(42))
	if !reflect.DeepEqual(a, b) {
		t.Errorf("two runs with seed 42 failed different calls")
	}
	c, _ := run(seed(43))
	if reflect.DeepEqual(a, c) {
		t.Errorf("seeds 42 and 43 failed the same calls")
	}
	// 400 draws at 25%: 100 expected; with seed 42 the count is fixed, and
	// any fair generator lands well within 60..140.
	if ruleA.Fired < 60 || ruleA.Fired > 140 || ruleA.Remaining != nil {
		t.Errorf("fired %d of 400 at probability 0.25 (rule %+v)", ruleA.Fired, ruleA)
	}
	// Without a seed the edge picks one and lists it: rerunning with it
	// fails the same calls.
	d, ruleD := run(nil)
	if ruleD.Seed == nil {
		t.Fatalf("rule without a seed lists none: %+v", ruleD)
	}
	if e, _ := run(seed(*ruleD.Seed)); !reflect.DeepEqual(d, e) {
		t.Errorf("rerunning with the listed seed %d failed different calls", *ruleD.Seed)
	}
}

func TestRemoveAndClear(t *testing.T) {
	te := newTestEdge(t)
	f := te.e.Faults()
	one := mustAdd(t, f, FaultRule{Service: "dynamodb", Operation: "*", Error: "InternalServerError", Count: 5})
	two := mustAdd(t, f, FaultRule{Service: "ses", Operation: "*", Error: "Throttling", Count: 5})
	te.call(t, "dynamodb", "GetItem")
	if removed, ok := f.Remove(one.ID); !ok || removed.Fired != 1 {
		t.Errorf("Remove(%s) = %+v, %v; want it, fired once", one.ID, removed, ok)
	}
	if _, ok := f.Remove(one.ID); ok {
		t.Errorf("Remove of a removed rule succeeded")
	}
	if res, _, _ := te.call(t, "dynamodb", "GetItem"); res.StatusCode != 200 {
		t.Errorf("call after Remove: %d", res.StatusCode)
	}
	te.call(t, "ses", "SendRawEmail")
	cleared := f.Clear()
	if len(cleared.Rules) != 1 || cleared.Rules[0].ID != two.ID || cleared.Rules[0].Fired != 1 || cleared.Injected != 2 {
		t.Errorf("Clear() = %+v, want the ses rule as it was and 2 injected", cleared)
	}
	if rep := f.Report(); len(rep.Rules) != 0 || rep.Injected != 2 || f.Injected() != 2 {
		t.Errorf("after Clear: %+v (Injected %d), want no rules and the total kept", rep, f.Injected())
	}
	if res, _, _ := te.call(t, "ses", "SendRawEmail"); res.StatusCode != 200 {
		t.Errorf("call after Clear: %d", res.StatusCode)
	}
	if three := mustAdd(t, f, FaultRule{Service: "ses", Operation: "*", Error: "Throttling", Count: 1}); three.ID != "fault-3" {
		t.Errorf("ids are reused: %s", three.ID)
	}
}

func TestTooManyRules(t *testing.T) {
	f := &Faults{}
	for range MaxFaultRules {
		mustAdd(t, f, FaultRule{Service: "ses", Operation: "*", Error: "Throttling", Count: 1})
	}
	if _, err := f.Add(FaultRule{Service: "ses", Operation: "*", Error: "Throttling", Count: 1}); !errors.Is(err, ErrTooManyFaultRules) {
		t.Errorf("rule %d: %v, want ErrTooManyFaultRules", MaxFaultRules+1, err)
	}
}

func TestInjectedErrorsOnTheWire(t *testing.T) {
	te := newTestEdge(t)
	f := te.e.Faults()
	mustAdd(t, f, FaultRule{Service: "dynamodb", Operation: "PutItem", Error: "ProvisionedThroughputExceededException", Count: 1})
	mustAdd(t, f, FaultRule{Service: "states", Operation: "StartExecution", Error: "ServiceUnavailable", Message: "try <later> & again", Count: 1})
	mustAdd(t, f, FaultRule{Service: "ses", Operation: "SendRawEmail", Error: "InternalFailure", Message: "try <later> & again", Count: 1})

	res, body, err := te.call(t, "dynamodb", "PutItem")
	if err != nil {
		t.Fatal(err)
	}
	var j map[string]string
	json.Unmarshal(body, &j)
	if res.StatusCode != 400 || res.Header.Get("Content-Type") != "application/x-amz-json-1.0" ||
		j["__type"] != "com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException" || j["message"] == "" {
		t.Errorf("dynamodb: %d %v %s", res.StatusCode, res.Header, body)
	}
	if got, want := res.Header.Get("X-Amz-Crc32"), strconv.FormatUint(uint64(crc32.ChecksumIEEE(body)), 10); got != want {
		t.Errorf("dynamodb X-Amz-Crc32 = %q, want %q (the body's)", got, want)
	}
	if res.Header.Get("X-Amzn-Requestid") == "" {
		t.Errorf("dynamodb: no request id")
	}

	res, body, _ = te.call(t, "states", "StartExecution")
	j = nil
	json.Unmarshal(body, &j)
	if res.StatusCode != 503 || j["__type"] != "ServiceUnavailable" || j["message"] != "try <later> & again" {
		t.Errorf("states: %d %s", res.StatusCode, body)
	}

	res, body, _ = te.call(t, "ses", "SendRawEmail")
	var x struct {
		XMLName xml.Name `xml:"http://ses.amazonaws.com/doc/2010-12-01/ ErrorResponse"`
		Type    string   `xml:"Error>Type"`
		Code    string   `xml:"Error>Code"`
		Message string   `xml:"Error>Message"`
		ID      string   `xml:"RequestId"`
	}
	if err := xml.Unmarshal(body, &x); err != nil || res.StatusCode != 500 || x.Type != "Receiver" || x.Code != "InternalFailure" ||
		x.Message != "try <later> & again" || x.ID == "" || res.Header.Get("Content-Type") != "text/xml" {
		t.Errorf("ses: %d %v %s (%v)", res.StatusCode, res.Header, body, err)
	}
}

func TestNetworkFaults(t *testing.T) {
	te := newTestEdge(t)
	f := te.e.Faults()
	mustAdd(t, f, FaultRule{Service: "dynamodb", Operation: "PutItem", Error: FaultReset, Count: 1})
	mustAdd(t, f, FaultRule{Service: "dynamodb", Operation: "UpdateItem", Error: FaultTimeout, Count: 1})

	if _, _, err := te.call(t, "dynamodb", "PutItem"); err == nil || !strings.Contains(err.Error(), "connection reset") {
		t.Errorf("reset: error = %v, want a connection reset", err)
	}
	if got := te.dynamo.n.Load(); got != 0 {
		t.Errorf("reset: the stand-in got %d calls, want 0", got)
	}
	if _, _, err := te.call(t, "dynamodb", "UpdateItem"); err == nil || !strings.Contains(err.Error(), "connection reset") {
		t.Errorf("timeout: error = %v, want a connection reset", err)
	}
	if got := te.dynamo.n.Load(); got != 1 {
		t.Errorf("timeout: the stand-in got %d calls, want 1 (the call happens, its answer is lost)", got)
	}
	if res, _, err := te.call(t, "dynamodb", "UpdateItem"); err != nil || res.StatusCode != 200 {
		t.Errorf("after the faults: %v %v", res, err)
	}
}

// BenchmarkTake measures what fault rules add to every call through the
// edge: none held, and the most held with none matching.
func BenchmarkTake(b *testing.B) {
	for _, n := range []int{0, MaxFaultRules} {
		b.Run(strconv.Itoa(n)+" rules", func(b *testing.B) {
			f := &Faults{}
			for range n {
				if _, err := f.Add(FaultRule{Service: "ses", Operation: "SendRawEmail", Error: "Throttling", Probability: 0.5}); err != nil {
					b.Fatal(err)
				}
			}
			for b.Loop() {
				f.take("dynamodb", "TransactWriteItems")
			}
		})
	}
}
