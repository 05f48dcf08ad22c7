package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/awslabs/aws-lambda-go-api-proxy/httpadapter"
	"github.com/truora/minidyn/server"

	"github.com/candorhq/candor/infra/deploycheck"
	"github.com/candorhq/candor/infra/local/stack"
	"github.com/candorhq/candor/shared/app"
	"github.com/candorhq/candor/shared/clock"
	"github.com/candorhq/candor/shared/envconfig"
	"github.com/candorhq/candor/shared/ids"
	"github.com/candorhq/candor/shared/moderation"
	"github.com/candorhq/candor/shared/store"
	"github.com/candorhq/candor/shared/wire/apifunc"
	"github.com/candorhq/candor/shared/workflow"
)

// benchAWS is an AWS endpoint for benchmarks: minidyn for DynamoDB and a
// Step Functions endpoint that accepts StartExecution (JSON 1.0) and runs
// nothing, so no workflow competes with what is measured.
func benchAWS(b *testing.B) aws.Config {
	b.Helper()
	ddb := server.NewServer()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasPrefix(r.Header.Get("X-Amz-Target"), "AWSStepFunctions.") {
			ddb.ServeHTTP(w, r)
			return
		}
		var in struct{ StateMachineArn, Name string }
		body, _ := io.ReadAll(r.Body)
		_ = json.Unmarshal(body, &in)
		w.Header().Set("Content-Type", "application/x-amz-json-1.0")
		fmt.Fprintf(w, `{"executionArn":%q,"startDate":%d}`, strings.Replace(in.StateMachineArn, ":stateMachine:", ":execution:", 1)+":"+in.Name, time.Now().Unix())
	}))
	b.Cleanup(srv.Close)
	return aws.Config{Region: "us-east-1", BaseEndpoint: aws.String(srv.URL), Credentials: stack.AWSCredentials}
}

// benchAPI is the api function (its Lambda entry) on table at cfg's endpoint,
// with the environment template.yaml gives it (samconfig's [default]
// parameters): a variable the function comes to need reaches the benchmark
// as it reaches the deployment, instead of failing it.
func benchAPI(b *testing.B, cfg aws.Config, table string) *httpadapter.HandlerAdapterV2 {
	b.Helper()
	vars := templateEnv(b, "functions/api")
	vars["TABLE_NAME"] = table
	h, err := apifunc.New(envconfig.FromMap(vars), cfg, clock.NewManual(start), discardLogger())
	if err != nil {
		b.Fatal(err)
	}
	return httpadapter.NewV2(h)
}

// templateEnv is the environment template.yaml gives the function built
// from pkg ("functions/<name>"), its values resolved with samconfig's
// [default] parameters.
func templateEnv(b *testing.B, pkg string) map[string]string {
	b.Helper()
	root, err := deploycheck.RepoRoot(".")
	if err != nil {
		b.Fatal(err)
	}
	tpl, ev, err := deploycheck.LoadDeployment(root, "default")
	if err != nil {
		b.Fatal(err)
	}
	mk, err := os.ReadFile(filepath.Join(root, "Makefile"))
	if err != nil {
		b.Fatal(err)
	}
	targets, err := deploycheck.BuildTargets(mk)
	if err != nil {
		b.Fatal(err)
	}
	for id, target := range targets {
		fn, ok := tpl.Resource(id)
		if target.Package != pkg || !ok {
			continue
		}
		env := map[string]string{}
		for k, v := range deploycheck.FunctionEnv(tpl, fn) {
			if env[k], err = ev.String(v); err != nil {
				b.Fatalf("template.yaml: %s: %s: %v", id, k, err)
			}
		}
		return env
	}
	b.Fatalf("template.yaml has no function built from %s", pkg)
	return nil
}

// benchTable creates a fresh table with one business.
func benchTable(b *testing.B, cfg aws.Config, table string) *store.Store {
	b.Helper()
	ctx := context.Background()
	db := dynamodb.NewFromConfig(cfg)
	_, _ = db.DeleteTable(ctx, &dynamodb.DeleteTableInput{TableName: aws.String(table)})
	if _, err := db.CreateTable(ctx, store.TableDefinition(table)); err != nil {
		b.Fatal(err)
	}
	st := store.New(db, table)
	if _, _, err := st.PutBusiness(ctx, moderation.Business{ID: "biz-1", Name: "Acme", NotificationEmail: "ops@acme.example", Locale: "en", UpdatedAt: start}); err != nil {
		b.Fatal(err)
	}
	return st
}

