package stack_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"testing"
	"time"

	"github.com/candorhq/candor/infra/local/dynamotest"
	"github.com/candorhq/candor/infra/local/stack"
	"github.com/candorhq/candor/shared/moderation"
)

// TestReviewerActionWindowIsNotTheProofWindow: the stack's policy reaches
// the investigation, and an agent's request to the reviewer waits the
// reviewer-action window (P7), not the proof window (P6): with a proof
// window of one hour and an action window of three, the ticket is still
// waiting for the reviewer after two hours and back in the queue, marked
// no_response, once the three have passed.
func TestReviewerActionWindowIsNotTheProofWindow(t *testing.T) {
	policy := moderation.Policy{ProofWindow: time.Hour, ReviewerActionWindow: 3 * time.Hour}
	endpoint, table := dynamotest.ForStack(t, "candor")
	s, err := stack.Start(context.Background(), stack.Config{APIAddr: "127.0.0.1:0", AWSAddr: "127.0.0.1:0", Start: t0, Seed: true,
		DynamoDBEndpoint: endpoint, TableName: table, Policy: policy, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	tok := s.Demo.Businesses[0].Token
	status, report := post(t, s.APIURL+"/v1/reviews/rev-acme-01/reports", tok, `{"items": [{"scope": "content", "reason": "offensive_or_harmful",
		"details": "Calls the owner a fraud who belongs in jail.", "excerpt": "The owner is a fraud and should be in jail."}],
		"publicStatement": "We have no record of this order; the accusation is false."}`)
	if status != http.StatusAccepted {
		t.Fatalf("POST report: %d %v", status, report)
	}
	s.Settle()
	ticket := ""
	_, queue := get(t, s.APIURL+"/v1/compliance/tickets?limit=100", s.Demo.Compliance)
	items, _ := queue["items"].([]any)
	for _, it := range items {
		if m, _ := it.(map[string]any); m["reportId"] == report["id"] {
			ticket = s.APIURL + "/v1/compliance/tickets/" + m["id"].(string)
		}
	}
	if ticket == "" {
		t.Fatalf("report %v has no ticket in the queue %v", report["id"], queue)
	}
	if status, body := post(t, ticket+"/claim", s.Demo.Compliance, "{}"); status != http.StatusOK {
		t.Fatalf("claim: %d %v", status, body)
	}
	if status, body := post(t, ticket+"/decision", s.Demo.Compliance, `{"outcome": "request_reviewer_action", "kind": "evidence",
		"note": "The accusation needs the reviewer's side.", "message": "Please send the order confirmation you received."}`); status != http.StatusAccepted {
		t.Fatalf("decision: %d %v", status, body)
	}
	s.Settle()
	s.Advance(2 * time.Hour)
	if _, body := get(t, ticket, s.Demo.Compliance); body["status"] != string(moderation.TicketWaitingForReviewer) {
		t.Fatalf("after 2 h (past the proof window) the ticket is %v, want still waiting_for_reviewer", body["status"])
	}
	s.Advance(time.Hour)
	if _, body := get(t, ticket, s.Demo.Compliance); body["status"] != string(moderation.TicketOpen) || body["marker"] != moderation.MarkerNoResponse {
		t.Errorf("after the 3 h action window the ticket is %v marked %v, want open marked no_response", body["status"], body["marker"])
	}
}
