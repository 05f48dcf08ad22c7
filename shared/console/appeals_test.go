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
	"github.com/candorhq/candor/shared/moderation"
)

// appealDesk fakes the appeal use cases over a few appeals, oldest first,
// by the domain's own rules: the claim refuses the first decision's agent,
// the decision checks its fields.
type appealDesk struct {
	*desk
	appeals []*moderation.Appeal
	taken   map[string]bool // claimed by someone else meanwhile
	claimed []string
	decided []moderation.AppealDecision
}

func newAppealDesk(appeals ...moderation.Appeal) *appealDesk {
	d := &appealDesk{desk: &desk{}, taken: map[string]bool{}}
	for i := range appeals {
		d.appeals = append(d.appeals, &appeals[i])
	}
	return d
}

func (d *appealDesk) find(id string) *moderation.Appeal {
	for _, a := range d.appeals {
		if a.ID == id {
			return a
		}
	}
	return nil
}

func (d *appealDesk) ListAppeals(_ context.Context, status moderation.AppealStatus, _ app.Page) ([]moderation.Appeal, string, error) {
	var out []moderation.Appeal
	for _, a := range d.appeals {
		if a.Status == status {
			out = append(out, *a)
		}
	}
	return out, "", nil
}

var reported = moderation.Report{ID: "rpt_1", BusinessID: "biz-1", Status: moderation.ReportClosed, ReviewVersion: 1,
	Items: []moderation.ReportItem{{Scope: moderation.ScopeContent, Reason: moderation.ReasonPersonalInformation, Details: "A phone number."}}}

func (d *appealDesk) Appeal(_ context.Context, id string) (app.AppealCase, error) {
	a := d.find(id)
	if a == nil {
		return app.AppealCase{}, moderation.ErrNotFound
	}
	return app.AppealCase{Appeal: *a, Report: app.ReportDetail{Report: reported},
		FirstDecision: moderation.Decision{Outcome: moderation.DecideRemove, Note: "The review names a private phone number.", Agent: a.FirstAgent},
		Versions:      []moderation.ReviewVersion{{Version: 1, Stars: 1, Title: "Awful", Text: "Call him on +46 70 123 45 67."}}}, nil
}

func (d *appealDesk) ClaimAppeal(_ context.Context, actor app.Actor, id string, _ *app.Idempotency) (moderation.Appeal, error) {
	d.claimed = append(d.claimed, id)
	a := d.find(id)
	if d.taken[id] {
		return moderation.Appeal{}, moderation.Conflict(moderation.CodeAppealNotOpen, "the appeal was claimed meanwhile")
	}
	if err := moderation.CanClaimAppeal(*a, actor.Subject); err != nil {
		return moderation.Appeal{}, err
	}
	a.Status, a.Assignee = moderation.AppealInProgress, actor.Subject
	return *a, nil
}

func (d *appealDesk) DecideAppeal(_ context.Context, actor app.Actor, id string, dec moderation.AppealDecision, _ *app.Idempotency) (moderation.Appeal, error) {
	a := d.find(id)
	dec.Agent = actor.Subject
	if err := moderation.ValidateAppealDecision(*a, dec, reported.Reasons()); err != nil {
		return moderation.Appeal{}, err
	}
	d.decided = append(d.decided, dec)
	a.Status, a.Decision = moderation.AppealDecided, dec
	return *a, nil
}

func openAppeal(id, firstAgent string, queued time.Time) moderation.Appeal {
	return moderation.Appeal{ID: id, ReportID: "rpt_1", BusinessID: "biz-1", Appellant: moderation.PartyReviewer, Reason: "The number is the shop's, not a private one.",
		Status: moderation.AppealOpen, Contested: moderation.OutcomeRemoved, FirstAgent: firstAgent, FiledAt: queued, QueuedAt: queued}
}

var (
	apl1 = "apl_" + strings.Repeat("1", 32)
	apl2 = "apl_" + strings.Repeat("2", 32)
	apl3 = "apl_" + strings.Repeat("3", 32)
)

var seven = time.Date(2026, 12, 7, 7, 0, 0, 0, time.UTC) // two hours before the sites' clock

