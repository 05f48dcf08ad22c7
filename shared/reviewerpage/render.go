package reviewerpage

import (
	"crypto/rand"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/candorhq/candor/shared/links"
)

// nonceKey is the request context key of the response's style nonce.
type nonceKey struct{}

// newNonce returns 128 random bits as base32 text, usable as a CSP nonce.
func newNonce() string { return rand.Text() }

// setSecurityHeaders sets the headers every response carries.
func setSecurityHeaders(h http.Header, nonce string) {
	h.Set("Content-Security-Policy",
		"default-src 'none'; style-src 'nonce-"+nonce+"'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()")
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
	h.Set("X-Robots-Tag", "noindex, nofollow")
	h.Set("Strict-Transport-Security", "max-age=31536000")
}

// page is what a response shows; its html method writes it.
type page struct {
	Lang    string
	Nonce   string
	Heading string
	Paras   []string
	Form    *form
}

// form is the form part of a page.
type form struct {
	Intro        []string
	MessageLabel string
	Message      string
	Review       *reviewBox
	Deadline     string
	Errors       []string
	Reply        *field
	Edit         *editFields
	Notes        []string
	Submit       string
}

// reviewBox shows the review as context.
type reviewBox struct {
	Heading    string
	Stars      string // "★★★★☆", "" when unknown
	StarsLabel string
	Title      string
	Text       string
}

// field is a text input or textarea.
type field struct {
	Name     string
	Label    string
	Hint     string
	Value    string
	Error    string
	Max      int
	Rows     int
	Required bool
}

// editFields are the fields of an edit.
type editFields struct {
	Note  string
	Title field
	Text  field
	Stars starsField
}

// starsField is the star rating as radio buttons.
type starsField struct {
	Label   string
	Error   string
	Options []starOption
}

// starOption is one radio button of the star rating.
type starOption struct {
	Value   int
	Label   string
	Checked bool
}

// messageKind names a page that is only a heading and paragraphs.
type messageKind int

const (
	pageNotFound messageKind = iota
	pageUsed
	pageExpired
	pageThanks
	pageUnreadable
	pageTooLarge
	pageMethod
	pageInternal
)

// renderMessage renders a message page in c's language. l is the link the
// page is about, or nil; pageThanks needs it, and pageUsed and pageExpired
// speak of what l's purpose sends (an answer, an appeal) and show its
// deadline.
func (h *Handler) renderMessage(w http.ResponseWriter, r *http.Request, status int, c *catalog, kind messageKind, l *link) {
	h.render(w, r, status, messagePage(c, kind, l))
}

// messagePage returns the message page of kind in c's language, about l
// (which may be nil, see renderMessage).
func messagePage(c *catalog, kind messageKind, l *link) page {
	p := page{Lang: c.lang}
	at := &c.answerTexts
	if l != nil {
		at = c.answers(l.view.Purpose)
	}
	switch kind {
	case pageUsed:
		p.Heading, p.Paras = at.usedHeading, at.used
	case pageExpired:
		p.Heading = at.expiredHeading
		if l != nil && !l.view.Deadline.IsZero() {
			p.Paras = []string{fill(at.expired, "{deadline}", c.date(l.view.Deadline)), at.expiredAfter}
		} else {
			p.Paras = []string{at.expiredNoDate, at.expiredAfter}
		}
	case pageThanks:
		pt := c.purposes[l.view.Purpose]
		p.Heading, p.Paras = pt.thanksHeading, fillAll(pt.thanks, "{business}", l.view.BusinessName)
	case pageUnreadable:
		p.Heading, p.Paras = c.unreadableHeading, []string{c.unreadable}
	case pageTooLarge:
		p.Heading, p.Paras = c.tooLargeHeading, []string{c.tooLarge}
	case pageMethod:
		p.Heading, p.Paras = c.methodHeading, []string{c.method}
	case pageInternal:
		p.Heading, p.Paras = c.internalHeading, []string{c.internal}
	default:
		p.Heading, p.Paras = c.notFoundHeading, []string{c.notFound}
	}
	return p
}

// renderForm renders l's form holding in, with the problems found (nil on
// a first view).
func (h *Handler) renderForm(w http.ResponseWriter, r *http.Request, status int, l *link, in input, probs problems) {
	h.render(w, r, status, formPage(l, in, probs))
}

