package api_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/candorhq/candor/infra/local/edge"
	"github.com/candorhq/candor/infra/local/stack"
)

// TestStartsRefusedForCapacityAreStartedLaterByTheSweeper: Step Functions
// refuses every start because the account's open executions are at their
// quota (ExecutionLimitExceeded). A report and a Find Reviewer request are
// still accepted, their recorded starts stay, the sweeper tries once a run
// (not once per waiting start), and once executions close it starts both:
// each exactly once, and the reviewer gets each email once.
func TestStartsRefusedForCapacityAreStartedLaterByTheSweeper(t *testing.T) {
	e := newEnv(t)
	rule, err := e.s.Faults.Add(edge.FaultRule{Service: edge.ServiceStepFunctions, Operation: "StartExecution", Error: "ExecutionLimitExceeded", Count: 1000})
	if err != nil {
		t.Fatal(err)
	}
	e.submitReport()
	e.mustStatus(http.StatusAccepted, "POST", "/v1/reviews/rev-other/reviewer-requests", e.biz1, map[string]any{"message": askMessage})
	if n := e.countType("workflowStart"); n != 2 {
		t.Fatalf("%d recorded workflow starts after two refused starts, want 2", n)
	}
	fired := func() int {
		for _, f := range e.s.Faults.Report().Rules {
			if f.ID == rule.ID {
				return f.Fired
			}
		}
		return -1
	}
	before := fired()
	e.s.Advance(2 * time.Minute) // two sweeper runs past the grace period
	if got := fired() - before; got != 2 {
		t.Errorf("the sweeper made %d refused starts in two runs with two starts waiting, want one a run", got)
	}
	if x, _, _ := e.executionTotals(); x != 0 {
		t.Fatalf("%d executions while every start is refused", x)
	}
	if got := len(e.mailsTo(reviewerAddr)); got != 0 {
		t.Fatalf("%d reviewer emails before any workflow ran", got)
	}

	e.s.Faults.Clear() // executions closed: starts succeed again
	e.s.Advance(2 * time.Minute)
	if x, _, _ := e.executionTotals(); x != 2 {
		t.Errorf("%d executions after the sweeper's run, want the report's and the request's, once each", x)
	}
	if n := e.countType("workflowStart"); n != 0 {
		t.Errorf("%d recorded workflow starts left after both executions ran", n)
	}
	if got := len(e.mailsTo(reviewerAddr)); got != 2 {
		t.Errorf("%d reviewer emails, want the report's notice and the request's, once each", got)
	}
}

// TestThrottledStartIsStartedLaterByTheSweeper: StartExecution is throttled
// through all the SDK's attempts; the report is accepted and its workflow
// starts on the sweeper's next run, once.
func TestThrottledStartIsStartedLaterByTheSweeper(t *testing.T) {
	e := newEnv(t)
	if _, err := e.s.Faults.Add(edge.FaultRule{Service: edge.ServiceStepFunctions, Operation: "StartExecution", Error: "ThrottlingException", Count: 3}); err != nil {
		t.Fatal(err)
	}
	rep, _ := e.submitReport()
	if x, _, _ := e.executionTotals(); x != 0 {
		t.Fatalf("%d executions after a start throttled through every SDK attempt", x)
	}
	e.s.Advance(2 * time.Minute)
	if x, _, _ := e.executionTotals(); x != 1 {
		t.Errorf("%d executions after the sweeper's run, want 1", x)
	}
	if x := e.execution(stack.InvestigationMachine, rep); x.Status != "RUNNING" {
		t.Errorf("the report's execution is %s, want RUNNING", x.Status)
	}
	if got := len(e.mailsTo(reviewerAddr)); got != 1 {
		t.Errorf("%d reviewer emails, want the report's notice once", got)
	}
}
