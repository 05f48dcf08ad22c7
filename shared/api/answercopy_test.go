package api_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/candorhq/candor/infra/local/edge"
	"github.com/candorhq/candor/infra/local/ses"
)

// The reviewer's copy of what they sent through a link (answer_received),
// through the whole local stack: the reviewer page records the answer, the
// workflow's copy task reads it from the table and sends it once to the
// local mailbox.

// copiesTo returns the copies of answers in addr's mailbox: the emails
// whose subject starts as the Swedish copies do (the reviewers of the
// local stack's reviews read Swedish).
func (e *env) copiesTo(addr string, subjectPrefix string) []ses.Message {
	var out []ses.Message
	for _, m := range e.mailsTo(addr) {
		if strings.HasPrefix(m.Subject, subjectPrefix) {
			out = append(out, m)
		}
	}
	return out
}

const replyCopySubject = "En kopia av ditt svar till Acme Coffee"

// TestReviewerGetsOneCopyOfTheirReply: a reviewer who stopped the reply
// emails answers a Find Reviewer request and finds exactly one copy of
// their reply in their mailbox — also when SES's answer to the send is
// lost, when SES throttles the send, and when the tasks' reads fail until
// the state machine retries them — while the business is told once, without the
// text, and no execution carries it.
func TestReviewerGetsOneCopyOfTheirReply(t *testing.T) {
	for _, tc := range []struct {
		name  string
		fault *edge.FaultRule
	}{
		{"no fault", nil},
		{"SES's answer lost", &edge.FaultRule{Service: edge.ServiceSES, Operation: "*", Error: edge.FaultTimeout, Count: 1}},
		{"SES throttles", &edge.FaultRule{Service: edge.ServiceSES, Operation: "*", Error: "Throttling", Count: 4}},
		{"the table fails the task's read", &edge.FaultRule{Service: edge.ServiceDynamoDB, Operation: "BatchGetItem", Error: "InternalServerError", Count: 4}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			e.mustStatus(http.StatusCreated, "PUT", "/v1/reviews/rev-organic/reply", e.biz1, map[string]any{"text": "Thank you for your visit."})
			notices := e.replyMails(reviewerAddr)
			if len(notices) != 1 {
				t.Fatalf("%d reply emails, want 1", len(notices))
			}
			if p := e.postPage(strings.Trim(notices[0].ListUnsubscribe, "<>"), url.Values{"List-Unsubscribe": {"One-Click"}}); p.status != http.StatusOK {
				t.Fatalf("one-click unsubscribe = %d %s", p.status, p.body)
			}
			e.ask()
			asks := e.mailsTo(reviewerAddr)
			link := e.reviewerLink(asks[len(asks)-1])
			if tc.fault != nil {
				if _, err := e.s.Faults.Add(*tc.fault); err != nil {
					t.Fatal(err)
				}
			}
			p := e.postPage(link, url.Values{"reply": {"Order 4711, delivered on 3 October."}})
			if p.status != http.StatusOK || !strings.Contains(p.body, "Vi mejlar dig också en kopia av det du skickade") {
				t.Fatalf("reply: %d, want the thank-you page that says a copy is emailed:\n%s", p.status, p.body)
			}
			e.s.Advance(time.Hour) // past every retry's back-off
			e.s.Faults.Clear()
			e.s.Advance(time.Hour)
			copies := e.copiesTo(reviewerAddr, replyCopySubject)
			if len(copies) != 1 {
				t.Fatalf("reviewer's mailbox has %d copies of the reply, want exactly 1", len(copies))
			}
			if c := copies[0]; !strings.Contains(c.Text, "> Order 4711, delivered on 3 October.") || !strings.Contains(c.HTML, `lang="sv"`) || len(c.Links) != 0 {
				t.Errorf("copy: links %v, text:\n%s", c.Links, c.Text)
			}
			if biz := e.mailsTo(businessAddr); len(biz) != 1 || strings.Contains(biz[0].Text, "4711") {
				t.Errorf("business emails = %d, want one notice without the reply's text", len(biz))
			}
			if st := e.stalled(); len(st) != 0 {
				t.Errorf("stalled workflows: %+v, want none", st)
			}
			e.assertExecutionsCarryNoPersonalData()
		})
	}
}

// TestReviewerGetsOneCopyOfTheirAppeal: the reviewer appeals a removal
// through the link of the statement of reasons and gets one copy of the
// appeal; the business, which is not told of a first removal, gets nothing.
func TestReviewerGetsOneCopyOfTheirAppeal(t *testing.T) {
	e := newEnv(t)
	_, tkt := e.submitReport()
	e.mustStatus(http.StatusOK, "POST", "/v1/compliance/tickets/"+tkt+"/claim", e.compliance, nil)
	e.mustStatus(http.StatusAccepted, "POST", "/v1/compliance/tickets/"+tkt+"/decision", e.compliance,
		map[string]any{"outcome": "remove", "upheldReasons": []string{"offensive_or_harmful"}, "note": "The text insults the owner."})
	mails := e.mailsTo(reviewerAddr)
	if p := e.postPage(e.reviewerLink(mails[len(mails)-1]), url.Values{"reply": {"I was there; the order was 4711."}}); p.status != http.StatusOK {
		t.Fatalf("appeal: %d %s", p.status, p.body)
	}
	e.s.Advance(time.Hour)
	copies := e.copiesTo(reviewerAddr, "Vi har tagit emot ditt överklagande")
	if len(copies) != 1 || !strings.Contains(copies[0].Text, "> I was there; the order was 4711.") {
		t.Fatalf("copies of the appeal: %+v, want one with the appeal's text", copies)
	}
	if n := len(e.mailsTo(businessAddr)); n != 0 {
		t.Errorf("business got %d emails, want none", n)
	}
	e.assertExecutionsCarryNoPersonalData()
}
