package investigation_test

import (
	"context"
	"errors"
	"path"
	"testing"

	"github.com/candorhq/candor/shared/app"
	"github.com/candorhq/candor/shared/investigation"
	"github.com/candorhq/candor/shared/links"
	"github.com/candorhq/candor/shared/mail"
	"github.com/candorhq/candor/shared/moderation"
	"github.com/candorhq/candor/shared/workflow"
	"github.com/candorhq/candor/shared/workflow/tasktest"
)

// The appeal's tasks: the appeal is filed through the use cases (the
// business's through the API, the reviewer's through the link of their
// statement of reasons) and decided by a second agent.

var secondAgent = app.Actor{Subject: "agent-2", Role: app.RoleCompliance}

// decideAppeal claims the report's appeal as a second agent and records d,
// after the queue task kept its token: the decision answers it.
func (c *investigationCase) decideAppeal(t *testing.T, d moderation.AppealDecision) {
	t.Helper()
	ctx := context.Background()
	c.must(t, "enqueue_appeal", investigation.Event{TaskToken: "tok-appeal-queue"})
	id := moderation.AppealID(c.report.ID)
	if _, err := c.App.ClaimAppeal(ctx, secondAgent, id, nil); err != nil {
		t.Fatalf("claim appeal: %v", err)
	}
	if _, err := c.App.DecideAppeal(ctx, secondAgent, id, d, nil); err != nil {
		t.Fatalf("decide appeal: %v", err)
	}
	if got := c.Waker.Tokens(); len(got) == 0 || got[len(got)-1] != "tok-appeal-queue" {
		t.Errorf("the appeal's decision answered %v, want the appeal queue's token last", got)
	}
}

// reinstatedThenAppealed is a reinstated report whose business appealed.
func reinstatedThenAppealed(t *testing.T) *investigationCase {
	t.Helper()
	c := newCase(t, offensive)
	c.decide(t, moderation.Decision{Outcome: moderation.DecideReinstate, Note: "The review describes a real order."})
	c.must(t, "notify_reinstated", investigation.Event{Window: c.in.Windows.Appeal})
	if _, err := c.App.FileBusinessAppeal(context.Background(), tasktest.BusinessActor("biz-1"), c.report.ID,
		"The review names a product we have never sold.", nil); err != nil {
		t.Fatalf("business appeal: %v", err)
	}
	return c
}

func TestBusinessAppealReversedRemovesTheReview(t *testing.T) {
	c := reinstatedThenAppealed(t)
	c.decideAppeal(t, moderation.AppealDecision{Outcome: moderation.AppealReverse, Note: "The product named was never sold there.",
		UpheldReasons: []moderation.Reason{moderation.ReasonOffensiveOrHarmful}})
	for range 2 {
		c.must(t, "notify_removed", investigation.Event{Window: c.in.Windows.Appeal})
		c.must(t, "notify_appeal_business", investigation.Event{})
	}
	rev := c.Mail.To(reviewerAddress)
	if len(rev) != 2 {
		t.Fatalf("reviewer got %d emails, want the reinstatement and one removal on appeal", len(rev))
	}
	removed, ok := rev[1].Msg.(mail.ReviewRemoved)
	if !ok || rev[1].Rendered.Locale != "sv" || !removed.OnAppeal || removed.AppealURL != "" {
		t.Errorf("reviewer's removal = %s %+v, want review_removed on appeal in sv, with no further appeal", rev[1].Msg.Name(), removed)
	}
	biz := c.Mail.To(businessAddress)
	if len(biz) != 2 {
		t.Fatalf("business got %d emails, want the reinstatement and one appeal outcome", len(biz))
	}
	decided, ok := biz[1].Msg.(mail.AppealDecided)
	if !ok || biz[1].Rendered.Locale != "de" || !decided.ToAppellant || decided.Facts == "" || decided.ReportURL == "" {
		t.Errorf("business's appeal outcome = %s in %q %+v, want appeal_decided to the appellant in de with the facts", biz[1].Msg.Name(), biz[1].Rendered.Locale, decided)
	}
	if r := c.detail(t).Report; r.Outcome != moderation.OutcomeRemoved {
		t.Errorf("report outcome %s after the reversal, want removed", r.Outcome)
	}
}

