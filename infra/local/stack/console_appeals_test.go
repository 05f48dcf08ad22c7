package stack_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/candorhq/candor/infra/local/stack"
	"github.com/candorhq/candor/shared/browsertest"
	"github.com/candorhq/candor/shared/clock"
)

// apiCall calls the JSON API with a bearer token and decodes the answer,
// failing t unless it is want.
func apCall(t *testing.T, s *stack.Stack, want int, method, path, token string, body any) map[string]any {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, s.APIURL+path, rd)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	if res.StatusCode != want {
		t.Fatalf("%s %s: %d %s, want %d", method, path, res.StatusCode, raw, want)
	}
	var out map[string]any
	json.Unmarshal(raw, &out)
	return out
}

// apPages keeps the DOM of every console page a test visits, checking
// each with axe-core as it is kept.
type apPages struct {
	t     *testing.T
	b     *browsertest.Browser
	pages map[string]string
}

func (k *apPages) keep(ctx context.Context, step string) string {
	k.t.Helper()
	html, err := chromedp.Run(ctx, chromedp.OuterHTML(chromedp.CSS("html")))
	must(k.t, step, err)
	k.pages[step] = html
	checkAxe(k.t, k.b, ctx, step)
	return html
}

// noReviewerData fails t for each kept page that holds the reviewer's
// name or email address.
func (k *apPages) noReviewerData() {
	k.t.Helper()
	for step, html := range k.pages {
		for _, secret := range []string{"Sam Taylor", "J. Doe", "@example.org"} {
			if strings.Contains(html, secret) {
				k.t.Errorf("the %s holds reviewer data %q", step, secret)
			}
		}
	}
}

func apText(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
	must(t, "read "+sel, err)
	return strings.TrimSpace(v)
}

