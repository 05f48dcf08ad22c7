package app_test

import (
	"context"
	"encoding/json"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/candorhq/candor/infra/local/dynamotest"
	"github.com/candorhq/candor/shared/app"
	"github.com/candorhq/candor/shared/clock"
	"github.com/candorhq/candor/shared/moderation"
	"github.com/candorhq/candor/shared/store"
)

// The use cases run here on the embedded DynamoDB through the real store
// adapter, with hand-written fakes for the workflow ports and a clock that
// moves only when a test moves it.

var t0 = time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)

// starts records the workflows the use cases start.
type starts struct {
	mu   sync.Mutex
	list []app.WorkflowStart
}

func (s *starts) Start(_ context.Context, w app.WorkflowStart) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.list = append(s.list, w)
	return nil
}

// last is the latest start of machine (ok false when none).
func (s *starts) last(machine string) (app.WorkflowStart, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := len(s.list) - 1; i >= 0; i-- {
		if s.list[i].Machine == machine {
			return s.list[i], true
		}
	}
	return app.WorkflowStart{}, false
}

// wakes records the answers given to waiting workflow tasks; a token in
// closed is a task that no longer waits.
type wakes struct {
	mu     sync.Mutex
	byTok  map[string][]string // token → the JSON outputs it was answered with
	closed map[string]bool
}

func (w *wakes) Succeed(_ context.Context, token string, output any) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed[token] {
		return app.ErrTaskClosed
	}
	b, err := json.Marshal(output)
	if err != nil {
		return err
	}
	w.byTok[token] = append(w.byTok[token], string(b))
	return nil
}

// of returns the outputs token was answered with.
func (w *wakes) of(token string) []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]string(nil), w.byTok[token]...)
}

type fixture struct {
	t      *testing.T
	ctx    context.Context
	app    *app.App
	store  *store.Store
	clock  *clock.Manual
	starts *starts
	wakes  *wakes
}

// newFixture wires the use cases with policy on a fresh table.
func newFixture(t *testing.T, policy moderation.Policy) *fixture {
	t.Helper()
	endpoint, name := dynamotest.Table(t, "candor-app-test")
	db := dynamotest.Client(endpoint)
	if _, err := db.CreateTable(context.Background(), store.TableDefinition(name)); err != nil {
		t.Fatalf("create table: %v", err)
	}
	f := &fixture{t: t, ctx: context.Background(), store: store.New(db, name), clock: clock.NewManual(t0),
		starts: &starts{}, wakes: &wakes{byTok: map[string][]string{}, closed: map[string]bool{}}}
	f.app = app.New(app.Config{Store: f.store, Clock: f.clock, Policy: policy, Starter: f.starts, Waker: f.wakes,
		Logger: slog.New(slog.DiscardHandler)})
	return f
}

var (
	biz   = app.Actor{Subject: "u1", Role: app.RoleBusiness, BusinessID: "biz-1"}
	other = app.Actor{Subject: "u2", Role: app.RoleBusiness, BusinessID: "biz-2"}
	ada   = app.Actor{Subject: "ada", Role: app.RoleCompliance}
	bob   = app.Actor{Subject: "bob", Role: app.RoleCompliance}
)

// seed registers both businesses and one review of biz-1 with source src,
// through the platform's use cases.
func (f *fixture) seed(reviewID string, src moderation.Source) moderation.Review {
	f.t.Helper()
	for _, id := range []string{"biz-1", "biz-2"} {
		if _, _, err := f.app.PutBusiness(f.ctx, id, moderation.BusinessInput{Name: "Shop " + id, NotificationEmail: id + "@shop.example"}); err != nil {
			f.t.Fatalf("put business %s: %v", id, err)
		}
	}
	r, created, err := f.app.PutReview(f.ctx, reviewID, moderation.ReviewInput{BusinessID: "biz-1",
		Reviewer: moderation.Reviewer{Email: "ana@example.org", Name: "Ana"}, Stars: 1, Title: "Awful",
		Text: "They never delivered and the owner is a crook.", Source: src, ExperienceDate: "2026-10-01"})
	if err != nil || !created {
		f.t.Fatalf("put review: created %v, %v", created, err)
	}
	return r
}

