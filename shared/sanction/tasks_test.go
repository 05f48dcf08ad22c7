package sanction_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/candorhq/candor/shared/app"
	"github.com/candorhq/candor/shared/mail"
	"github.com/candorhq/candor/shared/moderation"
	"github.com/candorhq/candor/shared/sanction"
	"github.com/candorhq/candor/shared/store"
	"github.com/candorhq/candor/shared/workflow"
	"github.com/candorhq/candor/shared/workflow/tasktest"
)

const businessAddress = "owner@acme.example"

// countingStore is the real store, counting the reads of a task's sanction.
type countingStore struct {
	*store.Store
	reads int
}

func (s *countingStore) SanctionTask(ctx context.Context, businessID, id string, createdAt time.Time) (moderation.Sanction, app.Ledger, moderation.Business, error) {
	s.reads++
	return s.Store.SanctionTask(ctx, businessID, id, createdAt)
}

// world is a business that reads Swedish, its sanctions given through the
// use cases, and the sanction tasks.
type world struct {
	*tasktest.Env
	st    *countingStore
	tasks *sanction.Tasks
}

func newWorld(t *testing.T) *world {
	t.Helper()
	w := &world{Env: tasktest.New(t)}
	w.Business(t, "biz-1", "sv")
	w.st = &countingStore{Store: w.Store}
	w.tasks = sanction.New(w.st, w.Mail, nil, w.Clock, w.Log)
	return w
}

// execution is one execution of the sanction machine: its input and name.
type execution struct {
	in   app.SanctionInput
	name string
}

// started is the last execution the use cases started.
func (w *world) started(t *testing.T) execution {
	t.Helper()
	var x execution
	x.name = w.Input(t, app.MachineSanction, &x.in).Name
	return x
}

func (w *world) run(action string, x execution) (sanction.Result, error) {
	return w.tasks.Handle(context.Background(), sanction.Event{Action: action, SanctionInput: x.in, Execution: x.name})
}

func (w *world) must(t *testing.T, action string, x execution) sanction.Result {
	t.Helper()
	res, err := w.run(action, x)
	if err != nil {
		t.Fatalf("%s: %v", action, err)
	}
	return res
}

// emails are the emails of type M the business got, checked to be in Swedish.
func emails[M mail.Message](t *testing.T, w *world) []M {
	t.Helper()
	var out []M
	for _, e := range w.Mail.To(businessAddress) {
		if m, ok := e.Msg.(M); ok {
			if e.Rendered.Locale != "sv" {
				t.Errorf("%s is in %q, want sv", e.Msg.Name(), e.Rendered.Locale)
			}
			out = append(out, m)
		}
	}
	return out
}

