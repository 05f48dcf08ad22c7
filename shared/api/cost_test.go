package api_test

import (
	"context"
	"fmt"
	"maps"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	sfntypes "github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/aws/smithy-go/middleware"

	"github.com/candorhq/candor/infra/deploycheck"
	"github.com/candorhq/candor/infra/local/stack"
)

// callsSince returns the AWS calls the edge served since before, as
// "service:Operation" -> count.
func callsSince(before, after map[string]int) map[string]int {
	out := map[string]int{}
	for k, v := range after {
		if d := v - before[k]; d > 0 {
			out[k] = d
		}
	}
	return out
}

func fmtCalls(c map[string]int) string {
	var parts []string
	total := 0
	for _, k := range slices.Sorted(maps.Keys(c)) {
		parts = append(parts, fmt.Sprintf("%s=%d", k, c[k]))
		total += c[k]
	}
	return fmt.Sprintf("%d calls (%s)", total, strings.Join(parts, ", "))
}

// transitions counts the state transitions Step Functions bills for an
// execution: every state entered (AWS counts each state transition).
func (e *env) transitions(name string) int {
	return e.machineTransitions(stack.FindReviewerMachine, name)
}

func (e *env) machineTransitions(machine, name string) int {
	e.t.Helper()
	ctx := context.Background()
	client := sfn.New(sfn.Options{Region: "us-east-1", BaseEndpoint: aws.String(e.s.AWSURL), Credentials: stack.AWSCredentials})
	arn := "arn:aws:states:us-east-1:000000000000:execution:" + machine + ":" + name
	h, err := client.GetExecutionHistory(ctx, &sfn.GetExecutionHistoryInput{ExecutionArn: aws.String(arn), MaxResults: 1000})
	if err != nil {
		e.t.Fatal(err)
	}
	n := 0
	for _, ev := range h.Events {
		if strings.HasSuffix(string(ev.Type), "StateEntered") {
			n++
		}
	}
	return n
}

// TestFindReviewerCost measures what one Find Reviewer request costs on its
// two common paths: the AWS calls of every function involved (counted at the
// local AWS endpoint) and the state transitions of its execution. The
// numbers are in docs/cost.md; the test fails if a path grows.
func TestFindReviewerCost(t *testing.T) {
	cases := []struct {
		name                string
		run                 func(e *env)
		wantTransitions     int
		maxCalls            int
		wantStatus, wantEnd string
	}{
		{"reply on day 1", func(e *env) {
			e.s.Advance(24 * time.Hour)
			link := e.reviewerLink(e.mailsTo(reviewerAddr)[0])
			e.openPage(link)
			e.postPage(link, url.Values{"reply": {"Order 4711."}})
		}, 6, 40, "replied", string(sfntypes.ExecutionStatusSucceeded)}, // 40: 30 (the reviewer's copy of the reply is 4: a read, a claim, an email, its confirmation) + the webhook dispatcher's 5 Queries (events, 4 due shards) in each of the clock move's 2 runs
		{"no reply, reminder, expiry", func(e *env) {
			e.s.Advance(5 * 24 * time.Hour)
		}, 7, 27, "expired", string(sfntypes.ExecutionStatusSucceeded)}, // 27: 17 + the dispatcher's polls, as above
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e, m := newMetered(t)
			before := e.s.Edge.Calls()
			start := m.snapshot()
			id := e.ask()
			tc.run(e)
			end := m.snapshot()
			calls := callsSince(before, e.s.Edge.Calls())
			if r := e.request(id); r.body["status"] != tc.wantStatus {
				t.Fatalf("request = %s", r.raw)
			}
			name := "fr-" + id + "-0"
			got := e.transitions(name)
			t.Logf("%s: %d state transitions, %s", tc.name, got, fmtCalls(calls))
			m.check(start, end, got, "Find Reviewer, "+tc.name, findReviewerCostBound[tc.name])
			if got != tc.wantTransitions {
				t.Errorf("%d state transitions, want %d", got, tc.wantTransitions)
			}
			total := 0
			for _, n := range calls {
				total += n
			}
			if total > tc.maxCalls {
				t.Errorf("%s, want at most %d", fmtCalls(calls), tc.maxCalls)
			}
		})
	}
}

