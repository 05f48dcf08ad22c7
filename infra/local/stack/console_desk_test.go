package stack_test

import (
	"encoding/json"
	"flag"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/candorhq/candor/infra/local/stack"
	"github.com/candorhq/candor/shared/clock"
)

var consoleShots = flag.String("console-screenshots", "", "write the whole-desk test's screenshots into this directory (docs/console)")

// reviewerLink is the newest link to a reviewer page in the mail sent to
// address, as the local mailbox lists it.
func reviewerLink(t *testing.T, s *stack.Stack, address string) string {
	t.Helper()
	resp, err := http.Get(s.APIURL + "/_local/mail.json?to=" + url.QueryEscape(address))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct {
		Items []struct {
			Subject string   `json:"subject"`
			Links   []string `json:"links"`
		} `json:"items"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatalf("mailbox of %s: %v", address, err)
	}
	for _, m := range out.Items { // newest first
		for _, l := range m.Links {
			if strings.HasPrefix(l, s.APIURL+"/r/") {
				return l
			}
		}
	}
	t.Fatalf("no reviewer link in the mail to %s: %+v", address, out.Items)
	return ""
}

// ticketOf is the id of the ticket on the report of reviewID.
func ticketOf(t *testing.T, s *stack.Stack, reviewID string) map[string]any {
	t.Helper()
	_, list := get(t, s.APIURL+"/v1/compliance/tickets?limit=100", s.Demo.Compliance)
	items, _ := list["items"].([]any)
	for _, it := range items {
		m, _ := it.(map[string]any)
		if m["reviewId"] == reviewID {
			return m
		}
	}
	t.Fatalf("no ticket on %s in %v", reviewID, list)
	return nil
}

// TestConsoleWholeDesk is an agent's day at the desk, in Chromium against
// the local stack: sign in at the local provider, start reviewing, ask the
// reviewer for evidence (after previewing their email), go on to the next
// case; the reviewer answers through the link in their mailbox and the
// first ticket is back, marked; a removal without a reason is refused with
// the focus on the error summary; the removal with its upheld reasons
// loads the next case, the returned ticket; its removal leaves the queue
// empty. No page holds a reviewer's name or email; axe checks every page.
func TestConsoleWholeDesk(t *testing.T) {
	s, _ := seededStack(t, clock.NewManual(time.Now()))
	fileReport(t, s, "rev-acme-01")
	s.Advance(time.Hour)
	fileReport(t, s, "rev-acme-04")
	s.Advance(time.Hour)
	s.Settle()
	first, second := ticketOf(t, s, "rev-acme-01")["id"].(string), ticketOf(t, s, "rev-acme-04")["id"].(string)

	b, ctx := consoleBrowser(t)
	if status := signInAt(t, ctx, s, "agent.anna"); status != http.StatusOK {
		t.Fatalf("signing in as an agent ended with %d, want the console", status)
	}
	var pages []string
	state := func(step, shot, selector string) {
		t.Helper()
		html, err := chromedp.Run(ctx, chromedp.OuterHTML(chromedp.CSS("html")))
		must(t, step, err)
		pages = append(pages, step+"\n"+html)
		checkAxe(t, b, ctx, step)
		if *consoleShots == "" || shot == "" {
			return
		}
		var png []byte
		if selector == "" {
			png, err = chromedp.Run(ctx, chromedp.CaptureScreenshot())
		} else {
			png, err = chromedp.Run(ctx, chromedp.Screenshot(chromedp.CSS(selector)))
		}
		must(t, "screenshot "+shot, err)
		must(t, "write "+shot, os.WriteFile(filepath.Join(*consoleShots, shot+".png"), png, 0o644))
	}
	text := func(sel string) string {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
		must(t, "text of "+sel, err)
		return v
	}
	value := func(sel string) string {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector("`+sel+`").value`))
		must(t, "value of "+sel, err)
		return v
	}
	location := func() string {
		t.Helper()
		loc, err := chromedp.Run(ctx, chromedp.Location())
		must(t, "location", err)
		return loc
	}
	submit := func(step, button string) int64 {
		t.Helper()
		res, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(button)))
		must(t, step, err)
		return res.Status
	}
	state("queues", "queues", "")

	// Start reviewing: the oldest open ticket, claimed, with its decisions.
	if status := submit("start reviewing", "#start"); status != http.StatusOK || location() != s.APIURL+"/console/tickets/"+first {
		t.Fatalf("Start reviewing: %d at %s, want the oldest ticket %s", status, location(), first)
	}
	state("case page", "case", "")

	// Ask the reviewer for evidence, previewing the email first.
	msg := "Please send the order confirmation you received for the two bags of beans."
	must(t, "fill the request", chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#kind-evidence`)),
		chromedp.SendKeys(chromedp.CSS(`#request_reviewer_action-message`), msg),
		chromedp.SendKeys(chromedp.CSS(`#request_reviewer_action-note`), "The accusation of fraud needs the reviewer's side.")))
	if status := submit("preview", "#preview"); status != http.StatusOK {
		t.Fatalf("Preview the email: %d, want 200", status)
	}
	if got := text("#preview-text"); !strings.Contains(got, msg) {
		t.Errorf("the preview reads %q, want the message in it", got)
	}
	if got := value("#request_reviewer_action-message"); got != msg {
		t.Errorf("after the preview the message reads %q, want it as typed", got)
	}
	state("preview", "preview", "#request_reviewer_action-form")
	if status := submit("send the request", "#request_reviewer_action"); status != http.StatusOK || location() != s.APIURL+"/console/tickets/"+second+"?after="+first+"&decided=request_reviewer_action" {
		t.Fatalf("Send the request: %d at %s, want the next case %s", status, location(), second)
	}
	if got := text("#decided"); !strings.Contains(got, "the reviewer is asked") {
		t.Errorf("the next case says %q, want that the request was recorded", got)
	}
	state("next case after the request", "", "")
	s.Settle()
	if got := ticketOf(t, s, "rev-acme-01"); got["status"] != "waiting_for_reviewer" {
		t.Fatalf("after the request the first ticket is %v, want waiting_for_reviewer", got["status"])
	}

	// The reviewer answers through the link in their mailbox, in a tab of their own.
	link := reviewerLink(t, s, "reviewer+rev-acme-01@example.org")
	rtab, cancel := chromedp.NewContext(ctx)
	defer cancel()
	if _, err := chromedp.RunResponse(rtab, chromedp.Navigate(link)); err != nil {
		t.Fatalf("open the reviewer's link: %v", err)
	}
	res, err := chromedp.RunResponse(rtab, chromedp.Evaluate[chromedp.Void](`(() => {
		const f = document.querySelector("textarea").form;
		for (const a of f.querySelectorAll("textarea")) { a.value = "Order 4711, confirmed by email on 3 October; the beans never came."; }
		f.requestSubmit();
	})()`))
	if err != nil || res.Status != http.StatusOK {
		t.Fatalf("the reviewer's answer: %v, %v", res, err)
	}
	s.Settle()
	back := ticketOf(t, s, "rev-acme-01")
	if back["status"] != "open" || back["marker"] != "reviewer_responded" {
		t.Fatalf("after the answer the first ticket is %v marked %v, want open, reviewer_responded", back["status"], back["marker"])
	}

	// A removal without a reason is refused: the summary has the focus.
	must(t, "facts without a reason", chromedp.Do(ctx, chromedp.SendKeys(chromedp.CSS(`#remove-note`), "The review publishes a private phone number.")))
	if status := submit("remove without a reason", "#remove"); status != http.StatusUnprocessableEntity {
		t.Fatalf("Remove without an upheld reason: %d, want 422", status)
	}
	focused, err := chromedp.Run(ctx, chromedp.Poll[string](`document.activeElement && document.activeElement.id === "error-summary" && document.activeElement.id`))
	must(t, "focus on the error summary", err)
	title, err := chromedp.Run(ctx, chromedp.Title())
	must(t, "title", err)
	if focused != "error-summary" || !strings.HasPrefix(title, "Error: ") || value("#remove-note") != "The review publishes a private phone number." {
		t.Errorf("refused removal: focus on %q, title %q, facts %q; want the summary focused, an error title and the facts kept", focused, title, value("#remove-note"))
	}
	state("refused removal", "error", "#decide")

	// The removal with its upheld reason: the next case is the ticket that came back.
	must(t, "tick the reason", chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#remove-reason-personal_information`))))
	if status := submit("remove", "#remove"); status != http.StatusOK || location() != s.APIURL+"/console/tickets/"+first+"?after="+second+"&decided=remove" {
		t.Fatalf("Remove: %d at %s, want the returned ticket %s next", status, location(), first)
	}
	if got := text("#decided"); !strings.Contains(got, "Your decision on "+second+" is recorded: removed.") {
		t.Errorf("the next case says %q", got)
	}
	if got := text("#ticket"); !strings.Contains(got, "reviewer_responded") {
		t.Errorf("the returned ticket does not say why it is back: %q", got)
	}
	state("returned ticket", "next", "")

	must(t, "decide the returned ticket", chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#remove-reason-offensive_or_harmful`)),
		chromedp.SendKeys(chromedp.CSS(`#remove-note`), "Calls the owner a fraud who belongs in jail; the order confirmation does not bear that out.")))
	if status := submit("remove the returned ticket", "#remove"); status != http.StatusOK || location() != s.APIURL+"/console?notice=decided" {
		t.Fatalf("Remove on the last ticket: %d at %s, want the queues", status, location())
	}
	if got := text(".notice"); !strings.Contains(got, "No open ticket is waiting") {
		t.Errorf("the queues say %q, want that nothing is left", got)
	}
	state("queues, nothing left", "done", "")
	for _, rv := range []string{"rev-acme-01", "rev-acme-04"} {
		if got := ticketOf(t, s, rv); got["status"] != "decided" {
			t.Errorf("the ticket on %s is %v, want decided", rv, got["status"])
		}
	}

	for _, html := range pages {
		for _, secret := range []string{"Sam Taylor", "J. Doe", "@example.org"} {
			if strings.Contains(html, secret) {
				t.Errorf("the page %q holds reviewer data %q", strings.SplitN(html, "\n", 2)[0], secret)
			}
		}
	}
}

