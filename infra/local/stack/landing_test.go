package stack_test

import (
	"io"
	"net/http"
	"strings"
	"testing"
)

func fetch(t *testing.T, url string) (int, http.Header, string) {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, res.Header, string(b)
}

func TestStartPageLinksEverythingANewcomerNeeds(t *testing.T) {
	s := startStack(t, true)
	status, h, body := fetch(t, s.APIURL+"/")
	if status != 200 || !strings.HasPrefix(h.Get("Content-Type"), "text/html") {
		t.Fatalf("GET /: %d %s", status, h.Get("Content-Type"))
	}
	if !strings.Contains(h.Get("Content-Security-Policy"), "default-src 'none'") {
		t.Errorf("CSP = %q", h.Get("Content-Security-Policy"))
	}
	for _, want := range []string{`href="/_local/tokens"`, `href="/docs"`, `href="/_local/mail"`, `href="/_local/webhooks"`, `href="/docs/product.md"`, `href="/docs/local-stack.md"`, s.AWSURL} {
		if !strings.Contains(body, want) {
			t.Errorf("the start page lacks %q", want)
		}
	}
	// Every link of the start page opens.
	for _, path := range []string{"/_local/tokens", "/docs", "/_local/mail", "/_local/webhooks", "/docs/product.md", "/_local/clock", "/_local/faults"} {
		if status, _, _ := fetch(t, s.APIURL+path); status != 200 {
			t.Errorf("GET %s: %d", path, status)
		}
	}
	// The API's own routes are not shadowed by the page.
	if status, _, _ := fetch(t, s.APIURL+"/healthz"); status != 200 {
		t.Errorf("GET /healthz: %d", status)
	}
	if status, _, body := fetch(t, s.APIURL+"/nope"); status != 404 || !strings.Contains(body, "not_found") {
		t.Errorf("GET /nope: %d %s, want the API's 404", status, body)
	}
}

func TestTokensPageHandsOutWorkingTokens(t *testing.T) {
	s := startStack(t, true)
	_, _, page := fetch(t, s.APIURL+"/_local/tokens")
	for _, want := range []string{"export BUSINESS_TOKEN=", "export NORDIC_BIKES_TOKEN=", "export COMPLIANCE_TOKEN=", "export PLATFORM_TOKEN="} {
		if strings.Count(page, want) != 1 {
			t.Errorf("the tokens page has %q %d times, want once", want, strings.Count(page, want))
		}
	}
	for name, path := range map[string]string{"acme-coffee": "/v1/reviews", "nordic-bikes": "/v1/reviews", "compliance": "/v1/compliance/tickets"} {
		status, _, tok := fetch(t, s.APIURL+"/_local/tokens/"+name)
		if status != 200 {
			t.Fatalf("GET /_local/tokens/%s: %d", name, status)
		}
		if code, _ := get(t, s.APIURL+path, strings.TrimSpace(tok)); code != 200 {
			t.Errorf("the %s token: GET %s = %d", name, path, code)
		}
	}
	if status, _, body := fetch(t, s.APIURL+"/_local/tokens/nobody"); status != 404 || !strings.Contains(body, "acme-coffee") {
		t.Errorf("an unknown name: %d %q, want 404 naming the known ones", status, body)
	}
}

func TestGuidesRenderAsHTML(t *testing.T) {
	s := startStack(t, false)
	status, _, body := fetch(t, s.APIURL+"/docs/api.md")
	if status != 200 {
		t.Fatalf("GET /docs/api.md: %d", status)
	}
	for _, want := range []string{"<h1", "<table>", "<code>"} {
		if !strings.Contains(body, want) {
			t.Errorf("the guide lacks %q: markdown is not rendered", want)
		}
	}
	if strings.Contains(body, "\n## ") {
		t.Error("the guide shows a markdown heading as text")
	}
	for _, bad := range []string{"/docs/../go.mod", "/docs/nope.md", "/docs/files.go"} {
		if status, _, _ := fetch(t, s.APIURL+bad); status != 404 {
			t.Errorf("GET %s: %d, want 404", bad, status)
		}
	}
}
