package reviewerpage

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/candorhq/candor/shared/links"
	"github.com/candorhq/candor/shared/moderation"
)

// The texts of the pages, in each locale Candor writes in. Placeholders in
// braces are filled in by fill: {business}, {deadline}, {n}, {max}. Swedish
// says "du", German says "Sie"; the vocabulary follows the help-centre
// articles (omdöme, omdömeslämnare, Compliance-team; Bewertung, Nachweis,
// Compliance-Team) and, for an appeal, the removal email of shared/mail
// (överklaga, överklagande; Widerspruch einlegen).

// purposeText is what differs between the purposes of a link.
type purposeText struct {
	heading       string   // {business}
	intro         []string // {business}
	messageLabel  string   // {business}; shown when the view has a message
	replyLabel    string   // {business}; not for edit
	replyHint     string   // {max}; not for edit
	deadline      string   // {deadline}
	notes         []string // {business}, {deadline}: shown above the button
	submit        string
	thanksHeading string
	thanks        []string     // {business}
	own           *answerTexts // nil: the catalog's generic answerTexts
}

// answerTexts are the texts that speak of what the reviewer sends: the
// catalog has generic ones ("your answer"), and a purpose that sends
// something else (an appeal) has its own, so that "already received" and
// "expired" name what the reviewer sent and the window they had.
type answerTexts struct {
	errReplyRequired string
	errRetry         string
	usedHeading      string
	used             []string
	expiredHeading   string
	expired          string // {deadline}
	expiredNoDate    string
	expiredAfter     string
}

// catalog is every text of the pages in one locale.
type catalog struct {
	lang       string
	months     [12]string
	dateFormat string // {day} {month} {year} {time}
	thousands  string // digit group separator
	purposes   map[links.Purpose]purposeText

	reviewHeading string
	starsOf       string // {n}
	titleLabel    string
	titleHint     string // {max}
	textLabel     string
	textHint      string // {max}
	starsLabel    string
	starOne       string
	starMany      string // {n}
	editNote      string

	errSummary      string
	errTextRequired string
	errTooLong      string // {n}, {max}
	errBadChars     string
	errNoLetter     string
	errTooShort     string // {n}, {min}
	errStars        string
	errCheck        string

	answerTexts // what the pages say of an answer, unless a purpose has its own

	notFoundHeading   string
	notFound          string
	unreadableHeading string
	unreadable        string
	tooLargeHeading   string
	tooLarge          string
	methodHeading     string
	method            string
	internalHeading   string
	internal          string
}

