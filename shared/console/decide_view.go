package console

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/candorhq/candor/shared/app"
	"github.com/candorhq/candor/shared/mail"
	"github.com/candorhq/candor/shared/moderation"
)

// decideView is the decision panel of a case page: which decisions the
// agent can take on the ticket, the form as they last typed it, and what
// was wrong with it.
type decideView struct {
	// Reply: a ticket on a business's reply, decided remove or keep; else a
	// review ticket, decided reinstate, remove or request reviewer action.
	Reply bool
	// Open: the ticket is in progress and held by the agent, so the forms
	// show; otherwise Closed says why there is nothing to decide.
	Open   bool
	Closed string
	// Notice says the previous decision was recorded (after "Start
	// reviewing" moved on to this ticket).
	Notice string
	// Reasons are the reported reasons, the ones a removal can uphold.
	Reasons []reasonOption
	// Rounds: how many requests to the reviewer were made, the most there
	// may be, and how many are left.
	RoundsUsed, RoundsMax, RoundsLeft int
	// ReviewerLanguage is the language the reviewer's emails are written in
	// ("Swedish (sv)"); nothing else of the reviewer.
	ReviewerLanguage string
	// Form is what was typed in the form that was sent ("" outcome: none).
	Form decideForm
	// Errors are the form's problems by field id; Summary lists them in the
	// order of the form, each linking to its field.
	Errors  map[string]string
	Summary []summaryItem
	// Preview is the email a reviewer-action request would send.
	Preview *mailPreview
}

// decideForm is one decision as the agent typed it.
type decideForm struct {
	Outcome, Note, Kind, Message string
	Upheld                       []string
}

type reasonOption struct{ Code, Label string }

type summaryItem struct{ Field, Text string }

// mailPreview is the email the reviewer would get: subject and plain text,
// in their language, rendered by the same catalogue that sends it.
type mailPreview struct {
	Locale, Subject, Text string
}

// Field ids of the decision forms: the outcome, then the field's name.
func fieldID(outcome, field string) string { return outcome + "-" + field }

// err is the problem of the form's field, if the form sent was outcome's.
func (v decideView) err(outcome, field string) string {
	if v.Form.Outcome != outcome {
		return ""
	}
	return v.Errors[fieldID(outcome, field)]
}

// invalid is a field's aria-invalid: "true" when it has a problem.
func (v decideView) invalid(outcome, field string) string {
	if v.err(outcome, field) != "" {
		return "true"
	}
	return "false"
}

// value is what was typed in the field of outcome's form.
func (v decideView) value(outcome, field string) string {
	if v.Form.Outcome != outcome {
		return ""
	}
	switch field {
	case "note":
		return v.Form.Note
	case "message":
		return v.Form.Message
	case "kind":
		return v.Form.Kind
	}
	return ""
}

// upheld reports whether reason was ticked in outcome's form.
func (v decideView) upheld(outcome, reason string) bool {
	return v.Form.Outcome == outcome && slices.Contains(v.Form.Upheld, reason)
}

// describedBy is a field's aria-describedby: its hint and its error.
func (v decideView) describedBy(outcome, field string, hint bool) string {
	var ids []string
	if hint {
		ids = append(ids, fieldID(outcome, field)+"-hint")
	}
	if v.err(outcome, field) != "" {
		ids = append(ids, fieldID(outcome, field)+"-error")
	}
	return strings.Join(ids, " ")
}

// decideOf is the panel of case c for agent, with the form f as sent
// (zero: none) and its problems.
func decideOf(c app.TicketCase, agent string, maxRounds int, f decideForm, problems map[string]string) decideView {
	t := c.Ticket
	v := decideView{Reply: t.Kind == moderation.TicketKindReply, Open: t.Status == moderation.TicketInProgress && t.Assignee == agent && agent != "",
		Form: f, RoundsUsed: t.Rounds, RoundsMax: maxRounds, RoundsLeft: max(maxRounds-t.Rounds, 0)}
	if !v.Open {
		v.Closed = closedBecause(t, agent)
	}
	var codes []string
	if v.Reply {
		for _, r := range t.ReplyReasons {
			codes = append(codes, string(r))
		}
	} else {
		for _, r := range c.Report.Report.Reasons() {
			codes = append(codes, string(r))
		}
		v.ReviewerLanguage = languageName(mail.NormalizeLocale(c.Review.Review.Reviewer.Locale))
	}
	for _, code := range codes {
		if !slices.ContainsFunc(v.Reasons, func(o reasonOption) bool { return o.Code == code }) {
			v.Reasons = append(v.Reasons, reasonOption{Code: code, Label: reasonLabel(code)})
		}
	}
	v.Errors, v.Summary = formProblems(f.Outcome, problems)
	return v
}

