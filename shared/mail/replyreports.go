package mail

import (
	"time"

	"github.com/candorhq/candor/shared/moderation"
)

// ReplyRemoved goes to the business when compliance removed its reply to a
// review after reports: the statement of reasons of the removal (DSA Art.
// 17) — the reply guidelines it broke, the agent's note as the facts, that
// a person decided and when, that the earlier texts are kept for
// compliance, and the out-of-court redress.
type ReplyRemoved struct {
	BusinessName string
	ReviewTitle  string // may be ""
	Reasons      []moderation.ReplyReason
	Facts        string // the agent's note
	DecidedAt    time.Time
	ReviewURL    string // the review in the business's API
}

// Name is "reply_removed".
func (ReplyRemoved) Name() string { return "reply_removed" }

// ReplyReportDecided goes to the reviewer who reported a business's reply
// through the link of the reply email, when compliance decided: the reply
// was removed, or it stays.
type ReplyReportDecided struct {
	BusinessName string
	ReviewTitle  string // may be ""
	Removed      bool
}

// Name is "reply_report_decided".
func (ReplyReportDecided) Name() string { return "reply_report_decided" }

// replyRemovedTexts are the texts of [ReplyRemoved].
type replyRemovedTexts struct {
	Subject      string
	Intro        func(platform, title string) string
	WhyHeading   string
	Why          func(n int) string
	FactsHeading string
	WhoHeading   string
	Who          func(decidedAt string) string
	Kept         string // the earlier texts are kept; a new reply may be published
	Button       string
	Reasons      replyReasonsTexts
}

// replyReasonsTexts name each moderation.ReplyReason.
type replyReasonsTexts struct {
	PersonalData reasonTexts
	Threats      reasonTexts
	EditRequest  reasonTexts
}

func (t replyReasonsTexts) of(r moderation.ReplyReason) (reasonTexts, bool) {
	switch r {
	case moderation.ReplyReasonPersonalData:
		return t.PersonalData, true
	case moderation.ReplyReasonThreats:
		return t.Threats, true
	case moderation.ReplyReasonEditRequest:
		return t.EditRequest, true
	}
	return reasonTexts{}, false
}

// replyReportDecidedTexts are the texts of [ReplyReportDecided].
type replyReportDecidedTexts struct {
	Subject func(business string) string
	Removed func(business, title string) string
	Kept    func(business, title string) string
	Thanks  string
}

func (m ReplyRemoved) build(b *builder) {
	biz := b.line("business name", m.BusinessName, true)
	title := b.line("review title", m.ReviewTitle, false)
	facts := b.text("statement of facts", m.Facts, true)
	decided := b.when("decision time", m.DecidedAt)
	url := b.link("review URL", m.ReviewURL)
	t := &b.t.ReplyRemoved
	if len(m.Reasons) == 0 {
		b.invalid("reasons are missing")
	}
	var reasons []item
	seen := map[moderation.ReplyReason]bool{}
	for _, r := range m.Reasons {
		rt, ok := t.Reasons.of(r)
		if !ok {
			b.invalid("a reason is not a known reply reason code")
			continue
		}
		if !seen[r] {
			seen[r] = true
			reasons = append(reasons, item{Name: rt.Name, Detail: rt.Meaning})
		}
	}
	if len(b.problems) > 0 {
		return
	}
	b.subject(biz + ": " + t.Subject)
	b.para(b.t.ForBusiness(biz))
	b.para(t.Intro(b.p, title))
	b.heading(t.WhyHeading)
	b.para(t.Why(len(reasons)))
	b.list(reasons)
	b.heading(t.FactsHeading)
	b.quote(facts)
	b.heading(t.WhoHeading)
	b.para(t.Who(decided))
	b.para(t.Kept)
	b.outOfCourt()
	b.button(t.Button, url)
	b.close(b.t.SignoffIntegrity, b.t.FooterBusiness(b.p))
}

func (m ReplyReportDecided) build(b *builder) {
	biz := b.line("business name", m.BusinessName, true)
	title := b.line("review title", m.ReviewTitle, false)
	t := &b.t.ReplyReportDecided
	b.subject(t.Subject(biz))
	if m.Removed {
		b.para(t.Removed(biz, title))
	} else {
		b.para(t.Kept(biz, title))
	}
	b.para(t.Thanks)
	b.close(b.t.SignoffIntegrity, b.t.FooterReviewer(b.p))
}
