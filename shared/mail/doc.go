// Package mail writes and sends Candor's emails (SPEC.md, "Emails"): one Go
// type per email, rendered in the recipient's locale (en, sv, de; anything
// else falls back to en) into a plain-text part and an HTML part, and sent
// through SES v1.
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
// ([Links]). A [Renderer] is built with the Links and refuses to render a
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
// facts, a review title) is shown as text, never as markup: the HTML part is
// written with [markup.Builder], where only the program's constants are
// markup and every value is escaped as html/template would (the tests
// compare both parts byte for byte with the templates they replaced, kept in
// testdata/), control and bidirectional-override characters are dropped,
// and web addresses in it that do not point under the base URL are defanged
// ("hxxps://example[.]com") so that no mail client turns them into links.
//
// # Wording
//
// The texts live in one catalogue per locale (catalog_en.go, catalog_sv.go,
// catalog_de.go), written as whole sentences with named placeholders (the
// small template syntax of phrase.go) so that each language can order its
// words as it needs. Dates are shown in UTC and
// say so ("27 November 2026, 09:00 UTC", "27 november 2026 kl. 09:00 UTC",
// "27. November 2026, 09:00 UTC"). Policy windows are deployment parameters,
// so the emails state deadlines as dates, never as a number of days.
package mail
