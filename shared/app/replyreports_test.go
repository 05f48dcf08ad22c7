package app_test

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/candorhq/candor/shared/app"
	"github.com/candorhq/candor/shared/moderation"
	"github.com/candorhq/candor/shared/webhook"
)

// publishReply publishes text as biz-1's reply to rev-1.
func (f *fixture) publishReply(text string) {
	f.t.Helper()
	if _, _, err := f.app.PutReply(f.ctx, biz, "rev-1", text, ""); err != nil {
		f.t.Fatalf("put reply: %v", err)
	}
}

// replyTickets lists the reply tickets in the queue, any status.
func (f *fixture) replyTickets() []moderation.Ticket {
	f.t.Helper()
	ts, _, err := f.app.ListTickets(f.ctx, "", moderation.TicketKindReply, app.Page{Limit: 100})
	if err != nil {
		f.t.Fatalf("list reply tickets: %v", err)
	}
	return ts
}

// decideReply claims ticket id as ada and decides outcome (upholding
// reasons on a removal).
func (f *fixture) decideReply(id, outcome string, upheld ...moderation.Reason) (moderation.Ticket, error) {
	f.t.Helper()
	if _, err := f.app.Claim(f.ctx, ada, id, nil); err != nil {
		f.t.Fatalf("claim: %v", err)
	}
	t, _, err := f.app.Decide(f.ctx, ada, id, moderation.Decision{Outcome: outcome, Note: "The reply threatens the reviewer.", UpheldReasons: upheld}, nil)
	return t, err
}

func TestReplyReportsJoinOneTicket(t *testing.T) {
	f := replyFixture(t)
	if err := f.app.ReportReplyPublic(f.ctx, "rev-1", app.ReplyReportInput{Reason: "threats_or_aggression"}); moderation.KindOf(err) != moderation.KindNotFound {
		t.Fatalf("a report with no reply to report: %v, want not found", err)
	}
	f.publishReply("Thank you for your visit.")
	if err := f.app.ReportReplyPublic(f.ctx, "rev-1", app.ReplyReportInput{Reason: "threats_or_aggression", Details: "They shout."}); err != nil {
		t.Fatalf("first report: %v", err)
	}
	f.clock.Advance(time.Hour)
	// The business edits its reply meanwhile: the open ticket stays the reply's.
	f.publishReply("Thank you for your visit; we hope to see you again.")
	if err := f.app.ReportReplyPublic(f.ctx, "rev-1", app.ReplyReportInput{Reason: "personal_data"}); err != nil {
		t.Fatalf("second report: %v", err)
	}
	if err := f.app.ReportReplyPublic(f.ctx, "rev-1", app.ReplyReportInput{Reason: "personal_data"}); !moderation.IsCode(err, moderation.CodeReplyAlreadyReported) {
		t.Errorf("the same reason again: %v, want %s", err, moderation.CodeReplyAlreadyReported)
	}
	ts := f.replyTickets()
	if len(ts) != 1 {
		t.Fatalf("%d reply tickets, want the reports joined in 1", len(ts))
	}
	tk := ts[0]
	if tk.Kind != moderation.TicketKindReply || tk.Status != moderation.TicketOpen || tk.Reports != 2 || tk.ReportID != "" ||
		strings.Join([]string{string(tk.ReplyReasons[0]), string(tk.ReplyReasons[1])}, ",") != "threats_or_aggression,personal_data" {
		t.Errorf("ticket = %+v", tk)
	}
	if review, _, err := f.app.ListTickets(f.ctx, "", moderation.TicketKindReview, app.Page{Limit: 100}); err != nil || len(review) != 0 {
		t.Errorf("review tickets = %v, %v; want none", review, err)
	}
	c, err := f.app.Ticket(f.ctx, tk.ID)
	if err != nil {
		t.Fatalf("ticket case: %v", err)
	}
	if len(c.ReplyReports) != 2 || c.ReplyReports[0].Details != "They shout." || c.ReplyReports[0].ReplyRevision != 1 ||
		c.ReplyReports[1].ReplyRevision != 2 || len(c.ReplyVersions) != 2 {
		t.Errorf("case: reports %+v, versions %+v", c.ReplyReports, c.ReplyVersions)
	}
	if _, _, err := f.app.ListTickets(f.ctx, "", "replies", app.Page{}); !moderation.IsCode(err, moderation.CodeValidationFailed) {
		t.Errorf("an unknown kind: %v, want validation_failed", err)
	}
}

