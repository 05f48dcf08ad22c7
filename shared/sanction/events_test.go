package sanction_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/candorhq/candor/shared/mail"
	"github.com/candorhq/candor/shared/sanction"
	"github.com/candorhq/candor/shared/webhook"
	"github.com/candorhq/candor/shared/workflow/tasktest"
)

// TestWebhookEventsGoWithTheirChanges: a suspension and its end are each
// one event for a business with a webhook, however often the tasks run.
func TestWebhookEventsGoWithTheirChanges(t *testing.T) {
	w := newWorld(t)
	w.Webhook(t, "biz-1")
	w.tasks = sanction.New(w.st, w.Mail, webhook.NewOutbox(w.Store), w.Clock, w.Log)
	s, x := w.suspend(t, tasktest.T0.Add(30*24*time.Hour))
	w.Clock.Set(s.Until.Add(time.Minute))
	for range 2 {
		w.must(t, "notify", x)
		w.must(t, "end", x)
	}
	got := w.Events(t)
	slices.Sort(got)
	if want := []string{"reporting.reopened", "reporting.suspended"}; !slices.Equal(got, want) {
		t.Errorf("events %q, want %q", got, want)
	}
}

// TestALiftedSuspensionsOriginalEndTellsNothing: the longer of two
// suspensions is lifted while the shorter still blocks reporting; the
// shorter's end reopens reporting (one email, one event). When the lifted
// suspension's original until comes, its first execution ends without a
// second, false "you can report again" and without a second
// reporting.reopened.
func TestALiftedSuspensionsOriginalEndTellsNothing(t *testing.T) {
	w := newWorld(t)
	w.Webhook(t, "biz-1")
	w.tasks = sanction.New(w.st, w.Mail, webhook.NewOutbox(w.Store), w.Clock, w.Log)
	short, xs := w.suspend(t, tasktest.T0.Add(10*24*time.Hour))
	long, xl := w.suspend(t, tasktest.T0.Add(20*24*time.Hour))
	w.must(t, "notify", xs)
	w.must(t, "notify", xl)
	w.Clock.Advance(24 * time.Hour)
	if _, err := w.App.Lift(context.Background(), tasktest.Agent, "biz-1", long.ID, "The longer suspension was a typo in the date.", nil); err != nil {
		t.Fatalf("lift: %v", err)
	}
	lift := w.started(t)
	w.must(t, "notify", lift)
	w.must(t, "end", lift) // the shorter still blocks: nothing to tell
	w.Clock.Set(short.Until.Add(time.Minute))
	w.must(t, "end", xs)
	w.Clock.Set(long.Until.Add(time.Minute))
	w.must(t, "end", xl)
	if got := emails[mail.ReportingReopened](t, w); len(got) != 1 || !got[0].Since.Equal(short.Until) {
		t.Errorf("reopening emails %+v, want one, since the shorter's end %v", got, short.Until)
	}
	n := 0
	for _, e := range w.Events(t) {
		if e == "reporting.reopened" {
			n++
		}
	}
	if n != 1 {
		t.Errorf("reporting.reopened published %d times, want once", n)
	}
}

// TestALiftedSuspensionReopensOnceAtTheLift: the lift's own execution tells
// the business at once; the suspension's first execution, ending at the
// original until, publishes and sends nothing more.
func TestALiftedSuspensionReopensOnceAtTheLift(t *testing.T) {
	w := newWorld(t)
	w.Webhook(t, "biz-1")
	w.tasks = sanction.New(w.st, w.Mail, webhook.NewOutbox(w.Store), w.Clock, w.Log)
	s, x := w.suspend(t, tasktest.T0.Add(30*24*time.Hour))
	w.must(t, "notify", x)
	w.Clock.Advance(24 * time.Hour)
	if _, err := w.App.Lift(context.Background(), tasktest.Agent, "biz-1", s.ID, "The business's objection was upheld.", nil); err != nil {
		t.Fatalf("lift: %v", err)
	}
	lift := w.started(t)
	w.must(t, "notify", lift)
	w.must(t, "end", lift)
	w.Clock.Set(s.Until.Add(time.Minute))
	w.must(t, "end", x)
	if got := emails[mail.ReportingReopened](t, w); len(got) != 1 || !got[0].Since.Equal(tasktest.T0.Add(24*time.Hour)) {
		t.Errorf("reopening emails %+v, want one, since the lift", got)
	}
	got := w.Events(t)
	slices.Sort(got)
	if want := []string{"reporting.reopened", "reporting.suspended"}; !slices.Equal(got, want) {
		t.Errorf("events %q, want %q", got, want)
	}
}
