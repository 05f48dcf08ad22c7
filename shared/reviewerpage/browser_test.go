package reviewerpage

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/candorhq/candor/shared/brand"
	"github.com/candorhq/candor/shared/browsertest"
	"github.com/candorhq/candor/shared/clock"
	"github.com/candorhq/candor/shared/links"
	"github.com/candorhq/candor/shared/moderation"
)

// pageServer serves the pages over fb at testNow, as a platform named
// "Recensio".
func pageServer(t *testing.T, fb *fakeBackend) *httptest.Server {
	t.Helper()
	b, err := brand.New("Recensio", "")
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(New(fb, Options{Clock: clock.NewManual(testNow), Brand: b}))
	t.Cleanup(srv.Close)
	return srv
}

// tooMuch fills the form's fields beyond their limits; valid fills them
// within; submit sends the form. Each is a script run in the page. Both
// choose the first option of a required choice left empty (the reason for
// reporting a reply), which the browser would otherwise refuse to send.
const (
	choose  = `for (const r of document.querySelectorAll("input[type=radio][required]")) { if (!document.querySelector("input[name='" + r.name + "']:checked")) { r.checked = true; } }`
	tooMuch = `(() => { ` + choose + ` for (const f of document.querySelectorAll("[data-max]")) { f.value = "x".repeat(+f.dataset.max + 1); } })()`
	valid   = `(() => { ` + choose + ` for (const f of document.querySelectorAll("[data-max]")) { f.value = "Order 4711, bought on 3 October."; } })()`
	submit  = `document.querySelector("form").requestSubmit()`
)

// checkPage runs axe-core on the page in ctx and checks that it fits a
// 390 px and a 320 px wide screen.
func checkPage(t *testing.T, b *browsertest.Browser, ctx context.Context, what string) {
	t.Helper()
	vs, err := b.Axe(ctx, browsertest.WCAGAndBestPractice)
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	for _, v := range vs {
		t.Errorf("%s: axe: %s", what, v)
	}
	for _, width := range []int64{browsertest.PhoneWidth, 320} {
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(width, browsertest.PhoneHeight)); err != nil {
			t.Fatal(err)
		}
		if over, err := browsertest.Overflow(ctx); err != nil || over > 0 {
			t.Errorf("%s: %d px wider than a %d px screen (%v)", what, over, width, err)
		}
	}
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(browsertest.PhoneWidth, browsertest.PhoneHeight)); err != nil {
		t.Fatal(err)
	}
}

// post runs script (which fills the form) and submits the form, waiting
// for the answer's page, and returns its status.
func post(t *testing.T, ctx context.Context, script string) int64 {
	t.Helper()
	res, err := chromedp.RunResponse(ctx, chromedp.Evaluate[chromedp.Void](script+";"+submit))
	if err != nil {
		t.Fatalf("submit: %v", err)
	}
	return res.Status
}

// TestBrowserEveryPageStatePassesAxeAtPhoneSize opens every page a reviewer
// can reach — each purpose's form, the form refused with errors, the
// thank-you page, the expired and the used link — in English, Swedish and
// German, in one Chromium at 390 px, and fails on any axe-core violation
// and on any page wider than 390 or 320 px. After a refused answer the
// error summary has the focus and the title starts with the error prefix.
func TestBrowserEveryPageStatePassesAxeAtPhoneSize(t *testing.T) {
	b := browsertest.New(t)
	fb := newFake()
	srv := pageServer(t, fb)
	prefix := map[string]string{"en": "Error: ", "sv": "Fel: ", "de": "Fehler: "}
	for _, loc := range []string{"en", "sv", "de"} {
		for _, purpose := range allPurposes {
			t.Run(loc+"/"+string(purpose), func(t *testing.T) {
				ctx := browsertest.Within(t, b.Tab(t))
				v := openView(purpose, loc)
				if purpose == links.PurposeAppeal {
					v.Removal = &Removal{Reasons: []moderation.Reason{moderation.ReasonSpam, moderation.ReasonPromotional}, Facts: "The review repeats a discount code five times."}
				}
				tok := fb.add(t, v)
				if _, err := chromedp.RunResponse(ctx, chromedp.Navigate(srv.URL+"/r/"+tok)); err != nil {
					t.Fatal(err)
				}
				checkPage(t, b, ctx, "form")

				if status := post(t, ctx, tooMuch); status != http.StatusUnprocessableEntity {
					t.Fatalf("too much text answered %d, want 422", status)
				}
				checkPage(t, b, ctx, "refused")
				focused, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.activeElement.id`))
				if err != nil || focused != "error-summary" {
					t.Errorf("after the refusal the focus is on %q (%v), want the error summary", focused, err)
				}
				if title, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.title`)); err != nil || !strings.HasPrefix(title, prefix[loc]) {
					t.Errorf("after the refusal the title is %q (%v), want it to start with %q", title, err, prefix[loc])
				}

				if status := post(t, ctx, valid); status != http.StatusOK {
					t.Fatalf("a valid answer answered %d, want 200", status)
				}
				checkPage(t, b, ctx, "thanks")

				// Sent again from the same link: "already received".
				if _, err := chromedp.RunResponse(ctx, chromedp.Navigate(srv.URL+"/r/"+tok)); err != nil {
					t.Fatal(err)
				}
				checkPage(t, b, ctx, "used")

				v.State = StateExpired
				if _, err := chromedp.RunResponse(ctx, chromedp.Navigate(srv.URL+"/r/"+fb.add(t, v))); err != nil {
					t.Fatal(err)
				}
				checkPage(t, b, ctx, "expired")
			})
		}
	}
	t.Run("not found", func(t *testing.T) {
		ctx := browsertest.Within(t, b.Tab(t))
		if _, err := chromedp.RunResponse(ctx, chromedp.Navigate(srv.URL+"/r/unknown")); err != nil {
			t.Fatal(err)
		}
		checkPage(t, b, ctx, "not found")
	})
}

