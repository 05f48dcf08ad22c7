package app

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/candorhq/candor/shared/document"
	"github.com/candorhq/candor/shared/links"
	"github.com/candorhq/candor/shared/moderation"
)

// LinkStore is what the reviewer's links need of the table.
type LinkStore interface {
	GetLink(ctx context.Context, hash string) (Link, error)
	GetRequest(ctx context.Context, id string) (moderation.FindRequest, []moderation.AuditEntry, error)
	GetReview(ctx context.Context, id string) (moderation.Review, error)
	GetBusiness(ctx context.Context, id string) (moderation.Business, error)
	// SubmitReply records a reply once (moderation.ErrChanged when the link
	// was used or a window closed meanwhile).
	SubmitReply(ctx context.Context, sub ReplySubmission) error
	// RequestTaskToken returns the token of the task waiting for the reply ("" if none).
	RequestTaskToken(ctx context.Context, id string) (string, error)
	ReportDetail(ctx context.Context, id string) (ReportDetail, error)
	TicketDetail(ctx context.Context, id string) (moderation.Ticket, []moderation.AuditEntry, moderation.Decision, error)
	// SubmitAnswer records an answer for a report once and puts its ticket
	// back in the queue (moderation.ErrChanged when the link was used or the
	// window closed meanwhile).
	SubmitAnswer(ctx context.Context, sub AnswerSubmission) error
	// ReportTaskToken returns the token of the task waiting for the reviewer ("" if none).
	ReportTaskToken(ctx context.Context, id string) (string, error)
}

// LinkState says whether a link's form can be sent.
type LinkState int

// The states of a reviewer link's form.
const (
	LinkOpen    LinkState = iota // the form can be sent
	LinkUsed                     // the one submission was made
	LinkExpired                  // the window closed, or the link no longer applies
)

// Errors of a link's submission, as the reviewer page tells them apart.
var (
	// ErrLinkUsed: the link's one submission was made already.
	ErrLinkUsed = moderation.Gone(moderation.CodeAlreadyAnswered, "this link was used already")
	// ErrLinkExpired: the window closed, or what the link answers is over.
	ErrLinkExpired = moderation.Gone(moderation.CodeGone, "this link's window has closed")
)

func linkStateErr(s LinkState) error {
	if s == LinkUsed {
		return ErrLinkUsed
	}
	return ErrLinkExpired
}

// LinkView is what a reviewer's link page shows. It holds no contact data:
// the reviewer's locale only chooses the page's language, and their time
// zone the zone its dates are shown in.
type LinkView struct {
	Purpose      links.Purpose
	State        LinkState
	Locale       string
	BusinessName string
	Message      string // the business's or compliance's message, where the purpose has one
	ReviewTitle  string
	ReviewText   string
	ReviewStars  int
	Deadline     time.Time
	TimeZone     string // the reviewer's IANA zone as the platform gave it, "" for the locale's usual one
	// Removal is, for an appeal link, what the statement of reasons said:
	// nil for every other purpose.
	Removal *LinkRemoval
	// TakesDocuments says whether the answer may carry documents (proof,
	// evidence, appeal); Documents are those attached through this link
	// and not yet sent, oldest first; Draft is the text saved before an
	// upload.
	TakesDocuments bool
	Documents      []document.Document
	Draft          string
}

// LinkRemoval is the statement of reasons an appeal page repeats: the
// reasons the removal upholds and the facts relied on.
type LinkRemoval struct {
	Reasons []moderation.Reason
	Facts   string // "" for a removal for want of proof
	NoProof bool   // removed because no proof came in time
}

// LinkSubmission is what the reviewer's form sends.
type LinkSubmission struct {
	Text  string // reply, proof, evidence or appeal
	Title string // edit: the new title
	Body  string // edit: the new text
	Stars int    // edit: the new stars (0 keeps them)
	// Reason is a reply report's reason (report_reply only; Text is then
	// its optional details).
	Reason string
}

