package mail

import (
	"time"

	"github.com/candorhq/candor/shared/i18n"
)

// The emails of sanctions against a business that misuses reporting (DSA
// Art. 23), to its notification address: [BusinessWarned],
// [ReportingSuspended] and [ReportingReopened]. Their texts are a catalogue
// of their own (sanctionCatalogues), in the same format as the others.

// BusinessWarned goes to the business when compliance warns it: the facts,
// until when the warning stays on its record, what a suspension would
// mean, and how to object.
type BusinessWarned struct {
	Facts    string    // the agent's note, shown as text
	Until    time.Time // when the warning lapses
	TimeZone string    // IANA zone the reader sees dates in; empty: the language's usual zone
}

// ReportingSuspended goes to the business when compliance suspends its
// reporting: the facts, the end of the suspension, and how to object. It
// says the suspension follows a warning only when one was given.
type ReportingSuspended struct {
	Facts string
	Until time.Time // when reporting opens again
	// AfterWarning: the business had been warned before this suspension
	// (a warning given earlier and not withdrawn).
	AfterWarning bool
	TimeZone     string // IANA zone the reader sees dates in; empty: the language's usual zone
}

// ReportingReopened goes to the business when its suspension has ended by
// itself: it can report reviews again.
type ReportingReopened struct {
	Since    time.Time // when the suspension ended
	TimeZone string    // IANA zone the reader sees dates in; empty: the language's usual zone
}

// WarningWithdrawn goes to the business when compliance withdraws a warning
// before it lapses (a mistake corrected, or its objection upheld).
type WarningWithdrawn struct {
	Given    time.Time // when the warning was given
	TimeZone string    // IANA zone the reader sees dates in; empty: the language's usual zone
}

// Name implements Message.
func (WarningWithdrawn) Name() string { return "warning_withdrawn" }

// Name implements Message.
func (BusinessWarned) Name() string { return "business_warned" }

// Name implements Message.
func (ReportingSuspended) Name() string { return "reporting_suspended" }

// Name implements Message.
func (ReportingReopened) Name() string { return "reporting_reopened" }

// sanctionTexts are the words of the sanction emails in one locale.
type sanctionTexts struct {
	// Object says how the business objects to a sanction: not by replying
	// (no mailbox reads replies), but out of court (the paragraph after it).
	Object  string
	Warned  warnedTexts
	Suspend suspendTexts
	Reopen  reopenTexts
	// Withdrawn is the warning withdrawn: Intro names when it was given.
	Withdrawn withdrawnTexts
}

type withdrawnTexts struct {
	Subject string
	Intro   func(given string) string
}

type warnedTexts struct {
	Subject string
	Intro   string
	Until   func(until string) string
	Next    string
}

type suspendTexts struct {
	Subject string
	// Intro is the suspension after a warning; IntroUnwarned the one
	// given without a warning before it.
	Intro         func(until string) string
	IntroUnwarned func(until string) string
	Scope         string
}

type reopenTexts struct {
	Subject string
	Intro   func(since string) string
	Mind    string
}

var sanctionCatalogues = i18n.Catalogues[sanctionTexts]{EN: &sanctionEn, SV: &sanctionSv, DE: &sanctionDe}

func (m WarningWithdrawn) build(b *builder) {
	b.in(m.TimeZone)
	given := b.when("given", m.Given)
	t := &sanctionCatalogues.For(b.doc.Lang).Withdrawn
	b.subject(t.Subject)
	b.para(t.Intro(given))
	b.close(b.t.SignoffIntegrity, b.t.FooterBusiness(b.p))
}

func (m BusinessWarned) build(b *builder) {
	b.in(m.TimeZone)
	facts := b.text("facts", m.Facts, true)
	until := b.when("until", m.Until)
	t := &sanctionCatalogues.For(b.doc.Lang).Warned
	b.subject(t.Subject)
	b.para(t.Intro)
	b.quote(facts)
	b.para(t.Until(until))
	b.para(t.Next)
	b.para(sanctionCatalogues.For(b.doc.Lang).Object)
	b.outOfCourt()
	b.close(b.t.SignoffIntegrity, b.t.FooterBusiness(b.p))
}

