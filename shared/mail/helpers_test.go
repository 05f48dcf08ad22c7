package mail

import (
	"encoding/xml"
	"errors"
	"io"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/candorhq/candor/shared/moderation"
)

// testBase is the public base URL of the tests, with a path so that
// "under the base" means more than "on the same host".
const testBase = "https://reviews.example.com/candor"

// deadline, decided and appealBy are the times of the samples.
var (
	deadline = time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
	decided  = time.Date(2026, 3, 2, 14, 5, 0, 0, time.UTC)
	appealBy = time.Date(2026, 8, 29, 14, 5, 0, 0, time.UTC)
)

// testLinks returns the Links of testBase.
func testLinks(t testing.TB) Links {
	t.Helper()
	l, err := NewLinks(testBase)
	if err != nil {
		t.Fatalf("NewLinks(%q): %v", testBase, err)
	}
	if l.Business, err = ParseBusinessPages(testReportPage, testRequestPage); err != nil {
		t.Fatalf("ParseBusinessPages: %v", err)
	}
	return l
}

// The business portal's pages of the tests.
const (
	testReportPage  = "https://business.example.com/reports/{reportId}"
	testRequestPage = "https://business.example.com/requests/{requestId}?tab=reply"
)

// testRenderer returns a Renderer for testBase.
func testRenderer(t testing.TB) *Renderer {
	t.Helper()
	return NewRenderer(testLinks(t))
}

// sample is one email the tests render: a name for subtests and golden
// files, and the message.
type sample struct {
	name string
	msg  Message
}