// benchReview registers a fresh review of biz-1.
func benchReview(b *testing.B, st *store.Store, id string) moderation.Review {
	b.Helper()
	r := moderation.Review{ID: id, BusinessID: "biz-1", Version: 1, Reviewer: moderation.Reviewer{Email: "ana@example.org", Name: "Ana", Locale: "sv"},
		Stars: 1, Title: "Stale beans", Text: "The owner is a crook and the beans were stale.", Source: moderation.SourceOrganic,
		ExperienceDate: "2026-10-20", Visibility: moderation.Published, CreatedAt: start, UpdatedAt: start}
	if err := st.CreateReview(context.Background(), r, moderation.ReviewVersion{Version: 1, Stars: 1, Title: r.Title, Text: r.Text, At: start, By: "platform"}, "platform"); err != nil {
		b.Fatal(err)
	}
	return r
}

// apiEvent is an API Gateway (HTTP API, payload 2.0) event of a business's
// request, as the JWT authorizer hands it to the function.
func apiEvent(method, path string, body []byte) events.APIGatewayV2HTTPRequest {
	return events.APIGatewayV2HTTPRequest{Version: "2.0", RouteKey: method + " " + path, RawPath: path, Body: string(body),
		Headers: map[string]string{"content-type": "application/json"},
		RequestContext: events.APIGatewayV2HTTPRequestContext{RequestID: "bench", Stage: "$default",
			HTTP: events.APIGatewayV2HTTPRequestContextHTTPDescription{Method: method, Path: path},
			Authorizer: &events.APIGatewayV2HTTPRequestContextAuthorizerDescription{JWT: &events.APIGatewayV2HTTPRequestContextAuthorizerJWTDescription{
				Claims: map[string]string{"sub": "owner-1", "role": "business", "business_id": "biz-1"}}}}}
}

