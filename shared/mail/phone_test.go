package mail

import (
	"encoding/xml"
	"fmt"
	"io"
	"math"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/candorhq/candor/shared/brand"
	"github.com/candorhq/candor/shared/i18n"
)

// These tests read every email as a reader on a phone meets it, in light
// and dark mode, without a browser: they compute the colours each piece of
// text is drawn in from the inline styles and the dark <style> block, and
// hold them to WCAG 2 contrast; they measure the buttons' tap height; they
// check that every link says what it opens, that the email names the
// platform and declares both colour schemes, and that dates are in the
// reader's zone with UTC beside them.

// minContrast is the WCAG 2 AA contrast of normal text (1.4.3); every text
// of an email is held to it, large or not.
const minContrast = 4.5

// minTapHeight is the smallest height of a button, in CSS pixels (WCAG
// 2.5.5's 44px target).
const minTapHeight = 44

// styled is one element of an HTML part with what the checks need.
type styled struct {
	name    string
	attrs   map[string]string
	classes []string
	inline  map[string]string // the declarations of its style attribute
}

// textRun is a run of text and the colours it is drawn in.
type textRun struct {
	text           string
	path           string // the elements it stands in, for messages
	light, dark    [2]string
	inFooter       bool
	inLink, inHead bool
}

// page is an HTML part read for the checks.
type page struct {
	runs     []textRun
	elements []styled
	links    []link
	meta     map[string]string
	dark     map[string]map[string]string // class → declarations of the dark scheme
	style    string
	headings []string // "h1", "h2" in document order
}

// link is an <a>: its href, its text and its style.
type link struct {
	href, text string
	el         styled
}

// readPage parses an HTML part (strict XML once its void elements are
// closed) and computes the colours of every text in both schemes: an
// element's colour and background are its inline ones, else its parent's;
// in the dark scheme a class's dark rule (all !important) wins.
func readPage(t *testing.T, html string) page {
	t.Helper()
	p := page{meta: map[string]string{}}
	d := xml.NewDecoder(strings.NewReader(voidElement.ReplaceAllString(html, "<$1$2/>")))
	d.Strict = true
	type frame struct {
		el          styled
		light, dark [2]string // colour, background
	}
	stack := []frame{{light: [2]string{"#000000", "#ffffff"}, dark: [2]string{"#000000", "#ffffff"}}}
	var path []string
	var linkText *strings.Builder
	var linkEl styled
	var styleText strings.Builder
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("HTML part does not parse: %v", err)
		}
		switch tk := tok.(type) {
		case xml.StartElement:
			el := styled{name: tk.Name.Local, attrs: map[string]string{}}
			for _, a := range tk.Attr {
				el.attrs[a.Name.Local] = a.Value
			}
			el.classes = strings.Fields(el.attrs["class"])
			el.inline = declarations(el.attrs["style"])
			top := stack[len(stack)-1]
			f := frame{el: el, light: top.light, dark: top.dark}
			if c, ok := el.inline["color"]; ok {
				f.light[0], f.dark[0] = c, c
			}
			if bg, ok := el.inline["background-color"]; ok {
				f.light[1], f.dark[1] = bg, bg
			}
			for _, c := range el.classes {
				if v, ok := p.dark[c]["color"]; ok {
					f.dark[0] = v
				}
				if v, ok := p.dark[c]["background-color"]; ok {
					f.dark[1] = v
				}
			}
			stack = append(stack, f)
			path = append(path, el.name+classSuffix(el))
			p.elements = append(p.elements, el)
			switch el.name {
			case "meta":
				if n := el.attrs["name"]; n != "" {
					p.meta[n] = el.attrs["content"]
				}
			case "a":
				linkText, linkEl = &strings.Builder{}, el
			case "h1", "h2", "h3":
				p.headings = append(p.headings, el.name)
			case "img":
				if linkText != nil {
					linkText.WriteString(el.attrs["alt"])
				}
			}
		case xml.EndElement:
			if tk.Name.Local == "style" {
				p.style = styleText.String()
				p.dark = darkRules(t, p.style)
			}
			if tk.Name.Local == "a" && linkText != nil {
				p.links = append(p.links, link{href: linkEl.attrs["href"], text: strings.TrimSpace(linkText.String()), el: linkEl})
				linkText = nil
			}
			stack = stack[:len(stack)-1]
			path = path[:len(path)-1]
		case xml.CharData:
			in := strings.Join(path, ">")
			switch {
			case strings.HasSuffix(in, "style"):
				styleText.Write(tk)
				continue
			case strings.HasPrefix(in, "html>head"):
				continue
			}
			if linkText != nil {
				linkText.Write(tk)
			}
			if strings.TrimSpace(string(tk)) == "" {
				continue
			}
			top := stack[len(stack)-1]
			p.runs = append(p.runs, textRun{text: strings.TrimSpace(string(tk)), path: in, light: top.light, dark: top.dark,
				inFooter: strings.Contains(in, ".foot"), inLink: linkText != nil, inHead: strings.Contains(in, ">h1")})
		}
	}
	return p
}