// samples returns every message type, and every variant of each, filled in
// as a workflow would fill them.
func samples(l Links) []sample {
	reply := l.ReviewerLink("tLk9fQ2xR7mZpV4cW1yB8nA3")
	return []sample{
		{"find_reviewer_request", FindReviewerRequest{
			BusinessName: "Acme Coffee", ReviewTitle: "Cold coffee, rude staff",
			Message:  "Hello! We could not find your order in our system.\nCould you tell us your order number or the date of your visit?",
			ReplyURL: reply, Deadline: deadline,
		}},
		{"find_reviewer_request_untitled", FindReviewerRequest{
			BusinessName: "Acme Coffee", Message: "Could you share your order number with us?",
			ReplyURL: reply, Deadline: deadline,
		}},
		{"find_reviewer_reminder", FindReviewerReminder{
			BusinessName: "Acme Coffee", ReviewTitle: "Cold coffee, rude staff",
			Message:  "Could you share your order number with us?",
			ReplyURL: reply, Deadline: deadline,
		}},
		{"find_reviewer_reminder_manual", FindReviewerReminder{
			BusinessName: "Acme Coffee", ReviewTitle: "Cold coffee, rude staff",
			Message:  "Could you share your order number with us?",
			ReplyURL: reply, Deadline: deadline, Manual: true,
		}},
		{"review_reported", ReviewReported{
			BusinessName: "Acme Coffee", ReviewTitle: "Cold coffee, rude staff",
			PublicStatement: "We have no record of this visit and believe the review is not about us.",
			Hidden:          true,
		}},
		{"review_reported_visible", ReviewReported{
			BusinessName: "Acme Coffee", ReviewTitle: "Cold coffee, rude staff",
			PublicStatement: "We have no record of this visit and believe the review is not about us.",
		}},
		{"proof_request", ProofRequest{
			BusinessName: "Acme Coffee", ReviewTitle: "Cold coffee, rude staff",
			ReplyURL: reply, Deadline: deadline,
		}},
		{"compliance_request_evidence", ComplianceRequest{
			Kind: KindEvidence, BusinessName: "Acme Coffee", ReviewTitle: "Cold coffee, rude staff",
			Message:  "Please tell us when you visited the café and what you ordered.",
			ReplyURL: reply, Deadline: deadline,
		}},
		{"compliance_request_edit", ComplianceRequest{
			Kind: KindEdit, BusinessName: "Acme Coffee", ReviewTitle: "Cold coffee, rude staff",
			Message:  "Your review names an employee and gives her phone number. Please remove the name and the number.",
			ReplyURL: reply, Deadline: deadline,
		}},
		{"review_removed_agent", ReviewRemoved{
			BusinessName: "Acme Coffee", ReviewTitle: "Cold coffee, rude staff",
			Reasons: []moderation.Reason{moderation.ReasonOffensiveOrHarmful, moderation.ReasonPersonalInformation},
			Facts:   "The review calls a named employee a thief and gives her private phone number.",
			Ground:  moderation.GroundGuidelineViolation, DecidedAt: decided,
			AppealURL: l.ReviewerLink("aPpEaL7zQ1"), AppealDeadline: appealBy,
		}},
		{"review_removed_no_proof", ReviewRemoved{
			BusinessName: "Acme Coffee", ReviewTitle: "Cold coffee, rude staff",
			Reasons: []moderation.Reason{moderation.ReasonNoGenuineExperience},
			Ground:  moderation.GroundNoProofProvided, Automated: true, DecidedAt: decided,
			AppealURL: l.ReviewerLink("aPpEaL7zQ1"), AppealDeadline: appealBy,
		}},
		{"review_removed_on_appeal", ReviewRemoved{
			BusinessName: "Acme Coffee", ReviewTitle: "Cold coffee, rude staff",
			Reasons: []moderation.Reason{moderation.ReasonNoGenuineExperience},
			Facts:   "The receipt the reviewer showed is from a different café, Acme Tea, on another street.",
			Ground:  moderation.GroundGuidelineViolation, DecidedAt: decided, OnAppeal: true,
		}},
		{"reviewer_replied", ReviewerReplied{
			BusinessName: "Acme Coffee", ReviewTitle: "Cold coffee, rude staff", RequestURL: l.RequestLink("req_0192f1c2c1b27c3a9d4e5f60718293a4"),
		}},
		{"request_expired", RequestExpired{
			BusinessName: "Acme Coffee", ReviewTitle: "Cold coffee, rude staff", RequestURL: l.RequestLink("req_0192f1c2c1b27c3a9d4e5f60718293a4"),
			CanRemind: true,
		}},
		{"request_expired_reminded", RequestExpired{
			BusinessName: "Acme Coffee", ReviewTitle: "Cold coffee, rude staff", RequestURL: l.RequestLink("req_0192f1c2c1b27c3a9d4e5f60718293a4"),
		}},
		{"review_reinstated", ReviewReinstated{
			BusinessName: "Acme Coffee", ReviewTitle: "Cold coffee, rude staff", ReportURL: l.ReportLink("rpt_0192f1c2c1b27c3a9d4e5f60718293a4"),
			AppealDeadline: deadline,
		}},
		{"review_reinstated_on_appeal", ReviewReinstated{
			BusinessName: "Acme Coffee", ReviewTitle: "Cold coffee, rude staff", ReportURL: l.ReportLink("rpt_0192f1c2c1b27c3a9d4e5f60718293a4"),
			OnAppeal: true,
		}},
		{"review_reinstated_reviewer", ReviewReinstatedForReviewer{
			BusinessName: "Acme Coffee", ReviewTitle: "Cold coffee, rude staff",
		}},
		{"review_reinstated_reviewer_on_appeal", ReviewReinstatedForReviewer{
			BusinessName: "Acme Coffee", ReviewTitle: "Cold coffee, rude staff", OnAppeal: true,
		}},
		{"appeal_decided_reviewer_upheld", AppealDecided{
			Appellant: AppellantReviewer, ToAppellant: true, Outcome: AppealUpheld,
			BusinessName: "Acme Coffee", ReviewTitle: "Cold coffee, rude staff",
			Facts:     "The review still names the employee and gives her phone number; the appeal does not dispute that.",
			DecidedAt: decided,
		}},
		{"appeal_decided_business_upheld", AppealDecided{
			Appellant: AppellantBusiness, ToAppellant: true, Outcome: AppealUpheld,
			BusinessName: "Acme Coffee", ReviewTitle: "Cold coffee, rude staff",
			Facts:     "The reviewer showed a receipt from the café dated the day of the visit.",
			DecidedAt: decided, ReportURL: l.ReportLink("rpt_0192f1c2c1b27c3a9d4e5f60718293a4"),
		}},
		{"appeal_decided_business_upheld_to_reviewer", AppealDecided{
			Appellant: AppellantBusiness, ToAppellant: false, Outcome: AppealUpheld,
			BusinessName: "Acme Coffee", ReviewTitle: "Cold coffee, rude staff",
			DecidedAt: decided,
		}},
		{"appeal_decided_business_reversed", AppealDecided{
			Appellant: AppellantBusiness, ToAppellant: true, Outcome: AppealReversed,
			BusinessName: "Acme Coffee", ReviewTitle: "Cold coffee, rude staff",
			Facts:     "The receipt the reviewer showed is from a different café, Acme Tea, on another street.",
			DecidedAt: decided, ReportURL: l.ReportLink("rpt_0192f1c2c1b27c3a9d4e5f60718293a4"),
		}},
		{"business_warned", BusinessWarned{
			Facts: "Of the 14 reviews you reported since June, 12 were reinstated: they did not break the guidelines for the reasons you gave.",
			Until: decided.Add(365 * 24 * time.Hour),
		}},
		{"reporting_suspended", ReportingSuspended{
			Facts:        "After the warning of 2 November you reported 9 more reviews; 8 were reinstated.",
			Until:        decided.Add(30 * 24 * time.Hour),
			AfterWarning: true,
		}},
		{"reporting_suspended_unwarned", ReportingSuspended{
			Facts: "You reported 40 reviews in one week; 38 were reinstated.",
			Until: decided.Add(30 * 24 * time.Hour),
		}},
		{"reporting_reopened", ReportingReopened{Since: decided.Add(30 * 24 * time.Hour)}},
		{"warning_withdrawn", WarningWithdrawn{Given: decided}},
		{"reply_published", ReplyPublished{
			BusinessName: "Acme Coffee", ReviewTitle: "Cold coffee, rude staff",
			Reply:     "Thank you for telling us. We have trained our staff since; see https://evil.example/x",
			PublicURL: l.PublicReviewLink("rev-1"), UnsubscribeURL: l.UnsubscribeLink("uNsUb9fQ2xR7mZpV4cW1yB8nA3"),
			ReportURL: l.ReviewerLink("rEpOrT7kQ2xR7mZpV4cW1yB8nA3"),
		}},
		{"reply_removed", ReplyRemoved{
			BusinessName: "Acme Coffee", ReviewTitle: "Cold coffee, rude staff",
			Reasons:   []moderation.ReplyReason{moderation.ReplyReasonThreats, moderation.ReplyReasonPersonalData},
			Facts:     "The reply tells the reviewer \"we know where you live\" and names her street.",
			DecidedAt: decided, ReviewURL: l.BusinessReviewLink("rev-1"),
		}},
		{"reply_report_decided_removed", ReplyReportDecided{BusinessName: "Acme Coffee", ReviewTitle: "Cold coffee, rude staff", Removed: true}},
		{"reply_report_decided_kept", ReplyReportDecided{BusinessName: "Acme Coffee"}},
		{"answer_received_reply", AnswerReceived{
			Kind: AnswerReply, BusinessName: "Acme Coffee", ReviewTitle: "Cold coffee, rude staff",
			Text: "Order 4711, delivered on 3 October.\nYou can reach me through this platform.", ReceivedAt: decided,
		}},
		{"answer_received_proof", AnswerReceived{
			Kind: AnswerProof, BusinessName: "Acme Coffee", ReviewTitle: "Cold coffee, rude staff",
			Text: "Receipt 99812 from 1 October, paid by card.", ReceivedAt: decided,
		}},
		{"answer_received_evidence", AnswerReceived{
			Kind: AnswerEvidence, BusinessName: "Acme Coffee",
			Text: "I visited on 1 October at noon and ordered two flat whites.", ReceivedAt: decided,
		}},
		{"answer_received_edit", AnswerReceived{
			Kind: AnswerEdit, BusinessName: "Acme Coffee", ReviewTitle: "Cold coffee",
			Text: "The coffee was cold and the service slow.", ReceivedAt: decided,
		}},
		{"answer_received_appeal", AnswerReceived{
			Kind: AnswerAppeal, BusinessName: "Acme Coffee", ReviewTitle: "Cold coffee, rude staff",
			Text: "My review describes my own visit; the receipt I sent shows it.", ReceivedAt: decided,
		}},
		{"reply_published_edited", ReplyPublished{
			BusinessName: "Acme Coffee", Reply: "Thank you, we are glad it was sorted out.", Edited: true,
			PublicURL: l.PublicReviewLink("rev-1"), UnsubscribeURL: l.UnsubscribeLink("uNsUb9fQ2xR7mZpV4cW1yB8nA3"),
			ReportURL: l.ReviewerLink("rEpOrT7kQ2xR7mZpV4cW1yB8nA3"),
		}},
	}
}

