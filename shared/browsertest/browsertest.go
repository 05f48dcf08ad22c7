// Package browsertest runs tests in one headless Chromium at a phone's
// size and checks pages with axe-core, for the tests of the reviewer pages
// and the emails. It is test support: no function links it.
//
// Without Chromium or axe-core a test skips, saying how to get them; when
// CI is "true" it fails instead, so that CI never passes without the checks.
// Chromium is found at $CHROMIUM, /usr/bin/chromium or
// /usr/bin/chromium-browser; axe-core's axe.min.js at $AXE_CORE_JS, or in
// the cache .ci/run installs it into ($XDG_CACHE_HOME, else ~/.cache,
// /candor-ci/axe-core-<AxeVersion>).
package browsertest

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// AxeVersion is the axe-core .ci/run installs from npm.
const AxeVersion = "4.14.1"

// Phone is the visible area the pages are checked at: a 390 px wide phone
// with its browser's bars (390×664 CSS pixels).
const (
	PhoneWidth  = 390
	PhoneHeight = 664
)

// need skips the test saying what is missing and how to get it, or fails it
// when CI is "true".
func need(t testing.TB, what string) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatalf("%s (CI=true: the browser checks must run)", what)
	}
	t.Skip(what)
}

// Chromium returns the path of Chromium, or skips (fails under CI).
func Chromium(t testing.TB) string {
	t.Helper()
	for _, p := range []string{os.Getenv("CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser"} {
		if p == "" {
			continue
		}
		if path, err := exec.LookPath(p); err == nil {
			return path
		}
	}
	need(t, "chromium is not installed (apt-get install chromium, or set CHROMIUM); .ci/run installs it so CI runs this test")
	return ""
}

// AxeCacheDir is where .ci/run installs axe-core with npm.
func AxeCacheDir() string {
	base := os.Getenv("XDG_CACHE_HOME")
	if base == "" {
		home, _ := os.UserHomeDir()
		base = filepath.Join(home, ".cache")
	}
	return filepath.Join(base, "candor-ci", "axe-core-"+AxeVersion)
}

var axeSource = sync.OnceValues(func() (string, error) {
	path := os.Getenv("AXE_CORE_JS")
	if path == "" {
		path = filepath.Join(AxeCacheDir(), "node_modules", "axe-core", "axe.min.js")
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("axe-core is not installed: %w (npm install --prefix %s axe-core@%s, or set AXE_CORE_JS to its axe.min.js; .ci/run installs it)",
			err, AxeCacheDir(), AxeVersion)
	}
	return string(b), nil
})

// Browser is one headless Chromium; each Tab is a page in it.
type Browser struct {
	ctx context.Context
	axe string
}

// New starts Chromium for t (closed when t ends) and reads axe-core; it
// skips (fails under CI) without either.
func New(t testing.TB) *Browser {
	t.Helper()
	exe := Chromium(t)
	src, err := axeSource()
	if err != nil {
		need(t, err.Error())
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-dev-shm-usage", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.Flag("no-first-run", true), chromedp.Flag("disable-quic", true),
		chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(PhoneWidth, PhoneHeight),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(allocCtx)
	// The first Run starts the browser.
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(PhoneWidth, PhoneHeight)); err != nil {
		cancel()
		cancelAlloc()
		t.Fatalf("browsertest: start chromium: %v", err)
	}
	t.Cleanup(func() { cancel(); cancelAlloc() })
	return &Browser{ctx: ctx, axe: src}
}

// Tab opens a new tab at the phone's size, closed when t ends.
func (b *Browser) Tab(t testing.TB) context.Context {
	t.Helper()
	ctx, cancel := chromedp.NewContext(b.ctx)
	t.Cleanup(cancel)
	if err := chromedp.Do(Within(t, ctx), chromedp.EmulateViewport(PhoneWidth, PhoneHeight)); err != nil {
		t.Fatalf("browsertest: open a tab: %v", err)
	}
	return ctx
}

// Within returns tab's context for the steps of t, which fail once t has
// taken a minute: a page that hangs fails its test rather than the run.
// The tab stays open for other tests.
func Within(t testing.TB, tab context.Context) context.Context {
	ctx, cancel := context.WithTimeout(tab, time.Minute)
	t.Cleanup(cancel)
	return ctx
}

// Violation is one axe-core rule a page breaks, with the elements that
// break it.
type Violation struct {
	ID     string `json:"id"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	Nodes  []struct {
		Target  []string `json:"target"`
		HTML    string   `json:"html"`
		Summary string   `json:"failureSummary"`
	} `json:"nodes"`
}

// String says which rule and where, for a test's failure message.
func (v Violation) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s (%s): %s", v.ID, v.Impact, v.Help)
	for _, n := range v.Nodes {
		fmt.Fprintf(&b, "\n    %v %s\n      %s", n.Target, n.HTML, strings.ReplaceAll(n.Summary, "\n", "\n      "))
	}
	return b.String()
}

// Rule sets of axe-core, by tag.
var (
	// WCAG is WCAG 2.0, 2.1 and 2.2 at levels A and AA.
	WCAG = []string{"wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"}
	// WCAGAndBestPractice adds axe-core's best practices for web pages
	// (one main landmark, content in landmarks, one h1).
	WCAGAndBestPractice = append(WCAG[:len(WCAG):len(WCAG)], "best-practice")
)

// Axe runs axe-core's rules of the tags on the page loaded in ctx and
// returns what it breaks. axe-core is evaluated through the DevTools
// protocol, which the page's Content-Security-Policy does not govern; the
// page itself is unchanged.
func (b *Browser) Axe(ctx context.Context, tags []string) ([]Violation, error) {
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[*runtime.RemoteObject](b.axe)); err != nil {
		return nil, fmt.Errorf("browsertest: load axe-core: %w", err)
	}
	values, err := json.Marshal(tags)
	if err != nil {
		return nil, fmt.Errorf("browsertest: axe tags: %w", err)
	}
	run := `axe.run(document, {runOnly: {type: "tag", values: ` + string(values) + `}, resultTypes: ["violations"]})
		.then(r => r.violations.map(v => ({id: v.id, impact: v.impact || "", help: v.help,
			nodes: v.nodes.map(n => ({target: n.target.map(String), html: n.html, failureSummary: n.failureSummary || ""}))})))`
	vs, err := chromedp.Run(ctx, chromedp.Evaluate[[]Violation](run, chromedp.EvalAwaitPromise))
	if err != nil {
		return nil, fmt.Errorf("browsertest: run axe-core: %w", err)
	}
	return vs, nil
}

// Overflow returns how many CSS pixels the page loaded in ctx is wider
// than the viewport (0: it fits, nothing scrolls sideways).
func Overflow(ctx context.Context) (int, error) {
	return chromedp.Run(ctx, chromedp.Evaluate[int](`Math.max(0, document.documentElement.scrollWidth - window.innerWidth)`))
}
