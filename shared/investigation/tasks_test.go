package investigation_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/smithy-go"

	"github.com/candorhq/candor/shared/app"
	"github.com/candorhq/candor/shared/investigation"
	"github.com/candorhq/candor/shared/mail"
	"github.com/candorhq/candor/shared/moderation"
	"github.com/candorhq/candor/shared/store"
	"github.com/candorhq/candor/shared/workflow"
	"github.com/candorhq/candor/shared/workflow/tasktest"
)

const (
	reviewerAddress = tasktest.ReviewerEmail
	businessAddress = "owner@acme.example"
)

var (
	offensive = moderation.ReportItem{Scope: moderation.ScopeContent, Reason: moderation.ReasonOffensiveOrHarmful,
		Details: "Calls the owner a crook without any basis.", Excerpt: "crook"}
	notGenuine = moderation.ReportItem{Scope: moderation.ScopeReviewer, Reason: moderation.ReasonNoGenuineExperience,
		Details: "We have no order from anyone of that name."}
)

// countingStore is the real store, counting the reads of a task's case.
type countingStore struct {
	*store.Store
	reads int
}

func (s *countingStore) InvestigationCase(ctx context.Context, ids app.CaseIDs) (app.InvestigationCase, error) {
	s.reads++
	return s.Store.InvestigationCase(ctx, ids)
}

// investigation is one report, filed through the use cases, with the
// tasks of its workflow. The business reads German, the reviewer Swedish.
type investigationCase struct {
	*tasktest.Env
	st     *countingStore
	tasks  *investigation.Tasks
	report moderation.Report
	in     struct {
		Case    app.CaseIDs `json:"case"`
		Windows struct {
			Proof    int64 `json:"proof"`
			Action   int64 `json:"action"`
			Decision int64 `json:"decision"`
			Appeal   int64 `json:"appeal"`
		} `json:"windows"`
	}
}

func newCase(t *testing.T, items ...moderation.ReportItem) *investigationCase {
	t.Helper()
	c := &investigationCase{Env: tasktest.New(t)}
	c.Business(t, "biz-1", "de")
	rev := c.Review(t, "rev-1", "biz-1", "sv")
	if moderation.NeedsProof(items) {
		c.findReviewerExpired(t, rev)
	}
	rep, _, err := c.App.SubmitReport(context.Background(), tasktest.BusinessActor("biz-1"), rev.ID,
		moderation.ReportDraft{Items: items, PublicStatement: "We never had this customer."}, nil)
	if err != nil {
		t.Fatalf("submit report: %v", err)
	}
	c.report = rep
	c.Input(t, app.MachineInvestigation, &c.in)
	c.st = &countingStore{Store: c.Store}
	c.tasks = investigation.New(c.st, c.Mail, c.Links, c.SFN, c.Clock, c.Log)
	return c
}

// findReviewerExpired asks for the reviewer through Find Reviewer and lets
// the request expire unanswered, as a report for want of a genuine
// experience requires; the clock then stands at the expiry.
func (c *investigationCase) findReviewerExpired(t *testing.T, rev moderation.Review) {
	t.Helper()
	ctx := context.Background()
	req, _, err := c.App.CreateRequest(ctx, tasktest.BusinessActor(rev.BusinessID), rev.ID, "Could you tell us your order number?", nil)
	if err != nil {
		t.Fatalf("find reviewer: %v", err)
	}
	c.Clock.Set(req.Deadline.Add(time.Second))
	if err := c.Store.ExpireRequest(ctx, req, c.Clock.Now(), nil); err != nil {
		t.Fatalf("expire request: %v", err)
	}
}

// run runs the task of action as the state machine sends it (the first
// task with the input's windows).
func (c *investigationCase) run(action string, ev investigation.Event) (investigation.Result, error) {
	ev.Action, ev.Case, ev.Execution = action, c.in.Case, c.report.ID
	if action == "notify_reported" && ev.Windows == nil {
		w := c.in.Windows
		ev.Windows = &investigation.Windows{Proof: &w.Proof, Action: &w.Action, Decision: &w.Decision, Appeal: &w.Appeal}
	}
	return c.tasks.Handle(context.Background(), ev)
}