func (m ReportingSuspended) build(b *builder) {
	b.in(m.TimeZone)
	facts := b.text("facts", m.Facts, true)
	until := b.when("until", m.Until)
	t := &sanctionCatalogues.For(b.doc.Lang).Suspend
	b.subject(t.Subject)
	if m.AfterWarning {
		b.para(t.Intro(until))
	} else {
		b.para(t.IntroUnwarned(until))
	}
	b.quote(facts)
	b.para(t.Scope)
	b.para(sanctionCatalogues.For(b.doc.Lang).Object)
	b.outOfCourt()
	b.close(b.t.SignoffIntegrity, b.t.FooterBusiness(b.p))
}

func (m ReportingReopened) build(b *builder) {
	b.in(m.TimeZone)
	since := b.when("since", m.Since)
	t := &sanctionCatalogues.For(b.doc.Lang).Reopen
	b.subject(t.Subject)
	b.para(t.Intro(since))
	b.para(t.Mind)
	b.close(b.t.SignoffIntegrity, b.t.FooterBusiness(b.p))
}

var sanctionEn = sanctionTexts{
	Object: "Replies to this email are not read. If you think this decision is wrong, you can have it looked at independently, as described below.",
	Warned: warnedTexts{
		Subject: "A warning about how your business reports reviews",
		Intro:   "Our compliance team has looked at the reports your business sent us and found that many of them were manifestly unfounded. Under our guidelines and Article 23 of the EU Digital Services Act, we are warning you. The facts:",
		Until:   func(until string) string { return "This warning stays on your business's record until " + until + "." },
		Next:    "You can go on reporting reviews. Please report only reviews that you believe break our guidelines, and explain how. If manifestly unfounded reports go on, we may suspend your business's reporting for a period.",
	},
	Suspend: suspendTexts{
		Subject: "Your business's reporting is suspended",
		Intro: func(until string) string {
			return "Our compliance team has suspended your business's reporting of reviews until " + until + ", under our guidelines and Article 23 of the EU Digital Services Act, because your business went on sending manifestly unfounded reports after a warning. The facts:"
		},
		IntroUnwarned: func(until string) string {
			return "Our compliance team has suspended your business's reporting of reviews until " + until + ", under our guidelines and Article 23 of the EU Digital Services Act, because your business sent manifestly unfounded reports. The facts:"
		},
		Scope: "Until then you cannot report reviews; everything else in your account works as before, including Find Reviewer and your open reports. Reporting opens again by itself at the end of the suspension, and we will email you then.",
	},
	Reopen: reopenTexts{
		Subject: "Your business can report reviews again",
		Intro: func(since string) string {
			return "The suspension of your business's reporting ended on " + since + ". You can report reviews again."
		},
		Mind: "Please report only reviews that you believe break our guidelines, and explain how.",
	},
	Withdrawn: withdrawnTexts{
		Subject: "The warning about your business's reporting is withdrawn",
		Intro: func(given string) string {
			return "Our compliance team has withdrawn the warning of " + given + " about how your business reports reviews. It no longer stands on your business's record, and you need not do anything."
		},
	},
}

var sanctionSv = sanctionTexts{
	Object: "Svar på det här mejlet läses inte. Om du anser att beslutet är fel kan du få det prövat av en oberoende instans, som beskrivs nedan.",
	Warned: warnedTexts{
		Subject: "En varning om hur ditt företag rapporterar omdömen",
		Intro:   "Vårt compliance-team har gått igenom de rapporter ditt företag har skickat och funnit att många av dem var uppenbart ogrundade. Enligt våra riktlinjer och artikel 23 i EU:s förordning om digitala tjänster ger vi dig en varning. Fakta:",
		Until:   func(until string) string { return "Varningen finns kvar i ditt företags historik till " + until + "." },
		Next:    "Du kan fortsätta att rapportera omdömen. Rapportera bara omdömen som du anser bryter mot våra riktlinjer, och förklara hur. Om uppenbart ogrundade rapporter fortsätter kan vi stänga av ditt företags rapportering under en tid.",
	},
	Suspend: suspendTexts{
		Subject: "Ditt företags rapportering är avstängd",
		Intro: func(until string) string {
			return "Vårt compliance-team har stängt av ditt företags rapportering av omdömen till " + until + ", enligt våra riktlinjer och artikel 23 i EU:s förordning om digitala tjänster, eftersom ditt företag fortsatte att skicka uppenbart ogrundade rapporter efter en varning. Fakta:"
		},
		IntroUnwarned: func(until string) string {
			return "Vårt compliance-team har stängt av ditt företags rapportering av omdömen till " + until + ", enligt våra riktlinjer och artikel 23 i EU:s förordning om digitala tjänster, eftersom ditt företag har skickat uppenbart ogrundade rapporter. Fakta:"
		},
		Scope: "Fram till dess kan du inte rapportera omdömen; allt annat i ditt konto fungerar som förut, även Hitta omdömeslämnare och dina öppna rapporter. Rapporteringen öppnas igen av sig själv när avstängningen upphör, och då mejlar vi dig.",
	},
	Reopen: reopenTexts{
		Subject: "Ditt företag kan rapportera omdömen igen",
		Intro: func(since string) string {
			return "Avstängningen av ditt företags rapportering upphörde " + since + ". Du kan rapportera omdömen igen."
		},
		Mind: "Rapportera bara omdömen som du anser bryter mot våra riktlinjer, och förklara hur.",
	},
	Withdrawn: withdrawnTexts{
		Subject: "Varningen om ditt företags rapportering är återkallad",
		Intro: func(given string) string {
			return "Vårt compliance-team har återkallat varningen från " + given + " om hur ditt företag rapporterar omdömen. Den finns inte längre i ditt företags historik, och du behöver inte göra något."
		},
	},
}