// TestReportCost measures a report's AWS calls and state transitions on the
// common paths, each to the end of its executions — the investigation's,
// which ends with the outcome's emails, and the appeal's, which ends with
// the appeal's outcome (numbers in docs/cost.md); it fails if a path grows.
func TestReportCost(t *testing.T) {
	decide := func(e *env, tkt string, body map[string]any) {
		e.mustStatus(200, "POST", "/v1/compliance/tickets/"+tkt+"/claim", e.compliance, nil)
		e.mustStatus(202, "POST", "/v1/compliance/tickets/"+tkt+"/decision", e.compliance, body)
	}
	cases := []struct {
		name            string
		run             func(e *env) string
		wantTransitions int
		maxCalls        int
	}{
		{"reinstate after one claim", func(e *env) string {
			rep, tkt := e.submitReport()
			decide(e, tkt, map[string]any{"outcome": "reinstate", "note": "Opinion, not defamation."})
			e.s.Advance(181 * 24 * time.Hour)
			return rep
		}, 5, 38},
		{"remove after one evidence round", func(e *env) string {
			rep, tkt := e.submitReport()
			decide(e, tkt, map[string]any{"outcome": "request_reviewer_action", "kind": "evidence", "note": "Need proof.", "message": "Please send us your order number for this purchase."})
			mails := e.mailsTo(reviewerAddr)
			e.postPage(e.reviewerLink(mails[len(mails)-1]), url.Values{"reply": {"Order 4711."}})
			decide(e, tkt, map[string]any{"outcome": "remove", "upheldReasons": []string{"offensive_or_harmful"}, "note": "The order belongs to someone else."})
			e.s.Advance(181 * 24 * time.Hour)
			return rep
		}, 9, 68}, // the copy of the evidence: ConfirmAction's 5 calls
		{"remove, reviewer appeals, reversed", func(e *env) string {
			rep, tkt := e.submitReport()
			decide(e, tkt, map[string]any{"outcome": "remove", "upheldReasons": []string{"offensive_or_harmful"}, "note": "The order belongs to someone else."})
			mails := e.mailsTo(reviewerAddr)
			e.postPage(e.reviewerLink(mails[len(mails)-1]), url.Values{"reply": {"I was there; crook was a figure of speech."}})
			bob := e.s.Token(agent2, "compliance", "", time.Hour)
			id := "apl_" + strings.TrimPrefix(rep, "rpt_")
			e.mustStatus(200, "POST", "/v1/compliance/appeals/"+id+"/claim", bob, nil)
			e.mustStatus(202, "POST", "/v1/compliance/appeals/"+id+"/decision", bob, map[string]any{"outcome": "reverse", "note": "Hyperbole about a real visit."})
			return rep
		}, 10, 55}, // investigation 5 + appeal 5 (ConfirmAppeal: the copy of the appeal)
		{"not genuine, no proof", func(e *env) string {
			r := e.mustStatus(202, "POST", "/v1/reviews/rev-other/reports", e.biz1, map[string]any{
				"items":           []any{map[string]any{"scope": "reviewer", "reason": "no_genuine_experience", "details": "We have no order from anyone by this name or address."}},
				"publicStatement": "We could not find this customer in our records.",
			})
			e.s.Advance(7 * 24 * time.Hour)
			e.s.Advance(181 * 24 * time.Hour)
			return r.body["id"].(string)
		}, 6, 43}, // the webhook dispatcher polls 5 times (events, 4 due shards) at every run a clock move triggers
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e, m := newMetered(t)
			if tc.name == "not genuine, no proof" { // P5: Find Reviewer first, expired
				e.mustStatus(202, "POST", "/v1/reviews/rev-other/reviewer-requests", e.biz1, map[string]any{"message": askMessage})
				e.s.Advance(5 * 24 * time.Hour)
			}
			before := e.s.Edge.Calls()
			start := m.snapshot()
			rep := tc.run(e)
			end := m.snapshot()
			calls := callsSince(before, e.s.Edge.Calls())
			got := e.machineTransitions(stack.InvestigationMachine, rep)
			appeal := "apl_" + strings.TrimPrefix(rep, "rpt_")
			for _, x := range e.executions() {
				if x.name == appeal {
					got += e.machineTransitions(stack.AppealMachine, appeal)
					if x := e.execution(stack.AppealMachine, appeal); x.Status != sfntypes.ExecutionStatusSucceeded {
						t.Errorf("the appeal's execution is %s at the end of the path, want SUCCEEDED", x.Status)
					}
				}
			}
			t.Logf("%s: %d state transitions, %s", tc.name, got, fmtCalls(calls))
			m.check(start, end, got, "Report, "+tc.name, reportCostBound[tc.name])
			if r := e.report(rep); r.body["status"] != "closed" {
				t.Fatalf("report = %s", r.raw)
			}
			if x := e.execution(stack.InvestigationMachine, rep); x.Status != sfntypes.ExecutionStatusSucceeded {
				t.Errorf("the execution is %s at the end of the path, want SUCCEEDED", x.Status)
			}
			if got != tc.wantTransitions {
				t.Errorf("%d state transitions, want %d", got, tc.wantTransitions)
			}
			total := 0
			for _, n := range calls {
				total += n
			}
			if total > tc.maxCalls {
				t.Errorf("%s, want at most %d", fmtCalls(calls), tc.maxCalls)
			}
		})
	}
}

// appealDecision has a second agent claim and decide the appeal of a report.
func appealDecision(e *env, reportID string, body map[string]any) {
	e.t.Helper()
	bob := e.s.Token(agent2, "compliance", "", 365*24*time.Hour)
	id := "apl_" + strings.TrimPrefix(reportID, "rpt_")
	e.mustStatus(200, "POST", "/v1/compliance/appeals/"+id+"/claim", bob, nil)
	e.mustStatus(202, "POST", "/v1/compliance/appeals/"+id+"/decision", bob, body)
}

