package stack_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/candorhq/candor/infra/local/stack"
)

// agentCall sends a compliance request through the JSON API and fails t
// unless it answers want.
func agentCall(t *testing.T, s *stack.Stack, method, path string, body any, want int) {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, s.APIURL+path, rd)
	req.Header.Set("Authorization", "Bearer "+s.Token("agent-ada", "compliance", "", time.Hour))
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != want {
		b, _ := io.ReadAll(res.Body)
		t.Fatalf("%s %s: %d %s, want %d", method, path, res.StatusCode, b, want)
	}
}

// reviewerAnswers posts the form of the reviewer page linked from the
// latest email to the reviewer of review, as the reviewer does.
func reviewerAnswers(t *testing.T, s *stack.Stack, review string, form url.Values) {
	t.Helper()
	addr := "reviewer+" + review + "@example.org"
	link := ""
	for _, m := range s.Outbox.Messages() {
		for _, to := range m.To {
			if to != addr && !strings.HasSuffix(to, "<"+addr+">") {
				continue
			}
			for _, l := range m.Links {
				if p := reviewerLinkRE.FindString(l); p != "" {
					link = s.APIURL + p
				}
			}
		}
	}
	if link == "" {
		t.Fatalf("no email to the reviewer of %s with a link", review)
	}
	res, err := http.PostForm(link, form)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("the reviewer's answer on %s: %d %s", review, res.StatusCode, body)
	}
}

// The case page in the browser: the reported excerpt marked in the review
// as reported, the reviewer's evidence, the edit as a word diff against
// the reported version, a note added through the form (and one refused
// with its problem next to the field, its text kept); nothing of the
// reviewer's identity in the whole DOM; axe passes at 1280×800.
func TestConsoleCasePageInTheBrowser(t *testing.T) {
	s, _ := seededStack(t, nil)
	fileReport(t, s, "rev-acme-01")
	s.Settle()
	open := ticketsByStatus(t, s, "open")
	if len(open) != 1 {
		t.Fatalf("open tickets after the report: %v", open)
	}
	tkt := open[0]["id"].(string)
	tp := "/v1/compliance/tickets/" + tkt

	// Round 1: evidence; round 2: an edit. Each answer puts the ticket back.
	agentCall(t, s, "POST", tp+"/claim", nil, http.StatusOK)
	agentCall(t, s, "POST", tp+"/decision", map[string]any{"outcome": "request_reviewer_action", "kind": "evidence",
		"note": "Need proof of the order.", "message": "Please send us your order number and the date of your order."}, http.StatusAccepted)
	s.Settle()
	reviewerAnswers(t, s, "rev-acme-01", url.Values{"reply": {"Order 4711 on 3 October, paid by card; nothing came."}})
	s.Settle()
	agentCall(t, s, "POST", tp+"/claim", nil, http.StatusOK)
	agentCall(t, s, "POST", tp+"/decision", map[string]any{"outcome": "request_reviewer_action", "kind": "edit",
		"note": "Facts fine, insult not.", "message": "Please remove the words calling the owner a fraud from your review."}, http.StatusAccepted)
	s.Settle()
	reviewerAnswers(t, s, "rev-acme-01", url.Values{"stars": {"1"}, "title": {"Never arrived"},
		"text": {"I ordered two bags of beans and they never arrived. I asked for a refund twice."}})
	s.Settle()

	b, ctx := consoleBrowser(t)
	if status := signInAt(t, ctx, s, "agent.anna"); status != http.StatusOK {
		t.Fatalf("signing in as an agent ended with %d, want the console", status)
	}
	var pages []string
	dom := func(step string) string {
		t.Helper()
		html, err := chromedp.Run(ctx, chromedp.OuterHTML(chromedp.CSS("html")))
		must(t, step, err)
		pages = append(pages, html)
		checkAxe(t, b, ctx, step)
		return html
	}
	must(t, "open the case", chromedp.Do(ctx, chromedp.Navigate(s.APIURL+"/console/tickets/"+tkt), chromedp.WaitVisible(chromedp.CSS(`#review-text`))))
	marked, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`#review-text mark`)))
	must(t, "the marked excerpt", err)
	ins, err := chromedp.Run(ctx, chromedp.Evaluate[string](`[...document.querySelectorAll('#version-2 ins')].map(e => e.textContent).join('')`))
	must(t, "the inserted words", err)
	del, err := chromedp.Run(ctx, chromedp.Evaluate[string](`[...document.querySelectorAll('#version-2 del')].map(e => e.textContent).join('')`))
	must(t, "the deleted words", err)
	answers, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`#answers`)))
	must(t, "the answers", err)
	dom("case page")
	if marked != "The owner is a fraud" {
		t.Errorf("the marked excerpt is %q, want the report's excerpt", marked)
	}
	if del != " The owner is a fraud and should be in jail." || ins != " I asked for a refund twice." {
		t.Errorf("version 2's diff: deleted %q, inserted %q; want the insult out and the refund in", del, ins)
	}
	if !strings.Contains(answers, "Order 4711 on 3 October") || !strings.Contains(answers, "version 2") {
		t.Errorf("the answers say %q; want the evidence and the edit", answers)
	}

	// A note the text rule refuses: the problem next to the field, the text kept.
	must(t, "type an empty note", chromedp.Do(ctx, chromedp.SendKeys(chromedp.CSS(`#note-text`), "   ")))
	res, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(`#add-note`)))
	must(t, "add the empty note", err)
	problem, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`#note-error`)))
	must(t, "the note's problem", err)
	dom("case page with a refused note")
	if res.Status != http.StatusUnprocessableEntity || problem == "" {
		t.Errorf("an empty note: %d, problem %q; want 422 with the problem next to the field", res.Status, problem)
	}
	// The field kept the blank text; what is typed after it is trimmed.
	must(t, "type a note", chromedp.Do(ctx, chromedp.SendKeys(chromedp.CSS(`#note-text`), "Order number checked with the shop: it is real.")))
	res, err = chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(`#add-note`)))
	must(t, "add the note", err)
	notes, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`#note-list`)))
	must(t, "the notes", err)
	dom("case page with a note")
	if res.Status != http.StatusOK || !strings.Contains(notes, "agent-anna") || !strings.Contains(notes, "Order number checked with the shop") {
		t.Errorf("after adding a note: %d, notes %q; want it listed by agent-anna", res.Status, notes)
	}

	for i, html := range pages {
		for _, secret := range []string{"Sam Taylor", "reviewer+rev-acme-01@example.org", "@example.org", "Taylor"} {
			if strings.Contains(html, secret) {
				t.Errorf("page %d holds reviewer data %q", i, secret)
			}
		}
	}
}
