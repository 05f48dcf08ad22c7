package api_test

import (
	"io"
	"net/http"
	"strings"
	"testing"
)

// TestReviewerPageAnswersEveryMethod: HEAD of a reviewer link is its GET
// without a body, and a method the page does not take is 405 with Allow,
// not the gateway's 404.
func TestReviewerPageAnswersEveryMethod(t *testing.T) {
	e := newEnv(t)
	e.ask()
	link := e.reviewerLink(e.mailsTo(reviewerAddr)[0])
	for _, tc := range []struct {
		method     string
		wantStatus int
		wantAllow  string
	}{
		{http.MethodHead, http.StatusOK, ""},
		{http.MethodPut, http.StatusMethodNotAllowed, "GET, HEAD, POST"},
		{http.MethodDelete, http.StatusMethodNotAllowed, "GET, HEAD, POST"},
		{http.MethodPatch, http.StatusMethodNotAllowed, "GET, HEAD, POST"},
	} {
		req, err := http.NewRequest(tc.method, link, nil)
		if err != nil {
			t.Fatal(err)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != tc.wantStatus || res.Header.Get("Allow") != tc.wantAllow {
			t.Errorf("%s /r/{token} = %d, Allow %q; want %d, Allow %q", tc.method, res.StatusCode, res.Header.Get("Allow"), tc.wantStatus, tc.wantAllow)
		}
		if tc.method == http.MethodHead && (len(b) != 0 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html")) {
			t.Errorf("HEAD /r/{token}: %d bytes of body, Content-Type %q; want none, text/html", len(b), res.Header.Get("Content-Type"))
		}
	}
	if p := e.openPage(link); p.status != http.StatusOK {
		t.Errorf("GET after HEAD, PUT, DELETE = %d, want 200: none of them used the link", p.status)
	}
}
