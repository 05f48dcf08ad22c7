package investigation_test

import (
	"context"
	"path"
	"testing"
	"time"

	"github.com/candorhq/candor/shared/app"
	"github.com/candorhq/candor/shared/investigation"
	"github.com/candorhq/candor/shared/links"
	"github.com/candorhq/candor/shared/mail"
	"github.com/candorhq/candor/shared/moderation"
)

// The reviewer's copies of what they sent through a link: proof, evidence,
// an edit, an appeal. Each goes once, in the reviewer's language, read from
// the table, whatever the reviewer's choice about the reply emails.

// submit sends s through the reviewer link in url, as the reviewer's page does.
func (c *investigationCase) submit(t *testing.T, url string, s app.LinkSubmission) {
	t.Helper()
	hash, ok := links.Hash(path.Base(url))
	if !ok {
		t.Fatalf("link %q holds no token", url)
	}
	if err := c.App.SubmitLink(context.Background(), hash, s); err != nil {
		t.Fatalf("submit through the link: %v", err)
	}
}

// copies returns the copies of answers the reviewer got, failing on one
// not in Swedish, the reviewer's language.
func (c *investigationCase) copies(t *testing.T) []mail.AnswerReceived {
	t.Helper()
	var out []mail.AnswerReceived
	for _, e := range c.Mail.To(reviewerAddress) {
		if m, ok := e.Msg.(mail.AnswerReceived); ok {
			if e.Rendered.Locale != "sv" {
				t.Errorf("copy in %q, want the reviewer's sv", e.Rendered.Locale)
			}
			out = append(out, m)
		}
	}
	return out
}

func TestReviewerGetsACopyOfTheirProofOnce(t *testing.T) {
	c := newCase(t, notGenuine)
	if err := c.Store.StopReplyEmails(context.Background(), reviewerAddress, "rev-1", c.Clock.Now()); err != nil {
		t.Fatal(err)
	}
	c.must(t, "request_proof", investigation.Event{Window: c.in.Windows.Proof, TaskToken: "tok-proof"})
	ask := one(t, c.Env, reviewerAddress).Msg.(mail.ProofRequest)
	c.Clock.Advance(time.Hour)
	c.submit(t, ask.ReplyURL, app.LinkSubmission{Text: "Receipt 99812 from 1 October."})
	sentAt := c.Clock.Now()
	for range 3 { // the task and its retries
		c.must(t, "confirm_proof", investigation.Event{})
	}
	got := c.copies(t)
	if len(got) != 1 {
		t.Fatalf("reviewer got %d copies of the proof, want 1 (also after stopping the reply emails)", len(got))
	}
	if m := got[0]; m.Kind != mail.AnswerProof || m.Text != "Receipt 99812 from 1 October." || m.BusinessName != "Acme Bikes" || !m.ReceivedAt.Equal(sentAt) {
		t.Errorf("copy = %+v, want the proof's text, the business and when it was sent (%v)", m, sentAt)
	}
	if n := len(c.Mail.To(businessAddress)); n != 0 {
		t.Errorf("the business got %d emails, want none", n)
	}
}

// TestNoCopyWithoutAnAnswer: a copy task after a wait that ended without
// the reviewer's answer sends nothing and does not fail.
func TestNoCopyWithoutAnAnswer(t *testing.T) {
	p := newCase(t, notGenuine)
	p.must(t, "request_proof", investigation.Event{Window: p.in.Windows.Proof, TaskToken: "tok-proof"})
	p.must(t, "confirm_proof", investigation.Event{})
	a := newCase(t, offensive)
	a.decide(t, moderation.Decision{Outcome: moderation.DecideReviewerAction, Kind: moderation.ActionEvidence,
		Note: "The order cannot be found.", Message: "Please send the order confirmation."})
	a.must(t, "request_action", investigation.Event{Round: 1, Window: a.in.Windows.Action, TaskToken: "tok-action"})
	a.must(t, "confirm_action", investigation.Event{Round: 1})
	for _, c := range []*investigationCase{p, a} {
		if got := c.copies(t); len(got) != 0 {
			t.Errorf("copies without an answer: %+v, want none", got)
		}
	}
}

func TestReviewerGetsACopyOfTheirEvidenceAndOfTheirEdit(t *testing.T) {
	for _, tc := range []struct {
		kind     string
		sub      app.LinkSubmission
		wantKind string
		wantText string
	}{
		{moderation.ActionEvidence, app.LinkSubmission{Text: "Order 4713 on 3 October, paid by card."}, mail.AnswerEvidence, "Order 4713 on 3 October, paid by card."},
		{moderation.ActionEdit, app.LinkSubmission{Title: "Slow delivery", Body: "The bike came two weeks late.", Stars: 2}, mail.AnswerEdit, "The bike came two weeks late."},
	} {
		t.Run(tc.kind, func(t *testing.T) {
			c := newCase(t, offensive)
			c.decide(t, moderation.Decision{Outcome: moderation.DecideReviewerAction, Kind: tc.kind,
				Note: "Needs the reviewer.", Message: "Please help us with this report."})
			ev := investigation.Event{Round: 1, Window: c.in.Windows.Action, TaskToken: "tok-action"}
			c.must(t, "request_action", ev)
			ask := one(t, c.Env, reviewerAddress).Msg.(mail.ComplianceRequest)
			c.submit(t, ask.ReplyURL, tc.sub)
			for range 2 {
				c.must(t, "confirm_action", investigation.Event{Round: 1})
			}
			got := c.copies(t)
			if len(got) != 1 {
				t.Fatalf("reviewer got %d copies, want 1", len(got))
			}
			if m := got[0]; m.Kind != tc.wantKind || m.Text != tc.wantText {
				t.Errorf("copy = %+v, want kind %s with %q", m, tc.wantKind, tc.wantText)
			}
			if tc.kind == moderation.ActionEdit && got[0].ReviewTitle != "Slow delivery" {
				t.Errorf("copy of the edit names the review %q, want its new title", got[0].ReviewTitle)
			}
		})
	}
}

func TestReviewerGetsACopyOfTheirAppealTheBusinessNone(t *testing.T) {
	c := newCase(t, offensive)
	c.decide(t, moderation.Decision{Outcome: moderation.DecideRemove, Note: "The text insults the owner.",
		UpheldReasons: []moderation.Reason{moderation.ReasonOffensiveOrHarmful}})
	c.must(t, "notify_removed", investigation.Event{Window: c.in.Windows.Appeal})
	statement := one(t, c.Env, reviewerAddress).Msg.(mail.ReviewRemoved)
	c.submit(t, statement.AppealURL, app.LinkSubmission{Text: "I bought the bike there and still have the receipt."})
	for range 2 {
		c.must(t, "confirm_appeal", investigation.Event{})
	}
	got := c.copies(t)
	if len(got) != 1 || got[0].Kind != mail.AnswerAppeal || got[0].Text != "I bought the bike there and still have the receipt." {
		t.Fatalf("copies of the appeal = %+v, want one with the appeal's text", got)
	}

	b := reinstatedThenAppealed(t)
	b.must(t, "confirm_appeal", investigation.Event{})
	if got := b.copies(t); len(got) != 0 {
		t.Errorf("a business's appeal sent the reviewer copies %+v, want none", got)
	}
	if n := len(b.Mail.To(businessAddress)); n != 1 {
		t.Errorf("business got %d emails, want only the reinstatement", n)
	}
}
