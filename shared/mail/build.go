package mail

import (
	"github.com/candorhq/candor/shared/moderation"
)

// This file lays out each email: which texts of the catalogue, in which
// order, around the message's own texts and links. The layouts (layout.go,
// layout.templ) and the catalogues do the rest.

func (m FindReviewerRequest) build(b *builder) {
	b.in(m.TimeZone)
	biz := b.line("business name", m.BusinessName, true)
	title := b.line("review title", m.ReviewTitle, false)
	message := b.text("message", m.Message, true)
	url := b.link("reply URL", m.ReplyURL)
	deadline := b.when("deadline", m.Deadline)

	t := &b.t.FindReviewerRequest
	b.subject(t.Subject(biz))
	b.para(t.Intro(b.p, biz, title))
	b.quote(message)
	b.para(t.Ask(biz, deadline))
	b.button(t.Button(biz), url)
	b.para(b.t.PrivacyReviewer(biz))
	b.para(t.Online)
	b.close(b.t.SignoffTeam, b.t.FooterReviewer(b.p), b.t.FooterPersonal)
}

func (m FindReviewerReminder) build(b *builder) {
	b.in(m.TimeZone)
	biz := b.line("business name", m.BusinessName, true)
	title := b.line("review title", m.ReviewTitle, false)
	message := b.text("message", m.Message, true)
	url := b.link("reply URL", m.ReplyURL)
	deadline := b.when("deadline", m.Deadline)

	t := &b.t.FindReviewerReminder
	if m.Manual {
		b.subject(t.SubjectManual(biz))
		b.para(t.IntroManual(b.p, biz, title))
	} else {
		b.subject(t.SubjectAuto(biz))
		b.para(t.IntroAuto(b.p, biz, title))
	}
	b.quote(message)
	b.para(t.Ask(deadline))
	b.button(b.t.FindReviewerRequest.Button(biz), url)
	b.para(b.t.PrivacyReviewer(biz))
	b.close(b.t.SignoffTeam, b.t.FooterReviewer(b.p), b.t.FooterPersonal)
}

func (m ReviewReported) build(b *builder) {
	biz := b.line("business name", m.BusinessName, true)
	title := b.line("review title", m.ReviewTitle, false)
	statement := b.text("public statement", m.PublicStatement, true)

	t := &b.t.ReviewReported
	b.subject(t.Subject(biz))
	b.para(t.Intro(b.p, biz, title))
	if m.Hidden {
		b.para(t.Hidden)
	} else {
		b.para(t.Visible)
	}
	b.quote(statement)
	b.para(t.Next)
	b.close(b.t.SignoffIntegrity, b.t.FooterReviewer(b.p))
}

func (m ProofRequest) build(b *builder) {
	b.in(m.TimeZone)
	biz := b.line("business name", m.BusinessName, true)
	title := b.line("review title", m.ReviewTitle, false)
	url := b.link("reply URL", m.ReplyURL)
	deadline := b.when("deadline", m.Deadline)

	t := &b.t.ProofRequest
	b.subject(t.Subject(biz))
	b.para(t.Intro(biz, title))
	b.para(t.Why(b.p))
	b.para(t.Ask(biz, deadline))
	b.button(t.Button, url)
	b.para(t.Absent)
	b.close(b.t.SignoffIntegrity, b.t.FooterReviewer(b.p), b.t.FooterPersonal)
}

func (m ComplianceRequest) build(b *builder) {
	b.in(m.TimeZone)
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
	b.para(t.Intro(b.p, biz, title))
	b.quote(message)
	b.para(t.Ask(deadline))
	b.button(t.Button, url)
	b.para(b.t.ComplianceRequest.Absent)
	b.close(b.t.SignoffIntegrity, b.t.FooterReviewer(b.p), b.t.FooterPersonal)
}

