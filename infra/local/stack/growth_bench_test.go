package stack_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/candorhq/candor/infra/local/stack"
	"github.com/candorhq/candor/shared/moderation"
	"github.com/candorhq/candor/shared/store"
)

// growthSizes are the table sizes the growth benchmarks run at, in reviews,
// half of biz-1 and half of biz-2; each review is three items (head,
// version, audit), so they are about 300, 3,000 and 15,000 items.
var growthSizes = []int{100, 1000, 5000}

// growthStack is a local stack whose table holds n reviews, every other one
// of biz-1 and of biz-2 (and the businesses), written straight through the
// store. biz-2's reviews come first in a newest-first walk of the index, so
// listing biz-1's is not the lucky case.
func growthStack(b *testing.B, n int) (*stack.Stack, *store.Store, string) {
	b.Helper()
	s, err := stack.Start(context.Background(), stack.Config{APIAddr: "127.0.0.1:0", AWSAddr: "127.0.0.1:0", Start: t0,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(s.Close)
	st := store.New(s.DynamoDB, s.Table)
	ctx := context.Background()
	for _, biz := range []string{"biz-1", "biz-2"} {
		if _, _, err := st.PutBusiness(ctx, moderation.Business{ID: biz, Name: "Acme " + biz, NotificationEmail: "ops@" + biz + ".example", Locale: "en", UpdatedAt: t0}); err != nil {
			b.Fatal(err)
		}
	}
	for i := range n {
		growthReview(b, st, fmt.Sprintf("rev-%06d", i), []string{"biz-1", "biz-2"}[i%2])
	}
	return s, st, s.Token("owner-1", "business", "biz-1", 365*24*time.Hour)
}

func growthReview(b *testing.B, st *store.Store, id, biz string) {
	r := moderation.Review{ID: id, BusinessID: biz, Version: 1, Reviewer: moderation.Reviewer{Email: "ana@example.org", Name: "Ana", Locale: "sv"},
		Stars: 1, Title: "Stale beans", Text: "The owner is a crook and the beans were stale.", Source: moderation.SourceOrganic,
		ExperienceDate: "2026-10-20", Visibility: moderation.Published, CreatedAt: t0, UpdatedAt: t0}
	if err := st.CreateReview(context.Background(), r, moderation.ReviewVersion{Version: 1, Stars: 1, Title: r.Title, Text: r.Text, At: t0, By: "platform"}, "platform"); err != nil {
		b.Fatal(err)
	}
}

func serve(_ testing.TB, h http.Handler, method, path, token string, body []byte) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, path, bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// BenchmarkTableGrowth measures how the local stack slows down as its table
// grows: a Query of one partition (a review's context, what a report
// validates against), GET /v1/reviews (a GSI Query, the first page of 20),
// of biz-1's, and POST /v1/reviews/{id}/reports (validation, the transaction, the
// workflow's start; the workflow's tasks run too), each at 100, 1,000 and
// 5,000 reviews in the table. docs/dynamodb.md has the numbers.
func BenchmarkTableGrowth(b *testing.B) {
	report, _ := json.Marshal(map[string]any{"publicStatement": "We have no record of this order and the accusation is false.",
		"items": []map[string]any{{"scope": "content", "reason": "offensive_or_harmful", "details": "Calls the owner a crook, which is defamatory.", "excerpt": "The owner is a crook"}}})
	for _, n := range growthSizes {
		s, st, token := growthStack(b, n)
		ctx := context.Background()
		b.Run(fmt.Sprintf("query/reviews=%d", n), func(b *testing.B) {
			for i := 0; b.Loop(); i++ {
				if _, err := st.ReviewContext(ctx, fmt.Sprintf("rev-%06d", i%n)); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(fmt.Sprintf("list-reviews/reviews=%d", n), func(b *testing.B) {
			for b.Loop() {
				if rec := serve(b, s.Handler, "GET", "/v1/reviews?limit=20", token, nil); rec.Code != http.StatusOK {
					b.Fatalf("list: %d %s", rec.Code, rec.Body)
				}
			}
		})
		b.Run(fmt.Sprintf("submit-report/reviews=%d", n), func(b *testing.B) {
			for i := 0; b.Loop(); i++ {
				b.StopTimer()
				id := fmt.Sprintf("rev-new-%d-%06d", b.N, i)
				growthReview(b, st, id, "biz-1")
				b.StartTimer()
				if rec := serve(b, s.Handler, "POST", "/v1/reviews/"+id+"/reports", token, report); rec.Code != http.StatusAccepted {
					b.Fatalf("report: %d %s", rec.Code, rec.Body)
				}
			}
		})
	}
}

// BenchmarkReportingSignals measures a business's reporting signals
// (GET /v1/compliance/businesses/{id}/reporting) and its public flagging
// record after it filed 10, 100 and 1,000 reports: they are read from
// counters kept by the reports' own transactions, so their cost should not
// grow with the reports. docs/misuse.md has the numbers.
func BenchmarkReportingSignals(b *testing.B) {
	report, _ := json.Marshal(map[string]any{"publicStatement": "We have no record of this order and the accusation is false.",
		"items": []map[string]any{{"scope": "review", "reason": "spam", "details": "The same text was posted on three other shops."}}})
	for _, n := range []int{10, 100, 1000} {
		s, err := stack.Start(context.Background(), stack.Config{APIAddr: "127.0.0.1:0", AWSAddr: "127.0.0.1:0", Start: t0,
			Policy: moderation.Policy{ReportsPerHour: 10000}, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
		if err != nil {
			b.Fatal(err)
		}
		st := store.New(s.DynamoDB, s.Table)
		if _, _, err := st.PutBusiness(context.Background(), moderation.Business{ID: "biz-1", Name: "Acme", NotificationEmail: "ops@biz-1.example", Locale: "en", UpdatedAt: t0}); err != nil {
			b.Fatal(err)
		}
		token := s.Token("owner-1", "business", "biz-1", 365*24*time.Hour)
		agent := s.Token("agent-ada", "compliance", "", 365*24*time.Hour)
		for i := range n {
			id := fmt.Sprintf("rev-%06d", i)
			growthReview(b, st, id, "biz-1")
			if rec := serve(b, s.Handler, "POST", "/v1/reviews/"+id+"/reports", token, report); rec.Code != http.StatusAccepted {
				b.Fatalf("report %d: %d %s", i, rec.Code, rec.Body)
			}
		}
		b.Run(fmt.Sprintf("compliance-signals/reports=%d", n), func(b *testing.B) {
			for b.Loop() {
				if rec := serve(b, s.Handler, "GET", "/v1/compliance/businesses/biz-1/reporting", agent, nil); rec.Code != http.StatusOK {
					b.Fatalf("signals: %d %s", rec.Code, rec.Body)
				}
			}
		})
		b.Run(fmt.Sprintf("public-flagging/reports=%d", n), func(b *testing.B) {
			for b.Loop() {
				if rec := serve(b, s.Handler, "GET", "/v1/public/businesses/biz-1/flagging", "", nil); rec.Code != http.StatusOK {
					b.Fatalf("flagging: %d %s", rec.Code, rec.Body)
				}
			}
		})
		s.Close()
	}
}
