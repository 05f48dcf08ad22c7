package console_test

import (
	"context"
	"errors"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/candorhq/candor/shared/app"
	"github.com/candorhq/candor/shared/consoleauth"
	"github.com/candorhq/candor/shared/moderation"
)

// deciding is the fake use cases of a case page: one ticket held by the
// agent (agent-anna), its case, and what Decide answers.
type deciding struct {
	*desk
	c       app.TicketCase
	after   moderation.Ticket // the ticket as it is after a refused decision
	err     error             // what Decide answers
	decided []moderation.Decision
}

func (d *deciding) Ticket(context.Context, string) (app.TicketCase, error) {
	if d.after.ID != "" {
		return app.TicketCase{Ticket: d.after, Decision: moderation.Decision{Agent: d.after.Assignee}}, nil
	}
	return d.c, nil
}

func (d *deciding) Decide(_ context.Context, a app.Actor, id string, dec moderation.Decision, _ *app.Idempotency) (moderation.Ticket, moderation.Decision, error) {
	if a.Subject != "agent-anna" || id != d.c.Ticket.ID {
		return moderation.Ticket{}, dec, errors.New("decided as the wrong agent or on the wrong ticket")
	}
	if d.err != nil {
		return moderation.Ticket{}, dec, d.err
	}
	d.decided = append(d.decided, dec)
	return moderation.Ticket{ID: id, Status: moderation.TicketDecided}, dec, nil
}

func (d *deciding) Business(context.Context, string) (moderation.Business, error) {
	return moderation.Business{ID: "biz-nord", Name: "Café Nord"}, nil
}

const (
	reviewerName  = "Sam Taylor"
	reviewerEmail = "sam.taylor@example.org"
)

// reviewCase is a review ticket held by agent-anna, reported for two
// reasons, whose reviewer reads Swedish.
func reviewCase() *deciding {
	at := time.Date(2026, 12, 7, 7, 0, 0, 0, time.UTC)
	c := app.TicketCase{Ticket: moderation.Ticket{ID: "tkt_00000000000000000000000000000001", Kind: moderation.TicketKindReview, ReportID: "rpt_01", ReviewID: "rev-1", BusinessID: "biz-nord",
		Status: moderation.TicketInProgress, Assignee: "agent-anna", Rounds: 1, QueuedAt: at}}
	c.Report.Report = moderation.Report{ID: "rpt_01", BusinessID: "biz-nord", ReviewVersion: 1, CreatedAt: at, Items: []moderation.ReportItem{
		{Scope: moderation.ScopeContent, Reason: moderation.ReasonPersonalInformation, Excerpt: "070-123 45 67"},
		{Scope: moderation.ScopeContent, Reason: moderation.ReasonOffensiveOrHarmful, Excerpt: "a fraud"},
		{Scope: moderation.ScopeContent, Reason: moderation.ReasonPersonalInformation, Excerpt: "Storgatan 1"}}}
	c.Review.Review = moderation.Review{ID: "rev-1", Version: 1, Title: "Kall kaffe", Text: "The owner is a fraud, call 070-123 45 67.",
		Reviewer: moderation.Reviewer{Email: reviewerEmail, Name: reviewerName, Locale: "sv-SE", TimeZone: "Europe/Stockholm"}}
	return &deciding{desk: &desk{taken: map[string]bool{}}, c: c}
}

func form(s site, kv ...string) url.Values {
	v := url.Values{consoleauth.CSRFField: {s.session.CSRF}}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Add(kv[i], kv[i+1])
	}
	return v
}