// fieldOrder is the order of a form's fields on the page, for the summary.
var fieldOrder = []string{"outcome", "kind", "message", "upheldReasons", "note"}

var fieldNames = map[string]string{"outcome": "Decision", "kind": "What to ask", "message": "Message to the reviewer",
	"upheldReasons": "Reasons upheld", "note": "Facts relied on"}

// formProblems maps the use case's field problems ("note",
// "upheldReasons[1]") to the form's field ids, and lists them for the
// summary in the order of the form.
func formProblems(outcome string, problems map[string]string) (map[string]string, []summaryItem) {
	if len(problems) == 0 {
		return nil, nil
	}
	errs := map[string]string{}
	for field, msg := range problems {
		if i := strings.IndexByte(field, '['); i > 0 {
			field = field[:i]
		}
		if _, ok := fieldNames[field]; !ok {
			field = "note" // a problem of no field on the page: show it where the agent writes
		}
		id := fieldID(outcome, field)
		if _, ok := errs[id]; !ok {
			errs[id] = fieldNames[field] + ": " + msg
		}
	}
	var sum []summaryItem
	for _, field := range fieldOrder {
		if msg, ok := errs[fieldID(outcome, field)]; ok {
			sum = append(sum, summaryItem{Field: fieldID(outcome, field), Text: msg})
		}
	}
	return errs, sum
}

// previewOf renders the email a reviewer-action request of form f would
// send the reviewer of case c, in their language and time zone, as the
// investigation's task renders it; the link in it stands for the one made
// when the email is sent.
func previewOf(r *mail.Renderer, link string, c app.TicketCase, business string, f decideForm, p moderation.Policy, now time.Time) (*mailPreview, error) {
	rv := c.Review.Review
	deadline := now.Add(p.WithDefaults().ReviewerActionWindow)
	if c.Report.ReviewerDeadline.After(deadline) {
		deadline = c.Report.ReviewerDeadline
	}
	out, err := r.Render(rv.Reviewer.Locale, mail.ComplianceRequest{Kind: f.Kind, BusinessName: business, ReviewTitle: rv.Title,
		Message: moderation.CleanText(f.Message), ReplyURL: link, Deadline: deadline, TimeZone: rv.Reviewer.TimeZone})
	if err != nil {
		return nil, fmt.Errorf("preview the reviewer's email: %w", err)
	}
	return &mailPreview{Locale: out.Locale, Subject: out.Subject, Text: out.Text}, nil
}

// previewProblems keeps, of a decision's problems, those a preview can
// show: the kind and the message (the facts are not in the email).
func previewProblems(err error) map[string]string {
	e, ok := moderation.AsError(err)
	if !ok || e.Kind != moderation.KindInvalid {
		return nil
	}
	out := map[string]string{}
	for _, f := range []string{"kind", "message"} {
		if msg, ok := e.Fields[f]; ok {
			out[f] = msg
		}
	}
	return out
}

// closedBecause says why agent cannot decide t now.
func closedBecause(t moderation.Ticket, agent string) string {
	switch t.Status {
	case moderation.TicketDecided:
		return "This ticket is decided; the audit trail holds its decision."
	case moderation.TicketWaitingForReviewer:
		return "This ticket waits for the reviewer; it comes back to the queue when they answer or the window closes."
	case moderation.TicketOpen:
		return "This ticket is in the queue, held by nobody; Start reviewing hands out the oldest open ticket."
	}
	if t.Assignee != agent {
		return "Another agent holds this ticket; only the agent who holds it decides it."
	}
	return "This ticket cannot be decided now."
}

var languages = map[string]string{"en": "English", "sv": "Swedish", "de": "German"}

func languageName(locale string) string {
	if n, ok := languages[locale]; ok {
		return n + " (" + locale + ")"
	}
	return locale
}

// reasonLabel is a reason code as people read it: "personal information".
func reasonLabel(code string) string { return strings.ReplaceAll(code, "_", " ") }

// outcomeDone is what the notice says a recorded decision did.
var outcomeDone = map[string]string{
	moderation.DecideReinstate:      "the review is reinstated",
	moderation.DecideRemove:         "removed",
	moderation.DecideReviewerAction: "the reviewer is asked; the ticket comes back when they answer or the window closes",
	moderation.DecideKeep:           "the reply stays",
}

// decidedNotice is the notice on the next case after a decision.
func decidedNotice(prev, outcome string) string {
	done, ok := outcomeDone[outcome]
	if !ok || prev == "" {
		return ""
	}
	return "Your decision on " + prev + " is recorded: " + done + ". This is the next ticket, the oldest open one."
}
