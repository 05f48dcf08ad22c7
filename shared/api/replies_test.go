package api_test

import (
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/candorhq/candor/infra/local/ses"
	"github.com/candorhq/candor/infra/local/stack"
	"github.com/candorhq/candor/shared/api"
)

// The business's public reply, end to end on the local stack: what the
// business, the public and another business see; the guidelines at the
// door; If-Match.

func (e *env) publicReply(reviewID string) *api.PublicReplyView {
	e.t.Helper()
	return decode[api.PublicReviewView](e.t, e.mustStatus(http.StatusOK, "GET", "/v1/public/reviews/"+reviewID, "", nil)).Reply
}

func TestBusinessRepliesInPublic(t *testing.T) {
	e := newEnv(t)
	if v := e.publicReply("rev-organic"); v != nil {
		t.Fatalf("public view shows a reply before there is one: %+v", v)
	}
	if d := decode[api.ReviewDetailView](t, e.mustStatus(http.StatusOK, "GET", "/v1/reviews/rev-organic", e.biz1, nil)); !d.CanReply || d.Reply != nil {
		t.Fatalf("before replying: canReply %v, reply %+v", d.CanReply, d.Reply)
	}

	r := e.mustStatus(http.StatusCreated, "PUT", "/v1/reviews/rev-organic/reply", e.biz1, map[string]any{"text": " Thank you; we changed our roaster since. "})
	v := decode[api.ReplyView](t, r)
	if v.Text != "Thank you; we changed our roaster since." || v.ETag == "" || r.header.Get("ETag") != v.ETag || !v.Public {
		t.Fatalf("created reply = %+v, ETag header %q", v, r.header.Get("ETag"))
	}
	if p := e.publicReply("rev-organic"); p == nil || p.Text != v.Text || p.CreatedAt != "2026-11-02T09:00:00Z" {
		t.Fatalf("public reply = %+v", p)
	}
	list := decode[api.ListView[api.ReviewView]](t, e.mustStatus(http.StatusOK, "GET", "/v1/reviews", e.biz1, nil))
	shown := false
	for _, rv := range list.Items {
		shown = shown || (rv.ID == "rev-organic" && rv.Reply != nil && rv.Reply.Text == v.Text)
	}
	if !shown {
		t.Errorf("the business's list does not show the reply")
	}

	if r := e.call("PUT", "/v1/reviews/rev-organic/reply", e.biz2, map[string]any{"text": "Not yours"}); r.status != http.StatusNotFound {
		t.Errorf("another business's PUT = %d, want 404", r.status)
	}
	if r := e.call("DELETE", "/v1/reviews/rev-organic/reply", e.biz2, nil); r.status != http.StatusNotFound {
		t.Errorf("another business's DELETE = %d, want 404", r.status)
	}

	e.s.Clock.Advance(time.Minute)
	r = e.call("PUT", "/v1/reviews/rev-organic/reply", e.biz1, map[string]any{"text": "Thank you, and welcome back."}, "If-Match", v.ETag)
	if r.status != http.StatusOK {
		t.Fatalf("replace = %d %s", r.status, r.raw)
	}
	v2 := decode[api.ReplyView](t, r)
	if v2.ETag == v.ETag || v2.CreatedAt != v.CreatedAt || v2.UpdatedAt == v.UpdatedAt {
		t.Errorf("replaced reply = %+v, first %+v", v2, v)
	}
	if r := e.call("PUT", "/v1/reviews/rev-organic/reply", e.biz1, map[string]any{"text": "A lost update"}, "If-Match", v.ETag); r.status != http.StatusPreconditionFailed || r.errorCode() != "precondition_failed" {
		t.Errorf("stale If-Match = %d %s, want 412", r.status, r.raw)
	}
	if p := e.publicReply("rev-organic"); p == nil || p.Text != "Thank you, and welcome back." {
		t.Errorf("after a refused update the public reply is %+v", p)
	}

	if r := e.call("DELETE", "/v1/reviews/rev-organic/reply", e.biz1, nil, "If-Match", v2.ETag); r.status != http.StatusNoContent {
		t.Fatalf("delete = %d %s", r.status, r.raw)
	}
	if p := e.publicReply("rev-organic"); p != nil {
		t.Errorf("the public still sees the deleted reply: %+v", p)
	}
	if r := e.call("DELETE", "/v1/reviews/rev-organic/reply", e.biz1, nil); r.status != http.StatusNotFound {
		t.Errorf("deleting again = %d, want 404", r.status)
	}
}