func apHas(t *testing.T, ctx context.Context, sel string) bool {
	t.Helper()
	n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll(`+apJS(sel)+`).length`))
	must(t, "count "+sel, err)
	return n > 0
}

func apJS(s string) string { b, _ := json.Marshal(s); return string(b) }

// A review removed by agent-anna is appealed by its reviewer through the
// link in the statement of reasons in the local mailbox. In the console
// agent-anna sees the appeal marked as her own decision's, with the
// conflict of interest and no claim button, and Start reviewing appeals
// gives her nothing; agent-ben starts reviewing appeals, gets it and
// upholds the removal, and the queue is then empty. No page holds the
// reviewer's name or email.
func TestConsoleAppealInTheBrowser(t *testing.T) {
	s, _ := seededStack(t, clock.NewManual(time.Now()))

	// agent-anna removes the review through the JSON API; the reviewer is told.
	fileReport(t, s, "rev-acme-01")
	s.Settle()
	open := ticketsByStatus(t, s, "open")
	if len(open) != 1 {
		t.Fatalf("open tickets after one report: %v", open)
	}
	tkt, report := open[0]["id"].(string), open[0]["reportId"].(string)
	anna := s.Token("agent-anna", "compliance", "", time.Hour)
	apCall(t, s, http.StatusOK, "POST", "/v1/compliance/tickets/"+tkt+"/claim", anna, nil)
	apCall(t, s, http.StatusAccepted, "POST", "/v1/compliance/tickets/"+tkt+"/decision", anna,
		map[string]any{"outcome": "remove", "note": "The review calls the owner a criminal.", "upheldReasons": []string{"offensive_or_harmful"}})
	s.Settle()

	// The reviewer appeals through the link of the statement of reasons.
	link := ""
	for _, m := range s.Outbox.Messages() {
		for _, to := range m.To {
			if strings.Contains(to, "reviewer+rev-acme-01@example.org") {
				for _, l := range m.Links {
					if reviewerLinkRE.MatchString(l) {
						link = s.APIURL + reviewerLinkRE.FindString(l)
					}
				}
			}
		}
	}
	if link == "" {
		t.Fatal("no email to the reviewer carries a reviewer link after the removal")
	}
	res, err := http.PostForm(link, url.Values{"reply": {"I did not call anyone a criminal; I described what happened to my order."}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("the reviewer's appeal through the link: %d", res.StatusCode)
	}
	s.Settle()
	appeal := "apl_" + strings.TrimPrefix(report, "rpt_")
	s.Advance(time.Hour)

	// agent-anna took the decision: the conflict is shown before any claim.
	b, ctx := consoleBrowser(t)
	k := &apPages{t: t, b: b, pages: map[string]string{}}
	if status := signInAt(t, ctx, s, "agent.anna"); status != http.StatusOK {
		t.Fatalf("agent.anna's sign-in ended with %d", status)
	}
	must(t, "open the appeals", chromedp.Do(ctx, chromedp.Navigate(s.APIURL+"/console/appeals"), chromedp.WaitVisible(chromedp.CSS(`#start-appeals`))))
	k.keep(ctx, "appeal queue (anna)")
	if count, oldest := apText(t, ctx, `#appeal-count`), apText(t, ctx, `#appeal-oldest`); count != "1" || !strings.HasPrefix(oldest, "1 h 0 min") {
		t.Errorf("the appeal queue shows %q open, the oldest %q; want 1, an hour old", count, oldest)
	}
	if !apHas(t, ctx, `tr[data-appeal="`+appeal+`"] [data-conflict]`) {
		t.Errorf("agent-anna's appeal queue does not mark %s as contesting her decision", appeal)
	}
	must(t, "open the appeal", chromedp.Do(ctx, chromedp.Navigate(s.APIURL+"/console/appeals/"+appeal), chromedp.WaitVisible(chromedp.CSS(`#appeal-reason`))))
	k.keep(ctx, "appeal page (anna)")
	if !apHas(t, ctx, `#conflict`) || apHas(t, ctx, `#claim-appeal`) {
		t.Errorf("agent-anna's appeal page: conflict shown %v, claim offered %v; want the conflict and no claim", apHas(t, ctx, `#conflict`), apHas(t, ctx, `#claim-appeal`))
	}
	if reason := apText(t, ctx, `#appeal-reason`); !strings.Contains(reason, "I described what happened to my order") {
		t.Errorf("the appeal page shows the reason %q", reason)
	}
	if facts := apText(t, ctx, `#contested-note`); facts != "The review calls the owner a criminal." {
		t.Errorf("the appeal page shows the contested decision's facts as %q", facts)
	}
	must(t, "back to the appeals", chromedp.Do(ctx, chromedp.Navigate(s.APIURL+"/console/appeals"), chromedp.WaitVisible(chromedp.CSS(`#start-appeals`))))
	_, err = chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(`#start-appeals`)))
	must(t, "start reviewing appeals (anna)", err)
	if notice := apText(t, ctx, `#notice`); !strings.Contains(notice, "No open appeal is waiting that you may take") {
		t.Errorf("Start reviewing appeals for agent-anna says %q; want that none is hers to take", notice)
	}
	if st := apCall(t, s, http.StatusOK, "GET", "/v1/compliance/appeals/"+appeal, anna, nil)["status"]; st != "open" {
		t.Errorf("after agent-anna's Start reviewing appeals the appeal is %v, want still open", st)
	}

	// agent-ben is not the first decider: he gets it and decides it.
	b2, ctx2 := consoleBrowser(t)
	k.b = b2
	if status := signInAt(t, ctx2, s, "agent.ben"); status != http.StatusOK {
		t.Fatalf("agent.ben's sign-in ended with %d", status)
	}
	must(t, "open the appeals (ben)", chromedp.Do(ctx2, chromedp.Navigate(s.APIURL+"/console/appeals"), chromedp.WaitVisible(chromedp.CSS(`#start-appeals`))))
	_, err = chromedp.RunResponse(ctx2, chromedp.Click(chromedp.CSS(`#start-appeals`)))
	must(t, "start reviewing appeals (ben)", err)
	loc, err := chromedp.Run(ctx2, chromedp.Location())
	must(t, "location", err)
	if loc != s.APIURL+"/console/appeals/"+appeal || apText(t, ctx2, `#appeal-status`) != "in_progress" || apHas(t, ctx2, `#conflict`) {
		t.Fatalf("Start reviewing appeals took agent-ben to %s (status %q); want %s, claimed, with no conflict", loc, apText(t, ctx2, `#appeal-status`), appeal)
	}
	k.keep(ctx2, "appeal page (ben)")
	// A decision without its facts comes back with the problem by the field and the outcome kept.
	must(t, "choose uphold", chromedp.Do(ctx2, chromedp.Click(chromedp.CSS(`#outcome-uphold`))))
	res2, err := chromedp.RunResponse(ctx2, chromedp.Click(chromedp.CSS(`#decide`)))
	must(t, "decide without facts", err)
	k.keep(ctx2, "refused decision")
	upheld, err := chromedp.Run(ctx2, chromedp.Evaluate[bool](`document.querySelector('#outcome-uphold').checked`))
	must(t, "outcome kept", err)
	if res2.Status != http.StatusUnprocessableEntity || apText(t, ctx2, `#note-error`) == "" || !upheld {
		t.Errorf("a decision without facts: %d, note problem %q, uphold kept %v; want 422 with the problem and uphold still chosen", res2.Status, apText(t, ctx2, `#note-error`), upheld)
	}
	must(t, "type the facts", chromedp.Do(ctx2, chromedp.SendKeys(chromedp.CSS(`#note`), "Calling the owner a criminal is an accusation, not an experience.")))
	res2, err = chromedp.RunResponse(ctx2, chromedp.Click(chromedp.CSS(`#decide`)))
	must(t, "decide", err)
	k.keep(ctx2, "appeal queue after the decision")
	if notice := apText(t, ctx2, `#notice`); res2.Status != http.StatusOK || !strings.Contains(notice, "The appeal is decided") {
		t.Errorf("after the decision: %d, %q; want the queue saying it is decided and none is left", res2.Status, notice)
	}
	got := apCall(t, s, http.StatusOK, "GET", "/v1/compliance/appeals/"+appeal, anna, nil)
	if d, _ := got["decision"].(map[string]any); got["status"] != "decided" || d["outcome"] != "uphold" || d["decidedBy"] != "agent-ben" {
		t.Errorf("the appeal after agent-ben's decision: %v; want decided, uphold, by agent-ben (his sub)", got)
	}
	k.noReviewerData()
}