func TestRemovingAReportedReply(t *testing.T) {
	f := replyFixture(t)
	f.publishReply("Thank you for your visit.")
	if err := f.app.ReportReplyPublic(f.ctx, "rev-1", app.ReplyReportInput{Reason: "threats_or_aggression"}); err != nil {
		t.Fatalf("report: %v", err)
	}
	id := f.replyTickets()[0].ID
	if _, err := f.decideReply(id, moderation.DecideRemove, "personal_data"); !moderation.IsCode(err, moderation.CodeValidationFailed) {
		t.Fatalf("upholding an unreported reason: %v, want validation_failed", err)
	}
	if got := f.reply(); !got.Exists() {
		t.Fatalf("a refused decision changed the reply: %+v", got)
	}
	tk, err := f.decideReply(id, moderation.DecideRemove, "threats_or_aggression")
	if err != nil {
		t.Fatalf("remove: %v", err)
	}
	if tk.Status != moderation.TicketDecided {
		t.Errorf("ticket = %s, want decided", tk.Status)
	}
	got := f.reply()
	if got.Status != moderation.ReplyRemoved || got.Text != "" || got.Removals != 1 || got.TicketID != "" {
		t.Errorf("reply after removal = %+v", got)
	}
	if vs, err := f.store.ReplyVersions(f.ctx, "rev-1"); err != nil || len(vs) != 1 || vs[0].Text != "Thank you for your visit." {
		t.Errorf("versions after removal = %+v, %v; want the text kept", vs, err)
	}
	evs, err := f.store.PendingEvents(f.ctx, 100)
	if err != nil {
		t.Fatal(err)
	}
	removedBy := ""
	for _, e := range evs {
		if e.Type == webhook.TypeReplyRemoved {
			removedBy = e.Payload
		}
	}
	if !strings.Contains(removedBy, `"removedBy":"compliance"`) {
		t.Errorf("reply.removed = %q, want removedBy compliance", removedBy)
	}
	if ws, ok := f.starts.last(app.MachineReply); !ok || !strings.HasPrefix(ws.Name, "replydecision-") || !strings.Contains(ws.Input, `"ticketId":"`+id+`"`) {
		t.Errorf("the business is not told: last reply start %+v", ws)
	}
	br, err := f.app.BusinessReporting(f.ctx, "biz-1")
	if err != nil {
		t.Fatal(err)
	}
	if br.Signals.RepliesRemoved != 1 || br.Signals.ReplyRemovals.Flagged {
		t.Errorf("signals: %d replies removed (flagged %v), want 1, not flagged", br.Signals.RepliesRemoved, br.Signals.ReplyRemovals.Flagged)
	}
	if _, _, err := f.app.Decide(f.ctx, ada, id, moderation.Decision{Outcome: moderation.DecideKeep, Note: "Changed my mind here."}, nil); !moderation.IsCode(err, moderation.CodeTicketNotInProgress) {
		t.Errorf("a second decision: %v, want ticket_not_in_progress", err)
	}
}