// TestReplyHiddenWhileTheReviewIsNotPublic: a report hides the reply with
// the review; the reinstatement brings both back.
func TestReplyHiddenWhileTheReviewIsNotPublic(t *testing.T) {
	e := newEnv(t)
	e.mustStatus(http.StatusCreated, "PUT", "/v1/reviews/rev-organic/reply", e.biz1, map[string]any{"text": "We are sorry to hear it."})
	rep := decode[api.ReportView](t, e.mustStatus(http.StatusAccepted, "POST", "/v1/reviews/rev-organic/reports", e.biz1, validReport()))
	if p := e.publicReply("rev-organic"); p != nil {
		t.Errorf("the reply shows while the review is under investigation: %+v", p)
	}
	d := decode[api.ReviewDetailView](t, e.mustStatus(http.StatusOK, "GET", "/v1/reviews/rev-organic", e.biz1, nil))
	if d.Reply == nil || d.Reply.Public || !d.CanReply {
		t.Errorf("the business's view: reply %+v, canReply %v; want its reply, not public, and canReply", d.Reply, d.CanReply)
	}
	closeReport(t, e, rep.ID, "reinstated")
	if p := e.publicReply("rev-organic"); p == nil || p.Text != "We are sorry to hear it." {
		t.Errorf("after the reinstatement the public reply is %+v, want it back", p)
	}
}

// TestReplyGuidelinesAtTheDoor: each kind of personal data and each
// edit-request phrase in each language is 422 on text, in the business's
// language, and nothing changes.
func TestReplyGuidelinesAtTheDoor(t *testing.T) {
	e := newEnv(t)
	e.mustStatus(http.StatusCreated, "PUT", "/v1/reviews/rev-organic/reply", e.biz1, map[string]any{"text": "Thank you for your visit."})
	e.mustStatus(http.StatusCreated, "PUT", "/v1/reviews/rev-biz2/reply", e.biz2, map[string]any{"text": "Tack för besöket."})
	before := e.snapshot()
	tests := []struct {
		name, text, code, kind string
	}{
		{"email", "Write to us at help@acme.example", "reply_personal_data", "email_address"},
		{"phone", "Call us on +46 70 123 45 67", "reply_personal_data", "phone_number"},
		{"payment card", "We refunded card 4111 1111 1111 1111", "reply_personal_data", "payment_card_number"},
		{"iban", "Refunded to SE45 5000 0000 0583 9825 7466", "reply_personal_data", "iban"},
		{"reviewer name", "Dear Ana Reviewsson, thank you", "reply_personal_data", "reviewer_name"},
		{"edit request en", "Could you please update your review?", "reply_edit_request", "(en)"},
		{"edit request en, passive", "We would like to have your review removed.", "reply_edit_request", "(en)"},
		{"edit request sv", "Kan du ändra ditt omdöme?", "reply_edit_request", "(sv)"},
		{"edit request sv, definite", "Ta gärna bort omdömet.", "reply_edit_request", "(sv)"},
		{"edit request de", "Wir bitten Sie, Ihre Bewertung zu löschen.", "reply_edit_request", "(de)"},
		{"edit request de, imperative", "Ändern Sie bitte Ihre Bewertung.", "reply_edit_request", "(de)"},
	}
	for _, tt := range tests {
		for _, who := range []struct {
			token, review, lang string
		}{{e.biz1, "rev-organic", "A reply must not"}, {e.biz2, "rev-biz2", "Ett svar får inte"}} {
			t.Run(tt.name+"/"+who.review, func(t *testing.T) {
				text := tt.text
				if who.review == "rev-biz2" {
					text = strings.ReplaceAll(text, "Ana Reviewsson", "Bo Writer")
				}
				r := e.call("PUT", "/v1/reviews/"+who.review+"/reply", who.token, map[string]any{"text": text})
				if r.status != http.StatusUnprocessableEntity || r.errorCode() != tt.code || !strings.HasPrefix(r.fields()["text"], who.lang) ||
					!strings.Contains(r.raw, tt.kind) {
					t.Errorf("PUT %q = %d %s; want 422 %s naming %s on text in the business's language", text, r.status, r.raw, tt.code, tt.kind)
				}
			})
		}
	}
	if after := e.snapshot(); after != before {
		t.Errorf("a refused reply changed the table")
	}
}

var unsubscribeLinkRE = regexp.MustCompile(`/v1/public/unsubscribe/[A-Za-z0-9_-]{43}$`)

// replyMails are the reply emails in the reviewer's mailbox.
func (e *env) replyMails(addr string) []ses.Message {
	var out []ses.Message
	for _, m := range e.mailsTo(addr) {
		if m.ListUnsubscribe != "" {
			out = append(out, m)
		}
	}
	return out
}

