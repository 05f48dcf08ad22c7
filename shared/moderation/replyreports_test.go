package moderation

import (
	"slices"
	"strings"
	"testing"
	"time"
)

func TestValidateReplyReport(t *testing.T) {
	tests := []struct {
		name, reason, details string
		wantFields            []string
		wantDetails           string
	}{
		{"personal data, no details", "personal_data", "", nil, ""},
		{"threats with details", "threats_or_aggression", "  They threaten me.\r\n", nil, "They threaten me."},
		{"edit request", "edit_request", "", nil, ""},
		{"unknown reason", "spam", "", []string{"reason"}, ""},
		{"no reason", "", "", []string{"reason"}, ""},
		{"details too long", "edit_request", strings.Repeat("a", MaxReplyReportDetails+1), []string{"details"}, ""},
		{"details with a control character", "edit_request", "bad\x07", []string{"details"}, ""},
		{"both wrong", "x", strings.Repeat("a", MaxReplyReportDetails+1), []string{"details", "reason"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, d, err := ValidateReplyReport(tt.reason, tt.details)
			if len(tt.wantFields) == 0 {
				if err != nil {
					t.Fatalf("ValidateReplyReport: %v, want nil", err)
				}
				if string(r) != tt.reason || d != tt.wantDetails {
					t.Errorf("got (%q, %q), want (%q, %q)", r, d, tt.reason, tt.wantDetails)
				}
				return
			}
			e, ok := AsError(err)
			if !ok || e.Kind != KindInvalid {
				t.Fatalf("err = %v, want KindInvalid", err)
			}
			var got []string
			for f := range e.Fields {
				got = append(got, f)
			}
			slices.Sort(got)
			if !slices.Equal(got, tt.wantFields) {
				t.Errorf("fields = %v, want %v", got, tt.wantFields)
			}
		})
	}
}

func TestCanReportReply(t *testing.T) {
	pub := Reply{Status: ReplyPublished, Text: "Thanks", Revision: 1}
	tests := []struct {
		name string
		rev  Review
		ok   bool
	}{
		{"published reply on a published review", Review{Visibility: Published, Reply: pub}, true},
		{"no reply", Review{Visibility: Published}, false},
		{"deleted reply", Review{Visibility: Published, Reply: Reply{Status: ReplyDeleted, Revision: 2}}, false},
		{"removed reply", Review{Visibility: Published, Reply: Reply{Status: ReplyRemoved, Revision: 2}}, false},
		{"review under investigation hides the reply", Review{Visibility: UnderInvestigation, Reply: pub}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CanReportReply(tt.rev)
			if (err == nil) != tt.ok {
				t.Fatalf("CanReportReply = %v, want ok %v", err, tt.ok)
			}
			if err != nil && KindOf(err) != KindNotFound {
				t.Errorf("kind = %v, want not found", KindOf(err))
			}
		})
	}
}