func TestBusinessAppealUpheldTellsBothParties(t *testing.T) {
	c := reinstatedThenAppealed(t)
	c.decideAppeal(t, moderation.AppealDecision{Outcome: moderation.AppealUphold, Note: "The order is on record."})
	for range 2 {
		c.must(t, "notify_appeal_upheld", investigation.Event{})
		c.must(t, "notify_appeal_upheld_reviewer", investigation.Event{})
	}
	biz := c.Mail.To(businessAddress)
	if len(biz) != 2 {
		t.Fatalf("business got %d emails, want the reinstatement and one appeal outcome", len(biz))
	}
	if m, ok := biz[1].Msg.(mail.AppealDecided); !ok || biz[1].Rendered.Locale != "de" || !m.ToAppellant {
		t.Errorf("business got %s in %q, want appeal_decided to the appellant in de", biz[1].Msg.Name(), biz[1].Rendered.Locale)
	}
	rev := c.Mail.To(reviewerAddress)
	if len(rev) != 2 {
		t.Fatalf("reviewer got %d emails, want the reinstatement and one appeal outcome", len(rev))
	}
	if m, ok := rev[1].Msg.(mail.AppealDecided); !ok || rev[1].Rendered.Locale != "sv" || m.ToAppellant || m.Facts != "" {
		t.Errorf("reviewer got %s in %q %+v, want appeal_decided to the other party in sv, without the facts", rev[1].Msg.Name(), rev[1].Rendered.Locale, m)
	}
	// The reversal's email to the business does not fit an upheld appeal.
	var perm *workflow.PermanentError
	if _, err := c.run("notify_appeal_business", investigation.Event{}); !errors.As(err, &perm) {
		t.Errorf("notify_appeal_business of an upheld appeal: %v, want a PermanentError", err)
	}
}

// TestReviewerAppealUpheldIsNotToldToTheBusiness: the reviewer appeals a
// removal through the link of their statement of reasons; when the removal
// stands only they are told.
func TestReviewerAppealUpheldIsNotToldToTheBusiness(t *testing.T) {
	c := newCase(t, offensive)
	c.decide(t, moderation.Decision{Outcome: moderation.DecideRemove, Note: "The text insults the owner.",
		UpheldReasons: []moderation.Reason{moderation.ReasonOffensiveOrHarmful}})
	c.must(t, "notify_removed", investigation.Event{Window: c.in.Windows.Appeal})
	statement := one(t, c.Env, reviewerAddress).Msg.(mail.ReviewRemoved)
	hash, ok := links.Hash(path.Base(statement.AppealURL))
	if !ok {
		t.Fatalf("appeal link %q holds no token", statement.AppealURL)
	}
	if err := c.App.SubmitLink(context.Background(), hash, app.LinkSubmission{Text: "I bought the bike there and still have the receipt."}); err != nil {
		t.Fatalf("reviewer appeal: %v", err)
	}
	c.decideAppeal(t, moderation.AppealDecision{Outcome: moderation.AppealUphold, Note: "The wording insults the owner."})
	for range 2 {
		c.must(t, "notify_appeal_upheld", investigation.Event{})
		c.must(t, "notify_appeal_upheld_reviewer", investigation.Event{})
	}
	rev := c.Mail.To(reviewerAddress)
	if len(rev) != 2 {
		t.Fatalf("reviewer got %d emails, want the statement of reasons and one appeal outcome", len(rev))
	}
	if m, ok := rev[1].Msg.(mail.AppealDecided); !ok || rev[1].Rendered.Locale != "sv" || !m.ToAppellant || m.Outcome != "upheld" {
		t.Errorf("reviewer got %s %+v, want appeal_decided upheld to the appellant in sv", rev[1].Msg.Name(), m)
	}
	if n := len(c.Mail.To(businessAddress)); n != 0 {
		t.Errorf("business got %d emails about the reviewer's failed appeal, want none", n)
	}
}