// link finds a link by its token's hash.
func (a *App) link(ctx context.Context, hash string) (Link, error) {
	l, err := a.store.GetLink(ctx, hash)
	if err != nil {
		return l, fmt.Errorf("reviewer link: %w", err)
	}
	return l, nil
}

// requestState says whether a Find Reviewer link's form is open.
func requestState(l Link, r moderation.FindRequest, now time.Time) LinkState {
	switch {
	case !l.UsedAt.IsZero() || r.Status == moderation.RequestReplied:
		return LinkUsed
	case r.Status != moderation.RequestAwaitingReply, r.Round != l.Round, !now.Before(l.Deadline), !now.Before(r.Deadline):
		return LinkExpired
	}
	return LinkOpen
}

// ViewLink returns what a reviewer's link shows.
func (a *App) ViewLink(ctx context.Context, hash string) (LinkView, error) {
	l, err := a.link(ctx, hash)
	if err != nil {
		return LinkView{}, err
	}
	if isReplyReportLink(l) {
		return a.viewReplyReportLink(ctx, l)
	}
	if l.Purpose == links.PurposeFindReviewerReply {
		r, _, err := a.store.GetRequest(ctx, l.ObjectID)
		if err != nil {
			return LinkView{}, fmt.Errorf("reviewer view: %w", err)
		}
		rev, err := a.store.GetReview(ctx, r.ReviewID)
		if err != nil {
			return LinkView{}, fmt.Errorf("reviewer view: %w", err)
		}
		biz, err := a.store.GetBusiness(ctx, r.BusinessID)
		if err != nil {
			return LinkView{}, fmt.Errorf("reviewer view: %w", err)
		}
		return LinkView{Purpose: l.Purpose, State: requestState(l, r, a.clock.Now()), Locale: rev.Reviewer.Locale,
			BusinessName: biz.Name, Message: r.Message, ReviewTitle: rev.Title, ReviewText: rev.Text, ReviewStars: rev.Stars,
			Deadline: l.Deadline, TimeZone: rev.Reviewer.TimeZone}, nil
	}
	rc, err := a.reportCase(ctx, l)
	if err != nil {
		return LinkView{}, err
	}
	v := LinkView{Purpose: l.Purpose, State: rc.state(l, a.clock.Now()), Locale: rc.review.Reviewer.Locale,
		BusinessName: rc.business.Name, ReviewTitle: rc.review.Title, ReviewText: rc.review.Text, ReviewStars: rc.review.Stars, Deadline: l.Deadline,
		TimeZone: rc.review.Reviewer.TimeZone}
	if a.bucket != nil && document.TakesDocuments(string(l.Purpose)) {
		v.TakesDocuments, v.Draft = true, l.Draft
		for _, d := range sendable(rc.Documents, l.Hash) {
			v.Documents = append(v.Documents, d.Document)
		}
	}
	switch l.Purpose {
	case links.PurposeEvidence, links.PurposeEdit:
		v.Message = rc.decision.Message
	case links.PurposeAppeal:
		v.Removal = removalOf(rc.Report, rc.decision)
	}
	return v, nil
}

// removalOf is the statement of reasons of r's removal as its email gave
// it (the removal task's statement): the reasons upheld (all reported ones
// for a removal recorded before reasons were upheld) and the decision's
// facts, none for a removal for want of proof.
func removalOf(r moderation.Report, d moderation.Decision) *LinkRemoval {
	rm := &LinkRemoval{Reasons: r.UpheldReasons, Facts: d.Note, NoProof: r.Ground == moderation.GroundNoProofProvided}
	if len(rm.Reasons) == 0 {
		rm.Reasons = r.Reasons()
	}
	if rm.NoProof {
		rm.Facts = ""
	}
	return rm
}