func classSuffix(el styled) string {
	if len(el.classes) == 0 {
		return ""
	}
	return "." + strings.Join(el.classes, ".")
}

// declarations parses "a:b;c:d" into a map, keys and values trimmed, any
// !important dropped.
func declarations(style string) map[string]string {
	out := map[string]string{}
	for _, d := range strings.Split(style, ";") {
		k, v, ok := strings.Cut(d, ":")
		if !ok {
			continue
		}
		v = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "!important"))
		out[strings.ToLower(strings.TrimSpace(k))] = strings.TrimSpace(v)
	}
	return out
}

var (
	darkMedia = regexp.MustCompile(`@media\s*\(prefers-color-scheme:\s*dark\)\s*\{((?:[^{}]*\{[^{}]*\})*)\s*\}`)
	cssRule   = regexp.MustCompile(`\.([A-Za-z0-9_-]+)\s*\{([^{}]*)\}`)
)

// darkRules returns the class rules of the style block's dark scheme,
// failing the test when a rule is not !important (it would lose to the
// inline light style) or there is no dark scheme.
func darkRules(t *testing.T, style string) map[string]map[string]string {
	t.Helper()
	m := darkMedia.FindStringSubmatch(style)
	if m == nil {
		t.Fatalf("the style block has no @media (prefers-color-scheme: dark) rules:\n%s", style)
	}
	out := map[string]map[string]string{}
	for _, r := range cssRule.FindAllStringSubmatch(m[1], -1) {
		for _, d := range strings.Split(r[2], ";") {
			if strings.TrimSpace(d) != "" && !strings.Contains(d, "!important") {
				t.Errorf("dark rule .%s {%s} is not !important: the inline light style wins over it", r[1], d)
			}
		}
		out[r[1]] = declarations(r[2])
	}
	return out
}

// luminance is the WCAG 2 relative luminance of a #rrggbb colour.
func luminance(t *testing.T, hex string) float64 {
	t.Helper()
	hex = strings.TrimPrefix(strings.ToLower(hex), "#")
	if len(hex) == 3 {
		hex = string([]byte{hex[0], hex[0], hex[1], hex[1], hex[2], hex[2]})
	}
	if len(hex) != 6 {
		t.Fatalf("colour %q is not #rrggbb", hex)
	}
	var l [3]float64
	for i := range 3 {
		v, err := strconv.ParseUint(hex[2*i:2*i+2], 16, 8)
		if err != nil {
			t.Fatalf("colour %q: %v", hex, err)
		}
		c := float64(v) / 255
		if c <= 0.03928 {
			l[i] = c / 12.92
		} else {
			l[i] = math.Pow((c+0.055)/1.055, 2.4)
		}
	}
	return 0.2126*l[0] + 0.7152*l[1] + 0.0722*l[2]
}