// The appeal queue shows its count and the oldest's age in the agent's
// zone, and marks the appeals that contest the agent's own decisions.
func TestAppealQueueShowsCountOldestAndConflicts(t *testing.T) {
	d := newAppealDesk(openAppeal(apl1, "agent-anna", seven), openAppeal(apl2, "agent-ben", seven.Add(time.Hour)))
	s := newSite(t, d)
	rec := s.do("GET", "/console/appeals", nil)
	body := rec.Body.String()
	if rec.Code != http.StatusOK || !strings.Contains(body, `<dd id="appeal-count">2</dd>`) || !strings.Contains(body, "2 h 0 min (since 2026-12-07 08:00 CET)") {
		t.Fatalf("appeal queue: %d; want 2 open, the oldest 2 h old at 08:00 CET:\n%s", rec.Code, body)
	}
	first := body[strings.Index(body, `data-appeal="`+apl1+`"`):]
	first = first[:strings.Index(first, "</tr>")]
	second := body[strings.Index(body, `data-appeal="`+apl2+`"`):]
	second = second[:strings.Index(second, "</tr>")]
	if !strings.Contains(first, "data-conflict") || strings.Contains(second, "data-conflict") {
		t.Errorf("the queue should mark apl_1 (agent-anna decided it) and only it as not hers to take")
	}
}

// Start reviewing appeals claims the oldest open appeal the agent may
// take: not one contesting her own decision, not one another agent claimed
// meanwhile; with none left it says so.
func TestStartReviewingAppealsSkipsOwnDecisionsAndTakenOnes(t *testing.T) {
	d := newAppealDesk(openAppeal(apl1, "agent-anna", seven), openAppeal(apl2, "agent-ben", seven), openAppeal(apl3, "", seven))
	d.taken[apl2] = true
	s := newSite(t, d)
	rec := s.do("POST", "/console/appeals/start", url.Values{consoleauth.CSRFField: {s.session.CSRF}})
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/console/appeals/"+apl3 {
		t.Fatalf("start: %d to %q, want apl_3", rec.Code, rec.Header().Get("Location"))
	}
	if strings.Join(d.claimed, ",") != apl2+","+apl3 {
		t.Errorf("claims asked: %v; want apl_2 (taken meanwhile) then apl_3, never apl_1 (her own decision)", d.claimed)
	}
	rec = s.do("POST", "/console/appeals/start", url.Values{consoleauth.CSRFField: {s.session.CSRF}})
	if rec.Header().Get("Location") != "/console/appeals?notice=empty" {
		t.Errorf("start with only her own decision left: to %q, want the queue saying there is none for her", rec.Header().Get("Location"))
	}
}

// The agent who took the first decision sees the conflict of interest on
// the appeal's page and is offered no claim; another agent is.
func TestAppealPageShowsTheConflictOfInterestBeforeClaiming(t *testing.T) {
	d := newAppealDesk(openAppeal(apl1, "agent-anna", seven))
	s := newSite(t, d)
	body := s.do("GET", "/console/appeals/"+apl1, nil).Body.String()
	if !strings.Contains(body, `id="conflict"`) || strings.Contains(body, `id="claim-appeal"`) {
		t.Errorf("the first decider's appeal page: conflict shown %v, claim offered %v; want the conflict and no claim",
			strings.Contains(body, `id="conflict"`), strings.Contains(body, `id="claim-appeal"`))
	}
	for _, want := range []string{"The number is the shop&#39;s, not a private one.", "The review names a private phone number.", "Call him on +46 70 123 45 67.", "personal_information"} {
		if !strings.Contains(body, want) {
			t.Errorf("the appeal page lacks %q (the reason, the facts contested, the review as reported, the report)", want)
		}
	}
	d.appeals[0].FirstAgent = "agent-ben"
	body = s.do("GET", "/console/appeals/"+apl1, nil).Body.String()
	if strings.Contains(body, `id="conflict"`) || !strings.Contains(body, `id="claim-appeal"`) {
		t.Errorf("another agent's appeal page should offer the claim and show no conflict")
	}
	rec := s.do("POST", "/console/appeals/"+apl1+"/claim", url.Values{consoleauth.CSRFField: {s.session.CSRF}})
	if rec.Code != http.StatusSeeOther || d.appeals[0].Assignee != "agent-anna" {
		t.Errorf("claim: %d, assignee %q; want it hers", rec.Code, d.appeals[0].Assignee)
	}
}

