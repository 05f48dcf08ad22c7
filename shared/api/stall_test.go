package api_test

import (
	"context"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	sfntypes "github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/candorhq/candor/infra/local/edge"
	"github.com/candorhq/candor/infra/local/stack"
)

// sfnClient is the real Step Functions client on the stack's endpoint, as ops use it.
func (e *env) sfnClient() *sfn.Client {
	return sfn.New(sfn.Options{Region: "us-east-1", BaseEndpoint: aws.String(e.s.AWSURL), Credentials: stack.AWSCredentials})
}

// execution describes the execution of one machine by name.
func (e *env) execution(machine, name string) *sfn.DescribeExecutionOutput {
	e.t.Helper()
	arn := "arn:aws:states:us-east-1:000000000000:execution:" + machine + ":" + name
	d, err := e.sfnClient().DescribeExecution(context.Background(), &sfn.DescribeExecutionInput{ExecutionArn: aws.String(arn)})
	if err != nil {
		e.t.Fatalf("describe %s: %v", name, err)
	}
	return d
}

// TestStalledWorkflowLosesNoDecisionAndResumesOnRedrive: SES rejects the
// reviewer's notice (a permanent error: not retried), so the investigation
// stalls and its execution ends FAILED; ops see it; an agent reinstates
// anyway and the review is public at once; a redrive then sends the
// notices and the execution succeeds.
func TestStalledWorkflowLosesNoDecisionAndResumesOnRedrive(t *testing.T) {
	e := newEnv(t)
	if _, err := e.s.Faults.Add(edge.FaultRule{Service: edge.ServiceSES, Operation: "SendEmail", Error: "MessageRejected", Count: 1}); err != nil {
		t.Fatal(err)
	}
	report, ticket := e.submitReport()
	d := e.execution(stack.InvestigationMachine, report)
	if d.Status != sfntypes.ExecutionStatusFailed || aws.ToString(d.Error) != "PermanentError" {
		t.Fatalf("execution = %s (%s), want FAILED with PermanentError", d.Status, aws.ToString(d.Error))
	}
	if n := e.s.Faults.Injected(); n != 1 {
		t.Fatalf("SES rejections = %d, want 1: a permanent error must not be retried", n)
	}
	// Ops and compliance see where it stopped.
	if items := e.stalled(); len(items) != 1 || items[0].ID != report || items[0].State != "NotifyReported" {
		t.Fatalf("stalled workflows = %+v, want the report's, stopped at NotifyReported", items)
	}
	if items := e.stalled(); items[0].Execution != aws.ToString(d.Name) || items[0].Since == "" {
		t.Errorf("stalled workflow's execution %q since %q, want the execution ops redrive, %q, and when", items[0].Execution, items[0].Since, aws.ToString(d.Name))
	}
	if tk, raw := e.ticket(ticket); tk.Workflow == nil || tk.Workflow.Status != "stalled" || tk.Workflow.Error != "PermanentError" {
		t.Fatalf("ticket workflow = %+v, want stalled with PermanentError; detail %s", tk.Workflow, raw)
	}

	// The decision does not wait for the workflow.
	e.mustStatus(http.StatusOK, "POST", "/v1/compliance/tickets/"+ticket+"/claim", e.compliance, nil)
	e.mustStatus(http.StatusAccepted, "POST", "/v1/compliance/tickets/"+ticket+"/decision", e.compliance,
		map[string]any{"outcome": "reinstate", "note": "The review describes a real order; no rule is broken."})
	if pub, _ := e.publicReview("rev-organic"); pub.Visibility != "published" {
		t.Fatalf("visibility after the reinstatement = %q, want published while the workflow is stalled", pub.Visibility)
	}
	if r, _ := e.reportView(report); r.Status != "closed" || deref(r.Outcome) != "reinstated" {
		t.Fatalf("report: status %q outcome %q, want closed, reinstated", r.Status, deref(r.Outcome))
	}
	if n := len(e.mailsTo(businessAddr)); n != 0 {
		t.Fatalf("business emails before the redrive = %d, want 0", n)
	}

	// One command of ops resumes it where it stopped.
	arn := "arn:aws:states:us-east-1:000000000000:execution:" + stack.InvestigationMachine + ":" + report
	if _, err := e.sfnClient().RedriveExecution(context.Background(), &sfn.RedriveExecutionInput{ExecutionArn: aws.String(arn)}); err != nil {
		t.Fatal(err)
	}
	e.s.Settle()
	e.s.Advance(time.Minute)
	if d := e.execution(stack.InvestigationMachine, report); d.Status != sfntypes.ExecutionStatusSucceeded || e.reportAppealDeadline(report) == "" {
		t.Fatalf("execution after the redrive = %s (appeal deadline %q), want SUCCEEDED with the appeal window opened", d.Status, e.reportAppealDeadline(report))
	}
	if n := len(e.mailsTo(reviewerAddr)); n != 2 {
		t.Errorf("reviewer emails = %d, want the notice and the reinstatement", n)
	}
	if n := len(e.mailsTo(businessAddr)); n != 1 {
		t.Errorf("business emails = %d, want the reinstatement", n)
	}
	if list := e.stalled(); len(list) != 0 {
		t.Errorf("stalled after the redrive = %+v, want none", list)
	}
	e.assertExecutionsCarryNoPersonalData()
}

