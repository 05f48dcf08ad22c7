package api_test

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/candorhq/candor/infra/local/stack"
	"github.com/candorhq/candor/shared/api"
)

// Reports on a business's reply, end to end on the local stack: from the
// reply email's link and from the public page, into one compliance ticket
// of kind reply, decided by an agent.

// replyReportLink is the link to report the reply in the reviewer's latest reply email.
func (e *env) replyReportLink() string {
	e.t.Helper()
	mails := e.replyMails(reviewerAddr)
	if len(mails) == 0 {
		e.t.Fatal("the reviewer has no reply email")
	}
	for _, l := range mails[len(mails)-1].Links {
		if reviewerLinkRE.MatchString(l) {
			return l
		}
	}
	e.t.Fatalf("the reply email has no link to report the reply: %v", mails[len(mails)-1].Links)
	return ""
}

// replyTickets is the compliance queue's reply tickets.
func (e *env) replyTickets() []api.TicketView {
	e.t.Helper()
	return decode[api.ListView[api.TicketView]](e.t, e.mustStatus(http.StatusOK, "GET", "/v1/compliance/tickets?kind=reply", e.compliance, nil)).Items
}

const threatReply = "Thank you. We know where you live, so think twice."

func TestReviewerReportsAReplyAndComplianceRemovesIt(t *testing.T) {
	e := newEnv(t)
	e.mustStatus(http.StatusCreated, "PUT", "/v1/reviews/rev-organic/reply", e.biz1, map[string]any{"text": threatReply})
	link := e.replyReportLink()

	// The page is in the reviewer's language (sv), shows the reply and asks for a reason.
	p := e.openPage(link)
	if p.status != http.StatusOK || !strings.Contains(p.body, "Anmäl svaret från Acme Coffee") || !strings.Contains(p.body, "We know where you live") ||
		!strings.Contains(p.body, `name="reason" value="threats_or_aggression"`) {
		t.Fatalf("report page = %d:\n%s", p.status, p.body)
	}
	before := e.snapshot()
	if p := e.postPage(link, url.Values{"reply": {"De hotar mig."}}); p.status != http.StatusUnprocessableEntity ||
		!strings.Contains(p.body, "Välj vad som är fel med svaret.") || !strings.Contains(p.body, "De hotar mig.") {
		t.Fatalf("a report without a reason = %d:\n%s", p.status, p.body)
	}
	if e.snapshot() != before {
		t.Errorf("a report without a reason changed the table")
	}
	if p := e.postPage(link, url.Values{"reason": {"threats_or_aggression"}, "reply": {"De hotar mig."}}); p.status != http.StatusOK ||
		!strings.Contains(p.body, "Tack, vi har tagit emot din anmälan") {
		t.Fatalf("report = %d:\n%s", p.status, p.body)
	}
	if p := e.postPage(link, url.Values{"reason": {"personal_data"}}); p.status != http.StatusGone {
		t.Errorf("the link a second time = %d, want 410", p.status)
	}

	// One ticket of kind reply; anyone's report on the same reply joins it.
	e.mustStatus(http.StatusAccepted, "POST", "/v1/public/reviews/rev-organic/reply/reports", "", map[string]any{"reason": "personal_data"})
	ts := e.replyTickets()
	if len(ts) != 1 || ts[0].Kind != "reply" || ts[0].ReportID != nil || ts[0].Reports != 2 || ts[0].Status != "open" {
		t.Fatalf("reply tickets = %+v", ts)
	}
	id := ts[0].ID
	if review := decode[api.ListView[api.TicketView]](t, e.mustStatus(http.StatusOK, "GET", "/v1/compliance/tickets?kind=review", e.compliance, nil)); len(review.Items) != 0 {
		t.Errorf("review tickets = %+v, want none", review.Items)
	}

	// Businesses see no ticket and act on none.
	for _, tok := range []string{e.biz1, e.biz2} {
		if r := e.call("GET", "/v1/compliance/tickets/"+id, tok, nil); r.status != http.StatusForbidden {
			t.Errorf("a business reads the ticket: %d, want 403", r.status)
		}
		if r := e.call("POST", "/v1/compliance/tickets/"+id+"/claim", tok, nil); r.status != http.StatusForbidden {
			t.Errorf("a business claims the ticket: %d, want 403", r.status)
		}
	}

	c := decode[api.ReplyTicketCaseView](t, e.mustStatus(http.StatusOK, "GET", "/v1/compliance/tickets/"+id, e.compliance, nil))
	by := map[string]string{}
	for _, r := range c.ReplyReports {
		by[r.Reporter] = r.Reason + ":" + r.Details
	}
	if len(c.ReplyReports) != 2 || by["reviewer"] != "threats_or_aggression:De hotar mig." || by["public"] != "personal_data:" ||
		c.Reply.Text != threatReply || len(c.Reply.Versions) != 1 {
		t.Fatalf("ticket case = %+v", c)
	}

	e.mustStatus(http.StatusOK, "POST", "/v1/compliance/tickets/"+id+"/claim", e.compliance, nil)
	bad := e.call("POST", "/v1/compliance/tickets/"+id+"/decision", e.compliance, map[string]any{"outcome": "remove", "note": "Threatens the reviewer."})
	if bad.status != http.StatusUnprocessableEntity || bad.fields()["upheldReasons"] == "" {
		t.Errorf("a removal upholding nothing = %d %s, want 422 on upheldReasons", bad.status, bad.raw)
	}
	d := decode[api.TicketView](t, e.mustStatus(http.StatusAccepted, "POST", "/v1/compliance/tickets/"+id+"/decision", e.compliance, map[string]any{
		"outcome": "remove", "note": "The reply threatens the reviewer at home.", "upheldReasons": []string{"threats_or_aggression"}}))
	if d.Status != "decided" || d.Decision == nil || d.Decision.DecidedBy != "agent-ada" || d.Decision.Outcome != "remove" {
		t.Fatalf("decided ticket = %+v", d)
	}

	// The public sees no reply; the business is told why; the reviewer the outcome.
	if r := e.publicReply("rev-organic"); r != nil {
		t.Errorf("the public still sees the removed reply: %+v", r)
	}
	if pg := e.openPortalPage(e.s.APIURL + stack.PublicReviewPagePath + "rev-organic"); strings.Contains(pg.body, "know where you live") {
		t.Errorf("the public page still shows the reply:\n%s", pg.body)
	}
	biz := e.mailsTo(businessAddr)
	if len(biz) == 0 {
		t.Fatal("the business was not told")
	}
	m := biz[len(biz)-1]
	for _, want := range []string{"The reply threatens the reviewer at home.", "Threats or aggressive language", "A member of our compliance team decided on",
		"out-of-court dispute settlement", "Its texts are kept for our compliance team"} {
		if !strings.Contains(m.Text, want) {
			t.Errorf("the business's statement of reasons lacks %q:\n%s", want, m.Text)
		}
	}
	if !strings.HasPrefix(m.Subject, "Acme Coffee: we have removed your reply") {
		t.Errorf("business email subject %q", m.Subject)
	}
	rv := e.mailsTo(reviewerAddr)
	if last := rv[len(rv)-1]; last.Subject != "Din anmälan av svaret från Acme Coffee" || !strings.Contains(last.Text, "tog bort svaret") {
		t.Errorf("the reviewer's last email %q:\n%s", last.Subject, last.Text)
	}

	c = decode[api.ReplyTicketCaseView](t, e.mustStatus(http.StatusOK, "GET", "/v1/compliance/tickets/"+id, e.compliance, nil))
	if c.Reply.Status != "removed" || c.Reply.Text != "" || len(c.Reply.Versions) != 1 || c.Reply.Versions[0].Text != threatReply ||
		c.Reporting.RepliesRemoved != 1 {
		t.Errorf("after the removal: reply %+v, replies removed %d", c.Reply, c.Reporting.RepliesRemoved)
	}
	agentInTrail := false
	for _, a := range c.Audit.Review {
		agentInTrail = agentInTrail || (a.Action == "reply.removed" && a.Actor == "agent:agent-ada")
	}
	if !agentInTrail {
		t.Errorf("the review's audit trail has no reply.removed by agent:agent-ada: %+v", c.Audit.Review)
	}
	if r := e.call("POST", "/v1/public/reviews/rev-organic/reply/reports", "", map[string]any{"reason": "edit_request"}); r.status != http.StatusNotFound {
		t.Errorf("reporting a removed reply = %d, want 404", r.status)
	}
}

