package store_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/candorhq/candor/infra/local/dynamotest"
	"github.com/candorhq/candor/shared/app"
	"github.com/candorhq/candor/shared/ids"
	"github.com/candorhq/candor/shared/moderation"
	"github.com/candorhq/candor/shared/store"
)

const table = "candor-test"

var t0 = time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)

// tableOf names the table of each client newStore returned.
var tableOf sync.Map // *dynamodb.Client -> string

// newStore returns a store on a fresh table, reached through the real SDK
// client over HTTP: a minidyn server of its own, or a table of its own on
// moto (CANDOR_DYNAMODB, see infra/local/dynamotest).
func newStore(t *testing.T) (*store.Store, *dynamodb.Client) {
	t.Helper()
	endpoint, name := dynamotest.Table(t, table)
	db := dynamotest.Client(endpoint)
	if _, err := db.CreateTable(context.Background(), store.TableDefinition(name)); err != nil {
		t.Fatalf("create table: %v", err)
	}
	tableOf.Store(db, name)
	return store.New(db, name), db
}

func seedReview(t *testing.T, s *store.Store, id string, src moderation.Source) moderation.Review {
	t.Helper()
	r := moderation.Review{
		ID: id, BusinessID: "biz-1", Version: 1, Reviewer: moderation.Reviewer{Email: "ana@example.org", Name: "Ana", Locale: "sv"},
		Stars: 1, Title: "Awful", Text: "They never delivered and the owner is a crook.", Source: src,
		ExperienceDate: "2026-10-01", Visibility: moderation.Published, CreatedAt: t0, UpdatedAt: t0,
	}
	v := moderation.ReviewVersion{Version: 1, Stars: r.Stars, Title: r.Title, Text: r.Text, ExperienceDate: r.ExperienceDate, At: t0, By: "platform"}
	if err := s.CreateReview(context.Background(), r, v, "platform"); err != nil {
		t.Fatalf("create review: %v", err)
	}
	return r
}

func submission(r moderation.Review, hide bool) app.ReportFiling {
	rep := moderation.Report{
		ID: ids.New("rpt"), BusinessID: r.BusinessID, ReviewID: r.ID, ReviewVersion: r.Version, ReviewStars: r.Stars,
		Status: moderation.ReportInQueue, PublicStatement: "We never had this customer.", HidesReview: hide,
		Items:     []moderation.ReportItem{{Scope: moderation.ScopeContent, Reason: moderation.ReasonOffensiveOrHarmful, Details: "Calls the owner a crook without any basis.", Excerpt: "crook"}},
		CreatedAt: t0.Add(time.Hour), UpdatedAt: t0.Add(time.Hour),
	}
	tk := moderation.Ticket{ID: ids.New("tkt"), ReportID: rep.ID, BusinessID: r.BusinessID, ReviewID: r.ID, Status: moderation.TicketOpen,
		QueuedAt: rep.CreatedAt, CreatedAt: rep.CreatedAt, UpdatedAt: rep.CreatedAt}
	rep.TicketID = tk.ID
	return app.ReportFiling{Report: rep, Ticket: tk, Actor: "business:biz-1"}
}

