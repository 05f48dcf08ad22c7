package investigation_test

import (
	"slices"
	"testing"

	"github.com/candorhq/candor/shared/investigation"
	"github.com/candorhq/candor/shared/moderation"
	"github.com/candorhq/candor/shared/webhook"
)

// TestWebhookEventsGoWithTheirChanges: a business with a webhook gets one
// event per change of its report, however often the tasks run; one
// without gets none.
func TestWebhookEventsGoWithTheirChanges(t *testing.T) {
	for _, hooked := range []bool{true, false} {
		c := newCase(t, offensive)
		if hooked {
			c.Webhook(t, "biz-1")
		}
		c.tasks = investigation.New(c.st, c.Mail, c.Links, c.SFN, c.Clock, c.Log).WithEvents(webhook.NewOutbox(c.Store))
		for range 2 {
			c.must(t, "notify_reported", investigation.Event{})
			c.must(t, "enqueue", investigation.Event{TaskToken: "tok-queue"}) // in the queue already: the same event
		}
		c.decide(t, moderation.Decision{Outcome: moderation.DecideRemove, Note: "The text insults the owner.",
			UpheldReasons: []moderation.Reason{moderation.ReasonOffensiveOrHarmful}})
		for range 2 {
			c.must(t, "notify_removed", investigation.Event{Window: c.in.Windows.Appeal})
		}
		got := c.Events(t)
		slices.Sort(got)
		want := []string{"report.outcome removed", "report.status_changed closed", "report.status_changed in_queue"}
		if !hooked {
			want = nil
		}
		if !slices.Equal(got, want) {
			t.Errorf("webhook (%v): events %q, want %q", hooked, got, want)
		}
	}
}