// TestStalledRequestGetsItsWholeWindowAfterTheRedrive: the request email is
// rejected, the request stalls; redriven a day later, the reviewer gets the
// email and a whole reply window from it, and the reminder and expiry follow.
func TestStalledRequestGetsItsWholeWindowAfterTheRedrive(t *testing.T) {
	e := newEnv(t)
	if _, err := e.s.Faults.Add(edge.FaultRule{Service: edge.ServiceSES, Operation: "SendEmail", Error: "MessageRejected", Count: 1}); err != nil {
		t.Fatal(err)
	}
	id := e.ask()
	name := "fr-" + id + "-0"
	if d := e.execution(stack.FindReviewerMachine, name); d.Status != sfntypes.ExecutionStatusFailed {
		t.Fatalf("execution = %s, want FAILED", d.Status)
	}
	if n := len(e.mailsTo(reviewerAddr)); n != 0 {
		t.Fatalf("reviewer emails = %d, want 0", n)
	}
	e.s.Advance(24 * time.Hour)
	arn := "arn:aws:states:us-east-1:000000000000:execution:" + stack.FindReviewerMachine + ":" + name
	if _, err := e.sfnClient().RedriveExecution(context.Background(), &sfn.RedriveExecutionInput{ExecutionArn: aws.String(arn)}); err != nil {
		t.Fatal(err)
	}
	e.s.Settle()
	if n := len(e.mailsTo(reviewerAddr)); n != 1 {
		t.Fatalf("reviewer emails after the redrive = %d, want the request", n)
	}
	if rq, _ := e.requestView(id); rq.Deadline != "2026-11-08T09:00:00Z" {
		t.Errorf("deadline after the redrive = %q, want five days from the email (2026-11-08T09:00:00Z)", rq.Deadline)
	}
	e.s.Advance(72*time.Hour - time.Second)
	if n := len(e.mailsTo(reviewerAddr)); n != 1 {
		t.Errorf("reviewer emails just before the reminder = %d, want 1", n)
	}
	e.s.Advance(time.Second)
	if n := len(e.mailsTo(reviewerAddr)); n != 2 {
		t.Errorf("reviewer emails at the reminder = %d, want 2", n)
	}
	e.s.Advance(48 * time.Hour)
	if rq, _ := e.requestView(id); rq.Status != "expired" {
		t.Errorf("request at the end of its window = %q, want expired", rq.Status)
	}
	if d := e.execution(stack.FindReviewerMachine, name); d.Status != sfntypes.ExecutionStatusSucceeded {
		t.Errorf("execution = %s, want SUCCEEDED", d.Status)
	}
}

