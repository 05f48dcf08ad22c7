package api_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/candorhq/candor/shared/api"
)

// An agent who claimed a ticket puts it back: it is open again and held by
// nobody; another agent may not release it, and a ticket not in progress
// cannot be released.
func TestReleaseTicket(t *testing.T) {
	e := newEnv(t)
	_, tkt := e.submitReport()
	path := "/v1/compliance/tickets/" + tkt + "/release"
	if r := e.call("POST", path, e.compliance, nil); r.status != http.StatusConflict || r.errorCode() != "ticket_not_in_progress" {
		t.Fatalf("release of an open ticket: %d %s, want 409 ticket_not_in_progress", r.status, r.raw)
	}
	e.mustStatus(http.StatusOK, "POST", "/v1/compliance/tickets/"+tkt+"/claim", e.compliance, nil)
	bob := e.s.Token("agent-bob", "compliance", "", time.Hour)
	if r := e.call("POST", path, bob, nil); r.status != http.StatusConflict || r.errorCode() != "ticket_not_in_progress" {
		t.Fatalf("release by another agent: %d %s, want 409 ticket_not_in_progress", r.status, r.raw)
	}
	r := e.mustStatus(http.StatusOK, "POST", path, e.compliance, nil)
	if got := decode[api.TicketView](t, r); got.Status != "open" || got.Assignee != nil {
		t.Fatalf("release: status %q assignee %v, want open and held by nobody; body %s", got.Status, got.Assignee, r.raw)
	}
	c := e.mustStatus(http.StatusOK, "POST", "/v1/compliance/tickets/"+tkt+"/claim", bob, nil)
	if got := decode[api.TicketView](t, c); deref(got.Assignee) != "agent-bob" {
		t.Errorf("bob's claim after the release: %s, want his", c.raw)
	}
	if r := e.call("POST", path, e.compliance, nil); r.status != http.StatusConflict {
		t.Errorf("ada's release of bob's ticket: %d %s, want 409", r.status, r.raw)
	}
}
