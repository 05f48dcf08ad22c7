package mail

import (
	"errors"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"time"

	"github.com/candorhq/candor/shared/moderation"
)

// ErrInvalidMessage is the error (under errors.Is) of rendering a message
// that lacks something its email must say, or says something unknown (a
// reason code, a ground, a kind).
var ErrInvalidMessage = errors.New("invalid message")

// Locales returns the locales the emails are written in: "en", "sv", "de".
// Every other locale falls back to "en". The caller owns the slice.
func Locales() []string {
	return []string{moderation.LocaleEN, moderation.LocaleSV, moderation.LocaleDE}
}

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

// Renderer renders messages into emails whose links all point under its
// Links' base URL. It is safe for concurrent use.
type Renderer struct {
	links   Links
	phrases map[string]map[string]phrase // locale → key → phrase
}

// NewRenderer returns a Renderer whose emails link only under l's base URL.
// The catalogues it parses are part of this package and are checked by its
// tests; it panics if they are broken, as a program built from a broken
// package cannot send any email.
func NewRenderer(l Links) *Renderer {
	r, err := newRenderer(l)
	if err != nil {
		panic(err)
	}
	return r
}

// newRenderer parses the catalogues.
func newRenderer(l Links) (*Renderer, error) {
	phrases, err := parseCatalogs(map[string]map[string]string{
		moderation.LocaleEN: catalogEN(),
		moderation.LocaleSV: catalogSV(),
		moderation.LocaleDE: catalogDE(),
	})
	if err != nil {
		return nil, err
	}
	return &Renderer{links: l, phrases: phrases}, nil
}

// parseCatalogs parses every phrase of every catalogue and checks that each
// catalogue has exactly the keys of the English one, none empty.
func parseCatalogs(cats map[string]map[string]string) (map[string]map[string]phrase, error) {
	ref := cats[moderation.LocaleEN]
	out := make(map[string]map[string]phrase, len(cats))
	for locale, cat := range cats {
		var missing, extra []string
		for k := range ref {
			if _, ok := cat[k]; !ok {
				missing = append(missing, k)
			}
		}
		for k := range cat {
			if _, ok := ref[k]; !ok {
				extra = append(extra, k)
			}
		}
		if len(missing)+len(extra) > 0 {
			sort.Strings(missing)
			sort.Strings(extra)
			return nil, fmt.Errorf("mail: catalogue %s: missing keys %v, unknown keys %v", locale, missing, extra)
		}
		parsed := make(map[string]phrase, len(cat))
		for k, v := range cat {
			if strings.TrimSpace(v) == "" {
				return nil, fmt.Errorf("mail: catalogue %s: %s is empty", locale, k)
			}
			p, err := parsePhrase(v)
			if err != nil {
				return nil, fmt.Errorf("mail: catalogue %s: %s: %w", locale, k, err)
			}
			parsed[k] = p
		}
		out[locale] = parsed
	}
	return out, nil
}