var catalogEN = catalog{
	lang:       moderation.LocaleEN,
	months:     [12]string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"},
	dateFormat: "{day} {month} {year}, {time} UTC",
	thousands:  ",",
	purposes: map[links.Purpose]purposeText{
		links.PurposeFindReviewerReply: {
			heading:      "{business} has a question for you",
			intro:        []string{"{business} has a question about your review and sent you this message through us."},
			messageLabel: "Message from {business}",
			replyLabel:   "Your answer to {business}",
			replyHint:    "Text only, up to {max} characters. Attachments are not possible.",
			deadline:     "You can answer until {deadline}.",
			notes: []string{
				"We don't share your email address with {business}. Whatever you write here is passed on to {business} as it is, so only include what you are happy for them to see.",
				"Whether you answer, and what you share, is entirely up to you. Your review stays online either way.",
			},
			submit:        "Send answer",
			thanksHeading: "Thank you for your answer",
			thanks:        []string{"We've passed your answer on to {business}. Your email address stays private."},
		},
		links.PurposeProof: {
			heading:    "Please show us your experience with {business}",
			intro:      []string{"{business} has reported your review, saying it is not based on a genuine buying or service experience. To keep your review, please send us proof of your experience."},
			replyLabel: "Your proof",
			replyHint:  "For example an order, booking or invoice number, a receipt number, and the date of your purchase or visit. Text only, up to {max} characters. Attachments are not possible.",
			deadline:   "Please send your proof by {deadline}.",
			notes: []string{
				"Only our compliance team reads what you send. It is not shared with {business}.",
				"If we haven't received proof by {deadline}, your review will be removed.",
			},
			submit:        "Send proof",
			thanksHeading: "Thank you, we've received your proof",
			thanks:        []string{"Our compliance team will review it. If they need anything else from you, they'll contact you by email."},
		},
		links.PurposeEvidence: {
			heading:      "Our compliance team needs more information",
			intro:        []string{"{business} has reported your review, and our compliance team is looking into the report. They have a question for you."},
			messageLabel: "Message from our compliance team",
			replyLabel:   "Your answer",
			replyHint:    "Text only, up to {max} characters. Attachments are not possible.",
			deadline:     "Please answer by {deadline}.",
			notes: []string{
				"Your answer goes to our compliance team, not to {business}.",
				"If we haven't heard from you by then, we'll decide based on the information we have.",
			},
			submit:        "Send answer",
			thanksHeading: "Thank you, we've received your answer",
			thanks:        []string{"Our compliance team will take it into account when they decide on the report."},
		},
		links.PurposeEdit: {
			heading:      "Please edit your review",
			intro:        []string{"{business} has reported your review, and our compliance team has asked you to change it."},
			messageLabel: "Message from our compliance team",
			deadline:     "Please send your changes by {deadline}.",
			notes: []string{
				"Our compliance team will check your edited review before deciding on the report.",
				"If we haven't heard from you by then, we'll decide based on your review as it is now.",
			},
			submit:        "Send changes",
			thanksHeading: "Thank you, we've received your changes",
			thanks:        []string{"Our compliance team will now look at your edited review."},
		},
		links.PurposeAppeal: {
			heading: "Appeal the removal of your review",
			intro: []string{
				"We removed your review after {business} reported it. If you think our decision was wrong, you can appeal it here.",
				"A person on our compliance team who was not involved in the decision will consider your appeal, and we'll let you know the result by email.",
			},
			replyLabel: "Your reasons for appealing",
			replyHint:  "Tell us what you think was wrong with our decision, and include any facts that support your review, such as an order number or the date of your visit. Text only, up to {max} characters. Attachments are not possible.",
			deadline:   "You can appeal until {deadline}.",
			notes: []string{
				"Your appeal goes to our compliance team, not to {business}.",
				"If we haven't received an appeal by {deadline}, the decision stands and your review stays removed.",
			},
			submit:        "Send appeal",
			thanksHeading: "Thank you, we've received your appeal",
			thanks:        []string{"A person on our compliance team who was not involved in the decision will consider it. We'll let you know the result by email."},
			own: &answerTexts{
				errReplyRequired: "Please tell us why you are appealing.",
				errRetry:         "We couldn't send your appeal just now. Please try again in a few minutes; what you wrote is still here.",
				usedHeading:      "We already have your appeal",
				used: []string{
					"We've already received an appeal through this link, so there's nothing more you need to do.",
					"If you sent the form again, nothing has changed: we've kept your first appeal.",
				},
				expiredHeading: "The appeal period has closed",
				expired:        "The time to appeal ended on {deadline}, so this link can no longer be used.",
				expiredNoDate:  "The time to appeal has ended, so this link can no longer be used.",
				expiredAfter:   "The decision stands, and your review stays removed.",
			},
		},
	},

	reviewHeading: "Your review",
	starsOf:       "{n} out of 5 stars",
	titleLabel:    "Title (optional)",
	titleHint:     "Up to {max} characters.",
	textLabel:     "Your review",
	textHint:      "Up to {max} characters.",
	starsLabel:    "Your rating",
	starOne:       "1 star",
	starMany:      "{n} stars",
	editNote:      "The form shows your review as it is now. Change what our compliance team asked for, then send it.",

	errSummary:      "Please check the marked fields and send the form again.",
	errTextRequired: "Please write your review.",
	errTooLong:      "This has {n} characters; at most {max} are allowed. Please shorten it.",
	errBadChars:     "This contains characters that can't be sent, such as control characters or invisible formatting characters. Please remove them.",
	errNoLetter:     "Please write this in words: it has no letters or digits.",
	errTooShort:     "This has {n} characters; at least {min} are needed.",
	errStars:        "Please choose from 1 to 5 stars.",
	errCheck:        "Please check what you entered and send the form again.",

	answerTexts: answerTexts{
		errReplyRequired: "Please write your answer.",
		errRetry:         "We couldn't send your answer just now. Please try again in a few minutes; what you wrote is still here.",
		usedHeading:      "We already have your answer",
		used: []string{
			"We've already received an answer through this link, so there's nothing more you need to do.",
			"If you sent the form again, nothing has changed: we've kept your first answer.",
		},
		expiredHeading: "This link has expired",
		expired:        "The time to answer ended on {deadline}, so this link can no longer be used.",
		expiredNoDate:  "The time to answer has ended, so this link can no longer be used.",
		expiredAfter:   "If you receive a new email from us about this, please use the link in that email.",
	},

	notFoundHeading:   "This link is not valid",
	notFound:          "We couldn't find what this link belongs to. Please check that you opened the complete link from the email: some email programs break long links across lines.",
	unreadableHeading: "We couldn't read your answer",
	unreadable:        "Please go back and send the form again from the page.",
	tooLargeHeading:   "Your answer is too long",
	tooLarge:          "Please go back, shorten your text and send it again.",
	methodHeading:     "This page can't do that",
	method:            "Please open the link from the email.",
	internalHeading:   "Something went wrong",
	internal:          "We couldn't handle your request just now. Please try again in a few minutes.",
}

