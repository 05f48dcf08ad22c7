package findreviewer_test

import (
	"context"
	"errors"
	"path"
	"slices"
	"testing"
	"time"

	"github.com/aws/smithy-go"

	"github.com/candorhq/candor/shared/app"
	"github.com/candorhq/candor/shared/findreviewer"
	"github.com/candorhq/candor/shared/links"
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

// countingStore is the real store, counting the reads of a task's case.
type countingStore struct {
	*store.Store
	reads int
}

func (s *countingStore) RequestCase(ctx context.Context, ids app.RequestIDs) (app.RequestCase, error) {
	s.reads++
	return s.Store.RequestCase(ctx, ids)
}

// request is one Find Reviewer request, made through the use cases, with
// the tasks of its workflow. The business reads German, the reviewer Swedish.
type request struct {
	*tasktest.Env
	st    *countingStore
	tasks *findreviewer.Tasks
	req   moderation.FindRequest
	exec  string // the execution of the latest round
	in    struct {
		Case    app.RequestIDs `json:"case"`
		Round   int            `json:"round"`
		Windows struct {
			ReminderAfter int64 `json:"reminderAfter"`
			Full          int64 `json:"full"`
		} `json:"windows"`
	}
}

func newRequest(t *testing.T) *request {
	t.Helper()
	r := &request{Env: tasktest.New(t)}
	r.Business(t, "biz-1", "de")
	rev := r.Review(t, "rev-1", "biz-1", "sv")
	req, _, err := r.App.CreateRequest(context.Background(), tasktest.BusinessActor("biz-1"), rev.ID, "Could you tell us your order number?", nil)
	if err != nil {
		t.Fatalf("create request: %v", err)
	}
	r.req = req
	r.started(t)
	r.st = &countingStore{Store: r.Store}
	r.tasks = findreviewer.New(r.st, r.Mail, r.Links, r.SFN, r.Clock, r.Log)
	return r
}

// started reads the input of the round's execution, as its tasks get it.
func (r *request) started(t *testing.T) {
	t.Helper()
	r.exec = r.Input(t, app.MachineFindReviewer, &r.in).Name
}

// run runs the task of action in the latest round, as the state machine sends it.
func (r *request) run(action string, ev findreviewer.Event) (findreviewer.Result, error) {
	ev.Action, ev.Case, ev.Round, ev.Execution = action, r.in.Case, r.in.Round, r.exec
	return r.tasks.Handle(context.Background(), ev)
}

func (r *request) must(t *testing.T, action string, ev findreviewer.Event) findreviewer.Result {
	t.Helper()
	res, err := r.run(action, ev)
	if err != nil {
		t.Fatalf("%s: %v", action, err)
	}
	return res
}

// status is the request's status as its business reads it.
func (r *request) status(t *testing.T) moderation.RequestStatus {
	t.Helper()
	fr, _, err := r.App.GetRequest(context.Background(), tasktest.BusinessActor("biz-1"), r.req.ID)
	if err != nil {
		t.Fatal(err)
	}
	return fr.Status
}

// reply answers through the link of email as the reviewer would.
func (r *request) reply(t *testing.T, replyURL string) {
	t.Helper()
	hash, ok := links.Hash(path.Base(replyURL))
	if !ok {
		t.Fatalf("reply link %q holds no token", replyURL)
	}
	if err := r.App.SubmitLink(context.Background(), hash, app.LinkSubmission{Text: "Order 4711, delivered late."}); err != nil {
		t.Fatalf("reply: %v", err)
	}
}

func emails[M mail.Message](t *testing.T, env *tasktest.Env, address, locale string) []M {
	t.Helper()
	var out []M
	for _, e := range env.Mail.To(address) {
		if m, ok := e.Msg.(M); ok {
			if e.Rendered.Locale != locale {
				t.Errorf("%s to %s is in %q, want %q", e.Msg.Name(), address, e.Rendered.Locale, locale)
			}
			out = append(out, m)
		}
	}
	return out
}

func TestUnknownActionIsRefusedBeforeAnyRead(t *testing.T) {
	r := newRequest(t)
	_, err := r.run("send_reply", findreviewer.Event{TaskToken: "tok"})
	var perm *workflow.PermanentError
	if !errors.As(err, &perm) {
		t.Errorf("unknown action: %v (%T), want a PermanentError (no retry)", err, err)
	}
	if r.st.reads != 0 || len(r.Mail.Sent()) != 0 {
		t.Errorf("unknown action read the request %d times and sent %d emails, want none", r.st.reads, len(r.Mail.Sent()))
	}
}

// TestRequestAndReplyTellTheBusiness: the reviewer is asked once in their
// language with the whole window; their reply answers the waiting task,
// and the business is told once in its language.
func TestRequestAndReplyTellTheBusiness(t *testing.T) {
	r := newRequest(t)
	ev := findreviewer.Event{Window: r.in.Windows.Full, TaskToken: "tok-request"}
	r.Clock.Advance(time.Hour) // started late, by the sweeper
	r.must(t, "send_request", ev)
	r.must(t, "send_request", ev)
	asked := emails[mail.FindReviewerRequest](t, r.Env, reviewerAddress, "sv")
	if len(asked) != 1 || len(r.Mail.Sent()) != 1 {
		t.Fatalf("emails sent %d, requests to the reviewer %d; want exactly one request", len(r.Mail.Sent()), len(asked))
	}
	if want := r.Clock.Now().Add(time.Duration(r.in.Windows.Full) * time.Second); !asked[0].Deadline.Equal(want) {
		t.Errorf("deadline in the request %v, want the whole window from the email: %v", asked[0].Deadline, want)
	}
	if asked[0].Message != "Could you tell us your order number?" || asked[0].BusinessName != "Acme Bikes" {
		t.Errorf("request = %+v, want the business's message", asked[0])
	}
	if got := r.PendingStarts(t); len(got) != 0 {
		t.Errorf("recorded starts after the first task = %v, want none", got)
	}

	r.reply(t, asked[0].ReplyURL)
	if got := r.Waker.Tokens(); len(got) != 1 || got[0] != "tok-request" {
		t.Errorf("the reply answered %v, want the request task's token", got)
	}
	r.must(t, "notify_replied", findreviewer.Event{})
	r.must(t, "notify_replied", findreviewer.Event{})
	told := emails[mail.ReviewerReplied](t, r.Env, businessAddress, "de")
	if len(told) != 1 || told[0].RequestURL == "" {
		t.Fatalf("business got %+v, want one reviewer_replied with the request's link", told)
	}
	// Expiry after the reply says so, and sends nothing.
	if res := r.must(t, "expire", findreviewer.Event{}); res.Status != string(moderation.RequestReplied) {
		t.Errorf("expire after the reply = %q, want %q", res.Status, moderation.RequestReplied)
	}
	if n := len(r.Mail.Sent()); n != 2 {
		t.Errorf("%d emails in all, want the request and the business's notice", n)
	}
}

// TestReplyBeforeTheRequestTaskAnswersItself: a reply that won the race
// with a retried request task wakes the workflow through the task's own token.
func TestReplyBeforeTheRequestTaskAnswersItself(t *testing.T) {
	r := newRequest(t)
	r.must(t, "send_request", findreviewer.Event{Window: r.in.Windows.Full, TaskToken: "tok-1"})
	r.reply(t, emails[mail.FindReviewerRequest](t, r.Env, reviewerAddress, "sv")[0].ReplyURL)
	r.must(t, "send_request", findreviewer.Event{Window: r.in.Windows.Full, TaskToken: "tok-2"})
	if got := r.SFN.Answers(); len(got) != 1 || got[0].Token != "tok-2" {
		t.Errorf("answered %+v, want the retried task's own token", got)
	}
	if n := len(r.Mail.Sent()); n != 1 {
		t.Errorf("%d emails, want only the first request", n)
	}
}

// TestSilenceRemindsThenExpires: after the reminder delay the reviewer is
// reminded once; at the deadline the request expires and the business is
// told once that it may still remind by hand.
func TestSilenceRemindsThenExpires(t *testing.T) {
	r := newRequest(t)
	r.must(t, "send_request", findreviewer.Event{Window: r.in.Windows.Full, TaskToken: "tok-request"})
	deadline := emails[mail.FindReviewerRequest](t, r.Env, reviewerAddress, "sv")[0].Deadline

	r.Clock.Advance(time.Duration(r.in.Windows.ReminderAfter) * time.Second)
	r.must(t, "send_reminder", findreviewer.Event{TaskToken: "tok-reminder"})
	r.must(t, "send_reminder", findreviewer.Event{TaskToken: "tok-reminder"})
	reminded := emails[mail.FindReviewerReminder](t, r.Env, reviewerAddress, "sv")
	if len(reminded) != 1 || reminded[0].Manual || !reminded[0].Deadline.Equal(deadline) {
		t.Fatalf("reminders %+v, want one automatic reminder keeping the deadline %v", reminded, deadline)
	}

	r.Clock.Set(deadline.Add(time.Second))
	for range 2 {
		if res := r.must(t, "expire", findreviewer.Event{}); res.Status != string(moderation.RequestExpired) {
			t.Fatalf("expire = %q, want %q", res.Status, moderation.RequestExpired)
		}
	}
	if got := r.status(t); got != moderation.RequestExpired {
		t.Errorf("request is %s, want %s", got, moderation.RequestExpired)
	}
	told := emails[mail.RequestExpired](t, r.Env, businessAddress, "de")
	if len(told) != 1 || !told[0].CanRemind {
		t.Fatalf("business got %+v, want one request_expired offering the manual reminder", told)
	}

	// The business's one manual reminder reopens the request for a whole
	// window in a round of its own.
	if _, _, err := r.App.Remind(context.Background(), tasktest.BusinessActor("biz-1"), r.req.ID, nil); err != nil {
		t.Fatalf("remind: %v", err)
	}
	r.started(t)
	if r.in.Round != 1 {
		t.Fatalf("manual reminder round %d, want 1", r.in.Round)
	}
	r.Clock.Advance(time.Minute)
	r.must(t, "send_reminder", findreviewer.Event{Window: r.in.Windows.Full, TaskToken: "tok-manual"})
	reminded = emails[mail.FindReviewerReminder](t, r.Env, reviewerAddress, "sv")
	if len(reminded) != 2 || !reminded[1].Manual {
		t.Fatalf("reminders %+v, want the automatic one and a manual one", reminded)
	}
	if want := r.Clock.Now().Add(time.Duration(r.in.Windows.Full) * time.Second); !reminded[1].Deadline.Equal(want) {
		t.Errorf("manual reminder's deadline %v, want a whole window from the email: %v", reminded[1].Deadline, want)
	}
	r.Clock.Set(reminded[1].Deadline.Add(time.Second))
	r.must(t, "expire", findreviewer.Event{})
	told = emails[mail.RequestExpired](t, r.Env, businessAddress, "de")
	if len(told) != 2 || told[1].CanRemind {
		t.Errorf("business got %+v, want a second request_expired without the reminder offer", told)
	}
}

func TestStallIsRecordedUntilARedrive(t *testing.T) {
	r := newRequest(t)
	stall := findreviewer.Event{Execution: r.exec, StallEvent: workflow.StallEvent{State: "SendRequest", Error: "PermanentError"}}
	_, err := r.run("stalled", stall)
	if !errors.Is(err, workflow.ErrStalled) {
		t.Fatalf("stalled: %v, want ErrStalled", err)
	}
	list, err := r.App.StalledWorkflows(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 || list[0].Object.ID != r.req.ID || list[0].Stall.State != "SendRequest" {
		t.Fatalf("stalled workflows = %+v, want the request stalled at SendRequest", list)
	}
	stall.Redrive = 1
	r.must(t, "stalled", stall)
	if list, err = r.App.StalledWorkflows(context.Background()); err != nil || len(list) != 0 {
		t.Errorf("stalled workflows after the redrive = %+v, %v; want none", list, err)
	}
}

// TestEveryActionOfTheStateMachineHasATask: the action names are the
// contract between the definition and this package.
func TestEveryActionOfTheStateMachineHasATask(t *testing.T) {
	for _, a := range tasktest.MachineActions(t, "find-reviewer") {
		if !slices.Contains(findreviewer.Actions(), a) {
			t.Errorf("the find-reviewer state machine sends %q, which no task answers", a)
		}
	}
}

// TestReviewerGetsACopyOfTheirReplyOnce: after the reply the reviewer is
// emailed a copy of what they sent, in their language, once however often
// the task runs — also when they stopped the reply emails (the copy is
// transactional), and never from an execution that carries the text.
func TestReviewerGetsACopyOfTheirReplyOnce(t *testing.T) {
	r := newRequest(t)
	if err := r.Store.StopReplyEmails(context.Background(), reviewerAddress, "rev-1", r.Clock.Now()); err != nil {
		t.Fatal(err)
	}
	r.must(t, "send_request", findreviewer.Event{Window: r.in.Windows.Full, TaskToken: "tok-request"})
	r.Clock.Advance(2 * time.Hour)
	r.reply(t, emails[mail.FindReviewerRequest](t, r.Env, reviewerAddress, "sv")[0].ReplyURL)
	repliedAt := r.Clock.Now()
	r.Clock.Advance(time.Minute)
	for range 3 { // the task and two retries
		r.must(t, "confirm_reply", findreviewer.Event{})
	}
	copies := emails[mail.AnswerReceived](t, r.Env, reviewerAddress, "sv")
	if len(copies) != 1 {
		t.Fatalf("reviewer got %d copies of the reply, want 1", len(copies))
	}
	c := copies[0]
	if c.Kind != mail.AnswerReply || c.Text != "Order 4711, delivered late." || c.BusinessName != "Acme Bikes" || !c.ReceivedAt.Equal(repliedAt) {
		t.Errorf("copy = %+v, want the reply's text, the business and when it was sent (%v)", c, repliedAt)
	}
	if n := len(r.Mail.To(businessAddress)); n != 0 {
		t.Errorf("the business got %d emails from the copy task, want none", n)
	}
}

// TestCopyOfAReplyWaitsForTheReply: a copy task run on a request not
// replied fails for good (the state machine records a stall) and sends
// nothing.
func TestCopyOfAReplyWaitsForTheReply(t *testing.T) {
	r := newRequest(t)
	_, err := r.run("confirm_reply", findreviewer.Event{})
	var perm *workflow.PermanentError
	if !errors.As(err, &perm) {
		t.Errorf("confirm_reply before the reply: %v (%T), want a PermanentError", err, err)
	}
	if n := len(r.Mail.Sent()); n != 0 {
		t.Errorf("%d emails sent, want none", n)
	}
}

// TestLostAnswerOfTheCopySendsNoSecond: SES sent the copy but its answer
// was lost (the sender's error says it may have sent it): the copy counts as
// sent, and the task's retry sends no second one. A send that certainly
// failed (throttled) fails the task for a retry, which sends the copy once.
func TestLostAnswerOfTheCopySendsNoSecond(t *testing.T) {
	for _, tc := range []struct {
		name string
		fail error
		want int // copies in the outbox after the retry
	}{
		// The copy SES sent is not in the fake's outbox: the retry must not add one.
		{"answer lost", lostAnswer{}, 0},
		{"throttled", &smithy.GenericAPIError{Code: "Throttling", Message: "Maximum sending rate exceeded."}, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRequest(t)
			r.must(t, "send_request", findreviewer.Event{Window: r.in.Windows.Full, TaskToken: "tok-request"})
			r.reply(t, emails[mail.FindReviewerRequest](t, r.Env, reviewerAddress, "sv")[0].ReplyURL)
			r.Mail.Fail = tc.fail
			_, err := r.run("confirm_reply", findreviewer.Event{})
			r.Mail.Fail = nil
			var transient *workflow.TransientError
			switch lost := tc.want == 0; {
			case lost && err != nil:
				t.Fatalf("confirm_reply with a lost answer: %v, want it counted as sent", err)
			case !lost && !errors.As(err, &transient):
				t.Fatalf("confirm_reply throttled: %v (%T), want a TransientError", err, err)
			}
			r.must(t, "confirm_reply", findreviewer.Event{}) // the retry
			r.must(t, "confirm_reply", findreviewer.Event{}) // and another
			if got := len(emails[mail.AnswerReceived](t, r.Env, reviewerAddress, "sv")); got != tc.want {
				t.Errorf("copies sent after the failed attempt = %d, want %d", got, tc.want)
			}
		})
	}
}

// lostAnswer is the error of a send whose answer was lost after SES may
// have sent the email, as mail.Sender reports it (MaybeSent).
type lostAnswer struct{}

func (lostAnswer) Error() string {
	return "send answer_received: connection reset after the request was sent"
}
func (lostAnswer) MaybeSent() bool { return true }
