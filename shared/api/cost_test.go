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
		}, 5, 40, "replied", string(sfntypes.ExecutionStatusSucceeded)},
		{"no reply, reminder, expiry", func(e *env) {
			e.s.Advance(5 * 24 * time.Hour)
		}, 7, 50, "expired", string(sfntypes.ExecutionStatusSucceeded)},
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
// three common paths (numbers in docs/cost.md); it fails if a path grows.
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
			return rep
		}, 7, 60},
		{"remove after one evidence round", func(e *env) string {
			rep, tkt := e.submitReport()
			decide(e, tkt, map[string]any{"outcome": "request_reviewer_action", "kind": "evidence", "note": "Need proof.", "message": "Please send us your order number for this purchase."})
			mails := e.mailsTo(reviewerAddr)
			e.postPage(e.reviewerLink(mails[len(mails)-1]), url.Values{"reply": {"Order 4711."}})
			decide(e, tkt, map[string]any{"outcome": "remove", "note": "The order belongs to someone else."})
			return rep
		}, 10, 110},
		{"not genuine, no proof", func(e *env) string {
			r := e.mustStatus(202, "POST", "/v1/reviews/rev-other/reports", e.biz1, map[string]any{
				"items":           []any{map[string]any{"scope": "reviewer", "reason": "no_genuine_experience", "details": "We have no order from anyone by this name or address."}},
				"publicStatement": "We could not find this customer in our records.",
			})
			e.s.Advance(7 * 24 * time.Hour)
			return r.body["id"].(string)
		}, 7, 60},
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
			t.Logf("%s: %d state transitions, %s", tc.name, got, fmtCalls(calls))
			if r := e.report(rep); r.body["status"] != "closed" {
				t.Fatalf("report = %s", r.raw)
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
