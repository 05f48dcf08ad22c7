package api_test

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/smithy-go/middleware"

	"github.com/candorhq/candor/infra/local/stack"
	"github.com/candorhq/candor/shared/api"
)

// An agent adds an internal note to a ticket: 201 with the note, the
// ticket's detail lists it, a replay with the same key adds no second one,
// a note breaking the text rule is 422 under text, and only compliance
// may add one.
func TestTicketNotes(t *testing.T) {
	e := newEnv(t)
	_, tkt := e.submitReport()
	path := "/v1/compliance/tickets/" + tkt + "/notes"
	r := e.call("POST", path, e.compliance, map[string]any{"text": "  Rang the shop: no booking under this name. "}, "Idempotency-Key", "note-1")
	if r.status != http.StatusCreated {
		t.Fatalf("add note: %d %s", r.status, r.raw)
	}
	n := decode[api.NoteView](t, r)
	if n.Text != "Rang the shop: no booking under this name." || n.Author != "agent-ada" || n.ID == "" {
		t.Fatalf("note = %+v; want the cleaned text by agent-ada", n)
	}
	again := e.call("POST", path, e.compliance, map[string]any{"text": "  Rang the shop: no booking under this name. "}, "Idempotency-Key", "note-1")
	if again.status != http.StatusCreated || again.header.Get("Idempotent-Replayed") != "true" || decode[api.NoteView](t, again).ID != n.ID {
		t.Errorf("replay: %d %s %s; want the first note again, marked replayed", again.status, again.header, again.raw)
	}
	bob := e.s.Token("agent-bob", "compliance", "", time.Hour)
	e.mustStatus(http.StatusCreated, "POST", path, bob, map[string]any{"text": "Agree: ask for the order number."})

	detail, raw := e.ticket(tkt)
	if len(detail.Notes) != 2 || detail.Notes[0].ID != n.ID || detail.Notes[1].Author != "agent-bob" {
		t.Fatalf("notes in the ticket = %+v; want ada's then bob's; %s", detail.Notes, raw)
	}
	last := detail.Audit.Ticket[len(detail.Audit.Ticket)-1]
	if last.Action != "ticket.note_added" || last.Actor != "agent:agent-bob" {
		t.Errorf("last ticket audit entry = %+v; want ticket.note_added by agent:agent-bob", last)
	}

	if r := e.call("POST", path, e.compliance, map[string]any{"text": " \u200b "}); r.status != 422 || r.errorCode() != "validation_failed" || !strings.Contains(r.raw, `"text"`) {
		t.Errorf("an invisible note: %d %s; want 422 under text", r.status, r.raw)
	}
	if r := e.call("POST", path, e.biz1, map[string]any{"text": "A business's note."}); r.status != http.StatusForbidden {
		t.Errorf("a business adds a note: %d; want 403", r.status)
	}
	if r := e.call("POST", "/v1/compliance/tickets/tkt_0190a0a0a0a070008000000000000000/notes", e.compliance, map[string]any{"text": "x1"}); r.status != http.StatusNotFound {
		t.Errorf("a note on no ticket: %d; want 404", r.status)
	}
	if detail, _ := e.ticket(tkt); len(detail.Notes) != 2 {
		t.Errorf("after the refusals: %d notes, want 2", len(detail.Notes))
	}
}