func TestComplianceKeepsAPubliclyReportedReply(t *testing.T) {
	e := newEnv(t)
	e.mustStatus(http.StatusCreated, "PUT", "/v1/reviews/rev-organic/reply", e.biz1, map[string]any{"text": "Thank you for your visit."})
	pg := e.openPortalPage(e.s.APIURL + stack.PublicReviewPagePath + "rev-organic")
	if !strings.Contains(pg.body, `name="reason" value="edit_request"`) {
		t.Fatalf("the public page offers no report form:\n%s", pg.body)
	}
	post := e.postPortalPage(e.s.APIURL+stack.PublicReviewPagePath+"rev-organic", url.Values{"reason": {"edit_request"}, "details": {"It asks me to delete."}})
	if post.status != http.StatusOK || !strings.Contains(post.body, "your report was received") {
		t.Fatalf("the public page's report = %d:\n%s", post.status, post.body)
	}
	if again := e.postPortalPage(e.s.APIURL+stack.PublicReviewPagePath+"rev-organic", url.Values{"reason": {"edit_request"}}); again.status != http.StatusConflict {
		t.Errorf("the same reason again from the page = %d, want 409", again.status)
	}
	ts := e.replyTickets()
	if len(ts) != 1 || ts[0].Reports != 1 {
		t.Fatalf("reply tickets = %+v", ts)
	}
	e.mustStatus(http.StatusOK, "POST", "/v1/compliance/tickets/"+ts[0].ID+"/claim", e.compliance, nil)
	bizMails := len(e.mailsTo(businessAddr))
	e.mustStatus(http.StatusAccepted, "POST", "/v1/compliance/tickets/"+ts[0].ID+"/decision", e.compliance, map[string]any{
		"outcome": "keep", "note": "The reply thanks the reviewer; nothing asks for an edit."})
	if r := e.publicReply("rev-organic"); r == nil || r.Text != "Thank you for your visit." {
		t.Errorf("after keep the public reply is %+v", r)
	}
	if n := len(e.mailsTo(businessAddr)); n != bizMails {
		t.Errorf("a keep emailed the business (%d emails, want %d)", n, bizMails)
	}
}