func (m ReviewRemoved) build(b *builder) {
	b.in(m.TimeZone)
	biz := b.line("business name", m.BusinessName, true)
	title := b.line("review title", m.ReviewTitle, false)
	facts := b.text("statement of facts", m.Facts, m.Ground == moderation.GroundGuidelineViolation)
	var url, deadline string
	if m.OnAppeal {
		if m.AppealURL != "" {
			b.invalid("appeal URL must be empty for a decision on appeal")
		}
		if !m.AppealDeadline.IsZero() {
			b.invalid("appeal deadline must be empty for a decision on appeal")
		}
	} else {
		url = b.link("appeal URL", m.AppealURL)
		deadline = b.when("appeal deadline", m.AppealDeadline)
	}
	decided := b.when("decision time", m.DecidedAt)
	if m.Ground != moderation.GroundGuidelineViolation && m.Ground != moderation.GroundNoProofProvided {
		b.invalid("ground is not guideline_violation or no_proof_provided")
	}
	if m.Automated && m.Ground != moderation.GroundNoProofProvided {
		b.invalid("an automated removal must have ground no_proof_provided")
	}
	if m.Automated && m.OnAppeal {
		b.invalid("a decision on appeal is not automated")
	}
	reasons := b.reasons(m.Reasons)
	if len(b.problems) > 0 {
		return
	}

	t := &b.t.ReviewRemoved
	b.subject(t.Subject(biz))
	b.para(t.Intro(b.p, biz, title))
	b.heading(t.WhyHeading)
	if m.Ground == moderation.GroundNoProofProvided {
		b.para(t.WhyNoProof(biz, len(reasons)))
		b.list(reasons)
		b.para(t.GroundNoProof)
	} else {
		b.para(t.WhyAgent(biz, len(reasons)))
		b.list(reasons)
	}
	b.heading(t.FactsHeading)
	if m.Ground == moderation.GroundGuidelineViolation || facts != "" {
		b.quote(facts)
	} else {
		b.para(t.FactsNoProof(biz))
	}
	b.heading(t.WhoHeading)
	switch {
	case m.Automated:
		b.para(t.WhoNoProof(decided))
	case m.OnAppeal:
		b.para(t.WhoAppeal(biz, decided))
	default:
		b.para(t.WhoAgent(decided))
	}
	b.para(t.Detection(biz))
	if m.OnAppeal {
		b.heading(t.FinalHeading)
		b.para(b.t.Final(b.p))
		b.outOfCourt()
		b.close(b.t.SignoffIntegrity, b.t.FooterReviewer(b.p))
		return
	}
	b.heading(t.AppealHeading)
	b.para(t.AppealText(deadline))
	b.button(t.AppealButton, url)
	b.outOfCourt()
	b.close(b.t.SignoffIntegrity, b.t.FooterReviewer(b.p), b.t.FooterPersonal)
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
	b.close(b.t.SignoffTeam, b.t.FooterBusiness(b.p))
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
	b.close(b.t.SignoffTeam, b.t.FooterBusiness(b.p))
}

func (m ReviewReinstated) build(b *builder) {
	b.in(m.TimeZone)
	biz := b.line("business name", m.BusinessName, true)
	title := b.line("review title", m.ReviewTitle, false)
	url := b.link("report URL", m.ReportURL)

	t := &b.t.ReviewReinstated
	b.subject(biz + ": " + t.Subject)
	b.para(b.t.ForBusiness(biz))
	if m.OnAppeal {
		b.para(t.IntroAppeal(title))
	} else {
		b.para(t.Intro(title))
	}
	b.para(t.Neutral)
	if m.OnAppeal {
		b.para(b.t.Final(b.p))
	} else {
		b.para(t.Appeal(b.when("appeal deadline", m.AppealDeadline)))
	}
	b.outOfCourt()
	b.button(t.Button, url)
	b.close(b.t.SignoffIntegrity, b.t.FooterBusiness(b.p))
}

