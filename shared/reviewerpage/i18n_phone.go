package reviewerpage

import (
	"time"

	"github.com/candorhq/candor/shared/i18n"
	"github.com/candorhq/candor/shared/moderation"
)

// phoneTexts are the texts that make a page usable on a phone: the error
// summary and the title's error prefix after a refused answer, the live
// character counter, the deadline's UTC line, the removal's reasons on the
// appeal page and the copy of what was sent on the thank-you page. A field
// of catalog, so that every locale must have them.
type phoneTexts struct {
	ErrorPrefix    string // before the <title> of a page with an error summary
	SummaryHeading string
	// CountLeft and CountOver are the counter's texts; n is the number of
	// characters left or too many. The page's script puts the number in
	// place of countPlaceholder.
	CountLeft      func(n string) string
	CountOver      func(n string) string
	InUTC          func(date string) string // the second line of a deadline: the same time in UTC
	SentHeading    string                   // the thank-you page's copy of what was sent
	SentCopy       string                   // the thank-you page: a copy is emailed too (every purpose but report_reply)
	RemovalHeading string                   // the appeal page: why the review was removed
	ReasonsLead    string
	FactsLead      string
	FactsNoProof   func(business string) string
	Reasons        map[moderation.Reason]reasonText // every moderation.Reason, as the statement of reasons names it
}

// reasonText names a reason and says what it means, as the removal email's
// statement of reasons does.
type reasonText struct{ Name, Meaning string }

// countPlaceholder stands for the number in the counter's texts, which the
// page's script fills in.
const countPlaceholder = "{n}"

var phoneEN = phoneTexts{
	ErrorPrefix:    "Error: ",
	SummaryHeading: "There is a problem",
	CountLeft:      func(n string) string { return "You have " + n + " characters left" },
	CountOver:      func(n string) string { return "You have " + n + " characters too many" },
	InUTC:          func(date string) string { return "That is " + date + "." },
	SentHeading:    "What you sent",
	SentCopy:       "We are also emailing you a copy of what you sent, for your records.",
	RemovalHeading: "Why we removed your review",
	ReasonsLead:    "We removed it for these reasons:",
	FactsLead:      "What we based the decision on:",
	FactsNoProof: func(business string) string {
		return business + " reported that you had not had a genuine buying or service experience with it, and we asked you to show us your experience. No proof reached us in time."
	},
	Reasons: map[moderation.Reason]reasonText{
		moderation.ReasonOffensiveOrHarmful:  {"Offensive or harmful content", "threats, hate, discrimination, obscenity or defamation"},
		moderation.ReasonPersonalInformation: {"Personal information", "the review contains someone's personal data"},
		moderation.ReasonPromotional:         {"Promotional content", "advertising or promotion"},
		moderation.ReasonRightsViolation:     {"Violation of rights", "the review infringes intellectual property, privacy or personality rights"},
		moderation.ReasonSpam:                {"Spam", "spam, gibberish or repeated text"},
		moderation.ReasonWrongCompany:        {"Wrong company", "the review is about a different business"},
		moderation.ReasonExperienceTooOld:    {"Experience too old", "the review was written more than 12 months after the experience"},
		moderation.ReasonEthicalOrPolitical:  {"Ethical or political statement", "a purely ethical or political statement, not an experience with the business"},
		moderation.ReasonCompetitor:          {"Conflict of interest", "written by a competitor, an employee, a relative or anyone else with a conflict of interest"},
		moderation.ReasonMultipleProfiles:    {"Multiple profiles", "the same person reviewing through several profiles"},
		moderation.ReasonNoGenuineExperience: {"No genuine experience", "the reviewer did not have a genuine buying or service experience with the business"},
	},
}

var phoneSV = phoneTexts{
	ErrorPrefix:    "Fel: ",
	SummaryHeading: "Det finns ett problem",
	CountLeft:      func(n string) string { return "Du har " + n + " tecken kvar" },
	CountOver:      func(n string) string { return "Du har " + n + " tecken för mycket" },
	InUTC:          func(date string) string { return "Det motsvarar " + date + "." },
	SentHeading:    "Det här skickade du",
	SentCopy:       "Vi mejlar dig också en kopia av det du skickade, så att du kan spara den.",
	RemovalHeading: "Varför vi tog bort ditt omdöme",
	ReasonsLead:    "Vi tog bort det av följande skäl:",
	FactsLead:      "Det här har vi grundat beslutet på:",
	FactsNoProof: func(business string) string {
		return business + " rapporterade att du inte har haft en äkta köp- eller serviceupplevelse hos företaget, och vi bad dig om underlag som visar din upplevelse. Inget underlag kom fram till oss i tid."
	},
	Reasons: map[moderation.Reason]reasonText{
		moderation.ReasonOffensiveOrHarmful:  {"Stötande eller skadligt innehåll", "hot, hat, diskriminering, obscent innehåll eller förtal"},
		moderation.ReasonPersonalInformation: {"Personuppgifter", "omdömet innehåller någons personuppgifter"},
		moderation.ReasonPromotional:         {"Reklam", "reklam eller marknadsföring"},
		moderation.ReasonRightsViolation:     {"Intrång i rättigheter", "omdömet gör intrång i immateriella rättigheter, i någons privatliv eller i någons personliga integritet"},
		moderation.ReasonSpam:                {"Spam", "skräppost, osammanhängande eller upprepad text"},
		moderation.ReasonWrongCompany:        {"Fel företag", "omdömet handlar om ett annat företag"},
		moderation.ReasonExperienceTooOld:    {"För gammal upplevelse", "omdömet skrevs mer än 12 månader efter upplevelsen"},
		moderation.ReasonEthicalOrPolitical:  {"Etiskt eller politiskt ställningstagande", "ett rent etiskt eller politiskt ställningstagande, inte en upplevelse av företaget"},
		moderation.ReasonCompetitor:          {"Intressekonflikt", "skrivet av en konkurrent, en anställd, en släkting eller någon annan med egenintresse i företaget"},
		moderation.ReasonMultipleProfiles:    {"Flera profiler", "samma person har lämnat omdömen via flera profiler"},
		moderation.ReasonNoGenuineExperience: {"Ingen äkta upplevelse", "omdömeslämnaren har inte haft en äkta köp- eller serviceupplevelse hos företaget"},
	},
}

