// Package mail writes and sends Candor's emails (docs/product.md, "Emails"): one Go
// type per email, rendered in the recipient's locale (en, sv, de; anything
// else falls back to en) into a plain-text part and an HTML part, and sent
// through SES v1.
//
// # Emails
//
// To the reviewer: [FindReviewerRequest] and [FindReviewerReminder] (Find
// Reviewer, P9–P11), [ReviewReported], [ProofRequest], [ComplianceRequest],
// [ReviewRemoved] (the statement of reasons, DSA Art. 17, also of a removal
// decided on appeal), [ReviewReinstatedForReviewer] (the review is public
// again, after the investigation or the reviewer's appeal), [AnswerReceived]
// (a copy of what the reviewer sent through a link: a reply, proof,
// evidence, an edit or an appeal; transactional, so it goes whatever their
// choice about the reply emails).
//
// To the business: [ReviewerReplied], [RequestExpired], [ReviewReinstated]
// (also after the reviewer's appeal). It gets no email on a removal (P8).
//
// To both: [AppealDecided], the outcome of an appeal: to the appellant with
// the facts, the finality within Candor and the out-of-court redress (DSA
// Art. 21), and to the reviewer when the business's appeal left their review
// online.
//
// # Shape
//
// A message type carries only what its email shows: names, titles, the
// texts a business or an agent wrote, deadlines and links. It never carries
// ids, task tokens or state-machine data, and the reviewer's address and name
// travel only in the [Recipient] given to [Sender.Send], which puts them in
// the SES destination and nowhere else.
//
// # Links
//
// Every link in an email points under the deployment's public base URL
// ([Links]), but for the European Commission's list of certified
// out-of-court dispute settlement bodies ([OutOfCourtBodiesURL]). A [Renderer] is built with the Links and refuses to render a
// message whose URL fields lie elsewhere ([ErrLinkOutsideBase]). The pages
// are:
//
//	<base>/r/<token>                    a reviewer's page (reply, proof, evidence, edit, appeal)
//	<base>/v1/reviewer-requests/<id>    a Find Reviewer request, read by the business
//	<base>/v1/reports/<id>              a report, read by the business
//
// The business links are the API resources a business's account reads
// (the only pages Candor serves to businesses); a platform with a dashboard
// can put it in front of the same paths.
//
// Free text (a business's message, a public statement, an agent's message or
// facts, a review title) is shown as text, never as markup. Every text is
// shown as package i18n's Display makes it — exactly as moderation.CleanText
// makes it when it follows the domain's text rule, with the refused
// characters dropped when it was stored before the rule — so that nothing
// the API accepted can keep an email from rendering; names and titles are
// shown on one line, and web addresses that do not point under the base URL
// are defanged ("hxxps://example[.]com") so that no mail client turns them
// into links. The HTML part is written by templ (layout.templ, generated
// into layout_templ.go by `make generate`), which escapes every value for
// where it stands; the plain-text part is not HTML and is written by plain
// Go. The tests compare both parts with the text/template and html/template
// layouts they replaced (kept in testdata/), byte for byte but for the two
// characters templ escapes otherwise (see layout_test.go).
//
// # Failures
//
// Render fails only on a mistake of its caller: a link, a date or a required
// text not filled in, a code (kind, ground, reason, appellant, outcome) that
// is not one, or fields that contradict each other (an appeal link on a
// decision on appeal, an appeal_decided combination that is not sent).
// Every such error is under [ErrRender], which a task classifies as
// permanent.
//
// # Wording
//
// The texts live in one catalogue per locale (catalog_en.go, catalog_sv.go,
// catalog_de.go) in package i18n's format: a Go value whose fields are
// strings or funcs of typed arguments, whole sentences so that each language
// can order its words as it needs, checked by the compiler. Texts that speak
// of the platform take its name (the [Renderer]'s brand, [Renderer.WithBrand]).
// Dates are shown in the reader's zone (a message's TimeZone, else the
// language's usual zone, i18n.Zone) with UTC beside them ("27 November 2026,
// 10:00 CET (09:00 UTC)", "27 november 2026 kl. 10:00 CET (09:00 UTC)", "27.
// November 2026, 10:00 CET (09:00 UTC)"). Policy windows are deployment
// parameters, so the emails state deadlines as dates, never as a number of
// days.
//
// # Layout
//
// The HTML part declares both colour schemes and recolours itself for dark
// mode from one <style> block; every text has a WCAG contrast of at least
// 4.5:1 in both, buttons are 48px tall, and the link repeated under a button
// says what it opens, never the raw URL (phone_test.go checks all of it).
// An email that names the out-of-court dispute settlement links to the
// European Commission's list of certified bodies, [OutOfCourtBodiesURL].
package mail
