package reviewerpage

import (
	"crypto/rand"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/candorhq/candor/shared/brand"
	"github.com/candorhq/candor/shared/i18n"
	"github.com/candorhq/candor/shared/links"
	"github.com/candorhq/candor/shared/moderation"
)

// nonceKey is the request context key of the response's style nonce.
type nonceKey struct{}

// newNonce returns 128 random bits as base32 text, usable as a CSP nonce.
func newNonce() string { return rand.Text() }

// setSecurityHeaders sets the headers every response carries. The nonce
// admits the page's one <style> and its one <script> (the character
// counter, which the page does not need to work); imgSrc admits the
// platform's logo ('none' without one).
func setSecurityHeaders(h http.Header, nonce, imgSrc string) {
	h.Set("Content-Security-Policy", csp(nonce, imgSrc, "'self'"))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()")
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
	h.Set("X-Robots-Tag", "noindex, nofollow")
	h.Set("Strict-Transport-Security", "max-age=31536000")
}

// csp is the pages' Content-Security-Policy with the response's nonce,
// img-src imgSrc and form-action formAction ('self', and the bucket's
// origin on the upload page).
func csp(nonce, imgSrc, formAction string) string {
	return "default-src 'none'; style-src 'nonce-" + nonce + "'; script-src 'nonce-" + nonce + "'; img-src " + imgSrc +
		"; form-action " + formAction + "; base-uri 'none'; frame-ancestors 'none'"
}

// page is what a response shows; its html method writes it.
type page struct {
	Lang    string
	Nonce   string
	Brand   brand.Brand // named in the header and the <title>
	Heading string
	// Summary is the error summary above the heading after a refused
	// answer; the page's <title> then starts with the error prefix.
	Summary *errorSummary
	Paras   []string
	Sent    *sentBox // the thank-you page's copy of what was sent
	Form    *form
	Upload  *uploadBox // the upload page's form, which posts to the bucket
}

// title is the page's <title>: the error prefix when the page has an error
// summary, the heading, and the platform's name.
func (p *page) title() string {
	t := p.Heading + " – " + p.Brand.Name
	if p.Summary != nil {
		t = p.Summary.Prefix + t
	}
	return t
}

// errorSummary lists what is wrong, each entry linking to its field.
type errorSummary struct {
	Prefix  string // "Error: ", for the <title>
	Heading string
	Lead    string // "" or what to do
	Items   []summaryItem
}

// summaryItem is one problem; Href is "#" and the field's id, or "" for a
// problem of the whole form.
type summaryItem struct {
	Text, Href string
}

// sentBox repeats what the reviewer sent, as the page received it.
type sentBox struct {
	Heading    string
	Stars      string
	StarsLabel string
	Title      string
	Text       string
}

// form is the form part of a page.
type form struct {
	Intro        []string
	MessageLabel string
	Message      string
	Removal      *removalBox
	Review       *reviewBox
	Deadline     string
	DeadlineUTC  string       // the deadline in UTC, a second line under Deadline
	Reason       *choiceField // report_reply: the reason, as radio buttons
	Reply        *field
	Edit         *editFields
	Notes        []string
	Submit       string
	// Docs are the answer's documents (proof, evidence, appeal pages with
	// uploads); Notice what the page says after a document changed.
	Docs   *docsBox
	Notice string
}