var sanctionDe = sanctionTexts{
	Object: "Antworten auf diese E-Mail werden nicht gelesen. Wenn Sie diese Entscheidung für falsch halten, können Sie sie unabhängig prüfen lassen, wie unten beschrieben.",
	Warned: warnedTexts{
		Subject: "Eine Verwarnung zur Meldung von Bewertungen durch Ihr Unternehmen",
		Intro:   "Unser Compliance-Team hat die Meldungen Ihres Unternehmens geprüft und festgestellt, dass viele davon offensichtlich unbegründet waren. Nach unseren Richtlinien und Artikel 23 des EU-Gesetzes über digitale Dienste sprechen wir Ihnen eine Verwarnung aus. Der Sachverhalt:",
		Until: func(until string) string {
			return "Diese Verwarnung bleibt bis " + until + " in der Historie Ihres Unternehmens."
		},
		Next: "Sie können weiterhin Bewertungen melden. Bitte melden Sie nur Bewertungen, die Ihrer Ansicht nach gegen unsere Richtlinien verstoßen, und erklären Sie, wie. Wenn offensichtlich unbegründete Meldungen anhalten, können wir die Meldefunktion Ihres Unternehmens für einen Zeitraum sperren.",
	},
	Suspend: suspendTexts{
		Subject: "Die Meldefunktion Ihres Unternehmens ist gesperrt",
		Intro: func(until string) string {
			return "Unser Compliance-Team hat die Meldefunktion Ihres Unternehmens bis " + until + " gesperrt, nach unseren Richtlinien und Artikel 23 des EU-Gesetzes über digitale Dienste, weil Ihr Unternehmen nach einer Verwarnung weiterhin offensichtlich unbegründete Meldungen geschickt hat. Der Sachverhalt:"
		},
		IntroUnwarned: func(until string) string {
			return "Unser Compliance-Team hat die Meldefunktion Ihres Unternehmens bis " + until + " gesperrt, nach unseren Richtlinien und Artikel 23 des EU-Gesetzes über digitale Dienste, weil Ihr Unternehmen offensichtlich unbegründete Meldungen geschickt hat. Der Sachverhalt:"
		},
		Scope: "Bis dahin können Sie keine Bewertungen melden; alles andere in Ihrem Konto funktioniert wie bisher, auch Find Reviewer und Ihre offenen Meldungen. Die Meldefunktion öffnet sich am Ende der Sperre von selbst, und wir schreiben Ihnen dann.",
	},
	Reopen: reopenTexts{
		Subject: "Ihr Unternehmen kann wieder Bewertungen melden",
		Intro: func(since string) string {
			return "Die Sperre der Meldefunktion Ihres Unternehmens endete am " + since + ". Sie können wieder Bewertungen melden."
		},
		Mind: "Bitte melden Sie nur Bewertungen, die Ihrer Ansicht nach gegen unsere Richtlinien verstoßen, und erklären Sie, wie.",
	},
	Withdrawn: withdrawnTexts{
		Subject: "Die Verwarnung zur Meldung von Bewertungen ist zurückgenommen",
		Intro: func(given string) string {
			return "Unser Compliance-Team hat die Verwarnung vom " + given + " zur Meldung von Bewertungen durch Ihr Unternehmen zurückgenommen. Sie steht nicht mehr in der Historie Ihres Unternehmens, und Sie müssen nichts weiter tun."
		},
	},
}