func (m ReviewReinstatedForReviewer) build(b *builder) {
	biz := b.line("business name", m.BusinessName, true)
	title := b.line("review title", m.ReviewTitle, false)

	t := &b.t.ReviewReinstatedForReviewer
	b.subject(t.Subject(biz))
	if m.OnAppeal {
		b.para(t.IntroAppeal(b.p, biz, title))
		b.para(t.NextAppeal)
	} else {
		b.para(t.Intro(b.p, biz, title))
		b.para(t.Next(biz))
	}
	b.close(b.t.SignoffIntegrity, b.t.FooterReviewer(b.p))
}

func (m AppealDecided) build(b *builder) {
	b.in(m.TimeZone)
	if m.Appellant != AppellantReviewer && m.Appellant != AppellantBusiness {
		b.invalid("appellant is not reviewer or business")
	}
	if m.Outcome != AppealUpheld && m.Outcome != AppealReversed {
		b.invalid("outcome is not upheld or reversed")
	}
	// Who receives the email, and which of the four emails it is.
	toBusiness := m.Appellant == AppellantBusiness && m.ToAppellant
	var intro func(platform, business, title, decidedAt string) string
	var subject func(business string) string
	t := &b.t.AppealDecided
	switch {
	case m.Appellant == AppellantReviewer && m.ToAppellant && m.Outcome == AppealUpheld:
		intro, subject = t.ReviewerUpheld, t.SubjectReviewer
	case m.Appellant == AppellantBusiness && m.ToAppellant && m.Outcome == AppealUpheld:
		intro, subject = t.BusinessUpheld, t.SubjectBusiness
	case m.Appellant == AppellantBusiness && m.ToAppellant && m.Outcome == AppealReversed:
		intro, subject = t.BusinessReversed, t.SubjectBusiness
	case m.Appellant == AppellantBusiness && !m.ToAppellant && m.Outcome == AppealUpheld:
		intro, subject = t.Kept, t.SubjectKept
	case len(b.problems) == 0:
		b.invalid("no appeal_decided email is sent for this appellant, recipient and outcome")
	}
	biz := b.line("business name", m.BusinessName, true)
	title := b.line("review title", m.ReviewTitle, false)
	var facts string
	if m.ToAppellant {
		facts = b.text("statement of facts", m.Facts, true)
	}
	decided := b.when("decision time", m.DecidedAt)
	var url string
	if toBusiness {
		url = b.link("report URL", m.ReportURL)
	} else if m.ReportURL != "" {
		b.invalid("report URL must be empty when the reviewer receives the email")
	}
	if len(b.problems) > 0 {
		return
	}

	b.subject(subject(biz))
	b.para(intro(b.p, biz, title, decided))
	if !m.ToAppellant {
		b.para(t.Nothing)
		b.close(b.t.SignoffIntegrity, b.t.FooterReviewer(b.p))
		return
	}
	b.para(t.FactsLead)
	b.quote(facts)
	b.para(b.t.Final(b.p))
	b.outOfCourt()
	if toBusiness {
		b.button(t.Button, url)
		b.close(b.t.SignoffIntegrity, b.t.FooterBusiness(b.p))
		return
	}
	b.close(b.t.SignoffIntegrity, b.t.FooterReviewer(b.p))
}

func (m ReplyPublished) build(b *builder) {
	biz := b.line("business name", m.BusinessName, true)
	title := b.line("review title", m.ReviewTitle, false)
	reply := b.text("reply", m.Reply, true)
	public := b.link("public URL", m.PublicURL)
	unsubscribe := b.link("unsubscribe URL", m.UnsubscribeURL)

	t := &b.t.ReplyPublished
	if m.Edited {
		b.subject(t.SubjectEdited(biz))
		b.para(t.IntroEdited(biz, title))
	} else {
		b.subject(t.Subject(biz))
		b.para(t.Intro(biz, title))
	}
	b.quote(reply)
	b.button(t.Button, public)
	if m.ReportURL != "" {
		b.para(t.Report)
		b.button(t.ReportButton, b.link("report URL", m.ReportURL))
	}
	b.para(t.Stop)
	b.button(t.StopButton, unsubscribe)
	b.close(b.t.SignoffTeam, b.t.FooterReviewer(b.p))
}