// TestEveryTaskReadsOnceAndMakesAtMostThreeDynamoDBCalls runs each workflow
// path once and counts, for every task invocation, the DynamoDB calls it made
// (at most 3 — one BatchGetItem of its objects, one transaction for its
// change and email claim, one confirmation of the email; the copies of an
// answer, readsTheAnswers, read the answers too).
func TestEveryTaskReadsOnceAndMakesAtMostThreeDynamoDBCalls(t *testing.T) {
	decide := func(e *env, tkt string, body map[string]any) {
		e.mustStatus(200, "POST", "/v1/compliance/tickets/"+tkt+"/claim", e.compliance, nil)
		e.mustStatus(202, "POST", "/v1/compliance/tickets/"+tkt+"/decision", e.compliance, body)
	}
	paths := map[string]func(e *env){
		"find reviewer, reply": func(e *env) {
			e.ask()
			e.s.Advance(24 * time.Hour)
			e.postPage(e.reviewerLink(e.mailsTo(reviewerAddr)[0]), url.Values{"reply": {"Order 4711."}})
		},
		"find reviewer, reminder, expiry, manual reminder, expiry": func(e *env) {
			id := e.ask()
			e.s.Advance(5 * 24 * time.Hour)
			e.mustStatus(202, "POST", "/v1/reviewer-requests/"+id+"/reminders", e.biz1, nil)
			e.s.Advance(5 * 24 * time.Hour)
		},
		"report, evidence, no response, edit, removal": func(e *env) {
			_, tkt := e.submitReport()
			decide(e, tkt, map[string]any{"outcome": "request_reviewer_action", "kind": "evidence", "note": "Need proof.", "message": "Please send us your order number for this purchase."})
			e.s.Advance(7 * 24 * time.Hour)
			decide(e, tkt, map[string]any{"outcome": "request_reviewer_action", "kind": "edit", "note": "Ask for an edit.", "message": "Please remove the word crook from your review."})
			mails := e.mailsTo(reviewerAddr)
			e.postPage(e.reviewerLink(mails[len(mails)-1]), url.Values{"title": {"Stale beans"}, "text": {"The beans were stale."}, "stars": {"2"}})
			decide(e, tkt, map[string]any{"outcome": "remove", "upheldReasons": []string{"offensive_or_harmful"}, "note": "The edit still breaks the rules."})
		},
		"report, reinstated, appeal window ends": func(e *env) {
			_, tkt := e.submitReport()
			decide(e, tkt, map[string]any{"outcome": "reinstate", "note": "Opinion, not defamation."})
			e.s.Advance(181 * 24 * time.Hour)
		},
		"report, removed, reviewer's appeal reversed": func(e *env) {
			rep, tkt := e.submitReport()
			decide(e, tkt, map[string]any{"outcome": "remove", "upheldReasons": []string{"offensive_or_harmful"}, "note": "The order belongs to someone else."})
			mails := e.mailsTo(reviewerAddr)
			e.postPage(e.reviewerLink(mails[len(mails)-1]), url.Values{"reply": {"I was there; crook was a figure of speech."}})
			appealDecision(e, rep, map[string]any{"outcome": "reverse", "note": "Hyperbole about a real visit."})
		},
		"report, reinstated, business's appeal upheld after the decision reminder": func(e *env) {
			rep, tkt := e.submitReport()
			decide(e, tkt, map[string]any{"outcome": "reinstate", "note": "Opinion, not defamation."})
			e.mustStatus(201, "POST", "/v1/reports/"+rep+"/appeals", e.biz1, map[string]any{"reason": "The review accuses our owner of a crime."})
			e.s.Advance(15 * 24 * time.Hour)
			appealDecision(e, rep, map[string]any{"outcome": "uphold", "note": "An opinion about the service."})
		},
		"report, reinstated, business's appeal reversed": func(e *env) {
			rep, tkt := e.submitReport()
			decide(e, tkt, map[string]any{"outcome": "reinstate", "note": "Opinion, not defamation."})
			e.mustStatus(201, "POST", "/v1/reports/"+rep+"/appeals", e.biz1, map[string]any{"reason": "The same text is on three other shops."})
			appealDecision(e, rep, map[string]any{"outcome": "reverse", "note": "Copied text.", "upheldReasons": []string{"spam"}})
		},
		"not genuine, no proof": func(e *env) {
			e.mustStatus(202, "POST", "/v1/reviews/rev-other/reviewer-requests", e.biz1, map[string]any{"message": askMessage})
			e.s.Advance(5 * 24 * time.Hour)
			e.mustStatus(202, "POST", "/v1/reviews/rev-other/reports", e.biz1, map[string]any{
				"items":           []any{map[string]any{"scope": "reviewer", "reason": "no_genuine_experience", "details": "We have no order from anyone by this name or address."}},
				"publicStatement": "We could not find this customer in our records.",
			})
			e.s.Advance(7 * 24 * time.Hour)
		},
	}
	for _, name := range slices.Sorted(maps.Keys(paths)) {
		t.Run(name, func(t *testing.T) {
			e := newEnv(t)
			paths[name](e)
			calls := e.s.TaskCalls()
			if len(calls) < 2 {
				t.Fatalf("only %d task invocations recorded", len(calls))
			}
			for _, c := range calls {
				t.Logf("%-20s %-18s %d DynamoDB calls (%s)", c.Function, c.Action, c.DynamoDB(), fmtCalls(c.Calls))
				maxCalls, maxReads := 3, 1
				if readsTheAnswers[c.Action] {
					maxCalls, maxReads = 4, 2
				}
				if c.DynamoDB() > maxCalls {
					t.Errorf("%s %s made %d DynamoDB calls, want at most %d: %s", c.Function, c.Action, c.DynamoDB(), maxCalls, fmtCalls(c.Calls))
				}
				reads := 0
				for k, n := range c.Calls {
					if strings.HasSuffix(k, "BatchGetItem") || strings.HasSuffix(k, "GetItem") || strings.HasSuffix(k, "Query") {
						reads += n
					}
				}
				if reads > maxReads {
					t.Errorf("%s %s read %d times, want at most %d: %s", c.Function, c.Action, reads, maxReads, fmtCalls(c.Calls))
				}
			}
		})
	}
}

