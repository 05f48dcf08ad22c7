package mail

import "time"

// The kinds of [AnswerReceived]: what the reviewer sent through their link.
const (
	AnswerReply    = "reply"    // a reply to a business's Find Reviewer request
	AnswerProof    = "proof"    // proof of the experience the business doubted
	AnswerEvidence = "evidence" // the information the compliance team asked for
	AnswerEdit     = "edit"     // the edit of the review the compliance team asked for
	AnswerAppeal   = "appeal"   // an appeal against the removal of the review
)

// AnswerReceived goes to the reviewer once they sent an answer through a
// link of one of their emails: a copy of what they sent (for an edit, the
// review as it now reads), when it was received, and what happens next. It
// is a transactional email: it goes whatever the reviewer's choice about
// other emails (stopping the reply emails does not stop it).
type AnswerReceived struct {
	Kind         string // AnswerReply, AnswerProof, AnswerEvidence, AnswerEdit or AnswerAppeal
	BusinessName string
	ReviewTitle  string    // may be ""; for an edit, the title as edited
	Text         string    // what the reviewer sent, shown as text; for an edit, the review's text as edited
	ReceivedAt   time.Time // when the answer was recorded
	TimeZone     string    // IANA zone the reader sees dates in; empty: the language's usual zone
}

// Name returns "answer_received".
func (AnswerReceived) Name() string { return "answer_received" }

// answerReceivedTexts are the texts of [AnswerReceived]: a subject and an
// introduction per kind, what happens next, and why the copy is sent.
type answerReceivedTexts struct {
	SubjectReply    func(business string) string
	SubjectProof    func(business string) string
	SubjectEvidence func(business string) string
	SubjectEdit     func(business string) string
	SubjectAppeal   func(business string) string
	IntroReply      func(platform, business, title, receivedAt string) string
	IntroProof      func(business, title, receivedAt string) string
	IntroEvidence   func(platform, business, title, receivedAt string) string
	IntroEdit       func(business, title, receivedAt string) string
	IntroAppeal     func(business, title, receivedAt string) string
	NextReply       func(business string) string // the business reads the reply
	NextReport      string                       // the compliance team decides with it, and emails the decision
	NextAppeal      func(platform string) string // a person not involved in the removal decides, and emails the outcome
	Copy            string                       // a copy to keep, sent whatever the reviewer's email choices
}

func (m AnswerReceived) build(b *builder) {
	b.in(m.TimeZone)
	biz := b.line("business name", m.BusinessName, true)
	title := b.line("review title", m.ReviewTitle, false)
	text := b.text("text", m.Text, true)
	at := b.when("time received", m.ReceivedAt)
	t := &b.t.AnswerReceived
	var subject, intro, next string
	switch m.Kind {
	case AnswerReply:
		subject, intro, next = t.SubjectReply(biz), t.IntroReply(b.p, biz, title, at), t.NextReply(biz)
	case AnswerProof:
		subject, intro, next = t.SubjectProof(biz), t.IntroProof(biz, title, at), t.NextReport
	case AnswerEvidence:
		subject, intro, next = t.SubjectEvidence(biz), t.IntroEvidence(b.p, biz, title, at), t.NextReport
	case AnswerEdit:
		subject, intro, next = t.SubjectEdit(biz), t.IntroEdit(biz, title, at), t.NextReport
	case AnswerAppeal:
		subject, intro, next = t.SubjectAppeal(biz), t.IntroAppeal(biz, title, at), t.NextAppeal(b.p)
	default:
		b.invalid("kind is not reply, proof, evidence, edit or appeal")
	}
	if len(b.problems) > 0 {
		return
	}
	b.subject(subject)
	b.para(intro)
	b.quote(text)
	b.para(next)
	if m.Kind == AnswerReply {
		b.para(b.t.PrivacyReviewer(biz))
	}
	b.para(t.Copy)
	signoff := b.t.SignoffIntegrity
	if m.Kind == AnswerReply {
		signoff = b.t.SignoffTeam
	}
	b.close(signoff, b.t.FooterReviewer(b.p))
}
