package mail

import (
	"github.com/candorhq/candor/shared/moderation"
)

// This file lays out each email: which phrases, in which order, around the
// message's own texts and links. The layouts and the catalogues do the rest.

func (m FindReviewerRequest) build(b *builder) {
	b.vars.Business = b.line("business name", m.BusinessName, true)
	b.vars.Title = b.line("review title", m.ReviewTitle, false)
	message := b.freeText("message", m.Message, true)
	url := b.link("reply URL", m.ReplyURL)
	b.vars.Deadline = b.when("deadline", m.Deadline)

	b.subject("find_reviewer_request.subject")
	b.para("find_reviewer_request.intro")
	b.quote(message)
	b.para("find_reviewer_request.ask")
	b.button("find_reviewer_request.button", url)
	b.para("privacy.reviewer")
	b.para("find_reviewer_request.online")
	b.close("signoff.team", "footer.reviewer", "footer.personal")
}

func (m FindReviewerReminder) build(b *builder) {
	b.vars.Business = b.line("business name", m.BusinessName, true)
	b.vars.Title = b.line("review title", m.ReviewTitle, false)
	message := b.freeText("message", m.Message, true)
	url := b.link("reply URL", m.ReplyURL)
	b.vars.Deadline = b.when("deadline", m.Deadline)

	variant := "auto"
	if m.Manual {
		variant = "manual"
	}
	b.subject("find_reviewer_reminder.subject." + variant)
	b.para("find_reviewer_reminder.intro." + variant)
	b.quote(message)
	b.para("find_reviewer_reminder.ask")
	b.button("find_reviewer_request.button", url)
	b.para("privacy.reviewer")
	b.close("signoff.team", "footer.reviewer", "footer.personal")
}

func (m ReviewReported) build(b *builder) {
	b.vars.Business = b.line("business name", m.BusinessName, true)
	b.vars.Title = b.line("review title", m.ReviewTitle, false)
	statement := b.freeText("public statement", m.PublicStatement, true)

	b.subject("review_reported.subject")
	b.para("review_reported.intro")
	if m.Hidden {
		b.para("review_reported.hidden")
	} else {
		b.para("review_reported.visible")
	}
	b.quote(statement)
	b.para("review_reported.next")
	b.close("signoff.integrity", "footer.reviewer")
}

func (m ProofRequest) build(b *builder) {
	b.vars.Business = b.line("business name", m.BusinessName, true)
	b.vars.Title = b.line("review title", m.ReviewTitle, false)
	url := b.link("reply URL", m.ReplyURL)
	b.vars.Deadline = b.when("deadline", m.Deadline)

	b.subject("proof_request.subject")
	b.para("proof_request.intro")
	b.para("proof_request.why")
	b.para("proof_request.ask")
	b.button("proof_request.button", url)
	b.para("proof_request.absent")
	b.close("signoff.integrity", "footer.reviewer", "footer.personal")
}

func (m ComplianceRequest) build(b *builder) {
	if m.Kind != KindEvidence && m.Kind != KindEdit {
		b.invalid("kind is not evidence or edit")
	}
	b.vars.Business = b.line("business name", m.BusinessName, true)
	b.vars.Title = b.line("review title", m.ReviewTitle, false)
	message := b.freeText("message", m.Message, true)
	url := b.link("reply URL", m.ReplyURL)
	b.vars.Deadline = b.when("deadline", m.Deadline)
	if len(b.problems) > 0 {
		return
	}

	k := "compliance_request." + m.Kind
	b.subject(k + ".subject")
	b.para(k + ".intro")
	b.quote(message)
	b.para(k + ".ask")
	b.button(k+".button", url)
	b.para("compliance_request.absent")
	b.close("signoff.integrity", "footer.reviewer", "footer.personal")
}

func (m ReviewRemoved) build(b *builder) {
	b.vars.Business = b.line("business name", m.BusinessName, true)
	b.vars.Title = b.line("review title", m.ReviewTitle, false)
	facts := b.freeText("statement of facts", m.Facts, m.Ground == moderation.GroundAgentDecision)
	url := b.link("appeal URL", m.AppealURL)
	b.vars.DecidedAt = b.when("decision time", m.DecidedAt)
	if m.Ground != moderation.GroundAgentDecision && m.Ground != moderation.GroundNoProofProvided {
		b.invalid("ground is not agent_decision or no_proof_provided")
	}
	reasons := b.reasons(m.Reasons)
	if len(b.problems) > 0 {
		return
	}
	b.vars.Count = len(reasons)

	b.subject("review_removed.subject")
	b.para("review_removed.intro")
	b.heading("review_removed.why.heading")
	b.para("review_removed.why.text")
	b.list(reasons)
	b.heading("review_removed.facts.heading")
	if facts != "" {
		b.quote(facts)
	} else {
		b.para("review_removed.facts.no_proof")
	}
	b.heading("review_removed.who.heading")
	if m.Ground == moderation.GroundAgentDecision {
		b.para("review_removed.who.agent")
	} else {
		b.para("review_removed.who.no_proof")
	}
	b.heading("review_removed.appeal.heading")
	b.para("review_removed.appeal.text")
	b.button("review_removed.appeal.button", url)
	b.close("signoff.integrity", "footer.reviewer", "footer.personal")
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
		if _, ok := moderation.ScopeOf(r); !ok {
			b.invalid("a reason is not a known reason code")
			return nil
		}
		if seen[r] {
			continue
		}
		seen[r] = true
		out = append(out, item{
			Name:   b.phrase("reason." + string(r) + ".name"),
			Detail: b.phrase("reason." + string(r) + ".meaning"),
		})
	}
	return out
}

func (m ReviewerReplied) build(b *builder) {
	b.vars.Title = b.line("review title", m.ReviewTitle, false)
	url := b.link("request URL", m.RequestURL)

	b.subject("reviewer_replied.subject")
	b.para("reviewer_replied.intro")
	b.para("reviewer_replied.read")
	b.button("reviewer_replied.button", url)
	b.para("reviewer_replied.advice")
	b.close("signoff.team", "footer.business")
}

func (m RequestExpired) build(b *builder) {
	b.vars.Title = b.line("review title", m.ReviewTitle, false)
	url := b.link("request URL", m.RequestURL)

	b.subject("request_expired.subject")
	b.para("request_expired.intro")
	if m.CanRemind {
		b.para("request_expired.remind.yes")
	} else {
		b.para("request_expired.remind.no")
	}
	b.para("request_expired.options")
	b.button("request_expired.button", url)
	b.close("signoff.team", "footer.business")
}

func (m ReviewReinstated) build(b *builder) {
	b.vars.Title = b.line("review title", m.ReviewTitle, false)
	url := b.link("report URL", m.ReportURL)

	b.subject("review_reinstated.subject")
	b.para("review_reinstated.intro")
	b.para("review_reinstated.neutral")
	b.button("review_reinstated.button", url)
	b.close("signoff.integrity", "footer.business")
}
