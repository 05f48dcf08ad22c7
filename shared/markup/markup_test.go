package markup

import (
	"bytes"
	htmltemplate "html/template"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// viaTemplate renders v in the given html/template context: what Builder
// must write byte for byte.
func viaTemplate(t testing.TB, tmpl, v string) string {
	t.Helper()
	var b bytes.Buffer
	if err := htmltemplate.Must(htmltemplate.New("t").Parse(tmpl)).Execute(&b, v); err != nil {
		t.Fatalf("html/template: %v", err)
	}
	return b.String()
}

// viaBuilder renders v in the same context with a Builder.
func viaBuilder(kind, v string) string {
	var w Builder
	switch kind {
	case "text":
		w.Markup("<p>")
		w.Text(v)
		w.Markup("</p>")
	case "title":
		w.Markup("<title>")
		w.Text(v)
		w.Markup("</title>")
	case "textarea":
		w.Markup("<textarea>")
		w.Text(v)
		w.Markup("</textarea>")
	case "attr":
		w.Markup(`<p title="`)
		w.Text(v)
		w.Markup(`">`)
	case "url":
		w.Markup(`<a href="`)
		w.URL(v)
		w.Markup(`">`)
	}
	return w.String()
}

var contexts = []struct{ kind, tmpl string }{
	{"text", "<p>{{.}}</p>"},
	{"title", "<title>{{.}}</title>"},
	{"textarea", "<textarea>{{.}}</textarea>"},
	{"attr", `<p title="{{.}}">`},
	{"url", `<a href="{{.}}">`},
}

var samples = []string{
	"",
	"plain text",
	`<script>alert("x")</script>`,
	`" onmouseover="alert(1)`,
	"it's 1+1 & <b>",
	"nul\x00byte",
	"åäö ★ “quoted” — 日本",
	"https://candor.example/r/abc_DEF-123?x=1&y=2#frag",
	"https://candor.example/r/a b\"c'd(e)<f>",
	"HTTPS://EXAMPLE.com/%41%zz%4",
	"javascript:alert(1)",
	"JavaScript:alert(1)",
	"data:text/html,<script>alert(1)</script>",
	"mailto:someone@example.com",
	"/relative/path:with-colon",
	"vbscript:x",
	"\t\n\r",
}

// TestBuilderEscapesAsHTMLTemplate pins the escaping to html/template's in
// every context the emails and pages use.
func TestBuilderEscapesAsHTMLTemplate(t *testing.T) {
	for _, c := range contexts {
		for _, s := range samples {
			want := viaTemplate(t, c.tmpl, s)
			if got := viaBuilder(c.kind, s); got != want {
				t.Errorf("%s %q:\n got %q\nwant %q", c.kind, s, got, want)
			}
		}
	}
}

// FuzzBuilderEscapesAsHTMLTemplate looks for a value escaped differently
// from html/template in any context.
func FuzzBuilderEscapesAsHTMLTemplate(f *testing.F) {
	for _, s := range samples {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, c := range contexts {
			if got, want := viaBuilder(c.kind, s), viaTemplate(t, c.tmpl, s); got != want {
				t.Fatalf("%s %q:\n got %q\nwant %q", c.kind, s, got, want)
			}
		}
	})
}

func TestURLRefusesUnsafeSchemes(t *testing.T) {
	for _, s := range []string{"javascript:alert(1)", "JAVASCRIPT:x", "data:text/html,x", "vbscript:x", "file:///etc/passwd"} {
		var w Builder
		w.URL(s)
		if got := w.String(); got != "#"+Refused {
			t.Errorf("URL(%q) wrote %q, want #%s", s, got, Refused)
		}
	}
}

func TestTextEscapes(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", ""},
		{"no change", "no change"},
		{`<a href="x">'1+1'&</a>`, "&lt;a href=&#34;x&#34;&gt;&#39;1&#43;1&#39;&amp;&lt;/a&gt;"},
		{"a\x00b", "a\uFFFDb"},
	} {
		var w Builder
		w.Text(tc.in)
		if got := w.String(); got != tc.want {
			t.Errorf("Text(%q) wrote %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestMarkupTakesOnlyConstants compiles a package that passes a variable
// and a concatenation to Markup, and expects the compiler to refuse both:
// the guarantee that no value becomes markup rests on it.
func TestMarkupTakesOnlyConstants(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the compiler")
	}
	goTool := filepath.Join(runtime.GOROOT(), "bin", "go")
	out, err := exec.Command(goTool, "build", "-o", os.DevNull, "./testdata/misuse").CombinedOutput()
	if err == nil {
		t.Fatalf("testdata/misuse compiled; Markup accepts values:\n%s", out)
	}
	msg := string(out)
	if n := strings.Count(msg, "cannot use"); n != 2 {
		t.Fatalf("want 2 refusals (variable, concatenation), got %d:\n%s", n, msg)
	}
}
