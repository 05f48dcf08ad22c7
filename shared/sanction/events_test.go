package sanction_test

import (
	"slices"
	"testing"
	"time"

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
