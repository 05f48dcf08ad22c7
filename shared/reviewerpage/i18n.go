package reviewerpage

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/candorhq/candor/shared/i18n"
	"github.com/candorhq/candor/shared/links"
	"github.com/candorhq/candor/shared/moderation"
)

// The texts of the pages, in package i18n's catalogue format: one catalog
// value per locale, each text a string or a func of what it speaks of, so
// that the compiler checks every placeholder. The arguments are display
// text already: a business's name (package i18n's Display), a date
// (the catalog's Date), a number (the catalog's digit grouping). Swedish
// says "du", German says "Sie"; the vocabulary follows the help-centre
// articles (omdöme, omdömeslämnare, Compliance-team; Bewertung, Nachweis,
// Compliance-Team) and, for an appeal, the removal email of shared/mail
// (överklaga, överklagande; Widerspruch einlegen).

// catalogues are the pages' catalogs by locale.
var catalogues = i18n.Catalogues[catalog]{EN: &catalogEN, SV: &catalogSV, DE: &catalogDE}

// catalog is every text of the pages in one locale, and the locale's ways
// of writing dates and numbers.
type catalog struct {
	Lang      string // the locale, for <html lang> and Content-Language
	Thousands string // digit group separator
	// When writes a date from its parts (i18n.When's) and the name of its
	// zone ("UTC", "CET"); Date and LocalDate use it.
	When     func(day, month, year, clock, zone string) string
	Phone    phoneTexts
	Purposes map[links.Purpose]purposeText // every purpose of a reviewer link

	ReviewHeading string
	StarsOf       func(n int) string // the review's rating, for screen readers
	TitleLabel    string
	TitleHint     func(max string) string
	TextLabel     string
	TextHint      func(max string) string
	StarsLabel    string
	Star          func(n int) string // a radio button of the rating
	EditNote      string

	ErrSummary      string
	ErrTextRequired string
	ErrTooLong      func(n, max string) string
	ErrBadChars     string
	ErrNoLetter     string
	ErrTooShort     func(n, min string) string
	ErrStars        string
	ErrCheck        string

	Answers answerTexts // what the pages say of an answer, unless a purpose has its own

	NotFoundHeading   string
	NotFound          string
	UnreadableHeading string
	Unreadable        string
	TooLargeHeading   string
	TooLarge          string
	MethodHeading     string
	Method            string
	InternalHeading   string
	Internal          string
	// AnswerLabel and SendAgain are the form that gives a reviewer back
	// what they sent when the page could not even read its link.
	AnswerLabel string
	SendAgain   string

	// ReasonLabel, Reasons and ErrReason are the reason choice of the page
	// that reports a business's reply (report_reply).
	ReasonLabel string
	Reasons     map[moderation.ReplyReason]string
	ErrReason   string
}

// purposeText is what differs between the purposes of a link.
type purposeText struct {
	Heading       func(business string) string
	Intro         func(business string) []string
	MessageLabel  func(business string) string // nil: the page shows no message (proof, appeal)
	ReplyLabel    func(business string) string // nil for edit
	ReplyHint     func(max string) string      // nil for edit
	Deadline      func(deadline string) string
	Notes         func(business string) []string // above the button
	DeadlineNote  func(deadline string) string   // nil: none; left out when the link has no deadline
	Submit        string
	ThanksHeading string
	Thanks        func(business string) []string
	Own           *answerTexts // nil: the catalog's Answers
}

// answerTexts are the texts that speak of what the reviewer sends: the
// catalog has generic ones ("your answer"), and a purpose that sends
// something else (an appeal) has its own, so that "already received" and
// "expired" name what the reviewer sent and the window they had.
type answerTexts struct {
	ErrReplyRequired string
	ErrRetry         string
	UsedHeading      string
	Used             []string
	ExpiredHeading   string
	Expired          func(deadline string) string
	ExpiredNoDate    string
	ExpiredAfter     string
}

