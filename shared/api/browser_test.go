package api_test

import (
	"context"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/candorhq/candor/shared/api"
	"github.com/candorhq/candor/shared/browsertest"
)

// TestBrowserReviewerAnswersFromTheMailbox is what a reviewer does: open the
// email in the local mailbox, follow its link, type an answer, submit, and
// see the thank-you page — in a real browser. The business's message
// carries markup and a script, which must show as text; the page's only
// script is its own counter. The platform gave the reviewer's time zone,
// and the page shows the deadline in it.
func TestBrowserReviewerAnswersFromTheMailbox(t *testing.T) {
	exe := browsertest.Chromium(t)
	e := newEnv(t)
	zoned := reviewBody("biz-1", "organic", 1)
	zoned["reviewer"].(map[string]any)["timeZone"] = "America/New_York"
	e.mustStatus(http.StatusOK, "PUT", "/v1/platform/reviews/rev-organic", e.platform, zoned)
	hostile := `Hello <script>alert("pwned")</script><b>bold</b>! Please send us your order number or invoice.`
	r := e.mustStatus(http.StatusAccepted, "POST", "/v1/reviews/rev-organic/reviewer-requests", e.biz1, map[string]any{"message": hostile})
	id := decode[api.RequestView](t, r).ID

	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-dev-shm-usage", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.Flag("no-first-run", true), chromedp.Flag("disable-quic", true),
		chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(390, 844), // a phone
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelAlloc()
	// A script that ran would open a dialog (and block the page until the
	// timeout): count dialogs as they open.
	var dialogs atomic.Int32
	ctx, cancel := chromedp.NewContext(allocCtx, chromedp.WithListener(func(ev any) {
		if _, ok := ev.(*cdppage.EventJavascriptDialogOpening); ok {
			dialogs.Add(1)
		}
	}))
	defer cancel()
	ctx, cancelTimeout := context.WithTimeout(ctx, 60*time.Second)
	defer cancelTimeout()

	step := func(name string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("browser: %s: %v", name, err)
		}
	}
	link := chromedp.CSS(`a[href*="/r/"]`)
	reply := chromedp.CSS(`textarea[name="reply"]`)
	step("open the mailbox and follow the link", chromedp.Do(ctx,
		chromedp.Navigate(e.s.APIURL+"/_local/mail"),
		chromedp.WaitVisible(link),
		chromedp.Click(link),
		chromedp.WaitVisible(reply),
	))
	url, err := chromedp.Run(ctx, chromedp.Location())
	step("location", err)
	pageText, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("body")))
	step("page text", err)
	live, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("b").length + [...document.scripts].filter(s => !s.textContent.includes("error-summary")).length`))
	step("count live markup", err)
	title, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.title`))
	step("title", err)
	deadline, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(".deadline")))
	step("deadline", err)
	step("type the answer", chromedp.Do(ctx, chromedp.SendKeys(reply, "Order 4711, bought on 3 October.")))
	// RunResponse waits for the navigation the click starts: the form's POST.
	res, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(`button[type="submit"]`)))
	step("submit", err)
	if res.Status != http.StatusOK {
		t.Errorf("submitting the form answered %d, want 200", res.Status)
	}
	thanks, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("h1")))
	step("thank-you heading", err)
	if !strings.Contains(url, "/r/") {
		t.Errorf("the mailbox link led to %s", url)
	}
	if !strings.Contains(pageText, `<script>alert("pwned")</script><b>bold</b>`) {
		t.Errorf("the business's message is not shown as text: %q", pageText)
	}
	if live != 0 || dialogs.Load() != 0 {
		t.Errorf("markup from the business's message became live: %d elements, %d dialogs", live, dialogs.Load())
	}
	if !strings.HasSuffix(title, " – Candor") {
		t.Errorf("the page's title %q does not name the platform", title)
	}
	if !strings.Contains(deadline, " EDT") && !strings.Contains(deadline, " EST") {
		t.Errorf("the deadline %q is not in the reviewer's zone (New York)", deadline)
	}
	if thanks != "Tack för ditt svar" { // the reviewer's locale is sv
		t.Errorf("after submitting the page says %q, want the Swedish thank-you page", thanks)
	}
	if rq, raw := e.requestView(id); rq.Status != "replied" || deref(rq.Reply) != "Order 4711, bought on 3 October." {
		t.Errorf("request after the browser reply = %s, want replied with the reviewer's words", raw)
	}
}

// TestBrowserReviewerReportsAReply is what a reviewer does with the reply
// email: follow its link to report the reply, pick a reason, add a word,
// submit, and see the thank-you page — on a phone-sized window, without
// JavaScript on our side; the reply, with markup in it, shows as text.
func TestBrowserReviewerReportsAReply(t *testing.T) {
	exe := browsertest.Chromium(t)
	e := newEnv(t)
	e.mustStatus(http.StatusCreated, "PUT", "/v1/reviews/rev-organic/reply", e.biz1, map[string]any{"text": `We know where you live <b>bold</b><script>alert("pwned")</script>`})
	link := e.replyReportLink()

	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-dev-shm-usage", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.Flag("no-first-run", true), chromedp.Flag("disable-quic", true),
		chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(390, 844),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelAlloc()
	var dialogs atomic.Int32
	ctx, cancel := chromedp.NewContext(allocCtx, chromedp.WithListener(func(ev any) {
		if _, ok := ev.(*cdppage.EventJavascriptDialogOpening); ok {
			dialogs.Add(1)
		}
	}))
	defer cancel()
	ctx, cancelTimeout := context.WithTimeout(ctx, 60*time.Second)
	defer cancelTimeout()
	step := func(name string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("browser: %s: %v", name, err)
		}
	}
	reason := chromedp.CSS(`input[name="reason"][value="threats_or_aggression"]`)
	step("open the report page", chromedp.Do(ctx, chromedp.Navigate(link), chromedp.WaitVisible(reason)))
	pageText, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("body")))
	step("page text", err)
	// The page has its own nonce'd script (the counter); only the reply's markup counts.
	live, err := chromedp.Run(ctx, chromedp.Evaluate[int](`[...document.querySelectorAll("b, script")].filter(e => e.tagName === "B" || e.textContent.includes("pwned")).length`))
	step("count live markup", err)
	step("choose the reason and add details", chromedp.Do(ctx,
		chromedp.Click(reason),
		chromedp.SendKeys(chromedp.CSS(`textarea[name="reply"]`), "De hotar mig."),
	))
	res, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(`button[type="submit"]`)))
	step("submit", err)
	if res.Status != http.StatusOK {
		t.Errorf("submitting the form answered %d, want 200", res.Status)
	}
	thanks, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("h1")))
	step("thank-you heading", err)
	if !strings.Contains(pageText, `We know where you live <b>bold</b><script>alert("pwned")</script>`) {
		t.Errorf("the reply is not shown as text: %q", pageText)
	}
	if live != 0 || dialogs.Load() != 0 {
		t.Errorf("markup from the reply became live: %d elements, %d dialogs", live, dialogs.Load())
	}
	if thanks != "Tack, vi har tagit emot din anmälan" {
		t.Errorf("after submitting the page says %q, want the Swedish thank-you page", thanks)
	}
	if ts := e.replyTickets(); len(ts) != 1 || len(ts[0].ReplyReasons) != 1 || ts[0].ReplyReasons[0] != "threats_or_aggression" {
		t.Errorf("reply tickets after the browser report = %+v", ts)
	}
}
