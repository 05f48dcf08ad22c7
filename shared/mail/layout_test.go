package mail

import (
	"bytes"
	htmltemplate "html/template"
	"strings"
	"testing"
	"text/template"
	"unicode/utf8"
)

// The emails were first written with text/template and html/template; the
// layouts of that time are kept in testdata/ as the reference: the text part
// (plain Go) must match text/template's byte for byte, and the HTML part
// (templ, layout.templ) html/template's, escaping included. (The templates
// are read only here, so the functions that send email do not link the
// template engines; see docs/ops.md, "Size and start-up".)
//
// templ escapes text and attribute values as html/template does (& < > " '
// become &amp; &lt; &gt; &#34; &#39;) but for two characters:
//
//   - "+", which html/template writes as &#43; (a guard against UTF-7
//     sniffing, which a part declared UTF-8 does not need) and templ as it
//     is. The comparison maps html/template's &#43; back to "+"; nothing else.
//   - NUL, which html/template writes as U+FFFD and templ as it is. A
//     document holds display text (package i18n's Display), which has no
//     NUL or other control character; the tests' documents hold display text
//     too, and TestDocumentsHoldDisplayText checks that the builder's do.
//
// An href is written as html/template writes it for the links a document
// can hold: ones the builder checked to lie under the base URL, which are in
// the canonical form html/template's URL normalisation leaves as it is.
// Other URLs never reach the layout; TestHTMLRefusesOtherLinks checks that
// templ would refuse or escape them anyway.

// referenceLayouts parses testdata/layout.*.tmpl.
func referenceLayouts(t *testing.T) (*template.Template, *htmltemplate.Template) {
	t.Helper()
	funcs := template.FuncMap{"rule": func(s string) string { return strings.Repeat("-", utf8.RuneCountInString(s)) }}
	text := template.Must(template.New("text").Funcs(funcs).ParseFiles("testdata/layout.txt.tmpl"))
	html := htmltemplate.Must(htmltemplate.New("html").ParseFiles("testdata/layout.html.tmpl"))
	return text, html
}

// asTemplWrites maps html/template's output to templ's way of writing the
// same HTML: "+" as it is rather than &#43;.
func asTemplWrites(html string) string { return strings.ReplaceAll(html, "&#43;", "+") }

// hostileDocument has every kind of block, filled with display text that
// must be escaped, links with characters that must be escaped, and empty
// lines.
func hostileDocument() document {
	evil := `<script>alert("x")</script> & 'quotes' + 1 <b>bold</b> &amp; &#43; é`
	return document{
		Lang:     `en"><script>`,
		Platform: "Platform " + evil,
		Subject:  "Subject " + evil,
		Greeting: "Hello " + evil,
		Blocks: []block{
			{Kind: blockPara, Text: evil},
			{Kind: blockHeading, Text: "Heading " + evil},
			{Kind: blockQuote, Lines: []string{"first " + evil, "", "third"}},
			{Kind: blockQuote},
			{Kind: blockList, Items: []item{{Name: evil, Detail: evil}, {Name: "n", Detail: ""}}},
			{Kind: blockList},
			{Kind: blockButton, Text: evil, URL: testBase + "/r/a%20b?x=1&y=2+3&z=%41", Fallback: evil},
			{Kind: blockButton, Text: "Open", URL: testBase + "/v1/reports/rpt_1", Fallback: "Or:"},
		},
		Signoff: []string{evil, "", "Team"},
		Footer:  "Footer " + evil,
	}
}

func TestLayoutsMatchTheTemplatesTheyReplaced(t *testing.T) {
	refText, refHTML := referenceLayouts(t)
	l := testLinks(t)
	r := NewRenderer(l)
	logo := hostileDocument()
	logo.LogoURL = "https://cdn.example.com/logo.png?size=2&theme=light"
	docs := map[string]*document{"hostile": new(hostileDocument()), "hostile with logo": &logo, "empty": {}}
	for _, s := range samples(l) {
		for _, locale := range Locales() {
			d, err := r.document(locale, s.msg)
			if err != nil {
				t.Fatalf("%s/%s: %v", s.name, locale, err)
			}
			docs[s.name+"/"+locale] = d
		}
	}
	for name, d := range docs {
		t.Run(name, func(t *testing.T) {
			var wantText, wantHTML bytes.Buffer
			if err := refText.ExecuteTemplate(&wantText, "text", d); err != nil {
				t.Fatal(err)
			}
			if err := refHTML.ExecuteTemplate(&wantHTML, "html", d); err != nil {
				t.Fatal(err)
			}
			if got := writeText(d); got != wantText.String() {
				t.Errorf("text part differs from the template's:\n got %q\nwant %q", got, wantText.String())
			}
			got, err := writeHTML(d)
			if err != nil {
				t.Fatalf("writeHTML: %v", err)
			}
			if want := asTemplWrites(wantHTML.String()); got != want {
				i := 0
				for i < len(got) && i < len(want) && got[i] == want[i] {
					i++
				}
				from := max(0, i-80)
				t.Errorf("HTML part differs from the template's at byte %d:\n got %q\nwant %q", i, got[from:min(len(got), i+80)], want[from:min(len(want), i+80)])
			}
		})
	}
}

// TestHTMLRefusesOtherLinks puts links in a document that the builder never
// lets through: the HTML part must still hold no script URL and no quote
// that ends the attribute.
func TestHTMLRefusesOtherLinks(t *testing.T) {
	for _, u := range []string{"javascript:alert(1)", "JavaScript:alert(1)", "data:text/html,<script>alert(1)</script>", `https://x.example/"><script>alert(1)</script>`, "vbscript:x"} {
		d := document{Blocks: []block{{Kind: blockButton, Text: "Open", URL: u}}}
		got, err := writeHTML(&d)
		if err != nil {
			t.Fatalf("writeHTML: %v", err)
		}
		lower := strings.ToLower(got)
		for _, bad := range []string{`href="javascript:`, `href="data:`, `href="vbscript:`, "<script"} {
			if strings.Contains(lower, bad) {
				t.Errorf("URL %q: the HTML part contains %q:\n%s", u, bad, got)
			}
		}
	}
}
