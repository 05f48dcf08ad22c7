package stack_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/candorhq/candor/infra/local/dynamotest"
	"github.com/candorhq/candor/infra/local/idp"
	"github.com/candorhq/candor/infra/local/stack"
	"github.com/candorhq/candor/shared/browsertest"
	"github.com/candorhq/candor/shared/clock"
)

// consoleBrowser starts a headless Chromium of its own (own cookies) with
// axe-core, and opens a tab at 1280×800, the console's screen.
func consoleBrowser(t *testing.T) (*browsertest.Browser, context.Context) {
	t.Helper()
	b := browsertest.New(t)
	tab := b.Tab(t)
	ctx, cancel := context.WithTimeout(tab, 2*time.Minute)
	t.Cleanup(cancel)
	must(t, "desktop viewport", chromedp.Do(ctx, chromedp.EmulateViewport(1280, 800)))
	return b, ctx
}

// checkAxe fails t for every axe-core rule (WCAG A/AA and best practices)
// the page loaded in ctx breaks.
func checkAxe(t *testing.T, b *browsertest.Browser, ctx context.Context, page string) {
	t.Helper()
	vs, err := b.Axe(ctx, browsertest.WCAGAndBestPractice)
	must(t, "axe on the "+page, err)
	for _, v := range vs {
		t.Errorf("%s: %s", page, v)
	}
}

// signInAt opens the console, is sent to the local provider's login page
// and signs in there; it returns the status of the page it ends on.
func signInAt(t *testing.T, ctx context.Context, s *stack.Stack, user string) int64 {
	t.Helper()
	must(t, "open the console", chromedp.Do(ctx, chromedp.Navigate(s.APIURL+"/console"), chromedp.WaitVisible(chromedp.CSS(`#password`))))
	loc, err := chromedp.Run(ctx, chromedp.Location())
	must(t, "location", err)
	if !strings.HasPrefix(loc, s.APIURL+"/idp/login") {
		t.Fatalf("opening the console led to %s, want the provider's login page", loc)
	}
	must(t, "type the sign-in", chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.CSS(`#username`), user), chromedp.SendKeys(chromedp.CSS(`#password`), idp.DemoPassword)))
	res, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(`button[type="submit"]`)))
	must(t, "sign in", err)
	return res.Status
}

func must(t *testing.T, step string, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("browser: %s: %v", step, err)
	}
}

// fileReport reports a demo review as its business, through the JSON API.
func fileReport(t *testing.T, s *stack.Stack, reviewID string) {
	t.Helper()
	biz := s.Demo.Businesses[0]
	body := `{"items":[{"scope":"content","reason":"offensive_or_harmful","details":"Calls the owner a criminal.","excerpt":"The owner is a fraud"}],"publicStatement":"The business says this review defames its owner."}`
	if reviewID != "rev-acme-01" {
		body = `{"items":[{"scope":"content","reason":"personal_information","details":"The review shows a private phone number.","excerpt":"+46 70 123 45 67"}],"publicStatement":"The business says this review holds personal information."}`
	}
	req, _ := http.NewRequest("POST", s.APIURL+"/v1/reviews/"+reviewID+"/reports", strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+s.Token("owner@"+biz.ID, "business", biz.ID, time.Hour))
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusAccepted {
		b, _ := io.ReadAll(resp.Body)
		t.Fatalf("report %s: %d %s", reviewID, resp.StatusCode, b)
	}
}

