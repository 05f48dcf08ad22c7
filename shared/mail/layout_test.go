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
// layouts of that time are kept in testdata/ as the reference the Go
// writers must match byte for byte, escaping included. (The templates are
// read only here, so the functions that send email do not link the template
// engines; see markup's package doc.)

// referenceLayouts parses testdata/layout.*.tmpl.
func referenceLayouts(t *testing.T) (*template.Template, *htmltemplate.Template) {
	t.Helper()
	funcs := template.FuncMap{"rule": func(s string) string { return strings.Repeat("-", utf8.RuneCountInString(s)) }}
	text := template.Must(template.New("text").Funcs(funcs).ParseFiles("testdata/layout.txt.tmpl"))
	html := htmltemplate.Must(htmltemplate.New("html").ParseFiles("testdata/layout.html.tmpl"))
	return text, html
}

// hostileDocument has every kind of block, filled with text that must be
// escaped, links that must be refused or normalised, and empty lines.
func hostileDocument() document {
	evil := `<script>alert("x")</script> & 'quotes' + 1 <b>bold</b>` + "\x00"
	return document{
		Lang:     `en"><script>`,
		Subject:  "Subject " + evil,
		Greeting: "Hello " + evil,
		Blocks: []block{
			{Kind: blockPara, Text: evil},
			{Kind: blockHeading, Text: "Heading " + evil},
			{Kind: blockQuote, Lines: []string{"first " + evil, "", "third"}},
			{Kind: blockQuote},
			{Kind: blockList, Items: []item{{Name: evil, Detail: evil}, {Name: "n", Detail: ""}}},
			{Kind: blockList},
			{Kind: blockButton, Text: evil, URL: `javascript:alert(1)`, Fallback: evil},
			{Kind: blockButton, Text: "Open", URL: `https://candor.example/r/a b"c'd(e)<f>?x=1&y=2`, Fallback: "Or:"},
		},
		Signoff: []string{evil, "", "Team"},
		Footer:  "Footer " + evil,
	}
}

func TestLayoutsMatchTheTemplatesTheyReplaced(t *testing.T) {
	refText, refHTML := referenceLayouts(t)
	l := testLinks(t)
	r := NewRenderer(l)
	docs := map[string]document{"hostile": hostileDocument(), "empty": {}}
	for _, s := range samples(l) {
		for _, locale := range Locales() {
			b := &builder{links: r.links, locale: locale, phrases: r.phrases[locale]}
			b.doc.Lang = locale
			b.doc.Greeting = b.phrase("greeting")
			s.msg.build(b)
			if err := b.err(s.msg.Name()); err != nil {
				t.Fatalf("%s/%s: %v", s.name, locale, err)
			}
			docs[s.name+"/"+locale] = b.doc
		}
	}
	for name, d := range docs {
		t.Run(name, func(t *testing.T) {
			var wantText, wantHTML bytes.Buffer
			if err := refText.ExecuteTemplate(&wantText, "text", &d); err != nil {
				t.Fatal(err)
			}
			if err := refHTML.ExecuteTemplate(&wantHTML, "html", &d); err != nil {
				t.Fatal(err)
			}
			if got := writeText(&d); got != wantText.String() {
				t.Errorf("text part differs from the template's:\n got %q\nwant %q", got, wantText.String())
			}
			if got := writeHTML(&d); got != wantHTML.String() {
				t.Errorf("HTML part differs from the template's:\n got %q\nwant %q", got, wantHTML.String())
			}
		})
	}
}