var phoneDE = phoneTexts{
	ErrorPrefix:    "Fehler: ",
	SummaryHeading: "Es gibt ein Problem",
	CountLeft:      func(n string) string { return "Sie haben noch " + n + " Zeichen" },
	CountOver:      func(n string) string { return "Sie haben " + n + " Zeichen zu viel" },
	InUTC:          func(date string) string { return "Das entspricht " + date + "." },
	SentHeading:    "Das haben Sie gesendet",
	SentCopy:       "Wir senden Ihnen außerdem eine Kopie dessen, was Sie gesendet haben, per E-Mail zu.",
	RemovalHeading: "Warum wir Ihre Bewertung entfernt haben",
	ReasonsLead:    "Wir haben sie aus folgenden Gründen entfernt:",
	FactsLead:      "Darauf stützen wir die Entscheidung:",
	FactsNoProof: func(business string) string {
		return business + " hat gemeldet, dass Sie keine wirkliche Kauf- oder Serviceerfahrung mit dem Unternehmen gemacht haben, und wir haben Sie um einen Nachweis Ihrer Erfahrung gebeten. Es ist kein Nachweis rechtzeitig bei uns eingegangen."
	},
	Reasons: map[moderation.Reason]reasonText{
		moderation.ReasonOffensiveOrHarmful:  {"Beleidigende oder schädliche Inhalte", "Drohungen, Hass, Diskriminierung, Obszönitäten oder Verleumdung"},
		moderation.ReasonPersonalInformation: {"Personenbezogene Daten", "die Bewertung enthält personenbezogene Daten einer Person"},
		moderation.ReasonPromotional:         {"Werbung", "Werbung oder verkaufsfördernde Inhalte"},
		moderation.ReasonRightsViolation:     {"Verletzung von Rechten", "die Bewertung verletzt geistiges Eigentum, die Privatsphäre oder Persönlichkeitsrechte"},
		moderation.ReasonSpam:                {"Spam", "Spam, sinnloser oder wiederholter Text"},
		moderation.ReasonWrongCompany:        {"Falsches Unternehmen", "die Bewertung betrifft ein anderes Unternehmen"},
		moderation.ReasonExperienceTooOld:    {"Erfahrung liegt zu lange zurück", "die Bewertung wurde mehr als 12 Monate nach der Erfahrung verfasst"},
		moderation.ReasonEthicalOrPolitical:  {"Ethische oder politische Äußerung", "eine rein ethische oder politische Aussage statt einer Erfahrung mit dem Unternehmen"},
		moderation.ReasonCompetitor:          {"Interessenkonflikt", "verfasst von einem Wettbewerber, einem Mitarbeiter, einem Angehörigen oder einer anderen Person mit Interessenkonflikt"},
		moderation.ReasonMultipleProfiles:    {"Mehrere Profile", "dieselbe Person bewertet über mehrere Profile"},
		moderation.ReasonNoGenuineExperience: {"Keine echte Erfahrung", "der Bewerter hatte keine wirkliche Kauf- oder Serviceerfahrung mit dem Unternehmen"},
	},
}

// Date writes t in UTC the locale's way, saying so: "15 March 2026, 09:30 UTC".
func (c *catalog) Date(t time.Time) string {
	w := i18n.At(c.Lang, t)
	return c.When(w.Day, w.Month, w.Year, w.Clock, "UTC")
}

// LocalDate writes t in loc the locale's way with the zone's abbreviation
// ("15 March 2026, 10:30 CET"); a zone without one is named by its offset
// ("+03").
func (c *catalog) LocalDate(t time.Time, loc *time.Location) string {
	t = t.In(loc)
	wall := time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), 0, 0, time.UTC)
	w := i18n.At(c.Lang, wall)
	return c.When(w.Day, w.Month, w.Year, w.Clock, t.Format("MST"))
}

// reason returns how c names r: its name and meaning, or the reason's
// code when the catalog does not know it.
func (c *catalog) reason(r moderation.Reason) string {
	if rt, ok := c.Phone.Reasons[r]; ok {
		return rt.Name + ": " + rt.Meaning
	}
	return string(r)
}
