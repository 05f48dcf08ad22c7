package console_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/candorhq/candor/shared/app"
	"github.com/candorhq/candor/shared/consoleauth"
	"github.com/candorhq/candor/shared/document"
	"github.com/candorhq/candor/shared/moderation"
)

func (d *desk) BusinessReporting(context.Context, string) (app.BusinessReporting, error) {
	return app.BusinessReporting{}, nil
}
func (d *desk) AddNote(context.Context, app.Actor, string, string, *app.Idempotency) (moderation.InternalNote, error) {
	return moderation.InternalNote{}, nil
}

// caseDesk is a desk with one case and its notes, as the use cases would
// keep them.
type caseDesk struct {
	desk
	c  app.TicketCase
	br app.BusinessReporting
}

func (d *caseDesk) Ticket(_ context.Context, id string) (app.TicketCase, error) {
	if id != d.c.Ticket.ID {
		return app.TicketCase{}, moderation.ErrNotFound
	}
	return d.c, nil
}
func (d *caseDesk) BusinessReporting(context.Context, string) (app.BusinessReporting, error) {
	return d.br, nil
}
func (d *caseDesk) AddNote(_ context.Context, a app.Actor, id, text string, _ *app.Idempotency) (moderation.InternalNote, error) {
	n, err := moderation.NewInternalNote("note_1", d.c.Ticket, a.Subject, text, d.c.Ticket.QueuedAt)
	if err == nil {
		d.c.Notes = append(d.c.Notes, n)
	}
	return n, err
}

var at = time.Date(2026, 12, 7, 7, 0, 0, 0, time.UTC)

// aCase is a ticket whose report quotes "a crook", whose reviewer edited
// the review once and sent evidence with three documents, one of each scan
// state that matters.
func aCase() app.TicketCase {
	const tkt = "tkt_0190a0a0a0a070008000000000000001"
	rep := moderation.Report{ID: "rpt_1", BusinessID: "biz-1", ReviewVersion: 1, Status: moderation.ReportAwaitingReviewer, PublicStatement: "We never served this guest.",
		Items: []moderation.ReportItem{{Scope: moderation.ScopeContent, Reason: moderation.ReasonOffensiveOrHarmful, Details: "Calls the owner names.", Excerpt: "a crook"}}}
	return app.TicketCase{
		Ticket: moderation.Ticket{ID: tkt, ReportID: "rpt_1", BusinessID: "biz-1", Status: moderation.TicketWaitingForReviewer, Rounds: 1, QueuedAt: at},
		Report: app.ReportDetail{Report: rep, ReviewerDeadline: at.Add(7 * 24 * time.Hour),
			Answers: []app.Answer{{Kind: "evidence", Round: 1, Text: "Order 4711, paid by card.", At: at.Add(time.Hour)}},
			Documents: []app.ReportDocument{
				{Document: document.Document{ID: "doc_clean", Answer: document.AnswerRef{Kind: "evidence", Round: 1}, Type: document.PDF, Size: 34_000, Scan: document.ScanClean, UploadedAt: at}},
				{Document: document.Document{ID: "doc_pending", Answer: document.AnswerRef{Kind: "evidence", Round: 1}, Type: document.PNG, Size: 800, Scan: document.ScanPending, UploadedAt: at}},
				{Document: document.Document{ID: "doc_threat", Answer: document.AnswerRef{Kind: "evidence", Round: 1}, Type: document.PDF, Size: 900, Scan: document.ScanThreat, UploadedAt: at}},
				{Document: document.Document{ID: "doc_unsent", Type: document.PDF, Size: 900, Scan: document.ScanClean, UploadedAt: at}},
			}},
		Review: moderation.ReviewContext{Review: moderation.Review{ID: "rev-1", Version: 2, Visibility: moderation.UnderInvestigation,
			Reviewer: moderation.Reviewer{Name: "Ana Reviewsson", Email: "ana.reviewer@example.org"}}},
		Versions: []moderation.ReviewVersion{
			{Version: 1, Stars: 1, Title: "Awful", Text: "The owner is a crook and the beans were stale.", At: at.Add(-time.Hour), By: moderation.VersionByPlatform},
			{Version: 2, Stars: 2, Title: "Awful", Text: "The beans were stale, but they refunded me.", At: at.Add(2 * time.Hour), By: moderation.VersionByReviewer},
		},
	}
}

