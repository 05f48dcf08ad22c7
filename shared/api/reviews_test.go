package api_test

import (
	"context"
	"net/http"
	"slices"
	"sync/atomic"
	"testing"

	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/smithy-go/middleware"

	"github.com/candorhq/candor/infra/local/stack"
	"github.com/candorhq/candor/shared/api"
	"github.com/candorhq/candor/shared/app"
	"github.com/candorhq/candor/shared/moderation"
	"github.com/candorhq/candor/shared/store"
)

// closeReport closes a report through the store, standing in for the
// compliance desk's decision, which these tests do not exercise.
func closeReport(t *testing.T, e *env, reportID, outcome string) {
	t.Helper()
	st := store.New(e.s.DynamoDB, e.s.Table)
	ctx := context.Background()
	rep, _, err := st.GetReport(ctx, reportID)
	if err != nil {
		t.Fatal(err)
	}
	tk, err := st.GetTicket(ctx, rep.TicketID)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.CloseReport(ctx, app.Closure{Report: rep, Ticket: tk,
		Consequence: moderation.Closing(moderation.Outcome(outcome), moderation.GroundGuidelineViolation, rep.Reasons(), false, moderation.DefaultPolicy, e.s.Clock.Now()),
		Actor:       "agent:agent-ada", At: e.s.Clock.Now()}); err != nil {
		t.Fatal(err)
	}
}

func TestHealthz(t *testing.T) {
	e := newEnv(t)
	if r := e.call("GET", "/healthz", "", nil); r.status != 200 || decode[struct{ Status string }](t, r).Status != "ok" {
		t.Errorf("healthz = %d %s", r.status, r.raw)
	}
	if r := e.call("GET", "/v1/nowhere", e.biz1, nil); r.status != 404 || r.errorCode() != "not_found" {
		t.Errorf("unknown route = %d %s", r.status, r.raw)
	}
}

func TestReviewShowsWhatTheBusinessMayDo(t *testing.T) {
	e := newEnv(t)
	cases := []struct {
		review          string
		canReport       bool
		canFindReviewer bool
		notGenuine      bool
	}{
		{"rev-organic", true, true, false},
		{"rev-other", true, true, false},
		{"rev-invited", true, false, false},
	}
	for _, tc := range cases {
		t.Run(tc.review, func(t *testing.T) {
			r := e.mustStatus(http.StatusOK, "GET", "/v1/reviews/"+tc.review, e.biz1, nil)
			v := decode[api.ReviewDetailView](t, r)
			reasons := v.AllowedReasons
			if v.CanReport != tc.canReport || v.CanFindReviewer != tc.canFindReviewer {
				t.Errorf("canReport %v canFindReviewer %v, want %v %v", v.CanReport, v.CanFindReviewer, tc.canReport, tc.canFindReviewer)
			}
			if slices.Contains(reasons, "no_genuine_experience") != tc.notGenuine || len(reasons) != 10 {
				t.Errorf("allowed reasons = %v, want 10, no_genuine_experience %v", reasons, tc.notGenuine)
			}
			if v.ID != tc.review || v.BusinessID != "biz-1" {
				t.Errorf("review %q of %q, want %s of biz-1", v.ID, v.BusinessID, tc.review)
			}
			if missing := r.missingKeys("id", "businessId", "version", "visibility", "stars", "title", "text", "source"); len(missing) != 0 {
				t.Errorf("review lacks %v", missing)
			}
		})
	}
	if r := e.call("GET", "/v1/reviews/rev-biz2", e.biz1, nil); r.status != 404 {
		t.Errorf("another business's review: %d", r.status)
	}
	list := decode[api.ListView[api.ReviewView]](t, e.mustStatus(http.StatusOK, "GET", "/v1/reviews?limit=2", e.biz1, nil))
	if len(list.Items) != 2 || list.NextCursor == nil {
		t.Fatalf("first page: %d reviews, next %v, want 2 and a next page", len(list.Items), list.NextCursor)
	}
	rest := decode[api.ListView[api.ReviewView]](t, e.mustStatus(http.StatusOK, "GET", "/v1/reviews?limit=2&cursor="+*list.NextCursor, e.biz1, nil))
	if len(rest.Items) != 1 || rest.NextCursor != nil {
		t.Errorf("second page: %d reviews, next %v, want the third and last", len(rest.Items), rest.NextCursor)
	}
}