// The panel offers the reported reasons once each as the removal's
// choices, and the reviewer rounds left.
func TestDecisionPanelOffersTheReportedReasonsAndRoundsLeft(t *testing.T) {
	d := reviewCase()
	s := newSite(t, d)
	body := s.do("GET", "/console/tickets/tkt_00000000000000000000000000000001", nil).Body.String()
	for _, want := range []string{`id="remove-reason-personal_information"`, `id="remove-reason-offensive_or_harmful"`, `<strong id="rounds-left">2</strong> of 3`,
		`accesskey="i"`, `accesskey="r"`, `accesskey="a"`, "Swedish (sv)"} {
		if !strings.Contains(body, want) {
			t.Errorf("the case page lacks %s", want)
		}
	}
	if n := strings.Count(body, `name="upheld" value="personal_information"`); n != 1 {
		t.Errorf("personal_information is offered %d times, want once (it was reported twice)", n)
	}
	for _, secret := range []string{reviewerName, reviewerEmail} {
		if strings.Contains(body, secret) {
			t.Errorf("the case page holds the reviewer's %q", secret)
		}
	}

	d.c.Ticket.Assignee = "agent-ben"
	body = s.do("GET", "/console/tickets/tkt_00000000000000000000000000000001", nil).Body.String()
	if strings.Contains(body, `action="/console/tickets/tkt_00000000000000000000000000000001/decision"`) || !strings.Contains(body, "Another agent holds this ticket") {
		t.Errorf("another agent's ticket offers decisions to agent-anna")
	}
}

// A refused decision comes back with everything typed, each problem next
// to its field, and a summary that takes the focus; the title says error.
func TestARefusedDecisionKeepsWhatWasTyped(t *testing.T) {
	d := reviewCase()
	d.err = moderation.Invalid(map[string]string{"note": "must be at least 10 characters", "upheldReasons": "name at least one reported reason"})
	s := newSite(t, d)
	rec := s.do("POST", "/console/tickets/tkt_00000000000000000000000000000001/decision", form(s, "outcome", "remove", "note", "Too <short>", "upheld", "offensive_or_harmful"))
	body := rec.Body.String()
	if rec.Code != http.StatusUnprocessableEntity {
		t.Fatalf("refused decision: %d, want 422", rec.Code)
	}
	for _, want := range []string{
		"<title>Error: Ticket tkt_00000000000000000000000000000001",
		`id="error-summary" role="alert" aria-labelledby="error-summary-title" tabindex="-1" autofocus`,
		`<a href="#remove-upheldReasons">Reasons upheld: name at least one reported reason</a>`,
		`<a href="#remove-note">Facts relied on: must be at least 10 characters</a>`,
		`<p class="error" id="remove-note-error">Facts relied on: must be at least 10 characters</p>`,
		`aria-describedby="remove-note-hint remove-note-error" aria-invalid="true">Too &lt;short&gt;</textarea>`,
		`value="offensive_or_harmful" id="remove-reason-offensive_or_harmful" checked`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the refused form lacks %s in %s", want, body[strings.Index(body, `id="remove-form"`):])
		}
	}
	if strings.Index(body, `href="#remove-upheldReasons"`) > strings.Index(body, `href="#remove-note"`) {
		t.Errorf("the summary does not list the problems in the order of the form")
	}
	if strings.Contains(body, `id="reinstate-note-error"`) || strings.Contains(body, `>Too &lt;short&gt;</textarea><`) && strings.Count(body, "Too &lt;short&gt;") != 1 {
		t.Errorf("the other decisions' forms show the removal's problems or text")
	}
}

// A decision the ticket's state forbids says what happened and links to
// the case as it is now.
func TestADecisionInConflictSaysWhatHappened(t *testing.T) {
	for _, tc := range []struct {
		name  string
		err   error
		after moderation.Ticket
		want  string
	}{
		{"someone else decided", moderation.Conflict(moderation.CodeTicketNotInProgress, "the ticket changed meanwhile"),
			moderation.Ticket{ID: "tkt_00000000000000000000000000000001", Status: moderation.TicketDecided, Assignee: "agent-ben"}, "Someone else decided"},
		{"sent twice", moderation.Conflict(moderation.CodeTicketNotInProgress, "the ticket changed meanwhile"),
			moderation.Ticket{ID: "tkt_00000000000000000000000000000001", Status: moderation.TicketDecided, Assignee: "agent-anna"}, "You decided this ticket already"},
		{"released meanwhile", moderation.Conflict(moderation.CodeTicketNotInProgress, "claim it first"),
			moderation.Ticket{ID: "tkt_00000000000000000000000000000001", Status: moderation.TicketOpen}, "it is back in the queue"},
		{"held by another agent", moderation.Conflict(moderation.CodeTicketNotInProgress, "claim it first"),
			moderation.Ticket{ID: "tkt_00000000000000000000000000000001", Status: moderation.TicketInProgress, Assignee: "agent-ben"}, "another agent holds it"},
		{"rounds exhausted", moderation.Conflict(moderation.CodeRoundsExhausted, "the reviewer was already contacted the maximum number of times"),
			moderation.Ticket{}, "already asked as often as the policy allows"},
		{"a window closed", moderation.Conflict(moderation.CodeStateChanged, "the reviewer's window closed meanwhile"),
			moderation.Ticket{}, "Your decision was not recorded: the reviewer's window closed meanwhile."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := reviewCase()
			d.err, d.after = tc.err, tc.after
			s := newSite(t, d)
			rec := s.do("POST", "/console/tickets/tkt_00000000000000000000000000000001/decision", form(s, "outcome", "request_reviewer_action", "kind", "evidence",
				"message", "Please send the order confirmation.", "note", "Need the reviewer's side."))
			body := html.UnescapeString(rec.Body.String())
			if rec.Code != http.StatusConflict || !strings.Contains(body, tc.want) || !strings.Contains(body, `href="/console/tickets/tkt_00000000000000000000000000000001" id="fresh-case"`) {
				t.Errorf("conflict: %d; want 409 saying %q with a link to the fresh case; page:\n%s", rec.Code, tc.want, body)
			}
		})
	}
}

