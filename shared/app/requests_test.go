package app_test

import (
	"testing"

	"github.com/candorhq/candor/shared/app"
	"github.com/candorhq/candor/shared/links"
	"github.com/candorhq/candor/shared/moderation"
)

const askMessage = "Could you tell us your order number, please?"

// replyLink is the reviewer's reply link of request fr, as the Find
// Reviewer workflow creates it, with the workflow's token kept on the request.
func (f *fixture) replyLink(fr moderation.FindRequest) string {
	f.t.Helper()
	hash := "reply-" + fr.ID
	if err := f.store.CreateLink(f.ctx, app.Link{Hash: hash, Purpose: links.PurposeFindReviewerReply, ObjectID: fr.ID,
		Round: fr.Round, Deadline: fr.Deadline, Created: f.clock.Now()}); err != nil {
		f.t.Fatalf("create link: %v", err)
	}
	if err := f.store.Step(f.ctx, app.Step{Object: app.ObjectKey{Kind: app.ObjectRequest, ID: fr.ID}, Token: "tok-" + fr.ID, At: f.clock.Now()}); err != nil {
		f.t.Fatalf("request token: %v", err)
	}
	return hash
}

// TestFindReviewer: a request waits for the reviewer's reply for the
// policy's window and starts its workflow; the reply reaches the business
// and wakes the workflow; a second request on the same version is refused.
func TestFindReviewer(t *testing.T) {
	f := newFixture(t, moderation.Policy{})
	f.seed("rev-1", moderation.SourceOrganic)
	fr, _, err := f.app.CreateRequest(f.ctx, biz, "rev-1", askMessage, nil)
	if err != nil {
		t.Fatal(err)
	}
	p := moderation.DefaultPolicy
	if fr.Status != moderation.RequestAwaitingReply || !fr.Deadline.Equal(t0.Add(p.FindReviewerReplyWindow)) {
		t.Errorf("request is %s until %s, want awaiting_reply until %s", fr.Status, fr.Deadline, t0.Add(p.FindReviewerReplyWindow))
	}
	if ws, ok := f.starts.last(app.MachineFindReviewer); !ok || ws.Name != "fr-"+fr.ID+"-0" {
		t.Errorf("find-reviewer start %+v, want fr-%s-0", ws, fr.ID)
	}
	_, _, err = f.app.CreateRequest(f.ctx, biz, "rev-1", askMessage, nil)
	wantCode(t, err, moderation.CodeRequestOpen)

	hash := f.replyLink(fr)
	f.clock.Advance(p.FindReviewerReminderAfter)
	if err := f.app.SubmitLink(f.ctx, hash, app.LinkSubmission{Text: "Order 4711"}); err != nil {
		t.Fatal(err)
	}
	got, _, err := f.app.GetRequest(f.ctx, biz, fr.ID)
	if err != nil || got.Status != moderation.RequestReplied || got.Reply != "Order 4711" {
		t.Errorf("request = %s %q, %v; want replied with the reply", got.Status, got.Reply, err)
	}
	if w := f.wakes.of("tok-" + fr.ID); len(w) != 1 || w[0] != `{"outcome":"replied"}` {
		t.Errorf("the workflow was woken with %v, want once, replied", w)
	}
	if err := f.app.SubmitLink(f.ctx, hash, app.LinkSubmission{Text: "Order 4711 again"}); err != app.ErrLinkUsed {
		t.Errorf("second reply = %v, want the link used", err)
	}
	_, _, err = f.app.CreateRequest(f.ctx, biz, "rev-1", askMessage, nil)
	wantCode(t, err, moderation.CodeFindReviewerUsed)
	_, _, err = f.app.GetRequest(f.ctx, other, fr.ID)
	wantCode(t, err, moderation.CodeNotFound)
}

func TestFindReviewerRefusals(t *testing.T) {
	tests := []struct {
		name    string
		source  moderation.Source
		policy  moderation.Policy
		message string
		code    string
	}{
		{"invited through the platform", moderation.SourceInvitedPlatform, moderation.Policy{}, askMessage, moderation.CodeFindReviewerUnavailable},
		{"message too short", moderation.SourceOrganic, moderation.Policy{}, "Order?", moderation.CodeValidationFailed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, tt.policy)
			f.seed("rev-1", tt.source)
			_, _, err := f.app.CreateRequest(f.ctx, biz, "rev-1", tt.message, nil)
			wantCode(t, err, tt.code)
			if _, ok := f.starts.last(app.MachineFindReviewer); ok {
				t.Error("a refused request started a workflow")
			}
		})
	}
	t.Run("over the hourly limit", func(t *testing.T) {
		f := newFixture(t, moderation.Policy{RequestsPerHour: 1})
		f.seed("rev-1", moderation.SourceOrganic)
		f.seed("rev-2", moderation.SourceOrganic)
		if _, _, err := f.app.CreateRequest(f.ctx, biz, "rev-1", askMessage, nil); err != nil {
			t.Fatal(err)
		}
		_, _, err := f.app.CreateRequest(f.ctx, biz, "rev-2", askMessage, nil)
		wantCode(t, err, moderation.CodeRateLimited)
	})
}

// TestRemindAfterExpiry: one manual reminder after the window closed
// without a reply reopens the request for a whole window (P11).
func TestRemindAfterExpiry(t *testing.T) {
	f := newFixture(t, moderation.Policy{})
	f.seed("rev-1", moderation.SourceOrganic)
	fr, _, err := f.app.CreateRequest(f.ctx, biz, "rev-1", askMessage, nil)
	if err != nil {
		t.Fatal(err)
	}
	_, _, err = f.app.Remind(f.ctx, biz, fr.ID, nil)
	wantCode(t, err, moderation.CodeReminderNotAllowed) // still awaiting a reply
	f.clock.Advance(moderation.DefaultPolicy.FindReviewerReplyWindow)
	if err := f.store.ExpireRequest(f.ctx, fr, f.clock.Now(), nil); err != nil {
		t.Fatal(err)
	}
	re, _, err := f.app.Remind(f.ctx, biz, fr.ID, nil)
	if err != nil {
		t.Fatal(err)
	}
	if re.Status != moderation.RequestAwaitingReply || !re.Deadline.Equal(f.clock.Now().Add(moderation.DefaultPolicy.FindReviewerReplyWindow)) {
		t.Errorf("reminded request is %s until %s, want awaiting_reply for a whole window", re.Status, re.Deadline)
	}
	if ws, ok := f.starts.last(app.MachineFindReviewer); !ok || ws.Name != "fr-"+fr.ID+"-1" {
		t.Errorf("the reminder's start is %+v, want fr-%s-1", ws, fr.ID)
	}
	_, _, err = f.app.Remind(f.ctx, biz, fr.ID, nil)
	wantCode(t, err, moderation.CodeReminderNotAllowed)
}