// TestRedriveScriptResumesEveryStalledWorkflow runs the ops command of
// docs/ops.md against the local stack: both stalled workflows go on.
func TestRedriveScriptResumesEveryStalledWorkflow(t *testing.T) {
	if _, err := exec.LookPath("aws"); err != nil {
		t.Skip("the AWS CLI is not installed (apt-get install awscli); skipping the ops command")
	}
	e := newEnv(t)
	if _, err := e.s.Faults.Add(edge.FaultRule{Service: edge.ServiceSES, Operation: "SendEmail", Error: "MessageRejected", Count: 2}); err != nil {
		t.Fatal(err)
	}
	report, _ := e.submitReport()
	id := e.ask()
	if n := len(e.stalled()); n != 2 {
		t.Fatalf("stalled workflows = %d, want 2", n)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "bash", "../../infra/ops/redrive-failed.sh", "", "--endpoint-url", e.s.AWSURL, "--region", "us-east-1")
	cmd.Env = append(os.Environ(), "AWS_ACCESS_KEY_ID=test", "AWS_SECRET_ACCESS_KEY=test", "AWS_MAX_ATTEMPTS=1", "AWS_EC2_METADATA_DISABLED=true", "AWS_PAGER=")
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "redrove 2 execution(s)") {
		t.Fatalf("redrive-failed.sh: %v\n%s", err, out)
	}
	e.s.Settle()
	if d := e.execution(stack.InvestigationMachine, report); d.Status != sfntypes.ExecutionStatusRunning {
		t.Errorf("investigation after the redrive = %s, want RUNNING (waiting in the queue)", d.Status)
	}
	if d := e.execution(stack.FindReviewerMachine, "fr-"+id+"-0"); d.Status != sfntypes.ExecutionStatusRunning {
		t.Errorf("find reviewer after the redrive = %s, want RUNNING (waiting for the reply)", d.Status)
	}
	if n := len(e.mailsTo(reviewerAddr)); n != 2 {
		t.Errorf("reviewer emails after the redrive = %d, want the notice and the request", n)
	}
	if n := len(e.stalled()); n != 0 {
		t.Errorf("stalled workflows after the redrive = %d, want 0", n)
	}
}

// TestARepeatedDecisionWakesWhatTheFirstCouldNot: the decision is recorded
// but Step Functions refuses every attempt to wake the workflow; the
// agent's client sends the decision again (as after a 5xx) and, refused as
// decided already, it wakes the workflow at once — not 14 days later at the
// decision reminder. The same holds for an appeal's decision.
func TestARepeatedDecisionWakesWhatTheFirstCouldNot(t *testing.T) {
	e := newEnv(t)
	rep, tkt := e.submitReport()
	e.mustStatus(http.StatusOK, "POST", "/v1/compliance/tickets/"+tkt+"/claim", e.compliance, nil)
	if _, err := e.s.Faults.Add(edge.FaultRule{Service: edge.ServiceStepFunctions, Operation: "SendTaskSuccess", Error: "ServiceUnavailable", Count: 1000}); err != nil {
		t.Fatal(err)
	}
	reinstate := map[string]any{"outcome": "reinstate", "note": "An opinion about the service, not defamation."}
	e.mustStatus(http.StatusAccepted, "POST", "/v1/compliance/tickets/"+tkt+"/decision", e.compliance, reinstate)
	if n := len(e.mailsTo(businessAddr)); n != 0 {
		t.Fatalf("business emails with the workflow not woken = %d", n)
	}
	e.s.Faults.Clear()
	if r := e.decide(tkt, e.compliance, reinstate); r.status != 409 {
		t.Fatalf("repeated decision: %d %s", r.status, r.raw)
	}
	if n := len(e.mailsTo(businessAddr)); n != 1 {
		t.Errorf("business emails after the repeat = %d, want the reinstatement at once", n)
	}

	e.mustStatus(http.StatusCreated, "POST", "/v1/reports/"+rep+"/appeals", e.biz1, map[string]any{"reason": "The review accuses our owner of a crime."})
	id := "apl_" + strings.TrimPrefix(rep, "rpt_")
	bob := e.s.Token(agent2, "compliance", "", time.Hour)
	e.mustStatus(http.StatusOK, "POST", "/v1/compliance/appeals/"+id+"/claim", bob, nil)
	if _, err := e.s.Faults.Add(edge.FaultRule{Service: edge.ServiceStepFunctions, Operation: "SendTaskSuccess", Error: "ServiceUnavailable", Count: 1000}); err != nil {
		t.Fatal(err)
	}
	uphold := map[string]any{"outcome": "uphold", "note": "An opinion about the service."}
	e.mustStatus(http.StatusAccepted, "POST", "/v1/compliance/appeals/"+id+"/decision", bob, uphold)
	e.s.Faults.Clear()
	if n := len(e.mailsTo(businessAddr)); n != 1 {
		t.Fatalf("business emails with the workflow not woken = %d", n)
	}
	if r := e.call("POST", "/v1/compliance/appeals/"+id+"/decision", bob, uphold); r.status != 409 {
		t.Fatalf("repeated appeal decision: %d %s", r.status, r.raw)
	}
	if n := len(e.mailsTo(businessAddr)); n != 2 {
		t.Errorf("business emails after the repeat = %d, want the appeal's outcome at once", n)
	}
}
