package store_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/candorhq/candor/shared/app"
	"github.com/candorhq/candor/shared/ids"
	"github.com/candorhq/candor/shared/links"
	"github.com/candorhq/candor/shared/moderation"
)

func newRequest(r moderation.Review, at time.Time) app.RequestCreation {
	req := moderation.FindRequest{ID: ids.New("req"), BusinessID: r.BusinessID, ReviewID: r.ID, Message: "Could you tell us your order number, please?",
		Status: moderation.RequestAwaitingReply, Deadline: at.Add(120 * time.Hour), ReminderDueAt: at.Add(72 * time.Hour), CreatedAt: at, UpdatedAt: at}
	return app.RequestCreation{Request: req, Actor: "business:biz-1:u1",
		Start: app.WorkflowStart{Machine: "find-reviewer", Name: "fr-" + req.ID + "-0", Input: `{"requestId":"` + req.ID + `","round":0}`, At: at}}
}

func TestRequestLifecycle(t *testing.T) {
	s, _ := newStore(t)
	ctx := context.Background()
	r := seedReview(t, s, "rev-1", moderation.SourceOrganic)
	c := newRequest(r, t0)
	if err := s.CreateRequest(ctx, c); err != nil {
		t.Fatal(err)
	}
	if err := s.CreateRequest(ctx, newRequest(r, t0)); !errors.Is(err, moderation.ErrChanged) {
		t.Fatalf("second open request: got %v, want ErrConflict", err)
	}
	rc, _ := s.ReviewContext(ctx, r.ID)
	if rc.Review.OpenRequestID != c.Request.ID || len(rc.Requests) != 1 || rc.Requests[0].Status != moderation.RequestAwaitingReply {
		t.Fatalf("context = %+v", rc)
	}
	starts, err := s.PendingStarts(ctx)
	if err != nil || len(starts) != 1 || starts[0].Name != c.Start.Name {
		t.Fatalf("pending starts = %+v, %v", starts, err)
	}
	if err := s.StartDone(ctx, c.Start.Name); err != nil {
		t.Fatal(err)
	}
	if starts, _ := s.PendingStarts(ctx); len(starts) != 0 {
		t.Errorf("start not cleared: %+v", starts)
	}
	if err := s.SetRequestTaskToken(ctx, c.Request.ID, 0, "tok-1", t0); err != nil {
		t.Fatal(err)
	}
	if tok, _ := s.RequestTaskToken(ctx, c.Request.ID); tok != "tok-1" {
		t.Errorf("task token = %q", tok)
	}
	// Expiry clears the open request; a reply can no longer win.
	if err := s.ExpireRequest(ctx, c.Request, t0.Add(120*time.Hour)); err != nil {
		t.Fatal(err)
	}
	got, trail, _ := s.GetRequest(ctx, c.Request.ID)
	if got.Status != moderation.RequestExpired || got.ExpiredAt.IsZero() || len(trail) != 2 {
		t.Errorf("expired request = %+v, trail %+v", got, trail)
	}
	if tok, _ := s.RequestTaskToken(ctx, c.Request.ID); tok != "" {
		t.Errorf("task token kept after expiry: %q", tok)
	}
	rc, _ = s.ReviewContext(ctx, r.ID)
	if rc.Review.OpenRequestID != "" || rc.Requests[0].Status != moderation.RequestExpired {
		t.Errorf("context after expiry = %+v", rc)
	}
	if err := s.ExpireRequest(ctx, c.Request, t0.Add(121*time.Hour)); !errors.Is(err, moderation.ErrChanged) {
		t.Errorf("expire twice: %v", err)
	}
	// The manual reminder reopens it once.
	re := app.RequestReopening{Request: got, Deadline: t0.Add(250 * time.Hour), Actor: "business:biz-1:u1", At: t0.Add(130 * time.Hour),
		Start: app.WorkflowStart{Machine: "find-reviewer", Name: "fr-" + got.ID + "-1", Input: "{}", At: t0.Add(130 * time.Hour)}}
	if err := s.ReopenRequest(ctx, re); err != nil {
		t.Fatal(err)
	}
	if err := s.ReopenRequest(ctx, re); !errors.Is(err, moderation.ErrChanged) {
		t.Errorf("reopen twice: %v", err)
	}
	got, _, _ = s.GetRequest(ctx, c.Request.ID)
	if got.Status != moderation.RequestAwaitingReply || got.Round != 1 || !got.ManualReminderUsed || !got.Deadline.Equal(re.Deadline) {
		t.Errorf("reopened = %+v", got)
	}
}