// An agent opens a business's page, warns it, then suspends its
// reporting until a time typed in her zone; the business's own JSON API
// shows the suspension with that end.
func TestConsoleBusinessPageInTheBrowser(t *testing.T) {
	s, _ := seededStack(t, clock.NewManual(time.Now()))
	biz := s.Demo.Businesses[0]
	b, ctx := consoleBrowser(t)
	k := &apPages{t: t, b: b, pages: map[string]string{}}
	if status := signInAt(t, ctx, s, "agent.anna"); status != http.StatusOK {
		t.Fatalf("agent.anna's sign-in ended with %d", status)
	}
	page := s.APIURL + "/console/businesses/" + biz.ID
	must(t, "open the business", chromedp.Do(ctx, chromedp.Navigate(page), chromedp.WaitVisible(chromedp.CSS(`#warn`))))
	k.keep(ctx, "business page")
	if r := apText(t, ctx, `#reporting`); r != "open" {
		t.Errorf("the business's reporting shows as %q, want open", r)
	}

	must(t, "type the warning", chromedp.Do(ctx, chromedp.SendKeys(chromedp.CSS(`#warn-note`), "Nine of your last twelve reports were unfounded.")))
	res, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(`#warn`)))
	must(t, "warn", err)
	k.keep(ctx, "business page after the warning")
	if res.Status != http.StatusOK || !strings.HasPrefix(apText(t, ctx, `#warning`), "until ") {
		t.Errorf("after the warning: %d, warning %q; want one in force", res.Status, apText(t, ctx, `#warning`))
	}

	berlin, _ := time.LoadLocation("Europe/Berlin")
	until := s.Clock.Now().Add(14 * 24 * time.Hour).In(berlin).Truncate(time.Minute)
	must(t, "type the suspension", chromedp.Do(ctx,
		chromedp.SetValue(chromedp.CSS(`#suspend-until`), until.Format("2006-01-02T15:04")),
		chromedp.SendKeys(chromedp.CSS(`#suspend-note`), "Reports kept coming after the warning.")))
	res, err = chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(`#suspend`)))
	must(t, "suspend", err)
	k.keep(ctx, "business page after the suspension")
	if res.Status != http.StatusOK || !strings.HasPrefix(apText(t, ctx, `#reporting`), "suspended until "+until.Format("2006-01-02 15:04")) {
		t.Errorf("after the suspension: %d, reporting %q; want suspended until %s", res.Status, apText(t, ctx, `#reporting`), until.Format("2006-01-02 15:04"))
	}
	standing := apCall(t, s, http.StatusOK, "GET", "/v1/reporting", s.Token("owner@"+biz.ID, "business", biz.ID, time.Hour), nil)
	sus, _ := standing["suspension"].(map[string]any)
	if sus == nil || sus["until"] != until.UTC().Format(time.RFC3339) || standing["canReport"] != false {
		t.Errorf("the business's standing after the suspension: %v; want suspended until %s", standing, until.UTC().Format(time.RFC3339))
	}
	sanctions := apCall(t, s, http.StatusOK, "GET", "/v1/compliance/businesses/"+biz.ID+"/sanctions", s.Token("agent-ada", "compliance", "", time.Hour), nil)
	for _, it := range sanctions["items"].([]any) {
		if a := it.(map[string]any)["agent"]; a != "agent:agent-anna" {
			t.Errorf("a sanction from the console is recorded by %v, want agent:agent-anna (her sub)", a)
		}
	}
	k.noReviewerData()
}
