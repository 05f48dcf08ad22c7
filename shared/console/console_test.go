package console_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/candorhq/candor/shared/app"
	"github.com/candorhq/candor/shared/clock"
	"github.com/candorhq/candor/shared/console"
	"github.com/candorhq/candor/shared/consoleauth"
	"github.com/candorhq/candor/shared/moderation"
)

// desk is a fake of the use cases: open tickets oldest first, and claims
// that another agent may have won meanwhile.
type desk struct {
	open    []moderation.Ticket
	taken   map[string]bool // claimed by someone else meanwhile
	claimed []string        // what Claim was asked for, in order
	// The appeal and business pages' tests fake these (appeals_test.go, business_test.go).
	console.AppealDesk
	console.BusinessDesk
	metrics app.Metrics
	filters []app.QueueFilter // what QueueTickets was asked for
	waiting []moderation.Ticket
}

func (d *desk) OpenDocument(context.Context, app.Actor, string) (string, error) {
	return "", moderation.NotFound("document")
}
func (d *desk) ListTickets(_ context.Context, status moderation.TicketStatus, _ moderation.TicketKind, _ app.Page) ([]moderation.Ticket, string, error) {
	if status == moderation.TicketOpen {
		return d.open, "", nil
	}
	if status == moderation.TicketWaitingForReviewer {
		return d.waiting, "", nil
	}
	return nil, "", nil
}
func (d *desk) ListAppeals(context.Context, moderation.AppealStatus, app.Page) ([]moderation.Appeal, string, error) {
	return nil, "", nil
}
func (d *desk) StalledWorkflows(context.Context) ([]app.StalledWorkflow, error) { return nil, nil }
func (d *desk) Claim(_ context.Context, a app.Actor, id string, _ *app.Idempotency) (moderation.Ticket, error) {
	d.claimed = append(d.claimed, id)
	if d.taken[id] {
		return moderation.Ticket{}, moderation.Conflict(moderation.CodeTicketNotOpen, "claimed meanwhile")
	}
	return moderation.Ticket{ID: id, Status: moderation.TicketInProgress, Assignee: a.Subject}, nil
}
func (d *desk) Release(context.Context, app.Actor, string, *app.Idempotency) (moderation.Ticket, error) {
	return moderation.Ticket{}, nil
}
func (d *desk) Ticket(context.Context, string) (app.TicketCase, error) { return app.TicketCase{}, nil }
func (d *desk) Decide(context.Context, app.Actor, string, moderation.Decision, *app.Idempotency) (moderation.Ticket, moderation.Decision, error) {
	return moderation.Ticket{}, moderation.Decision{}, nil
}
func (d *desk) Business(context.Context, string) (moderation.Business, error) {
	return moderation.Business{}, nil
}
func (d *desk) Policy() moderation.Policy { return moderation.DefaultPolicy }
func (d *desk) QueueTickets(_ context.Context, status moderation.TicketStatus, f app.QueueFilter, _ app.Page) ([]moderation.Ticket, string, error) {
	d.filters = append(d.filters, f)
	var out []moderation.Ticket
	for _, t := range d.open {
		if status == moderation.TicketOpen && (f.BusinessID == "" || t.BusinessID == f.BusinessID) {
			out = append(out, t)
		}
	}
	return out, "", nil
}
func (d *desk) Metrics(context.Context, int) (app.Metrics, error) { return d.metrics, nil }

type site struct {
	h       http.Handler
	cookie  *http.Cookie
	session consoleauth.Session
}

func newSite(t *testing.T, d console.Desk) site {
	t.Helper()
	wall := clock.NewManual(time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC))
	codec := consoleauth.NewCodec(consoleauth.GenerateKeys(), wall, 0, 0, false)
	auth, err := consoleauth.New(consoleauth.Config{Issuer: "https://idp.example", ClientID: "c", Rule: consoleauth.AgentRule{Claim: "groups", Value: "compliance"},
		Codec: codec, Clock: wall, Deny: console.DenyPage(console.Options{}.Brand)})
	if err != nil {
		t.Fatal(err)
	}
	s := codec.NewSession("agent-anna", "Europe/Berlin")
	rec := httptest.NewRecorder()
	if err := codec.Write(rec, s); err != nil {
		t.Fatal(err)
	}
	return site{h: console.New(d, auth, console.Options{Clock: wall}), cookie: rec.Result().Cookies()[0], session: s}
}

func (s site) do(method, path string, form url.Values) *httptest.ResponseRecorder {
	var req *http.Request
	if form != nil {
		req = httptest.NewRequest(method, path, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	} else {
		req = httptest.NewRequest(method, path, nil)
	}
	req.AddCookie(&http.Cookie{Name: s.cookie.Name, Value: s.cookie.Value})
	rec := httptest.NewRecorder()
	s.h.ServeHTTP(rec, req)
	return rec
}

// Start reviewing hands out the oldest open ticket; one another agent took
// meanwhile is skipped for the next, so two agents never get the same.
func TestStartReviewingSkipsATicketTakenMeanwhile(t *testing.T) {
	d := &desk{open: []moderation.Ticket{{ID: "tkt_1"}, {ID: "tkt_2"}, {ID: "tkt_3"}}, taken: map[string]bool{"tkt_1": true}}
	s := newSite(t, d)
	rec := s.do("POST", "/console/start", url.Values{consoleauth.CSRFField: {s.session.CSRF}})
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/console/tickets/tkt_2" {
		t.Fatalf("start: %d to %q, want 303 to tkt_2", rec.Code, rec.Header().Get("Location"))
	}
	if strings.Join(d.claimed, ",") != "tkt_1,tkt_2" {
		t.Errorf("claims asked: %v, want tkt_1 (taken) then tkt_2", d.claimed)
	}

	empty := newSite(t, &desk{taken: map[string]bool{}})
	rec = empty.do("POST", "/console/start", url.Values{consoleauth.CSRFField: {empty.session.CSRF}})
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/console?notice=empty" {
		t.Errorf("start on an empty queue: %d to %q, want the queues saying it is empty", rec.Code, rec.Header().Get("Location"))
	}
}

// Every page carries a strict CSP whose nonce is the one of its only
// <style>, and no script at all.
func TestPagesCarryAStrictCSP(t *testing.T) {
	s := newSite(t, &desk{open: []moderation.Ticket{{ID: "tkt_1", QueuedAt: time.Date(2026, 12, 7, 7, 0, 0, 0, time.UTC)}}})
	for _, path := range []string{"/console", "/console/signed-out"} {
		rec := s.do("GET", path, nil)
		csp := rec.Header().Get("Content-Security-Policy")
		m := regexp.MustCompile(`style-src 'nonce-([A-Z2-7]+)'`).FindStringSubmatch(csp)
		body := rec.Body.String()
		if rec.Code != 200 || m == nil || !strings.Contains(csp, "default-src 'none'") {
			t.Fatalf("GET %s: %d, CSP %q", path, rec.Code, csp)
		}
		if !strings.Contains(body, `<style nonce="`+m[1]+`">`) || strings.Contains(body, "<script") || strings.Contains(body, " style=") {
			t.Errorf("GET %s: the page's style does not carry the CSP's nonce, or it has a script or a style attribute", path)
		}
	}
	if body := s.do("GET", "/console", nil).Body.String(); !strings.Contains(body, "2026-12-07 08:00 CET") || !strings.Contains(body, "2 h 0 min") {
		t.Errorf("the queues page does not show the oldest ticket's time in the agent's zone (08:00 CET) and its age (2 h)")
	}
}