var catalogSV = catalog{
	lang:       moderation.LocaleSV,
	months:     [12]string{"januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober", "november", "december"},
	dateFormat: "{day} {month} {year} kl. {time} UTC",
	thousands:  "\u00a0",
	purposes: map[links.Purpose]purposeText{
		links.PurposeFindReviewerReply: {
			heading:      "{business} har en fråga till dig",
			intro:        []string{"{business} har en fråga om ditt omdöme och har skickat det här meddelandet till dig via oss."},
			messageLabel: "Meddelande från {business}",
			replyLabel:   "Ditt svar till {business}",
			replyHint:    "Endast text, högst {max} tecken. Det går inte att bifoga filer.",
			deadline:     "Du kan svara fram till {deadline}.",
			notes: []string{
				"Vi delar inte din e-postadress med {business}. Det du skriver här skickas vidare till {business} precis som det är, så ta bara med sådant som du vill att de ska se.",
				"Det är helt upp till dig om du vill svara och vad du vill dela med dig av. Ditt omdöme förblir online oavsett.",
			},
			submit:        "Skicka svar",
			thanksHeading: "Tack för ditt svar",
			thanks:        []string{"Vi har skickat ditt svar vidare till {business}. Din e-postadress förblir privat."},
		},
		links.PurposeProof: {
			heading:    "Vi behöver underlag om din upplevelse hos {business}",
			intro:      []string{"{business} har rapporterat ditt omdöme och menar att det inte bygger på en äkta köp- eller serviceupplevelse. För att ditt omdöme ska få finnas kvar behöver vi underlag som visar din upplevelse."},
			replyLabel: "Ditt underlag",
			replyHint:  "Till exempel ett order-, boknings- eller fakturanummer, ett kvittonummer och datumet för ditt köp eller besök. Endast text, högst {max} tecken. Det går inte att bifoga filer.",
			deadline:   "Skicka ditt underlag senast {deadline}.",
			notes: []string{
				"Det är bara vårt Compliance-team som läser det du skickar. Det delas inte med {business}.",
				"Om vi inte har fått något underlag senast {deadline} tas ditt omdöme bort.",
			},
			submit:        "Skicka underlag",
			thanksHeading: "Tack, vi har tagit emot ditt underlag",
			thanks:        []string{"Vårt Compliance-team går igenom det. Om de behöver något mer från dig hör de av sig via e-post."},
		},
		links.PurposeEvidence: {
			heading:      "Vårt Compliance-team behöver mer information",
			intro:        []string{"{business} har rapporterat ditt omdöme och vårt Compliance-team utreder rapporten. De har en fråga till dig."},
			messageLabel: "Meddelande från vårt Compliance-team",
			replyLabel:   "Ditt svar",
			replyHint:    "Endast text, högst {max} tecken. Det går inte att bifoga filer.",
			deadline:     "Svara senast {deadline}.",
			notes: []string{
				"Ditt svar går till vårt Compliance-team, inte till {business}.",
				"Om du inte har hört av dig till dess fattar vi beslut utifrån den information vi har.",
			},
			submit:        "Skicka svar",
			thanksHeading: "Tack, vi har tagit emot ditt svar",
			thanks:        []string{"Vårt Compliance-team tar med det när de fattar beslut om rapporten."},
		},
		links.PurposeEdit: {
			heading:      "Redigera ditt omdöme",
			intro:        []string{"{business} har rapporterat ditt omdöme och vårt Compliance-team ber dig att ändra det."},
			messageLabel: "Meddelande från vårt Compliance-team",
			deadline:     "Skicka dina ändringar senast {deadline}.",
			notes: []string{
				"Vårt Compliance-team går igenom ditt redigerade omdöme innan de fattar beslut om rapporten.",
				"Om du inte har hört av dig till dess fattar vi beslut utifrån omdömet som det ser ut nu.",
			},
			submit:        "Skicka ändringar",
			thanksHeading: "Tack, vi har tagit emot dina ändringar",
			thanks:        []string{"Vårt Compliance-team tittar nu på ditt redigerade omdöme."},
		},
		links.PurposeAppeal: {
			heading: "Överklaga beslutet att ta bort ditt omdöme",
			intro: []string{
				"Vi har tagit bort ditt omdöme efter att {business} rapporterade det. Om du anser att beslutet är fel kan du överklaga det här.",
				"En person i vårt Compliance-team som inte var med och fattade beslutet går igenom ditt överklagande, och vi meddelar dig resultatet via e-post.",
			},
			replyLabel: "Dina skäl för överklagandet",
			replyHint:  "Berätta vad du anser var fel med vårt beslut och ta med sådant som styrker ditt omdöme, till exempel ett ordernummer eller datumet för ditt besök. Endast text, högst {max} tecken. Det går inte att bifoga filer.",
			deadline:   "Du kan överklaga fram till {deadline}.",
			notes: []string{
				"Ditt överklagande går till vårt Compliance-team, inte till {business}.",
				"Om vi inte har fått något överklagande senast {deadline} står beslutet fast och ditt omdöme förblir borttaget.",
			},
			submit:        "Skicka överklagande",
			thanksHeading: "Tack, vi har tagit emot ditt överklagande",
			thanks:        []string{"En person i vårt Compliance-team som inte var med och fattade beslutet går igenom det. Vi meddelar dig resultatet via e-post."},
			own: &answerTexts{
				errReplyRequired: "Skriv varför du överklagar beslutet.",
				errRetry:         "Vi kunde inte skicka ditt överklagande just nu. Försök igen om några minuter – det du har skrivit finns kvar här.",
				usedHeading:      "Vi har redan fått ditt överklagande",
				used: []string{
					"Vi har redan tagit emot ett överklagande via den här länken, så du behöver inte göra något mer.",
					"Om du skickade formuläret igen har ingenting ändrats: vi har behållit ditt första överklagande.",
				},
				expiredHeading: "Överklagandetiden har gått ut",
				expired:        "Tiden för att överklaga gick ut den {deadline}, så länken kan inte längre användas.",
				expiredNoDate:  "Tiden för att överklaga har gått ut, så länken kan inte längre användas.",
				expiredAfter:   "Beslutet står fast och ditt omdöme förblir borttaget.",
			},
		},
	},

	reviewHeading: "Ditt omdöme",
	starsOf:       "{n} av 5 stjärnor",
	titleLabel:    "Rubrik (valfri)",
	titleHint:     "Högst {max} tecken.",
	textLabel:     "Ditt omdöme",
	textHint:      "Högst {max} tecken.",
	starsLabel:    "Ditt betyg",
	starOne:       "1 stjärna",
	starMany:      "{n} stjärnor",
	editNote:      "Formuläret visar ditt omdöme som det ser ut nu. Ändra det som vårt Compliance-team bad om och skicka sedan in det.",

	errSummary:      "Kontrollera de markerade fälten och skicka formuläret igen.",
	errTextRequired: "Skriv ditt omdöme.",
	errTooLong:      "Texten har {n} tecken, men högst {max} är tillåtna. Korta ner den.",
	errBadChars:     "Texten innehåller tecken som inte kan skickas, till exempel styrtecken eller osynliga formateringstecken. Ta bort dem.",
	errNoLetter:     "Skriv med ord: texten innehåller inga bokstäver eller siffror.",
	errTooShort:     "Texten har {n} tecken; minst {min} behövs.",
	errStars:        "Välj mellan 1 och 5 stjärnor.",
	errCheck:        "Kontrollera det du har skrivit och skicka formuläret igen.",

	answerTexts: answerTexts{
		errReplyRequired: "Skriv ditt svar.",
		errRetry:         "Vi kunde inte skicka ditt svar just nu. Försök igen om några minuter – det du har skrivit finns kvar här.",
		usedHeading:      "Vi har redan fått ditt svar",
		used: []string{
			"Vi har redan tagit emot ett svar via den här länken, så du behöver inte göra något mer.",
			"Om du skickade formuläret igen har ingenting ändrats: vi har behållit ditt första svar.",
		},
		expiredHeading: "Länken har gått ut",
		expired:        "Tiden för att svara gick ut den {deadline}, så länken kan inte längre användas.",
		expiredNoDate:  "Tiden för att svara har gått ut, så länken kan inte längre användas.",
		expiredAfter:   "Om du får ett nytt e-postmeddelande från oss om detta, använd länken i det meddelandet.",
	},

	notFoundHeading:   "Länken är inte giltig",
	notFound:          "Vi hittar inte det som länken hör till. Kontrollera att du har öppnat hela länken från e-postmeddelandet – vissa e-postprogram delar upp långa länkar på flera rader.",
	unreadableHeading: "Vi kunde inte läsa ditt svar",
	unreadable:        "Gå tillbaka och skicka formuläret igen från sidan.",
	tooLargeHeading:   "Ditt svar är för långt",
	tooLarge:          "Gå tillbaka, korta ner texten och skicka den igen.",
	methodHeading:     "Det här stöds inte på sidan",
	method:            "Öppna länken från e-postmeddelandet.",
	internalHeading:   "Något gick fel",
	internal:          "Vi kunde inte behandla din förfrågan just nu. Försök igen om några minuter.",
}

