package contract_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/candorhq/candor/api"
	"github.com/candorhq/candor/shared/contract"
)

func get(t *testing.T, h http.Handler, path string) (*http.Response, string) {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
	res := rec.Result()
	b, _ := io.ReadAll(res.Body)
	return res, string(b)
}

func TestHandlerServesTheDescription(t *testing.T) {
	h := mustLoad(t).Handler()
	res, body := get(t, h, "/openapi.yaml")
	if res.StatusCode != 200 || body != string(api.OpenAPI) || !strings.HasPrefix(res.Header.Get("Content-Type"), "application/yaml") {
		t.Errorf("GET /openapi.yaml: %d %s, %d bytes; want the file as it is", res.StatusCode, res.Header.Get("Content-Type"), len(body))
	}
}

func TestDocsPageListsEveryOperationAndSchema(t *testing.T) {
	s := mustLoad(t)
	res, body := get(t, s.Handler(), "/docs")
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != "text/html; charset=utf-8" {
		t.Fatalf("GET /docs: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	if csp := res.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") || strings.Contains(csp, "script-src") {
		t.Errorf("CSP = %q, want no script and nothing from outside", csp)
	}
	for _, op := range s.Operations() {
		if !strings.Contains(body, `id="op-`+op.ID+`"`) || !strings.Contains(body, `<span class="path">`+op.Path+`</span>`) {
			t.Errorf("the page has no section for %s %s", op.Method, op.Path)
		}
	}
	for _, want := range []string{
		`id="schema-Report"`, `id="schema-ErrorCode"`, `<code>idempotency_key_reused</code>`,
		`bearer token with role compliance`, `public (no token)`, `href="#schema-ReportInput"`,
		`<code>Idempotency-Key</code>`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the page lacks %s", want)
		}
	}
	if strings.Contains(body, "<script") || strings.Contains(body, "http://cdn") || strings.Contains(body, "https://cdn") {
		t.Error("the page loads a script or something from outside")
	}
}

func TestDocsPageEscapesTheDescription(t *testing.T) {
	doc := `openapi: 3.1.0
info: {title: "<b>T</b>", version: "1", description: "a <script>alert(1)</script> & \"quote\""}
paths:
  /x:
    get:
      operationId: x
      summary: "<img src=x onerror=alert(1)>"
      security: []
      responses:
        "200": {description: "<i>ok</i>"}
`
	s, err := contract.Load([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	page, err := s.HTML()
	if err != nil {
		t.Fatal(err)
	}
	body := string(page)
	for _, bad := range []string{"<script>alert", "<img src=x", "<b>T</b>", "<i>ok</i>"} {
		if strings.Contains(body, bad) {
			t.Errorf("the page contains %q unescaped", bad)
		}
	}
	if !strings.Contains(body, "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &#34;quote&#34;") {
		t.Errorf("the description is not shown escaped:\n%s", body)
	}
}

func TestDocsPageEscapesCodeSpans(t *testing.T) {
	doc := "openapi: 3.1.0\ninfo: {title: t, version: \"1\", description: \"use `<script>` and `a&b` then ` odd\"}\npaths: {}\n"
	s, err := contract.Load([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	page, _ := s.HTML()
	if body := string(page); strings.Contains(body, "<script>") || !strings.Contains(body, "use `&lt;script&gt;` and `a&amp;b` then ` odd") {
		t.Errorf("an unpaired backtick must leave the text escaped as it is: %s", body)
	}
	doc = "openapi: 3.1.0\ninfo: {title: t, version: \"1\", description: \"use `<script>` and `a&b`\"}\npaths: {}\n"
	s, _ = contract.Load([]byte(doc))
	page, _ = s.HTML()
	if body := string(page); strings.Contains(body, "<script>") || !strings.Contains(body, "use <code>&lt;script&gt;</code> and <code>a&amp;b</code>") {
		t.Errorf("code spans are not rendered escaped: %s", body)
	}
}