// harmful is a draft of one offensive_or_harmful item quoting the review.
var harmful = moderation.ReportDraft{PublicStatement: "We never had this customer.", Items: []moderation.ReportItem{{
	Scope: moderation.ScopeContent, Reason: moderation.ReasonOffensiveOrHarmful, Details: "Calls the owner a crook without any basis.", Excerpt: "crook"}}}

// spam is a draft of one spam item.
var spam = moderation.ReportDraft{PublicStatement: "We never had this customer.", Items: []moderation.ReportItem{{
	Scope: moderation.ScopeReview, Reason: moderation.ReasonSpam, Details: "The same text was posted on ten other shops."}}}

// report files draft on reviewID as biz and fails the test on a refusal.
func (f *fixture) report(reviewID string, draft moderation.ReportDraft) moderation.Report {
	f.t.Helper()
	r, _, err := f.app.SubmitReport(f.ctx, biz, reviewID, draft, nil)
	if err != nil {
		f.t.Fatalf("submit report: %v", err)
	}
	return r
}

// visibility is the review's visibility as its business sees it.
func (f *fixture) visibility(reviewID string) moderation.Visibility {
	f.t.Helper()
	rc, err := f.app.OwnReview(f.ctx, biz, reviewID)
	if err != nil {
		f.t.Fatalf("own review: %v", err)
	}
	return rc.Review.Visibility
}

// getReport is the report as its business sees it.
func (f *fixture) getReport(id string) moderation.Report {
	f.t.Helper()
	r, _, err := f.app.GetReport(f.ctx, biz, id)
	if err != nil {
		f.t.Fatalf("get report: %v", err)
	}
	return r
}

// ticket is the ticket as compliance sees it.
func (f *fixture) ticket(id string) moderation.Ticket {
	f.t.Helper()
	c, err := f.app.Ticket(f.ctx, id)
	if err != nil {
		f.t.Fatalf("ticket: %v", err)
	}
	return c.Ticket
}

// claimed claims the report's ticket as agent and keeps the queue task's
// token "tok-<ticket>" with it, as the workflow's queue task does.
func (f *fixture) claimed(r moderation.Report, agent app.Actor) {
	f.t.Helper()
	if err := f.store.SetTicketTaskToken(f.ctx, r.TicketID, "tok-"+r.TicketID, f.clock.Now()); err != nil {
		f.t.Fatalf("ticket token: %v", err)
	}
	if _, err := f.app.Claim(f.ctx, agent, r.TicketID, nil); err != nil {
		f.t.Fatalf("claim: %v", err)
	}
}

// decide makes agent's decision on r's ticket.
func (f *fixture) decide(r moderation.Report, agent app.Actor, d moderation.Decision) error {
	f.t.Helper()
	_, _, err := f.app.Decide(f.ctx, agent, r.TicketID, d, nil)
	return err
}

// told records that the party the report's outcome went against was told
// now, as the workflow's notification does: its appeal window opens.
func (f *fixture) told(reportID string) time.Time {
	f.t.Helper()
	by := f.clock.Now().Add(f.app.Policy().AppealWindow)
	if err := f.store.Step(f.ctx, app.Step{Object: app.ObjectKey{Kind: app.ObjectReport, ID: reportID}, AppealDeadline: by, At: f.clock.Now()}); err != nil {
		f.t.Fatalf("tell: %v", err)
	}
	return by
}

// wantCode fails the test unless err is a domain error with code.
func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if !moderation.IsCode(err, code) {
		t.Fatalf("got error %v, want code %s", err, code)
	}
}

// note is an agent's note long enough for every decision.
const note = "Checked the order history and the review text."
