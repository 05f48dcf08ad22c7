package api_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// poisonTexts are texts that show nothing (or something else than they are)
// yet passed every length check before the text rule: each must be refused
// wherever a person writes something.
var poisonTexts = map[string]string{
	"20 right-to-left overrides": strings.Repeat("\u202E", 20),
	"bidi isolates around text":  "\u2066" + strings.Repeat("x", 20) + "\u2069",
	"zero-width spaces":          strings.Repeat("\u200B", 30),
	"word joiners":               strings.Repeat("\u2060", 30),
	"byte-order marks":           strings.Repeat("\uFEFF", 30),
	"soft hyphens":               strings.Repeat("\u00AD", 30),
	"a lone combining mark":      strings.Repeat(" ", 25) + "\u0301",
	"braille blanks":             strings.Repeat("\u2800", 30),
	"Hangul fillers":             strings.Repeat("\u3164", 30),
	"tag characters":             strings.Repeat("\U000E0041", 30),
}

// TestPoisonTextIsRefusedAndChangesNothing: every text above, which the text rule refuses, gets
// 422 with the field's path, and the table is as it was.
func TestPoisonTextIsRefusedAndChangesNothing(t *testing.T) {
	e := newEnv(t)
	for name, poison := range poisonTexts {
		func() {
			before := e.snapshot()
			withStatement := validReport()
			withStatement["publicStatement"] = poison
			withDetails := validReport()
			withDetails["items"].([]any)[1].(map[string]any)["details"] = poison // the request body, not a response
			for field, r := range map[string]response{
				"publicStatement":  e.call("POST", "/v1/reviews/rev-organic/reports", e.biz1, withStatement),
				"items[1].details": e.call("POST", "/v1/reviews/rev-organic/reports", e.biz1, withDetails),
				"message":          e.call("POST", "/v1/reviews/rev-organic/reviewer-requests", e.biz1, map[string]any{"message": poison}),
			} {
				if _, named := r.fields()[field]; r.status != http.StatusUnprocessableEntity || r.errorCode() != "validation_failed" || !named {
					t.Errorf("%s: %s: %d %s, want 422 naming %s", name, field, r.status, r.raw, field)
				}
			}
			if after := e.snapshot(); after != before {
				t.Errorf("%s: a refused request changed the table", name)
			}
			if pub, _ := e.publicReview("rev-organic"); pub.Visibility != "published" {
				t.Errorf("%s: visibility %q after refused reports, want published", name, pub.Visibility)
			}
		}()
	}
}

// TestPoisonTextInADecisionAndAReply: an agent's message and a reviewer's
// reply made of invisible characters are refused too.
func TestPoisonTextInADecisionAndAReply(t *testing.T) {
	e := newEnv(t)
	_, ticket := e.submitReport()
	e.mustStatus(http.StatusOK, "POST", "/v1/compliance/tickets/"+ticket+"/claim", e.compliance, nil)
	before := e.snapshot()
	for name, poison := range poisonTexts {
		r := e.decide(ticket, e.compliance, map[string]any{"outcome": "request_reviewer_action", "kind": "evidence",
			"note": "Need the order number to decide.", "message": poison})
		if !r.refusesField(http.StatusUnprocessableEntity, "message") {
			t.Errorf("%s: decision message: %d %s, want 422 on message", name, r.status, r.raw)
		}
		r = e.decide(ticket, e.compliance, map[string]any{"outcome": "reinstate", "note": poison})
		if !r.refusesField(http.StatusUnprocessableEntity, "note") {
			t.Errorf("%s: decision note: %d %s, want 422 on note", name, r.status, r.raw)
		}
	}
	if e.snapshot() != before {
		t.Errorf("refused decisions changed the table")
	}

	id := e.ask()
	link := e.reviewerLink(e.mailsTo(reviewerAddr)[len(e.mailsTo(reviewerAddr))-1])
	for name, poison := range poisonTexts {
		p := e.postPage(link, url.Values{"reply": {poison}})
		if p.status != http.StatusUnprocessableEntity {
			t.Errorf("%s: reply page answered %d, want 422", name, p.status)
		}
	}
	if rq, _ := e.requestView(id); rq.Status != "awaiting_reply" {
		t.Errorf("request %q after refused replies, want awaiting_reply", rq.Status)
	}
	if n := len(e.mailsTo(businessAddr)); n != 0 {
		t.Errorf("the business got %d emails after blank replies, want none", n)
	}
}