var catalogDE = catalog{
	lang:       moderation.LocaleDE,
	months:     [12]string{"Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober", "November", "Dezember"},
	dateFormat: "{day}. {month} {year}, {time} Uhr UTC",
	thousands:  ".",
	purposes: map[links.Purpose]purposeText{
		links.PurposeFindReviewerReply: {
			heading:      "{business} hat eine Frage an Sie",
			intro:        []string{"{business} hat eine Frage zu Ihrer Bewertung und Ihnen über uns diese Nachricht geschickt."},
			messageLabel: "Nachricht von {business}",
			replyLabel:   "Ihre Antwort an {business}",
			replyHint:    "Nur Text, höchstens {max} Zeichen. Dateianhänge sind nicht möglich.",
			deadline:     "Sie können bis zum {deadline} antworten.",
			notes: []string{
				"Wir geben Ihre E-Mail-Adresse nicht an {business} weiter. Was Sie hier schreiben, leiten wir unverändert an {business} weiter. Geben Sie daher nur an, was das Unternehmen sehen darf.",
				"Ob Sie antworten und was Sie mitteilen, entscheiden allein Sie. Ihre Bewertung bleibt in jedem Fall online.",
			},
			submit:        "Antwort senden",
			thanksHeading: "Vielen Dank für Ihre Antwort",
			thanks:        []string{"Wir haben Ihre Antwort an {business} weitergeleitet. Ihre E-Mail-Adresse bleibt privat."},
		},
		links.PurposeProof: {
			heading:    "Bitte belegen Sie Ihre Erfahrung mit {business}",
			intro:      []string{"{business} hat Ihre Bewertung gemeldet, weil sie nach Ansicht des Unternehmens nicht auf einer echten Kauf- oder Serviceerfahrung beruht. Damit Ihre Bewertung bestehen bleibt, benötigen wir einen Nachweis Ihrer Erfahrung."},
			replyLabel: "Ihr Nachweis",
			replyHint:  "Zum Beispiel eine Bestell-, Buchungs- oder Rechnungsnummer, die Nummer eines Kassenbelegs und das Datum Ihres Kaufs oder Besuchs. Nur Text, höchstens {max} Zeichen. Dateianhänge sind nicht möglich.",
			deadline:   "Bitte senden Sie Ihren Nachweis bis zum {deadline}.",
			notes: []string{
				"Was Sie senden, liest nur unser Compliance-Team. Es wird nicht an {business} weitergegeben.",
				"Wenn wir bis zum {deadline} keinen Nachweis erhalten, wird Ihre Bewertung entfernt.",
			},
			submit:        "Nachweis senden",
			thanksHeading: "Vielen Dank, wir haben Ihren Nachweis erhalten",
			thanks:        []string{"Unser Compliance-Team prüft ihn. Falls wir noch etwas von Ihnen benötigen, melden wir uns per E-Mail."},
		},
		links.PurposeEvidence: {
			heading:      "Unser Compliance-Team benötigt weitere Informationen",
			intro:        []string{"{business} hat Ihre Bewertung gemeldet, und unser Compliance-Team prüft die Meldung. Dazu haben wir eine Frage an Sie."},
			messageLabel: "Nachricht von unserem Compliance-Team",
			replyLabel:   "Ihre Antwort",
			replyHint:    "Nur Text, höchstens {max} Zeichen. Dateianhänge sind nicht möglich.",
			deadline:     "Bitte antworten Sie bis zum {deadline}.",
			notes: []string{
				"Ihre Antwort geht an unser Compliance-Team, nicht an {business}.",
				"Wenn wir bis dahin nichts von Ihnen hören, entscheiden wir auf Grundlage der vorliegenden Informationen.",
			},
			submit:        "Antwort senden",
			thanksHeading: "Vielen Dank, wir haben Ihre Antwort erhalten",
			thanks:        []string{"Unser Compliance-Team berücksichtigt sie bei der Entscheidung über die Meldung."},
		},
		links.PurposeEdit: {
			heading:      "Bitte bearbeiten Sie Ihre Bewertung",
			intro:        []string{"{business} hat Ihre Bewertung gemeldet, und unser Compliance-Team bittet Sie, sie zu ändern."},
			messageLabel: "Nachricht von unserem Compliance-Team",
			deadline:     "Bitte senden Sie Ihre Änderungen bis zum {deadline}.",
			notes: []string{
				"Unser Compliance-Team prüft Ihre bearbeitete Bewertung, bevor es über die Meldung entscheidet.",
				"Wenn wir bis dahin nichts von Ihnen hören, entscheiden wir auf Grundlage Ihrer Bewertung in der aktuellen Fassung.",
			},
			submit:        "Änderungen senden",
			thanksHeading: "Vielen Dank, wir haben Ihre Änderungen erhalten",
			thanks:        []string{"Unser Compliance-Team sieht sich Ihre bearbeitete Bewertung nun an."},
		},
		links.PurposeAppeal: {
			heading: "Widerspruch gegen die Entfernung Ihrer Bewertung",
			intro: []string{
				"Wir haben Ihre Bewertung entfernt, nachdem {business} sie gemeldet hatte. Wenn Sie unsere Entscheidung für falsch halten, können Sie hier Widerspruch einlegen.",
				"Ihren Widerspruch prüft eine Person aus unserem Compliance-Team, die an der Entscheidung nicht beteiligt war. Das Ergebnis teilen wir Ihnen per E-Mail mit.",
			},
			replyLabel: "Begründung Ihres Widerspruchs",
			replyHint:  "Schildern Sie, was an unserer Entscheidung Ihrer Ansicht nach falsch war, und nennen Sie alle Fakten, die Ihre Bewertung stützen, zum Beispiel eine Bestellnummer oder das Datum Ihres Besuchs. Nur Text, höchstens {max} Zeichen. Dateianhänge sind nicht möglich.",
			deadline:   "Sie können bis zum {deadline} Widerspruch einlegen.",
			notes: []string{
				"Ihr Widerspruch geht an unser Compliance-Team, nicht an {business}.",
				"Wenn bis zum {deadline} kein Widerspruch bei uns eingeht, bleibt es bei der Entscheidung, und Ihre Bewertung wird nicht wieder veröffentlicht.",
			},
			submit:        "Widerspruch senden",
			thanksHeading: "Vielen Dank, wir haben Ihren Widerspruch erhalten",
			thanks:        []string{"Eine Person aus unserem Compliance-Team, die an der Entscheidung nicht beteiligt war, prüft ihn. Das Ergebnis teilen wir Ihnen per E-Mail mit."},
			own: &answerTexts{
				errReplyRequired: "Bitte begründen Sie Ihren Widerspruch.",
				errRetry:         "Wir konnten Ihren Widerspruch gerade nicht senden. Bitte versuchen Sie es in einigen Minuten erneut – Ihr Text ist hier noch vorhanden.",
				usedHeading:      "Ihr Widerspruch liegt uns bereits vor",
				used: []string{
					"Über diesen Link haben wir bereits einen Widerspruch erhalten. Sie müssen nichts weiter tun.",
					"Falls Sie das Formular erneut gesendet haben, hat sich nichts geändert: Ihr erster Widerspruch bleibt bestehen.",
				},
				expiredHeading: "Die Widerspruchsfrist ist abgelaufen",
				expired:        "Die Frist für einen Widerspruch ist am {deadline} abgelaufen. Der Link kann daher nicht mehr verwendet werden.",
				expiredNoDate:  "Die Frist für einen Widerspruch ist abgelaufen. Der Link kann daher nicht mehr verwendet werden.",
				expiredAfter:   "Es bleibt bei der Entscheidung; Ihre Bewertung wird nicht wieder veröffentlicht.",
			},
		},
	},

	reviewHeading: "Ihre Bewertung",
	starsOf:       "{n} von 5 Sternen",
	titleLabel:    "Titel (optional)",
	titleHint:     "Höchstens {max} Zeichen.",
	textLabel:     "Ihre Bewertung",
	textHint:      "Höchstens {max} Zeichen.",
	starsLabel:    "Ihre Sternebewertung",
	starOne:       "1 Stern",
	starMany:      "{n} Sterne",
	editNote:      "Das Formular zeigt Ihre Bewertung in der aktuellen Fassung. Ändern Sie, worum unser Compliance-Team Sie gebeten hat, und senden Sie sie dann ab.",

	errSummary:      "Bitte prüfen Sie die markierten Felder und senden Sie das Formular erneut.",
	errTextRequired: "Bitte geben Sie Ihre Bewertung ein.",
	errTooLong:      "Der Text hat {n} Zeichen, erlaubt sind höchstens {max}. Bitte kürzen Sie ihn.",
	errBadChars:     "Der Text enthält Zeichen, die nicht gesendet werden können, zum Beispiel Steuerzeichen oder unsichtbare Formatierungszeichen. Bitte entfernen Sie sie.",
	errNoLetter:     "Bitte schreiben Sie in Worten: Der Text enthält keine Buchstaben oder Ziffern.",
	errTooShort:     "Der Text hat {n} Zeichen; mindestens {min} sind nötig.",
	errStars:        "Bitte wählen Sie 1 bis 5 Sterne.",
	errCheck:        "Bitte prüfen Sie Ihre Eingaben und senden Sie das Formular erneut.",

	answerTexts: answerTexts{
		errReplyRequired: "Bitte geben Sie Ihre Antwort ein.",
		errRetry:         "Wir konnten Ihre Antwort gerade nicht senden. Bitte versuchen Sie es in einigen Minuten erneut – Ihr Text ist hier noch vorhanden.",
		usedHeading:      "Ihre Antwort liegt uns bereits vor",
		used: []string{
			"Über diesen Link haben wir bereits eine Antwort erhalten. Sie müssen nichts weiter tun.",
			"Falls Sie das Formular erneut gesendet haben, hat sich nichts geändert: Ihre erste Antwort bleibt bestehen.",
		},
		expiredHeading: "Dieser Link ist abgelaufen",
		expired:        "Die Frist für Ihre Antwort ist am {deadline} abgelaufen. Der Link kann daher nicht mehr verwendet werden.",
		expiredNoDate:  "Die Frist für Ihre Antwort ist abgelaufen. Der Link kann daher nicht mehr verwendet werden.",
		expiredAfter:   "Wenn Sie von uns eine neue E-Mail dazu erhalten, verwenden Sie bitte den Link in dieser E-Mail.",
	},

	notFoundHeading:   "Dieser Link ist ungültig",
	notFound:          "Wir können nicht finden, wozu dieser Link gehört. Bitte prüfen Sie, ob Sie den vollständigen Link aus der E-Mail geöffnet haben – manche E-Mail-Programme trennen lange Links über mehrere Zeilen.",
	unreadableHeading: "Ihre Antwort konnte nicht gelesen werden",
	unreadable:        "Bitte gehen Sie zurück und senden Sie das Formular erneut über die Seite ab.",
	tooLargeHeading:   "Ihre Antwort ist zu lang",
	tooLarge:          "Bitte gehen Sie zurück, kürzen Sie Ihren Text und senden Sie ihn erneut.",
	methodHeading:     "Diese Aktion ist hier nicht möglich",
	method:            "Bitte öffnen Sie den Link aus der E-Mail.",
	internalHeading:   "Etwas ist schiefgelaufen",
	internal:          "Wir konnten Ihre Anfrage gerade nicht bearbeiten. Bitte versuchen Sie es in einigen Minuten erneut.",
}