// must runs the task and fails the test on its error.
func (c *investigationCase) must(t *testing.T, action string, ev investigation.Event) investigation.Result {
	t.Helper()
	res, err := c.run(action, ev)
	if err != nil {
		t.Fatalf("%s: %v", action, err)
	}
	return res
}

func (c *investigationCase) detail(t *testing.T) app.ReportDetail {
	t.Helper()
	d, err := c.Store.ReportDetail(context.Background(), c.report.ID)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// decide claims the report's ticket and records the agent's decision d.
func (c *investigationCase) decide(t *testing.T, d moderation.Decision) {
	t.Helper()
	ctx := context.Background()
	if _, err := c.App.Claim(ctx, tasktest.Agent, c.report.TicketID, nil); err != nil && !moderation.IsCode(err, moderation.CodeTicketNotInProgress) {
		t.Fatalf("claim: %v", err)
	}
	if _, _, err := c.App.Decide(ctx, tasktest.Agent, c.report.TicketID, d, nil); err != nil {
		t.Fatalf("decide: %v", err)
	}
}

// one returns the only email sent to address, failing unless exactly one was.
func one(t *testing.T, env *tasktest.Env, address string) tasktest.Email {
	t.Helper()
	got := env.Mail.To(address)
	if len(got) != 1 {
		t.Fatalf("%d emails to %s, want 1: %+v", len(got), address, got)
	}
	return got[0]
}

func TestUnknownActionIsRefusedBeforeAnyRead(t *testing.T) {
	c := newCase(t, offensive)
	_, err := c.run("notify_reviewer", investigation.Event{})
	var perm *workflow.PermanentError
	if !errors.As(err, &perm) {
		t.Errorf("unknown action: %v (%T), want a PermanentError (no retry)", err, err)
	}
	if c.st.reads != 0 || len(c.Mail.Sent()) != 0 {
		t.Errorf("unknown action read the case %d times and sent %d emails, want none", c.st.reads, len(c.Mail.Sent()))
	}
}

// TestOverdueReadsNothing: the decision reminders only log for ops; the
// ticket stays in the queue as it is.
func TestOverdueReadsNothing(t *testing.T) {
	c := newCase(t, offensive)
	for _, action := range []string{"overdue", "appeal_overdue"} {
		if res, err := c.run(action, investigation.Event{}); err != nil || res.Status != "" {
			t.Errorf("%s = %+v, %v; want no status, no error", action, res, err)
		}
	}
	if c.st.reads != 0 || len(c.Mail.Sent()) != 0 {
		t.Errorf("overdue read the case %d times and sent %d emails, want none", c.st.reads, len(c.Mail.Sent()))
	}
	if got := c.detail(t).Report.Status; got != moderation.ReportInQueue {
		t.Errorf("report is %s after the reminders, want still %s", got, moderation.ReportInQueue)
	}
}

func TestNotifyReportedTellsTheReviewerOnceInTheirLanguage(t *testing.T) {
	c := newCase(t, offensive)
	if got := c.PendingStarts(t); len(got) != 1 {
		t.Fatalf("recorded starts before the first task = %v, want the report's", got)
	}
	c.must(t, "notify_reported", investigation.Event{})
	c.must(t, "notify_reported", investigation.Event{}) // Lambda's retry after a lost answer
	e := one(t, c.Env, reviewerAddress)
	m, ok := e.Msg.(mail.ReviewReported)
	if !ok || e.Rendered.Locale != "sv" {
		t.Fatalf("reviewer got %s in %q, want review_reported in sv", e.Msg.Name(), e.Rendered.Locale)
	}
	if !m.Hidden || m.BusinessName != "Acme Bikes" || m.PublicStatement != "We never had this customer." {
		t.Errorf("review_reported = %+v, want the hidden review, the business and its statement", m)
	}
	if len(c.Mail.To(businessAddress)) != 0 {
		t.Error("the business was emailed about its own report")
	}
	if got := c.PendingStarts(t); len(got) != 0 {
		t.Errorf("recorded starts after the first task = %v, want none (the execution runs)", got)
	}
}

func TestNoProofInTheWindowRemovesTheReview(t *testing.T) {
	c := newCase(t, notGenuine)
	// The platform says the reviewer reads dates in New York time.
	if _, _, err := c.App.PutReview(context.Background(), "rev-1", moderation.ReviewInput{BusinessID: "biz-1",
		Reviewer: moderation.Reviewer{Email: tasktest.ReviewerEmail, Name: tasktest.ReviewerName, Locale: "sv", TimeZone: "America/New_York"},
		Stars:    1, Title: "Awful", Text: "They never delivered and the owner is a crook.", Source: moderation.SourceOrganic, ExperienceDate: "2026-10-01"}); err != nil {
		t.Fatal(err)
	}
	window := investigation.Event{Window: c.in.Windows.Proof, TaskToken: "tok-proof"}
	c.must(t, "request_proof", window)
	ask := one(t, c.Env, reviewerAddress)
	proof, ok := ask.Msg.(mail.ProofRequest)
	if !ok || ask.Rendered.Locale != "sv" {
		t.Fatalf("reviewer got %s in %q, want proof_request in sv", ask.Msg.Name(), ask.Rendered.Locale)
	}
	if proof.TimeZone != "America/New_York" {
		t.Errorf("proof request's time zone %q, want the reviewer's America/New_York", proof.TimeZone)
	}
	if want := c.Clock.Now().Add(time.Duration(c.in.Windows.Proof) * time.Second); !proof.Deadline.Equal(want) {
		t.Errorf("proof deadline %v, want the whole window from the email: %v", proof.Deadline, want)
	}
	if !strings.HasPrefix(proof.ReplyURL, tasktest.Base+"/r/") {
		t.Errorf("reply link %q is not a reviewer link", proof.ReplyURL)
	}

	c.Clock.Set(proof.Deadline.Add(time.Second))
	appeal := investigation.Event{Window: c.in.Windows.Appeal}
	if res := c.must(t, "remove_no_proof", appeal); res.Status != "removed" {
		t.Fatalf("remove_no_proof status %q, want removed", res.Status)
	}
	if res := c.must(t, "remove_no_proof", appeal); res.Status != "removed" { // a retry
		t.Fatalf("retried remove_no_proof status %q, want removed", res.Status)
	}
	r := c.detail(t).Report
	if r.Status != moderation.ReportClosed || r.Outcome != moderation.OutcomeRemoved || r.Ground != moderation.GroundNoProofProvided {
		t.Errorf("report %s/%s/%s, want closed, removed for no proof", r.Status, r.Outcome, r.Ground)
	}
	pub, err := c.App.Public(context.Background(), "rev-1")
	if err != nil {
		t.Fatal(err)
	}
	if pub.Review.Visibility != moderation.Removed {
		t.Errorf("review is %s to the public, want removed", pub.Review.Visibility)
	}
	sent := c.Mail.To(reviewerAddress)
	if len(sent) != 2 {
		t.Fatalf("reviewer got %d emails, want the proof request and one statement of reasons", len(sent))
	}
	removed, ok := sent[1].Msg.(mail.ReviewRemoved)
	if !ok || sent[1].Rendered.Locale != "sv" || !removed.Automated || removed.AppealURL == "" {
		t.Errorf("reviewer's second email = %s in %q %+v, want an automated statement of reasons in sv with an appeal link", sent[1].Msg.Name(), sent[1].Rendered.Locale, removed)
	}
	if want := c.Clock.Now().Add(time.Duration(c.in.Windows.Appeal) * time.Second); !removed.AppealDeadline.Equal(want) {
		t.Errorf("appeal deadline %v, want the whole appeal window from the email: %v", removed.AppealDeadline, want)
	}
	if len(c.Mail.To(businessAddress)) != 0 {
		t.Error("the business was emailed about a removal for want of proof")
	}
}

// TestQueueHandsTheDecisionToTheWorkflow: the queue task keeps its token
// with the ticket, and the agent's decision answers it.
func TestQueueHandsTheDecisionToTheWorkflow(t *testing.T) {
	c := newCase(t, offensive)
	c.must(t, "enqueue", investigation.Event{TaskToken: "tok-queue"})
	c.decide(t, moderation.Decision{Outcome: moderation.DecideReinstate, Note: "The review describes a real order."})
	if got := c.Waker.Tokens(); len(got) != 1 || got[0] != "tok-queue" {
		t.Errorf("the decision answered %v, want the queue's token", got)
	}
	// A queue task run again after the decision (its wake-up was lost)
	// answers itself at once.
	c.must(t, "enqueue", investigation.Event{TaskToken: "tok-queue-2"})
	if got := c.SFN.Answers(); len(got) != 1 || got[0].Token != "tok-queue-2" || !strings.Contains(got[0].Output, moderation.DecideReinstate) {
		t.Errorf("late queue task answered %+v, want its own token with the reinstatement", got)
	}
}

func TestReinstatementTellsTheBusinessAndTheReviewer(t *testing.T) {
	c := newCase(t, offensive)
	c.decide(t, moderation.Decision{Outcome: moderation.DecideReinstate, Note: "The review describes a real order."})
	ev := investigation.Event{Window: c.in.Windows.Appeal}
	for range 2 { // each once, however often retried
		c.must(t, "notify_reinstated", ev)
	}
	// An execution started while the reviewer's email had a state of its
	// own still runs that task: it finds the email sent.
	c.must(t, "notify_reinstated_reviewer", investigation.Event{})
	biz := one(t, c.Env, businessAddress)
	m, ok := biz.Msg.(mail.ReviewReinstated)
	if !ok || biz.Rendered.Locale != "de" {
		t.Fatalf("business got %s in %q, want review_reinstated in de", biz.Msg.Name(), biz.Rendered.Locale)
	}
	if want := c.Clock.Now().Add(time.Duration(c.in.Windows.Appeal) * time.Second); !m.AppealDeadline.Equal(want) || m.OnAppeal {
		t.Errorf("reinstatement = %+v, want the business's appeal window open until %v", m, want)
	}
	if got := c.detail(t).Report.AppealDeadline; !got.Equal(m.AppealDeadline) {
		t.Errorf("recorded appeal deadline %v, want the emailed %v", got, m.AppealDeadline)
	}
	rev := one(t, c.Env, reviewerAddress)
	if _, ok := rev.Msg.(mail.ReviewReinstatedForReviewer); !ok || rev.Rendered.Locale != "sv" {
		t.Errorf("reviewer got %s in %q, want review_reinstated_for_reviewer in sv", rev.Msg.Name(), rev.Rendered.Locale)
	}
	// The removal's email of a reinstated report is refused for good.
	var perm *workflow.PermanentError
	if _, err := c.run("notify_removed", ev); !errors.As(err, &perm) {
		t.Errorf("notify_removed of a reinstated report: %v, want a PermanentError", err)
	}
}

// failTo is the fake mailer failing every email to one address.
type failTo struct {
	investigation.Mailer
	address string
}

func (f failTo) Send(ctx context.Context, to mail.Recipient, msg mail.Message) (string, error) {
	if to.Address == f.address {
		return "", errors.New("SES: throttled")
	}
	return f.Mailer.Send(ctx, to, msg)
}

// TestReinstatementWhoseSecondEmailFailsSendsOnlyThatOneAgain: the task
// claims both emails in one write; when the reviewer's send fails, the
// business's email is confirmed and the reviewer's claim given up in one
// more write, so the retry sends the reviewer's alone.
func TestReinstatementWhoseSecondEmailFailsSendsOnlyThatOneAgain(t *testing.T) {
	c := newCase(t, offensive)
	c.decide(t, moderation.Decision{Outcome: moderation.DecideReinstate, Note: "The review describes a real order."})
	ev := investigation.Event{Window: c.in.Windows.Appeal}
	healthy := c.tasks
	c.tasks = investigation.New(c.st, failTo{Mailer: c.Mail, address: reviewerAddress}, c.Links, c.SFN, c.Clock, c.Log)
	if _, err := c.run("notify_reinstated", ev); err == nil {
		t.Fatal("notify_reinstated with the reviewer's email failing: nil, want the send's error (the state machine retries)")
	}
	cs, err := c.Store.InvestigationCase(context.Background(), c.in.Case)
	if err != nil {
		t.Fatal(err)
	}
	if got := cs.Ledger["reinstated"]; !strings.HasPrefix(got, "sent:") {
		t.Errorf("the business's email is %q in the ledger, want it confirmed sent", got)
	}
	if got := cs.Ledger["reinstated:reviewer"]; got != "claimed:" {
		t.Errorf("the reviewer's email is %q in the ledger, want its claim given up", got)
	}
	c.tasks = healthy
	c.Clock.Advance(time.Second)
	c.must(t, "notify_reinstated", ev)
	one(t, c.Env, businessAddress)
	if _, ok := one(t, c.Env, reviewerAddress).Msg.(mail.ReviewReinstatedForReviewer); !ok {
		t.Error("the retry did not send the reviewer's reinstatement")
	}
}

func TestRemovalSendsTheStatementOfReasonsOnlyToTheReviewer(t *testing.T) {
	c := newCase(t, offensive)
	c.decide(t, moderation.Decision{Outcome: moderation.DecideRemove, Note: "The text insults the owner.",
		UpheldReasons: []moderation.Reason{moderation.ReasonOffensiveOrHarmful}})
	ev := investigation.Event{Window: c.in.Windows.Appeal}
	c.must(t, "notify_removed", ev)
	c.must(t, "notify_removed", ev)
	e := one(t, c.Env, reviewerAddress)
	m, ok := e.Msg.(mail.ReviewRemoved)
	if !ok || e.Rendered.Locale != "sv" {
		t.Fatalf("reviewer got %s in %q, want review_removed in sv", e.Msg.Name(), e.Rendered.Locale)
	}
	if m.Automated || m.Facts != "The text insults the owner." || len(m.Reasons) != 1 || m.Reasons[0] != moderation.ReasonOffensiveOrHarmful || m.AppealURL == "" {
		t.Errorf("statement of reasons = %+v, want the agent's facts, the upheld reason and an appeal link", m)
	}
	if len(c.Mail.To(businessAddress)) != 0 {
		t.Error("the business was emailed about a first removal")
	}
}

// TestReviewerSilenceReturnsTheTicketToTheQueue: an agent's request for
// evidence is emailed to the reviewer; when the window ends without an
// answer, the report is back in the queue.
func TestReviewerSilenceReturnsTheTicketToTheQueue(t *testing.T) {
	c := newCase(t, offensive)
	c.decide(t, moderation.Decision{Outcome: moderation.DecideReviewerAction, Kind: moderation.ActionEvidence,
		Note: "The order cannot be found.", Message: "Please send the order confirmation."})
	ev := investigation.Event{Round: 1, Window: c.in.Windows.Action, TaskToken: "tok-action"}
	c.must(t, "request_action", ev)
	c.must(t, "request_action", ev)
	e := one(t, c.Env, reviewerAddress)
	m, ok := e.Msg.(mail.ComplianceRequest)
	if !ok || e.Rendered.Locale != "sv" || m.Kind != moderation.ActionEvidence || m.Message != "Please send the order confirmation." {
		t.Fatalf("reviewer got %s in %q %+v, want the agent's evidence request in sv", e.Msg.Name(), e.Rendered.Locale, m)
	}
	if got := c.detail(t).Report.Status; got != moderation.ReportAwaitingReviewer {
		t.Errorf("report is %s while the reviewer is asked, want %s", got, moderation.ReportAwaitingReviewer)
	}
	c.Clock.Set(m.Deadline.Add(time.Second))
	c.must(t, "no_response", investigation.Event{Round: 1})
	if got := c.detail(t).Report.Status; got != moderation.ReportInQueue {
		t.Errorf("report is %s after the reviewer's silence, want %s", got, moderation.ReportInQueue)
	}
	tc, err := c.App.Ticket(context.Background(), c.report.TicketID)
	if err != nil {
		t.Fatal(err)
	}
	if tc.Ticket.Status != moderation.TicketOpen {
		t.Errorf("ticket is %s after the reviewer's silence, want %s", tc.Ticket.Status, moderation.TicketOpen)
	}
}

// TestStallIsRecordedUntilARedrive: a task that failed for good is listed
// for ops, and the redriven execution clears it.
func TestStallIsRecordedUntilARedrive(t *testing.T) {
	c := newCase(t, offensive)
	stall := investigation.Event{Execution: c.report.ID, StallEvent: workflow.StallEvent{State: "NotifyReported", Error: "PermanentError"}}
	for range 2 {
		_, err := c.run("stalled", stall)
		var perm *workflow.PermanentError
		if !errors.As(err, &perm) || !errors.Is(err, workflow.ErrStalled) {
			t.Fatalf("stalled: %v, want ErrStalled as a PermanentError", err)
		}
	}
	list, err := c.App.StalledWorkflows(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 || list[0].Object.ID != c.report.ID || list[0].Stall.State != "NotifyReported" || list[0].Stall.Error != "PermanentError" {
		t.Fatalf("stalled workflows = %+v, want the report stalled at NotifyReported", list)
	}
	stall.Redrive = 1
	c.must(t, "stalled", stall)
	if list, err = c.App.StalledWorkflows(context.Background()); err != nil || len(list) != 0 {
		t.Errorf("stalled workflows after the redrive = %+v, %v; want none", list, err)
	}
}

// TestEveryActionOfTheStateMachineHasATask: the action names are the
// contract between the definitions (the investigation's and the appeal's,
// whose tasks this package runs) and this package.
func TestEveryActionOfTheStateMachineHasATask(t *testing.T) {
	for _, machine := range []string{"investigation", "appeal"} {
		for _, a := range tasktest.MachineActions(t, machine) {
			if !slices.Contains(investigation.Actions(), a) {
				t.Errorf("the %s state machine sends %q, which no task answers", machine, a)
			}
		}
	}
}

// TestFailedSendIsRetriedAndSentOnce: SES throttling fails the task for a
// retry, which sends the email once; an address SES rejects fails it for
// good (the state machine records a stall).
func TestFailedSendIsRetriedAndSentOnce(t *testing.T) {
	c := newCase(t, offensive)
	c.Mail.Fail = &smithy.GenericAPIError{Code: "Throttling", Message: "Maximum sending rate exceeded."}
	_, err := c.run("notify_reported", investigation.Event{})
	var transient *workflow.TransientError
	if !errors.As(err, &transient) {
		t.Fatalf("throttled send: %v (%T), want a TransientError", err, err)
	}
	c.Mail.Fail = nil
	c.must(t, "notify_reported", investigation.Event{})
	c.must(t, "notify_reported", investigation.Event{})
	one(t, c.Env, reviewerAddress)

	rejected := newCase(t, offensive)
	rejected.Mail.Fail = &smithy.GenericAPIError{Code: "MessageRejected", Message: "Email address is not verified."}
	_, err = rejected.run("notify_reported", investigation.Event{})
	var perm *workflow.PermanentError
	if !errors.As(err, &perm) {
		t.Errorf("rejected send: %v (%T), want a PermanentError", err, err)
	}
}

// TestTasksRefuseAnInputWithoutWhatLaterStatesRead: a path that selects
// nothing fails an execution past every Catch, so the tasks check what the
// machine hands on whole. The first task refuses missing or non-positive
// windows before it sends anything, and the tasks after the queue refuse a
// decision without a round; each fails for good, which the machine records
// as a stall.
func TestTasksRefuseAnInputWithoutWhatLaterStatesRead(t *testing.T) {
	c := newCase(t, offensive)
	zero, week := int64(0), int64(604800)
	for name, w := range map[string]*investigation.Windows{
		"no windows":     {},
		"no appeal":      {Proof: &week, Action: &week, Decision: &week},
		"a zero proof":   {Proof: &zero, Action: &week, Decision: &week, Appeal: &week},
		"no action only": {Proof: &week, Decision: &week, Appeal: &week},
	} {
		_, err := c.run("notify_reported", investigation.Event{Windows: w})
		var perm *workflow.PermanentError
		if !errors.As(err, &perm) {
			t.Errorf("notify_reported with %s: %v (%T), want a PermanentError", name, err, err)
		}
	}
	if n := len(c.Mail.Sent()); n != 0 {
		t.Errorf("%d emails sent for an input without its windows, want none", n)
	}
	for _, action := range []string{"request_action", "no_response"} {
		ev := investigation.Event{Window: c.in.Windows.Action}
		ev.Decision = &struct {
			Round int `json:"round"`
		}{}
		_, err := c.run(action, ev)
		var perm *workflow.PermanentError
		if !errors.As(err, &perm) {
			t.Errorf("%s with a decision without a round: %v (%T), want a PermanentError", action, err, err)
		}
	}
}
