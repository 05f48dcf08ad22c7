package reviewerpage

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/candorhq/candor/shared/links"
)

// BenchmarkGetForm measures rendering the Find Reviewer page: token hashing,
// a (fake) lookup, the nonce and writing the page.
func BenchmarkGetForm(b *testing.B) {
	fb := newFake()
	tok, hash, _ := links.New()
	fb.views[hash] = openView(links.PurposeFindReviewerReply, "sv")
	h := testHandler(fb, nil)
	b.ReportAllocs()
	for b.Loop() {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/r/"+tok, nil))
		if w.Code != http.StatusOK {
			b.Fatalf("status %d", w.Code)
		}
	}
}

// BenchmarkPostInvalidReply measures the heaviest POST the page handles
// itself: a reply just over the limit, validated and rendered back.
func BenchmarkPostInvalidReply(b *testing.B) {
	fb := newFake()
	tok, hash, _ := links.New()
	fb.views[hash] = openView(links.PurposeFindReviewerReply, "de")
	h := testHandler(fb, nil)
	body := url.Values{"reply": {strings.Repeat("Bestellung 4711\r\n", 130)}}.Encode()
	b.ReportAllocs()
	for b.Loop() {
		w := httptest.NewRecorder()
		r := httptest.NewRequest(http.MethodPost, "/r/"+tok, strings.NewReader(body))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		h.ServeHTTP(w, r)
		if w.Code != http.StatusUnprocessableEntity {
			b.Fatalf("status %d", w.Code)
		}
	}
}