// unused returns the string fields that msg's variant leaves empty, as its
// email neither shows nor accepts them: a decision on appeal has no appeal
// link, the reviewer's appeal_decided no report link, and the other party's
// appeal_decided no facts.
func unused(msg Message) []string {
	switch m := msg.(type) {
	case ReviewRemoved:
		if m.OnAppeal {
			return []string{"AppealURL"}
		}
	case AppealDecided:
		var out []string
		if !(m.Appellant == AppellantBusiness && m.ToAppellant) {
			out = append(out, "ReportURL")
		}
		if !m.ToAppellant {
			out = append(out, "Facts")
		}
		return out
	}
	return nil
}

// withField returns a copy of msg with its string field name set to v.
func withField(msg Message, name, v string) Message {
	c := reflect.New(reflect.TypeOf(msg)).Elem()
	c.Set(reflect.ValueOf(msg))
	c.FieldByName(name).SetString(v)
	return c.Interface().(Message)
}

// stringFields returns the names of msg's string fields that are URLs
// (urls true) or free text (urls false), but those its variant leaves
// empty (unused). Kind, Ground, Appellant, Outcome and TimeZone are codes,
// neither.
func stringFields(msg Message, urls bool) []string {
	var out []string
	t := reflect.TypeOf(msg)
	for i := range t.NumField() {
		f := t.Field(i)
		if f.Type.Kind() != reflect.String || slices.Contains(codeFields, f.Name) || slices.Contains(unused(msg), f.Name) {
			continue
		}
		if strings.HasSuffix(f.Name, "URL") == urls {
			out = append(out, f.Name)
		}
	}
	return out
}

