package findreviewer_test

import (
	"slices"
	"testing"
	"time"

	"github.com/candorhq/candor/shared/findreviewer"
	"github.com/candorhq/candor/shared/mail"
	"github.com/candorhq/candor/shared/webhook"
)

// TestWebhookEventsGoWithTheirChanges: the reply and the expiry are each
// one event for a business with a webhook, however often the tasks run.
func TestWebhookEventsGoWithTheirChanges(t *testing.T) {
	r := newRequest(t)
	r.Webhook(t, "biz-1")
	r.tasks = findreviewer.New(r.st, r.Mail, r.Links, r.SFN, r.Clock, r.Log).WithEvents(webhook.NewOutbox(r.Store))
	r.must(t, "send_request", findreviewer.Event{Window: r.in.Windows.Full, TaskToken: "tok-request"})
	asked := emails[mail.FindReviewerRequest](t, r.Env, reviewerAddress, "sv")[0]
	r.Clock.Set(asked.Deadline.Add(time.Second))
	for range 2 {
		r.must(t, "expire", findreviewer.Event{})
	}
	if got, want := r.Events(t), []string{"request.expired expired"}; !slices.Equal(got, want) {
		t.Errorf("events after the expiry %q, want %q", got, want)
	}

	replied := newRequest(t)
	replied.Webhook(t, "biz-1")
	replied.tasks = findreviewer.New(replied.st, replied.Mail, replied.Links, replied.SFN, replied.Clock, replied.Log).WithEvents(webhook.NewOutbox(replied.Store))
	replied.must(t, "send_request", findreviewer.Event{Window: replied.in.Windows.Full, TaskToken: "tok-request"})
	replied.reply(t, emails[mail.FindReviewerRequest](t, replied.Env, reviewerAddress, "sv")[0].ReplyURL)
	for range 2 {
		replied.must(t, "notify_replied", findreviewer.Event{})
	}
	if got, want := replied.Events(t), []string{"request.replied replied"}; !slices.Equal(got, want) {
		t.Errorf("events after the reply %q, want %q", got, want)
	}
}