// readsTheAnswers are the tasks that read twice and so may make a fourth
// call: the reviewer's copies of proof and of evidence or an edit read
// their case (one BatchGetItem) and then the reviewer's answers (one Query
// of the report's partition), whose sort keys carry the time of the answer,
// which only the case read gives (docs/decisions.md).
var readsTheAnswers = map[string]bool{"confirm_proof": true, "confirm_action": true}

// List prices, us-east-1, as of 2026-12-07 (docs/cost.md cites the pages),
// without free tiers.
const (
	usdPerTransition    = 0.025 / 1000 // Step Functions Standard, per state transition
	usdPerWRU           = 0.625 / 1e6  // DynamoDB on-demand, per write request unit
	usdPerRRU           = 0.125 / 1e6  // DynamoDB on-demand, per read request unit
	usdPerEmail         = 0.10 / 1000  // SES, per outbound email
	usdPerInvocation    = 0.20 / 1e6   // Lambda, per request
	usdPerGBSecond      = 0.0000133334 // Lambda arm64, per GB-second
	usdPerHTTPAPICall   = 1.00 / 1e6   // API Gateway HTTP API, per request (first 300 million a month)
	assumedBilledSecond = 0.050        // billed duration assumed per invocation (not measured locally)
	kib                 = 1024.0
)

// usage is what one path used of everything AWS bills for it, as the local
// stack measured it.
type usage struct {
	Transitions int            // state transitions of its execution
	Invocations map[string]int // Lambda invocations by function
	WRU, RRU    float64        // DynamoDB request units of every function's calls
	Emails      int            // SES sends
	HTTPCalls   int            // API Gateway requests (the api and reviewer-page functions)
	MemoryGB    float64        // every function's memory (template.yaml)
}

func (u usage) invocations() int {
	n := 0
	for _, v := range u.Invocations {
		n += v
	}
	return n
}

// Dollar amounts of each part, and the total.
func (u usage) stepFunctions() float64 { return float64(u.Transitions) * usdPerTransition }
func (u usage) dynamoDB() float64      { return u.WRU*usdPerWRU + u.RRU*usdPerRRU }
func (u usage) ses() float64           { return float64(u.Emails) * usdPerEmail }
func (u usage) lambdaAndGateway() float64 {
	n := float64(u.invocations())
	return n*usdPerInvocation + n*u.MemoryGB*assumedBilledSecond*usdPerGBSecond + float64(u.HTTPCalls)*usdPerHTTPAPICall
}
func (u usage) total() float64 {
	return u.stepFunctions() + u.dynamoDB() + u.ses() + u.lambdaAndGateway()
}

// row is the path's line of docs/cost.md's dollar table.
func (u usage) row(name string) string {
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(u.Invocations)) {
		parts = append(parts, fmt.Sprintf("%s %d", strings.TrimPrefix(k, "candor-"), u.Invocations[k]))
	}
	return fmt.Sprintf("| %s | %d | %d (%s) | %.1f WRU, %.1f RRU | %d | %d | $%.6f | $%.6f | $%.6f | $%.6f | **$%.5f** |",
		name, u.Transitions, u.invocations(), strings.Join(parts, ", "), u.WRU, u.RRU, u.Emails, u.HTTPCalls,
		u.stepFunctions(), u.dynamoDB(), u.ses(), u.lambdaAndGateway(), u.total())
}

// meter counts the DynamoDB request units of every function's calls, from
// each call's input and output, by DynamoDB's billing rules: a write 1 WRU
// per KB of the item (2 in a transaction), a read 1 RRU per 4 KB (half for
// an eventually consistent one, 2 in a transaction), every item rounded up
// on its own, a Query's items together. A write is billed at the larger of
// the item before and after it: the meter keeps the last image of every item
// a call wrote whole or read, applies each update's expression to it (an
// email claim makes the item larger than it was read) and bills the larger.
// An item it never saw is counted as its key and the values written.
type meter struct {
	mu       sync.Mutex
	wru, rru float64
	largest  int                                           // the largest item written whole or read, in bytes
	items    map[string]map[string]ddbtypes.AttributeValue // the last image of each item, by key
}

func (m *meter) add(w, r float64, largest int) {
	m.mu.Lock()
	m.wru, m.rru, m.largest = m.wru+w, m.rru+r, max(m.largest, largest)
	m.mu.Unlock()
}

// learn records the whole items a call writes or reads.
func (m *meter) learn(in, out any) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.items == nil {
		m.items = map[string]map[string]ddbtypes.AttributeValue{}
	}
	for _, it := range wholeItems(in, out) {
		m.items[itemKey(it)] = it
	}
}

// sized is the size a delete or condition check of the item at key is billed
// at: the item's size when it was last seen, or else its key.
func (m *meter) sized(key map[string]ddbtypes.AttributeValue) int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return max(itemSize(m.items[itemKey(key)]), itemSize(key))
}