// Render writes msg as an email in locale (normalised with NormalizeLocale).
// It fails with ErrInvalidMessage when msg lacks what its email must say,
// and with ErrLinkOutsideBase when one of its links is missing or does not
// point under the base URL. Its errors name the message and the fields, never
// their contents.
func (r *Renderer) Render(locale string, msg Message) (Rendered, error) {
	if isNil(msg) {
		return Rendered{}, fmt.Errorf("mail: render: no message: %w", ErrInvalidMessage)
	}
	locale = NormalizeLocale(locale)
	b := &builder{links: r.links, locale: locale, phrases: r.phrases[locale]}
	b.doc.Lang = locale
	b.doc.Greeting = b.phrase("greeting")
	msg.build(b)
	if err := b.err(msg.Name()); err != nil {
		return Rendered{}, err
	}
	return Rendered{Locale: locale, Subject: b.doc.Subject, Text: writeText(&b.doc), HTML: writeHTML(&b.doc)}, nil
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

// document is an email in a form both layouts render: what it says, in
// order, with every string final (cleaned, filled in, not yet escaped).
type document struct {
	Lang     string
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
)

// block is one part of a document's body.
type block struct {
	Kind     string
	Text     string   // paragraph, heading, or the button's label
	Lines    []string // quote
	Items    []item   // list
	URL      string   // button
	Fallback string   // button: what the HTML says before the URL written out
}

// item is an entry of a list block.
type item struct {
	Name, Detail string
}

// vars are the placeholders of the catalogues' phrases.
type vars struct {
	Business  string // the business's name
	Title     string // the review's title, "" if it has none
	Deadline  string // formatted
	DecidedAt string // formatted
	Count     int    // number of reasons
}

// builder assembles a document from a message, collecting every problem of
// the message instead of stopping at the first.
type builder struct {
	links    Links
	locale   string
	phrases  map[string]phrase
	vars     vars
	doc      document
	problems []string
	kinds    []error
	execErr  error
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
	if len(b.problems) > 0 {
		return &renderError{msg: "mail: render " + name + ": " + strings.Join(b.problems, "; "), kinds: b.kinds}
	}
	if b.execErr != nil {
		return fmt.Errorf("mail: render %s: %w", name, b.execErr)
	}
	return nil
}

// renderError is a refused message: its problems, and the sentinels
// (ErrInvalidMessage, ErrLinkOutsideBase) they fall under.
type renderError struct {
	msg   string
	kinds []error
}

func (e *renderError) Error() string   { return e.msg }
func (e *renderError) Unwrap() []error { return e.kinds }

// line returns a one-line text field (a name, a title) cleaned and
// defanged, recording a problem if it is required and empty.
func (b *builder) line(field, s string, required bool) string {
	s = defang(b.links, oneLine(s))
	if required && s == "" {
		b.invalid(field + " is missing")
	}
	return s
}

// freeText returns a multi-line text field cleaned and defanged, recording a
// problem if it is required and empty.
func (b *builder) freeText(field, s string, required bool) string {
	s = defang(b.links, cleanText(s))
	if required && s == "" {
		b.invalid(field + " is missing")
	}
	return s
}

// when returns t formatted for the locale, recording a problem if it is zero.
func (b *builder) when(field string, t time.Time) string {
	if t.IsZero() {
		b.invalid(field + " is missing")
		return ""
	}
	return formatTime(b.locale, t)
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
	case !b.links.under(raw):
		problem = field + " is not under the public base URL"
	default:
		return raw
	}
	b.problems = append(b.problems, problem)
	b.addKind(ErrLinkOutsideBase)
	return ""
}

// phrase fills in the catalogue's phrase key with the builder's vars.
func (b *builder) phrase(key string) string {
	p, ok := b.phrases[key]
	if !ok {
		if b.execErr == nil {
			b.execErr = fmt.Errorf("phrase %q is not in catalogue %s", key, b.locale)
		}
		return ""
	}
	var s strings.Builder
	p.fill(&s, &b.vars)
	return s.String()
}

// subject sets the subject from a phrase, on one line.
func (b *builder) subject(key string) { b.doc.Subject = oneLine(b.phrase(key)) }

// para adds a paragraph from a phrase.
func (b *builder) para(key string) {
	b.doc.Blocks = append(b.doc.Blocks, block{Kind: blockPara, Text: b.phrase(key)})
}

// heading adds a heading from a phrase.
func (b *builder) heading(key string) {
	b.doc.Blocks = append(b.doc.Blocks, block{Kind: blockHeading, Text: b.phrase(key)})
}

// quote adds someone else's text (already cleaned and defanged).
func (b *builder) quote(s string) {
	b.doc.Blocks = append(b.doc.Blocks, block{Kind: blockQuote, Lines: lines(s)})
}

// list adds a list of named items.
func (b *builder) list(items []item) {
	b.doc.Blocks = append(b.doc.Blocks, block{Kind: blockList, Items: items})
}

// button adds a link (already checked) labelled with a phrase.
func (b *builder) button(labelKey, url string) {
	b.doc.Blocks = append(b.doc.Blocks, block{Kind: blockButton, Text: b.phrase(labelKey), URL: url, Fallback: b.phrase("button_fallback")})
}

// close sets the sign-off and the footer from phrases.
func (b *builder) close(signoffKey string, footerKeys ...string) {
	b.doc.Signoff = strings.Split(b.phrase(signoffKey), "\n")
	parts := make([]string, len(footerKeys))
	for i, k := range footerKeys {
		parts[i] = b.phrase(k)
	}
	b.doc.Footer = strings.Join(parts, " ")
}
