package mail

import (
	"github.com/candorhq/candor/shared/moderation"
)

// This file lays out each email: which texts of the catalogue, in which
// order, around the message's own texts and links. The layouts (layout.go,
// layout.templ) and the catalogues do the rest.

func (m FindReviewerRequest) build(b *builder) {
	biz := b.line("business name", m.BusinessName, true)
	title := b.line("review title", m.ReviewTitle, false)
	message := b.text("message", m.Message, true)
	url := b.link("reply URL", m.ReplyURL)
	deadline := b.when("deadline", m.Deadline)

	t := &b.t.FindReviewerRequest
	b.subject(t.Subject(biz))
	b.para(t.Intro(biz, title))
	b.quote(message)
	b.para(t.Ask(biz, deadline))
	b.button(t.Button(biz), url)
	b.para(b.t.PrivacyReviewer(biz))
	b.para(t.Online)
	b.close(b.t.SignoffTeam, b.t.FooterReviewer, b.t.FooterPersonal)
}

func (m FindReviewerReminder) build(b *builder) {
	biz := b.line("business name", m.BusinessName, true)
	title := b.line("review title", m.ReviewTitle, false)
	message := b.text("message", m.Message, true)
	url := b.link("reply URL", m.ReplyURL)
	deadline := b.when("deadline", m.Deadline)

	t := &b.t.FindReviewerReminder
	if m.Manual {
		b.subject(t.SubjectManual(biz))
		b.para(t.IntroManual(biz, title))
	} else {
		b.subject(t.SubjectAuto(biz))
		b.para(t.IntroAuto(biz, title))
	}
	b.quote(message)
	b.para(t.Ask(deadline))
	b.button(b.t.FindReviewerRequest.Button(biz), url)
	b.para(b.t.PrivacyReviewer(biz))
	b.close(b.t.SignoffTeam, b.t.FooterReviewer, b.t.FooterPersonal)
}

func (m ReviewReported) build(b *builder) {
	biz := b.line("business name", m.BusinessName, true)
	title := b.line("review title", m.ReviewTitle, false)
	statement := b.text("public statement", m.PublicStatement, true)

	t := &b.t.ReviewReported
	b.subject(t.Subject(biz))
	b.para(t.Intro(biz, title))
	if m.Hidden {
		b.para(t.Hidden)
	} else {
		b.para(t.Visible)
	}
	b.quote(statement)
	b.para(t.Next)
	b.close(b.t.SignoffIntegrity, b.t.FooterReviewer)
}

func (m ProofRequest) build(b *builder) {
	biz := b.line("business name", m.BusinessName, true)
	title := b.line("review title", m.ReviewTitle, false)
	url := b.link("reply URL", m.ReplyURL)
	deadline := b.when("deadline", m.Deadline)

	t := &b.t.ProofRequest
	b.subject(t.Subject(biz))
	b.para(t.Intro(biz, title))
	b.para(t.Why)
	b.para(t.Ask(biz, deadline))
	b.button(t.Button, url)
	b.para(t.Absent)
	b.close(b.t.SignoffIntegrity, b.t.FooterReviewer, b.t.FooterPersonal)
}

func (m ComplianceRequest) build(b *builder) {
	var t *complianceKindTexts
	switch m.Kind {
	case KindEvidence:
		t = &b.t.ComplianceRequest.Evidence
	case KindEdit:
		t = &b.t.ComplianceRequest.Edit
	default:
		b.invalid("kind is not evidence or edit")
	}
	biz := b.line("business name", m.BusinessName, true)
	title := b.line("review title", m.ReviewTitle, false)
	message := b.text("message", m.Message, true)
	url := b.link("reply URL", m.ReplyURL)
	deadline := b.when("deadline", m.Deadline)
	if t == nil {
		return
	}

	b.subject(t.Subject(biz))
	b.para(t.Intro(biz, title))
	b.quote(message)
	b.para(t.Ask(deadline))
	b.button(t.Button, url)
	b.para(b.t.ComplianceRequest.Absent)
	b.close(b.t.SignoffIntegrity, b.t.FooterReviewer, b.t.FooterPersonal)
}

