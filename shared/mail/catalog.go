package mail

import (
	"time"

	"github.com/candorhq/candor/shared/i18n"
	"github.com/candorhq/candor/shared/moderation"
)

// The wording of the emails, in the catalogue format of package i18n: one
// texts value per locale (catalog_en.go, catalog_sv.go, catalog_de.go),
// whole sentences as funcs of what they speak of, so that each language
// orders its words as it needs and the compiler checks every placeholder.
// The arguments are display text already (names and titles on one line,
// dates formatted by the catalogue's own Date); a title is "" when the
// review has none, and the sentences leave it out then.

// catalogues are the emails' catalogues by locale.
var catalogues = i18n.Catalogues[texts]{EN: &textsEn, SV: &textsSv, DE: &textsDe}

// texts are the words of every email in one locale.
type texts struct {
	// Date writes a deadline or decision time: local is the time in the
	// reader's zone (its abbreviation in local.Format("MST")), utc the same
	// instant in UTC, both shown.
	Date             func(local, utc time.Time) string
	Greeting         string
	SignoffTeam      func(platform string) []string // lines
	SignoffIntegrity func(platform string) []string // lines
	FooterReviewer   func(platform string) string
	FooterPersonal   string
	FooterBusiness   func(platform string) string
	// ButtonFallback leads to the link repeated under a button, for clients
	// that show no buttons; FallbackLink is that link's text: the button's
	// label and the site it opens, never the raw URL.
	ButtonFallback  string
	FallbackLink    func(label, site string) string
	PrivacyReviewer func(business string) string
	ForBusiness     func(business string) string // the first line of an email to a business, naming it
	Reasons         reasonsTexts
	// OutOfCourt names the redress outside the platform: a certified
	// out-of-court dispute settlement body (DSA Art. 21) and the courts;
	// OutOfCourtLink is the text of the link to the European Commission's
	// list of certified bodies (OutOfCourtBodiesURL) that follows it.
	OutOfCourt     string
	OutOfCourtLink string
	// Final says that a decision on appeal is final within the platform.
	Final func(platform string) string

	FindReviewerRequest  findReviewerRequestTexts
	FindReviewerReminder findReviewerReminderTexts
	ReviewReported       reviewReportedTexts
	ProofRequest         proofRequestTexts
	ComplianceRequest    complianceRequestTexts
	ReviewRemoved        reviewRemovedTexts
	ReviewerReplied      reviewerRepliedTexts
	RequestExpired       requestExpiredTexts
	ReviewReinstated     reviewReinstatedTexts

	ReviewReinstatedForReviewer reviewReinstatedForReviewerTexts
	AppealDecided               appealDecidedTexts
	ReplyPublished              replyPublishedTexts
	ReplyRemoved                replyRemovedTexts
	ReplyReportDecided          replyReportDecidedTexts
	AnswerReceived              answerReceivedTexts
}

// reasonsTexts are the texts of every reason of moderation.AllReasons, a
// field each (not a map, so that a catalogue needs no code to initialise and
// a function that links this package without sending email links none of
// it).
type reasonsTexts struct {
	OffensiveOrHarmful  reasonTexts
	PersonalInformation reasonTexts
	Promotional         reasonTexts
	RightsViolation     reasonTexts
	Spam                reasonTexts
	WrongCompany        reasonTexts
	ExperienceTooOld    reasonTexts
	EthicalOrPolitical  reasonTexts
	Competitor          reasonTexts
	MultipleProfiles    reasonTexts
	NoGenuineExperience reasonTexts
}

// of returns the texts of reason r, and whether r is a known reason.
func (rs *reasonsTexts) of(r moderation.Reason) (reasonTexts, bool) {
	switch r {
	case moderation.ReasonOffensiveOrHarmful:
		return rs.OffensiveOrHarmful, true
	case moderation.ReasonPersonalInformation:
		return rs.PersonalInformation, true
	case moderation.ReasonPromotional:
		return rs.Promotional, true
	case moderation.ReasonRightsViolation:
		return rs.RightsViolation, true
	case moderation.ReasonSpam:
		return rs.Spam, true
	case moderation.ReasonWrongCompany:
		return rs.WrongCompany, true
	case moderation.ReasonExperienceTooOld:
		return rs.ExperienceTooOld, true
	case moderation.ReasonEthicalOrPolitical:
		return rs.EthicalOrPolitical, true
	case moderation.ReasonCompetitor:
		return rs.Competitor, true
	case moderation.ReasonMultipleProfiles:
		return rs.MultipleProfiles, true
	case moderation.ReasonNoGenuineExperience:
		return rs.NoGenuineExperience, true
	}
	return reasonTexts{}, false
}

