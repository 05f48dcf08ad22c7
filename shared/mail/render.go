package mail

import (
	"errors"
	"fmt"
	"net/url"
	"reflect"
	"strings"
	"time"

	"github.com/candorhq/candor/shared/brand"
	"github.com/candorhq/candor/shared/i18n"
	"github.com/candorhq/candor/shared/moderation"
)

// ErrRender is the error (under errors.Is) of every message Render refuses,
// besides its kind (ErrInvalidMessage, ErrLinkOutsideBase). Render fails
// only on a mistake of its caller — a link, a date or a required text not
// filled in, a code that is not one — never on what a text says, so no
// retry can mend it: a task that sends email classifies ErrRender as
// permanent (it says so: Permanent() is true).
var ErrRender error = permanentError("message cannot be rendered")

// permanentError is an error no retry mends.
type permanentError string

func (e permanentError) Error() string { return string(e) }

// Permanent reports that no retry mends the error.
func (permanentError) Permanent() bool { return true }

// ErrInvalidMessage is the error (under errors.Is) of rendering a message
// that lacks something its email must say (a date, a required text left
// empty, the reasons of a removal) or says something unknown (a reason
// code, a ground, a kind).
var ErrInvalidMessage = errors.New("invalid message")

// Locales returns the locales the emails are written in: "en", "sv", "de".
// Every other locale falls back to "en". The caller owns the slice.
func Locales() []string { return i18n.Locales() }

// NormalizeLocale maps any language tag to a locale of Locales by its
// primary language subtag: "sv-SE" → "sv", "de_AT" → "de", and anything
// else ("", "fr", "en-GB") → "en".
func NormalizeLocale(locale string) string { return moderation.NormalizeLocale(locale) }

// Rendered is an email ready to send: its subject (one line) and its
// plain-text and HTML bodies, in Locale.
type Rendered struct {
	Locale  string // the locale it is written in, after normalisation
	Subject string
	Text    string
	HTML    string
}

// OutOfCourtBodiesURL is the European Commission's page listing the
// out-of-court dispute settlement bodies certified under DSA Art. 21, which
// every email that names them links to.
const OutOfCourtBodiesURL = "https://digital-strategy.ec.europa.eu/en/policies/dsa-out-court-dispute-settlement"

// Renderer renders messages into emails whose links all point under its
// Links' base URL (and, where an email names the out-of-court dispute
// settlement, to OutOfCourtBodiesURL), naming the platform of its brand.
// It is safe for concurrent use.
type Renderer struct {
	links Links
	brand brand.Brand
}

// NewRenderer returns a Renderer whose emails link only under l's base URL
// and name the platform brand.Default ("Candor"); see WithBrand.
func NewRenderer(l Links) *Renderer { return &Renderer{links: l, brand: brand.Default()} }

// WithBrand returns a copy of r whose emails name the platform b: its logo
// (with the name as alt text) or its name in the header, and its name in
// the texts, the sign-off and the footer. A zero b leaves the brand as it was.
func (r *Renderer) WithBrand(b brand.Brand) *Renderer {
	c := *r
	if b.Name != "" {
		c.brand = b
	}
	return &c
}

// Render writes msg as an email in locale (normalised with NormalizeLocale).
//
// Every text of msg is shown as package i18n's Display makes it: exactly
// as moderation.CleanText makes it when it follows the text rule, with the
// refused characters dropped when it was stored before the rule, so a text
// never keeps an email from rendering. Names and titles are shown on one
// line, and web addresses in any text that do not point under the base URL
// are defanged.
//
// It fails, under ErrRender, with ErrInvalidMessage when msg lacks what its
// email must say (a date, a required text left "") or holds an unknown
// code, and with ErrLinkOutsideBase when one of its links is missing or does
// not point under the base URL. Its errors name the message and the fields,
// never their contents.
func (r *Renderer) Render(locale string, msg Message) (Rendered, error) {
	if isNil(msg) {
		return Rendered{}, &renderError{msg: "mail: render: no message", kinds: []error{ErrInvalidMessage}}
	}
	locale = NormalizeLocale(locale)
	d, err := r.document(locale, msg)
	if err != nil {
		return Rendered{}, err
	}
	html, err := writeHTML(d)
	if err != nil {
		return Rendered{}, fmt.Errorf("mail: render %s: HTML part: %w: %w", msg.Name(), ErrRender, err)
	}
	return Rendered{Locale: locale, Subject: d.Subject, Text: writeText(d), HTML: html}, nil
}