func TestOtherBusinessReportIsNotFound(t *testing.T) {
	e := newEnv(t)
	r := e.mustStatus(http.StatusAccepted, "POST", "/v1/reviews/rev-organic/reports", e.biz1, validReport())
	id := decode[api.ReportView](t, r).ID
	for _, path := range []string{"/v1/reports/" + id, "/v1/reports/rpt_00000000000000000000000000000000", "/v1/reports/garbage"} {
		if got := e.call("GET", path, e.biz2, nil); got.status != 404 || got.errorCode() != "not_found" {
			t.Errorf("GET %s as another business: %d %s", path, got.status, got.raw)
		}
	}
	if got := e.call("GET", "/v1/reports/"+id, e.compliance, nil); got.status != 403 {
		t.Errorf("compliance on a business route: %d", got.status)
	}
}

func TestPlatformEndpoints(t *testing.T) {
	e := newEnv(t)
	// Update a business: 200, creation time kept.
	r := e.mustStatus(http.StatusOK, "PUT", "/v1/platform/businesses/biz-1", e.platform, map[string]any{"name": "Acme Coffee AB", "notificationEmail": "ops@acme.example", "locale": "sv-SE"})
	if b := decode[api.BusinessView](t, r); b.Name != "Acme Coffee AB" || b.Locale != "sv" {
		t.Errorf("business: name %q locale %q, want Acme Coffee AB, sv", b.Name, b.Locale)
	}
	// An identical review PUT is a no-op; an edit makes version 2; the platform sees the reviewer.
	same := e.mustStatus(http.StatusOK, "PUT", "/v1/platform/reviews/rev-organic", e.platform, reviewBody("biz-1", "organic", 1))
	if v := decode[api.PlatformReviewView](t, same); v.Version != 1 {
		t.Errorf("no-op PUT: version %d, want 1", v.Version)
	}
	edit := e.mustStatus(http.StatusOK, "PUT", "/v1/platform/reviews/rev-organic", e.platform, reviewBody("biz-1", "organic", 2))
	if v := decode[api.PlatformReviewView](t, edit); v.Version != 2 || v.Reviewer.Email != "ana.reviewer@example.org" {
		t.Errorf("edit: version %d reviewer %q, want 2, ana.reviewer@example.org", v.Version, v.Reviewer.Email)
	}
	// The reviewer's time zone is stored and answered; alone it makes no new version.
	zoned := reviewBody("biz-1", "organic", 2)
	zoned["reviewer"].(map[string]any)["timeZone"] = "America/New_York"
	if v := decode[api.PlatformReviewView](t, e.mustStatus(http.StatusOK, "PUT", "/v1/platform/reviews/rev-organic", e.platform, zoned)); v.Version != 2 || v.Reviewer.TimeZone != "America/New_York" {
		t.Errorf("time zone PUT: version %d zone %q, want 2, America/New_York", v.Version, v.Reviewer.TimeZone)
	}
	cases := []struct {
		name   string
		path   string
		token  string
		body   any
		status int
		code   string
		field  string
	}{
		{"bad email", "/v1/platform/businesses/biz-3", e.platform, map[string]any{"name": "X", "notificationEmail": "not-an-email"}, 422, "validation_failed", "notificationEmail"},
		{"bad business id", "/v1/platform/businesses/bad%20id", e.platform, map[string]any{"name": "X", "notificationEmail": "a@b.example"}, 422, "validation_failed", "businessId"},
		{"business role", "/v1/platform/businesses/biz-3", e.biz1, map[string]any{"name": "X", "notificationEmail": "a@b.example"}, 403, "forbidden", ""},
		{"stars out of range", "/v1/platform/reviews/rev-new", e.platform, func() map[string]any { b := reviewBody("biz-1", "organic", 1); b["stars"] = 6; return b }(), 422, "validation_failed", "stars"},
		{"unknown source", "/v1/platform/reviews/rev-new", e.platform, func() map[string]any { b := reviewBody("biz-1", "organic", 1); b["source"] = "bought"; return b }(), 422, "validation_failed", "source"},
		{"unknown business", "/v1/platform/reviews/rev-new", e.platform, reviewBody("biz-9", "organic", 1), 422, "validation_failed", "businessId"},
		{"business cannot change", "/v1/platform/reviews/rev-organic", e.platform, reviewBody("biz-2", "organic", 3), 422, "validation_failed", "businessId"},
		{"version skips", "/v1/platform/reviews/rev-organic", e.platform, func() map[string]any {
			b := reviewBody("biz-1", "organic", 5)
			b["text"] = "Yet another text."
			return b
		}(), 409, "version_conflict", ""},
		{"reviewer time zone unknown", "/v1/platform/reviews/rev-organic", e.platform, func() map[string]any {
			b := reviewBody("biz-1", "organic", 2)
			b["reviewer"].(map[string]any)["timeZone"] = "CEST"
			return b
		}(), 422, "validation_failed", "reviewer.timeZone"},
		{"reviewer email wrong type", "/v1/platform/reviews/rev-new", e.platform, `{"businessId":"biz-1","reviewer":{"email":7}}`, 400, "malformed_request", "reviewer.email"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := e.snapshot()
			r := e.call("PUT", tc.path, tc.token, tc.body)
			if r.status != tc.status || r.errorCode() != tc.code {
				t.Fatalf("got %d %s, want %d %s: %s", r.status, r.errorCode(), tc.status, tc.code, r.raw)
			}
			if _, ok := r.fields()[tc.field]; tc.field != "" && !ok {
				t.Errorf("fields %v lack %q", r.fields(), tc.field)
			}
			if e.snapshot() != before {
				t.Error("a refused PUT changed the table")
			}
		})
	}
}

