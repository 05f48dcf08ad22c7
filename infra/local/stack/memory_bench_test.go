package stack_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"runtime"
	"testing"
	"time"

	"github.com/candorhq/candor/infra/local/dynamotest"
	"github.com/candorhq/candor/infra/local/stack"
)

// maxBytesPerReview is the live heap one review may add to the local stack
// (its three items in the table and the indexes, and what the stack keeps
// per request): 100,000 reviews then fit in well under 1 GB of memory, the
// Go runtime's headroom included. It measured 2.3 KB (docs/local-stack.md);
// it was 12 KB while minidyn kept every attribute as a 160-byte struct.
const maxBytesPerReview = 4096

// loadReviews PUTs reviews [from, from+n) through the local API, as a
// platform's bulk load does, every other one for biz-1 and biz-2.
func loadReviews(tb testing.TB, s *stack.Stack, token string, from, n int) {
	tb.Helper()
	for i := from; i < from+n; i++ {
		body, _ := json.Marshal(map[string]any{"businessId": []string{"biz-1", "biz-2"}[i%2], "stars": 1 + i%5, "title": "Stale beans",
			"text": "The owner is a crook and the beans were stale, and the cups were chipped.", "source": "organic",
			"experienceDate": "2026-10-20", "reviewer": map[string]any{"email": fmt.Sprintf("reviewer-%d@example.org", i), "name": "Ana Reviewsson", "locale": "sv"}})
		if rec := serve(tb, s.Handler, "PUT", fmt.Sprintf("/v1/platform/reviews/rev-%07d", i), token, body); rec.Code != http.StatusCreated {
			tb.Fatalf("PUT review %d: %d %s", i, rec.Code, rec.Body)
		}
	}
}

// liveHeap is the heap still reachable after a full collection.
func liveHeap() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// bytesPerReview starts a stack on the embedded minidyn, loads base
// reviews, then n more, and returns the live heap the n added, per review.
func bytesPerReview(tb testing.TB, base, n int) float64 {
	tb.Helper()
	s, err := stack.Start(context.Background(), stack.Config{APIAddr: "127.0.0.1:0", AWSAddr: "127.0.0.1:0", Start: t0,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		tb.Fatal(err)
	}
	defer s.Close()
	platform := s.Token("platform-1", "platform", "", 24*time.Hour)
	for _, biz := range []string{"biz-1", "biz-2"} {
		body, _ := json.Marshal(map[string]any{"name": "Acme " + biz, "notificationEmail": "ops@" + biz + ".example", "locale": "en"})
		if rec := serve(tb, s.Handler, "PUT", "/v1/platform/businesses/"+biz, platform, body); rec.Code != http.StatusCreated {
			tb.Fatalf("PUT business: %d %s", rec.Code, rec.Body)
		}
	}
	loadReviews(tb, s, platform, 0, base)
	before := liveHeap()
	loadReviews(tb, s, platform, base, n)
	after := liveHeap()
	runtime.KeepAlive(s)
	return float64(int64(after)-int64(before)) / float64(n)
}

// TestMemoryPerReviewStaysSmall fails when a review costs the local stack
// more than maxBytesPerReview of live heap: a regression that would put
// 100,000 reviews beyond 1 GB shows here, at 1,000.
func TestMemoryPerReviewStaysSmall(t *testing.T) {
	if dynamotest.External() {
		t.Skip("the table lives in the external DynamoDB, not in the stack's memory")
	}
	if got := bytesPerReview(t, 200, 1000); got > maxBytesPerReview {
		t.Errorf("a review adds %.0f bytes of live heap to the local stack, want at most %d", got, maxBytesPerReview)
	}
}

// BenchmarkMemoryPerReview reports the live heap one review adds to the
// local stack, loaded through the API as a platform does, after 500
// reviews, over the next 5,000 (docs/local-stack.md has the number).
func BenchmarkMemoryPerReview(b *testing.B) {
	for b.Loop() {
		b.ReportMetric(bytesPerReview(b, 500, 5000), "bytes/review")
	}
}