func TestSubmitReportHidesReviewAndOpensTicketAtomically(t *testing.T) {
	s, _ := newStore(t)
	ctx := context.Background()
	r := seedReview(t, s, "rev-1", moderation.SourceOrganic)
	sub := submission(r, true)
	if err := s.SubmitReport(ctx, sub); err != nil {
		t.Fatalf("submit: %v", err)
	}
	got, err := s.GetReview(ctx, r.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Visibility != moderation.UnderInvestigation || got.OpenReportID != sub.Report.ID || got.LastReportedVersion != 1 || got.PublicStatement != sub.Report.PublicStatement {
		t.Errorf("review after report = %+v, want hidden with open report %s", got, sub.Report.ID)
	}
	rep, trail, err := s.GetReport(ctx, sub.Report.ID)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Status != moderation.ReportInQueue || rep.TicketID != sub.Ticket.ID || len(rep.Items) != 1 || rep.Items[0].Excerpt != "crook" {
		t.Errorf("report = %+v", rep)
	}
	if len(trail) != 1 || trail[0].Action != "report.submitted" {
		t.Errorf("report trail = %+v, want one report.submitted", trail)
	}
	tk, err := s.GetTicket(ctx, sub.Ticket.ID)
	if err != nil || tk.Status != moderation.TicketOpen || tk.ReportID != rep.ID {
		t.Errorf("ticket = %+v, %v", tk, err)
	}
}

func TestSubmitReportWithoutHidingKeepsReviewPublished(t *testing.T) {
	s, _ := newStore(t)
	ctx := context.Background()
	r := seedReview(t, s, "rev-1", moderation.SourceOrganic)
	if err := s.SubmitReport(ctx, submission(r, false)); err != nil {
		t.Fatal(err)
	}
	got, _ := s.GetReview(ctx, r.ID)
	if got.Visibility != moderation.Published || got.OpenReportID == "" {
		t.Errorf("review = %+v, want published with an open report", got)
	}
}

func TestConcurrentReportsOnOneVersionStoreExactlyOne(t *testing.T) {
	s, db := newStore(t)
	ctx := context.Background()
	r := seedReview(t, s, "rev-1", moderation.SourceOrganic)
	const n = 8
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = s.SubmitReport(ctx, submission(r, true))
		}()
	}
	wg.Wait()
	ok := 0
	for _, err := range errs {
		switch {
		case err == nil:
			ok++
		case !errors.Is(err, moderation.ErrChanged):
			t.Errorf("losing submission: got %v, want ErrConflict", err)
		}
	}
	if ok != 1 {
		t.Fatalf("%d submissions succeeded, want exactly 1", ok)
	}
	if got := countItems(t, db, "report"); got != 1 {
		t.Errorf("%d report items in the table, want 1", got)
	}
	if got := countItems(t, db, "ticket"); got != 1 {
		t.Errorf("%d ticket items in the table, want 1", got)
	}
}

func TestSubmitReportRefusedByStateWritesNothing(t *testing.T) {
	cases := []struct {
		name  string
		setup func(*testing.T, *store.Store, moderation.Review) moderation.Review
	}{
		{"already reported at this version", func(t *testing.T, s *store.Store, r moderation.Review) moderation.Review {
			if err := s.SubmitReport(context.Background(), submission(r, true)); err != nil {
				t.Fatal(err)
			}
			return r
		}},
		{"stale version", func(t *testing.T, s *store.Store, r moderation.Review) moderation.Review {
			r2 := r
			r2.Version, r2.Text, r2.UpdatedAt = 2, "Edited text.", t0.Add(time.Minute)
			v := moderation.ReviewVersion{Version: 2, Stars: r2.Stars, Title: r2.Title, Text: r2.Text, At: r2.UpdatedAt, By: "reviewer"}
			if err := s.UpdateReview(context.Background(), r2, 1, 1, &v, "platform"); err != nil {
				t.Fatal(err)
			}
			return r // the report still names version 1
		}},
		{"another business", func(t *testing.T, s *store.Store, r moderation.Review) moderation.Review {
			r.BusinessID = "biz-2"
			return r
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s, db := newStore(t)
			r := tc.setup(t, s, seedReview(t, s, "rev-1", moderation.SourceOrganic))
			before := countItems(t, db, "")
			err := s.SubmitReport(context.Background(), submission(r, true))
			if !errors.Is(err, moderation.ErrChanged) {
				t.Fatalf("got %v, want ErrConflict", err)
			}
			if after := countItems(t, db, ""); after != before {
				t.Errorf("table has %d items after a refused report, want %d", after, before)
			}
		})
	}
}