// contrast is the WCAG 2 contrast ratio of two colours.
func contrast(t *testing.T, a, b string) float64 {
	la, lb := luminance(t, a), luminance(t, b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

func TestContrastMatchesWCAG(t *testing.T) {
	for _, tt := range []struct {
		a, b string
		want float64
	}{
		{"#000000", "#ffffff", 21},
		{"#ffffff", "#ffffff", 1},
		{"#6b7280", "#f3f4f6", 4.39}, // the footer the layout had before
		{"#767676", "#ffffff", 4.54},
	} {
		if got := contrast(t, tt.a, tt.b); math.Abs(got-tt.want) > 0.01 {
			t.Errorf("contrast(%s, %s) = %.3f, want %.2f", tt.a, tt.b, got, tt.want)
		}
	}
}

// px returns the pixels of a CSS length "14px", failing on any other unit.
func px(t *testing.T, v string) float64 {
	t.Helper()
	n, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(v), "px"), 64)
	if err != nil || !strings.HasSuffix(strings.TrimSpace(v), "px") {
		t.Fatalf("length %q is not in px: a button's height must not depend on the client's font", v)
	}
	return n
}

// buttonHeight is the height of an inline-block link from its padding
// (shorthand of one to four lengths) and its line-height, in px.
func buttonHeight(t *testing.T, style map[string]string) float64 {
	t.Helper()
	pad := strings.Fields(style["padding"])
	var top, bottom float64
	switch len(pad) {
	case 1:
		top, bottom = px(t, pad[0]), px(t, pad[0])
	case 2, 3, 4:
		top = px(t, pad[0])
		bottom = top
		if len(pad) >= 3 {
			bottom = px(t, pad[2])
		}
	default:
		t.Fatalf("button has no padding: %v", style)
	}
	return top + bottom + px(t, style["line-height"])
}

// phoneBrands are the brands the checks render with: the default, a name
// only, and a name with a logo.
func phoneBrands(t *testing.T) []brand.Brand {
	t.Helper()
	named, err := brand.New("Reviewly & Co", "")
	if err != nil {
		t.Fatal(err)
	}
	logo, err := brand.New("Reviewly", "https://cdn.reviewly.example/logo.png")
	if err != nil {
		t.Fatal(err)
	}
	return []brand.Brand{brand.Default(), named, logo}
}

// TestEveryEmailReadsOnAPhone renders every email in every language for
// every kind of brand and checks what a reader on a phone meets.
func TestEveryEmailReadsOnAPhone(t *testing.T) {
	l := testLinks(t)
	for _, b := range phoneBrands(t) {
		r := NewRenderer(l).WithBrand(b)
		for _, s := range samples(l) {
			for _, locale := range Locales() {
				t.Run(b.Name+"/"+s.name+"/"+locale, func(t *testing.T) {
					got, err := r.Render(locale, s.msg)
					if err != nil {
						t.Fatalf("Render: %v", err)
					}
					p := readPage(t, got.HTML)
					checkSchemes(t, p)
					checkContrast(t, p)
					checkButtons(t, p)
					checkLinks(t, p, l)
					checkStructure(t, p, got.HTML, locale)
					checkBrand(t, p, got, b)
					checkOutOfCourt(t, p, got, s.msg, locale)
				})
			}
		}
	}
}

func checkSchemes(t *testing.T, p page) {
	t.Helper()
	if p.meta["color-scheme"] != "light dark" {
		t.Errorf(`<meta name="color-scheme"> = %q, want "light dark"`, p.meta["color-scheme"])
	}
	if p.meta["supported-color-schemes"] != "light dark" {
		t.Errorf(`<meta name="supported-color-schemes"> = %q, want "light dark"`, p.meta["supported-color-schemes"])
	}
	if len(p.dark) == 0 {
		t.Error("no dark rules")
	}
}

func checkContrast(t *testing.T, p page) {
	t.Helper()
	footer := 0
	for _, r := range p.runs {
		if r.inFooter {
			footer++
		}
		for scheme, c := range map[string][2]string{"light": r.light, "dark": r.dark} {
			if got := contrast(t, c[0], c[1]); got < minContrast {
				t.Errorf("%s scheme: %q (in %s) is %s on %s, contrast %.2f:1, want at least %.1f:1", scheme, r.text, r.path, c[0], c[1], got, minContrast)
			}
		}
	}
	if footer == 0 {
		t.Error("no footer text found")
	}
}

