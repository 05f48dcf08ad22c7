package mail

import (
	"time"

	"github.com/candorhq/candor/shared/moderation"
)

// textsSv is the Swedish catalogue. It addresses the reader with "du", as
// the platform's Swedish help centre does, and quotes titles with ”…”.
var textsSv = texts{
	Date:        dateSv,
	Greeting:    "Hej!",
	SignoffTeam: func(platform string) []string { return []string{"Vänliga hälsningar", platform} },
	SignoffIntegrity: func(platform string) []string {
		return []string{"Vänliga hälsningar", "Compliance-teamet på " + platform}
	},
	FooterReviewer: func(platform string) string {
		return "Du får det här mejlet eftersom du har skrivit ett omdöme på " + platform + "."
	},
	FooterPersonal: "Länken i mejlet är personlig – vidarebefordra det inte.",
	FooterBusiness: func(platform string) string {
		return "Du får det här mejlet eftersom ditt företag använder " + platform + ". Vi skickar det till e-postadressen för aviseringar som är kopplad till ditt företagskonto."
	},
	ForBusiness:    func(business string) string { return "Företagskonto: " + business },
	ButtonFallback: "Om knappen inte fungerar kan du använda den här länken:",
	FallbackLink:   func(label, site string) string { return label + " (öppnar " + site + ")" },
	PrivacyReviewer: func(business string) string {
		return "Vi har inte delat din e-postadress eller ditt namn med " + business + ". Företaget ser bara det du skriver i ditt svar."
	},
	Reasons: reasonsTexts{
		OffensiveOrHarmful:  reasonTexts{"Stötande eller skadligt innehåll", "hot, hat, diskriminering, obscent innehåll eller förtal"},
		PersonalInformation: reasonTexts{"Personuppgifter", "omdömet innehåller någons personuppgifter"},
		Promotional:         reasonTexts{"Reklam", "reklam eller marknadsföring"},
		RightsViolation:     reasonTexts{"Intrång i rättigheter", "omdömet gör intrång i immateriella rättigheter, i någons privatliv eller i någons personliga integritet"},
		Spam:                reasonTexts{"Spam", "skräppost, osammanhängande eller upprepad text"},
		WrongCompany:        reasonTexts{"Fel företag", "omdömet handlar om ett annat företag"},
		ExperienceTooOld:    reasonTexts{"För gammal upplevelse", "omdömet skrevs mer än 12 månader efter upplevelsen"},
		EthicalOrPolitical:  reasonTexts{"Etiskt eller politiskt ställningstagande", "ett rent etiskt eller politiskt ställningstagande, inte en upplevelse av företaget"},
		Competitor:          reasonTexts{"Intressekonflikt", "skrivet av en konkurrent, en anställd, en släkting eller någon annan med egenintresse i företaget"},
		MultipleProfiles:    reasonTexts{"Flera profiler", "samma person har lämnat omdömen via flera profiler"},
		NoGenuineExperience: reasonTexts{"Ingen äkta upplevelse", "omdömeslämnaren har inte haft en äkta köp- eller serviceupplevelse hos företaget"},
	},
	OutOfCourt:     "Du kan också vända dig till ett certifierat organ för tvistlösning utanför domstol. Det är oberoende organ, certifierade enligt artikel 21 i EU:s rättsakt om digitala tjänster (DSA), som löser tvister med onlineplattformar. För dig är det kostnadsfritt eller kostar högst en symbolisk avgift. Europeiska kommissionen publicerar en förteckning över de certifierade organen. Du kan också gå till domstol.",
	OutOfCourtLink: "EU-kommissionens lista över certifierade tvistlösningsorgan",
	Final: func(platform string) string {
		return "Beslutet fattades efter ett överklagande och är slutligt hos " + platform + " – det går inte att överklaga det hos oss."
	},

	FindReviewerRequest: findReviewerRequestTexts{
		Subject: func(business string) string { return business + " har en fråga om ditt omdöme" },
		Intro: func(platform, business, title string) string {
			return business + " vill gärna veta mer om din upplevelse och har skickat ett meddelande till dig via " + platform + " om ditt omdöme" + titleSv(title) + ":"
		},
		Ask: func(business, deadline string) string {
			return "Om du vill svara gör du det via länken nedan senast " + deadline + ". Det är helt upp till dig vad du väljer att dela med dig av, till exempel ett beställnings- eller fakturanummer eller hur " + business + " kan nå dig. Svaret kan bara innehålla text – det går inte att bifoga filer."
		},
		Button: func(business string) string { return "Svara " + business },
		Online: "Ditt omdöme ligger kvar och är synligt under tiden.",
	},
	FindReviewerReminder: findReviewerReminderTexts{
		SubjectAuto:   func(business string) string { return "Påminnelse: " + business + " väntar på ditt svar" },
		SubjectManual: func(business string) string { return business + " har skickat en påminnelse till dig" },
		IntroAuto: func(platform, business, title string) string {
			return "För några dagar sedan skickade " + business + " ett meddelande till dig via " + platform + " om ditt omdöme" + titleSv(title) + ", men har ännu inte fått något svar. Här är meddelandet igen:"
		},
		IntroManual: func(platform, business, title string) string {
			return business + " vill fortfarande gärna höra från dig om ditt omdöme" + titleSv(title) + " och har skickat en påminnelse via " + platform + ". Här är meddelandet igen:"
		},
		Ask: func(deadline string) string {
			return "Du kan svara fram till " + deadline + " via länken nedan. Det är frivilligt att svara, och du bestämmer själv vad du vill dela med dig av."
		},
	},
	ReviewReported: reviewReportedTexts{
		Subject: func(business string) string { return "Ditt omdöme om " + business + " har rapporterats" },
		Intro: func(platform, business, title string) string {
			return business + " har rapporterat ditt omdöme" + titleSv(title) + " eftersom företaget anser att det inte följer riktlinjerna för " + platform + "."
		},
		Hidden:  "Medan vårt Compliance-team utreder rapporten är ditt omdöme tillfälligt dolt, och företagets förklaring visas i stället:",
		Visible: "Ditt omdöme ligger kvar online medan vårt Compliance-team utreder rapporten. Företaget har publicerat följande förklaring:",
		Next:    "Du behöver inte göra något just nu. Om vi behöver uppgifter från dig hör vi av oss via mejl och ger dig tid att svara. Att ett omdöme har rapporterats betyder inte att det strider mot våra riktlinjer – en person i vårt team granskar rapporten och fattar beslutet.",
	},
	ProofRequest: proofRequestTexts{
		Subject: func(business string) string { return "Bekräfta din upplevelse hos " + business },
		Intro: func(business, title string) string {
			return business + " har rapporterat ditt omdöme" + titleSv(title) + ". Enligt företaget har du inte haft någon äkta köp- eller serviceupplevelse där."
		},
		Why: func(platform string) string {
			return "Alla omdömen på " + platform + " ska bygga på en äkta upplevelse. För att vi ska kunna bedöma rapporten ber vi dig visa att du har haft en sådan, till exempel med ett beställningsnummer, ett kvitto- eller fakturanummer, en bokningsreferens eller datum och plats för köpet."
		},
		Ask: func(business, deadline string) string {
			return "Skicka ditt underlag via länken nedan senast " + deadline + ". Det granskas av vårt Compliance-team, och vi delar aldrig dina kontaktuppgifter med " + business + "."
		},
		Absent: "Om vi inte har fått något underlag till dess tas ditt omdöme bort.",
		Button: "Skicka underlag",
	},
	ComplianceRequest: complianceRequestTexts{
		Evidence: complianceKindTexts{
			Subject: func(business string) string { return "Ditt omdöme om " + business + ": vi behöver mer information" },
			Intro: func(platform, business, title string) string {
				return "Compliance-teamet på " + platform + " utreder en rapport som gäller ditt omdöme" + titleSv(title) + " om " + business + " och behöver mer information från dig:"
			},
			Ask:    func(deadline string) string { return "Svara via länken nedan senast " + deadline + "." },
			Button: "Skicka information",
		},
		Edit: complianceKindTexts{
			Subject: func(business string) string { return "Vi ber dig ändra ditt omdöme om " + business },
			Intro: func(platform, business, title string) string {
				return "Compliance-teamet på " + platform + " har granskat en rapport som gäller ditt omdöme" + titleSv(title) + " om " + business + " och ber dig ändra omdömet enligt följande:"
			},
			Ask: func(deadline string) string {
				return "Du kan redigera ditt omdöme via länken nedan fram till " + deadline + "."
			},
			Button: "Redigera omdömet",
		},
		Absent: "Om vi inte har hört från dig till dess fattar vi beslut om rapporten utifrån den information vi har.",
	},
	ReviewRemoved: reviewRemovedTexts{
		Subject: func(business string) string { return "Ditt omdöme om " + business + " har tagits bort" },
		Intro: func(platform, business, title string) string {
			return "Vi har tagit bort ditt omdöme" + titleSv(title) + " om " + business + " från " + platform + ". I det här mejlet förklarar vi varför och vad du kan göra om du inte håller med."
		},
		WhyHeading: "Varför omdömet togs bort",
		WhyAgent: func(business string, count int) string {
			return "Vi har tagit bort omdömet av följande " + plural(count, "anledning", "anledningar") + ". " + business + " angav " + plural(count, "den", "dem") + " i sin rapport, och vi har kommit fram till att omdömet strider mot våra riktlinjer på " + plural(count, "den punkten", "de punkterna") + ":"
		},
		WhyNoProof: func(business string, count int) string {
			return "Vi har tagit bort omdömet av följande " + plural(count, "anledning", "anledningar") + ", som " + business + " angav i sin rapport:"
		},
		GroundNoProof: "Enligt våra riktlinjer måste varje omdöme bygga på en äkta köp- eller serviceupplevelse. Om ett omdöme rapporteras av den anledningen och omdömeslämnaren inte visar oss sin upplevelse inom den tid vi ger, tas omdömet bort.",
		FactsHeading:  "Vad vi har grundat beslutet på",
		FactsNoProof: func(business string) string {
			return business + " rapporterade att du inte har haft en äkta köp- eller serviceupplevelse hos företaget, och vi bad dig om underlag som visar din upplevelse."
		},
		WhoHeading: "Vem som fattade beslutet",
		WhoAgent: func(decidedAt string) string {
			return "Beslutet fattades den " + decidedAt + " av en medarbetare i vårt Compliance-team, efter en granskning av rapporten och den information som fanns tillgänglig."
		},
		WhoAppeal: func(business, decidedAt string) string {
			return "Efter vår utredning av rapporten hade vi publicerat ditt omdöme igen. " + business + " överklagade det beslutet. En medarbetare i vårt Compliance-team som inte var med och fattade det första beslutet gick igenom ärendet på nytt och ändrade beslutet den " + decidedAt + "."
		},
		WhoNoProof: func(decidedAt string) string {
			return "Beslutet fattades automatiskt, utan att någon person bedömde ditt ärende: inget underlag kom in inom den tid du fick, som löpte ut den " + decidedAt + ", och i sådana fall ska omdömet enligt våra riktlinjer tas bort."
		},
		Detection: func(business string) string {
			return "Inget automatiskt verktyg har upptäckt eller flaggat ditt omdöme – vi fick kännedom om det genom rapporten från " + business + "."
		},
		AppealHeading: "Så överklagar du beslutet",
		AppealText: func(deadline string) string {
			return "Om du anser att beslutet är fel kan du överklaga det via länken nedan fram till " + deadline + ". Berätta varför och lägg gärna till sådant som styrker ditt omdöme. En medarbetare i vårt Compliance-team som inte var med och fattade beslutet granskar det på nytt och meddelar dig resultatet via e-post."
		},
		AppealButton: "Överklaga beslutet",
		FinalHeading: "Om du inte håller med",
	},
	ReviewerReplied: reviewerRepliedTexts{
		Subject: "Omdömeslämnaren har svarat på ditt meddelande",
		Intro: func(title string) string {
			return "Omdömeslämnaren bakom omdömet" + titleSv(title) + " har svarat på meddelandet som du skickade via Hitta omdömeslämnare."
		},
		Read:   "Du kan läsa svaret i ditt företagskonto. Omdömeslämnaren bestämmer själv vad hen delar med sig av, och hens e-postadress och namn förblir privata.",
		Button: "Läs svaret",
		Advice: "Vi rekommenderar att du tar vara på informationen och använder den för att förbättra din service och lösa eventuella problem.",
	},
	RequestExpired: requestExpiredTexts{
		Subject: "Inget svar på ditt meddelande via Hitta omdömeslämnare",
		Intro: func(title string) string {
			return "Omdömeslämnaren bakom omdömet" + titleSv(title) + " har inte svarat på ditt meddelande via Hitta omdömeslämnare, och svarstiden har nu gått ut."
		},
		RemindYes: "Du kan skicka en påminnelse. Då öppnas förfrågan igen och omdömeslämnaren får mer tid att svara.",
		RemindNo:  "Du har redan använt den påminnelse som finns för den här förfrågan, så den är nu avslutad.",
		Options:   "Du kan också besvara omdömet offentligt. Då visar du både omdömeslämnaren och alla andra att du vill hjälpa till och lösa problem. Om du har anledning att tro att omdömeslämnaren inte har haft en äkta köp- eller serviceupplevelse hos ditt företag kan du nu rapportera omdömet av den anledningen.",
		Button:    "Visa förfrågan",
	},
	ReviewReinstated: reviewReinstatedTexts{
		Subject: "Ett omdöme som du rapporterade är online igen",
		Intro: func(title string) string {
			return "Vårt Compliance-team har utrett din rapport om omdömet" + titleSv(title) + ". Omdömet strider inte mot våra riktlinjer av de anledningar du angav, så det har publicerats igen."
		},
		IntroAppeal: func(title string) string {
			return "Efter vår utredning av din rapport om omdömet" + titleSv(title) + " hade vi tagit bort det. Omdömeslämnaren överklagade beslutet, och en medarbetare i vårt Compliance-team som inte var med och fattade det har gått igenom ärendet på nytt och ändrat beslutet. Omdömet har därför publicerats igen."
		},
		Neutral: "Vi intar en neutral hållning när ett företag och en omdömeslämnare är oense om vad som har hänt. Om du ser annorlunda på saken rekommenderar vi att du besvarar omdömet offentligt och förklarar din version i vänliga ordalag.",
		Appeal: func(deadline string) string {
			return "Om du anser att beslutet är fel kan du överklaga det via rapporten i ditt företagskonto fram till " + deadline + ". En medarbetare i vårt Compliance-team som inte var med och fattade beslutet granskar det på nytt och meddelar dig resultatet via e-post."
		},
		Button: "Visa rapporten",
	},
	ReviewReinstatedForReviewer: reviewReinstatedForReviewerTexts{
		Subject: func(business string) string { return "Ditt omdöme om " + business + " är publicerat igen" },
		Intro: func(platform, business, title string) string {
			return "Compliance-teamet på " + platform + " har utrett rapporten som " + business + " gjorde om ditt omdöme" + titleSv(title) + ". Omdömet strider inte mot våra riktlinjer av de anledningar som företaget angav, så det är publicerat igen."
		},
		IntroAppeal: func(platform, business, title string) string {
			return "Du överklagade vårt beslut att ta bort ditt omdöme" + titleSv(title) + " om " + business + ". En medarbetare i Compliance-teamet på " + platform + " som inte var med och fattade beslutet har gått igenom ärendet på nytt och ändrat beslutet. Ditt omdöme är publicerat igen."
		},
		Next: func(business string) string {
			return "Du behöver inte göra något. " + business + " kan överklaga beslutet. Gör företaget det avgörs överklagandet av en medarbetare i vårt Compliance-team som inte var med och fattade beslutet, och vi meddelar dig resultatet via e-post."
		},
		NextAppeal: "Du behöver inte göra något. Tack för att du tog dig tid att överklaga.",
	},
	AppealDecided: appealDecidedTexts{
		SubjectReviewer: func(business string) string {
			return "Beslut om ditt överklagande: ditt omdöme om " + business + " förblir borttaget"
		},
		SubjectBusiness: func(business string) string {
			return "Beslut om ditt överklagande gällande ett omdöme om " + business
		},
		SubjectKept: func(business string) string { return "Ditt omdöme om " + business + " ligger kvar" },
		ReviewerUpheld: func(platform, business, title, decidedAt string) string {
			return "Du överklagade vårt beslut att ta bort ditt omdöme" + titleSv(title) + " om " + business + ". En medarbetare i Compliance-teamet på " + platform + " som inte var med och fattade beslutet gick igenom ärendet på nytt och beslutade den " + decidedAt + " att det står fast. Omdömet förblir borttaget."
		},
		BusinessUpheld: func(platform, business, title, decidedAt string) string {
			return "Du överklagade vårt beslut att publicera omdömet" + titleSv(title) + " om " + business + " igen efter din rapport. En medarbetare i Compliance-teamet på " + platform + " som inte var med och fattade beslutet gick igenom ärendet på nytt och beslutade den " + decidedAt + " att det står fast. Omdömet ligger kvar."
		},
		BusinessReversed: func(platform, business, title, decidedAt string) string {
			return "Du överklagade vårt beslut att publicera omdömet" + titleSv(title) + " om " + business + " igen efter din rapport. En medarbetare i Compliance-teamet på " + platform + " som inte var med och fattade beslutet gick igenom ärendet på nytt och ändrade beslutet den " + decidedAt + ". Omdömet har tagits bort från " + platform + "."
		},
		Kept: func(platform, business, title, decidedAt string) string {
			return business + " överklagade vårt beslut att publicera ditt omdöme" + titleSv(title) + " igen efter företagets rapport. En medarbetare i Compliance-teamet på " + platform + " som inte var med och fattade beslutet gick igenom ärendet på nytt och avslog överklagandet den " + decidedAt + ". Ditt omdöme ligger kvar."
		},
		FactsLead: "Det här har vi grundat beslutet på:",
		Nothing:   "Du behöver inte göra något.",
		Button:    "Visa rapporten",
	},
	ReplyPublished: replyPublishedTexts{
		Subject:       func(business string) string { return business + " har svarat på ditt omdöme" },
		SubjectEdited: func(business string) string { return business + " har ändrat sitt svar på ditt omdöme" },
		Intro: func(business, title string) string {
			return business + " har publicerat ett offentligt svar på ditt omdöme" + titleSv(title) + ":"
		},
		IntroEdited: func(business, title string) string {
			return business + " har ändrat sitt offentliga svar på ditt omdöme" + titleSv(title) + ". Nu lyder det:"
		},
		Button:       "Se ditt omdöme och svaret",
		Report:       "Om svaret innehåller dina personuppgifter, hotar dig eller är aggressivt, eller ber dig ändra eller ta bort ditt omdöme, kan du anmäla det till oss.",
		ReportButton: "Anmäl svaret",
		Stop:         "Vill du inte få e-post om svar på dina omdömen? Du kan stoppa dem; e-post om anmälningar och förfrågningar om ditt omdöme får du fortfarande.",
		StopButton:   "Stoppa e-post om svar",
	},
	ReplyRemoved: replyRemovedTexts{
		Subject: "vi har tagit bort ditt svar på ett omdöme",
		Intro: func(platform, title string) string {
			return "Ditt offentliga svar på omdömet" + titleSv(title) + " anmäldes till oss. Vårt Compliance-team granskade det och tog bort det från " + platform + ". Detta är vår motivering."
		},
		WhyHeading: "Varför vi tog bort det",
		Why: func(n int) string {
			if n == 1 {
				return "Svaret bryter mot denna regel i riktlinjerna för svar:"
			}
			return "Svaret bryter mot dessa regler i riktlinjerna för svar:"
		},
		FactsHeading: "Vad vi grundade beslutet på",
		WhoHeading:   "Vem som beslutade",
		Who: func(decidedAt string) string {
			return "En medarbetare i vårt Compliance-team beslutade den " + decidedAt + ". Beslutet fattades inte automatiskt; anmälningar gjorde oss uppmärksamma på svaret."
		},
		Kept:   "Svaret visas inte längre. Dess texter sparas för vårt Compliance-team. Du kan publicera ett nytt svar som följer riktlinjerna.",
		Button: "Visa omdömet",
		Reasons: replyReasonsTexts{
			PersonalData: reasonTexts{"Personuppgifter", "svaret innehåller någons personuppgifter"},
			Threats:      reasonTexts{"Hot eller aggressivt språk", "svaret hotar recensenten eller använder aggressivt språk"},
			EditRequest:  reasonTexts{"Begäran om att ändra omdömet", "svaret ber om att omdömet ändras, tas bort eller uppdateras"},
		},
	},
	ReplyReportDecided: replyReportDecidedTexts{
		Subject: func(business string) string { return "Din anmälan av svaret från " + business },
		Removed: func(business, title string) string {
			return "Du anmälde svaret från " + business + " på ditt omdöme" + titleSv(title) + ". Vårt Compliance-team granskade det och tog bort svaret: det bryter mot riktlinjerna för svar."
		},
		Kept: func(business, title string) string {
			return "Du anmälde svaret från " + business + " på ditt omdöme" + titleSv(title) + ". Vårt Compliance-team granskade det och kom fram till att det följer riktlinjerna för svar: svaret ligger kvar."
		},
		Thanks: "Tack för att du hörde av dig. Du behöver inte göra något.",
	},
	AnswerReceived: answerReceivedTexts{
		SubjectReply: func(business string) string { return "En kopia av ditt svar till " + business },
		SubjectProof: func(business string) string { return "Vi har tagit emot ditt underlag om ditt omdöme om " + business },
		SubjectEvidence: func(business string) string {
			return "Vi har tagit emot din information om ditt omdöme om " + business
		},
		SubjectEdit: func(business string) string { return "Ditt omdöme om " + business + " har ändrats" },
		SubjectAppeal: func(business string) string {
			return "Vi har tagit emot ditt överklagande om ditt omdöme om " + business
		},
		IntroReply: func(platform, business, title, receivedAt string) string {
			return "Den " + receivedAt + " svarade du via " + platform + " på meddelandet från " + business + " om ditt omdöme" + titleSv(title) + ". Det här är vad du skickade:"
		},
		IntroProof: func(business, title, receivedAt string) string {
			return "Den " + receivedAt + " skickade du oss underlag om din upplevelse hos " + business + " för ditt omdöme" + titleSv(title) + ". Det här är vad du skickade:"
		},
		IntroEvidence: func(platform, business, title, receivedAt string) string {
			return "Den " + receivedAt + " skickade du den information som Compliance-teamet på " + platform + " bad om när det gäller ditt omdöme" + titleSv(title) + " om " + business + ". Det här är vad du skickade:"
		},
		IntroEdit: func(business, title, receivedAt string) string {
			return "Den " + receivedAt + " ändrade du ditt omdöme om " + business + " så som vårt Compliance-team bad om. Ditt omdöme" + titleSv(title) + " lyder nu:"
		},
		IntroAppeal: func(business, title, receivedAt string) string {
			return "Den " + receivedAt + " överklagade du beslutet att ta bort ditt omdöme" + titleSv(title) + " om " + business + ". Det här är vad du skickade:"
		},
		NextReply: func(business string) string {
			return business + " har fått veta att du har svarat och kan nu läsa ditt svar. Du behöver inte göra något mer."
		},
		NextReport: "Vårt Compliance-team tar hänsyn till det du skickade när det fattar beslut om rapporten, och vi mejlar dig beslutet. Du behöver inte göra något mer.",
		NextAppeal: func(platform string) string {
			return "En person på " + platform + " som inte var med och beslutade att ta bort ditt omdöme prövar ditt överklagande, och vi mejlar dig resultatet."
		},
		Copy: "Vi skickar den här kopian så att du kan spara den. Du får den även om du har stängt av andra mejl från oss, eftersom den bekräftar något du har skickat.",
	},
}

// dateSv writes "27 november 2026 kl. 10:00 CET (09:00 UTC)": the
// reader's wall clock with the zone's abbreviation, then UTC, with its own
// date when that is another day ("1 januari 2027 kl. 00:30 CET (31
// december kl. 23:30 UTC)"); in UTC only "27 november 2026 kl. 09:00 UTC".
func dateSv(local, utc time.Time) string {
	z := zonedAt(moderation.LocaleSV, local, utc)
	l, u := z.Local, z.UTC
	if z.IsUTC {
		return l.Day + " " + l.Month + " " + l.Year + " kl. " + l.Clock + " UTC"
	}
	at := u.Clock + " UTC"
	if !z.SameDay {
		at = u.Day + " " + u.Month + " kl. " + at
	}
	return l.Day + " " + l.Month + " " + l.Year + " kl. " + l.Clock + " " + z.Zone + " (" + at + ")"
}

func titleSv(title string) string { return quoted("”", title, "”") }