// deleted is the size a delete of the item at key is billed at; the meter
// forgets the item.
func (m *meter) deleted(key map[string]ddbtypes.AttributeValue) int {
	n := m.sized(key)
	m.mu.Lock()
	delete(m.items, itemKey(key))
	m.mu.Unlock()
	return n
}

// put is the size a put of item is billed at: the larger of the item it
// replaces, if the meter saw one, and the new one.
func (m *meter) put(item map[string]ddbtypes.AttributeValue) int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return max(itemSize(m.items[itemKey(item)]), itemSize(item))
}

// updated is the size an update of the item at key is billed at — the
// larger of its image before and after — and keeps the image after.
func (m *meter) updated(key map[string]ddbtypes.AttributeValue, expr *string, names map[string]string, values map[string]ddbtypes.AttributeValue) int {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.items == nil {
		m.items = map[string]map[string]ddbtypes.AttributeValue{}
	}
	before, seen := m.items[itemKey(key)]
	if !seen {
		before = key
	}
	after := applyUpdate(before, aws.ToString(expr), names, values)
	m.items[itemKey(key)] = after
	if !seen {
		return max(itemSize(key)+itemSize(values), itemSize(after))
	}
	return max(itemSize(before), itemSize(after))
}

// applyUpdate returns item as an update expression leaves it: SET of a value,
// of if_not_exists and of arithmetic, ADD, REMOVE (DELETE of set elements is
// counted as leaving the set as it was, which only overstates the size). A
// path into a map sets the value inside the map; a list element is left as
// it was.
func applyUpdate(item map[string]ddbtypes.AttributeValue, expr string, names map[string]string, values map[string]ddbtypes.AttributeValue) map[string]ddbtypes.AttributeValue {
	out := maps.Clone(item)
	name := func(path string) []string {
		parts := strings.Split(strings.TrimSpace(path), ".")
		for i, p := range parts {
			if n, ok := names[p]; ok {
				parts[i] = n
			}
		}
		return parts
	}
	get := func(path []string) ddbtypes.AttributeValue {
		var v ddbtypes.AttributeValue = &ddbtypes.AttributeValueMemberM{Value: out}
		for _, p := range path {
			m, ok := v.(*ddbtypes.AttributeValueMemberM)
			if !ok {
				return nil
			}
			if v = m.Value[p]; v == nil {
				return nil
			}
		}
		return v
	}
	var set func(m map[string]ddbtypes.AttributeValue, path []string, v ddbtypes.AttributeValue)
	set = func(m map[string]ddbtypes.AttributeValue, path []string, v ddbtypes.AttributeValue) {
		if strings.Contains(path[0], "[") {
			return
		}
		if len(path) == 1 {
			if v == nil {
				delete(m, path[0])
			} else {
				m[path[0]] = v
			}
			return
		}
		inner, ok := m[path[0]].(*ddbtypes.AttributeValueMemberM)
		if !ok {
			return
		}
		c := maps.Clone(inner.Value)
		set(c, path[1:], v)
		m[path[0]] = &ddbtypes.AttributeValueMemberM{Value: c}
	}
	// value is what a SET's right-hand side evaluates to.
	var value func(e string) ddbtypes.AttributeValue
	value = func(e string) ddbtypes.AttributeValue {
		e = strings.TrimSpace(e)
		if args, ok := strings.CutPrefix(e, "if_not_exists("); ok {
			path, v, _ := strings.Cut(strings.TrimSuffix(args, ")"), ",")
			if cur := get(name(path)); cur != nil {
				return cur
			}
			return value(v)
		}
		if args, ok := strings.CutPrefix(e, "list_append("); ok {
			a, b, _ := strings.Cut(strings.TrimSuffix(args, ")"), ",")
			la, _ := value(a).(*ddbtypes.AttributeValueMemberL)
			lb, _ := value(b).(*ddbtypes.AttributeValueMemberL)
			var l []ddbtypes.AttributeValue
			if la != nil {
				l = append(l, la.Value...)
			}
			if lb != nil {
				l = append(l, lb.Value...)
			}
			return &ddbtypes.AttributeValueMemberL{Value: l}
		}
		if a, _, ok := strings.Cut(e, " + "); ok { // a number stays about its size
			return value(a)
		}
		if a, _, ok := strings.Cut(e, " - "); ok {
			return value(a)
		}
		if strings.HasPrefix(e, ":") {
			return values[e]
		}
		return get(name(e))
	}
	for _, section := range updateSections(expr) {
		for _, action := range splitTop(section.body) {
			switch section.keyword {
			case "SET":
				lhs, rhs, _ := strings.Cut(action, "=")
				set(out, name(lhs), value(rhs))
			case "ADD":
				fields := strings.Fields(action)
				if len(fields) == 2 && get(name(fields[0])) == nil {
					set(out, name(fields[0]), values[fields[1]])
				}
			case "REMOVE":
				set(out, name(action), nil)
			}
		}
	}
	return out
}

type updateSection struct{ keyword, body string }

// updateSections splits an update expression at its clauses' keywords.
func updateSections(expr string) []updateSection {
	var out []updateSection
	for _, w := range strings.Fields(expr) {
		switch strings.ToUpper(w) {
		case "SET", "ADD", "REMOVE", "DELETE":
			out = append(out, updateSection{keyword: strings.ToUpper(w)})
			continue
		}
		if len(out) > 0 {
			out[len(out)-1].body += " " + w
		}
	}
	return out
}