// ticketsByStatus asks the JSON API for the tickets with status, oldest first.
func ticketsByStatus(t *testing.T, s *stack.Stack, status string) []map[string]any {
	t.Helper()
	req, _ := http.NewRequest("GET", s.APIURL+"/v1/compliance/tickets?status="+status, nil)
	req.Header.Set("Authorization", "Bearer "+s.Token("agent-ada", "compliance", "", time.Hour))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct {
		Items []map[string]any `json:"items"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatal(err)
	}
	return out.Items
}

// An agent signs in at the local provider, sees the queues with their
// counts, starts reviewing and gets the oldest open ticket's case; a POST
// without its CSRF token changes nothing; no page holds a reviewer's name
// or email; a session past its lifetime is sent to sign in again.
func TestConsoleInTheBrowser(t *testing.T) {
	wall := clock.NewManual(time.Now())
	s, _ := seededStack(t, wall)
	fileReport(t, s, "rev-acme-01")
	s.Advance(time.Hour)
	fileReport(t, s, "rev-acme-04")
	s.Advance(time.Hour)
	open := ticketsByStatus(t, s, "open")
	if len(open) != 2 {
		t.Fatalf("open tickets after two reports: %v", open)
	}
	oldest := open[0]["id"].(string)

	b, ctx := consoleBrowser(t)
	if status := signInAt(t, ctx, s, "agent.anna"); status != http.StatusOK {
		t.Fatalf("signing in as an agent ended with %d, want the console", status)
	}
	var pages []string // every page visited, as the DOM holds it
	dom := func(step string) string {
		t.Helper()
		html, err := chromedp.Run(ctx, chromedp.OuterHTML(chromedp.CSS("html")))
		must(t, step, err)
		pages = append(pages, html)
		checkAxe(t, b, ctx, step)
		return html
	}
	count, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`tr[data-queue="open"] td[data-count]`)))
	must(t, "open queue count", err)
	agent, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`#agent`)))
	must(t, "agent", err)
	zone, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`#zone`)))
	must(t, "zone", err)
	dom("queues page")
	if count != "2" || agent != "agent-anna" || zone != "Europe/Berlin" {
		t.Errorf("queues page: open count %q, agent %q, zone %q; want 2, agent-anna (her sub), Europe/Berlin (her zoneinfo)", count, agent, zone)
	}

	// A form whose CSRF token is gone: refused, and no ticket was claimed.
	must(t, "blank the CSRF token", chromedp.Do(ctx, chromedp.SetAttributeValue(chromedp.CSS(`form[action="/console/start"] input[name="csrf"]`), "value", "")))
	res, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(`#start`)))
	must(t, "start reviewing without the token", err)
	dom("refusal page")
	if res.Status != http.StatusForbidden {
		t.Errorf("Start reviewing without the CSRF token answered %d, want 403", res.Status)
	}
	if n := len(ticketsByStatus(t, s, "open")); n != 2 {
		t.Errorf("after the refused POST %d tickets are open, want still 2", n)
	}

	must(t, "back to the queues", chromedp.Do(ctx, chromedp.Navigate(s.APIURL+"/console"), chromedp.WaitVisible(chromedp.CSS(`#start`))))
	res, err = chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(`#start`)))
	must(t, "start reviewing", err)
	loc, err := chromedp.Run(ctx, chromedp.Location())
	must(t, "location", err)
	status, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`#ticket-status`)))
	must(t, "ticket status", err)
	text, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`#review-text`)))
	must(t, "review text", err)
	dom("case page")
	if res.Status != http.StatusOK || loc != s.APIURL+"/console/tickets/"+oldest || status != "in_progress" {
		t.Errorf("Start reviewing: %d at %s, status %q; want the oldest ticket %s, claimed", res.Status, loc, status, oldest)
	}
	if !strings.Contains(text, "The owner is a fraud") {
		t.Errorf("the case page shows the review as %q, want the reported text", text)
	}
	if got := ticketsByStatus(t, s, "in_progress"); len(got) != 1 || got[0]["id"] != oldest || got[0]["assignee"] != "agent-anna" {
		t.Errorf("in progress after Start reviewing: %v; want %s held by agent-anna (the sub)", got, oldest)
	}

	for i, html := range pages {
		for _, secret := range []string{"Sam Taylor", "reviewer+rev-acme-01@example.org", "J. Doe", "reviewer+rev-acme-04@example.org", "@example.org"} {
			if strings.Contains(html, secret) {
				t.Errorf("page %d holds reviewer data %q", i, secret)
			}
		}
	}

	// Release puts it back: open again, held by nobody.
	res, err = chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(`#release`)))
	must(t, "release", err)
	count, err = chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`tr[data-queue="open"] td[data-count]`)))
	must(t, "open queue count after the release", err)
	if res.Status != http.StatusOK || count != "2" {
		t.Errorf("after Release: %d, %q open; want the queues with 2 open", res.Status, count)
	}
	if got := ticketsByStatus(t, s, "open"); len(got) != 2 || got[0]["id"] != oldest {
		t.Errorf("open after the release: %v; want %s first again", got, oldest)
	}

	// Eight hours of real time later the session is over, however active.
	wall.Advance(8*time.Hour + time.Minute)
	must(t, "open the console after 8 h", chromedp.Do(ctx, chromedp.Navigate(s.APIURL+"/console"), chromedp.WaitVisible(chromedp.CSS(`#password`))))
	loc, err = chromedp.Run(ctx, chromedp.Location())
	must(t, "location", err)
	if !strings.HasPrefix(loc, s.APIURL+"/idp/login") {
		t.Errorf("after 8 h the console is at %s, want the sign-in", loc)
	}
}

// A business user can sign in at the provider but not enter the console.
func TestConsoleRefusesABusinessUser(t *testing.T) {
	endpoint, table := dynamotest.ForStack(t, "candor")
	s, err := stack.Start(context.Background(), stack.Config{APIAddr: "127.0.0.1:0", AWSAddr: "127.0.0.1:0", Start: t0,
		DynamoDBEndpoint: endpoint, TableName: table, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	b, ctx := consoleBrowser(t)
	if status := signInAt(t, ctx, s, "business.bo"); status != http.StatusForbidden {
		t.Errorf("a business user's sign-in ended with %d, want 403", status)
	}
	msg, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`#message`)))
	must(t, "message", err)
	if !strings.Contains(msg, `not a member of "compliance"`) {
		t.Errorf("the 403 page says %q; want it to say the user is not in the compliance group", msg)
	}
	checkAxe(t, b, ctx, "403 page")
}