// codeFields are the string fields that hold codes, not text or links.
var codeFields = []string{"Kind", "Ground", "Appellant", "Outcome", "TimeZone"}

// urlFields returns the values of msg's URL fields.
func urlFields(msg Message) []string {
	v := reflect.ValueOf(msg)
	var out []string
	for _, name := range stringFields(msg, true) {
		out = append(out, v.FieldByName(name).String())
	}
	return out
}

// htmlElements are the only elements the HTML part may contain.
var htmlElements = map[string]bool{
	"html": true, "head": true, "meta": true, "title": true, "body": true, "table": true, "tr": true, "td": true,
	"p": true, "h1": true, "h2": true, "div": true, "ul": true, "li": true, "strong": true, "a": true, "br": true,
	"style": true, "img": true,
}

// parsedHTML is what checkHTML learnt of an HTML part.
type parsedHTML struct {
	lang     string
	hrefs    []string // the links under the base URL
	external []string // the links to OutOfCourtBodiesURL, the one page elsewhere an email links to
	images   []string // the src of every image (the logo)
	style    string   // the text of the <style> block
	text     string   // the character data outside <style>, entities decoded
}

// voidElement matches the void elements of an HTML part (<meta ...>,
// <br>), which HTML writes without a closing slash.
var voidElement = regexp.MustCompile(`<(br|meta|img)((?:\s[^>]*)?)>`)

// parseHTML parses an HTML part strictly as XML, its void elements closed,
// and checks what a mail client would act on: only the elements of
// htmlElements, no event handler attribute, no src but an https image's,
// no external resource in a style or the style block, every link under the
// base URL but the one to OutOfCourtBodiesURL. (Attribute values hold no ">":
// the layout escapes it.)
func parseHTML(l Links, html string) (parsedHTML, error) {
	var p parsedHTML
	var text, style strings.Builder
	inStyle := false
	d := xml.NewDecoder(strings.NewReader(voidElement.ReplaceAllString(html, "<$1$2/>")))
	d.Strict = true
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return p, err
		}
		switch tk := tok.(type) {
		case xml.StartElement:
			if !htmlElements[tk.Name.Local] {
				return p, errors.New("element <" + tk.Name.Local + "> is not allowed")
			}
			for _, a := range tk.Attr {
				name := strings.ToLower(a.Name.Local)
				switch {
				case name == "src" && tk.Name.Local == "img" && strings.HasPrefix(a.Value, "https://"):
					p.images = append(p.images, a.Value)
				case strings.HasPrefix(name, "on"), name == "src", name == "srcset", name == "background":
					return p, errors.New("attribute " + name + " is not allowed")
				case name == "style" && strings.Contains(strings.ToLower(a.Value), "url("):
					return p, errors.New("style loads a resource")
				case name == "href" && a.Value == OutOfCourtBodiesURL:
					p.external = append(p.external, a.Value)
				case name == "href":
					if !l.owns(a.Value) {
						return p, errors.New("link outside the base URL")
					}
					p.hrefs = append(p.hrefs, a.Value)
				case name == "lang" && tk.Name.Local == "html":
					p.lang = a.Value
				}
			}
			inStyle = tk.Name.Local == "style"
		case xml.EndElement:
			inStyle = false
		case xml.CharData:
			if inStyle {
				style.Write(tk)
			} else {
				text.Write(tk)
			}
		}
	}
	p.style = style.String()
	if s := strings.ToLower(p.style); strings.Contains(s, "url(") || strings.Contains(s, "@import") {
		return p, errors.New("the style block loads a resource")
	}
	p.text = text.String()
	return p, nil
}
