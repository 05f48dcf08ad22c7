package api_test

import (
	"context"
	"fmt"
	"maps"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	sfntypes "github.com/aws/aws-sdk-go-v2/service/sfn/types"

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
		}, 5, 36, "replied", string(sfntypes.ExecutionStatusSucceeded)}, // 36: 26 + the webhook dispatcher's 5 Queries (events, 4 due shards) in each of the clock move's 2 runs
		{"no reply, reminder, expiry", func(e *env) {
			e.s.Advance(5 * 24 * time.Hour)
		}, 7, 27, "expired", string(sfntypes.ExecutionStatusSucceeded)}, // 27: 17 + the dispatcher's polls, as above
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			before := e.s.Edge.Calls()
			id := e.ask()
			tc.run(e)
			calls := callsSince(before, e.s.Edge.Calls())
			if r := e.request(id); r.body["status"] != tc.wantStatus {
				t.Fatalf("request = %s", r.raw)
			}
			name := "fr-" + id + "-0"
			got := e.transitions(name)
			t.Logf("%s: %d state transitions, %s", tc.name, got, fmtCalls(calls))
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
		}, 8, 41},
		{"remove after one evidence round", func(e *env) string {
			rep, tkt := e.submitReport()
			decide(e, tkt, map[string]any{"outcome": "request_reviewer_action", "kind": "evidence", "note": "Need proof.", "message": "Please send us your order number for this purchase."})
			mails := e.mailsTo(reviewerAddr)
			e.postPage(e.reviewerLink(mails[len(mails)-1]), url.Values{"reply": {"Order 4711."}})
			decide(e, tkt, map[string]any{"outcome": "remove", "upheldReasons": []string{"offensive_or_harmful"}, "note": "The order belongs to someone else."})
			e.s.Advance(181 * 24 * time.Hour)
			return rep
		}, 10, 63},
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
		}, 12, 54}, // investigation 7 + appeal 5
		{"not genuine, no proof", func(e *env) string {
			r := e.mustStatus(202, "POST", "/v1/reviews/rev-other/reports", e.biz1, map[string]any{
				"items":           []any{map[string]any{"scope": "reviewer", "reason": "no_genuine_experience", "details": "We have no order from anyone by this name or address."}},
				"publicStatement": "We could not find this customer in our records.",
			})
			e.s.Advance(7 * 24 * time.Hour)
			e.s.Advance(181 * 24 * time.Hour)
			return r.body["id"].(string)
		}, 7, 43}, // the webhook dispatcher polls 5 times (events, 4 due shards) at every run a clock move triggers
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			if tc.name == "not genuine, no proof" { // P5: Find Reviewer first, expired
				e.mustStatus(202, "POST", "/v1/reviews/rev-other/reviewer-requests", e.biz1, map[string]any{"message": askMessage})
				e.s.Advance(5 * 24 * time.Hour)
			}
			before := e.s.Edge.Calls()
			rep := tc.run(e)
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
// (#11: at most 3 — one BatchGetItem of its objects, one transaction for its
// change and email claim, one confirmation of the email).
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
				if c.DynamoDB() > 3 {
					t.Errorf("%s %s made %d DynamoDB calls, want at most 3: %s", c.Function, c.Action, c.DynamoDB(), fmtCalls(c.Calls))
				}
				reads := 0
				for k, n := range c.Calls {
					if strings.HasSuffix(k, "BatchGetItem") || strings.HasSuffix(k, "GetItem") || strings.HasSuffix(k, "Query") {
						reads += n
					}
				}
				if reads > 1 {
					t.Errorf("%s %s read %d times, want once: %s", c.Function, c.Action, reads, fmtCalls(c.Calls))
				}
			}
		})
	}
}