// catalogEN is the English catalog, the reference the tests hold the others to.
var catalogEN = catalog{
	Lang:      moderation.LocaleEN,
	Thousands: ",",
	When:      dateEn,
	Phone:     phoneEN,
	Purposes: map[links.Purpose]purposeText{
		links.PurposeFindReviewerReply: {
			Heading: func(business string) string { return business + " has a question for you" },
			Intro: func(business string) []string {
				return []string{business + " has a question about your review and sent you this message through us."}
			},
			MessageLabel: func(business string) string { return "Message from " + business },
			ReplyLabel:   func(business string) string { return "Your answer to " + business },
			ReplyHint: func(max string) string {
				return "Text only, up to " + max + " characters. Attachments are not possible."
			},
			Deadline: func(deadline string) string { return "You can answer until " + deadline + "." },
			Notes: func(business string) []string {
				return []string{"We don't share your email address with " + business + ". Whatever you write here is passed on to " + business + " as it is, so only include what you are happy for them to see.", "Whether you answer, and what you share, is entirely up to you. Your review stays online either way."}
			},
			Submit:        "Send answer",
			ThanksHeading: "Thank you for your answer",
			Thanks: func(business string) []string {
				return []string{"We've passed your answer on to " + business + ". Your email address stays private."}
			},
		},
		links.PurposeProof: {
			Heading: func(business string) string { return "Please show us your experience with " + business },
			Intro: func(business string) []string {
				return []string{business + " has reported your review, saying it is not based on a genuine buying or service experience. To keep your review, please send us proof of your experience."}
			},
			ReplyLabel: func(_ string) string { return "Your proof" },
			ReplyHint: func(max string) string {
				return "For example an order, booking or invoice number, a receipt number, and the date of your purchase or visit. Text only, up to " + max + " characters. Attachments are not possible."
			},
			Deadline: func(deadline string) string { return "Please send your proof by " + deadline + "." },
			Notes: func(business string) []string {
				return []string{"Only our compliance team reads what you send. It is not shared with " + business + "."}
			},
			DeadlineNote: func(deadline string) string {
				return "If we haven't received proof by " + deadline + ", your review will be removed."
			},
			Submit:        "Send proof",
			ThanksHeading: "Thank you, we've received your proof",
			Thanks: func(_ string) []string {
				return []string{"Our compliance team will review it. If they need anything else from you, they'll contact you by email."}
			},
		},
		links.PurposeEvidence: {
			Heading: func(_ string) string { return "Our compliance team needs more information" },
			Intro: func(business string) []string {
				return []string{business + " has reported your review, and our compliance team is looking into the report. They have a question for you."}
			},
			MessageLabel: func(_ string) string { return "Message from our compliance team" },
			ReplyLabel:   func(_ string) string { return "Your answer" },
			ReplyHint: func(max string) string {
				return "Text only, up to " + max + " characters. Attachments are not possible."
			},
			Deadline: func(deadline string) string { return "Please answer by " + deadline + "." },
			Notes: func(business string) []string {
				return []string{"Your answer goes to our compliance team, not to " + business + ".", "If we haven't heard from you by then, we'll decide based on the information we have."}
			},
			Submit:        "Send answer",
			ThanksHeading: "Thank you, we've received your answer",
			Thanks: func(_ string) []string {
				return []string{"Our compliance team will take it into account when they decide on the report."}
			},
		},
		links.PurposeEdit: {
			Heading: func(_ string) string { return "Please edit your review" },
			Intro: func(business string) []string {
				return []string{business + " has reported your review, and our compliance team has asked you to change it."}
			},
			MessageLabel: func(_ string) string { return "Message from our compliance team" },
			Deadline:     func(deadline string) string { return "Please send your changes by " + deadline + "." },
			Notes: func(_ string) []string {
				return []string{"Our compliance team will check your edited review before deciding on the report.", "If we haven't heard from you by then, we'll decide based on your review as it is now."}
			},
			Submit:        "Send changes",
			ThanksHeading: "Thank you, we've received your changes",
			Thanks:        func(_ string) []string { return []string{"Our compliance team will now look at your edited review."} },
		},
		links.PurposeReportReply: {
			Heading: func(business string) string { return "Report the reply of " + business },
			Intro: func(business string) []string {
				return []string{business + " has replied to your review in public. If the reply breaks the reply guidelines, tell us here: our compliance team will look at it."}
			},
			MessageLabel: func(business string) string { return "The reply of " + business },
			ReplyLabel:   func(_ string) string { return "Anything you want to add (optional)" },
			ReplyHint: func(max string) string {
				return "Text only, up to " + max + " characters."
			},
			Deadline: func(deadline string) string { return "You can report the reply until " + deadline + "." },
			Notes: func(business string) []string {
				return []string{"Your report goes to our compliance team, not to " + business + ". We don't share your name or email address."}
			},
			Submit:        "Report the reply",
			ThanksHeading: "Thank you, we've received your report",
			Thanks: func(_ string) []string {
				return []string{"Our compliance team will look at the reply. We'll let you know by email what we decided."}
			},
		},
		links.PurposeAppeal: {
			Heading: func(_ string) string { return "Appeal the removal of your review" },
			Intro: func(business string) []string {
				return []string{"We removed your review after " + business + " reported it. If you think our decision was wrong, you can appeal it here.", "A person on our compliance team who was not involved in the decision will consider your appeal, and we'll let you know the result by email."}
			},
			ReplyLabel: func(_ string) string { return "Your reasons for appealing" },
			ReplyHint: func(max string) string {
				return "Tell us what you think was wrong with our decision, and include any facts that support your review, such as an order number or the date of your visit. Text only, up to " + max + " characters. Attachments are not possible."
			},
			Deadline: func(deadline string) string { return "You can appeal until " + deadline + "." },
			Notes: func(business string) []string {
				return []string{"Your appeal goes to our compliance team, not to " + business + "."}
			},
			DeadlineNote: func(deadline string) string {
				return "If we haven't received an appeal by " + deadline + ", the decision stands and your review stays removed."
			},
			Submit:        "Send appeal",
			ThanksHeading: "Thank you, we've received your appeal",
			Thanks: func(_ string) []string {
				return []string{"A person on our compliance team who was not involved in the decision will consider it. We'll let you know the result by email."}
			},
			Own: &answerTexts{
				ErrReplyRequired: "Please tell us why you are appealing.",
				ErrRetry:         "We couldn't send your appeal just now. Please try again in a few minutes; what you wrote is still here.",
				UsedHeading:      "We already have your appeal",
				Used:             []string{"We've already received an appeal through this link, so there's nothing more you need to do.", "If you sent the form again, nothing has changed: we've kept your first appeal."},
				ExpiredHeading:   "The appeal period has closed",
				Expired: func(deadline string) string {
					return "The time to appeal ended on " + deadline + ", so this link can no longer be used."
				},
				ExpiredNoDate: "The time to appeal has ended, so this link can no longer be used.",
				ExpiredAfter:  "The decision stands, and your review stays removed.",
			},
		},
	},

	ReviewHeading: "Your review",
	StarsOf:       func(n int) string { return strconv.Itoa(n) + " out of 5 stars" },
	TitleLabel:    "Title (optional)",
	TitleHint:     func(max string) string { return "Up to " + max + " characters." },
	TextLabel:     "Your review",
	TextHint:      func(max string) string { return "Up to " + max + " characters." },
	StarsLabel:    "Your rating",
	Star: func(n int) string {
		if n == 1 {
			return "1 star"
		}
		return strconv.Itoa(n) + " stars"
	},
	EditNote: "The form shows your review as it is now. Change what our compliance team asked for, then send it.",

	ErrSummary:      "Please check the marked fields and send the form again.",
	ErrTextRequired: "Please write your review.",
	ErrTooLong: func(n, max string) string {
		return "This has " + n + " characters; at most " + max + " are allowed. Please shorten it."
	},
	ErrBadChars: "This contains characters that can't be sent, such as control characters or invisible formatting characters. Please remove them.",
	ErrNoLetter: "Please write this in words: it has no letters or digits.",
	ErrTooShort: func(n, min string) string { return "This has " + n + " characters; at least " + min + " are needed." },
	ErrStars:    "Please choose from 1 to 5 stars.",
	ErrCheck:    "Please check what you entered and send the form again.",

	Answers: answerTexts{
		ErrReplyRequired: "Please write your answer.",
		ErrRetry:         "We couldn't send your answer just now. Please try again in a few minutes; what you wrote is still here.",
		UsedHeading:      "We already have your answer",
		Used:             []string{"We've already received an answer through this link, so there's nothing more you need to do.", "If you sent the form again, nothing has changed: we've kept your first answer."},
		ExpiredHeading:   "This link has expired",
		Expired: func(deadline string) string {
			return "The time to answer ended on " + deadline + ", so this link can no longer be used."
		},
		ExpiredNoDate: "The time to answer has ended, so this link can no longer be used.",
		ExpiredAfter:  "If you receive a new email from us about this, please use the link in that email.",
	},

	NotFoundHeading:   "This link is not valid",
	NotFound:          "We couldn't find what this link belongs to. Please check that you opened the complete link from the email: some email programs break long links across lines.",
	UnreadableHeading: "We couldn't read your answer",
	Unreadable:        "Please go back and send the form again from the page.",
	TooLargeHeading:   "Your answer is too long",
	TooLarge:          "Please go back, shorten your text and send it again.",
	MethodHeading:     "This page can't do that",
	Method:            "Please open the link from the email.",
	AnswerLabel:       "What you wrote",
	ReasonLabel:       "What is wrong with the reply?",
	Reasons: map[moderation.ReplyReason]string{
		moderation.ReplyReasonPersonalData: "It contains personal data (for example my name, address or phone number)",
		moderation.ReplyReasonThreats:      "It threatens me or uses aggressive language",
		moderation.ReplyReasonEditRequest:  "It asks me to change or delete my review",
	},
	ErrReason:       "Please choose what is wrong with the reply.",
	SendAgain:       "Send again",
	InternalHeading: "Something went wrong",
	Internal:        "We couldn't handle your request just now. Please try again in a few minutes.",
}

