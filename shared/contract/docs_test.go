package contract_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
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
	if !strings.Contains(body, "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quote&quot;") {
		t.Errorf("the description is not shown escaped:\n%s", body)
	}
}

func TestDocsPageRendersMarkdown(t *testing.T) {
	tests := []struct {
		name, description string
		want, never       []string
	}{
		{"code spans, escaped", "use `<script>` and `a&b`", []string{"use <code>&lt;script&gt;</code> and <code>a&amp;b</code>"}, []string{"<script>"}},
		{"a list", "Codes:\n\n- `gone` (410): closed.\n- `internal` (500): failed.", []string{"<ul>", "<li><code>gone</code> (410): closed.</li>"}, nil},
		{"bold and a link", "**Never** see [the guide](https://example.org/g).", []string{"<strong>Never</strong>", `<a href="https://example.org/g">the guide</a>`}, nil},
		{"a script link is dropped", "[click](javascript:alert(1))", []string{"click"}, []string{"javascript:"}},
		{"raw HTML is text", "a <img src=x onerror=alert(1)> b", []string{"a &lt;img src=x onerror=alert(1)&gt; b"}, []string{"<img"}},
		{"an HTML block is text", "<div onclick=\"x()\">hi</div>", []string{"&lt;div onclick="}, []string{"<div onclick"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := "openapi: 3.1.0\ninfo: {title: t, version: \"1\"}\npaths: {}\ncomponents:\n  schemas:\n    X:\n      type: string\n      description: " + strconv.Quote(tt.description) + "\n"
			s, err := contract.Load([]byte(doc))
			if err != nil {
				t.Fatal(err)
			}
			page, err := s.HTML()
			if err != nil {
				t.Fatal(err)
			}
			body := string(page)
			for _, w := range tt.want {
				if !strings.Contains(body, w) {
					t.Errorf("the page lacks %q", w)
				}
			}
			for _, n := range tt.never {
				if strings.Contains(body, n) {
					t.Errorf("the page holds %q", n)
				}
			}
		})
	}
}