// BenchmarkSubmitReport times, in one run, a report submission through the
// api function — the API Gateway event adapted as Lambda runs it, the
// handler, the use case, the store — and its I/O floor: the same three calls
// (the review's context, the transaction, StartExecution) made through the
// store and the starter with the values built beforehand; the first should
// stay within 1.2× the second (docs/cost.md). Both run against the same endpoint
// (minidyn, and a Step Functions that only accepts the start), on a table
// recreated every 25 iterations (minidyn scans the table on every Query).
func BenchmarkSubmitReport(b *testing.B) {
	cfg := benchAWS(b)
	const table = "bench"
	fn := benchAPI(b, cfg, table)
	body, _ := json.Marshal(validReport())
	ctx := context.Background()

	b.Run("api", func(b *testing.B) {
		st := benchTable(b, cfg, table)
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			b.StopTimer()
			if i > 0 && i%25 == 0 {
				st = benchTable(b, cfg, table)
			}
			id := fmt.Sprintf("rev-bench-%d", i)
			benchReview(b, st, id)
			b.StartTimer()
			res, err := fn.ProxyWithContext(ctx, apiEvent("POST", "/v1/reviews/"+id+"/reports", body))
			if err != nil || res.StatusCode != http.StatusAccepted {
				b.Fatalf("report: %v %d %s", err, res.StatusCode, res.Body)
			}
		}
	})
	b.Run("floor", func(b *testing.B) {
		st := benchTable(b, cfg, table)
		starter := workflow.NewStarter(sfn.NewFromConfig(cfg), map[string]string{app.MachineInvestigation: "arn:aws:states:us-east-1:000000000000:stateMachine:inv"})
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			b.StopTimer()
			if i > 0 && i%25 == 0 {
				st = benchTable(b, cfg, table)
			}
			id := fmt.Sprintf("rev-bench-%d", i)
			rev := benchReview(b, st, id)
			f := benchFiling(rev)
			b.StartTimer()
			if _, err := st.ReviewContext(ctx, id); err != nil {
				b.Fatal(err)
			}
			if err := st.SubmitReport(ctx, f); err != nil {
				b.Fatal(err)
			}
			if err := starter.Start(ctx, f.Start); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// benchFiling is what the API writes for validReport on rev.
func benchFiling(rev moderation.Review) app.ReportFiling {
	rep := moderation.Report{ID: ids.New("rpt"), BusinessID: rev.BusinessID, ReviewID: rev.ID, ReviewVersion: 1, ReviewStars: rev.Stars,
		Status: moderation.ReportInQueue, PublicStatement: "We have no record of this order and the accusation is false.", HidesReview: true,
		Items: []moderation.ReportItem{
			{Scope: moderation.ScopeContent, Reason: moderation.ReasonOffensiveOrHarmful, Details: "Calls the owner a crook, which is defamatory.", Excerpt: "The owner is a crook"},
			{Scope: moderation.ScopeReview, Reason: moderation.ReasonSpam, Details: "The same text was posted on three other shops."},
		}, CreatedAt: start, UpdatedAt: start}
	tk := moderation.Ticket{ID: ids.New("tkt"), ReportID: rep.ID, BusinessID: rep.BusinessID, ReviewID: rep.ReviewID, Status: moderation.TicketOpen,
		QueuedAt: start, CreatedAt: start, UpdatedAt: start}
	rep.TicketID = tk.ID
	return app.ReportFiling{Report: rep, Ticket: tk, Actor: "business:biz-1:owner-1",
		Start: app.WorkflowStart{Machine: app.MachineInvestigation, Name: rep.ID, Input: `{"case":{"reportId":"` + rep.ID + `"}}`, At: start}}
}

// BenchmarkReportSummary reads a business's reporting summary with 10 and
// with 1,000 reports: the counters are one item, so the two are the same.
func BenchmarkReportSummary(b *testing.B) {
	cfg := benchAWS(b)
	const table = "bench-summary"
	fn := benchAPI(b, cfg, table)
	ctx := context.Background()
	for _, n := range []int{10, 1000} {
		b.Run(fmt.Sprintf("reports=%d", n), func(b *testing.B) {
			st := benchTable(b, cfg, table)
			for i := 0; i < n; i++ {
				rev := benchReview(b, st, fmt.Sprintf("rev-sum-%d", i))
				if err := st.SubmitReport(ctx, benchFiling(rev)); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportAllocs()
			for b.Loop() {
				res, err := fn.ProxyWithContext(ctx, apiEvent("GET", "/v1/reports/summary", nil))
				if err != nil || res.StatusCode != http.StatusOK || !strings.Contains(res.Body, fmt.Sprintf(`"total":%d`, n)) {
					b.Fatalf("summary: %v %d %s", err, res.StatusCode, res.Body)
				}
			}
		})
	}
}

// BenchmarkReportReply times anyone's report on a business's reply through
// the api function, with no token: the review's read, then the one
// transaction that takes the report's slot, opens the reply's ticket and
// writes the audit entries (docs/decisions.md, "Reports on replies").
func BenchmarkReportReply(b *testing.B) {
	cfg := benchAWS(b)
	const table = "bench-replyreport"
	fn := benchAPI(b, cfg, table)
	ctx := context.Background()
	reply := []byte(`{"text":"Thank you for your visit."}`)
	body := []byte(`{"reason":"threats_or_aggression","details":"The reply says they know where I live."}`)
	st := benchTable(b, cfg, table)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		b.StopTimer()
		if i > 0 && i%25 == 0 {
			st = benchTable(b, cfg, table)
		}
		id := fmt.Sprintf("rev-rr-%d", i)
		benchReview(b, st, id)
		if res, err := fn.ProxyWithContext(ctx, apiEvent("PUT", "/v1/reviews/"+id+"/reply", reply)); err != nil || res.StatusCode != http.StatusCreated {
			b.Fatalf("reply: %v %d %s", err, res.StatusCode, res.Body)
		}
		ev := apiEvent("POST", "/v1/public/reviews/"+id+"/reply/reports", body)
		ev.RequestContext.Authorizer = nil
		b.StartTimer()
		res, err := fn.ProxyWithContext(ctx, ev)
		if err != nil || res.StatusCode != http.StatusAccepted {
			b.Fatalf("report: %v %d %s", err, res.StatusCode, res.Body)
		}
	}
}
