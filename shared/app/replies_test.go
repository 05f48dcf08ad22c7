package app_test

import (
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/candorhq/candor/shared/app"
	"github.com/candorhq/candor/shared/moderation"
	"github.com/candorhq/candor/shared/webhook"
)

// replyFixture is a fixture whose business has a webhook, own domains and
// a Swedish account, with one review by "Anna Lindqvist".
func replyFixture(t *testing.T) *fixture {
	t.Helper()
	f := newFixture(t, moderation.Policy{})
	f.app = app.New(app.Config{Store: f.store, Clock: f.clock, Starter: f.starts, Waker: f.wakes,
		Logger: slog.New(slog.DiscardHandler), ReplyEvents: webhook.ReplyEvents{}})
	f.seed("rev-1", moderation.SourceOrganic)
	if _, _, err := f.app.PutBusiness(f.ctx, "biz-1", moderation.BusinessInput{Name: "Shop biz-1", NotificationEmail: "biz-1@shop.example",
		Locale: "sv-SE", Domains: []string{"shop.example"}}); err != nil {
		t.Fatalf("put business: %v", err)
	}
	if _, _, err := f.app.PutReview(f.ctx, "rev-1", moderation.ReviewInput{BusinessID: "biz-1",
		Reviewer: moderation.Reviewer{Email: "ana@example.org", Name: "Anna Lindqvist"}, Stars: 1, Title: "Awful",
		Text: "They never delivered and the owner is a crook.", Source: moderation.SourceOrganic, ExperienceDate: "2026-10-01"}); err != nil {
		t.Fatalf("put review: %v", err)
	}
	if err := f.store.PutWebhook(f.ctx, webhook.Endpoint{ID: "wh-1", BusinessID: "biz-1", URL: "https://hooks.shop.example/candor",
		CreatedAt: t0}, true, nil); err != nil {
		t.Fatalf("register webhook: %v", err)
	}
	return f
}

func (f *fixture) reply() moderation.Reply {
	f.t.Helper()
	rc, err := f.app.OwnReview(f.ctx, biz, "rev-1")
	if err != nil {
		f.t.Fatalf("own review: %v", err)
	}
	return rc.Review.Reply
}

func (f *fixture) events(typ string) int {
	f.t.Helper()
	evs, err := f.store.PendingEvents(f.ctx, 100)
	if err != nil {
		f.t.Fatalf("pending events: %v", err)
	}
	n := 0
	for _, e := range evs {
		if e.Type == typ {
			n++
			if strings.Contains(e.Payload, "Thank") || strings.Contains(e.Payload, "ana@") {
				f.t.Errorf("event %s carries the reply's text or the reviewer: %s", typ, e.Payload)
			}
		}
	}
	return n
}

