package api_test

import (
	"net/http"
	"strings"
	"testing"

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

	e.s.Clock.Advance(60e9)
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

func TestReplyHiddenWhileTheReviewIsNot_Public(t *testing.T) {
	e := newEnv(t)
	e.mustStatus(http.StatusCreated, "PUT", "/v1/reviews/rev-organic/reply", e.biz1, map[string]any{"text": "We are sorry to hear it."})
	e.mustStatus(http.StatusAccepted, "POST", "/v1/reviews/rev-organic/reports", e.biz1, validReport())
	if p := e.publicReply("rev-organic"); p != nil {
		t.Errorf("the reply shows while the review is under investigation: %+v", p)
	}
	d := decode[api.ReviewDetailView](t, e.mustStatus(http.StatusOK, "GET", "/v1/reviews/rev-organic", e.biz1, nil))
	if d.Reply == nil || d.Reply.Public || !d.CanReply {
		t.Errorf("the business's view: reply %+v, canReply %v; want its reply, not public, and canReply", d.Reply, d.CanReply)
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