// SubmitLink records the reviewer's submission through a link exactly once
// and wakes the waiting workflow. Invalid input is a KindInvalid error with
// the form's field names; ErrLinkUsed and ErrLinkExpired say why nothing
// can be sent any more.
func (a *App) SubmitLink(ctx context.Context, hash string, s LinkSubmission) error {
	l, err := a.link(ctx, hash)
	if err != nil {
		return err
	}
	s.Text = moderation.CleanText(s.Text)
	if isReplyReportLink(l) {
		return a.submitReplyReport(ctx, hash, l, s)
	}
	if l.Purpose != links.PurposeFindReviewerReply {
		return a.submitForReport(ctx, l, s)
	}
	if err := moderation.ValidateReply(s.Text); err != nil {
		return err
	}
	r, _, err := a.store.GetRequest(ctx, l.ObjectID)
	if err != nil {
		return fmt.Errorf("reviewer submit: %w", err)
	}
	now := a.clock.Now()
	if st := requestState(l, r, now); st != LinkOpen {
		if st == LinkUsed { // perhaps the reviewer's resend after a 5xx: wake again what the first may not have
			a.wake(ctx, "reply (again)", WakeRequest, r.ID, func(ctx context.Context) (string, error) { return a.store.RequestTaskToken(ctx, r.ID) },
				map[string]string{"outcome": "replied"})
		}
		return linkStateErr(st)
	}
	err = a.store.SubmitReply(ctx, ReplySubmission{TokenHash: hash, Request: r, Reply: s.Text, At: now})
	if errors.Is(err, moderation.ErrChanged) {
		// Lost a race (a second submission, or the window closing): say which.
		if l2, lerr := a.store.GetLink(ctx, hash); lerr == nil {
			if r2, _, rerr := a.store.GetRequest(ctx, l.ObjectID); rerr == nil {
				if st := requestState(l2, r2, now); st != LinkOpen {
					return linkStateErr(st)
				}
			}
		}
		// Still open, or unreadable: nothing says the link was used; the
		// reviewer sends again (the page keeps the text).
		return fmt.Errorf("reviewer submit: %w", err)
	}
	if err != nil {
		return fmt.Errorf("reviewer submit: %w", err)
	}
	a.wake(ctx, "reply", WakeRequest, r.ID, func(ctx context.Context) (string, error) { return a.store.RequestTaskToken(ctx, r.ID) },
		map[string]string{"outcome": "replied"})
	return nil
}

// reportCase is what a report link's page and submission need.
type reportCase struct {
	ReportDetail
	ticket   moderation.Ticket
	decision moderation.Decision
	review   moderation.Review
	business moderation.Business
}

func (a *App) reportCase(ctx context.Context, l Link) (reportCase, error) {
	var rc reportCase
	var err error
	if rc.ReportDetail, err = a.store.ReportDetail(ctx, l.ObjectID); err != nil {
		return rc, fmt.Errorf("reviewer page: %w", err)
	}
	if rc.ticket, _, rc.decision, err = a.store.TicketDetail(ctx, rc.Report.TicketID); err != nil {
		return rc, fmt.Errorf("reviewer page: %w", err)
	}
	if rc.review, err = a.store.GetReview(ctx, rc.Report.ReviewID); err != nil {
		return rc, fmt.Errorf("reviewer page: %w", err)
	}
	if rc.business, err = a.store.GetBusiness(ctx, rc.Report.BusinessID); err != nil {
		return rc, fmt.Errorf("reviewer page: %w", err)
	}
	return rc, nil
}

// state says whether a report link's form is open: the report must still
// wait for exactly this answer, within the link's window.
func (rc reportCase) state(l Link, now time.Time) LinkState {
	if !l.UsedAt.IsZero() {
		return LinkUsed
	}
	if !now.Before(l.Deadline) {
		return LinkExpired
	}
	r := rc.Report
	switch l.Purpose {
	case links.PurposeProof:
		if r.Status == moderation.ReportAwaitingProof {
			return LinkOpen
		}
		if r.Status != moderation.ReportClosed && rc.Answered("proof", 0) {
			return LinkUsed
		}
	case links.PurposeEvidence, links.PurposeEdit:
		if r.Status == moderation.ReportAwaitingReviewer && rc.Round == l.Round {
			return LinkOpen
		}
		if rc.Answered(string(l.Purpose), l.Round) {
			return LinkUsed
		}
	case links.PurposeAppeal:
		if r.Status == moderation.ReportClosed && r.Outcome == moderation.OutcomeRemoved {
			if r.AppealStatus != "" {
				return LinkUsed
			}
			return LinkOpen
		}
	}
	return LinkExpired
}