// do sends a JSON request with token ("" for none) and returns the status.
func do(t *testing.T, method, url, token, body string) int {
	t.Helper()
	req, _ := http.NewRequest(method, url, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return res.StatusCode
}

// TestConsoleDecidesAReplyTicket: a business's reply reported by the
// public is a ticket "Start reviewing" hands out; its case shows the reply
// as reported and the report, and Remove with the upheld reason takes the
// reply down for the public.
func TestConsoleDecidesAReplyTicket(t *testing.T) {
	s, _ := seededStack(t, clock.NewManual(time.Now()))
	reply := "We know where you live, and we will come by."
	if status := do(t, "PUT", s.APIURL+"/v1/reviews/rev-acme-02/reply", s.Demo.Businesses[0].Token, `{"text":"`+reply+`"}`); status != http.StatusCreated {
		t.Fatalf("reply: %d", status)
	}
	if status := do(t, "POST", s.APIURL+"/v1/public/reviews/rev-acme-02/reply/reports", "", `{"reason":"threats_or_aggression","details":"It threatens the reviewer."}`); status != http.StatusAccepted {
		t.Fatalf("report the reply: %d", status)
	}
	s.Settle()
	if _, body := get(t, s.APIURL+"/v1/public/reviews/rev-acme-02", ""); body["reply"] == nil {
		t.Fatalf("the public does not see the reply before the decision: %v", body)
	}

	b, ctx := consoleBrowser(t)
	if status := signInAt(t, ctx, s, "agent.ben"); status != http.StatusOK {
		t.Fatalf("signing in: %d", status)
	}
	res, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(`#start`)))
	must(t, "start reviewing", err)
	reported, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`.reply-text`)))
	must(t, "the reply as reported", err)
	reports, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`#reply-reports`)))
	must(t, "the reports", err)
	html, err := chromedp.Run(ctx, chromedp.OuterHTML(chromedp.CSS("html")))
	must(t, "page", err)
	checkAxe(t, b, ctx, "reply ticket's case")
	if res.Status != http.StatusOK || reported != reply || !strings.Contains(reports, "a member of the public") || !strings.Contains(reports, "threats or aggression") {
		t.Fatalf("the reply ticket's case: %d, reply %q, reports %q", res.Status, reported, reports)
	}
	if strings.Contains(html, "@example.org") || strings.Contains(html, "Priya Shah") {
		t.Errorf("the reply ticket's case holds the reviewer's name or email")
	}

	must(t, "decide", chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#remove-reason-threats_or_aggression`)),
		chromedp.SendKeys(chromedp.CSS(`#remove-note`), "The reply threatens the reviewer with a visit.")))
	res, err = chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(`#remove`)))
	must(t, "remove the reply", err)
	loc, err := chromedp.Run(ctx, chromedp.Location())
	must(t, "location", err)
	if res.Status != http.StatusOK || loc != s.APIURL+"/console?notice=decided" {
		t.Errorf("Remove: %d at %s, want the queues with nothing left", res.Status, loc)
	}
	s.Settle()
	if _, body := get(t, s.APIURL+"/v1/public/reviews/rev-acme-02", ""); body["reply"] != nil {
		t.Errorf("after the removal the public still sees the reply: %v", body["reply"])
	}
}