// document lays msg out in locale (normalised), or returns why it cannot.
func (r *Renderer) document(locale string, msg Message) (*document, error) {
	b := &builder{links: r.links, t: catalogues.For(locale), p: r.brand.Name}
	b.doc.Lang = locale
	b.doc.Platform, b.doc.LogoURL = r.brand.Name, r.brand.LogoURL
	b.in("")
	b.doc.Greeting = b.t.Greeting
	msg.build(b)
	if err := b.err(msg.Name()); err != nil {
		return nil, err
	}
	return &b.doc, nil
}

// isNil reports whether msg is nil or a nil pointer to a message.
func isNil(msg Message) bool {
	if msg == nil {
		return true
	}
	v := reflect.ValueOf(msg)
	return v.Kind() == reflect.Pointer && v.IsNil()
}

// nameOf returns msg.Name(), or "message" when there is no message.
func nameOf(msg Message) string {
	if isNil(msg) {
		return "message"
	}
	return msg.Name()
}

// document is an email in a form both parts are written from: what it
// says, in order, every string final (display text, filled in, not yet
// escaped).
type document struct {
	Lang     string
	Platform string // the platform's name: the header's text, or its logo's alt text
	LogoURL  string // the platform's logo (https), or "" to write the name
	Subject  string
	Greeting string
	Blocks   []block
	Signoff  []string // lines
	Footer   string
}

// The kinds of block.
const (
	blockPara    = "p"
	blockHeading = "h"
	blockQuote   = "quote"  // someone else's text, shown as written
	blockList    = "list"   // named items with details
	blockButton  = "button" // a link: a button in HTML, label and URL in text
	blockLink    = "link"   // a paragraph ending in a labelled link to a page outside the platform
)

// block is one part of a document's body.
type block struct {
	Kind     string
	Text     string   // paragraph, heading, or the button's label
	Lines    []string // quote
	Items    []item   // list
	URL      string   // button: a link checked to lie under the base URL; link: a constant of this package
	Fallback string   // button: what the HTML says before the labelled fallback link
	LinkText string   // button, link: the text of the link the HTML writes out (never the raw URL)
}

// item is an entry of a list block.
type item struct {
	Name, Detail string
}

// builder assembles a document from a message, collecting every problem of
// the message instead of stopping at the first.
type builder struct {
	links    Links
	t        *texts
	p        string         // the platform's name, for the texts that name it
	tz       string         // the message's TimeZone, "" for the locale's usual zone
	zone     *time.Location // the zone of tz, loaded by the first date; dates are written in it and in UTC
	doc      document
	problems []string
	kinds    []error
}

// invalid records that the message lacks something or says something unknown.
func (b *builder) invalid(problem string) {
	b.problems = append(b.problems, problem)
	b.addKind(ErrInvalidMessage)
}

// addKind records the sentinel of a problem once.
func (b *builder) addKind(k error) {
	for _, have := range b.kinds {
		if have == k {
			return
		}
	}
	b.kinds = append(b.kinds, k)
}

// err returns the problems recorded while building message name, or nil.
func (b *builder) err(name string) error {
	if len(b.problems) == 0 {
		return nil
	}
	return &renderError{msg: "mail: render " + name + ": " + strings.Join(b.problems, "; "), kinds: b.kinds}
}

// renderError is a refused message: its problems, and the sentinels
// (ErrInvalidMessage, ErrLinkOutsideBase) they fall under, besides ErrRender.
type renderError struct {
	msg   string
	kinds []error
}

func (e *renderError) Error() string   { return e.msg }
func (e *renderError) Unwrap() []error { return append([]error{ErrRender}, e.kinds...) }