// TestReviewerIsToldOnce: the first reply is emailed to the reviewer in
// their language with one-click unsubscribe; an edit a minute later sends
// nothing, an edit 25 hours later one email; the unsubscribe link stops the
// reply emails and nothing else.
func TestReviewerIsToldOnce(t *testing.T) {
	e := newEnv(t)
	e.mustStatus(http.StatusCreated, "PUT", "/v1/reviews/rev-organic/reply", e.biz1, map[string]any{"text": "Thank you, we have changed our roaster."})
	mails := e.replyMails(reviewerAddr)
	if len(mails) != 1 {
		t.Fatalf("after the first reply the reviewer has %d reply emails, want 1", len(mails))
	}
	m := mails[0]
	if m.Subject != "Acme Coffee har svarat på ditt omdöme" || !strings.Contains(m.Text, "Thank you, we have changed our roaster.") ||
		!slices.Contains(m.Links, e.s.APIURL+"/v1/public/reviews/rev-organic") {
		t.Errorf("reply email: subject %q, links %v, text:\n%s", m.Subject, m.Links, m.Text)
	}
	if m.ListUnsubscribePost != "List-Unsubscribe=One-Click" || !strings.HasPrefix(m.ListUnsubscribe, "<"+e.s.APIURL+"/v1/public/unsubscribe/") {
		t.Errorf("one-click headers: List-Unsubscribe %q, List-Unsubscribe-Post %q", m.ListUnsubscribe, m.ListUnsubscribePost)
	}
	if reviewerLinkRE.FindString(strings.Join(m.Links, " ")) == "" {
		t.Errorf("the reply email has no link to report the reply: %v", m.Links)
	}

	e.s.Clock.Advance(time.Minute)
	e.mustStatus(http.StatusOK, "PUT", "/v1/reviews/rev-organic/reply", e.biz1, map[string]any{"text": "Thank you, we have changed our roaster since."})
	if n := len(e.replyMails(reviewerAddr)); n != 1 {
		t.Fatalf("an edit a minute later: %d reply emails, want still 1", n)
	}
	e.s.Clock.Advance(25 * time.Hour)
	e.mustStatus(http.StatusOK, "PUT", "/v1/reviews/rev-organic/reply", e.biz1, map[string]any{"text": "Thank you; the new roaster is in."})
	mails = e.replyMails(reviewerAddr)
	if len(mails) != 2 || mails[1].Subject != "Acme Coffee har ändrat sitt svar på ditt omdöme" || !strings.Contains(mails[1].Text, "the new roaster is in") {
		t.Fatalf("an edit 25 hours later: %d reply emails (want 2), last %q", len(mails), mails[len(mails)-1].Subject)
	}

	unsub := strings.Trim(mails[1].ListUnsubscribe, "<>")
	if !unsubscribeLinkRE.MatchString(unsub) {
		t.Fatalf("unsubscribe link %q", unsub)
	}
	if p := e.openPage(unsub); p.status != http.StatusOK || !strings.Contains(p.body, "Stoppa e-post om svar") {
		t.Errorf("GET unsubscribe page = %d %s", p.status, p.body)
	}
	if p := e.postPage(unsub, url.Values{"List-Unsubscribe": {"One-Click"}}); p.status != http.StatusOK || !strings.Contains(p.body, "Klart") {
		t.Fatalf("one-click unsubscribe = %d %s", p.status, p.body)
	}
	if p := e.postPage(unsub, url.Values{"List-Unsubscribe": {"One-Click"}}); p.status != http.StatusOK {
		t.Errorf("a second one-click = %d, want 200", p.status)
	}
	e.s.Clock.Advance(25 * time.Hour)
	e.mustStatus(http.StatusOK, "PUT", "/v1/reviews/rev-organic/reply", e.biz1, map[string]any{"text": "Thank you; come and taste it."})
	if n := len(e.replyMails(reviewerAddr)); n != 2 {
		t.Errorf("after unsubscribing an edit sent a reply email (%d, want 2)", n)
	}
	before := len(e.mailsTo(reviewerAddr))
	e.mustStatus(http.StatusAccepted, "POST", "/v1/reviews/rev-organic/reviewer-requests", e.biz1, map[string]any{"message": askMessage})
	if n := len(e.mailsTo(reviewerAddr)); n != before+1 {
		t.Errorf("after unsubscribing from reply emails the Find Reviewer request was not emailed (%d emails, want %d)", n, before+1)
	}
	if p := e.openPage(e.s.APIURL + "/v1/public/unsubscribe/" + strings.Repeat("A", 43)); p.status != http.StatusNotFound {
		t.Errorf("an unknown unsubscribe link = %d, want 404", p.status)
	}
}

// TestReplyEmailSurvivesAnSESFailure: SES refuses the first attempt; the
// state machine's retry sends the email, once.
func TestReplyEmailSurvivesAnSESFailure(t *testing.T) {
	e := newEnv(t)
	e.s.Outbox.Fail(1, "Throttling")
	e.mustStatus(http.StatusCreated, "PUT", "/v1/reviews/rev-organic/reply", e.biz1, map[string]any{"text": "Thank you for your visit."})
	if n := len(e.replyMails(reviewerAddr)); n != 1 {
		t.Fatalf("after one SES failure the reviewer has %d reply emails, want exactly 1", n)
	}
}