func checkButtons(t *testing.T, p page) {
	t.Helper()
	for _, k := range p.links {
		if !slices.Contains(k.el.classes, "btn") {
			continue
		}
		if h := buttonHeight(t, k.el.inline); h < minTapHeight {
			t.Errorf("button %q is %.0fpx tall, want at least %dpx", k.text, h, minTapHeight)
		}
		if k.el.inline["display"] != "inline-block" {
			t.Errorf("button %q is display:%s, want inline-block (its padding is its height)", k.text, k.el.inline["display"])
		}
	}
}

func checkLinks(t *testing.T, p page, l Links) {
	t.Helper()
	for _, k := range p.links {
		switch {
		case k.text == "":
			t.Errorf("link to %s has no text", k.href)
		case strings.Contains(k.text, "://") || strings.Contains(k.text, k.href) || strings.Contains(k.text, "/r/"):
			t.Errorf("link text %q shows a URL rather than saying what it opens", k.text)
		}
		if !l.owns(k.href) && k.href != OutOfCourtBodiesURL {
			t.Errorf("link to %s is neither under the base URL nor the Commission's list", k.href)
		}
	}
	// Every button is repeated as a labelled link naming the site it opens.
	for _, k := range p.links {
		if !slices.Contains(k.el.classes, "btn") {
			continue
		}
		site := siteOf(k.href)
		found := false
		for _, f := range p.links {
			if f.href == k.href && !slices.Contains(f.el.classes, "btn") && strings.Contains(f.text, k.text) && strings.Contains(f.text, site) {
				found = true
			}
		}
		if !found {
			t.Errorf("button %q has no fallback link labelled with it and %s", k.text, site)
		}
	}
}

// checkStructure checks what axe-core checks of an email's structure: the
// language, tables for layout only, images with alt text, one h1 before the
// h2s, and one main landmark holding the content.
func checkStructure(t *testing.T, p page, html, locale string) {
	t.Helper()
	mains := 0
	for _, el := range p.elements {
		switch el.name {
		case "html":
			if el.attrs["lang"] != locale {
				t.Errorf("<html lang=%q>, want %q", el.attrs["lang"], locale)
			}
		case "table":
			if el.attrs["role"] != "presentation" {
				t.Errorf("a layout table has role %q, want presentation", el.attrs["role"])
			}
		case "img":
			if strings.TrimSpace(el.attrs["alt"]) == "" {
				t.Errorf("image %s has no alt text", el.attrs["src"])
			}
		}
		if el.attrs["role"] == "main" {
			mains++
		}
	}
	if mains != 1 {
		t.Errorf("%d main landmarks, want 1", mains)
	}
	if len(p.headings) == 0 || p.headings[0] != "h1" || slices.Contains(p.headings[1:], "h1") {
		t.Errorf("headings %v, want one h1 first, then h2s", p.headings)
	}
	if !strings.Contains(html, "<title>") {
		t.Error("no <title>")
	}
}

// checkBrand checks that the email names the platform: in its header
// (the logo's alt text, or the name), and in the text of both parts.
func checkBrand(t *testing.T, p page, got Rendered, b brand.Brand) {
	t.Helper()
	var head []string
	for _, r := range p.runs {
		if r.inHead {
			head = append(head, r.text)
		}
	}
	if b.LogoURL == "" {
		if strings.Join(head, "") != b.Name {
			t.Errorf("header shows %q, want the platform's name %q", head, b.Name)
		}
	} else {
		logo := false
		for _, el := range p.elements {
			if el.name == "img" && el.attrs["src"] == b.LogoURL && el.attrs["alt"] == b.Name {
				logo = true
			}
		}
		if !logo {
			t.Errorf("header has no logo %s with alt text %q", b.LogoURL, b.Name)
		}
	}
	var body strings.Builder
	for _, r := range p.runs {
		if !r.inHead {
			body.WriteString(r.text + "\n")
		}
	}
	if !strings.Contains(body.String(), b.Name) {
		t.Errorf("the HTML part's text does not name the platform %q", b.Name)
	}
	if !strings.Contains(got.Text, b.Name) {
		t.Errorf("the text part does not name the platform %q", b.Name)
	}
	if b.Name != brand.DefaultName && strings.Contains(got.Text+got.HTML, brand.DefaultName) {
		t.Errorf("the email names %q, not the configured platform %q", brand.DefaultName, b.Name)
	}
}