func TestKeepingAReportedReply(t *testing.T) {
	f := replyFixture(t)
	f.publishReply("Thank you for your visit.")
	if err := f.app.ReportReplyPublic(f.ctx, "rev-1", app.ReplyReportInput{Reason: "edit_request"}); err != nil {
		t.Fatalf("report: %v", err)
	}
	starts := len(f.starts.list)
	if _, err := f.decideReply(f.replyTickets()[0].ID, moderation.DecideKeep); err != nil {
		t.Fatalf("keep: %v", err)
	}
	if got := f.reply(); !got.Exists() || got.Text != "Thank you for your visit." || got.TicketID != "" {
		t.Errorf("reply after keep = %+v", got)
	}
	if len(f.starts.list) != starts {
		t.Errorf("a keep on public reports started %v; no one is to be told", f.starts.list[starts:])
	}
	if err := f.app.ReportReplyPublic(f.ctx, "rev-1", app.ReplyReportInput{Reason: "edit_request"}); !moderation.IsCode(err, moderation.CodeReplyAlreadyReported) {
		t.Errorf("reporting the kept text for the same reason: %v, want %s", err, moderation.CodeReplyAlreadyReported)
	}
	if err := f.app.ReportReplyPublic(f.ctx, "rev-1", app.ReplyReportInput{Reason: "threats_or_aggression"}); err != nil {
		t.Fatalf("another reason on the kept text: %v", err)
	}
	if ts := f.replyTickets(); len(ts) != 2 || ts[1].Status != moderation.TicketOpen {
		t.Errorf("after a keep a new report opens a new ticket: %+v", ts)
	}
}

func TestRepeatedReplyRemovalsProposeAWarning(t *testing.T) {
	f := replyFixture(t)
	for i := range moderation.WarnAfterReplyRemovals {
		f.publishReply("Thank you for your visit.")
		if err := f.app.ReportReplyPublic(f.ctx, "rev-1", app.ReplyReportInput{Reason: "threats_or_aggression"}); err != nil {
			t.Fatalf("report %d: %v", i, err)
		}
		br, err := f.app.BusinessReporting(f.ctx, "biz-1")
		if err != nil {
			t.Fatal(err)
		}
		if br.Proposal != nil {
			t.Fatalf("after %d removals a warning is proposed: %+v", i, br.Proposal)
		}
		ts := f.replyTickets()
		if _, err := f.decideReply(ts[len(ts)-1].ID, moderation.DecideRemove, "threats_or_aggression"); err != nil {
			t.Fatalf("remove %d: %v", i, err)
		}
		f.clock.Advance(24 * time.Hour)
	}
	br, err := f.app.BusinessReporting(f.ctx, "biz-1")
	if err != nil {
		t.Fatal(err)
	}
	if br.Proposal == nil || br.Proposal.Basis != moderation.MisuseBasisReplies || br.Proposal.RepliesRemoved != moderation.WarnAfterReplyRemovals {
		t.Errorf("proposal = %+v, want a warning on reply removals", br.Proposal)
	}
	if !br.Signals.ReplyRemovals.Flagged {
		t.Errorf("signal replyRemovals = %+v, want flagged", br.Signals.ReplyRemovals)
	}
}

// TestConcurrentReplyReportsJoinOneTicket: reports that arrive at once, one
// per reason and each twice, make one ticket holding one report per reason;
// the repeats are refused.
func TestConcurrentReplyReportsJoinOneTicket(t *testing.T) {
	f := replyFixture(t)
	f.publishReply("Thank you for your visit.")
	reasons := []string{"personal_data", "threats_or_aggression", "edit_request"}
	errs := make(chan error, 2*len(reasons))
	var wg sync.WaitGroup
	for _, r := range append(append([]string{}, reasons...), reasons...) {
		wg.Go(func() { errs <- f.app.ReportReplyPublic(f.ctx, "rev-1", app.ReplyReportInput{Reason: r}) })
	}
	wg.Wait()
	close(errs)
	accepted, refused := 0, 0
	for err := range errs {
		switch {
		case err == nil:
			accepted++
		case moderation.IsCode(err, moderation.CodeReplyAlreadyReported):
			refused++
		default:
			t.Errorf("report: %v", err)
		}
	}
	ts := f.replyTickets()
	if len(ts) != 1 || ts[0].Reports != accepted || len(ts[0].ReplyReasons) != len(reasons) {
		t.Fatalf("tickets = %+v after %d accepted reports, want one ticket with every reason", ts, accepted)
	}
	if accepted != len(reasons) || refused != len(reasons) {
		t.Errorf("%d accepted, %d refused; want %d each", accepted, refused, len(reasons))
	}
}