// splitTop splits a clause's actions at the commas outside parentheses.
func splitTop(s string) []string {
	var out []string
	depth, start := 0, 0
	for i, c := range s {
		switch c {
		case '(':
			depth++
		case ')':
			depth--
		case ',':
			if depth == 0 {
				out = append(out, s[start:i])
				start = i + 1
			}
		}
	}
	if strings.TrimSpace(s[start:]) != "" {
		out = append(out, s[start:])
	}
	return out
}

// itemKey names an item by its table key (PK, SK).
func itemKey(item map[string]ddbtypes.AttributeValue) string {
	s := func(name string) string {
		if v, ok := item[name].(*ddbtypes.AttributeValueMemberS); ok {
			return v.Value
		}
		return ""
	}
	return s("PK") + "\x00" + s("SK")
}

func (m *meter) largestItem() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.largest
}

func (m *meter) read() (float64, float64) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.wru, m.rru
}

// middleware is the meter as an option of the functions' AWS clients.
func (m *meter) middleware(s *middleware.Stack) error {
	return s.Initialize.Add(middleware.InitializeMiddlewareFunc("meterCapacity", func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
		out, md, err := next.HandleInitialize(ctx, in)
		if err == nil {
			w, r := m.capacity(in.Parameters, out.Result)
			m.add(w, r, largestItem(in.Parameters, out.Result))
			m.learn(in.Parameters, out.Result)
		}
		return out, md, err
	}), middleware.After)
}

// capacity is the WRU and RRU of one successful DynamoDB call.
func (m *meter) capacity(in, out any) (wru, rru float64) {
	consistency := func(consistent *bool) float64 {
		if consistent != nil && *consistent {
			return 1
		}
		return 0.5
	}
	switch in := in.(type) {
	case *dynamodb.PutItemInput:
		return units(m.put(in.Item), kib), 0
	case *dynamodb.UpdateItemInput:
		return units(m.updated(in.Key, in.UpdateExpression, in.ExpressionAttributeNames, in.ExpressionAttributeValues), kib), 0
	case *dynamodb.DeleteItemInput:
		return units(m.deleted(in.Key), kib), 0
	case *dynamodb.TransactWriteItemsInput:
		for _, it := range in.TransactItems {
			switch {
			case it.Put != nil:
				wru += 2 * units(m.put(it.Put.Item), kib)
			case it.Update != nil:
				wru += 2 * units(m.updated(it.Update.Key, it.Update.UpdateExpression, it.Update.ExpressionAttributeNames, it.Update.ExpressionAttributeValues), kib)
			case it.Delete != nil:
				wru += 2 * units(m.deleted(it.Delete.Key), kib)
			case it.ConditionCheck != nil:
				wru += 2 * units(m.sized(it.ConditionCheck.Key), kib)
			}
		}
		return wru, 0
	case *dynamodb.BatchWriteItemInput:
		for _, reqs := range in.RequestItems {
			for _, r := range reqs {
				if r.PutRequest != nil {
					wru += units(itemSize(r.PutRequest.Item), kib)
				} else {
					wru++
				}
			}
		}
		return wru, 0
	case *dynamodb.GetItemInput:
		o, _ := out.(*dynamodb.GetItemOutput)
		if o == nil {
			return 0, 0
		}
		return 0, consistency(in.ConsistentRead) * units(itemSize(o.Item), 4*kib)
	case *dynamodb.BatchGetItemInput:
		o, _ := out.(*dynamodb.BatchGetItemOutput)
		if o == nil {
			return 0, 0
		}
		for table, keys := range in.RequestItems {
			for _, item := range o.Responses[table] {
				rru += consistency(keys.ConsistentRead) * units(itemSize(item), 4*kib)
			}
			if missing := len(keys.Keys) - len(o.Responses[table]); missing > 0 {
				rru += consistency(keys.ConsistentRead) * float64(missing) // an item not found still costs a read
			}
		}
		return 0, rru
	case *dynamodb.QueryInput:
		o, _ := out.(*dynamodb.QueryOutput)
		if o == nil {
			return 0, 0
		}
		size := 0
		for _, item := range o.Items {
			size += itemSize(item)
		}
		return 0, consistency(in.ConsistentRead) * units(size, 4*kib)
	case *dynamodb.TransactGetItemsInput:
		o, _ := out.(*dynamodb.TransactGetItemsOutput)
		if o == nil {
			return 0, 0
		}
		for _, r := range o.Responses {
			rru += 2 * units(itemSize(r.Item), 4*kib)
		}
		return 0, rru
	}
	return 0, 0
}

// largestItem is the size of the largest whole item a call writes or reads.
func largestItem(in, out any) int {
	n := 0
	for _, it := range wholeItems(in, out) {
		n = max(n, itemSize(it))
	}
	return n
}

// wholeItems are the items a call writes or reads whole.
func wholeItems(in, out any) []map[string]ddbtypes.AttributeValue {
	var items []map[string]ddbtypes.AttributeValue
	switch in := in.(type) {
	case *dynamodb.PutItemInput:
		items = append(items, in.Item)
	case *dynamodb.TransactWriteItemsInput:
		for _, it := range in.TransactItems {
			if it.Put != nil {
				items = append(items, it.Put.Item)
			}
		}
	}
	switch out := out.(type) {
	case *dynamodb.GetItemOutput:
		items = append(items, out.Item)
	case *dynamodb.BatchGetItemOutput:
		for _, r := range out.Responses {
			items = append(items, r...)
		}
	case *dynamodb.QueryOutput:
		items = append(items, out.Items...)
	}
	return items
}

