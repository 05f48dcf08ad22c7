package mail

import (
	"time"

	"github.com/candorhq/candor/shared/moderation"
)

// textsDe is the German catalogue. It addresses the reader formally
// ("Sie"), as the platform's German help centre does, and quotes titles with
// „…“.
var textsDe = texts{
	Date:        dateDe,
	Greeting:    "Guten Tag,",
	SignoffTeam: func(platform string) []string { return []string{"Freundliche Grüße", "Ihr " + platform + "-Team"} },
	SignoffIntegrity: func(platform string) []string {
		return []string{"Freundliche Grüße", "Ihr Compliance-Team von " + platform}
	},
	FooterReviewer: func(platform string) string {
		return "Sie erhalten diese E-Mail, weil Sie eine Bewertung auf " + platform + " verfasst haben."
	},
	FooterPersonal: "Der Link in dieser E-Mail ist persönlich – bitte leiten Sie sie nicht weiter.",
	FooterBusiness: func(platform string) string {
		return "Sie erhalten diese E-Mail, weil Ihr Unternehmen " + platform + " nutzt. Wir senden sie an die Benachrichtigungsadresse Ihres Business-Accounts."
	},
	ForBusiness:    func(business string) string { return "Business-Account: " + business },
	ButtonFallback: "Falls die Schaltfläche nicht funktioniert, nutzen Sie diesen Link:",
	FallbackLink:   func(label, site string) string { return label + " (öffnet " + site + ")" },
	PrivacyReviewer: func(business string) string {
		return "Wir haben Ihre E-Mail-Adresse und Ihren Namen nicht an " + business + " weitergegeben. Das Unternehmen sieht nur, was Sie in Ihrer Antwort schreiben."
	},
	Reasons: reasonsTexts{
		OffensiveOrHarmful:  reasonTexts{"Beleidigende oder schädliche Inhalte", "Drohungen, Hass, Diskriminierung, Obszönitäten oder Verleumdung"},
		PersonalInformation: reasonTexts{"Personenbezogene Daten", "die Bewertung enthält personenbezogene Daten einer Person"},
		Promotional:         reasonTexts{"Werbung", "Werbung oder verkaufsfördernde Inhalte"},
		RightsViolation:     reasonTexts{"Verletzung von Rechten", "die Bewertung verletzt geistiges Eigentum, die Privatsphäre oder Persönlichkeitsrechte"},
		Spam:                reasonTexts{"Spam", "Spam, sinnloser oder wiederholter Text"},
		WrongCompany:        reasonTexts{"Falsches Unternehmen", "die Bewertung betrifft ein anderes Unternehmen"},
		ExperienceTooOld:    reasonTexts{"Erfahrung liegt zu lange zurück", "die Bewertung wurde mehr als 12 Monate nach der Erfahrung verfasst"},
		EthicalOrPolitical:  reasonTexts{"Ethische oder politische Äußerung", "eine rein ethische oder politische Aussage statt einer Erfahrung mit dem Unternehmen"},
		Competitor:          reasonTexts{"Interessenkonflikt", "verfasst von einem Wettbewerber, einem Mitarbeiter, einem Angehörigen oder einer anderen Person mit Interessenkonflikt"},
		MultipleProfiles:    reasonTexts{"Mehrere Profile", "dieselbe Person bewertet über mehrere Profile"},
		NoGenuineExperience: reasonTexts{"Keine echte Erfahrung", "der Bewerter hatte keine wirkliche Kauf- oder Serviceerfahrung mit dem Unternehmen"},
	},
	OutOfCourt:     "Sie können sich außerdem an eine zertifizierte außergerichtliche Streitbeilegungsstelle wenden. Das sind unabhängige Stellen, die nach Artikel 21 des Gesetzes über digitale Dienste der EU (Digital Services Act) zugelassen sind und Streitigkeiten mit Online-Plattformen beilegen; für Sie ist das kostenlos oder kostet höchstens eine geringe Schutzgebühr. Die Europäische Kommission veröffentlicht eine Liste der zertifizierten Stellen. Außerdem steht Ihnen der Rechtsweg zu den Gerichten offen.",
	OutOfCourtLink: "Liste der zertifizierten Streitbeilegungsstellen der Europäischen Kommission",
	Final: func(platform string) string {
		return "Diese Entscheidung wurde im Widerspruchsverfahren getroffen und ist bei " + platform + " endgültig: Ein weiterer Widerspruch bei uns ist nicht möglich."
	},

	FindReviewerRequest: findReviewerRequestTexts{
		Subject: func(business string) string { return business + " hat eine Frage zu Ihrer Bewertung" },
		Intro: func(platform, business, title string) string {
			return business + " würde gerne mehr über Ihre Erfahrung wissen und hat Ihnen über " + platform + " eine Nachricht zu Ihrer Bewertung" + titleDe(title) + " gesendet:"
		},
		Ask: func(business, deadline string) string {
			return "Wenn Sie antworten möchten, nutzen Sie bitte den Link unten. Die Antwortfrist endet am " + deadline + ". Was Sie mitteilen, entscheiden allein Sie – zum Beispiel eine Bestell- oder Rechnungsnummer oder wie " + business + " Sie erreichen kann. Ihre Antwort kann nur Text enthalten; Anhänge sind nicht möglich."
		},
		Button: func(business string) string { return "Jetzt antworten" },
		Online: "Ihre Bewertung bleibt in der Zwischenzeit online.",
	},
	FindReviewerReminder: findReviewerReminderTexts{
		SubjectAuto:   func(business string) string { return "Erinnerung: " + business + " wartet auf Ihre Antwort" },
		SubjectManual: func(business string) string { return business + " hat Ihnen eine Erinnerung gesendet" },
		IntroAuto: func(platform, business, title string) string {
			return "Vor einigen Tagen hat " + business + " Ihnen über " + platform + " eine Nachricht zu Ihrer Bewertung" + titleDe(title) + " gesendet und bisher keine Antwort erhalten. Hier noch einmal die Nachricht:"
		},
		IntroManual: func(platform, business, title string) string {
			return business + " würde sich weiterhin über eine Antwort von Ihnen zu Ihrer Bewertung" + titleDe(title) + " freuen und hat Ihnen über " + platform + " eine Erinnerung gesendet. Hier noch einmal die Nachricht:"
		},
		Ask: func(deadline string) string {
			return "Sie können über den Link unten antworten; die Frist endet am " + deadline + ". Die Antwort ist freiwillig, und Sie entscheiden selbst, was Sie mitteilen."
		},
	},
	ReviewReported: reviewReportedTexts{
		Subject: func(business string) string { return "Ihre Bewertung über " + business + " wurde gemeldet" },
		Intro: func(platform, business, title string) string {
			return business + " hat Ihre Bewertung" + titleDe(title) + " gemeldet, da das Unternehmen der Ansicht ist, dass sie gegen die Richtlinien von " + platform + " verstößt."
		},
		Hidden:  "Während unser Compliance-Team die Meldung prüft, ist Ihre Bewertung vorübergehend ausgeblendet, und an ihrer Stelle wird die Stellungnahme des Unternehmens angezeigt:",
		Visible: "Ihre Bewertung bleibt online, während unser Compliance-Team die Meldung prüft. Das Unternehmen hat dazu folgende Stellungnahme veröffentlicht:",
		Next:    "Sie müssen im Moment nichts tun. Falls wir Informationen von Ihnen benötigen, melden wir uns per E-Mail und geben Ihnen Zeit für eine Antwort. Eine Meldung bedeutet nicht, dass die Bewertung gegen unsere Richtlinien verstößt – eine Person aus unserem Team prüft die Meldung und entscheidet.",
	},
	ProofRequest: proofRequestTexts{
		Subject: func(business string) string { return "Bitte bestätigen Sie Ihre Erfahrung mit " + business },
		Intro: func(business, title string) string {
			return business + " hat Ihre Bewertung" + titleDe(title) + " gemeldet. Das Unternehmen ist der Ansicht, dass Sie keine wirkliche Kauf- oder Serviceerfahrung mit ihm gemacht haben."
		},
		Why: func(platform string) string {
			return "Jede Bewertung auf " + platform + " muss auf einer echten Erfahrung beruhen. Damit wir die Meldung prüfen können, bitten wir Sie um einen Nachweis Ihrer Erfahrung – zum Beispiel eine Bestellnummer, eine Quittungs- oder Rechnungsnummer, eine Buchungsreferenz oder Datum und Ort Ihres Kaufs."
		},
		Ask: func(business, deadline string) string {
			return "Bitte senden Sie uns Ihren Nachweis über den Link unten. Die Frist endet am " + deadline + ". Ihr Nachweis wird von unserem Compliance-Team geprüft; Ihre Kontaktdaten geben wir nicht an " + business + " weiter."
		},
		Absent: "Falls uns bis dahin kein Nachweis vorliegt, wird Ihre Bewertung entfernt.",
		Button: "Nachweis senden",
	},
	ComplianceRequest: complianceRequestTexts{
		Evidence: complianceKindTexts{
			Subject: func(business string) string {
				return "Wir benötigen weitere Informationen zu Ihrer Bewertung über " + business
			},
			Intro: func(platform, business, title string) string {
				return "Das Compliance-Team von " + platform + " prüft eine Meldung zu Ihrer Bewertung" + titleDe(title) + " über " + business + " und benötigt weitere Informationen von Ihnen:"
			},
			Ask: func(deadline string) string {
				return "Bitte antworten Sie über den Link unten. Die Frist endet am " + deadline + "."
			},
			Button: "Informationen senden",
		},
		Edit: complianceKindTexts{
			Subject: func(business string) string { return "Bitte bearbeiten Sie Ihre Bewertung über " + business },
			Intro: func(platform, business, title string) string {
				return "Das Compliance-Team von " + platform + " hat eine Meldung zu Ihrer Bewertung" + titleDe(title) + " über " + business + " geprüft und bittet Sie, die Bewertung wie folgt anzupassen:"
			},
			Ask: func(deadline string) string {
				return "Sie können Ihre Bewertung über den Link unten bearbeiten. Die Frist endet am " + deadline + "."
			},
			Button: "Bewertung bearbeiten",
		},
		Absent: "Falls wir bis dahin nichts von Ihnen hören, entscheiden wir auf Grundlage der vorliegenden Informationen über die Meldung.",
	},
	ReviewRemoved: reviewRemovedTexts{
		Subject: func(business string) string { return "Ihre Bewertung über " + business + " wurde entfernt" },
		Intro: func(platform, business, title string) string {
			return "Wir haben Ihre Bewertung" + titleDe(title) + " über " + business + " von " + platform + " entfernt. In dieser E-Mail erläutern wir die Gründe und was Sie tun können, wenn Sie nicht einverstanden sind."
		},
		WhyHeading: "Warum die Bewertung entfernt wurde",
		WhyAgent: func(business string, count int) string {
			return "Wir haben die Bewertung aus " + plural(count, "folgendem Grund", "folgenden Gründen") + " entfernt. " + business + " hat " + plural(count, "ihn", "sie") + " in der Meldung angegeben, und wir sind zu dem Ergebnis gekommen, dass die Bewertung insoweit gegen unsere Richtlinien verstößt:"
		},
		WhyNoProof: func(business string, count int) string {
			return "Wir haben die Bewertung aus " + plural(count, "folgendem Grund", "folgenden Gründen") + " entfernt, " + plural(count, "den", "die") + " " + business + " in der Meldung angegeben hat:"
		},
		GroundNoProof: "Nach unseren Richtlinien muss jede Bewertung auf einer echten Kauf- oder Serviceerfahrung beruhen. Wird eine Bewertung aus diesem Grund gemeldet und weist der Verfasser uns seine Erfahrung nicht innerhalb der gesetzten Frist nach, wird die Bewertung entfernt.",
		FactsHeading:  "Worauf wir die Entscheidung stützen",
		FactsNoProof: func(business string) string {
			return business + " hat gemeldet, dass Sie keine wirkliche Kauf- oder Serviceerfahrung mit dem Unternehmen gemacht haben, und wir haben Sie um einen Nachweis Ihrer Erfahrung gebeten."
		},
		WhoHeading: "Wer entschieden hat",
		WhoAgent: func(decidedAt string) string {
			return "Diese Entscheidung hat ein Mitglied unseres Compliance-Teams nach Prüfung der Meldung und der vorliegenden Informationen getroffen. Datum der Entscheidung: " + decidedAt + "."
		},
		WhoAppeal: func(business, decidedAt string) string {
			return "Nach der Prüfung der Meldung hatten wir Ihre Bewertung wieder freigeschaltet. " + business + " hat gegen diese Entscheidung Widerspruch eingelegt. Ein Mitglied unseres Compliance-Teams, das an der ersten Entscheidung nicht beteiligt war, hat den Fall erneut geprüft und die Entscheidung am " + decidedAt + " aufgehoben."
		},
		WhoNoProof: func(decidedAt string) string {
			return "Diese Entscheidung wurde automatisch getroffen, ohne dass eine Person Ihren Fall geprüft hat: Bis zum Ende der Frist ist bei uns kein Nachweis eingegangen; die Frist ist am " + decidedAt + " abgelaufen. In diesem Fall sehen unsere Richtlinien die Entfernung der Bewertung vor."
		},
		Detection: func(business string) string {
			return "Ihre Bewertung wurde nicht durch ein automatisiertes Verfahren erkannt oder markiert, sondern uns von " + business + " gemeldet."
		},
		AppealHeading: "So legen Sie Widerspruch ein",
		AppealText: func(deadline string) string {
			return "Wenn Sie die Entscheidung für falsch halten, können Sie bis zum " + deadline + " über den Link unten Widerspruch einlegen. Schildern Sie uns Ihre Gründe und ergänzen Sie gerne alles, was Ihre Bewertung belegt. Ein Mitglied unseres Compliance-Teams, das an dieser Entscheidung nicht beteiligt war, prüft sie erneut und teilt Ihnen das Ergebnis per E-Mail mit."
		},
		AppealButton: "Widerspruch einlegen",
		FinalHeading: "Wenn Sie nicht einverstanden sind",
	},
	ReviewerReplied: reviewerRepliedTexts{
		Subject: "Der Bewerter hat auf Ihre Nachricht geantwortet",
		Intro: func(title string) string {
			return "Der Verfasser der Bewertung" + titleDe(title) + " hat auf die Nachricht geantwortet, die Sie ihm mit dem Tool „Bewerter ermitteln“ gesendet haben."
		},
		Read:   "Sie können die Antwort in Ihrem Business-Account lesen. Der Bewerter entscheidet selbst, was er mitteilt; seine E-Mail-Adresse und sein Name bleiben privat.",
		Button: "Antwort lesen",
		Advice: "Wir empfehlen Ihnen, diese Informationen zu nutzen, um Ihren Service zu verbessern und eventuelle Probleme zu lösen.",
	},
	RequestExpired: requestExpiredTexts{
		Subject: "Bewerter ermitteln: keine Antwort auf Ihre Nachricht",
		Intro: func(title string) string {
			return "Der Verfasser der Bewertung" + titleDe(title) + " hat nicht auf die Nachricht geantwortet, die Sie ihm mit dem Tool „Bewerter ermitteln“ gesendet haben, und die Antwortfrist ist nun abgelaufen."
		},
		RemindYes: "Sie können eine Erinnerung senden. Damit wird die Anfrage erneut geöffnet, und der Bewerter erhält mehr Zeit für eine Antwort.",
		RemindNo:  "Sie haben die mögliche Erinnerung für diese Anfrage bereits genutzt; die Anfrage ist damit abgeschlossen.",
		Options:   "Sie können die Bewertung auch öffentlich beantworten. So zeigen Sie dem Bewerter und allen anderen, dass Ihnen an einer Lösung gelegen ist. Wenn Sie Grund zu der Annahme haben, dass der Bewerter keine wirkliche Kauf- oder Serviceerfahrung mit Ihrem Unternehmen gemacht hat, können Sie die Bewertung jetzt aus diesem Grund melden.",
		Button:    "Anfrage ansehen",
	},
	ReviewReinstated: reviewReinstatedTexts{
		Subject: "Eine von Ihnen gemeldete Bewertung ist wieder online",
		Intro: func(title string) string {
			return "Unser Compliance-Team hat die Prüfung Ihrer Meldung zur Bewertung" + titleDe(title) + " abgeschlossen. Die Bewertung verstößt aus den von Ihnen genannten Gründen nicht gegen unsere Richtlinien und wurde daher wieder freigeschaltet."
		},
		IntroAppeal: func(title string) string {
			return "Nach der Prüfung Ihrer Meldung zur Bewertung" + titleDe(title) + " hatten wir die Bewertung entfernt. Der Verfasser der Bewertung hat dagegen Widerspruch eingelegt. Ein Mitglied unseres Compliance-Teams, das an der ersten Entscheidung nicht beteiligt war, hat den Fall erneut geprüft und die Entscheidung aufgehoben; die Bewertung wurde daher wieder freigeschaltet."
		},
		Neutral: "Bei Meinungsverschiedenheiten zwischen Unternehmen und Bewertern über den Ablauf der Ereignisse bleiben wir neutral. Wenn Sie die Sache anders sehen, empfehlen wir Ihnen, die Bewertung öffentlich und in freundlichem Ton zu beantworten.",
		Appeal: func(deadline string) string {
			return "Wenn Sie die Entscheidung für falsch halten, können Sie bis zum " + deadline + " über die Meldung in Ihrem Business-Account Widerspruch einlegen. Ein Mitglied unseres Compliance-Teams, das an der Entscheidung nicht beteiligt war, prüft sie erneut und teilt Ihnen das Ergebnis per E-Mail mit."
		},
		Button: "Meldung ansehen",
	},
	ReviewReinstatedForReviewer: reviewReinstatedForReviewerTexts{
		Subject: func(business string) string { return "Ihre Bewertung über " + business + " ist wieder online" },
		Intro: func(platform, business, title string) string {
			return "Das Compliance-Team von " + platform + " hat die Prüfung der Meldung von " + business + " zu Ihrer Bewertung" + titleDe(title) + " abgeschlossen. Die Bewertung verstößt aus den vom Unternehmen genannten Gründen nicht gegen unsere Richtlinien und ist daher wieder öffentlich sichtbar."
		},
		IntroAppeal: func(platform, business, title string) string {
			return "Sie haben gegen unsere Entscheidung, Ihre Bewertung" + titleDe(title) + " über " + business + " zu entfernen, Widerspruch eingelegt. Ein Mitglied des Compliance-Teams von " + platform + ", das an dieser Entscheidung nicht beteiligt war, hat den Fall erneut geprüft und die Entscheidung aufgehoben: Ihre Bewertung ist wieder öffentlich sichtbar."
		},
		Next: func(business string) string {
			return "Sie müssen nichts weiter tun. " + business + " kann gegen diese Entscheidung Widerspruch einlegen. In diesem Fall entscheidet ein Mitglied unseres Compliance-Teams, das an ihr nicht beteiligt war, und wir teilen Ihnen das Ergebnis per E-Mail mit."
		},
		NextAppeal: "Sie müssen nichts weiter tun. Vielen Dank, dass Sie sich die Zeit für Ihren Widerspruch genommen haben.",
	},
	AppealDecided: appealDecidedTexts{
		SubjectReviewer: func(business string) string {
			return "Entscheidung über Ihren Widerspruch: Ihre Bewertung über " + business + " bleibt entfernt"
		},
		SubjectBusiness: func(business string) string {
			return "Entscheidung über Ihren Widerspruch zu einer Bewertung über " + business
		},
		SubjectKept: func(business string) string { return "Ihre Bewertung über " + business + " bleibt online" },
		ReviewerUpheld: func(platform, business, title, decidedAt string) string {
			return "Sie haben gegen unsere Entscheidung, Ihre Bewertung" + titleDe(title) + " über " + business + " zu entfernen, Widerspruch eingelegt. Ein Mitglied des Compliance-Teams von " + platform + ", das an dieser Entscheidung nicht beteiligt war, hat den Fall erneut geprüft und die Entscheidung am " + decidedAt + " bestätigt: Die Bewertung bleibt entfernt."
		},
		BusinessUpheld: func(platform, business, title, decidedAt string) string {
			return "Sie haben gegen unsere Entscheidung, die Bewertung" + titleDe(title) + " über " + business + " nach Ihrer Meldung wieder freizuschalten, Widerspruch eingelegt. Ein Mitglied des Compliance-Teams von " + platform + ", das an dieser Entscheidung nicht beteiligt war, hat den Fall erneut geprüft und die Entscheidung am " + decidedAt + " bestätigt: Die Bewertung bleibt online."
		},
		BusinessReversed: func(platform, business, title, decidedAt string) string {
			return "Sie haben gegen unsere Entscheidung, die Bewertung" + titleDe(title) + " über " + business + " nach Ihrer Meldung wieder freizuschalten, Widerspruch eingelegt. Ein Mitglied des Compliance-Teams von " + platform + ", das an dieser Entscheidung nicht beteiligt war, hat den Fall erneut geprüft und die Entscheidung am " + decidedAt + " aufgehoben: Die Bewertung wurde von " + platform + " entfernt."
		},
		Kept: func(platform, business, title, decidedAt string) string {
			return business + " hat gegen unsere Entscheidung, Ihre Bewertung" + titleDe(title) + " nach der Meldung des Unternehmens wieder freizuschalten, Widerspruch eingelegt. Ein Mitglied des Compliance-Teams von " + platform + ", das an dieser Entscheidung nicht beteiligt war, hat den Fall erneut geprüft und den Widerspruch am " + decidedAt + " zurückgewiesen: Ihre Bewertung bleibt online."
		},
		FactsLead: "Darauf stützen wir die Entscheidung:",
		Nothing:   "Sie müssen nichts tun.",
		Button:    "Meldung ansehen",
	},
	ReplyPublished: replyPublishedTexts{
		Subject:       func(business string) string { return business + " hat auf Ihre Bewertung geantwortet" },
		SubjectEdited: func(business string) string { return business + " hat die Antwort auf Ihre Bewertung geändert" },
		Intro: func(business, title string) string {
			return business + " hat eine öffentliche Antwort auf Ihre Bewertung" + titleDe(title) + " veröffentlicht:"
		},
		IntroEdited: func(business, title string) string {
			return business + " hat die öffentliche Antwort auf Ihre Bewertung" + titleDe(title) + " geändert. Sie lautet jetzt:"
		},
		Button:       "Bewertung und Antwort ansehen",
		Report:       "Wenn die Antwort Ihre personenbezogenen Daten enthält, Sie bedroht oder aggressiv ist oder Sie bittet, Ihre Bewertung zu ändern oder zu löschen, können Sie sie uns melden.",
		ReportButton: "Antwort melden",
		Stop:         "Sie möchten keine E-Mails zu Antworten auf Ihre Bewertungen? Sie können sie abbestellen; E-Mails zu Meldungen und Anfragen zu Ihrer Bewertung erhalten Sie weiterhin.",
		StopButton:   "E-Mails zu Antworten abbestellen",
	},
	ReplyRemoved: replyRemovedTexts{
		Subject: "Wir haben Ihre Antwort auf eine Bewertung entfernt",
		Intro: func(platform, title string) string {
			return "Ihre öffentliche Antwort auf die Bewertung" + titleDe(title) + " wurde uns gemeldet. Unser Compliance-Team hat sie geprüft und von " + platform + " entfernt. Dies ist unsere Begründung."
		},
		WhyHeading: "Warum wir sie entfernt haben",
		Why: func(n int) string {
			if n == 1 {
				return "Die Antwort verstößt gegen diese Regel der Richtlinien für Antworten:"
			}
			return "Die Antwort verstößt gegen diese Regeln der Richtlinien für Antworten:"
		},
		FactsHeading: "Worauf wir die Entscheidung gestützt haben",
		WhoHeading:   "Wer entschieden hat",
		Who: func(decidedAt string) string {
			return "Ein Mitglied unseres Compliance-Teams hat am " + decidedAt + " entschieden. Die Entscheidung wurde nicht automatisiert getroffen; Meldungen haben uns auf die Antwort aufmerksam gemacht."
		},
		Kept:   "Die Antwort wird nicht mehr angezeigt. Ihre Texte werden für unser Compliance-Team aufbewahrt. Sie können eine neue Antwort veröffentlichen, die den Richtlinien entspricht.",
		Button: "Bewertung ansehen",
		Reasons: replyReasonsTexts{
			PersonalData: reasonTexts{"Personenbezogene Daten", "die Antwort enthält personenbezogene Daten einer Person"},
			Threats:      reasonTexts{"Drohungen oder aggressive Sprache", "die Antwort bedroht die bewertende Person oder verwendet aggressive Sprache"},
			EditRequest:  reasonTexts{"Bitte um Änderung der Bewertung", "die Antwort bittet darum, die Bewertung zu ändern, zu löschen oder zu aktualisieren"},
		},
	},
	ReplyReportDecided: replyReportDecidedTexts{
		Subject: func(business string) string { return "Ihre Meldung der Antwort von " + business },
		Removed: func(business, title string) string {
			return "Sie haben die Antwort von " + business + " auf Ihre Bewertung" + titleDe(title) + " gemeldet. Unser Compliance-Team hat sie geprüft und die Antwort entfernt: Sie verstößt gegen die Richtlinien für Antworten."
		},
		Kept: func(business, title string) string {
			return "Sie haben die Antwort von " + business + " auf Ihre Bewertung" + titleDe(title) + " gemeldet. Unser Compliance-Team hat sie geprüft und festgestellt, dass sie den Richtlinien für Antworten entspricht: Die Antwort bleibt online."
		},
		Thanks: "Vielen Dank für Ihren Hinweis. Sie müssen nichts weiter tun.",
	},
	AnswerReceived: answerReceivedTexts{
		SubjectReply: func(business string) string { return "Eine Kopie Ihrer Antwort an " + business },
		SubjectProof: func(business string) string {
			return "Wir haben Ihren Nachweis zu Ihrer Bewertung über " + business + " erhalten"
		},
		SubjectEvidence: func(business string) string {
			return "Wir haben Ihre Informationen zu Ihrer Bewertung über " + business + " erhalten"
		},
		SubjectEdit: func(business string) string { return "Ihre Bewertung über " + business + " wurde bearbeitet" },
		SubjectAppeal: func(business string) string {
			return "Wir haben Ihren Widerspruch zu Ihrer Bewertung über " + business + " erhalten"
		},
		IntroReply: func(platform, business, title, receivedAt string) string {
			return "Am " + receivedAt + " haben Sie über " + platform + " auf die Nachricht von " + business + " zu Ihrer Bewertung" + titleDe(title) + " geantwortet. Das haben Sie gesendet:"
		},
		IntroProof: func(business, title, receivedAt string) string {
			return "Am " + receivedAt + " haben Sie uns einen Nachweis Ihrer Erfahrung mit " + business + " zu Ihrer Bewertung" + titleDe(title) + " gesendet. Das haben Sie gesendet:"
		},
		IntroEvidence: func(platform, business, title, receivedAt string) string {
			return "Am " + receivedAt + " haben Sie dem Compliance-Team von " + platform + " die erbetenen Informationen zu Ihrer Bewertung" + titleDe(title) + " über " + business + " gesendet. Das haben Sie gesendet:"
		},
		IntroEdit: func(business, title, receivedAt string) string {
			return "Am " + receivedAt + " haben Sie Ihre Bewertung über " + business + " so bearbeitet, wie unser Compliance-Team Sie gebeten hatte. Ihre Bewertung" + titleDe(title) + " lautet jetzt:"
		},
		IntroAppeal: func(business, title, receivedAt string) string {
			return "Am " + receivedAt + " haben Sie Widerspruch gegen die Entfernung Ihrer Bewertung" + titleDe(title) + " über " + business + " eingelegt. Das haben Sie gesendet:"
		},
		NextReply: func(business string) string {
			return business + " wurde benachrichtigt, dass Sie geantwortet haben, und kann Ihre Antwort jetzt lesen. Sie müssen nichts weiter tun."
		},
		NextReport: "Unser Compliance-Team berücksichtigt, was Sie gesendet haben, wenn es über die Meldung entscheidet, und wir teilen Ihnen die Entscheidung per E-Mail mit. Sie müssen nichts weiter tun.",
		NextAppeal: func(platform string) string {
			return "Eine Person bei " + platform + ", die an der Entscheidung über die Entfernung Ihrer Bewertung nicht beteiligt war, entscheidet über Ihren Widerspruch, und wir teilen Ihnen das Ergebnis per E-Mail mit."
		},
		Copy: "Wir senden Ihnen diese Kopie, damit Sie sie aufbewahren können. Sie erhalten sie auch dann, wenn Sie andere E-Mails von uns abbestellt haben, denn sie bestätigt etwas, das Sie gesendet haben.",
	},
}

// dateDe writes "27. November 2026, 10:00 CET (09:00 UTC)": the reader's
// wall clock with the zone's abbreviation, then UTC, with its own date when
// that is another day ("1. Januar 2027, 00:30 CET (31. Dezember, 23:30
// UTC)"); in UTC only "27. November 2026, 09:00 UTC".
func dateDe(local, utc time.Time) string {
	z := zonedAt(moderation.LocaleDE, local, utc)
	l, u := z.Local, z.UTC
	if z.IsUTC {
		return l.Day + ". " + l.Month + " " + l.Year + ", " + l.Clock + " UTC"
	}
	at := u.Clock + " UTC"
	if !z.SameDay {
		at = u.Day + ". " + u.Month + ", " + at
	}
	return l.Day + ". " + l.Month + " " + l.Year + ", " + l.Clock + " " + z.Zone + " (" + at + ")"
}

func titleDe(title string) string { return quoted("„", title, "“") }
