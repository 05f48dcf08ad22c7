package reviewerpage

import (
	"strconv"
	"strings"
	"time"

	"github.com/candorhq/candor/shared/i18n"
	"github.com/candorhq/candor/shared/links"
	"github.com/candorhq/candor/shared/moderation"
)

// zone is the location the link's reviewer reads dates in: the view's time
// zone, or the locale's usual one.
func (l *link) zone() *time.Location {
	return i18n.Zone(l.view.TimeZone, moderation.NormalizeLocale(l.view.Locale))
}

// counted gives f the texts of its live character counter.
func (c *catalog) counted(f field) field {
	f.CountLeft, f.CountOver = c.Phone.CountLeft(countPlaceholder), c.Phone.CountOver(countPlaceholder)
	return f
}

// summaryOrder is the order of the fields in a form, which the error
// summary follows; "" (a problem of the whole form) comes last.
var summaryOrder = []string{fieldReason, fieldReply, fieldTitle, fieldText, fieldStars, ""}

// summary is the error summary of probs, or nil when there are none: each
// field's problem, as the field itself says it, linking to the field (the
// star rating to its first button); a problem of the whole form without a
// link. With field problems it says what to do.
func (c *catalog) summary(at *answerTexts, probs problems, purpose links.Purpose) *errorSummary {
	if len(probs) == 0 {
		return nil
	}
	s := &errorSummary{Prefix: c.Phone.ErrorPrefix, Heading: c.Phone.SummaryHeading}
	for _, name := range summaryOrder {
		pr, ok := probs[name]
		if !ok {
			continue
		}
		item := summaryItem{Text: c.problemText(at, pr, name)}
		switch name {
		case "":
		case fieldStars:
			item.Href = "#" + starID(minStars)
		case fieldReason:
			item.Href = "#" + choiceID(fieldReason, string(moderation.ReplyReasons()[0]))
		default:
			item.Href = "#" + name
		}
		if name != "" {
			s.Lead = c.ErrSummary
		}
		s.Items = append(s.Items, item)
	}
	return s
}

// choiceID is the id of the radio button for value in the choice name.
func choiceID(name, value string) string { return name + "-" + value }

// starID is the id of the star rating's button for n stars.
func starID(n int) string { return fieldStars + "-" + strconv.Itoa(n) }

// removal is the appeal page's account of rm: its reasons named as the
// statement of reasons names them, and its facts (for a removal for want
// of proof, what the business reported and that no proof came in time).
func (c *catalog) removal(rm *Removal, business string) *removalBox {
	b := &removalBox{Heading: c.Phone.RemovalHeading, ReasonsLead: c.Phone.ReasonsLead, FactsLead: c.Phone.FactsLead}
	for _, r := range rm.Reasons {
		b.Reasons = append(b.Reasons, c.reason(r))
	}
	switch {
	case rm.NoProof:
		b.Facts = c.Phone.FactsNoProof(business)
	default:
		b.Facts = links.Defang(i18n.Display(rm.Facts), nil)
	}
	if len(b.Reasons) == 0 && b.Facts == "" {
		return nil
	}
	return b
}

// thanksPage is the thank-you page of l after sub was sent: the message
// page, and a copy of what was sent as the page received it (the edit's
// title, rating and text; otherwise the text). Every answer but a reply
// report is also emailed to the reviewer as a copy, and the page says so.
func thanksPage(l *link, sub Submission) page {
	c := l.cat
	p := messagePage(c, pageThanks, l)
	if l.view.Purpose != links.PurposeReportReply {
		p.Paras = append(p.Paras, c.Phone.SentCopy)
	}
	s := &sentBox{Heading: c.Phone.SentHeading, Text: sub.Text}
	if l.view.Purpose == links.PurposeEdit {
		s.Title, s.Text = sub.Title, sub.Body
		if sub.Stars >= minStars && sub.Stars <= maxStars {
			s.Stars = strings.Repeat("★", sub.Stars) + strings.Repeat("☆", maxStars-sub.Stars)
			s.StarsLabel = c.StarsOf(sub.Stars)
		}
	}
	p.Sent = s
	return p
}