func TestIdempotencyKeyIsWrittenWithTheChangeAndCompletedOnce(t *testing.T) {
	s, _ := newStore(t)
	ctx := context.Background()
	r := seedReview(t, s, "rev-1", moderation.SourceOrganic)
	rec := app.Idempotency{Scope: "business:biz-1:u1", Key: "k-1", RequestHash: "h1", Resource: "rpt_x", CreatedAt: t0, ExpiresAt: t0.Add(24 * time.Hour)}
	sub := submission(r, true)
	sub.Idempotency = &rec
	if err := s.SubmitReport(ctx, sub); err != nil {
		t.Fatal(err)
	}
	got, ok, err := s.LookupIdempotency(ctx, rec.Scope, rec.Key, t0)
	if err != nil || !ok || got.RequestHash != "h1" || got.Resource != "rpt_x" || got.Status != 0 || got.Body != nil {
		t.Fatalf("lookup after the write = %+v, %v, %v; want the record without a response", got, ok, err)
	}
	// The same key again cancels the whole transaction: nothing is written twice.
	r2 := seedReview(t, s, "rev-2", moderation.SourceOrganic)
	again := submission(r2, true)
	again.Idempotency = &rec
	if err := s.SubmitReport(ctx, again); !errors.Is(err, moderation.ErrChanged) {
		t.Fatalf("second write with the key: got %v, want ErrChanged", err)
	}
	if rc, _ := s.ReviewContext(ctx, r2.ID); rc.Review.OpenReportID != "" {
		t.Fatalf("the cancelled write reported rev-2: %+v", rc.Review)
	}
	if err := s.CompleteIdempotency(ctx, rec, 202, []byte(`{"id":"x"}`)); err != nil {
		t.Fatal(err)
	}
	if err := s.CompleteIdempotency(ctx, rec, 202, []byte(`{"id":"y"}`)); !errors.Is(err, moderation.ErrChanged) {
		t.Errorf("second completion: got %v, want ErrChanged (the first response stays)", err)
	}
	other := rec
	other.Key = "k-2"
	if err := s.CompleteIdempotency(ctx, other, 202, []byte(`{}`)); !errors.Is(err, moderation.ErrChanged) {
		t.Errorf("completing a key no write recorded: got %v, want ErrChanged", err)
	}
	got, ok, _ = s.LookupIdempotency(ctx, rec.Scope, rec.Key, t0.Add(time.Hour))
	if !ok || got.Status != 202 || string(got.Body) != `{"id":"x"}` {
		t.Errorf("lookup after completion = %+v, %v", got, ok)
	}
	if _, ok, err := s.LookupIdempotency(ctx, rec.Scope, rec.Key, t0.Add(25*time.Hour)); ok || err != nil {
		t.Errorf("lookup after expiry: %v, %v; want no record", ok, err)
	}
}