// answers returns the answerTexts of purpose: its own, or the generic ones.
func (c *catalog) answers(purpose links.Purpose) *answerTexts {
	if own := c.purposes[purpose].own; own != nil {
		return own
	}
	return &c.answerTexts
}

// catalogFor returns the catalog of a locale; anything but Swedish and
// German, including "", gets English (moderation.NormalizeLocale).
func catalogFor(locale string) *catalog {
	switch moderation.NormalizeLocale(locale) {
	case moderation.LocaleSV:
		return &catalogSV
	case moderation.LocaleDE:
		return &catalogDE
	}
	return &catalogEN
}

// acceptedLocale returns the locale of Candor's that the request's
// Accept-Language header prefers (highest q, then first listed), or "" when
// it names none. It is for pages that have no reviewer to take a locale from.
func acceptedLocale(r *http.Request) string {
	best, bestQ := "", 0.0
	for _, part := range strings.Split(r.Header.Get("Accept-Language"), ",") {
		tag, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		q := 1.0
		if v, ok := strings.CutPrefix(strings.TrimSpace(params), "q="); ok {
			f, err := strconv.ParseFloat(v, 64)
			if err != nil {
				continue
			}
			q = f
		}
		primary, _, _ := strings.Cut(strings.TrimSpace(tag), "-")
		switch loc := strings.ToLower(primary); loc {
		case moderation.LocaleEN, moderation.LocaleSV, moderation.LocaleDE:
			if q > bestQ {
				best, bestQ = loc, q
			}
		}
	}
	return best
}