// catalogSV is the Swedish catalog.
var catalogSV = catalog{
	Lang:      moderation.LocaleSV,
	Thousands: "\u00a0",
	When:      dateSv,
	Phone:     phoneSV,
	Purposes: map[links.Purpose]purposeText{
		links.PurposeFindReviewerReply: {
			Heading: func(business string) string { return business + " har en fråga till dig" },
			Intro: func(business string) []string {
				return []string{business + " har en fråga om ditt omdöme och har skickat det här meddelandet till dig via oss."}
			},
			MessageLabel: func(business string) string { return "Meddelande från " + business },
			ReplyLabel:   func(business string) string { return "Ditt svar till " + business },
			ReplyHint: func(max string) string {
				return "Endast text, högst " + max + " tecken. Det går inte att bifoga filer."
			},
			Deadline: func(deadline string) string { return "Du kan svara fram till " + deadline + "." },
			Notes: func(business string) []string {
				return []string{"Vi delar inte din e-postadress med " + business + ". Det du skriver här skickas vidare till " + business + " precis som det är, så ta bara med sådant som du vill att de ska se.", "Det är helt upp till dig om du vill svara och vad du vill dela med dig av. Ditt omdöme förblir online oavsett."}
			},
			Submit:        "Skicka svar",
			ThanksHeading: "Tack för ditt svar",
			Thanks: func(business string) []string {
				return []string{"Vi har skickat ditt svar vidare till " + business + ". Din e-postadress förblir privat."}
			},
		},
		links.PurposeProof: {
			Heading: func(business string) string { return "Vi behöver underlag om din upplevelse hos " + business },
			Intro: func(business string) []string {
				return []string{business + " har rapporterat ditt omdöme och menar att det inte bygger på en äkta köp- eller serviceupplevelse. För att ditt omdöme ska få finnas kvar behöver vi underlag som visar din upplevelse."}
			},
			ReplyLabel: func(_ string) string { return "Ditt underlag" },
			ReplyHint: func(max string) string {
				return "Till exempel ett order-, boknings- eller fakturanummer, ett kvittonummer och datumet för ditt köp eller besök. Endast text, högst " + max + " tecken. Det går inte att bifoga filer."
			},
			Deadline: func(deadline string) string { return "Skicka ditt underlag senast " + deadline + "." },
			Notes: func(business string) []string {
				return []string{"Det är bara vårt Compliance-team som läser det du skickar. Det delas inte med " + business + "."}
			},
			DeadlineNote: func(deadline string) string {
				return "Om vi inte har fått något underlag senast " + deadline + " tas ditt omdöme bort."
			},
			Submit:        "Skicka underlag",
			ThanksHeading: "Tack, vi har tagit emot ditt underlag",
			Thanks: func(_ string) []string {
				return []string{"Vårt Compliance-team går igenom det. Om de behöver något mer från dig hör de av sig via e-post."}
			},
		},
		links.PurposeEvidence: {
			Heading: func(_ string) string { return "Vårt Compliance-team behöver mer information" },
			Intro: func(business string) []string {
				return []string{business + " har rapporterat ditt omdöme och vårt Compliance-team utreder rapporten. De har en fråga till dig."}
			},
			MessageLabel: func(_ string) string { return "Meddelande från vårt Compliance-team" },
			ReplyLabel:   func(_ string) string { return "Ditt svar" },
			ReplyHint: func(max string) string {
				return "Endast text, högst " + max + " tecken. Det går inte att bifoga filer."
			},
			Deadline: func(deadline string) string { return "Svara senast " + deadline + "." },
			Notes: func(business string) []string {
				return []string{"Ditt svar går till vårt Compliance-team, inte till " + business + ".", "Om du inte har hört av dig till dess fattar vi beslut utifrån den information vi har."}
			},
			Submit:        "Skicka svar",
			ThanksHeading: "Tack, vi har tagit emot ditt svar",
			Thanks: func(_ string) []string {
				return []string{"Vårt Compliance-team tar med det när de fattar beslut om rapporten."}
			},
		},
		links.PurposeEdit: {
			Heading: func(_ string) string { return "Redigera ditt omdöme" },
			Intro: func(business string) []string {
				return []string{business + " har rapporterat ditt omdöme och vårt Compliance-team ber dig att ändra det."}
			},
			MessageLabel: func(_ string) string { return "Meddelande från vårt Compliance-team" },
			Deadline:     func(deadline string) string { return "Skicka dina ändringar senast " + deadline + "." },
			Notes: func(_ string) []string {
				return []string{"Vårt Compliance-team går igenom ditt redigerade omdöme innan de fattar beslut om rapporten.", "Om du inte har hört av dig till dess fattar vi beslut utifrån omdömet som det ser ut nu."}
			},
			Submit:        "Skicka ändringar",
			ThanksHeading: "Tack, vi har tagit emot dina ändringar",
			Thanks: func(_ string) []string {
				return []string{"Vårt Compliance-team tittar nu på ditt redigerade omdöme."}
			},
		},
		links.PurposeReportReply: {
			Heading: func(business string) string { return "Anmäl svaret från " + business },
			Intro: func(business string) []string {
				return []string{business + " har svarat offentligt på ditt omdöme. Om svaret bryter mot riktlinjerna för svar kan du berätta det för oss här: vårt Compliance-team granskar det."}
			},
			MessageLabel: func(business string) string { return "Svaret från " + business },
			ReplyLabel:   func(_ string) string { return "Något du vill lägga till (frivilligt)" },
			ReplyHint: func(max string) string {
				return "Endast text, högst " + max + " tecken."
			},
			Deadline: func(deadline string) string { return "Du kan anmäla svaret till och med " + deadline + "." },
			Notes: func(business string) []string {
				return []string{"Din anmälan går till vårt Compliance-team, inte till " + business + ". Vi delar inte ditt namn eller din e-postadress."}
			},
			Submit:        "Anmäl svaret",
			ThanksHeading: "Tack, vi har tagit emot din anmälan",
			Thanks: func(_ string) []string {
				return []string{"Vårt Compliance-team granskar svaret. Vi meddelar dig via e-post vad vi har beslutat."}
			},
		},
		links.PurposeAppeal: {
			Heading: func(_ string) string { return "Överklaga beslutet att ta bort ditt omdöme" },
			Intro: func(business string) []string {
				return []string{"Vi har tagit bort ditt omdöme efter att " + business + " rapporterade det. Om du anser att beslutet är fel kan du överklaga det här.", "En person i vårt Compliance-team som inte var med och fattade beslutet går igenom ditt överklagande, och vi meddelar dig resultatet via e-post."}
			},
			ReplyLabel: func(_ string) string { return "Dina skäl för överklagandet" },
			ReplyHint: func(max string) string {
				return "Berätta vad du anser var fel med vårt beslut och ta med sådant som styrker ditt omdöme, till exempel ett ordernummer eller datumet för ditt besök. Endast text, högst " + max + " tecken. Det går inte att bifoga filer."
			},
			Deadline: func(deadline string) string { return "Du kan överklaga fram till " + deadline + "." },
			Notes: func(business string) []string {
				return []string{"Ditt överklagande går till vårt Compliance-team, inte till " + business + "."}
			},
			DeadlineNote: func(deadline string) string {
				return "Om vi inte har fått något överklagande senast " + deadline + " står beslutet fast och ditt omdöme förblir borttaget."
			},
			Submit:        "Skicka överklagande",
			ThanksHeading: "Tack, vi har tagit emot ditt överklagande",
			Thanks: func(_ string) []string {
				return []string{"En person i vårt Compliance-team som inte var med och fattade beslutet går igenom det. Vi meddelar dig resultatet via e-post."}
			},
			Own: &answerTexts{
				ErrReplyRequired: "Skriv varför du överklagar beslutet.",
				ErrRetry:         "Vi kunde inte skicka ditt överklagande just nu. Försök igen om några minuter – det du har skrivit finns kvar här.",
				UsedHeading:      "Vi har redan fått ditt överklagande",
				Used:             []string{"Vi har redan tagit emot ett överklagande via den här länken, så du behöver inte göra något mer.", "Om du skickade formuläret igen har ingenting ändrats: vi har behållit ditt första överklagande."},
				ExpiredHeading:   "Överklagandetiden har gått ut",
				Expired: func(deadline string) string {
					return "Tiden för att överklaga gick ut den " + deadline + ", så länken kan inte längre användas."
				},
				ExpiredNoDate: "Tiden för att överklaga har gått ut, så länken kan inte längre användas.",
				ExpiredAfter:  "Beslutet står fast och ditt omdöme förblir borttaget.",
			},
		},
	},

	ReviewHeading: "Ditt omdöme",
	StarsOf:       func(n int) string { return strconv.Itoa(n) + " av 5 stjärnor" },
	TitleLabel:    "Rubrik (valfri)",
	TitleHint:     func(max string) string { return "Högst " + max + " tecken." },
	TextLabel:     "Ditt omdöme",
	TextHint:      func(max string) string { return "Högst " + max + " tecken." },
	StarsLabel:    "Ditt betyg",
	Star: func(n int) string {
		if n == 1 {
			return "1 stjärna"
		}
		return strconv.Itoa(n) + " stjärnor"
	},
	EditNote: "Formuläret visar ditt omdöme som det ser ut nu. Ändra det som vårt Compliance-team bad om och skicka sedan in det.",

	ErrSummary:      "Kontrollera de markerade fälten och skicka formuläret igen.",
	ErrTextRequired: "Skriv ditt omdöme.",
	ErrTooLong: func(n, max string) string {
		return "Texten har " + n + " tecken, men högst " + max + " är tillåtna. Korta ner den."
	},
	ErrBadChars: "Texten innehåller tecken som inte kan skickas, till exempel styrtecken eller osynliga formateringstecken. Ta bort dem.",
	ErrNoLetter: "Skriv med ord: texten innehåller inga bokstäver eller siffror.",
	ErrTooShort: func(n, min string) string { return "Texten har " + n + " tecken; minst " + min + " behövs." },
	ErrStars:    "Välj mellan 1 och 5 stjärnor.",
	ErrCheck:    "Kontrollera det du har skrivit och skicka formuläret igen.",

	Answers: answerTexts{
		ErrReplyRequired: "Skriv ditt svar.",
		ErrRetry:         "Vi kunde inte skicka ditt svar just nu. Försök igen om några minuter – det du har skrivit finns kvar här.",
		UsedHeading:      "Vi har redan fått ditt svar",
		Used:             []string{"Vi har redan tagit emot ett svar via den här länken, så du behöver inte göra något mer.", "Om du skickade formuläret igen har ingenting ändrats: vi har behållit ditt första svar."},
		ExpiredHeading:   "Länken har gått ut",
		Expired: func(deadline string) string {
			return "Tiden för att svara gick ut den " + deadline + ", så länken kan inte längre användas."
		},
		ExpiredNoDate: "Tiden för att svara har gått ut, så länken kan inte längre användas.",
		ExpiredAfter:  "Om du får ett nytt e-postmeddelande från oss om detta, använd länken i det meddelandet.",
	},

	NotFoundHeading:   "Länken är inte giltig",
	NotFound:          "Vi hittar inte det som länken hör till. Kontrollera att du har öppnat hela länken från e-postmeddelandet – vissa e-postprogram delar upp långa länkar på flera rader.",
	UnreadableHeading: "Vi kunde inte läsa ditt svar",
	Unreadable:        "Gå tillbaka och skicka formuläret igen från sidan.",
	TooLargeHeading:   "Ditt svar är för långt",
	TooLarge:          "Gå tillbaka, korta ner texten och skicka den igen.",
	MethodHeading:     "Det här stöds inte på sidan",
	Method:            "Öppna länken från e-postmeddelandet.",
	AnswerLabel:       "Det du skrev",
	ReasonLabel:       "Vad är fel med svaret?",
	Reasons: map[moderation.ReplyReason]string{
		moderation.ReplyReasonPersonalData: "Det innehåller personuppgifter (till exempel mitt namn, min adress eller mitt telefonnummer)",
		moderation.ReplyReasonThreats:      "Det hotar mig eller använder aggressivt språk",
		moderation.ReplyReasonEditRequest:  "Det ber mig att ändra eller ta bort mitt omdöme",
	},
	ErrReason:       "Välj vad som är fel med svaret.",
	SendAgain:       "Skicka igen",
	InternalHeading: "Något gick fel",
	Internal:        "Vi kunde inte behandla din förfrågan just nu. Försök igen om några minuter.",
}