// submitForReport records proof, evidence, an edit or an appeal once.
func (a *App) submitForReport(ctx context.Context, l Link, s LinkSubmission) error {
	rc, err := a.reportCase(ctx, l)
	if err != nil {
		return err
	}
	now := a.clock.Now()
	if st := rc.state(l, now); st != LinkOpen {
		if st == LinkUsed { // perhaps the reviewer's resend after a 5xx: wake again what the first may not have
			a.rewakeAnswer(ctx, l, rc)
		}
		return linkStateErr(st)
	}
	var sub AnswerSubmission
	switch l.Purpose {
	case links.PurposeAppeal:
		text := moderation.CleanText(s.Text)
		if err := moderation.ValidateAnswer(text); err != nil {
			return err
		}
		_, err := a.fileAppeal(ctx, rc.ReportDetail, moderation.PartyReviewer, text, l.Hash, "reviewer", nil)
		switch {
		case moderation.IsCode(err, moderation.CodeAppealExists):
			return ErrLinkUsed
		case moderation.KindOf(err) == moderation.KindGone, moderation.IsCode(err, moderation.CodeAppealNotAllowed):
			return ErrLinkExpired
		}
		return err
	case links.PurposeEdit:
		next, ver, err := moderation.ApplyReviewerEdit(rc.review, moderation.EditInput{Title: s.Title, Text: s.Body, Stars: s.Stars}, now)
		if err != nil {
			return err
		}
		sub = AnswerSubmission{Answer: Answer{Kind: "edit", Round: l.Round, NewVersion: next.Version, At: now},
			Edit: &next, EditVersion: &ver, PrevVersion: rc.review.Version}
	default: // proof, evidence
		if err := moderation.ValidateAnswer(s.Text); err != nil {
			return err
		}
		sub = AnswerSubmission{Answer: Answer{Kind: string(l.Purpose), Round: l.Round, Text: s.Text, At: now},
			Documents: sendable(rc.Documents, l.Hash)}
	}
	sub.TokenHash, sub.Report, sub.Ticket, sub.Round = l.Hash, rc.Report, rc.ticket, l.Round
	sub.Marker = moderation.AnswerMarker(sub.Answer.Kind)
	err = a.store.SubmitAnswer(ctx, sub)
	if errors.Is(err, moderation.ErrChanged) {
		if l2, lerr := a.store.GetLink(ctx, l.Hash); lerr == nil {
			if rc2, rerr := a.reportCase(ctx, l2); rerr == nil {
				if st := rc2.state(l2, now); st != LinkOpen {
					return linkStateErr(st)
				}
			}
		}
		// Still open, or unreadable: nothing says the link was used; the
		// reviewer sends again (the page keeps the text).
		return fmt.Errorf("reviewer submit: %w", err)
	}
	if err != nil {
		return fmt.Errorf("reviewer submit: %w", err)
	}
	a.wake(ctx, "answer", WakeReport, rc.Report.ID, func(ctx context.Context) (string, error) { return a.store.ReportTaskToken(ctx, rc.Report.ID) },
		map[string]string{"answer": string(l.Purpose)})
	return nil
}

// rewakeAnswer answers the task waiting for what link l sent, again (a
// closed task is not woken, so waking twice is harmless); for an appeal
// link it starts the appeal's workflow again (a start is idempotent).
func (a *App) rewakeAnswer(ctx context.Context, l Link, rc reportCase) {
	id := rc.Report.ID
	if l.Purpose == links.PurposeAppeal {
		a.restartAppeal(ctx, rc.Report)
		return
	}
	a.wake(ctx, "answer (again)", WakeReport, id, func(ctx context.Context) (string, error) { return a.store.ReportTaskToken(ctx, id) },
		map[string]string{"answer": string(l.Purpose)})
}