// TestPortalShowsTheReply: the local stack's public page of a review shows
// the business's reply.
func TestPortalShowsTheReply(t *testing.T) {
	e := newEnv(t)
	e.mustStatus(http.StatusCreated, "PUT", "/v1/reviews/rev-organic/reply", e.biz1, map[string]any{"text": "Thank you <b>for</b> the visit."})
	p := e.openPortalPage(e.s.APIURL + stack.PublicReviewPagePath + "rev-organic")
	if p.status != http.StatusOK || !strings.Contains(p.body, "Thank you &lt;b&gt;for&lt;/b&gt; the visit.") || strings.Contains(p.body, "Ana Reviewsson") {
		t.Errorf("public page = %d:\n%s", p.status, p.body)
	}
	if p := e.openPortalPage(e.s.APIURL + stack.PublicReviewPagePath + "no-such-review"); p.status != http.StatusNotFound {
		t.Errorf("public page of an unknown review = %d, want 404", p.status)
	}
}

// TestUnsubscribeStopsReplyEmailsNotAProofRequest: after the one click the
// reviewer gets no reply email, but the proof request a report requires.
func TestUnsubscribeStopsReplyEmailsNotAProofRequest(t *testing.T) {
	e := newEnv(t)
	e.mustStatus(http.StatusCreated, "PUT", "/v1/reviews/rev-organic/reply", e.biz1, map[string]any{"text": "Thank you for your visit."})
	mails := e.replyMails(reviewerAddr)
	if len(mails) != 1 {
		t.Fatalf("%d reply emails, want 1", len(mails))
	}
	if p := e.postPage(strings.Trim(mails[0].ListUnsubscribe, "<>"), url.Values{"List-Unsubscribe": {"One-Click"}}); p.status != http.StatusOK {
		t.Fatalf("one-click unsubscribe = %d %s", p.status, p.body)
	}
	// The review is published: only the unsubscribe keeps this edit's email from going.
	e.s.Clock.Advance(25 * time.Hour)
	e.mustStatus(http.StatusOK, "PUT", "/v1/reviews/rev-organic/reply", e.biz1, map[string]any{"text": "Thank you; we hope to see you again."})
	if n := len(e.replyMails(reviewerAddr)); n != 1 {
		t.Errorf("after unsubscribing an edit sent a reply email (%d reply emails, want 1)", n)
	}
	e.mustStatus(http.StatusAccepted, "POST", "/v1/reviews/rev-organic/reviewer-requests", e.biz1, map[string]any{"message": askMessage})
	e.s.Advance(5 * 24 * time.Hour)
	e.mustStatus(http.StatusAccepted, "POST", "/v1/reviews/rev-organic/reports", e.biz1, map[string]any{
		"items":           []any{map[string]any{"scope": "reviewer", "reason": "no_genuine_experience", "details": "We have no order from anyone by this name or address."}},
		"publicStatement": "We could not find this customer in our records.",
	})
	all := e.mailsTo(reviewerAddr)
	if last := all[len(all)-1]; last.Subject != "Bekräfta din upplevelse hos Acme Coffee" {
		t.Errorf("after unsubscribing from reply emails the last email is %q, want the proof request", last.Subject)
	}
}

// TestRemovedReviewTakesNoReply: a removed review shows no reply, and takes none.
func TestRemovedReviewTakesNoReply(t *testing.T) {
	e := newEnv(t)
	e.mustStatus(http.StatusCreated, "PUT", "/v1/reviews/rev-other/reply", e.biz1, map[string]any{"text": "We are sorry to hear it."})
	rep := decode[api.ReportView](t, e.mustStatus(http.StatusAccepted, "POST", "/v1/reviews/rev-other/reports", e.biz1, validReport()))
	closeReport(t, e, rep.ID, "removed")
	if p := e.publicReply("rev-other"); p != nil {
		t.Errorf("a removed review shows its reply: %+v", p)
	}
	if r := e.call("PUT", "/v1/reviews/rev-other/reply", e.biz1, map[string]any{"text": "One more thing."}); r.status != http.StatusConflict || r.errorCode() != "reply_not_allowed" {
		t.Errorf("a reply to a removed review = %d %s, want 409 reply_not_allowed", r.status, r.raw)
	}
	if d := decode[api.ReviewDetailView](t, e.mustStatus(http.StatusOK, "GET", "/v1/reviews/rev-other", e.biz1, nil)); d.CanReply {
		t.Errorf("canReply on a removed review")
	}
}
