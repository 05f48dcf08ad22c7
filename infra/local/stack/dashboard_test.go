package stack_test

import (
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/candorhq/candor/infra/local/stack"
	"github.com/candorhq/candor/shared/moderation"
)

// asAgent calls the JSON API as the agent with sub, failing unless it answers want.
func asAgent(t *testing.T, s *stack.Stack, sub, method, path, body string, want int) {
	t.Helper()
	req, _ := http.NewRequest(method, s.APIURL+path, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+s.Token(sub, "compliance", "", time.Hour))
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != want {
		b, _ := io.ReadAll(resp.Body)
		t.Fatalf("%s %s as %s: %d %s, want %d", method, path, sub, resp.StatusCode, b, want)
	}
}

// The queues filter by reason; after two decisions — Anna removes the review of the ticket Start
// reviewing gave her, Ben reinstates the other — the dashboard counts them:
// two decisions today, one removal and one reinstatement, each agent's,
// the outcome shares, and the queues empty; it passes axe at 1280×800.
func TestDashboardCountsTheDecisions(t *testing.T) {
	s, _ := seededStack(t, nil)
	fileReport(t, s, "rev-acme-01")
	s.Advance(time.Hour)
	fileReport(t, s, "rev-acme-04")
	s.Advance(time.Hour)
	open := ticketsByStatus(t, s, "open")
	if len(open) != 2 {
		t.Fatalf("open tickets after two reports: %v", open)
	}

	b, ctx := consoleBrowser(t)
	if status := signInAt(t, ctx, s, "agent.anna"); status != http.StatusOK {
		t.Fatalf("signing in as an agent ended with %d, want the console", status)
	}
	// The queues filtered by a reason through the GET form: only the report naming it.
	must(t, "filter by reason", chromedp.Do(ctx, chromedp.SetValue(chromedp.CSS(`#filter-reason`), "personal_information"),
		chromedp.Click(chromedp.CSS(`#filter button`)), chromedp.WaitVisible(chromedp.CSS(`#filter-note`))))
	filtered, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`tr[data-queue="open"] td[data-count]`)))
	must(t, "filtered open count", err)
	if filtered != "1" {
		t.Errorf("open tickets naming personal_information: %q, want 1", filtered)
	}
	checkAxe(t, b, ctx, "filtered queues")
	must(t, "clear the filter", chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#filter-clear`)), chromedp.WaitNotPresent(chromedp.CSS(`#filter-note`))))
	_, err = chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(`#start`)))
	must(t, "start reviewing", err)
	first := open[0]["id"].(string)
	asAgent(t, s, "agent-anna", "POST", "/v1/compliance/tickets/"+first+"/decision",
		`{"outcome":"remove","upheldReasons":["offensive_or_harmful"],"note":"Calls the owner a fraud without any facts."}`, http.StatusAccepted)
	second := open[1]["id"].(string)
	asAgent(t, s, "agent-ben", "POST", "/v1/compliance/tickets/"+second+"/claim", "", http.StatusOK)
	asAgent(t, s, "agent-ben", "POST", "/v1/compliance/tickets/"+second+"/decision",
		`{"outcome":"reinstate","note":"The number is the shop's own, published on its site."}`, http.StatusAccepted)
	s.Settle()

	must(t, "open the dashboard", chromedp.Do(ctx, chromedp.Navigate(s.APIURL+"/console"), chromedp.Click(chromedp.CSS(`#dashboard-link`)),
		chromedp.WaitVisible(chromedp.CSS(`#per-day`))))
	today := moderation.MetricsDay(s.Clock.Now())
	text := func(sel string) string {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
		must(t, sel, err)
		return strings.Join(strings.Fields(v), " ")
	}
	if got := text(`tr[data-day="` + today + `"]`); got != today+" 2 2 1 1 0 0 0" {
		t.Errorf("today's row reads %q, want 2 reports, 2 decisions, 1 removed, 1 reinstated", got)
	}
	if got := text(`tr[data-agent="agent-anna"]`); got != "agent-anna 1 1 1 1 0" {
		t.Errorf("Anna's row reads %q, want 1 claim (the first), 1 decision, a removal", got)
	}
	if got := text(`tr[data-agent="agent-ben"]`); got != "agent-ben 1 1 1 0 1" {
		t.Errorf("Ben's row reads %q, want 1 claim (the first), 1 decision, a reinstatement", got)
	}
	if got := text(`tr[data-outcome="removed"]`); got != "removed 1 50 %" {
		t.Errorf("the removed outcome reads %q, want 1, 50 %%", got)
	}
	if got := text(`#dash-queues tr[data-queue="open"] td[data-count]`); got != "0" {
		t.Errorf("open tickets on the dashboard: %q, want 0", got)
	}
	if got := text(`#time-to-act tbody tr`); !strings.HasPrefix(got, "Report to decision 2 ≤") {
		t.Errorf("time to act reads %q, want two reports with a median", got)
	}
	checkAxe(t, b, ctx, "dashboard")
}