func (w *world) record(t *testing.T, id string) app.SanctionRecord {
	t.Helper()
	r, err := w.App.Sanction(context.Background(), "biz-1", id)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func (w *world) suspend(t *testing.T, until time.Time) (moderation.Sanction, execution) {
	t.Helper()
	s, err := w.App.Suspend(context.Background(), tasktest.Agent, "biz-1", "Forty reports of genuine reviews in a week.", until, nil)
	if err != nil {
		t.Fatalf("suspend: %v", err)
	}
	return s, w.started(t)
}

func TestUnknownActionIsRefusedBeforeAnyRead(t *testing.T) {
	w := newWorld(t)
	if _, err := w.App.Warn(context.Background(), tasktest.Agent, "biz-1", "Reports of genuine reviews.", nil); err != nil {
		t.Fatal(err)
	}
	x := w.started(t)
	var perm *workflow.PermanentError
	if _, err := w.run("lift", x); !errors.As(err, &perm) {
		t.Errorf("unknown action: %v (%T), want a PermanentError", err, err)
	}
	x.in.CreatedAt = "yesterday"
	if _, err := w.run("notify", x); !errors.As(err, &perm) {
		t.Errorf("unreadable createdAt: %v (%T), want a PermanentError", err, err)
	}
	if w.st.reads != 0 || len(w.Mail.Sent()) != 0 {
		t.Errorf("read %d times and sent %d emails, want none", w.st.reads, len(w.Mail.Sent()))
	}
}

func TestWarningIsToldOnceInTheBusinessLanguage(t *testing.T) {
	w := newWorld(t)
	s, err := w.App.Warn(context.Background(), tasktest.Agent, "biz-1", "Reports of genuine reviews.", nil)
	if err != nil {
		t.Fatal(err)
	}
	x := w.started(t)
	for range 2 {
		if res := w.must(t, "notify", x); res.Status != "notified" {
			t.Fatalf("notify = %q, want notified", res.Status)
		}
	}
	got := emails[mail.BusinessWarned](t, w)
	if len(got) != 1 || len(w.Mail.Sent()) != 1 || got[0].Facts != "Reports of genuine reviews." || !got[0].Until.Equal(s.Until) {
		t.Fatalf("business got %+v, want one warning with the facts until %v", got, s.Until)
	}
	if ps := w.PendingStarts(t); len(ps) != 0 {
		t.Errorf("recorded starts after notify = %v, want none", ps)
	}
}

// TestSuspensionEndsAtItsUntil: the end task does nothing before the
// suspension's until (a retry ends it); after it, it records the end and
// tells the business once that it can report again.
func TestSuspensionEndsAtItsUntil(t *testing.T) {
	w := newWorld(t)
	s, x := w.suspend(t, tasktest.T0.Add(30*24*time.Hour))
	w.must(t, "notify", x)
	if got := emails[mail.ReportingSuspended](t, w); len(got) != 1 || !got[0].Until.Equal(s.Until) {
		t.Fatalf("business got %+v, want one suspension notice until %v", got, s.Until)
	}

	w.Clock.Set(s.Until.Add(-time.Minute)) // a Wait that woke early
	_, err := w.run("end", x)
	var transient *workflow.TransientError
	if !errors.Is(err, sanction.ErrNotDue) || !errors.As(err, &transient) {
		t.Fatalf("end before until: %v, want ErrNotDue as a TransientError (retried)", err)
	}
	if r := w.record(t, s.ID); r.Sanction.Status != moderation.SanctionActive {
		t.Fatalf("sanction is %s before its until, want active", r.Sanction.Status)
	}

	w.Clock.Set(s.Until.Add(time.Minute))
	for range 2 {
		if res := w.must(t, "end", x); res.Status != "ended" {
			t.Fatalf("end = %q, want ended", res.Status)
		}
	}
	r := w.record(t, s.ID)
	if r.Sanction.Status != moderation.SanctionEnded {
		t.Errorf("sanction is %s, want ended", r.Sanction.Status)
	}
	ended := 0
	for _, e := range r.Trail {
		if e.Action == "sanction.ended" && e.Actor == "system" {
			ended++
		}
	}
	if ended != 1 {
		t.Errorf("trail %+v has %d sanction.ended entries, want 1", r.Trail, ended)
	}
	reopened := emails[mail.ReportingReopened](t, w)
	if len(reopened) != 1 || !reopened[0].Since.Equal(s.Until) {
		t.Fatalf("business got %+v, want one reopening since %v", reopened, s.Until)
	}
	st, err := w.App.ReportingStanding(context.Background(), tasktest.BusinessActor("biz-1"))
	if err != nil {
		t.Fatal(err)
	}
	if st.Suspension != nil {
		t.Errorf("standing after the end = %+v, want no suspension", st.Suspension)
	}
}

// TestLaterSuspensionKeepsReportingBlocked: the end of a suspension that a
// longer one overlaps tells the business nothing; the longer one's end does.
func TestLaterSuspensionKeepsReportingBlocked(t *testing.T) {
	w := newWorld(t)
	first, x1 := w.suspend(t, tasktest.T0.Add(10*24*time.Hour))
	second, x2 := w.suspend(t, tasktest.T0.Add(20*24*time.Hour))
	w.must(t, "notify", x1)
	w.must(t, "notify", x2)
	w.Clock.Set(first.Until.Add(time.Minute))
	w.must(t, "end", x1)
	if got := emails[mail.ReportingReopened](t, w); len(got) != 0 {
		t.Fatalf("reopening sent while a later suspension runs: %+v", got)
	}
	w.Clock.Set(second.Until.Add(time.Minute))
	w.must(t, "end", x2)
	if got := emails[mail.ReportingReopened](t, w); len(got) != 1 || !got[0].Since.Equal(second.Until) {
		t.Errorf("business got %+v, want one reopening since %v", got, second.Until)
	}
}

// TestLiftedWarningIsWithdrawnOnce: the lift's own execution tells the
// business at once that the warning is withdrawn; the warning's first
// execution, ending a year later, sends nothing more.
func TestLiftedWarningIsWithdrawnOnce(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	s, err := w.App.Warn(ctx, tasktest.Agent, "biz-1", "Reports of genuine reviews.", nil)
	if err != nil {
		t.Fatal(err)
	}
	first := w.started(t)
	w.must(t, "notify", first)
	w.Clock.Advance(24 * time.Hour)
	if _, err := w.App.Lift(ctx, tasktest.Agent, "biz-1", s.ID, "The objection was upheld.", nil); err != nil {
		t.Fatalf("lift: %v", err)
	}
	lift := w.started(t)
	if lift.name == first.name {
		t.Fatal("the lift started no execution of its own")
	}
	for range 2 {
		w.must(t, "notify", lift) // already told of the warning: nothing more
		w.must(t, "end", lift)
	}
	withdrawn := emails[mail.WarningWithdrawn](t, w)
	if len(withdrawn) != 1 || !withdrawn[0].Given.Equal(s.CreatedAt) {
		t.Fatalf("business got %+v, want one withdrawal of the warning given %v", withdrawn, s.CreatedAt)
	}
	w.Clock.Set(s.Until.Add(time.Minute))
	w.must(t, "end", first)
	if n := len(w.Mail.Sent()); n != 2 {
		t.Errorf("%d emails in all, want the warning and its withdrawal", n)
	}
	if ps := w.PendingStarts(t); len(ps) != 0 {
		t.Errorf("recorded starts = %v, want none", ps)
	}
}

// TestWarningLiftedBeforeItsNoticeIsNeverTold: a business never told of a
// warning is not told of its withdrawal either.
func TestWarningLiftedBeforeItsNoticeIsNeverTold(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	s, err := w.App.Warn(ctx, tasktest.Agent, "biz-1", "Reports of genuine reviews.", nil)
	if err != nil {
		t.Fatal(err)
	}
	first := w.started(t)
	if _, err := w.App.Lift(ctx, tasktest.Agent, "biz-1", s.ID, "Given by mistake.", nil); err != nil {
		t.Fatalf("lift: %v", err)
	}
	lift := w.started(t)
	w.must(t, "notify", first)
	w.must(t, "notify", lift)
	w.must(t, "end", lift)
	if n := len(w.Mail.Sent()); n != 0 {
		t.Errorf("%d emails about a warning lifted before its notice, want none", n)
	}
	if ps := w.PendingStarts(t); len(ps) != 0 {
		t.Errorf("recorded starts = %v, want none (notify clears them)", ps)
	}
}

// TestEveryActionOfTheStateMachineHasATask: the action names are the
// contract between the definition and this package.
func TestEveryActionOfTheStateMachineHasATask(t *testing.T) {
	for _, a := range tasktest.MachineActions(t, "sanction") {
		if !slices.Contains(sanction.Actions(), a) {
			t.Errorf("the sanction state machine sends %q, which no task answers", a)
		}
	}
}

// TestSuspensionNoticeSaysWarnedOnlyAfterAWarning: the suspension email
// says it follows a warning only for a business that was warned (and the
// warning not withdrawn).
func TestSuspensionNoticeSaysWarnedOnlyAfterAWarning(t *testing.T) {
	w := newWorld(t)
	_, x := w.suspend(t, tasktest.T0.Add(10*24*time.Hour))
	w.must(t, "notify", x)
	if _, err := w.App.Warn(context.Background(), tasktest.Agent, "biz-1", "Reports of genuine reviews.", nil); err != nil {
		t.Fatal(err)
	}
	w.must(t, "notify", w.started(t))
	w.Clock.Advance(time.Hour)
	_, x2 := w.suspend(t, tasktest.T0.Add(20*24*time.Hour))
	w.must(t, "notify", x2)
	got := emails[mail.ReportingSuspended](t, w)
	if len(got) != 2 || got[0].AfterWarning || !got[1].AfterWarning {
		t.Errorf("suspension notices %+v, want the first without a warning, the second after one", got)
	}
}