// The case page shows what an agent needs to decide: the excerpt marked in
// the reported version, the later version as a word diff, the answer and
// its documents (only a clean one links), the running window in the
// agent's zone with UTC in its title, and nothing of the reviewer's
// identity.
func TestCasePage(t *testing.T) {
	d := &caseDesk{c: aCase()}
	s := newSite(t, d)
	rec := s.do("GET", "/console/tickets/"+d.c.Ticket.ID, nil)
	body := rec.Body.String()
	if rec.Code != http.StatusOK {
		t.Fatalf("case page: %d %s", rec.Code, body)
	}
	for _, want := range []string{
		"The owner is <mark>a crook</mark> and the beans were stale.",
		"The<del> owner is a crook and the beans were stale.</del><ins> beans were stale, but they refunded me.</ins>",
		"1 → 2 of 5 stars",
		"Order 4711, paid by card.",
		`<a href="/console/documents/doc_clean">doc_clean</a>`,
		"being scanned", "withheld",
		"We never served this guest.",
		`title="2026-12-14 07:00 UTC">2026-12-14 08:00 CET</time>`,
		"Reviewer-action window",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the case page lacks %q", want)
		}
	}
	for _, never := range []string{"doc_unsent", `href="/console/documents/doc_pending"`, `href="/console/documents/doc_threat"`, "Ana Reviewsson", "ana.reviewer", "Reviewsson"} {
		if strings.Contains(body, never) {
			t.Errorf("the case page shows %q", never)
		}
	}
}

// A note is added through the form and listed; a note breaking the text
// rule shows its problem next to the field with the text kept, and is not
// added.
func TestCaseNoteForm(t *testing.T) {
	d := &caseDesk{c: aCase()}
	s := newSite(t, d)
	path := "/console/tickets/" + d.c.Ticket.ID + "/notes"
	rec := s.do("POST", path, url.Values{consoleauth.CSRFField: {s.session.CSRF}, "text": {"\u202Ereversed text"}})
	body := rec.Body.String()
	if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(body, `id="note-error"`) || !strings.Contains(body, "invisible formatting") ||
		!strings.Contains(body, "reversed text</textarea>") || !strings.Contains(body, `aria-invalid="true"`) {
		t.Fatalf("a refused note: %d; want 422 with the problem next to the field and the text kept; body %s", rec.Code, body)
	}
	if len(d.c.Notes) != 0 {
		t.Fatalf("a refused note was added: %+v", d.c.Notes)
	}
	rec = s.do("POST", path, url.Values{consoleauth.CSRFField: {s.session.CSRF}, "text": {"Rang the shop: no booking."}})
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/console/tickets/"+d.c.Ticket.ID+"#notes" {
		t.Fatalf("a note: %d to %q; want 303 to the case's notes", rec.Code, rec.Header().Get("Location"))
	}
	if body := s.do("GET", "/console/tickets/"+d.c.Ticket.ID, nil).Body.String(); !strings.Contains(body, "<strong>agent-anna</strong>") || !strings.Contains(body, "Rang the shop: no booking.") {
		t.Errorf("the case does not list the note by agent-anna")
	}
	if rec := s.do("POST", path, url.Values{"text": {"no token"}}); rec.Code != http.StatusForbidden || len(d.c.Notes) != 1 {
		t.Errorf("a note without the CSRF token: %d, %d notes; want 403 and still 1", rec.Code, len(d.c.Notes))
	}
}
