package reviewerpage

import (
	"net/http/httptest"
	"testing"
)

// TestTheBucketSendsTheBrowserBackToThePagesOrigin: the configured public
// URL when there is one, else the host the request reached, over HTTPS
// (the deployment that leaves PUBLIC_BASE_URL empty, as the API's own URL
// cannot be given to the function behind it).
func TestTheBucketSendsTheBrowserBackToThePagesOrigin(t *testing.T) {
	r := httptest.NewRequest("GET", "/r/abc", nil)
	r.Host = "abc123.execute-api.eu-north-1.amazonaws.com"
	for _, c := range []struct{ public, want string }{
		{"https://reviews.example/", "https://reviews.example"},
		{"", "https://abc123.execute-api.eu-north-1.amazonaws.com"},
	} {
		if got := New(nil, Options{PublicURL: c.public}).origin(r); got != c.want {
			t.Errorf("PublicURL %q: origin = %q, want %q", c.public, got, c.want)
		}
	}
}
