package mail

import (
	"time"

	"github.com/candorhq/candor/shared/moderation"
)

// textsEn is the English catalogue, the reference the tests hold the others
// to. It quotes titles with “…”.
var textsEn = texts{
	Date:        dateEn,
	Greeting:    "Hello,",
	SignoffTeam: func(platform string) []string { return []string{"Kind regards,", "The " + platform + " team"} },
	SignoffIntegrity: func(platform string) []string {
		return []string{"Kind regards,", "The " + platform + " compliance team"}
	},
	FooterReviewer: func(platform string) string {
		return "You are receiving this email because you wrote a review on " + platform + "."
	},
	FooterPersonal: "The link in this email is personal: please do not forward it.",
	FooterBusiness: func(platform string) string {
		return "You are receiving this email because your business uses " + platform + ". We send it to the notification address of your business account."
	},
	ForBusiness:    func(business string) string { return "Business account: " + business },
	ButtonFallback: "If the button does not work, use this link:",
	FallbackLink:   func(label, site string) string { return label + " (opens " + site + ")" },
	PrivacyReviewer: func(business string) string {
		return "We have not shared your email address or your name with " + business + ". They only see what you write in your reply."
	},
	Reasons: reasonsTexts{
		OffensiveOrHarmful:  reasonTexts{"Offensive or harmful content", "threats, hate, discrimination, obscenity or defamation"},
		PersonalInformation: reasonTexts{"Personal information", "the review contains someone's personal data"},
		Promotional:         reasonTexts{"Promotional content", "advertising or promotion"},
		RightsViolation:     reasonTexts{"Violation of rights", "the review infringes intellectual property, privacy or personality rights"},
		Spam:                reasonTexts{"Spam", "spam, gibberish or repeated text"},
		WrongCompany:        reasonTexts{"Wrong company", "the review is about a different business"},
		ExperienceTooOld:    reasonTexts{"Experience too old", "the review was written more than 12 months after the experience"},
		EthicalOrPolitical:  reasonTexts{"Ethical or political statement", "a purely ethical or political statement, not an experience with the business"},
		Competitor:          reasonTexts{"Conflict of interest", "written by a competitor, an employee, a relative or anyone else with a conflict of interest"},
		MultipleProfiles:    reasonTexts{"Multiple profiles", "the same person reviewing through several profiles"},
		NoGenuineExperience: reasonTexts{"No genuine experience", "the reviewer did not have a genuine buying or service experience with the business"},
	},
	OutOfCourt:     "You can also take the decision to a certified out-of-court dispute settlement body. These are independent bodies, certified under Article 21 of the EU Digital Services Act, that settle disputes with online platforms; for you, this is free of charge or costs no more than a nominal fee. The European Commission publishes the list of certified bodies. You can also take the matter to court.",
	OutOfCourtLink: "The European Commission's list of certified dispute settlement bodies",
	Final: func(platform string) string {
		return "This decision was taken on appeal and is final within " + platform + ": there is no further appeal with us."
	},

	FindReviewerRequest: findReviewerRequestTexts{
		Subject: func(business string) string { return business + " has a question about your review" },
		Intro: func(platform, business, title string) string {
			return business + " would like to know more about your experience and has sent you a message through " + platform + " about your review" + titleEn(title) + ":"
		},
		Ask: func(business, deadline string) string {
			return "If you would like to answer, please reply by " + deadline + " using the link below. It is entirely up to you what you share, for example an order or invoice number, or how " + business + " can reach you. Replies are text only; attachments are not possible."
		},
		Button: func(business string) string { return "Reply to " + business },
		Online: "Your review stays online in the meantime.",
	},
	FindReviewerReminder: findReviewerReminderTexts{
		SubjectAuto:   func(business string) string { return "Reminder: " + business + " is waiting for your reply" },
		SubjectManual: func(business string) string { return business + " has sent you a reminder" },
		IntroAuto: func(platform, business, title string) string {
			return "A few days ago, " + business + " sent you a message through " + platform + " about your review" + titleEn(title) + " and has not heard back yet. Here is the message again:"
		},
		IntroManual: func(platform, business, title string) string {
			return business + " would still like to hear from you about your review" + titleEn(title) + " and has sent you a reminder through " + platform + ". Here is the message again:"
		},
		Ask: func(deadline string) string {
			return "You can reply until " + deadline + " using the link below. Replying is voluntary, and you decide what you share."
		},
	},
	ReviewReported: reviewReportedTexts{
		Subject: func(business string) string { return "Your review of " + business + " has been reported" },
		Intro: func(platform, business, title string) string {
			return business + " has reported your review" + titleEn(title) + " because it believes the review does not follow the guidelines of " + platform + "."
		},
		Hidden:  "While our compliance team investigates the report, your review is hidden, and the business's statement is shown in its place:",
		Visible: "Your review stays online while our compliance team investigates the report. The business has published this statement about it:",
		Next:    "You do not need to do anything right now. If we need information from you, we will email you and give you time to answer. A report does not mean that the review breaks our guidelines: a person on our team looks at the report and decides.",
	},
	ProofRequest: proofRequestTexts{
		Subject: func(business string) string { return "Please confirm your experience with " + business },
		Intro: func(business, title string) string {
			return business + " has reported your review" + titleEn(title) + ". The business believes you have not had a genuine buying or service experience with it."
		},
		Why: func(platform string) string {
			return "Every review on " + platform + " must be based on a genuine experience. So that we can assess the report, please show us yours, for example with an order number, a receipt or invoice number, a booking reference, or the date and place of your purchase."
		},
		Ask: func(business, deadline string) string {
			return "Please send your proof by " + deadline + " using the link below. Our compliance team reviews it, and we never share your contact details with " + business + "."
		},
		Absent: "If we have not received proof by then, your review will be removed.",
		Button: "Send proof",
	},
	ComplianceRequest: complianceRequestTexts{
		Evidence: complianceKindTexts{
			Subject: func(business string) string { return "We need more information about your review of " + business },
			Intro: func(platform, business, title string) string {
				return "The " + platform + " compliance team is investigating a report on your review" + titleEn(title) + " of " + business + " and needs more information from you:"
			},
			Ask:    func(deadline string) string { return "Please answer by " + deadline + " using the link below." },
			Button: "Send information",
		},
		Edit: complianceKindTexts{
			Subject: func(business string) string { return "Please edit your review of " + business },
			Intro: func(platform, business, title string) string {
				return "The " + platform + " compliance team has looked into a report on your review" + titleEn(title) + " of " + business + " and asks you to change the review as follows:"
			},
			Ask: func(deadline string) string {
				return "You can edit your review until " + deadline + " using the link below."
			},
			Button: "Edit your review",
		},
		Absent: "If we have not heard from you by then, we will decide on the report with the information we have.",
	},
	ReviewRemoved: reviewRemovedTexts{
		Subject: func(business string) string { return "Your review of " + business + " has been removed" },
		Intro: func(platform, business, title string) string {
			return "We have removed your review" + titleEn(title) + " of " + business + " from " + platform + ". This email explains why, and what you can do if you disagree."
		},
		WhyHeading: "Why the review was removed",
		WhyAgent: func(business string, count int) string {
			return "We removed the review for the following " + plural(count, "reason", "reasons") + ". " + business + " gave " + plural(count, "it", "them") + " in its report, and we found that the review breaks our guidelines on " + plural(count, "this point", "these points") + ":"
		},
		WhyNoProof: func(business string, count int) string {
			return "We removed the review for the following " + plural(count, "reason", "reasons") + ", which " + business + " gave in its report:"
		},
		GroundNoProof: "Our guidelines require every review to be based on a genuine buying or service experience. When a review is reported for this reason and its author does not show us their experience within the time we give, the review is removed.",
		FactsHeading:  "What we based the decision on",
		FactsNoProof: func(business string) string {
			return business + " reported that you had not had a genuine buying or service experience with it, and we asked you to show us your experience."
		},
		WhoHeading: "Who decided",
		WhoAgent: func(decidedAt string) string {
			return "A member of our compliance team made this decision on " + decidedAt + ", after reviewing the report and the information available."
		},
		WhoAppeal: func(business, decidedAt string) string {
			return "After our investigation of the report, we had published your review again. " + business + " appealed against that decision, and on " + decidedAt + " a member of our compliance team who was not involved in it looked at the case again and reversed it."
		},
		WhoNoProof: func(decidedAt string) string {
			return "This decision was taken automatically, without a person assessing your case: no proof reached us within the time we gave you, which ended on " + decidedAt + ", and in that case our guidelines require the review to be removed."
		},
		Detection: func(business string) string {
			return "No automated tool detected or flagged your review: it came to us through the report by " + business + "."
		},
		AppealHeading: "How to appeal",
		AppealText: func(deadline string) string {
			return "If you think this decision is wrong, you can appeal until " + deadline + " using the link below. Tell us why, and add anything that supports your review. A member of our compliance team who was not involved in this decision will look at it again and email you the result."
		},
		AppealButton: "Appeal the decision",
		FinalHeading: "If you disagree",
	},
	ReviewerReplied: reviewerRepliedTexts{
		Subject: "The reviewer has replied to your message",
		Intro: func(title string) string {
			return "The author of the review" + titleEn(title) + " has replied to the message you sent through Find Reviewer."
		},
		Read:   "You can read the reply in your business account. The reviewer decides what to share; their email address and name stay private.",
		Button: "Read the reply",
		Advice: "We recommend using what you learn to improve your service and to resolve any problem the reviewer had.",
	},
	RequestExpired: requestExpiredTexts{
		Subject: "No reply to your Find Reviewer message",
		Intro: func(title string) string {
			return "The author of the review" + titleEn(title) + " has not replied to your Find Reviewer message, and the time to reply has now run out."
		},
		RemindYes: "You can send one reminder, which reopens the request and gives the reviewer more time to answer.",
		RemindNo:  "You have already used the one reminder for this request, so the request is now closed.",
		Options:   "You can also reply to the review publicly: it shows the reviewer and everyone else that you want to help and to resolve problems. If you have reason to believe that the reviewer had no genuine buying or service experience with your business, you can now report the review for that reason.",
		Button:    "View the request",
	},
	ReviewReinstated: reviewReinstatedTexts{
		Subject: "A review you reported is online again",
		Intro: func(title string) string {
			return "Our compliance team has finished investigating your report on the review" + titleEn(title) + ". The review does not break our guidelines for the reasons you gave, so it has been published again."
		},
		IntroAppeal: func(title string) string {
			return "After our investigation of your report on the review" + titleEn(title) + ", we had removed it. Its author appealed against that decision, and a member of our compliance team who was not involved in it looked at the case again and reversed it: the review has been published again."
		},
		Neutral: "We stay neutral when a business and a reviewer disagree about what happened. If you see things differently, we recommend replying to the review publicly and explaining your view in a friendly tone.",
		Appeal: func(deadline string) string {
			return "If you think this decision is wrong, you can appeal against it through the report in your business account until " + deadline + ". A member of our compliance team who was not involved in the decision will look at it again and email you the result."
		},
		Button: "View the report",
	},
	ReviewReinstatedForReviewer: reviewReinstatedForReviewerTexts{
		Subject: func(business string) string { return "Your review of " + business + " is online again" },
		Intro: func(platform, business, title string) string {
			return "The " + platform + " compliance team has finished investigating the report by " + business + " on your review" + titleEn(title) + ". The review does not break our guidelines for the reasons the business gave, so it is public again."
		},
		IntroAppeal: func(platform, business, title string) string {
			return "You appealed against our decision to remove your review" + titleEn(title) + " of " + business + ". A member of the " + platform + " compliance team who was not involved in that decision looked at the case again and reversed it: your review is public again."
		},
		Next: func(business string) string {
			return "You do not need to do anything. " + business + " can appeal against this decision; if it does, a member of our compliance team who was not involved in it will decide, and we will email you the result."
		},
		NextAppeal: "You do not need to do anything. Thank you for taking the time to appeal.",
	},
	AppealDecided: appealDecidedTexts{
		SubjectReviewer: func(business string) string {
			return "Decision on your appeal: your review of " + business + " stays removed"
		},
		SubjectBusiness: func(business string) string {
			return "Decision on your appeal about a review of " + business
		},
		SubjectKept: func(business string) string { return "Your review of " + business + " stays online" },
		ReviewerUpheld: func(platform, business, title, decidedAt string) string {
			return "You appealed against our decision to remove your review" + titleEn(title) + " of " + business + ". A member of the " + platform + " compliance team who was not involved in that decision looked at the case again and, on " + decidedAt + ", upheld it: the review stays removed."
		},
		BusinessUpheld: func(platform, business, title, decidedAt string) string {
			return "You appealed against our decision to publish the review" + titleEn(title) + " of " + business + " again after your report. A member of the " + platform + " compliance team who was not involved in that decision looked at the case again and, on " + decidedAt + ", upheld it: the review stays online."
		},
		BusinessReversed: func(platform, business, title, decidedAt string) string {
			return "You appealed against our decision to publish the review" + titleEn(title) + " of " + business + " again after your report. A member of the " + platform + " compliance team who was not involved in that decision looked at the case again and, on " + decidedAt + ", reversed it: the review has been removed from " + platform + "."
		},
		Kept: func(platform, business, title, decidedAt string) string {
			return business + " appealed against our decision to publish your review" + titleEn(title) + " again after its report. A member of the " + platform + " compliance team who was not involved in that decision looked at the case again and, on " + decidedAt + ", rejected the appeal: your review stays online."
		},
		FactsLead: "What we based the decision on:",
		Nothing:   "You do not need to do anything.",
		Button:    "View the report",
	},
	ReplyPublished: replyPublishedTexts{
		Subject:       func(business string) string { return business + " has replied to your review" },
		SubjectEdited: func(business string) string { return business + " has changed its reply to your review" },
		Intro: func(business, title string) string {
			return business + " has published a public reply to your review" + titleEn(title) + ":"
		},
		IntroEdited: func(business, title string) string {
			return business + " has changed its public reply to your review" + titleEn(title) + ". It now reads:"
		},
		Button:       "See your review and the reply",
		Report:       "If the reply contains your personal data, threatens you or is aggressive, or asks you to change or delete your review, you can report it to us.",
		ReportButton: "Report the reply",
		Stop:         "Do you not want emails about replies to your reviews? You can stop them; you will still get the emails about reports and requests concerning your review.",
		StopButton:   "Stop emails about replies",
	},
	ReplyRemoved: replyRemovedTexts{
		Subject: "we have removed your reply to a review",
		Intro: func(platform, title string) string {
			return "Your public reply to the review" + titleEn(title) + " was reported to us. Our compliance team looked at it and removed it from " + platform + ". This is our statement of reasons."
		},
		WhyHeading: "Why we removed it",
		Why: func(n int) string {
			if n == 1 {
				return "The reply breaks this rule of the reply guidelines:"
			}
			return "The reply breaks these rules of the reply guidelines:"
		},
		FactsHeading: "What we based the decision on",
		WhoHeading:   "Who decided",
		Who: func(decidedAt string) string {
			return "A member of our compliance team decided on " + decidedAt + ". No automated means decided it; reports brought the reply to our attention."
		},
		Kept:   "The reply is no longer shown. Its texts are kept for our compliance team. You may publish a new reply that keeps to the guidelines.",
		Button: "View the review",
		Reasons: replyReasonsTexts{
			PersonalData: reasonTexts{"Personal data", "the reply contains someone's personal data"},
			Threats:      reasonTexts{"Threats or aggressive language", "the reply threatens the reviewer or uses aggressive language"},
			EditRequest:  reasonTexts{"Asking to change the review", "the reply asks for the review to be edited, deleted or updated"},
		},
	},
	ReplyReportDecided: replyReportDecidedTexts{
		Subject: func(business string) string { return "Your report of the reply by " + business },
		Removed: func(business, title string) string {
			return "You reported the reply of " + business + " to your review" + titleEn(title) + ". Our compliance team looked at it and removed the reply: it breaks the reply guidelines."
		},
		Kept: func(business, title string) string {
			return "You reported the reply of " + business + " to your review" + titleEn(title) + ". Our compliance team looked at it and found that it keeps to the reply guidelines: the reply stays online."
		},
		Thanks: "Thank you for telling us. You do not need to do anything.",
	},
	AnswerReceived: answerReceivedTexts{
		SubjectReply:    func(business string) string { return "A copy of your reply to " + business },
		SubjectProof:    func(business string) string { return "We received your proof about your review of " + business },
		SubjectEvidence: func(business string) string { return "We received your information about your review of " + business },
		SubjectEdit:     func(business string) string { return "Your review of " + business + " was edited" },
		SubjectAppeal:   func(business string) string { return "We received your appeal about your review of " + business },
		IntroReply: func(platform, business, title, receivedAt string) string {
			return "On " + receivedAt + ", you replied through " + platform + " to the message of " + business + " about your review" + titleEn(title) + ". This is what you sent:"
		},
		IntroProof: func(business, title, receivedAt string) string {
			return "On " + receivedAt + ", you sent us proof of your experience with " + business + " for your review" + titleEn(title) + ". This is what you sent:"
		},
		IntroEvidence: func(platform, business, title, receivedAt string) string {
			return "On " + receivedAt + ", you sent the " + platform + " compliance team the information it asked for about your review" + titleEn(title) + " of " + business + ". This is what you sent:"
		},
		IntroEdit: func(business, title, receivedAt string) string {
			return "On " + receivedAt + ", you edited your review of " + business + " as our compliance team asked. Your review" + titleEn(title) + " now reads:"
		},
		IntroAppeal: func(business, title, receivedAt string) string {
			return "On " + receivedAt + ", you appealed against the removal of your review" + titleEn(title) + " of " + business + ". This is what you sent:"
		},
		NextReply: func(business string) string {
			return business + " has been told that you replied and can now read your reply. You do not need to do anything more."
		},
		NextReport: "Our compliance team takes what you sent into account when it decides on the report, and we will email you the decision. You do not need to do anything more.",
		NextAppeal: func(platform string) string {
			return "A person at " + platform + " who was not involved in the decision to remove your review will decide on your appeal, and we will email you the outcome."
		},
		Copy: "We send you this copy so that you can keep it. You receive it even if you stopped other emails from us, as it confirms something you sent.",
	},
}

// dateEn writes "27 November 2026, 10:00 CET (09:00 UTC)": the reader's
// wall clock with the zone's abbreviation, then UTC, with its own date when
// that is another day ("1 January 2027, 00:30 CET (31 December, 23:30
// UTC)"); in UTC only "27 November 2026, 09:00 UTC".
func dateEn(local, utc time.Time) string {
	z := zonedAt(moderation.LocaleEN, local, utc)
	l, u := z.Local, z.UTC
	if z.IsUTC {
		return l.Day + " " + l.Month + " " + l.Year + ", " + l.Clock + " UTC"
	}
	at := u.Clock + " UTC"
	if !z.SameDay {
		at = u.Day + " " + u.Month + ", " + at
	}
	return l.Day + " " + l.Month + " " + l.Year + ", " + l.Clock + " " + z.Zone + " (" + at + ")"
}

func titleEn(title string) string { return quoted("“", title, "”") }