// reasonTexts name a reason in a statement of reasons and say what it means.
type reasonTexts struct {
	Name, Meaning string
}

type findReviewerRequestTexts struct {
	Subject func(business string) string
	Intro   func(platform, business, title string) string
	Ask     func(business, deadline string) string
	Button  func(business string) string // also the reminder's
	Online  string
}

type findReviewerReminderTexts struct {
	SubjectAuto   func(business string) string
	SubjectManual func(business string) string
	IntroAuto     func(platform, business, title string) string
	IntroManual   func(platform, business, title string) string
	Ask           func(deadline string) string
}

type reviewReportedTexts struct {
	Subject func(business string) string
	Intro   func(platform, business, title string) string
	Hidden  string
	Visible string
	Next    string
}

type proofRequestTexts struct {
	Subject func(business string) string
	Intro   func(business, title string) string
	Why     func(platform string) string
	Ask     func(business, deadline string) string
	Absent  string
	Button  string
}

type complianceRequestTexts struct {
	Evidence complianceKindTexts
	Edit     complianceKindTexts
	Absent   string
}

type complianceKindTexts struct {
	Subject func(business string) string
	Intro   func(platform, business, title string) string
	Ask     func(deadline string) string
	Button  string
}

type reviewRemovedTexts struct {
	Subject       func(business string) string
	Intro         func(platform, business, title string) string
	WhyHeading    string
	WhyAgent      func(business string, count int) string // count: the number of reasons upheld
	WhyNoProof    func(business string, count int) string
	GroundNoProof string // the rule of the guidelines a no-proof removal applies
	FactsHeading  string
	FactsNoProof  func(business string) string
	WhoHeading    string
	WhoAgent      func(decidedAt string) string
	WhoAppeal     func(business, decidedAt string) string
	WhoNoProof    func(decidedAt string) string
	Detection     func(business string) string // no automated means detected the review
	AppealHeading string
	AppealText    func(deadline string) string
	AppealButton  string
	FinalHeading  string // the redress section of a decision on appeal
}

type reviewerRepliedTexts struct {
	Subject string
	Intro   func(title string) string
	Read    string
	Button  string
	Advice  string
}

type requestExpiredTexts struct {
	Subject   string
	Intro     func(title string) string
	RemindYes string
	RemindNo  string
	Options   string
	Button    string
}

type reviewReinstatedTexts struct {
	Subject     string
	Intro       func(title string) string
	IntroAppeal func(title string) string
	Neutral     string
	Appeal      func(deadline string) string // how and until when the business appeals (not after an appeal)
	Button      string
}

type reviewReinstatedForReviewerTexts struct {
	Subject     func(business string) string
	Intro       func(platform, business, title string) string
	IntroAppeal func(platform, business, title string) string
	Next        func(business string) string
	NextAppeal  string
}

type appealDecidedTexts struct {
	SubjectReviewer  func(business string) string // to the reviewer, who appealed
	SubjectBusiness  func(business string) string // to the business, which appealed
	SubjectKept      func(business string) string // to the reviewer, whose review the business's appeal left online
	ReviewerUpheld   func(platform, business, title, decidedAt string) string
	BusinessUpheld   func(platform, business, title, decidedAt string) string
	BusinessReversed func(platform, business, title, decidedAt string) string
	Kept             func(platform, business, title, decidedAt string) string
	FactsLead        string
	Nothing          string // nothing for the reviewer to do
	Button           string // the business's report
}

type replyPublishedTexts struct {
	Subject       func(business string) string
	SubjectEdited func(business string) string
	Intro         func(business, title string) string
	IntroEdited   func(business, title string) string
	Button        string // to the public page
	Report        string // what a report of the reply is for
	ReportButton  string
	Stop          string // that these emails (and only these) can be stopped
	StopButton    string
}

// quoted returns title between the quotation marks open and close after a
// space, or "" when there is no title: the catalogues' way of naming a
// review by its title when it has one.
func quoted(open, title, close string) string {
	if title == "" {
		return ""
	}
	return " " + open + title + close
}

// plural returns many when count is more than 1, and one otherwise.
func plural(count int, one, many string) string {
	if count > 1 {
		return many
	}
	return one
}