func TestPublicReplyReportRefusals(t *testing.T) {
	e := newEnv(t)
	e.mustStatus(http.StatusCreated, "PUT", "/v1/reviews/rev-organic/reply", e.biz1, map[string]any{"text": "Thank you for your visit."})
	before := e.snapshot()
	for _, tt := range []struct {
		name   string
		body   map[string]any
		fields []string
	}{
		{"no reason", map[string]any{}, []string{"reason"}},
		{"unknown reason", map[string]any{"reason": "spam"}, []string{"reason"}},
		{"details too long", map[string]any{"reason": "edit_request", "details": strings.Repeat("x", 1001)}, []string{"details"}},
		{"both", map[string]any{"reason": "rude", "details": "bad\u0007"}, []string{"details", "reason"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := e.call("POST", "/v1/public/reviews/rev-organic/reply/reports", "", tt.body)
			if r.status != http.StatusUnprocessableEntity || r.errorCode() != "validation_failed" {
				t.Fatalf("= %d %s, want 422", r.status, r.raw)
			}
			for _, f := range tt.fields {
				if r.fields()[f] == "" {
					t.Errorf("no problem on %s: %s", f, r.raw)
				}
			}
		})
	}
	if e.snapshot() != before {
		t.Errorf("a refused report changed the table")
	}
	for _, id := range []string{"rev-other", "no-such-review"} {
		if r := e.call("POST", "/v1/public/reviews/"+id+"/reply/reports", "", map[string]any{"reason": "edit_request"}); r.status != http.StatusNotFound {
			t.Errorf("a report on %s (no reply) = %d, want 404", id, r.status)
		}
	}
}

// postPortalPage submits a form of the local portal's pages.
func (e *env) postPortalPage(link string, form url.Values) page {
	e.t.Helper()
	res, err := http.PostForm(link, form)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return page{res.StatusCode, string(b), res.Header}
}