func TestPublicReviewStates(t *testing.T) {
	e := newEnv(t)
	pub, raw := e.publicReview("rev-organic")
	if pub.Visibility != "published" || pub.Review == nil || pub.Review.Text != reviewBody("biz-1", "organic", 1)["text"] || pub.Review.Stars != 1 || pub.PublicStatementView != nil {
		t.Errorf("published view = %s, want the review's text and stars, no statement", raw)
	}
	if r := e.call("GET", "/v1/public/reviews/rev-missing", "", nil); r.status != 404 {
		t.Errorf("unknown review: %d", r.status)
	}
}

// TestSubmissionMakesTwoDynamoDBCalls counts the calls the API makes to
// DynamoDB per accepted report: one read of the review's context, one
// transaction. It fails if that grows.
func TestSubmissionMakesTwoDynamoDBCalls(t *testing.T) {
	var calls atomic.Int64
	var ops []string
	var mu = make(chan struct{}, 1)
	count := func(s *middleware.Stack) error {
		return s.Initialize.Add(middleware.InitializeMiddlewareFunc("countCalls", func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
			if awsmiddleware.GetServiceID(ctx) != "DynamoDB" {
				return next.HandleInitialize(ctx, in)
			}
			calls.Add(1)
			mu <- struct{}{}
			ops = append(ops, middleware.GetOperationName(ctx))
			<-mu
			return next.HandleInitialize(ctx, in)
		}), middleware.Before)
	}
	e := newEnv(t, func(c *stack.Config) { c.APIFunctionOptions = append(c.APIFunctionOptions, count) })
	calls.Store(0)
	ops = nil
	e.mustStatus(http.StatusAccepted, "POST", "/v1/reviews/rev-organic/reports", e.biz1, validReport())
	if got := calls.Load(); got > 2 {
		t.Errorf("a report submission made %d DynamoDB calls %v, want at most 2", got, ops)
	}
	if !slices.Equal(ops, []string{"Query", "TransactWriteItems"}) {
		t.Errorf("calls = %v, want [Query TransactWriteItems]", ops)
	}
	// With an Idempotency-Key the record rides in the same transaction, and
	// the response is stored with it afterwards.
	calls.Store(0)
	ops = nil
	if r := e.call("POST", "/v1/reviews/rev-other/reports", e.biz1, validReport(), "Idempotency-Key", "k-1"); r.status != http.StatusAccepted {
		t.Fatalf("keyed submission: %d %s", r.status, r.raw)
	}
	if !slices.Equal(ops, []string{"Query", "TransactWriteItems", "UpdateItem"}) {
		t.Errorf("keyed submission calls = %v, want [Query TransactWriteItems UpdateItem]", ops)
	}
}