// Nothing a business reads through its API or its email, and nothing the
// reviewer reads in an email or on their page, carries an internal note,
// through the whole round: report, note, evidence asked, answered,
// removed.
func TestNotesStayWithCompliance(t *testing.T) {
	e := newEnv(t)
	rep, tkt := e.submitReport()
	const secret = "Internal: the owner called twice, sounded angry"
	e.mustStatus(http.StatusCreated, "POST", "/v1/compliance/tickets/"+tkt+"/notes", e.compliance, map[string]any{"text": secret})
	e.mustStatus(http.StatusOK, "POST", "/v1/compliance/tickets/"+tkt+"/claim", e.compliance, nil)
	if d := e.decide(tkt, e.compliance, map[string]any{"outcome": "request_reviewer_action", "kind": "evidence", "note": "Need the order.",
		"message": "Please send us your order number."}); d.status != 202 {
		t.Fatalf("request evidence: %d %s", d.status, d.raw)
	}
	mails := e.mailsTo(reviewerAddr)
	link := e.reviewerLink(mails[len(mails)-1])
	var pages []string
	pages = append(pages, e.openPage(link).body)
	pages = append(pages, e.postPage(link, map[string][]string{"reply": {"Order 4711 on 3 October."}}).body)
	e.mustStatus(http.StatusCreated, "POST", "/v1/compliance/tickets/"+tkt+"/notes", e.compliance, map[string]any{"text": secret + " again"})
	e.mustStatus(http.StatusOK, "POST", "/v1/compliance/tickets/"+tkt+"/claim", e.compliance, nil)
	if d := e.decide(tkt, e.compliance, map[string]any{"outcome": "remove", "upheldReasons": []string{"offensive_or_harmful"}, "note": "The order number is another customer's."}); d.status != 202 {
		t.Fatalf("remove: %d %s", d.status, d.raw)
	}
	for _, p := range []string{"/v1/reports/" + rep, "/v1/reports", "/v1/reviews/rev-organic", "/v1/reviews", "/v1/reports/summary"} {
		e.mustStatus(http.StatusOK, "GET", p, e.biz1, nil)
	}
	e.call("GET", "/v1/public/reviews/rev-organic", "", nil)
	for _, m := range append(e.mailsTo(reviewerAddr), e.mailsTo("ops@acme.example")...) {
		pages = append(pages, m.Subject+m.Text+m.HTML)
	}
	e.mu.Lock()
	pages = append(pages, e.businessBodies...)
	e.mu.Unlock()
	if len(pages) < 10 {
		t.Fatalf("only %d pages, bodies and emails read; the check would prove little", len(pages))
	}
	for _, body := range pages {
		if strings.Contains(body, "owner called twice") {
			t.Fatalf("a business's or the reviewer's view carries an internal note: %.300s", body)
		}
	}
	if detail, _ := e.ticket(tkt); len(detail.Notes) != 2 {
		t.Errorf("compliance sees %d notes, want 2", len(detail.Notes))
	}
}

// A ticket's case, notes included, is five DynamoDB calls when the review
// has no Find Reviewer request: one Query each of the ticket's, the
// report's and the review's partition, and the business's reporting (its
// month buckets in one BatchGetItem, its sanctions in one Query); each
// request on the review adds one Query.
func TestTicketCaseReads(t *testing.T) {
	var mu sync.Mutex
	var ops []string
	count := func(s *middleware.Stack) error {
		return s.Initialize.Add(middleware.InitializeMiddlewareFunc("countCalls", func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
			if awsmiddleware.GetServiceID(ctx) == "DynamoDB" {
				mu.Lock()
				ops = append(ops, middleware.GetOperationName(ctx))
				mu.Unlock()
			}
			return next.HandleInitialize(ctx, in)
		}), middleware.Before)
	}
	e := newEnv(t, func(c *stack.Config) { c.APIFunctionOptions = append(c.APIFunctionOptions, count) })
	_, tkt := e.submitReport()
	e.mustStatus(http.StatusCreated, "POST", "/v1/compliance/tickets/"+tkt+"/notes", e.compliance, map[string]any{"text": "A note."})
	mu.Lock()
	ops = nil
	mu.Unlock()
	detail, _ := e.ticket(tkt)
	mu.Lock()
	defer mu.Unlock()
	want := []string{"Query", "Query", "Query", "BatchGetItem", "Query"}
	if !slices.Equal(ops, want) || len(detail.Notes) != 1 || len(detail.Review.Versions) != 1 || len(detail.Audit.Review) == 0 {
		t.Errorf("a ticket's case: calls %v, %d notes, %d versions, %d review audit entries; want %v, the note, the version and the trail",
			ops, len(detail.Notes), len(detail.Review.Versions), len(detail.Audit.Review), want)
	}
}