// TestBrowserErrorSummaryTakesFocusWithoutScript: with JavaScript off, the
// refused answer's page still puts the focus on the error summary
// (autofocus), so a phone shows it and a screen reader reads it first.
func TestBrowserErrorSummaryTakesFocusWithoutScript(t *testing.T) {
	b := browsertest.New(t)
	fb := newFake()
	srv := pageServer(t, fb)
	ctx := browsertest.Within(t, b.Tab(t))
	if err := chromedp.Do(ctx, func(ctx context.Context, tg *chromedp.Target) (chromedp.Void, error) {
		_, err := cdp.Call(ctx, tg, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
		return chromedp.Void{}, err
	}); err != nil {
		t.Fatal(err)
	}
	tok := fb.add(t, openView(links.PurposeFindReviewerReply, "en"))
	if _, err := chromedp.RunResponse(ctx, chromedp.Navigate(srv.URL+"/r/"+tok)); err != nil {
		t.Fatal(err)
	}
	if ran, _ := chromedp.Run(ctx, chromedp.Evaluate[bool](`!document.getElementById("reply-count").hidden`)); ran {
		t.Fatal("the page's script ran: scripts are not off")
	}
	if status := post(t, ctx, tooMuch); status != http.StatusUnprocessableEntity {
		t.Fatalf("too much text answered %d, want 422", status)
	}
	if focused, err := chromedp.Run(ctx, chromedp.Poll[string](`document.activeElement.id || ""`)); err != nil || focused != "error-summary" {
		t.Errorf("without script the focus is on %q (%v), want the error summary", focused, err)
	}
}

// TestBrowserCounterAndTimeZone: typing updates the live counter in the
// page's language; pasting too much says how much too much and nothing is
// cut; the deadline is in the reviewer's zone with UTC on the next line.
func TestBrowserCounterAndTimeZone(t *testing.T) {
	b := browsertest.New(t)
	fb := newFake()
	srv := pageServer(t, fb)
	ctx := browsertest.Within(t, b.Tab(t))
	v := openView(links.PurposeProof, "en")
	v.TimeZone = "America/New_York"
	tok := fb.add(t, v)
	if _, err := chromedp.RunResponse(ctx, chromedp.Navigate(srv.URL+"/r/"+tok)); err != nil {
		t.Fatal(err)
	}
	deadline, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`.deadline`)))
	if err != nil || deadline != "Please send your proof by 15 March 2026, 05:30 EDT." {
		t.Errorf("deadline reads %q (%v), want it in New York time", deadline, err)
	}
	if utc, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`.utc`))); err != nil || utc != "That is 15 March 2026, 09:30 UTC." {
		t.Errorf("the UTC line reads %q (%v)", utc, err)
	}
	count := func(want string) {
		t.Helper()
		got, err := chromedp.Run(ctx, chromedp.Poll[string](`(c => c.textContent === `+jsString(want)+` && c.textContent)(document.getElementById("reply-count"))`))
		if err != nil {
			now, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById("reply-count").textContent`))
			t.Fatalf("counter reads %q, want %q (%v)", now, want, err)
		}
		_ = got
	}
	count("You have 2,000 characters left")
	if err := chromedp.Do(ctx, chromedp.SendKeys(chromedp.CSS(`#reply`), "Order 4711")); err != nil {
		t.Fatal(err)
	}
	count("You have 1,990 characters left")
	live, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById("reply-count").getAttribute("aria-live")`))
	if err != nil || live != "polite" {
		t.Errorf("counter aria-live = %q (%v), want polite", live, err)
	}
	// Pasted: 2,500 characters. Nothing is cut.
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`(r => { r.value = "y".repeat(2500); r.dispatchEvent(new Event("input")); })(document.getElementById("reply"))`)); err != nil {
		t.Fatal(err)
	}
	count("You have 500 characters too many")
	if n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.getElementById("reply").value.length`)); err != nil || n != 2500 {
		t.Errorf("the field holds %d characters (%v), want the 2500 pasted", n, err)
	}
	if status := post(t, ctx, ""); status != http.StatusUnprocessableEntity {
		t.Fatalf("2500 characters answered %d, want 422", status)
	}
	if n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.getElementById("reply").value.length`)); err != nil || n != 2500 {
		t.Errorf("after the refusal the field holds %d characters (%v), want the 2500 sent", n, err)
	}
	count("You have 500 characters too many")
}

// jsString is s as a JavaScript string literal (s has no quote or backslash).
func jsString(s string) string { return `"` + s + `"` }