// formPage returns the page of l's form holding in, with the problems found.
func formPage(l *link, in input, probs problems) page {
	c, v := l.cat, l.view
	pt := c.purposes[v.Purpose]
	biz := []string{"{business}", v.BusinessName}
	deadline := ""
	if !v.Deadline.IsZero() {
		deadline = c.date(v.Deadline)
	}
	f := &form{
		Intro:  fillAll(pt.intro, biz...),
		Notes:  notesFor(pt.notes, v.BusinessName, deadline),
		Submit: pt.submit,
	}
	if deadline != "" {
		f.Deadline = fill(pt.deadline, "{deadline}", deadline)
	}
	if v.Message != "" && pt.messageLabel != "" {
		f.MessageLabel, f.Message = fill(pt.messageLabel, biz...), v.Message
	}
	at := c.answers(v.Purpose)
	if pr, ok := probs[""]; ok {
		f.Errors = append(f.Errors, c.problemText(at, pr, ""))
	}
	if len(probs) > 0 && !(len(probs) == 1 && hasKey(probs, "")) {
		f.Errors = append([]string{c.errSummary}, f.Errors...)
	}
	if v.Purpose == links.PurposeEdit {
		f.Edit = &editFields{
			Note: c.editNote,
			Title: field{Name: fieldTitle, Label: c.titleLabel, Hint: fill(c.titleHint, "{max}", c.number(maxEditTitle)),
				Value: in.Title, Max: maxEditTitle, Error: c.fieldError(at, probs, fieldTitle)},
			Text: field{Name: fieldText, Label: c.textLabel, Hint: fill(c.textHint, "{max}", c.number(maxEditText)),
				Value: in.Text, Max: maxEditText, Rows: 12, Required: true, Error: c.fieldError(at, probs, fieldText)},
			Stars: starsField{Label: c.starsLabel, Error: c.fieldError(at, probs, fieldStars)},
		}
		for n := minStars; n <= maxStars; n++ {
			label := c.starOne
			if n > 1 {
				label = fill(c.starMany, "{n}", strconv.Itoa(n))
			}
			f.Edit.Stars.Options = append(f.Edit.Stars.Options, starOption{Value: n, Label: label, Checked: in.Stars == strconv.Itoa(n)})
		}
	} else {
		f.Reply = &field{Name: fieldReply, Label: fill(pt.replyLabel, biz...),
			Hint:  fill(pt.replyHint, "{max}", c.number(maxReply)),
			Value: in.Reply, Max: maxReply, Rows: 8, Required: true, Error: c.fieldError(at, probs, fieldReply)}
		if v.ReviewTitle != "" || v.ReviewText != "" {
			f.Review = &reviewBox{Heading: c.reviewHeading, Title: v.ReviewTitle, Text: v.ReviewText}
			if v.ReviewStars >= minStars && v.ReviewStars <= maxStars {
				f.Review.Stars = strings.Repeat("★", v.ReviewStars) + strings.Repeat("☆", maxStars-v.ReviewStars)
				f.Review.StarsLabel = fill(c.starsOf, "{n}", strconv.Itoa(v.ReviewStars))
			}
		}
	}
	return page{Lang: c.lang, Heading: fill(pt.heading, biz...), Form: f}
}

// notesFor fills the notes of a form; without a deadline, notes that name
// it are left out rather than shown with a hole.
func notesFor(notes []string, business, deadline string) []string {
	out := make([]string, 0, len(notes))
	for _, n := range notes {
		if deadline == "" && strings.Contains(n, "{deadline}") {
			continue
		}
		out = append(out, fill(n, "{business}", business, "{deadline}", deadline))
	}
	return out
}

// hasKey reports whether p has a problem for key.
func hasKey(p problems, key string) bool {
	_, ok := p[key]
	return ok
}

// fieldError returns the message for field's problem, or "". at are the
// answer texts of the form's purpose.
func (c *catalog) fieldError(at *answerTexts, p problems, name string) string {
	pr, ok := p[name]
	if !ok {
		return ""
	}
	return c.problemText(at, pr, name)
}

// problemText says what is wrong with a field in c's language, naming what
// the form sends as at does.
func (c *catalog) problemText(at *answerTexts, pr problem, name string) string {
	switch pr.kind {
	case problemRequired:
		if name == fieldText {
			return c.errTextRequired
		}
		return at.errReplyRequired
	case problemTooLong:
		return fill(c.errTooLong, "{n}", c.number(pr.n), "{max}", c.number(pr.max))
	case problemBadChars:
		return c.errBadChars
	case problemNoLetter:
		return c.errNoLetter
	case problemTooShort:
		return fill(c.errTooShort, "{n}", c.number(pr.n), "{min}", c.number(pr.min))
	case problemStars:
		return c.errStars
	case problemRetry:
		return at.errRetry
	}
	return c.errCheck
}

// render writes p with status: the whole page is written into memory
// first, then Content-Type, Content-Language and the status, then the body.
// Writing a page cannot fail, so every response is the page it should be.
func (h *Handler) render(w http.ResponseWriter, r *http.Request, status int, p page) {
	p.Nonce, _ = r.Context().Value(nonceKey{}).(string)
	body := p.html()
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Language", p.Lang)
	w.WriteHeader(status)
	_, _ = io.WriteString(w, body)
}