// After a decision the next oldest open ticket is claimed and its case
// opens, saying the decision was recorded; with none left the queues say so.
func TestAfterADecisionTheNextCaseOpens(t *testing.T) {
	d := reviewCase()
	d.open = []moderation.Ticket{{ID: "tkt_00000000000000000000000000000002"}, {ID: "tkt_00000000000000000000000000000003"}}
	d.taken["tkt_00000000000000000000000000000002"] = true // another agent was quicker
	s := newSite(t, d)
	rec := s.do("POST", "/console/tickets/tkt_00000000000000000000000000000001/decision", form(s, "outcome", "remove", "note", "Publishes a private phone number.",
		"upheld", "personal_information"))
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/console/tickets/tkt_00000000000000000000000000000003?after=tkt_00000000000000000000000000000001&decided=remove" {
		t.Fatalf("after the decision: %d to %q, want the next free ticket tkt_00000000000000000000000000000003", rec.Code, rec.Header().Get("Location"))
	}
	if len(d.decided) != 1 || d.decided[0].Outcome != "remove" || len(d.decided[0].UpheldReasons) != 1 || d.decided[0].UpheldReasons[0] != "personal_information" ||
		d.decided[0].Note != "Publishes a private phone number." {
		t.Errorf("the use case was asked %+v", d.decided)
	}
	body := s.do("GET", "/console/tickets/tkt_00000000000000000000000000000001?after=tkt_00000000000000000000000000000001&decided=remove", nil).Body.String()
	if !strings.Contains(body, "Your decision on tkt_00000000000000000000000000000001 is recorded: removed.") {
		t.Errorf("the next case does not say the decision was recorded")
	}
	if body := s.do("GET", "/console/tickets/tkt_00000000000000000000000000000001?after=<b>&decided=remove", nil).Body.String(); strings.Contains(body, "is recorded") {
		t.Errorf("the notice takes a ticket id that is not one")
	}

	d.open = nil
	rec = s.do("POST", "/console/tickets/tkt_00000000000000000000000000000001/decision", form(s, "outcome", "reinstate", "note", "Nothing in it breaks the guidelines."))
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/console?notice=decided" {
		t.Errorf("with nothing left: %d to %q, want the queues saying so", rec.Code, rec.Header().Get("Location"))
	}
	if body := s.do("GET", "/console?notice=decided", nil).Body.String(); !strings.Contains(body, "No open ticket is waiting") {
		t.Errorf("the queues do not say nothing is left")
	}
}