// A refused decision comes back with the problem next to its field and
// what was typed kept; a recorded one opens the next appeal she may take;
// a conflict says what happened and links to the fresh case.
func TestAppealDecisionForm(t *testing.T) {
	held := openAppeal(apl1, "agent-ben", seven)
	held.Status, held.Assignee = moderation.AppealInProgress, "agent-anna"
	d := newAppealDesk(held, openAppeal(apl2, "agent-anna", seven), openAppeal(apl3, "agent-ben", seven))
	s := newSite(t, d)
	form := url.Values{consoleauth.CSRFField: {s.session.CSRF}, "outcome": {"reverse"}, "note": {"Too short"}}
	rec := s.do("POST", "/console/appeals/"+apl1+"/decide", form)
	body := rec.Body.String()
	if rec.Code != http.StatusUnprocessableEntity || len(d.decided) != 0 {
		t.Fatalf("a 9-character note: %d, %d decisions; want 422 and none", rec.Code, len(d.decided))
	}
	if !strings.Contains(body, `<p class="error" id="note-error">must be`) || !strings.Contains(body, ">Too short</textarea>") ||
		!strings.Contains(body, `id="outcome-reverse" name="outcome" value="reverse" accesskey="r" checked`) {
		t.Errorf("the refused form should show the note's problem next to it and keep the note and the outcome typed:\n%s", body)
	}

	form.Set("note", "The number is listed as the shop's on its own website.")
	rec = s.do("POST", "/console/appeals/"+apl1+"/decide", form)
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/console/appeals/"+apl3+"?notice=decided" {
		t.Fatalf("decide: %d to %q; want the next appeal she may take, apl_3 (apl_2 is her own decision)", rec.Code, rec.Header().Get("Location"))
	}
	if len(d.decided) != 1 || d.decided[0].Outcome != "reverse" || d.decided[0].Agent != "agent-anna" || len(d.decided[0].UpheldReasons) != 0 {
		t.Errorf("decisions recorded: %+v; want one reversal by agent-anna with no upheld reasons (it publishes the review)", d.decided)
	}

	rec = s.do("POST", "/console/appeals/"+apl1+"/decide", form)
	if rec.Code != http.StatusConflict || !strings.Contains(rec.Body.String(), `href="/console/appeals/`+apl1+`"`) || !strings.Contains(rec.Body.String(), "claim it first") {
		t.Errorf("deciding again: %d; want 409 saying why and linking to the fresh case:\n%s", rec.Code, rec.Body.String())
	}
}

// The queues page leads to the appeals; a ticket's case leads to its
// business's page.
func TestQueuesAndCasesLinkToAppealsAndBusinesses(t *testing.T) {
	s := newSite(t, &desk{})
	if body := s.do("GET", "/console", nil).Body.String(); !strings.Contains(body, `href="/console/appeals"`) {
		t.Errorf("the queues page has no link to the appeals")
	}
	body := s.do("GET", "/console/tickets/tkt_"+strings.Repeat("a", 32), nil).Body.String()
	if !strings.Contains(body, `id="business-link" href="/console/businesses/`) {
		t.Errorf("the case page has no link to its business's page")
	}
}

// Reversing a reinstatement removes the review, so the form asks for the
// reasons the removal upholds: a reversal without them is refused under
// that field, and ticked reasons stay ticked when something else is wrong.
func TestReversingAReinstatementNamesTheUpheldReasons(t *testing.T) {
	held := openAppeal(apl1, "agent-ben", seven)
	held.Status, held.Assignee, held.Appellant, held.Contested = moderation.AppealInProgress, "agent-anna", moderation.PartyBusiness, moderation.OutcomeReinstated
	d := newAppealDesk(held)
	s := newSite(t, d)
	form := url.Values{consoleauth.CSRFField: {s.session.CSRF}, "outcome": {"reverse"}, "note": {"The review names a private phone number."}}
	body := s.do("POST", "/console/appeals/"+apl1+"/decide", form).Body.String()
	if !strings.Contains(body, `<p class="error" id="upheldReasons-error">name at least one`) {
		t.Errorf("a reversal of a reinstatement without upheld reasons should be refused under the reasons:\n%s", body)
	}
	form.Set("note", "Short")
	form.Set("upheldReasons", "personal_information")
	body = s.do("POST", "/console/appeals/"+apl1+"/decide", form).Body.String()
	if !strings.Contains(body, `value="personal_information" checked`) || len(d.decided) != 0 {
		t.Errorf("the ticked reason is not kept when the note is refused (or a decision was recorded):\n%s", body)
	}
	form.Set("note", "The review names a private phone number.")
	if rec := s.do("POST", "/console/appeals/"+apl1+"/decide", form); rec.Code != http.StatusSeeOther ||
		len(d.decided) != 1 || len(d.decided[0].UpheldReasons) != 1 || d.decided[0].UpheldReasons[0] != moderation.ReasonPersonalInformation {
		t.Errorf("the reversal with its reason: %d, %+v", rec.Code, d.decided)
	}
}
