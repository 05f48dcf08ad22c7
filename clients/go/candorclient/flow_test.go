package candorclient_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/candorhq/candor/clients/go/candorclient"
	"github.com/candorhq/candor/infra/local/stack"
)

// client is the generated client with a bearer token, as an integrator
// builds it.
func client(t *testing.T, server, token string) *candorclient.ClientWithResponses {
	t.Helper()
	c, err := candorclient.NewClientWithResponses(server, candorclient.WithRequestEditorFn(func(_ context.Context, r *http.Request) error {
		if token != "" {
			r.Header.Set("Authorization", "Bearer "+token)
		}
		return nil
	}))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func ptr[T any](v T) *T { return &v }

// TestGeneratedClientFlow drives the generated client against the local
// stack through what an integrator meets: typed answers, a typed error
// with its field problems, an idempotent replay, a POST without a body,
// the public view's shapes by their discriminator, and a conflict that
// carries until.
func TestGeneratedClientFlow(t *testing.T) {
	ctx := context.Background()
	s, err := stack.Start(ctx, stack.Config{APIAddr: "127.0.0.1:0", AWSAddr: "127.0.0.1:0", Seed: true,
		Start: time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC), Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	biz := client(t, s.APIURL, s.Demo.Businesses[0].Token)
	agent := client(t, s.APIURL, s.Demo.Compliance)
	public := client(t, s.APIURL, "")

	// A typed list.
	reviews, err := biz.ListReviewsWithResponse(ctx, &candorclient.ListReviewsParams{})
	if err != nil || reviews.JSON200 == nil || len(reviews.JSON200.Items) == 0 {
		t.Fatalf("list reviews: %v %d %s", err, reviews.StatusCode(), reviews.Body)
	}

	// A typed error keeps its message and every field problem.
	bad, err := biz.SubmitReportWithResponse(ctx, "rev-acme-01", &candorclient.SubmitReportParams{},
		candorclient.ReportInput{Items: []candorclient.ReportItemInput{{Scope: "review", Reason: "spam", Details: "short"}}, PublicStatement: "x"})
	if err != nil || bad.JSON422 == nil {
		t.Fatalf("a bad report: %v %d %s", err, bad.StatusCode(), bad.Body)
	}
	e := bad.JSON422.Error
	if e.Code != "validation_failed" || e.Message == "" || e.Fields["items[0].details"] == "" || e.Fields["publicStatement"] == "" {
		t.Errorf("the 422 as typed: %+v; want the code, a message and the field problems of %s", e, bad.Body)
	}

	// A report, and the same request again with its key: the first answer, marked.
	input := candorclient.ReportInput{PublicStatement: "We have no record of this order; the accusation is false.",
		Items: []candorclient.ReportItemInput{{Scope: "content", Reason: "offensive_or_harmful",
			Details: "Calls the owner a fraud who belongs in jail: defamatory.", Excerpt: ptr("The owner is a fraud and should be in jail.")}}}
	key := candorclient.IdempotencyKey("client-flow-1")
	first, err := biz.SubmitReportWithResponse(ctx, "rev-acme-01", &candorclient.SubmitReportParams{IdempotencyKey: &key}, input)
	if err != nil || first.JSON202 == nil {
		t.Fatalf("report: %v %d %s", err, first.StatusCode(), first.Body)
	}
	again, err := biz.SubmitReportWithResponse(ctx, "rev-acme-01", &candorclient.SubmitReportParams{IdempotencyKey: &key}, input)
	if err != nil || again.JSON202 == nil || again.JSON202.Id != first.JSON202.Id || again.HTTPResponse.Header.Get("Idempotent-Replayed") != "true" {
		t.Fatalf("replay: %v %d %s", err, again.StatusCode(), again.Body)
	}

	// The public view is now the business's statement, told apart by visibility.
	pub, err := public.GetPublicReviewWithResponse(ctx, "rev-acme-01")
	if err != nil || pub.JSON200 == nil {
		t.Fatalf("public view: %v %d %s", err, pub.StatusCode(), pub.Body)
	}
	v, err := pub.JSON200.ValueByDiscriminator()
	if hidden, ok := v.(candorclient.PublicReviewUnderInvestigation); err != nil || !ok || !strings.Contains(hidden.PublicStatement, "no record") {
		t.Errorf("public view as %T (%v), want the statement under investigation", v, err)
	}
	pub2, _ := public.GetPublicReviewWithResponse(ctx, "rev-acme-02")
	if v, err := pub2.JSON200.ValueByDiscriminator(); err != nil {
		t.Errorf("a published review: %v", err)
	} else if shown, ok := v.(candorclient.PublicReviewPublished); !ok || shown.Review.Id != "rev-acme-02" {
		t.Errorf("a published review as %T, want PublicReviewPublished", v)
	}

	// A POST without a body: the claim of the oldest open ticket.
	open := candorclient.TicketStatus("open")
	tickets, err := agent.ListTicketsWithResponse(ctx, &candorclient.ListTicketsParams{Status: &open})
	if err != nil || tickets.JSON200 == nil || len(tickets.JSON200.Items) == 0 {
		t.Fatalf("tickets: %v %d %s", err, tickets.StatusCode(), tickets.Body)
	}
	claim, err := agent.ClaimTicketWithBodyWithResponse(ctx, tickets.JSON200.Items[0].Id, &candorclient.ClaimTicketParams{}, "application/json", nil)
	if err != nil || claim.JSON200 == nil || claim.JSON200.Assignee == nil || *claim.JSON200.Assignee != "agent-ada" {
		t.Fatalf("claim without a body: %v %d %s", err, claim.StatusCode(), claim.Body)
	}

	// A suspended business's report is a typed 409 that says until when.
	until := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	sus, err := agent.SuspendBusinessReportingWithResponse(ctx, "acme-coffee", &candorclient.SuspendBusinessReportingParams{},
		candorclient.SuspensionRequest{Until: until, Note: "Kept reporting reviews that broke no guideline."})
	if err != nil || sus.StatusCode() != 201 {
		t.Fatalf("suspend: %v %d %s", err, sus.StatusCode(), sus.Body)
	}
	refused, err := biz.SubmitReportWithResponse(ctx, "rev-acme-03", &candorclient.SubmitReportParams{}, candorclient.ReportInput{
		PublicStatement: "We have no record of this order.",
		Items:           []candorclient.ReportItemInput{{Scope: "review", Reason: "spam", Details: "The same text was posted on three shops."}}})
	if err != nil || refused.JSON409 == nil {
		t.Fatalf("a report while suspended: %v %d %s", err, refused.StatusCode(), refused.Body)
	}
	if c := refused.JSON409.Error; c.Code != "reporting_suspended" || c.Until == nil || !c.Until.Equal(until) {
		t.Errorf("the 409 as typed: %+v, want reporting_suspended until %s", c, until)
	}
}
