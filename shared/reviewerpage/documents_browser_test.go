package reviewerpage

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/candorhq/candor/shared/browsertest"
	"github.com/candorhq/candor/shared/document"
)

// TestBrowserDocumentPagesPassAxeAtPhoneSize: the proof page with its
// documents, the same page after a refused file (the error summary has the
// focus) and the upload page pass axe-core and fit 390 and 320 px, in
// English, Swedish and German.
func TestBrowserDocumentPagesPassAxeAtPhoneSize(t *testing.T) {
	b := browsertest.New(t)
	fb, d := newFake(), &fakeDocs{arriveErr: &document.Refusal{Reason: document.ReasonTypeNotAccepted}}
	srv := httptest.NewServer(docsHandler(fb, d))
	t.Cleanup(srv.Close)
	for _, loc := range []string{"en", "sv", "de"} {
		t.Run(loc, func(t *testing.T) {
			ctx := browsertest.Within(t, b.Tab(t))
			page := srv.URL + "/r/" + fb.add(t, proofWithDocs(loc))
			if _, err := chromedp.RunResponse(ctx, chromedp.Navigate(page)); err != nil {
				t.Fatal(err)
			}
			checkPage(t, b, ctx, "form with documents")

			res, err := chromedp.RunResponse(ctx, chromedp.Navigate(page+"?bucket=b&key=documents%2Frpt_1%2Fdoc_1&etag=x"))
			if err != nil || res.Status != http.StatusUnprocessableEntity {
				t.Fatalf("a refused file: %v %v, want 422", res, err)
			}
			checkPage(t, b, ctx, "refused file")
			if focused, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.activeElement.id`)); err != nil || focused != "error-summary" {
				t.Errorf("after a refused file the focus is on %q (%v), want the error summary", focused, err)
			}

			if _, err := chromedp.RunResponse(ctx, chromedp.Navigate(page+"?attach=1")); err != nil {
				t.Fatal(err)
			}
			checkPage(t, b, ctx, "upload page")
		})
	}
}
