package stack_test

import (
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/candorhq/candor/api"
	"github.com/candorhq/candor/shared/contract"
)

// loadSpec loads the contract once (about 50 ms).
var loadSpec = sync.OnceValues(func() (*contract.Spec, error) { return contract.Load(api.OpenAPI) })

// checkContract holds an exchange with the API to api/openapi.yaml (the
// stack's own /_local endpoints are not part of it).
func checkContract(t *testing.T, req *http.Request, res *http.Response, body []byte) {
	t.Helper()
	if strings.HasPrefix(req.URL.Path, "/_local/") {
		return
	}
	spec, err := loadSpec()
	if err != nil {
		t.Fatal(err)
	}
	if err := spec.Check(contract.Exchange{Method: req.Method, Path: req.URL.EscapedPath(), Query: req.URL.RawQuery,
		RequestHeader: req.Header, Status: res.StatusCode, Header: res.Header, Body: body}); err != nil {
		t.Error(err)
	}
}

// The local stack serves the contract and a page to read it, beside the API
// (which has no such routes: they are the stack's own).
func TestStackServesTheContractAndItsReference(t *testing.T) {
	s := startStack(t, false)
	fetch := func(path string) (*http.Response, string) {
		t.Helper()
		res, err := http.Get(s.APIURL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res, string(b)
	}
	res, body := fetch("/openapi.yaml")
	if res.StatusCode != 200 || body != string(api.OpenAPI) || !strings.HasPrefix(res.Header.Get("Content-Type"), "application/yaml") {
		t.Errorf("GET /openapi.yaml: %d %q, %d bytes, want api/openapi.yaml as it is", res.StatusCode, res.Header.Get("Content-Type"), len(body))
	}
	res, body = fetch("/docs")
	if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("GET /docs: %d %q", res.StatusCode, res.Header.Get("Content-Type"))
	}
	for _, want := range []string{"<title>Candor API 1", `<span class="path">/v1/reviews/{reviewId}/reports</span>`, `href="/openapi.yaml"`} {
		if !strings.Contains(body, want) {
			t.Errorf("GET /docs lacks %q", want)
		}
	}
	if res, _ := fetch("/docs/nothing"); res.StatusCode != 404 {
		t.Errorf("GET /docs/nothing: %d, want 404", res.StatusCode)
	}
}
