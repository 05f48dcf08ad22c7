package reviewerpage

import (
	"net/url"
	"slices"
	"strconv"

	"github.com/candorhq/candor/shared/i18n"
	"github.com/candorhq/candor/shared/links"
	"github.com/candorhq/candor/shared/moderation"
)

// Limits of an edit: the same as the platform's review input
// (moderation.ValidateReviewInput: title 0..200, text 1..10000 characters,
// stars 1..5), counted in characters after trimming.
const (
	maxEditTitle = 200
	maxEditText  = 10000
	minStars     = 1
	maxStars     = 5
	maxReply     = moderation.MaxReply
)

// Form field names, which are also the field names of a backend's
// *moderation.Error.
const (
	fieldReply = "reply"
	fieldTitle = "title"
	fieldText  = "text"
	fieldStars = "stars"
	// fieldReason is the reason of a reply report (report_reply), whose
	// text field (reply) holds the optional details.
	fieldReason = "reason"
)

// input is what the form holds, as typed: it is shown again when the form
// is re-rendered.
type input struct {
	Reason string
	Reply  string
	Title  string
	Text   string
	Stars  string
}

// initialInput is the form's content before the reviewer types: the
// draft saved before an upload (empty when none), or
// for an edit the review as it is now, as package i18n's Display shows it
// (so that a review stored before the text rule is offered without what
// the rule refuses, and sending it unchanged is accepted).
func initialInput(v View) input {
	if v.Purpose != links.PurposeEdit {
		return input{Reply: v.Draft}
	}
	in := input{Title: i18n.Display(v.ReviewTitle), Text: i18n.Display(v.ReviewText)}
	if v.ReviewStars >= minStars && v.ReviewStars <= maxStars {
		in.Stars = strconv.Itoa(v.ReviewStars)
	}
	return in
}

// readInput takes the form's fields from a parsed POST body. Other fields
// are ignored; of a repeated field the first value counts.
func readInput(form url.Values) input {
	return input{
		Reason: form.Get(fieldReason),
		Reply:  form.Get(fieldReply),
		Title:  form.Get(fieldTitle),
		Text:   form.Get(fieldText),
		Stars:  form.Get(fieldStars),
	}
}

// problemKind is what is wrong with a field, so that the page can say it in
// the reviewer's language.
type problemKind int

const (
	problemCheck    problemKind = iota // something the page cannot name: "please check"
	problemRequired                    // empty after trimming
	problemTooLong                     // more than max characters
	problemBadChars                    // not text: invalid UTF-8, control or invisible formatting characters
	problemNoLetter                    // no letter or digit at all
	problemTooShort                    // fewer than min visible characters
	problemStars                       // not a whole number of stars from 1 to 5
	problemRetry                       // the backend failed: try again later
	problemReason                      // no known reason of a reply report chosen
)

// problem is one field's problem; n and max are set for problemTooLong,
// n and min for problemTooShort.
type problem struct {
	kind        problemKind
	n, min, max int
}

// problems maps a form field to its problem; the key "" holds a problem that
// belongs to no field of the form.
type problems map[string]problem

// fields returns the names of the fields with a problem, sorted: what a log
// line may say about invalid input.
func (p problems) fields() []string {
	names := make([]string, 0, len(p))
	for k := range p {
		names = append(names, k)
	}
	slices.Sort(names)
	return names
}

// clean normalises a text field as the domain stores it
// (moderation.CleanText): NFC, every line break as "\n" (browsers send CRLF
// but count one character per line break for maxlength), surrounding white
// space trimmed.
func clean(s string) string { return moderation.CleanText(s) }

// validate checks the input for purpose and returns the submission to send,
// or the problems found. Reply purposes use moderation.ValidateReply.
func validate(purpose links.Purpose, in input) (Submission, problems) {
	p := problems{}
	var sub Submission
	if purpose == links.PurposeEdit {
		sub.Title, sub.Body = clean(in.Title), clean(in.Text)
		if pr, bad := checkText(sub.Title, 0, maxEditTitle); bad {
			p[fieldTitle] = pr
		}
		if pr, bad := checkText(sub.Body, 1, maxEditText); bad {
			p[fieldText] = pr
		}
		stars, ok := parseStars(in.Stars)
		if !ok {
			p[fieldStars] = problem{kind: problemStars}
		}
		sub.Stars = stars
	} else if purpose == links.PurposeReportReply {
		sub.Reason, sub.Text = in.Reason, clean(in.Reply)
		if !moderation.ReplyReason(in.Reason).Valid() {
			p[fieldReason] = problem{kind: problemReason}
		}
		if sub.Text != "" {
			if pr, bad := checkText(sub.Text, 1, moderation.MaxReplyReportDetails); bad {
				p[fieldReply] = pr
			}
		}
	} else {
		sub.Text = clean(in.Reply)
		if pr, bad := checkText(sub.Text, moderation.MinReply, moderation.MaxReply); bad {
			p[fieldReply] = pr
		}
	}
	if len(p) > 0 {
		return Submission{}, p
	}
	return sub, nil
}

// parseStars reads the stars field: "" is 0 (unchanged), else a whole
// number from 1 to 5.
func parseStars(s string) (int, bool) {
	if s == "" {
		return 0, true
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < minStars || n > maxStars {
		return 0, false
	}
	return n, true
}

// checkText returns the problem of a text that must have min..max visible
// characters under the domain's text rule, and whether there is one.
func checkText(s string, min, max int) (problem, bool) {
	pr := classify(s, min, max)
	return pr, pr.kind != problemCheck
}

// classify names what is wrong with a text that must have min..max visible
// characters (moderation.CheckText, the one text rule): problemCheck if
// nothing is.
func classify(s string, min, max int) problem {
	c := moderation.CheckText(s, min, max)
	switch c.Fault {
	case moderation.TextOK:
		return problem{kind: problemCheck}
	case moderation.TextRequired:
		return problem{kind: problemRequired}
	case moderation.TextNoLetterOrDigit:
		return problem{kind: problemNoLetter}
	case moderation.TextTooShort:
		return problem{kind: problemTooShort, n: c.Length, min: min}
	case moderation.TextTooLong:
		return problem{kind: problemTooLong, n: c.Length, max: max}
	}
	return problem{kind: problemBadChars}
}

// backendProblems turns the field problems of a backend's *moderation.Error
// into the page's problems. The backend's messages are English and may name
// rules this page does not know, so a field of the form gets the page's own
// diagnosis of its value, or "please check"; a field the form does not have
// becomes a problem of the whole form.
func backendProblems(purpose links.Purpose, in input, fields map[string]string) problems {
	p := problems{}
	for f := range fields {
		switch {
		case purpose == links.PurposeEdit && f == fieldTitle:
			p[f] = classify(clean(in.Title), 0, maxEditTitle)
		case purpose == links.PurposeEdit && f == fieldText:
			p[f] = classify(clean(in.Text), 1, maxEditText)
		case purpose == links.PurposeEdit && f == fieldStars:
			p[f] = problem{kind: problemStars}
		case purpose == links.PurposeReportReply && f == fieldReason:
			p[f] = problem{kind: problemReason}
		case purpose == links.PurposeReportReply && f == "details":
			p[fieldReply] = classify(clean(in.Reply), 1, moderation.MaxReplyReportDetails)
		case purpose != links.PurposeEdit && f == fieldReply:
			p[f] = classify(clean(in.Reply), moderation.MinReply, moderation.MaxReply)
		default:
			p[""] = problem{kind: problemCheck}
		}
	}
	if len(p) == 0 {
		p[""] = problem{kind: problemCheck}
	}
	return p
}