func TestReplyReportSlot(t *testing.T) {
	tests := []struct {
		name string
		r    ReplyReport
		want string
	}{
		{"public, by reason", ReplyReport{Reporter: ReplyReporterPublic, Reason: ReplyReasonThreats}, "public#threats_or_aggression"},
		{"public, another reason is another slot", ReplyReport{Reporter: ReplyReporterPublic, Reason: ReplyReasonPersonalData}, "public#personal_data"},
		{"reviewer, one slot whatever the reason", ReplyReport{Reporter: ReplyReporterReviewer, Reason: ReplyReasonEditRequest}, "reviewer"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ReplyReportSlot(tt.r); got != tt.want {
				t.Errorf("ReplyReportSlot = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestAddReplyReport(t *testing.T) {
	now := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
	first := ReplyReport{ReviewID: "rev_1", BusinessID: "biz_1", Reason: ReplyReasonThreats, Reporter: ReplyReporterPublic}
	t0 := NewReplyTicket("tkt_1", first, now)
	if t0.Kind != TicketKindReply || t0.Status != TicketOpen || t0.Reports != 1 || !t0.QueuedAt.Equal(now) || t0.ReportID != "" {
		t.Fatalf("NewReplyTicket = %+v", t0)
	}
	tests := []struct {
		name         string
		r            ReplyReport
		wantReports  int
		wantReasons  []ReplyReason
		wantReviewer bool
	}{
		{"same reason from the reviewer", ReplyReport{Reason: ReplyReasonThreats, Reporter: ReplyReporterReviewer}, 2, []ReplyReason{ReplyReasonThreats}, true},
		{"another reason", ReplyReport{Reason: ReplyReasonEditRequest, Reporter: ReplyReporterPublic}, 2, []ReplyReason{ReplyReasonThreats, ReplyReasonEditRequest}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := AddReplyReport(t0, tt.r, now.Add(time.Hour))
			if got.Reports != tt.wantReports || !slices.Equal(got.ReplyReasons, tt.wantReasons) || got.ReviewerReported != tt.wantReviewer {
				t.Errorf("AddReplyReport = reports %d reasons %v reviewer %v, want %d %v %v", got.Reports, got.ReplyReasons, got.ReviewerReported,
					tt.wantReports, tt.wantReasons, tt.wantReviewer)
			}
			if !got.QueuedAt.Equal(now) {
				t.Errorf("QueuedAt = %v, want it unchanged (%v): a joining report keeps the ticket's place", got.QueuedAt, now)
			}
			if len(t0.ReplyReasons) != 1 {
				t.Errorf("the ticket given was changed: %v", t0.ReplyReasons)
			}
		})
	}
}

func TestDecideReply(t *testing.T) {
	now := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
	held := Ticket{ID: "tkt_1", Kind: TicketKindReply, Status: TicketInProgress, Assignee: "agent-1"}
	cur := Reply{Status: ReplyPublished, Text: "Call me on ...", Revision: 3, TicketID: "tkt_1", Removals: 1}
	reported := []ReplyReason{ReplyReasonThreats, ReplyReasonPersonalData}
	note := "The reply threatens the reviewer."
	tests := []struct {
		name       string
		t          Ticket
		d          Decision
		reviewer   bool
		wantErr    string // a field, or a code
		wantRemove bool
		wantTell   [2]bool // business, reviewer
	}{
		{"remove upholding a reported reason", held, Decision{Outcome: DecideRemove, Note: note, Agent: "agent-1", UpheldReasons: []Reason{"threats_or_aggression"}}, true, "", true, [2]bool{true, true}},
		{"keep tells only the reviewer who reported", held, Decision{Outcome: DecideKeep, Note: note, Agent: "agent-1"}, true, "", false, [2]bool{false, true}},
		{"keep on public reports tells no one", held, Decision{Outcome: DecideKeep, Note: note, Agent: "agent-1"}, false, "", false, [2]bool{false, false}},
		{"remove without reasons", held, Decision{Outcome: DecideRemove, Note: note, Agent: "agent-1"}, false, "upheldReasons", false, [2]bool{}},
		{"remove upholding an unreported reason", held, Decision{Outcome: DecideRemove, Note: note, Agent: "agent-1", UpheldReasons: []Reason{"edit_request"}}, false, "upheldReasons[0]", false, [2]bool{}},
		{"keep with reasons", held, Decision{Outcome: DecideKeep, Note: note, Agent: "agent-1", UpheldReasons: []Reason{"threats_or_aggression"}}, false, "upheldReasons", false, [2]bool{}},
		{"a review outcome", held, Decision{Outcome: DecideReinstate, Note: note, Agent: "agent-1"}, false, "outcome", false, [2]bool{}},
		{"a reviewer request", held, Decision{Outcome: DecideReviewerAction, Note: note, Agent: "agent-1", Kind: "edit"}, false, "outcome", false, [2]bool{}},
		{"short note", held, Decision{Outcome: DecideKeep, Note: "short", Agent: "agent-1"}, false, "note", false, [2]bool{}},
		{"held by another agent", held, Decision{Outcome: DecideKeep, Note: note, Agent: "agent-2"}, false, CodeTicketNotInProgress, false, [2]bool{}},
		{"not claimed", Ticket{ID: "tkt_1", Kind: TicketKindReply, Status: TicketOpen}, Decision{Outcome: DecideKeep, Note: note, Agent: "agent-1"}, false, CodeTicketNotInProgress, false, [2]bool{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := DecideReply(tt.t, cur, tt.d, reported, tt.reviewer, now)
			if tt.wantErr != "" {
				e, ok := AsError(err)
				if !ok {
					t.Fatalf("err = %v, want %s", err, tt.wantErr)
				}
				if _, isField := e.Fields[tt.wantErr]; !isField && e.Code != tt.wantErr {
					t.Fatalf("err = %v (fields %v), want %s", err, e.Fields, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("DecideReply: %v", err)
			}
			if c.TicketStatus != TicketDecided || c.Remove != tt.wantRemove || c.CountRemoval != tt.wantRemove {
				t.Errorf("consequence = %+v, want decided, remove/count %v", c, tt.wantRemove)
			}
			if [2]bool{c.TellBusiness, c.TellReviewer} != tt.wantTell {
				t.Errorf("told business/reviewer = %v/%v, want %v", c.TellBusiness, c.TellReviewer, tt.wantTell)
			}
			if c.Reply.TicketID != "" {
				t.Errorf("reply still names ticket %q after the decision", c.Reply.TicketID)
			}
			if !tt.wantRemove {
				if c.Reply.Status != ReplyPublished || c.Reply.Text != cur.Text || c.Reply.Revision != cur.Revision || c.Statement != nil {
					t.Errorf("keep changed the reply: %+v, statement %v", c.Reply, c.Statement)
				}
				return
			}
			if c.Reply.Status != ReplyRemoved || c.Reply.Text != "" || c.Reply.Revision != 4 || c.Reply.Removals != 2 {
				t.Errorf("removed reply = %+v, want removed, no text, revision 4, 2 removals", c.Reply)
			}
			st := c.Statement
			if st == nil || st.Facts != note || st.Ground != GroundReplyGuidelines || st.Automated || !st.DecidedAt.Equal(now) ||
				!slices.Equal(st.Reasons, []ReplyReason{ReplyReasonThreats}) {
				t.Errorf("statement = %+v", st)
			}
		})
	}
}

func TestJudgeReplyRemovals(t *testing.T) {
	for _, tt := range []struct {
		removed int
		flagged bool
	}{{0, false}, {2, false}, {FlagReplyRemovals, true}, {10, true}} {
		if got := JudgeReplyRemovals(tt.removed); got.Flagged != tt.flagged || got.Value != float64(tt.removed) {
			t.Errorf("JudgeReplyRemovals(%d) = %+v, want flagged %v", tt.removed, got, tt.flagged)
		}
	}
}

func TestReplyRemovalsWarrantWarning(t *testing.T) {
	now := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
	rule := MisuseRule{MinReports: 10, UnfoundedShare: 0.7, WindowMonths: 12}
	tests := []struct {
		name      string
		months    []MonthCounts
		wantBasis string // "" for no proposal
	}{
		{"no removals", nil, ""},
		{"two removals", []MonthCounts{{Month: "2026-12", RepliesRemoved: 2}}, ""},
		{"three removals over two months", []MonthCounts{{Month: "2026-11", RepliesRemoved: 1}, {Month: "2026-12", RepliesRemoved: 2}}, MisuseBasisReplies},
		{"removals outside the window do not count", []MonthCounts{{Month: "2025-11", RepliesRemoved: 5}, {Month: "2026-12", RepliesRemoved: 1}}, ""},
		{"unfounded reports win the basis", []MonthCounts{{Month: "2026-12", RepliesRemoved: 3,
			ByOutcome: map[Outcome]int{OutcomeReinstated: 10}}}, MisuseBasisUnfounded},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := rule.Evaluate(tt.months, now)
			switch {
			case tt.wantBasis == "" && p != nil:
				t.Errorf("Evaluate = %+v, want no proposal", p)
			case tt.wantBasis != "" && (p == nil || p.Basis != tt.wantBasis):
				t.Errorf("Evaluate = %+v, want basis %s", p, tt.wantBasis)
			}
		})
	}
	for n, want := range map[int]bool{0: false, WarnAfterReplyRemovals - 1: false, WarnAfterReplyRemovals: true} {
		if got := ReplyRemovalsWarrantWarning(n); got != want {
			t.Errorf("ReplyRemovalsWarrantWarning(%d) = %v, want %v", n, got, want)
		}
	}
}