// checkOutOfCourt checks that an email naming the out-of-court dispute
// settlement links to the Commission's list of certified bodies, in both
// parts, and that the removal and the appellant's appeal decision do.
func checkOutOfCourt(t *testing.T, p page, got Rendered, msg Message, locale string) {
	t.Helper()
	c := catalogues.For(locale)
	names := strings.Contains(got.Text, c.OutOfCourt)
	must := false
	switch m := msg.(type) {
	case ReviewRemoved:
		must = true
	case AppealDecided:
		must = m.ToAppellant
	}
	if must && !names {
		t.Errorf("%s does not name the out-of-court dispute settlement", msg.Name())
	}
	linked := slices.ContainsFunc(p.links, func(k link) bool { return k.href == OutOfCourtBodiesURL && k.text == c.OutOfCourtLink })
	if names != linked {
		t.Errorf("names the dispute settlement: %t, links to the Commission's list: %t", names, linked)
	}
	if names != strings.Contains(got.Text, c.OutOfCourtLink+":\n"+OutOfCourtBodiesURL+"\n") {
		t.Errorf("the text part does not write out the Commission's list under its label")
	}
}

func TestOutOfCourtBodiesURLIsTheCommissionsPage(t *testing.T) {
	if !strings.HasPrefix(OutOfCourtBodiesURL, "https://digital-strategy.ec.europa.eu/") {
		t.Errorf("OutOfCourtBodiesURL = %s, want the European Commission's https page", OutOfCourtBodiesURL)
	}
}

// TestEveryDateIsInTheReadersZoneWithUTC renders every email that states a
// date with a reader's zone and without one, and checks that every date is
// shown in that zone (or the language's usual one) with UTC beside it.
func TestEveryDateIsInTheReadersZoneWithUTC(t *testing.T) {
	l := testLinks(t)
	r := NewRenderer(l)
	seen := 0
	for _, s := range samples(l) {
		dates := datesOf(s.msg)
		if len(dates) == 0 {
			continue
		}
		if _, ok := reflect.TypeOf(s.msg).FieldByName("TimeZone"); !ok {
			t.Errorf("%s states dates but has no TimeZone", s.name)
			continue
		}
		seen++
		for _, tz := range []string{"", "America/New_York", "Asia/Tokyo"} {
			msg := withField(s.msg, "TimeZone", tz)
			for _, locale := range Locales() {
				t.Run(fmt.Sprintf("%s/%s/%s", s.name, tz, locale), func(t *testing.T) {
					got, err := r.Render(locale, msg)
					if err != nil {
						t.Fatalf("Render: %v", err)
					}
					p := readPage(t, got.HTML)
					var text strings.Builder
					for _, run := range p.runs {
						text.WriteString(run.text + " ")
					}
					for _, d := range dates {
						want := dateFor(locale, tz, d)
						abbr := d.In(i18n.Zone(tz, locale)).Format("MST")
						if !strings.Contains(want, " "+abbr+" (") || !strings.Contains(want, " UTC)") {
							t.Fatalf("date %q does not show the time in %s with UTC beside it", want, abbr)
						}
						if !strings.Contains(got.Text, want) || !strings.Contains(text.String(), want) {
							t.Errorf("the parts lack the date %q", want)
						}
					}
				})
			}
		}
	}
	if seen < 8 {
		t.Errorf("only %d samples state dates", seen)
	}
}