// removalBox is the appeal page's account of the removal: the reasons and
// the facts of the statement of reasons.
type removalBox struct {
	Heading     string
	ReasonsLead string
	Reasons     []string
	FactsLead   string
	Facts       string
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
	// CountLeft and CountOver are the counter's texts with countPlaceholder
	// for the number; the page's script shows them. "" for no counter.
	CountLeft, CountOver string
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

// choiceField is a required choice as radio buttons.
type choiceField struct {
	Name    string
	Label   string
	Error   string
	Options []choiceOption
}

// choiceOption is one radio button of a choice.
type choiceOption struct {
	Value   string
	Label   string
	Checked bool
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
	p := page{Lang: c.Lang}
	at := &c.Answers
	if l != nil {
		at = c.answers(l.view.Purpose)
	}
	switch kind {
	case pageUsed:
		p.Heading, p.Paras = at.UsedHeading, at.Used
	case pageExpired:
		p.Heading = at.ExpiredHeading
		if l != nil && !l.view.Deadline.IsZero() {
			p.Paras = []string{at.Expired(c.LocalDate(l.view.Deadline, l.zone())), c.Phone.InUTC(c.Date(l.view.Deadline)), at.ExpiredAfter}
		} else {
			p.Paras = []string{at.ExpiredNoDate, at.ExpiredAfter}
		}
	case pageThanks:
		pt := c.Purposes[l.view.Purpose]
		p.Heading, p.Paras = pt.ThanksHeading, pt.Thanks(i18n.DisplayLine(l.view.BusinessName))
	case pageUnreadable:
		p.Heading, p.Paras = c.UnreadableHeading, []string{c.Unreadable}
	case pageTooLarge:
		p.Heading, p.Paras = c.TooLargeHeading, []string{c.TooLarge}
	case pageMethod:
		p.Heading, p.Paras = c.MethodHeading, []string{c.Method}
	case pageInternal:
		p.Heading, p.Paras = c.InternalHeading, []string{c.Internal}
	default:
		p.Heading, p.Paras = c.NotFoundHeading, []string{c.NotFound}
	}
	return p
}

// renderForm renders l's form holding in, with the problems found (nil on
// a first view).
func (h *Handler) renderForm(w http.ResponseWriter, r *http.Request, status int, l *link, in input, probs problems) {
	p := formPage(l, in, probs)
	if h.takesDocuments(l) {
		p = withDocs(p, l, "", "")
	}
	h.render(w, r, status, p)
}

// formPage returns the page of l's form holding in, with the problems found.
// The view's texts are shown as package i18n's Display makes them (names
// and titles on one line), so that whatever is stored renders, and the
// business's (its name, its message) with every web address defanged
// (links.Defang, as in the emails); what the
// reviewer typed is shown as typed, with NUL and invalid UTF-8 as U+FFFD.
func formPage(l *link, in input, probs problems) page {
	c, v := l.cat, l.view
	pt := c.Purposes[v.Purpose]
	biz := links.Defang(i18n.DisplayLine(v.BusinessName), nil) // the business's words: no address stays followable
	deadline := ""
	if !v.Deadline.IsZero() {
		deadline = c.LocalDate(v.Deadline, l.zone())
	}
	f := &form{
		Intro:  pt.Intro(biz),
		Notes:  pt.Notes(biz),
		Submit: pt.Submit,
	}
	if deadline != "" {
		f.Deadline = pt.Deadline(deadline)
		f.DeadlineUTC = c.Phone.InUTC(c.Date(v.Deadline))
		if pt.DeadlineNote != nil {
			f.Notes = append(f.Notes, pt.DeadlineNote(deadline))
		}
	}
	if msg := links.Defang(i18n.Display(v.Message), nil); msg != "" && pt.MessageLabel != nil {
		f.MessageLabel, f.Message = pt.MessageLabel(biz), msg
	}
	at := c.answers(v.Purpose)
	if rm := v.Removal; rm != nil && v.Purpose == links.PurposeAppeal {
		f.Removal = c.removal(rm, biz)
	}
	if v.Purpose == links.PurposeEdit {
		f.Edit = &editFields{
			Note: c.EditNote,
			Title: c.counted(field{Name: fieldTitle, Label: c.TitleLabel, Hint: c.TitleHint(c.number(maxEditTitle)),
				Value: typed(in.Title), Max: maxEditTitle, Error: c.fieldError(at, probs, fieldTitle)}),
			Text: c.counted(field{Name: fieldText, Label: c.TextLabel, Hint: c.TextHint(c.number(maxEditText)),
				Value: typed(in.Text), Max: maxEditText, Rows: 12, Required: true, Error: c.fieldError(at, probs, fieldText)}),
			Stars: starsField{Label: c.StarsLabel, Error: c.fieldError(at, probs, fieldStars)},
		}
		for n := minStars; n <= maxStars; n++ {
			f.Edit.Stars.Options = append(f.Edit.Stars.Options, starOption{Value: n, Label: c.Star(n), Checked: in.Stars == strconv.Itoa(n)})
		}
	} else {
		reply := c.counted(field{Name: fieldReply, Label: pt.ReplyLabel(biz),
			Hint:  pt.ReplyHint(c.number(maxReply)),
			Value: typed(in.Reply), Max: maxReply, Rows: 8, Required: true, Error: c.fieldError(at, probs, fieldReply)})
		f.Reply = &reply
		if v.Purpose == links.PurposeReportReply {
			f.Reply.Hint, f.Reply.Max, f.Reply.Rows, f.Reply.Required = pt.ReplyHint(c.number(moderation.MaxReplyReportDetails)), moderation.MaxReplyReportDetails, 4, false
			f.Reason = &choiceField{Name: fieldReason, Label: c.ReasonLabel, Error: c.fieldError(at, probs, fieldReason)}
			for _, r := range moderation.ReplyReasons() {
				f.Reason.Options = append(f.Reason.Options, choiceOption{Value: string(r), Label: c.Reasons[r], Checked: in.Reason == string(r)})
			}
		}
		title, text := i18n.DisplayLine(v.ReviewTitle), i18n.Display(v.ReviewText)
		if title != "" || text != "" {
			f.Review = &reviewBox{Heading: c.ReviewHeading, Title: title, Text: text}
			if v.ReviewStars >= minStars && v.ReviewStars <= maxStars {
				f.Review.Stars = strings.Repeat("★", v.ReviewStars) + strings.Repeat("☆", maxStars-v.ReviewStars)
				f.Review.StarsLabel = c.StarsOf(v.ReviewStars)
			}
		}
	}
	return page{Lang: c.Lang, Heading: pt.Heading(biz), Summary: c.summary(at, probs, v.Purpose), Form: f}
}

// unsavedPage gives back in in a form that sends it again: the edit's
// fields when in is an edit (a text, title or rating), else the answer.
func unsavedPage(c *catalog, in input) page {
	f := &form{Submit: c.SendAgain}
	if in.Text != "" || in.Title != "" || in.Stars != "" {
		f.Edit = &editFields{
			Title: field{Name: fieldTitle, Label: c.TitleLabel, Value: typed(in.Title), Max: maxEditTitle},
			Text:  field{Name: fieldText, Label: c.TextLabel, Value: typed(in.Text), Max: maxEditText, Rows: 12, Required: true},
			Stars: starsField{Label: c.StarsLabel},
		}
		for n := minStars; n <= maxStars; n++ {
			f.Edit.Stars.Options = append(f.Edit.Stars.Options, starOption{Value: n, Label: c.Star(n), Checked: in.Stars == strconv.Itoa(n)})
		}
	} else {
		f.Reply = &field{Name: fieldReply, Label: c.AnswerLabel, Value: typed(in.Reply), Max: maxReply, Rows: 8, Required: true}
	}
	return page{Lang: c.Lang, Heading: c.InternalHeading, Form: f,
		Summary: &errorSummary{Prefix: c.Phone.ErrorPrefix, Heading: c.Phone.SummaryHeading, Items: []summaryItem{{Text: c.Answers.ErrRetry}}}}
}

// typed returns what the reviewer typed as a page shows it again: as it
// is, but with NUL and invalid UTF-8 as U+FFFD (which is also what a
// browser would read there).
func typed(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	if strings.IndexByte(s, 0) >= 0 {
		s = strings.ReplaceAll(s, "\x00", "\uFFFD")
	}
	return s
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
			return c.ErrTextRequired
		}
		return at.ErrReplyRequired
	case problemTooLong:
		return c.ErrTooLong(c.number(pr.n), c.number(pr.max))
	case problemBadChars:
		return c.ErrBadChars
	case problemNoLetter:
		return c.ErrNoLetter
	case problemTooShort:
		return c.ErrTooShort(c.number(pr.n), c.number(pr.min))
	case problemStars:
		return c.ErrStars
	case problemReason:
		return c.ErrReason
	case problemRetry:
		return at.ErrRetry
	}
	return c.ErrCheck
}

// render writes p with status: the whole page is written into memory
// first, then Content-Type, Content-Language and the status, then the body.
// Writing a page into memory does not fail; if the component ever did, the
// error is logged and the answer is a plain 500 page, still without script.
func (h *Handler) render(w http.ResponseWriter, r *http.Request, status int, p page) {
	p.Nonce, _ = r.Context().Value(nonceKey{}).(string)
	p.Brand = h.brand
	body, err := p.html()
	if err != nil {
		h.log.ErrorContext(r.Context(), "reviewer page: write page", "err", err)
		status, body = http.StatusInternalServerError, fallbackPage
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Language", p.Lang)
	w.WriteHeader(status)
	_, _ = io.WriteString(w, body)
}

// fallbackPage is the answer when a page cannot be written.
const fallbackPage = "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Something went wrong</title>\n</head>\n<body>\n<main>\n<h1>Something went wrong</h1>\n<p>Please try again in a few minutes.</p>\n</main>\n</body>\n</html>\n"
