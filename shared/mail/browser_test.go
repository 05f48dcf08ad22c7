package mail

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/candorhq/candor/shared/browsertest"
)

// TestBrowserEveryEmailPassesAxeAtPhoneSize renders every email, in every
// variant the workflows send, in English, Swedish and German, opens its
// HTML part in one Chromium at 390 px, and fails on any violation of
// axe-core's WCAG 2.x A and AA rules and on an email wider than the
// screen. (axe-core's best practices for web pages — landmarks, one h1 —
// are not asked of an email, whose client shows it inside its own page.)
func TestBrowserEveryEmailPassesAxeAtPhoneSize(t *testing.T) {
	b := browsertest.New(t)
	r := testRenderer(t)
	pages := map[string]string{}
	for _, s := range samples(testLinks(t)) {
		for _, loc := range Locales() {
			out, err := r.Render(loc, s.msg)
			if err != nil {
				t.Fatalf("%s/%s: %v", s.name, loc, err)
			}
			pages["/"+s.name+"."+loc] = out.HTML
		}
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, rq *http.Request) {
		body, ok := pages[rq.URL.Path]
		if !ok {
			http.NotFound(w, rq)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte(body))
	}))
	defer srv.Close()
	tab := b.Tab(t)
	for _, s := range samples(testLinks(t)) {
		for _, loc := range Locales() {
			path := "/" + s.name + "." + loc
			t.Run(s.name+"/"+loc, func(t *testing.T) {
				// One tab for all, replaced by a fresh one for a second try
				// when it stops answering — loading the email or running
				// axe-core in it, as a tab can on a machine busy with other
				// browser tests — so that it does not take the emails after
				// it along. The fresh tab is this email's (it closes with
				// it): the next email finds it closed at once and opens its
				// own. A violation is an answer, not a hang: it is not tried
				// again.
				var vs []browsertest.Violation
				var over int
				for try := 1; ; try++ {
					var err error
					if vs, over, err = checkEmail(tab, b, srv.URL+path); err == nil {
						break
					}
					tab = b.Tab(t)
					if try == 2 {
						t.Fatal(err)
					}
					t.Logf("try %d: %v; again in a fresh tab", try, err)
				}
				for _, v := range vs {
					t.Errorf("axe: %s", v)
				}
				if over > 0 {
					t.Errorf("%d px wider than a %d px screen", over, browsertest.PhoneWidth)
				}
			})
		}
	}
}

// checkEmail loads url in tab and runs axe-core and the width check on it,
// each step within a deadline, so that a tab that stops answering is an
// error rather than a wait as long as the test's.
func checkEmail(tab context.Context, b *browsertest.Browser, url string) ([]browsertest.Violation, int, error) {
	load, cancel := context.WithTimeout(tab, 30*time.Second)
	_, err := chromedp.RunResponse(load, chromedp.Navigate(url))
	cancel()
	if err != nil {
		return nil, 0, err
	}
	ctx, cancel := context.WithTimeout(tab, 45*time.Second)
	defer cancel()
	vs, err := b.Axe(ctx, browsertest.WCAG)
	if err != nil {
		return nil, 0, err
	}
	over, err := browsertest.Overflow(ctx)
	if err != nil {
		return nil, 0, fmt.Errorf("width: %w", err)
	}
	return vs, over, nil
}
