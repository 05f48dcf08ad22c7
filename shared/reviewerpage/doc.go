// Package reviewerpage serves the pages a reviewer reaches from the links in
// Candor's emails (docs/product.md, "Reviewer links"): GET /r/{token} shows the page
// of the link, POST /r/{token} submits its form. Reviewers have no account;
// the token in the URL is their only credential.
//
// The package renders and validates; a Backend (the store and Step Functions
// side) finds links by the hash of their token and records submissions.
//
// A link's purpose decides its page: answer a business's Find Reviewer
// request, send proof of experience, answer the compliance team's request
// for evidence, edit the review, or appeal the review's removal (the link of
// the statement of reasons, docs/product.md P8). The appeal page says that the review
// was removed after the business's report, that the appeal is considered by
// a person of the compliance team who was not involved in the decision, and
// that the result comes by email; its "already received" and "expired" pages
// speak of the appeal and its period rather than of an answer. Every purpose
// but edit has one text field, reply, shown beside the review as context.
// The link of the reply email (report_reply) reports the business's reply:
// the page shows the reply as the message, asks for a reason (three radio
// buttons, required) and takes optional details in reply (up to 1000
// characters). Its token in the URL is the page's only credential, so it is
// also what a cross-site form cannot forge.
//
// With Options.Documents, the proof, evidence and appeal pages take up
// to five documents with the answer, uploaded from the browser straight to
// the bucket without script (documents.go says how, and how the text typed
// is never lost).
//
// Promises:
//
//   - GET (and HEAD) never changes anything: mail scanners prefetch links.
//     The exceptions are the GETs of documents (documents.go), which no
//     email links to: the upload page signs an upload, and the bucket's
//     redirect with a key the link signed records that upload once.
//   - A token that cannot be a token is answered 404 without a lookup; an
//     unknown link is 404; a used link or a closed window is 410 with a page
//     that says so, never an error. A link whose deadline has passed by the
//     injected clock counts as closed even if the backend still calls it open,
//     and its form is not submitted.
//   - A successful POST renders the thank-you page with status 200 (no
//     redirect: a reload posts again and gets "already received", which
//     changes nothing); it repeats what was sent, as text.
//   - Input is validated here with the domain's limits (reply 1–2000
//     characters; edit: title ≤200, text 1–10000, stars 1–5) after line breaks
//     are normalised to "\n" (browsers count a line break as one character for
//     maxlength but send CRLF) and surrounding white space is trimmed, so the
//     backend gets clean input. No field has a maxlength: nothing pasted is
//     cut, too much is refused with the field's message. Invalid input
//     re-renders the form with 422, localised messages, and what the
//     reviewer typed, under an error summary above the heading that links
//     each problem to its field and takes the focus (autofocus, no script
//     needed), and a <title> that starts with the language's error prefix; so does a backend
//     failure on submit, with 500 and "please try again", so nothing typed
//     is lost. Backend messages are English and never shown: a field the
//     backend refuses gets the page's own diagnosis in the reviewer's
//     language.
//   - Every response, errors included, is an HTML page that works without
//     JavaScript; a form page has one script, the character counter, which
//     only shows how many characters are left. Every response carries a
//     Content-Security-Policy whose style and script nonce is fresh per
//     response (img-src only the platform logo's origin), plus nosniff, no-referrer (the token is in the URL),
//     no-store, DENY framing and a Permissions-Policy that turns features off.
//     The form has no action attribute, so it posts to the page's own URL and
//     the token appears nowhere in the page.
//   - Nothing a business, a reviewer or a catalogue wrote can become markup.
//     Pages are written by templ (page.templ, generated into page_templ.go
//     by `make generate`), which escapes every value for where it stands:
//     element text, <title> and <textarea> content, double-quoted attribute
//     values. templ generates Go code and needs no reflection when it runs,
//     so it does not keep every AWS SDK method in the function's binary as
//     html/template did (golang/go#72895; docs/ops.md, "Size and
//     start-up"). The tests hold the old html/template page as a reference
//     and check, for every kind of page and for hostile text, that the bytes
//     written are the ones html/template would write ("+" aside, which
//     html/template writes as &#43;).
//   - Whatever is stored renders: the view's texts are shown as package
//     i18n's Display makes them — exactly as moderation.CleanText makes
//     them when they follow the text rule, without what the rule refuses
//     when they were stored before it — names and titles on one line. What
//     the reviewer typed is shown again as typed, NUL and invalid UTF-8 as
//     U+FFFD.
//   - Pages are written in the reviewer's locale (en, sv, de; others en);
//     pages for a link that was not found use the browser's Accept-Language.
//     Every page names the platform (Options.Brand) in its header and
//     title. Deadlines are shown in the reviewer's time zone (View.TimeZone,
//     else the locale's usual one) with its abbreviation, and in UTC on the
//     next line. The appeal page repeats the removal's reasons and facts.
//   - One log line per request carries the outcome, status, method, the
//     first 8 characters of the link's hash, the purpose and API Gateway's
//     request id; never the token, never what the reviewer wrote (for
//     invalid input only the names of the fields).
package reviewerpage
