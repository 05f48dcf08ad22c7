package store_test

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/candorhq/candor/shared/app"
	"github.com/candorhq/candor/shared/ids"
	"github.com/candorhq/candor/shared/links"
	"github.com/candorhq/candor/shared/moderation"
	"github.com/candorhq/candor/shared/sendonce"
	"github.com/candorhq/candor/shared/store"
)

func newRequest(r moderation.Review, at time.Time) app.RequestCreation {
	req := moderation.FindRequest{ID: ids.New("req"), BusinessID: r.BusinessID, ReviewID: r.ID, Message: "Could you tell us your order number, please?",
		Status: moderation.RequestAwaitingReply, Deadline: at.Add(120 * time.Hour), ReminderDueAt: at.Add(72 * time.Hour), CreatedAt: at, UpdatedAt: at}
	return app.RequestCreation{Request: req, ReviewVersion: r.Version, Actor: "business:biz-1:u1",
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
	// The first task keeps its token and clears the recorded start in one write.
	obj := app.ObjectKey{Kind: app.ObjectRequest, ID: c.Request.ID}
	if err := s.Step(ctx, app.Step{Object: obj, Status: string(moderation.RequestAwaitingReply), Round: 0, Token: "tok-1", StartDone: c.Start.Name, At: t0}); err != nil {
		t.Fatal(err)
	}
	if starts, _ := s.PendingStarts(ctx); len(starts) != 0 {
		t.Errorf("start not cleared: %+v", starts)
	}
	if tok, _ := s.RequestTaskToken(ctx, c.Request.ID); tok != "tok-1" {
		t.Errorf("task token = %q", tok)
	}
	if err := s.Step(ctx, app.Step{Object: obj, Status: string(moderation.RequestAwaitingReply), Round: 1, Token: "tok-2", At: t0}); !errors.Is(err, moderation.ErrChanged) {
		t.Errorf("a step in the wrong round: got %v, want ErrChanged", err)
	}
	// Expiry clears the open request; a reply can no longer win.
	if err := s.ExpireRequest(ctx, c.Request, t0.Add(120*time.Hour), nil); err != nil {
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
	if err := s.ExpireRequest(ctx, c.Request, t0.Add(121*time.Hour), nil); !errors.Is(err, moderation.ErrChanged) {
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
	if err := s.ExpireRequest(ctx, got, t0.Add(120*time.Hour), nil); !errors.Is(err, moderation.ErrChanged) {
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

func TestEmailClaimsRideInTheStepAndSendOnce(t *testing.T) {
	s, c, obj, read := seedRequestCase(t)
	ctx := context.Background()
	rc := read()
	if rc.Request.ID != c.Request.ID || rc.Review.Reviewer.Email != "ana@example.org" || rc.Business.Name != "Acme" || len(rc.Ledger) != 0 {
		t.Fatalf("case = %+v", rc)
	}
	step := func(claim *app.Claim, at time.Time) error {
		return s.Step(ctx, app.Step{Object: obj, Status: string(moderation.RequestAwaitingReply), Token: "tok", Claim: claim, At: at})
	}
	first := sendonce.Claim(rc.Ledger, "request:0", "a", t0)
	if sendonce.Check(rc.Ledger, "request:0", "a", t0) != sendonce.Send || step(first, t0) != nil {
		t.Fatal("first claim refused")
	}
	// A second attempt that read the ledger before the first claim loses.
	if err := step(sendonce.Claim(rc.Ledger, "request:0", "a", t0), t0); !errors.Is(err, moderation.ErrChanged) {
		t.Fatalf("a claim on a stale read: got %v, want ErrChanged", err)
	}
	rc = read()
	if sendonce.Check(rc.Ledger, "request:0", "b", t0.Add(time.Minute)) != sendonce.Busy {
		t.Error("another attempt may send within the lease")
	}
	if sendonce.Check(rc.Ledger, "request:0", "b", t0.Add(3*time.Minute)) != sendonce.Send {
		t.Error("not due after the lease: a crashed attempt would block the email forever")
	}
	if err := s.ReleaseEmail(ctx, obj, *first); err != nil {
		t.Fatal(err)
	}
	rc = read()
	if sendonce.Check(rc.Ledger, "request:0", "b", t0) != sendonce.Send {
		t.Error("not due after its claim was released")
	}
	again := sendonce.Claim(rc.Ledger, "request:0", "b", t0.Add(time.Second))
	if err := step(again, t0.Add(time.Second)); err != nil {
		t.Fatal(err)
	}
	if err := s.ReleaseEmail(ctx, obj, *first); !errors.Is(err, moderation.ErrChanged) {
		t.Errorf("releasing another attempt's claim: got %v, want ErrChanged", err)
	}
	if err := s.ConfirmEmail(ctx, obj, "request:0", "msg-1"); err != nil {
		t.Fatal(err)
	}
	rc = read()
	if sendonce.Check(rc.Ledger, "request:0", "c", t0.Add(time.Hour)) != sendonce.Sent || rc.Ledger["request:0"] != "sent:msg-1" {
		t.Errorf("ledger after sending = %v", rc.Ledger)
	}
	if sendonce.Check(rc.Ledger, "reminder:0", "c", t0.Add(time.Hour)) != sendonce.Send {
		t.Error("another email is not due")
	}
	// Every item is read in one call, and a missing one says which.
	if _, err := s.RequestCase(ctx, app.RequestIDs{RequestID: c.Request.ID, ReviewID: "rev-1", BusinessID: "nope"}); !errors.Is(err, moderation.ErrNotFound) {
		t.Errorf("case with a missing business: got %v, want ErrNotFound", err)
	}
}

func TestStallIsRecordedListedAndCleared(t *testing.T) {
	s, _ := newStore(t)
	ctx := context.Background()
	r := seedReview(t, s, "rev-1", moderation.SourceOrganic)
	c := newRequest(r, t0)
	if err := s.CreateRequest(ctx, c); err != nil {
		t.Fatal(err)
	}
	obj := app.ObjectKey{Kind: app.ObjectRequest, ID: c.Request.ID}
	st := app.Stall{State: "SendRequest", Error: "PermanentError", Redrive: 0, Execution: "fr-x-0", At: t0}
	if err := s.RecordStall(ctx, obj, st); err != nil {
		t.Fatal(err)
	}
	list, err := s.Stalled(ctx)
	if err != nil || len(list) != 1 || list[0].Object != obj || list[0].Stall.State != "SendRequest" || list[0].Stall.Execution != "fr-x-0" {
		t.Fatalf("stalled = %+v, %v", list, err)
	}
	if err := s.ClearStall(ctx, obj, "Expire", 1, t0.Add(time.Hour)); !errors.Is(err, moderation.ErrChanged) {
		t.Errorf("clearing another state's stall: got %v, want ErrChanged", err)
	}
	if err := s.ClearStall(ctx, obj, "SendRequest", 1, t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if list, _ := s.Stalled(ctx); len(list) != 0 {
		t.Errorf("stalled after clearing = %+v", list)
	}
	_, trail, _ := s.GetRequest(ctx, c.Request.ID)
	var actions []string
	for _, e := range trail {
		actions = append(actions, e.Action)
	}
	if !slices.Contains(actions, "workflow.stalled") || !slices.Contains(actions, "workflow.resumed") {
		t.Errorf("trail = %v, want the stall and the resume", actions)
	}
}

// TestSeveralEmailsAreClaimedAndRecordedInOneWriteEach: a task that sends
// two emails claims both in its step, each on its own condition, and
// records them in one write; a claim another attempt took over meanwhile is
// left alone while the sent email is still confirmed.
func TestSeveralEmailsAreClaimedAndRecordedInOneWriteEach(t *testing.T) {
	s, _, obj, read := seedRequestCase(t)
	ctx := context.Background()
	ledger := func() app.Ledger { return read().Ledger }
	a := sendonce.Claim(app.Ledger{}, "one", "a", t0)
	b := sendonce.Claim(app.Ledger{"two": "claimed:"}, "two", "a", t0)
	if err := s.Step(ctx, app.Step{Object: obj, Claim: a, MoreClaims: []*app.Claim{b}, At: t0}); !errors.Is(err, moderation.ErrChanged) {
		t.Fatalf("claims of which one is stale: %v, want ErrChanged and nothing written", err)
	}
	if l := ledger(); len(l) != 0 {
		t.Fatalf("ledger after a refused step = %v, want empty", l)
	}
	b = sendonce.Claim(app.Ledger{}, "two", "a", t0)
	if err := s.Step(ctx, app.Step{Object: obj, Claim: a, MoreClaims: []*app.Claim{b}, At: t0}); err != nil {
		t.Fatal(err)
	}
	if l := ledger(); l["one"] != a.Value || l["two"] != b.Value {
		t.Fatalf("ledger after the step = %v, want both claimed", l)
	}
	// Another attempt took the second email over after the lease.
	theirs := sendonce.Claim(ledger(), "two", "b", t0.Add(3*time.Minute))
	if err := s.Step(ctx, app.Step{Object: obj, Claim: theirs, At: t0.Add(3 * time.Minute)}); err != nil {
		t.Fatal(err)
	}
	if err := s.RecordEmails(ctx, obj, map[string]string{"one": "msg-1"}, []app.Claim{*b}); err != nil {
		t.Fatal(err)
	}
	if l := ledger(); l["one"] != "sent:msg-1" || l["two"] != theirs.Value {
		t.Errorf("ledger = %v, want one sent and two still the other attempt's", l)
	}
	if err := s.RecordEmails(ctx, obj, map[string]string{"two": "msg-2"}, nil); err != nil {
		t.Fatal(err)
	}
	if l := ledger(); l["one"] != "sent:msg-1" || l["two"] != "sent:msg-2" {
		t.Errorf("ledger = %v, want both sent", l)
	}
}

// seedRequestCase stores a review, its business and a Find Reviewer request
// on it, and returns the store, the request, its ledger's object and a read
// of its case.
func seedRequestCase(t *testing.T) (*store.Store, app.RequestCreation, app.ObjectKey, func() app.RequestCase) {
	t.Helper()
	s, _ := newStore(t)
	ctx := context.Background()
	r := seedReview(t, s, "rev-1", moderation.SourceOrganic)
	if _, _, err := s.PutBusiness(ctx, moderation.Business{ID: "biz-1", Name: "Acme", NotificationEmail: "ops@acme.example", Locale: "en", UpdatedAt: t0}); err != nil {
		t.Fatal(err)
	}
	c := newRequest(r, t0)
	if err := s.CreateRequest(ctx, c); err != nil {
		t.Fatal(err)
	}
	ids := app.RequestIDs{RequestID: c.Request.ID, ReviewID: r.ID, BusinessID: "biz-1"}
	read := func() app.RequestCase {
		t.Helper()
		rc, err := s.RequestCase(ctx, ids)
		if err != nil {
			t.Fatal(err)
		}
		return rc
	}
	return s, c, app.ObjectKey{Kind: app.ObjectRequest, ID: c.Request.ID}, read
}