func TestReportStatsFollowEveryTransaction(t *testing.T) {
	s, _ := newStore(t)
	ctx := context.Background()
	empty, err := s.ReportStats(ctx, "biz-1")
	if err != nil || empty.Total != 0 || len(empty.ByStatus) != 0 {
		t.Fatalf("stats of a business that never reported = %+v, %v", empty, err)
	}
	r1 := seedReview(t, s, "rev-1", moderation.SourceOrganic)
	r2 := seedReview(t, s, "rev-2", moderation.SourceOrganic)
	a, b := submission(r1, true), submission(r2, true)
	b.Report.Items = append(b.Report.Items, moderation.ReportItem{Scope: moderation.ScopeReview, Reason: moderation.ReasonSpam, Details: "The same text on three other shops."})
	for _, f := range []app.ReportFiling{a, b} {
		if err := s.SubmitReport(ctx, f); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.CloseReport(ctx, app.Closure{Report: a.Report, Ticket: a.Ticket, Actor: "agent:ada", At: t0.Add(time.Hour),
		Consequence: moderation.Closing(moderation.OutcomeRemoved, moderation.GroundGuidelineViolation, a.Report.Reasons(), false, moderation.DefaultPolicy, t0.Add(time.Hour))}); err != nil {
		t.Fatal(err)
	}
	st, err := s.ReportStats(ctx, "biz-1")
	if err != nil {
		t.Fatal(err)
	}
	want := app.ReportStats{Total: 2,
		ByStatus:  map[moderation.ReportStatus]int{moderation.ReportInQueue: 1, moderation.ReportClosed: 1},
		ByOutcome: map[moderation.Outcome]int{moderation.OutcomeRemoved: 1},
		ByReason:  map[moderation.Reason]int{moderation.ReasonOffensiveOrHarmful: 2, moderation.ReasonSpam: 1},
		ByStars:   map[int]int{1: 2}}
	if fmt.Sprint(st) != fmt.Sprint(want) {
		t.Errorf("stats = %+v\nwant    %+v", st, want)
	}
}

func TestReviewContextReadsReviewAndRequestsInOneQuery(t *testing.T) {
	s, _ := newStore(t)
	ctx := context.Background()
	r := seedReview(t, s, "rev-1", moderation.SourceOrganic)
	r2 := r
	r2.Version, r2.Text, r2.UpdatedAt = 2, "Second version.", t0.Add(time.Hour)
	v := moderation.ReviewVersion{Version: 2, Stars: 1, Text: r2.Text, At: r2.UpdatedAt, By: "reviewer"}
	if err := s.UpdateReview(ctx, r2, 1, 1, &v, "platform"); err != nil {
		t.Fatal(err)
	}
	rc, err := s.ReviewContext(ctx, r.ID)
	if err != nil {
		t.Fatal(err)
	}
	if rc.Review.Version != 2 || rc.Review.Text != "Second version." || len(rc.Requests) != 0 {
		t.Errorf("context = %+v", rc)
	}
	vs, err := s.ReviewVersions(ctx, r.ID)
	if err != nil || len(vs) != 2 || vs[0].Version != 1 || vs[1].Text != "Second version." {
		t.Errorf("versions = %+v, %v", vs, err)
	}
	if _, err := s.ReviewContext(ctx, "nope"); !errors.Is(err, moderation.ErrNotFound) {
		t.Errorf("missing review: got %v, want ErrNotFound", err)
	}
	if err := s.UpdateReview(ctx, r2, 1, 1, nil, "platform"); !errors.Is(err, moderation.ErrChanged) {
		t.Errorf("update from a stale version: got %v, want ErrConflict", err)
	}
}

func TestListReportsPagesNewestFirstAndGuardsCursors(t *testing.T) {
	s, _ := newStore(t)
	ctx := context.Background()
	var want []string
	for i := range 5 {
		r := seedReview(t, s, fmt.Sprintf("rev-%d", i), moderation.SourceOrganic)
		sub := submission(r, true)
		sub.Report.CreatedAt = t0.Add(time.Duration(i) * time.Minute)
		if err := s.SubmitReport(ctx, sub); err != nil {
			t.Fatal(err)
		}
		want = append([]string{sub.Report.ID}, want...)
	}
	var got []string
	cursor := ""
	for pages := 0; ; pages++ {
		if pages > 5 {
			t.Fatal("pagination does not end")
		}
		reps, next, err := s.ListReports(ctx, "biz-1", "", app.Page{Limit: 2, Cursor: cursor})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range reps {
			got = append(got, r.ID)
		}
		if next == "" {
			break
		}
		cursor = next
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("reports = %v, want %v", got, want)
	}
	_, next, _ := s.ListReports(ctx, "biz-1", "", app.Page{Limit: 1})
	if _, _, err := s.ListReports(ctx, "biz-2", "", app.Page{Limit: 1, Cursor: next}); moderation.KindOf(err) != moderation.KindInvalid {
		t.Errorf("another business's cursor: got %v, want a KindInvalid error on cursor", err)
	}
	if _, _, err := s.ListReports(ctx, "biz-1", "", app.Page{Limit: 1, Cursor: "!!!"}); moderation.KindOf(err) != moderation.KindInvalid {
		t.Errorf("garbage cursor: got %v, want a KindInvalid error on cursor", err)
	}
	inQueue, _, err := s.ListReports(ctx, "biz-1", moderation.ReportInQueue, app.Page{Limit: 10})
	if err != nil || len(inQueue) != 5 {
		t.Errorf("in_queue filter: %d reports, %v; want 5", len(inQueue), err)
	}
	closed, _, err := s.ListReports(ctx, "biz-1", moderation.ReportClosed, app.Page{Limit: 10})
	if err != nil || len(closed) != 0 {
		t.Errorf("closed filter: %d reports, %v; want 0", len(closed), err)
	}
}

func TestPutBusinessKeepsCreationTime(t *testing.T) {
	s, _ := newStore(t)
	ctx := context.Background()
	b := moderation.Business{ID: "biz-1", Name: "Acme", NotificationEmail: "ops@acme.example", Locale: "de", UpdatedAt: t0}
	if _, created, err := s.PutBusiness(ctx, b); err != nil || !created {
		t.Fatalf("create: created=%v, %v", created, err)
	}
	b.Name, b.UpdatedAt = "Acme AB", t0.Add(time.Hour)
	got, created, err := s.PutBusiness(ctx, b)
	if err != nil || created {
		t.Fatalf("update: created=%v, %v", created, err)
	}
	if !got.CreatedAt.Equal(t0) || !got.UpdatedAt.Equal(t0.Add(time.Hour)) || got.Name != "Acme AB" {
		t.Errorf("business = %+v", got)
	}
	if _, err := s.GetBusiness(ctx, "nope"); !errors.Is(err, moderation.ErrNotFound) {
		t.Errorf("missing business: got %v", err)
	}
}

func tableName(db *dynamodb.Client) string {
	name, _ := tableOf.Load(db)
	return name.(string)
}

// countItems scans the table and counts items of a type ("" = all).
func countItems(t *testing.T, db *dynamodb.Client, typ string) int {
	t.Helper()
	n := 0
	var start map[string]types.AttributeValue
	for {
		out, err := db.Scan(context.Background(), &dynamodb.ScanInput{TableName: aws.String(tableName(db)), ExclusiveStartKey: start})
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range out.Items {
			if v, ok := it["type"].(*types.AttributeValueMemberS); typ == "" || ok && v.Value == typ {
				n++
			}
		}
		if out.LastEvaluatedKey == nil {
			return n
		}
		start = out.LastEvaluatedKey
	}
}

func TestCloseReportClearsTheOpenReportAndAppliesTheOutcome(t *testing.T) {
	for _, tc := range []struct {
		outcome moderation.Outcome
		want    moderation.Visibility
	}{
		{moderation.OutcomeReinstated, moderation.Published},
		{moderation.OutcomeRemoved, moderation.Removed},
	} {
		t.Run(string(tc.outcome), func(t *testing.T) {
			s, _ := newStore(t)
			ctx := context.Background()
			r := seedReview(t, s, "rev-1", moderation.SourceOrganic)
			sub := submission(r, true)
			if err := s.SubmitReport(ctx, sub); err != nil {
				t.Fatal(err)
			}
			c := app.Closure{Report: sub.Report, Ticket: sub.Ticket, Actor: "agent:ada", At: t0.Add(48 * time.Hour),
				Consequence: moderation.Closing(tc.outcome, moderation.GroundGuidelineViolation, sub.Report.Reasons(), false, moderation.DefaultPolicy, t0.Add(48*time.Hour))}
			if err := s.CloseReport(ctx, c); err != nil {
				t.Fatal(err)
			}
			// openReportId is SET to "" rather than REMOVEd: minidyn ignores a
			// top-level REMOVE, and this assertion catches either mistake.
			got, _ := s.GetReview(ctx, r.ID)
			if got.OpenReportID != "" || got.Visibility != tc.want || got.LastReportedVersion != 1 {
				t.Errorf("review = %+v, want %s with no open report", got, tc.want)
			}
			rep, trail, _ := s.GetReport(ctx, sub.Report.ID)
			if rep.Status != moderation.ReportClosed || rep.Outcome != tc.outcome || rep.ClosedAt.IsZero() || len(trail) != 2 {
				t.Errorf("report = %+v, trail %+v", rep, trail)
			}
			tk, _ := s.GetTicket(ctx, sub.Ticket.ID)
			if tk.Status != moderation.TicketDecided {
				t.Errorf("ticket status = %s, want decided", tk.Status)
			}
			closed, _, _ := s.ListReports(ctx, "biz-1", moderation.ReportClosed, app.Page{Limit: 10})
			if len(closed) != 1 {
				t.Errorf("closed reports listed = %d, want 1", len(closed))
			}
			if err := s.CloseReport(ctx, c); !errors.Is(err, moderation.ErrChanged) {
				t.Errorf("closing twice: got %v, want ErrConflict", err)
			}
		})
	}
}