func TestPutReplyCreatesReplacesAndKeepsVersions(t *testing.T) {
	f := replyFixture(t)
	rev, created, err := f.app.PutReply(f.ctx, biz, "rev-1", "  Thank you, we are sorry. See https://shop.example/help or https://other.example  ", "")
	if err != nil || !created {
		t.Fatalf("first reply: created %v, %v", created, err)
	}
	want := "Thank you, we are sorry. See https://shop.example/help or hxxps://other[.]example"
	if rev.Reply.Text != want || rev.Reply.Revision != 1 {
		t.Fatalf("reply = %+v, want text %q at revision 1", rev.Reply, want)
	}
	if got := f.reply(); got.Text != want || !got.CreatedAt.Equal(t0) {
		t.Fatalf("stored reply = %+v", got)
	}

	f.clock.Advance(time.Minute)
	rev, created, err = f.app.PutReply(f.ctx, biz, "rev-1", "Thank you, fixed now.", rev.Reply.ETag())
	if err != nil || created {
		t.Fatalf("replacement: created %v, %v", created, err)
	}
	if rev.Reply.Revision != 2 || !rev.Reply.CreatedAt.Equal(t0) || !rev.Reply.UpdatedAt.Equal(t0.Add(time.Minute)) {
		t.Errorf("replaced reply = %+v", rev.Reply)
	}
	_, _, err = f.app.PutReply(f.ctx, biz, "rev-1", "Lost update", `"r1"`)
	if moderation.KindOf(err) != moderation.KindPrecondition {
		t.Fatalf("stale If-Match: %v, want a precondition failure", err)
	}
	if got := f.reply(); got.Text != "Thank you, fixed now." {
		t.Errorf("a refused update changed the reply to %q", got.Text)
	}

	vs, err := f.store.ReplyVersions(f.ctx, "rev-1")
	if err != nil || len(vs) != 2 || vs[0].Text != want || vs[1].Text != "Thank you, fixed now." || !strings.HasPrefix(vs[1].By, "business:biz-1") {
		t.Fatalf("versions = %+v, %v", vs, err)
	}
	trail, err := f.store.ReviewAudit(f.ctx, "rev-1")
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, e := range trail {
		if strings.HasPrefix(e.Action, "reply.") {
			actions = append(actions, e.Action)
		}
	}
	if strings.Join(actions, ",") != "reply.published,reply.updated" {
		t.Errorf("audit = %v", actions)
	}
	if f.events(webhook.TypeReplyPublished) != 1 || f.events(webhook.TypeReplyUpdated) != 1 {
		t.Errorf("want one reply.published and one reply.updated")
	}

	if err := f.app.DeleteReply(f.ctx, biz, "rev-1", `"r2"`); err != nil {
		t.Fatalf("delete: %v", err)
	}
	if got := f.reply(); got.Exists() || got.Text != "" {
		t.Errorf("after delete the reply is %+v", got)
	}
	if f.events(webhook.TypeReplyRemoved) != 1 {
		t.Errorf("want one reply.removed")
	}
	if err := f.app.DeleteReply(f.ctx, biz, "rev-1", ""); moderation.KindOf(err) != moderation.KindNotFound {
		t.Errorf("second delete: %v, want not found", err)
	}
}

func TestPutReplyRefusals(t *testing.T) {
	f := replyFixture(t)
	tests := []struct {
		name, text, code, want string
	}{
		{"email, in the business's language", "Skriv till oss på hej@shop.example", moderation.CodeReplyPersonalData, "e-postadressen"},
		{"reviewer's name", "Tack Anna Lindqvist!", moderation.CodeReplyPersonalData, "namn"},
		{"edit request", "Please update your review.", moderation.CodeReplyEditRequest, "ändras"},
		{"empty", "   ", moderation.CodeValidationFailed, "required"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := f.app.PutReply(f.ctx, biz, "rev-1", tt.text, "")
			e, ok := moderation.AsError(err)
			if !ok || e.Code != tt.code || !strings.Contains(e.Fields["text"], tt.want) {
				t.Fatalf("PutReply(%q) = %v, want %s on text naming %q", tt.text, err, tt.code, tt.want)
			}
			if f.reply().Revision != 0 {
				t.Fatalf("a refused reply was written")
			}
		})
	}
	if _, _, err := f.app.PutReply(f.ctx, other, "rev-1", "Thank you", ""); moderation.KindOf(err) != moderation.KindNotFound {
		t.Errorf("another business: %v, want not found", err)
	}
	if _, _, err := f.app.PutReply(f.ctx, biz, "rev-1", "Thank you", `"r1"`); moderation.KindOf(err) != moderation.KindPrecondition {
		t.Errorf("If-Match without a reply: %v, want a precondition failure", err)
	}
}

func TestReplyHiddenWhileReviewNotPublic(t *testing.T) {
	f := replyFixture(t)
	if _, _, err := f.app.PutReply(f.ctx, biz, "rev-1", "Thank you for telling us.", ""); err != nil {
		t.Fatal(err)
	}
	pub, err := f.app.Public(f.ctx, "rev-1")
	if err != nil || !moderation.ReplyShown(pub.Review) {
		t.Fatalf("published review: reply shown %v, %v", moderation.ReplyShown(pub.Review), err)
	}
	f.report("rev-1", harmful)
	pub, err = f.app.Public(f.ctx, "rev-1")
	if err != nil || moderation.ReplyShown(pub.Review) {
		t.Fatalf("review under investigation: reply shown %v, %v", moderation.ReplyShown(pub.Review), err)
	}
	if !f.reply().Exists() {
		t.Errorf("the reply was lost while the review is hidden")
	}
}