// "Preview the email" shows the email the reviewer would get, in their
// language, rendered by the mail catalogue; nothing is recorded and the
// form keeps what was typed. The page holds nothing of the reviewer's
// identity.
func TestPreviewShowsTheReviewersEmailInTheirLanguage(t *testing.T) {
	d := reviewCase()
	s := newSite(t, d)
	msg := "Skicka gärna orderbekräftelsen du fick."
	rec := s.do("POST", "/console/tickets/tkt_00000000000000000000000000000001/decision", form(s, "outcome", "request_reviewer_action", "kind", "evidence", "message", msg,
		"note", "", "preview", "1"))
	body := html.UnescapeString(rec.Body.String())
	if rec.Code != http.StatusOK || len(d.decided) != 0 {
		t.Fatalf("preview: %d, %d decisions recorded; want 200 and none", rec.Code, len(d.decided))
	}
	for _, want := range []string{"The email the reviewer will get (Swedish (sv))", msg, "Café Nord", "Kall kaffe",
		`value="evidence" id="kind-evidence" accesskey="a" required checked`, ">" + msg + "</textarea>"} {
		if !strings.Contains(body, want) {
			t.Errorf("the preview page lacks %q", want)
		}
	}
	for _, secret := range []string{reviewerName, reviewerEmail} {
		if strings.Contains(body, secret) {
			t.Errorf("the preview holds the reviewer's %q", secret)
		}
	}

	rec = s.do("POST", "/console/tickets/tkt_00000000000000000000000000000001/decision", form(s, "outcome", "request_reviewer_action", "kind", "evidence", "message", "Too short", "preview", "1"))
	body = rec.Body.String()
	if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(body, `id="request_reviewer_action-message-error"`) || strings.Contains(body, `id="mail-preview"`) ||
		strings.Contains(body, `id="request_reviewer_action-note-error"`) {
		t.Errorf("a preview of a too short message: %d; want 422 with the message's problem only and no preview", rec.Code)
	}
}

// A ticket on a business's reply shows the reply as reported and the
// reports, and is decided remove or keep.
func TestAReplyTicketIsDecidedRemoveOrKeep(t *testing.T) {
	at := time.Date(2026, 12, 7, 7, 0, 0, 0, time.UTC)
	d := &deciding{desk: &desk{taken: map[string]bool{}}}
	d.c = app.TicketCase{Ticket: moderation.Ticket{ID: "tkt_00000000000000000000000000000001", Kind: moderation.TicketKindReply, ReviewID: "rev-1", BusinessID: "biz-nord",
		Status: moderation.TicketInProgress, Assignee: "agent-anna", QueuedAt: at, Reports: 1, ReplyReasons: []moderation.ReplyReason{moderation.ReplyReasonThreats}},
		ReplyReports: []moderation.ReplyReport{{ReviewID: "rev-1", ReplyRevision: 2, Reason: moderation.ReplyReasonThreats, Reporter: moderation.ReplyReporterReviewer,
			Details: "It threatens me.", At: at}},
		ReplyVersions: []moderation.ReplyVersion{{Revision: 1, Text: "Thank you for your visit."}, {Revision: 2, Text: "We know where you live."}}}
	d.c.Review.Review = moderation.Review{ID: "rev-1", Title: "Kall kaffe", Text: "Cold coffee.", Reviewer: moderation.Reviewer{Name: reviewerName, Email: reviewerEmail},
		Reply: moderation.Reply{Status: moderation.ReplyPublished, Revision: 2, Text: "We know where you live."}}
	s := newSite(t, d)
	body := s.do("GET", "/console/tickets/tkt_00000000000000000000000000000001", nil).Body.String()
	for _, want := range []string{"We know where you live.", "It threatens me.", "the reviewer, through their email", `id="keep-form"`, `id="remove-reason-threats_or_aggression"`} {
		if !strings.Contains(body, want) {
			t.Errorf("the reply ticket's case lacks %q", want)
		}
	}
	for _, absent := range []string{"Thank you for your visit.", `id="request_reviewer_action-form"`, `id="reinstate-form"`, reviewerName, reviewerEmail} {
		if strings.Contains(body, absent) {
			t.Errorf("the reply ticket's case holds %q", absent)
		}
	}
	rec := s.do("POST", "/console/tickets/tkt_00000000000000000000000000000001/decision", form(s, "outcome", "keep", "note", "A reply within the guidelines."))
	if rec.Code != http.StatusSeeOther || len(d.decided) != 1 || d.decided[0].Outcome != moderation.DecideKeep {
		t.Errorf("keep: %d, decided %+v; want the keep decision recorded", rec.Code, d.decided)
	}
}