// units is size in units of unit bytes, rounded up, at least 1.
func units(size int, unit float64) float64 { return math.Max(1, math.Ceil(float64(size)/unit)) }

// itemSize is the size DynamoDB bills an item (or a set of values) at: the
// names' bytes and the values' (strings and binaries their length, numbers
// about one byte per two digits, lists and maps 3 bytes and 1 per element).
func itemSize(item map[string]ddbtypes.AttributeValue) int {
	n := 0
	for k, v := range item {
		n += len(k) + valueSize(v)
	}
	return n
}

func valueSize(v ddbtypes.AttributeValue) int {
	switch v := v.(type) {
	case *ddbtypes.AttributeValueMemberS:
		return len(v.Value)
	case *ddbtypes.AttributeValueMemberN:
		return len(v.Value)/2 + 1
	case *ddbtypes.AttributeValueMemberB:
		return len(v.Value)
	case *ddbtypes.AttributeValueMemberBOOL, *ddbtypes.AttributeValueMemberNULL:
		return 1
	case *ddbtypes.AttributeValueMemberSS:
		n := 0
		for _, s := range v.Value {
			n += len(s)
		}
		return n
	case *ddbtypes.AttributeValueMemberNS:
		n := 0
		for _, s := range v.Value {
			n += len(s)/2 + 1
		}
		return n
	case *ddbtypes.AttributeValueMemberBS:
		n := 0
		for _, b := range v.Value {
			n += len(b)
		}
		return n
	case *ddbtypes.AttributeValueMemberL:
		n := 3 + len(v.Value)
		for _, e := range v.Value {
			n += valueSize(e)
		}
		return n
	case *ddbtypes.AttributeValueMemberM:
		return 3 + len(v.Value) + itemSize(v.Value)
	}
	return 0
}

// httpCounter counts the requests the test makes to the stack's API Gateway
// (http.DefaultClient, which the helpers use).
type httpCounter struct {
	host string
	base http.RoundTripper
	mu   sync.Mutex
	n    int
}

func (c *httpCounter) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.URL.Host == c.host {
		c.mu.Lock()
		c.n++
		c.mu.Unlock()
	}
	return c.base.RoundTrip(r)
}

func (c *httpCounter) count() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n
}

// metering counts, beside an env, the DynamoDB capacity of its functions'
// calls and the requests to its API Gateway.
type metering struct {
	e     *env
	m     *meter
	http  *httpCounter
	memGB float64
}

// newMetered is newEnv with metering.
func newMetered(t *testing.T) (*env, *metering) {
	m := &meter{}
	e := newEnv(t, func(c *stack.Config) { c.FunctionOptions = append(c.FunctionOptions, m.middleware) })
	u, err := url.Parse(e.s.APIURL)
	if err != nil {
		t.Fatal(err)
	}
	c := &httpCounter{host: u.Host, base: http.DefaultTransport}
	if http.DefaultClient.Transport != nil {
		c.base = http.DefaultClient.Transport
	}
	prev := http.DefaultClient.Transport
	http.DefaultClient.Transport = c
	t.Cleanup(func() { http.DefaultClient.Transport = prev })
	return e, &metering{e: e, m: m, http: c, memGB: functionMemoryGB(t)}
}

// snapshot is the metering's counts at one moment.
type snapshot struct {
	calls    map[string]int
	tasks    int
	http     int
	wru, rru float64
}

func (m *metering) snapshot() snapshot {
	w, r := m.m.read()
	return snapshot{calls: m.e.s.Edge.Calls(), tasks: len(m.e.s.TaskCalls()), http: m.http.count(), wru: w, rru: r}
}

// usage is what the path between two snapshots used; transitions are its
// executions' (the caller knows them).
func (m *metering) usage(from, to snapshot, transitions int) usage {
	m.e.t.Helper()
	u := usage{Transitions: transitions, Invocations: map[string]int{}, WRU: to.wru - from.wru, RRU: to.rru - from.rru,
		HTTPCalls: to.http - from.http, MemoryGB: m.memGB}
	for _, c := range m.e.s.TaskCalls()[from.tasks:to.tasks] {
		u.Invocations[c.Function]++
	}
	if u.HTTPCalls == 0 {
		m.e.t.Fatal("no request to the API was counted: the helpers no longer use http.DefaultClient; count them where they send")
	}
	u.Invocations["api, reviewer-page"] = u.HTTPCalls
	for k, n := range callsSince(from.calls, to.calls) {
		if strings.HasPrefix(k, "ses:Send") {
			u.Emails += n
		}
	}
	return u
}

// check logs the path's row of docs/cost.md's dollar table and fails the
// test if the path costs more than bound at list prices.
func (m *metering) check(from, to snapshot, transitions int, name string, bound float64) {
	m.e.t.Helper()
	u := m.usage(from, to, transitions)
	m.e.t.Logf("docs/cost.md: %s", u.row(name))
	m.e.t.Logf("the largest item written or read so far: %d bytes", m.m.largestItem())
	if bound == 0 {
		m.e.t.Errorf("%s has no cost bound", name)
	} else if u.total() > bound {
		m.e.t.Errorf("%s costs $%.6f at list prices, want at most $%.6f", name, u.total(), bound)
	}
}

