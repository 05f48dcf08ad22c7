package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/candorhq/candor/infra/local/stack"
	"github.com/candorhq/candor/shared/store"
)

// BenchmarkSubmitReport measures one report submission through the whole
// handler chain — local gateway (JWT check, API Gateway event), the Lambda
// proxy adapter, the API, and the store against minidyn over HTTP — without
// the TCP hop in front of the API. Each iteration reports a fresh review.
//
// minidyn scans the whole table on every Query and copies it for every
// transaction, so the table is recreated every 25 iterations (off the
// clock): the number then measures Candor's path on a small table rather
// than the stand-in's growth.
func BenchmarkSubmitReport(b *testing.B) {
	s, err := stack.Start(context.Background(), stack.Config{APIAddr: "127.0.0.1:0", AWSAddr: "127.0.0.1:0", Start: start, Logger: discardLogger()})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	platform := s.Token("platform-1", "platform", "", 24*time.Hour)
	biz := s.Token("owner-1", "business", "biz-1", 24*time.Hour)
	send := func(method, path, token string, body any) *httptest.ResponseRecorder {
		j, _ := json.Marshal(body)
		req := httptest.NewRequest(method, path, bytes.NewReader(j))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+token)
		rec := httptest.NewRecorder()
		s.Handler.ServeHTTP(rec, req)
		return rec
	}
	reset := func() {
		ctx := context.Background()
		if _, err := s.DynamoDB.DeleteTable(ctx, &dynamodb.DeleteTableInput{TableName: aws.String(s.Table)}); err != nil {
			b.Fatal(err)
		}
		if _, err := s.DynamoDB.CreateTable(ctx, store.TableDefinition(s.Table)); err != nil {
			b.Fatal(err)
		}
		if rec := send("PUT", "/v1/platform/businesses/biz-1", platform, map[string]any{"name": "Acme", "notificationEmail": "ops@acme.example"}); rec.Code != http.StatusCreated {
			b.Fatalf("business: %d %s", rec.Code, rec.Body)
		}
	}
	reset()
	report := validReport()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		if i > 0 && i%25 == 0 {
			reset()
		}
		id := fmt.Sprintf("rev-bench-%d", i)
		if rec := send("PUT", "/v1/platform/reviews/"+id, platform, reviewBody("biz-1", "organic", 1)); rec.Code != http.StatusCreated {
			b.Fatalf("review: %d %s", rec.Code, rec.Body)
		}
		b.StartTimer()
		if rec := send("POST", "/v1/reviews/"+id+"/reports", biz, report); rec.Code != http.StatusAccepted {
			b.Fatalf("report: %d %s", rec.Code, rec.Body)
		}
	}
}