// line returns a one-line text (a name, a title) for display, defanged. A
// required one that the caller left "" is a problem; one that holds nothing
// displayable is shown empty.
func (b *builder) line(field, s string, required bool) string {
	if required && s == "" {
		b.invalid(field + " is missing")
	}
	return defang(b.links, i18n.DisplayLine(s))
}

// text returns a multi-line text for display, defanged, as line does.
func (b *builder) text(field, s string, required bool) string {
	if required && s == "" {
		b.invalid(field + " is missing")
	}
	return defang(b.links, i18n.Display(s))
}

// when returns t as the catalogue writes dates, recording a problem if it
// is zero.
func (b *builder) when(field string, t time.Time) string {
	if t.IsZero() {
		b.invalid(field + " is missing")
		return ""
	}
	return b.t.Date(t.In(b.location()), t.UTC())
}

// link returns raw if it is a link under the base URL, recording a problem
// (which does not quote the link: links carry tokens) otherwise.
func (b *builder) link(field, raw string) string {
	var problem string
	switch {
	case raw == "":
		problem = field + " is missing"
	case b.links.Base == nil:
		problem = field + ": no public base URL is configured"
	case !b.links.owns(raw):
		problem = field + " is not under the public base URL or a business portal page"
	default:
		return raw
	}
	b.problems = append(b.problems, problem)
	b.addKind(ErrLinkOutsideBase)
	return ""
}

// subject sets the subject, on one line.
func (b *builder) subject(s string) { b.doc.Subject = strings.Join(strings.Fields(s), " ") }

// para adds a paragraph.
func (b *builder) para(s string) {
	b.doc.Blocks = append(b.doc.Blocks, block{Kind: blockPara, Text: s})
}

// heading adds a heading.
func (b *builder) heading(s string) {
	b.doc.Blocks = append(b.doc.Blocks, block{Kind: blockHeading, Text: s})
}

// quote adds someone else's text (display text already), line by line.
func (b *builder) quote(s string) {
	b.doc.Blocks = append(b.doc.Blocks, block{Kind: blockQuote, Lines: strings.Split(s, "\n")})
}

// list adds a list of named items.
func (b *builder) list(items []item) {
	b.doc.Blocks = append(b.doc.Blocks, block{Kind: blockList, Items: items})
}

// button adds a link (already checked) with its label. The HTML repeats it
// under the button as a link whose text is the label and the site it
// opens, for clients that show no buttons.
func (b *builder) button(label, url string) {
	b.doc.Blocks = append(b.doc.Blocks, block{Kind: blockButton, Text: label, URL: url, Fallback: b.t.ButtonFallback,
		LinkText: b.t.FallbackLink(label, siteOf(url))})
}

// siteOf returns the host a link opens, as a reader knows it
// ("reviews.example.com"), or "" when url is "" (a refused link).
func siteOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	return u.Hostname()
}

// close sets the sign-off (the catalogue's, naming the platform) and the
// footer, whose parts are joined by spaces.
func (b *builder) close(signoff func(platform string) []string, footer ...string) {
	b.doc.Signoff = signoff(b.p)
	b.doc.Footer = strings.Join(footer, " ")
}

// outOfCourt adds the paragraph naming the out-of-court dispute settlement
// (DSA Art. 21), ending in a link to the European Commission's list of
// certified bodies.
func (b *builder) outOfCourt() {
	b.doc.Blocks = append(b.doc.Blocks, block{Kind: blockLink, Text: b.t.OutOfCourt, URL: OutOfCourtBodiesURL, LinkText: b.t.OutOfCourtLink})
}

// in sets the zone the message's dates are shown in: tz when it is a valid
// IANA zone name, otherwise the locale's usual zone (i18n.Zone). A message
// with dates calls it before the first when.
func (b *builder) in(tz string) { b.tz, b.zone = tz, nil }

// location returns the zone of the builder's dates, loading it once.
func (b *builder) location() *time.Location {
	if b.zone == nil {
		b.zone = i18n.Zone(b.tz, b.doc.Lang)
	}
	return b.zone
}