// catalogDE is the German catalog.
var catalogDE = catalog{
	Lang:      moderation.LocaleDE,
	Thousands: ".",
	When:      dateDe,
	Phone:     phoneDE,
	Purposes: map[links.Purpose]purposeText{
		links.PurposeFindReviewerReply: {
			Heading: func(business string) string { return business + " hat eine Frage an Sie" },
			Intro: func(business string) []string {
				return []string{business + " hat eine Frage zu Ihrer Bewertung und Ihnen über uns diese Nachricht geschickt."}
			},
			MessageLabel: func(business string) string { return "Nachricht von " + business },
			ReplyLabel:   func(business string) string { return "Ihre Antwort an " + business },
			ReplyHint: func(max string) string {
				return "Nur Text, höchstens " + max + " Zeichen. Dateianhänge sind nicht möglich."
			},
			Deadline: func(deadline string) string { return "Sie können bis zum " + deadline + " antworten." },
			Notes: func(business string) []string {
				return []string{"Wir geben Ihre E-Mail-Adresse nicht an " + business + " weiter. Was Sie hier schreiben, leiten wir unverändert an " + business + " weiter. Geben Sie daher nur an, was das Unternehmen sehen darf.", "Ob Sie antworten und was Sie mitteilen, entscheiden allein Sie. Ihre Bewertung bleibt in jedem Fall online."}
			},
			Submit:        "Antwort senden",
			ThanksHeading: "Vielen Dank für Ihre Antwort",
			Thanks: func(business string) []string {
				return []string{"Wir haben Ihre Antwort an " + business + " weitergeleitet. Ihre E-Mail-Adresse bleibt privat."}
			},
		},
		links.PurposeProof: {
			Heading: func(business string) string { return "Bitte belegen Sie Ihre Erfahrung mit " + business },
			Intro: func(business string) []string {
				return []string{business + " hat Ihre Bewertung gemeldet, weil sie nach Ansicht des Unternehmens nicht auf einer echten Kauf- oder Serviceerfahrung beruht. Damit Ihre Bewertung bestehen bleibt, benötigen wir einen Nachweis Ihrer Erfahrung."}
			},
			ReplyLabel: func(_ string) string { return "Ihr Nachweis" },
			ReplyHint: func(max string) string {
				return "Zum Beispiel eine Bestell-, Buchungs- oder Rechnungsnummer, die Nummer eines Kassenbelegs und das Datum Ihres Kaufs oder Besuchs. Nur Text, höchstens " + max + " Zeichen. Dateianhänge sind nicht möglich."
			},
			Deadline: func(deadline string) string { return "Bitte senden Sie Ihren Nachweis bis zum " + deadline + "." },
			Notes: func(business string) []string {
				return []string{"Was Sie senden, liest nur unser Compliance-Team. Es wird nicht an " + business + " weitergegeben."}
			},
			DeadlineNote: func(deadline string) string {
				return "Wenn wir bis zum " + deadline + " keinen Nachweis erhalten, wird Ihre Bewertung entfernt."
			},
			Submit:        "Nachweis senden",
			ThanksHeading: "Vielen Dank, wir haben Ihren Nachweis erhalten",
			Thanks: func(_ string) []string {
				return []string{"Unser Compliance-Team prüft ihn. Falls wir noch etwas von Ihnen benötigen, melden wir uns per E-Mail."}
			},
		},
		links.PurposeEvidence: {
			Heading: func(_ string) string { return "Unser Compliance-Team benötigt weitere Informationen" },
			Intro: func(business string) []string {
				return []string{business + " hat Ihre Bewertung gemeldet, und unser Compliance-Team prüft die Meldung. Dazu haben wir eine Frage an Sie."}
			},
			MessageLabel: func(_ string) string { return "Nachricht von unserem Compliance-Team" },
			ReplyLabel:   func(_ string) string { return "Ihre Antwort" },
			ReplyHint: func(max string) string {
				return "Nur Text, höchstens " + max + " Zeichen. Dateianhänge sind nicht möglich."
			},
			Deadline: func(deadline string) string { return "Bitte antworten Sie bis zum " + deadline + "." },
			Notes: func(business string) []string {
				return []string{"Ihre Antwort geht an unser Compliance-Team, nicht an " + business + ".", "Wenn wir bis dahin nichts von Ihnen hören, entscheiden wir auf Grundlage der vorliegenden Informationen."}
			},
			Submit:        "Antwort senden",
			ThanksHeading: "Vielen Dank, wir haben Ihre Antwort erhalten",
			Thanks: func(_ string) []string {
				return []string{"Unser Compliance-Team berücksichtigt sie bei der Entscheidung über die Meldung."}
			},
		},
		links.PurposeEdit: {
			Heading: func(_ string) string { return "Bitte bearbeiten Sie Ihre Bewertung" },
			Intro: func(business string) []string {
				return []string{business + " hat Ihre Bewertung gemeldet, und unser Compliance-Team bittet Sie, sie zu ändern."}
			},
			MessageLabel: func(_ string) string { return "Nachricht von unserem Compliance-Team" },
			Deadline:     func(deadline string) string { return "Bitte senden Sie Ihre Änderungen bis zum " + deadline + "." },
			Notes: func(_ string) []string {
				return []string{"Unser Compliance-Team prüft Ihre bearbeitete Bewertung, bevor es über die Meldung entscheidet.", "Wenn wir bis dahin nichts von Ihnen hören, entscheiden wir auf Grundlage Ihrer Bewertung in der aktuellen Fassung."}
			},
			Submit:        "Änderungen senden",
			ThanksHeading: "Vielen Dank, wir haben Ihre Änderungen erhalten",
			Thanks: func(_ string) []string {
				return []string{"Unser Compliance-Team sieht sich Ihre bearbeitete Bewertung nun an."}
			},
		},
		links.PurposeReportReply: {
			Heading: func(business string) string { return "Antwort von " + business + " melden" },
			Intro: func(business string) []string {
				return []string{business + " hat öffentlich auf Ihre Bewertung geantwortet. Wenn die Antwort gegen die Richtlinien für Antworten verstößt, teilen Sie es uns hier mit: Unser Compliance-Team prüft sie."}
			},
			MessageLabel: func(business string) string { return "Die Antwort von " + business },
			ReplyLabel:   func(_ string) string { return "Möchten Sie etwas ergänzen? (freiwillig)" },
			ReplyHint: func(max string) string {
				return "Nur Text, höchstens " + max + " Zeichen."
			},
			Deadline: func(deadline string) string { return "Sie können die Antwort bis " + deadline + " melden." },
			Notes: func(business string) []string {
				return []string{"Ihre Meldung geht an unser Compliance-Team, nicht an " + business + ". Wir geben Ihren Namen und Ihre E-Mail-Adresse nicht weiter."}
			},
			Submit:        "Antwort melden",
			ThanksHeading: "Vielen Dank, wir haben Ihre Meldung erhalten",
			Thanks: func(_ string) []string {
				return []string{"Unser Compliance-Team prüft die Antwort. Wir teilen Ihnen per E-Mail mit, wie wir entschieden haben."}
			},
		},
		links.PurposeAppeal: {
			Heading: func(_ string) string { return "Widerspruch gegen die Entfernung Ihrer Bewertung" },
			Intro: func(business string) []string {
				return []string{"Wir haben Ihre Bewertung entfernt, nachdem " + business + " sie gemeldet hatte. Wenn Sie unsere Entscheidung für falsch halten, können Sie hier Widerspruch einlegen.", "Ihren Widerspruch prüft eine Person aus unserem Compliance-Team, die an der Entscheidung nicht beteiligt war. Das Ergebnis teilen wir Ihnen per E-Mail mit."}
			},
			ReplyLabel: func(_ string) string { return "Begründung Ihres Widerspruchs" },
			ReplyHint: func(max string) string {
				return "Schildern Sie, was an unserer Entscheidung Ihrer Ansicht nach falsch war, und nennen Sie alle Fakten, die Ihre Bewertung stützen, zum Beispiel eine Bestellnummer oder das Datum Ihres Besuchs. Nur Text, höchstens " + max + " Zeichen. Dateianhänge sind nicht möglich."
			},
			Deadline: func(deadline string) string { return "Sie können bis zum " + deadline + " Widerspruch einlegen." },
			Notes: func(business string) []string {
				return []string{"Ihr Widerspruch geht an unser Compliance-Team, nicht an " + business + "."}
			},
			DeadlineNote: func(deadline string) string {
				return "Wenn bis zum " + deadline + " kein Widerspruch bei uns eingeht, bleibt es bei der Entscheidung, und Ihre Bewertung wird nicht wieder veröffentlicht."
			},
			Submit:        "Widerspruch senden",
			ThanksHeading: "Vielen Dank, wir haben Ihren Widerspruch erhalten",
			Thanks: func(_ string) []string {
				return []string{"Eine Person aus unserem Compliance-Team, die an der Entscheidung nicht beteiligt war, prüft ihn. Das Ergebnis teilen wir Ihnen per E-Mail mit."}
			},
			Own: &answerTexts{
				ErrReplyRequired: "Bitte begründen Sie Ihren Widerspruch.",
				ErrRetry:         "Wir konnten Ihren Widerspruch gerade nicht senden. Bitte versuchen Sie es in einigen Minuten erneut – Ihr Text ist hier noch vorhanden.",
				UsedHeading:      "Ihr Widerspruch liegt uns bereits vor",
				Used:             []string{"Über diesen Link haben wir bereits einen Widerspruch erhalten. Sie müssen nichts weiter tun.", "Falls Sie das Formular erneut gesendet haben, hat sich nichts geändert: Ihr erster Widerspruch bleibt bestehen."},
				ExpiredHeading:   "Die Widerspruchsfrist ist abgelaufen",
				Expired: func(deadline string) string {
					return "Die Frist für einen Widerspruch ist am " + deadline + " abgelaufen. Der Link kann daher nicht mehr verwendet werden."
				},
				ExpiredNoDate: "Die Frist für einen Widerspruch ist abgelaufen. Der Link kann daher nicht mehr verwendet werden.",
				ExpiredAfter:  "Es bleibt bei der Entscheidung; Ihre Bewertung wird nicht wieder veröffentlicht.",
			},
		},
	},

	ReviewHeading: "Ihre Bewertung",
	StarsOf:       func(n int) string { return strconv.Itoa(n) + " von 5 Sternen" },
	TitleLabel:    "Titel (optional)",
	TitleHint:     func(max string) string { return "Höchstens " + max + " Zeichen." },
	TextLabel:     "Ihre Bewertung",
	TextHint:      func(max string) string { return "Höchstens " + max + " Zeichen." },
	StarsLabel:    "Ihre Sternebewertung",
	Star: func(n int) string {
		if n == 1 {
			return "1 Stern"
		}
		return strconv.Itoa(n) + " Sterne"
	},
	EditNote: "Das Formular zeigt Ihre Bewertung in der aktuellen Fassung. Ändern Sie, worum unser Compliance-Team Sie gebeten hat, und senden Sie sie dann ab.",

	ErrSummary:      "Bitte prüfen Sie die markierten Felder und senden Sie das Formular erneut.",
	ErrTextRequired: "Bitte geben Sie Ihre Bewertung ein.",
	ErrTooLong: func(n, max string) string {
		return "Der Text hat " + n + " Zeichen, erlaubt sind höchstens " + max + ". Bitte kürzen Sie ihn."
	},
	ErrBadChars: "Der Text enthält Zeichen, die nicht gesendet werden können, zum Beispiel Steuerzeichen oder unsichtbare Formatierungszeichen. Bitte entfernen Sie sie.",
	ErrNoLetter: "Bitte schreiben Sie in Worten: Der Text enthält keine Buchstaben oder Ziffern.",
	ErrTooShort: func(n, min string) string {
		return "Der Text hat " + n + " Zeichen; mindestens " + min + " sind nötig."
	},
	ErrStars: "Bitte wählen Sie 1 bis 5 Sterne.",
	ErrCheck: "Bitte prüfen Sie Ihre Eingaben und senden Sie das Formular erneut.",

	Answers: answerTexts{
		ErrReplyRequired: "Bitte geben Sie Ihre Antwort ein.",
		ErrRetry:         "Wir konnten Ihre Antwort gerade nicht senden. Bitte versuchen Sie es in einigen Minuten erneut – Ihr Text ist hier noch vorhanden.",
		UsedHeading:      "Ihre Antwort liegt uns bereits vor",
		Used:             []string{"Über diesen Link haben wir bereits eine Antwort erhalten. Sie müssen nichts weiter tun.", "Falls Sie das Formular erneut gesendet haben, hat sich nichts geändert: Ihre erste Antwort bleibt bestehen."},
		ExpiredHeading:   "Dieser Link ist abgelaufen",
		Expired: func(deadline string) string {
			return "Die Frist für Ihre Antwort ist am " + deadline + " abgelaufen. Der Link kann daher nicht mehr verwendet werden."
		},
		ExpiredNoDate: "Die Frist für Ihre Antwort ist abgelaufen. Der Link kann daher nicht mehr verwendet werden.",
		ExpiredAfter:  "Wenn Sie von uns eine neue E-Mail dazu erhalten, verwenden Sie bitte den Link in dieser E-Mail.",
	},

	NotFoundHeading:   "Dieser Link ist ungültig",
	NotFound:          "Wir können nicht finden, wozu dieser Link gehört. Bitte prüfen Sie, ob Sie den vollständigen Link aus der E-Mail geöffnet haben – manche E-Mail-Programme trennen lange Links über mehrere Zeilen.",
	UnreadableHeading: "Ihre Antwort konnte nicht gelesen werden",
	Unreadable:        "Bitte gehen Sie zurück und senden Sie das Formular erneut über die Seite ab.",
	TooLargeHeading:   "Ihre Antwort ist zu lang",
	TooLarge:          "Bitte gehen Sie zurück, kürzen Sie Ihren Text und senden Sie ihn erneut.",
	MethodHeading:     "Diese Aktion ist hier nicht möglich",
	Method:            "Bitte öffnen Sie den Link aus der E-Mail.",
	AnswerLabel:       "Ihr Text",
	ReasonLabel:       "Was stimmt mit der Antwort nicht?",
	Reasons: map[moderation.ReplyReason]string{
		moderation.ReplyReasonPersonalData: "Sie enthält personenbezogene Daten (zum Beispiel meinen Namen, meine Adresse oder Telefonnummer)",
		moderation.ReplyReasonThreats:      "Sie bedroht mich oder verwendet aggressive Sprache",
		moderation.ReplyReasonEditRequest:  "Sie bittet mich, meine Bewertung zu ändern oder zu löschen",
	},
	ErrReason:       "Bitte wählen Sie, was mit der Antwort nicht stimmt.",
	SendAgain:       "Erneut senden",
	InternalHeading: "Etwas ist schiefgelaufen",
	Internal:        "Wir konnten Ihre Anfrage gerade nicht bearbeiten. Bitte versuchen Sie es in einigen Minuten erneut.",
}

// dateEn writes "15 March 2026, 09:30 UTC".
func dateEn(day, month, year, clock, zone string) string {
	return day + " " + month + " " + year + ", " + clock + " " + zone
}

// dateSv writes "15 mars 2026 kl. 09:30 UTC".
func dateSv(day, month, year, clock, zone string) string {
	return day + " " + month + " " + year + " kl. " + clock + " " + zone
}

// dateDe writes "15. März 2026, 09:30 Uhr UTC".
func dateDe(day, month, year, clock, zone string) string {
	return day + ". " + month + " " + year + ", " + clock + " Uhr " + zone
}

// answers returns the answerTexts of purpose: its own, or the generic ones.
func (c *catalog) answers(purpose links.Purpose) *answerTexts {
	if own := c.Purposes[purpose].Own; own != nil {
		return own
	}
	return &c.Answers
}

// number formats a non-negative n with the locale's digit grouping
// ("10,000", "10 000", "10.000").
func (c *catalog) number(n int) string { return i18n.Group(n, c.Thousands) }

// catalogFor returns the catalog of a locale; anything but Swedish and
// German, including "", gets English (moderation.NormalizeLocale).
func catalogFor(locale string) *catalog { return catalogues.For(locale) }

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