func (m ReviewRemoved) build(b *builder) {
	biz := b.line("business name", m.BusinessName, true)
	title := b.line("review title", m.ReviewTitle, false)
	facts := b.text("statement of facts", m.Facts, m.Ground == moderation.GroundAgentDecision)
	url := b.link("appeal URL", m.AppealURL)
	decided := b.when("decision time", m.DecidedAt)
	if m.Ground != moderation.GroundAgentDecision && m.Ground != moderation.GroundNoProofProvided {
		b.invalid("ground is not agent_decision or no_proof_provided")
	}
	reasons := b.reasons(m.Reasons)
	if len(b.problems) > 0 {
		return
	}

	t := &b.t.ReviewRemoved
	b.subject(t.Subject(biz))
	b.para(t.Intro(biz, title))
	b.heading(t.WhyHeading)
	b.para(t.WhyText(len(reasons)))
	b.list(reasons)
	b.heading(t.FactsHeading)
	if m.Ground == moderation.GroundAgentDecision || facts != "" {
		b.quote(facts)
	} else {
		b.para(t.FactsNoProof(biz))
	}
	b.heading(t.WhoHeading)
	if m.Ground == moderation.GroundAgentDecision {
		b.para(t.WhoAgent(decided))
	} else {
		b.para(t.WhoNoProof(decided))
	}
	b.heading(t.AppealHeading)
	b.para(t.AppealText)
	b.button(t.AppealButton, url)
	b.close(b.t.SignoffIntegrity, b.t.FooterReviewer, b.t.FooterPersonal)
}

// reasons returns the named reasons of a statement of reasons, each once, in
// the order given, recording a problem if there are none or one is unknown.
func (b *builder) reasons(codes []moderation.Reason) []item {
	if len(codes) == 0 {
		b.invalid("reasons are missing")
		return nil
	}
	var out []item
	seen := make(map[moderation.Reason]bool, len(codes))
	for _, r := range codes {
		rt, ok := b.t.Reasons.of(r)
		if !ok {
			b.invalid("a reason is not a known reason code")
			return nil
		}
		if seen[r] {
			continue
		}
		seen[r] = true
		out = append(out, item{Name: rt.Name, Detail: rt.Meaning})
	}
	return out
}

func (m ReviewerReplied) build(b *builder) {
	biz := b.line("business name", m.BusinessName, true)
	title := b.line("review title", m.ReviewTitle, false)
	url := b.link("request URL", m.RequestURL)

	t := &b.t.ReviewerReplied
	b.subject(biz + ": " + t.Subject)
	b.para(b.t.ForBusiness(biz))
	b.para(t.Intro(title))
	b.para(t.Read)
	b.button(t.Button, url)
	b.para(t.Advice)
	b.close(b.t.SignoffTeam, b.t.FooterBusiness)
}

func (m RequestExpired) build(b *builder) {
	biz := b.line("business name", m.BusinessName, true)
	title := b.line("review title", m.ReviewTitle, false)
	url := b.link("request URL", m.RequestURL)

	t := &b.t.RequestExpired
	b.subject(biz + ": " + t.Subject)
	b.para(b.t.ForBusiness(biz))
	b.para(t.Intro(title))
	if m.CanRemind {
		b.para(t.RemindYes)
	} else {
		b.para(t.RemindNo)
	}
	b.para(t.Options)
	b.button(t.Button, url)
	b.close(b.t.SignoffTeam, b.t.FooterBusiness)
}

func (m ReviewReinstated) build(b *builder) {
	biz := b.line("business name", m.BusinessName, true)
	title := b.line("review title", m.ReviewTitle, false)
	url := b.link("report URL", m.ReportURL)

	t := &b.t.ReviewReinstated
	b.subject(biz + ": " + t.Subject)
	b.para(b.t.ForBusiness(biz))
	b.para(t.Intro(title))
	b.para(t.Neutral)
	b.button(t.Button, url)
	b.close(b.t.SignoffIntegrity, b.t.FooterBusiness)
}