// findReviewerCostBound and reportCostBound are the most each path may cost
// at list prices, a little above what it costs at the commit that last
// changed them (docs/cost.md); lower them when a change makes a path cheaper.
var (
	findReviewerCostBound = map[string]float64{
		"reply on day 1":             0.00052, // with the reviewer's copy of the reply
		"no reply, reminder, expiry": 0.00055,
	}
	reportCostBound = map[string]float64{
		"reinstate after one claim":          0.0005,  // the target (docs/cost.md, "The reinstate path at $0.0005 or less")
		"remove after one evidence round":    0.00080, // with the copy of the evidence and the counters
		"remove, reviewer appeals, reversed": 0.00090, // with the copy of the appeal and the counters
		"not genuine, no proof":              0.00052,
	}
)

// functionMemoryGB is the memory template.yaml gives every function.
func functionMemoryGB(t *testing.T) float64 {
	t.Helper()
	root, err := deploycheck.RepoRoot(".")
	if err != nil {
		t.Fatal(err)
	}
	tpl, err := deploycheck.LoadTemplate(root + "/template.yaml")
	if err != nil {
		t.Fatal(err)
	}
	mb, ok := deploycheck.Lookup(tpl.Globals("Function"), "MemorySize").(int)
	if !ok || mb <= 0 {
		t.Fatalf("template.yaml: Globals.Function.MemorySize = %v, want megabytes", deploycheck.Lookup(tpl.Globals("Function"), "MemorySize"))
	}
	return float64(mb) / 1024
}

// TestMeterBillsTheLargerImage checks the meter's model of an update: the
// item after SET, ADD, REMOVE and if_not_exists, and that a write is billed
// at the larger of the item before and after it.
func TestMeterBillsTheLargerImage(t *testing.T) {
	s := func(v string) ddbtypes.AttributeValue { return &ddbtypes.AttributeValueMemberS{Value: v} }
	n := func(v string) ddbtypes.AttributeValue { return &ddbtypes.AttributeValueMemberN{Value: v} }
	item := map[string]ddbtypes.AttributeValue{"PK": s("RPT#1"), "SK": s("REPORT"), "status": s("open"), "old": s("x"),
		"reply": &ddbtypes.AttributeValueMemberM{Value: map[string]ddbtypes.AttributeValue{"text": s("hi")}}}
	got := applyUpdate(item, "SET #mail = :mail, #status = :st, seen = if_not_exists(seen, :one), reply.#text = :t ADD #c :one REMOVE old",
		map[string]string{"#mail": "email:reported", "#status": "status", "#c": "n_total", "#text": "text"},
		map[string]ddbtypes.AttributeValue{":mail": s("claimed:owner"), ":st": s("closed"), ":one": n("1"), ":t": s("hello")})
	want := map[string]string{"email:reported": "claimed:owner", "status": "closed"}
	for k, v := range want {
		if x, _ := got[k].(*ddbtypes.AttributeValueMemberS); x == nil || x.Value != v {
			t.Errorf("%s = %v, want %q", k, got[k], v)
		}
	}
	if got["seen"] == nil || got["n_total"] == nil {
		t.Errorf("if_not_exists and ADD of absent attributes set nothing: %v", got)
	}
	if _, ok := got["old"]; ok {
		t.Error("REMOVE left the attribute")
	}
	if r := got["reply"].(*ddbtypes.AttributeValueMemberM).Value["text"].(*ddbtypes.AttributeValueMemberS).Value; r != "hello" {
		t.Errorf("reply.text = %q, want hello", r)
	}
	if _, ok := item["email:reported"]; ok {
		t.Error("applyUpdate changed the image it was given")
	}

	m := &meter{}
	big := map[string]ddbtypes.AttributeValue{"PK": s("RPT#1"), "SK": s("REPORT"), "text": s(strings.Repeat("a", 950))}
	m.learn(&dynamodb.PutItemInput{Item: big}, nil)
	key := map[string]ddbtypes.AttributeValue{"PK": s("RPT#1"), "SK": s("REPORT")}
	claim := &dynamodb.UpdateItemInput{Key: key, UpdateExpression: aws.String("SET #mail = :mail"),
		ExpressionAttributeNames:  map[string]string{"#mail": "email:reported"},
		ExpressionAttributeValues: map[string]ddbtypes.AttributeValue{":mail": s(strings.Repeat("c", 100))}}
	if w, _ := m.capacity(claim, nil); w != 2 {
		t.Errorf("a claim that takes a 0.97 KB item over 1 KB: %v WRU, want 2 (the image after)", w)
	}
	confirm := &dynamodb.UpdateItemInput{Key: key, UpdateExpression: aws.String("SET #mail = :sent"),
		ExpressionAttributeNames:  map[string]string{"#mail": "email:reported"},
		ExpressionAttributeValues: map[string]ddbtypes.AttributeValue{":sent": s("sent")}}
	if w, _ := m.capacity(confirm, nil); w != 2 {
		t.Errorf("the confirmation that brings it back under 1 KB: %v WRU, want 2 (the image before)", w)
	}
	if w, _ := m.capacity(confirm, nil); w != 1 {
		t.Errorf("a write under 1 KB both before and after: %v WRU, want 1", w)
	}
}