// fill replaces the placeholders of s. Values are not scanned for
// placeholders again, so a business named "{deadline}" stays as it is.
func fill(s string, kv ...string) string {
	if len(kv) == 0 || !strings.Contains(s, "{") {
		return s
	}
	return strings.NewReplacer(kv...).Replace(s)
}

// fillAll applies fill to every string of ss.
func fillAll(ss []string, kv ...string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = fill(s, kv...)
	}
	return out
}

// date formats t, in UTC to the minute, the way the locale writes dates,
// saying that it is UTC.
func (c *catalog) date(t time.Time) string {
	t = t.UTC()
	return fill(c.dateFormat,
		"{day}", strconv.Itoa(t.Day()),
		"{month}", c.months[t.Month()-1],
		"{year}", strconv.Itoa(t.Year()),
		"{time}", t.Format("15:04"))
}

// number formats a non-negative n with the locale's digit grouping
// ("10,000", "10 000", "10.000").
func (c *catalog) number(n int) string {
	s := strconv.Itoa(n)
	if n < 0 || len(s) <= 3 {
		return s
	}
	var b strings.Builder
	first := len(s) % 3
	if first > 0 {
		b.WriteString(s[:first])
	}
	for i := first; i < len(s); i += 3 {
		if b.Len() > 0 {
			b.WriteString(c.thousands)
		}
		b.WriteString(s[i : i+3])
	}
	return b.String()
}