func TestReplyIsRecordedExactlyOnce(t *testing.T) {
	s, _ := newStore(t)
	ctx := context.Background()
	r := seedReview(t, s, "rev-1", moderation.SourceOrganic)
	c := newRequest(r, t0)
	if err := s.CreateRequest(ctx, c); err != nil {
		t.Fatal(err)
	}
	var hashes []string
	for range 2 { // two links to the same request (the request email and the reminder)
		_, h, _ := links.New()
		if err := s.CreateLink(ctx, app.Link{Hash: h, Purpose: links.PurposeFindReviewerReply, ObjectID: c.Request.ID, Deadline: c.Request.Deadline, Created: t0}); err != nil {
			t.Fatal(err)
		}
		hashes = append(hashes, h)
	}
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = s.SubmitReply(ctx, app.ReplySubmission{TokenHash: hashes[i%2], Request: c.Request, Reply: "Order 4711", At: t0.Add(24 * time.Hour)})
		}()
	}
	wg.Wait()
	ok := 0
	for _, err := range errs {
		if err == nil {
			ok++
		} else if !errors.Is(err, moderation.ErrChanged) {
			t.Errorf("losing reply: %v", err)
		}
	}
	if ok != 1 {
		t.Fatalf("%d replies recorded, want 1", ok)
	}
	got, _, _ := s.GetRequest(ctx, c.Request.ID)
	if got.Status != moderation.RequestReplied || got.Reply != "Order 4711" {
		t.Errorf("request = %+v", got)
	}
	if err := s.ExpireRequest(ctx, got, t0.Add(120*time.Hour)); !errors.Is(err, moderation.ErrChanged) {
		t.Errorf("expiring a replied request: %v", err)
	}
	// A reply after the link's window is refused.
	r2 := seedReview(t, s, "rev-2", moderation.SourceOrganic)
	c2 := newRequest(r2, t0)
	s.CreateRequest(ctx, c2)
	_, h, _ := links.New()
	s.CreateLink(ctx, app.Link{Hash: h, Purpose: links.PurposeFindReviewerReply, ObjectID: c2.Request.ID, Deadline: c2.Request.Deadline, Created: t0})
	if err := s.SubmitReply(ctx, app.ReplySubmission{TokenHash: h, Request: c2.Request, Reply: "late", At: t0.Add(121 * time.Hour)}); !errors.Is(err, moderation.ErrChanged) {
		t.Errorf("late reply: %v", err)
	}
	l, err := s.GetLink(ctx, h)
	if err != nil || !l.UsedAt.IsZero() || l.ObjectID != c2.Request.ID {
		t.Errorf("link after refused reply = %+v, %v", l, err)
	}
}

func TestEmailClaimsMakeSendingIdempotent(t *testing.T) {
	s, _ := newStore(t)
	ctx := context.Background()
	r := seedReview(t, s, "rev-1", moderation.SourceOrganic)
	c := newRequest(r, t0)
	s.CreateRequest(ctx, c)
	pk, sk := s.RequestKey(c.Request.ID)
	lease := 2 * time.Minute
	step := func(name string, got bool, err error, want bool) {
		t.Helper()
		if err != nil || got != want {
			t.Fatalf("%s: claim = %v, %v; want %v", name, got, err, want)
		}
	}
	ok, err := s.ClaimEmail(ctx, pk, sk, "request:0", t0, lease)
	step("first claim", ok, err, true)
	ok, err = s.ClaimEmail(ctx, pk, sk, "request:0", t0.Add(time.Minute), lease)
	step("claim within the lease", ok, err, false)
	ok, err = s.ClaimEmail(ctx, pk, sk, "request:0", t0.Add(3*time.Minute), lease)
	step("claim after the lease", ok, err, true)
	if err := s.ReleaseEmail(ctx, pk, sk, "request:0"); err != nil {
		t.Fatal(err)
	}
	ok, err = s.ClaimEmail(ctx, pk, sk, "request:0", t0.Add(3*time.Minute), lease)
	step("claim after release", ok, err, true)
	if err := s.ConfirmEmail(ctx, pk, sk, "request:0", "msg-1"); err != nil {
		t.Fatal(err)
	}
	ok, err = s.ClaimEmail(ctx, pk, sk, "request:0", t0.Add(time.Hour), lease)
	step("claim after sent", ok, err, false)
	ok, err = s.ClaimEmail(ctx, pk, sk, "reminder:0", t0.Add(time.Hour), lease)
	step("another email", ok, err, true)
	// A missing item is never claimed (DynamoDB says false; minidyn errs on the
	// second condition, which is fine: the item always exists in use).
	if ok, _ := s.ClaimEmail(ctx, "REQ#nope", sk, "request:0", t0, lease); ok {
		t.Error("claimed an email on a missing item")
	}
}
