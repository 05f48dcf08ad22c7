package moderation

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/candorhq/candor/shared/links"
)

// The reply rules (docs/product.md, "Replies"): one public reply per review
// from the business the review is about, within the reply guidelines.

// MaxReplyLength is the most visible characters a reply may have.
const MaxReplyLength = 2000

// ReplyEmailInterval is the least time between two emails telling the
// reviewer of a reply: the first publication is told at once, an edit only
// when the last email is at least this old.
const ReplyEmailInterval = 24 * time.Hour

// ReplyStatus is where a review's reply stands.
type ReplyStatus string

// The reply statuses. A review that never had a reply has ReplyNone.
const (
	ReplyNone      ReplyStatus = ""
	ReplyPublished ReplyStatus = "published"
	ReplyDeleted   ReplyStatus = "deleted" // the business deleted it
	ReplyRemoved   ReplyStatus = "removed" // compliance removed it on a report
)

// Reply is a business's public reply to a review, kept on the review.
type Reply struct {
	Status ReplyStatus
	Text   string // the published text ("" once deleted or removed)
	// Revision counts the reply's changes (its ETag); 0 before the first.
	Revision  int
	CreatedAt time.Time // when the current reply was first published
	UpdatedAt time.Time // its last change
	// EmailedAt is when the reviewer was last told of a reply (zero: never).
	EmailedAt time.Time
	// EmailedRevision is the revision the last email told of.
	EmailedRevision int
	// Removals counts the replies compliance removed on this review.
	Removals int
	// TicketID is the open compliance ticket on the reply's reports ("" when none).
	TicketID string
}

// Exists reports whether the review has a published reply.
func (r Reply) Exists() bool { return r.Status == ReplyPublished }

// ETag is the reply's entity tag: its revision, quoted.
func (r Reply) ETag() string { return `"r` + strconv.Itoa(r.Revision) + `"` }

// ReplyVersion is one published text of a reply, kept for compliance.
type ReplyVersion struct {
	Revision int
	Text     string
	At       time.Time
	By       string // the actor that wrote it
}

// CanReply reports whether the business may publish or change its reply to
// rev now: any review that is not removed. A reply to a review under
// investigation is kept and shown when the review is published again.
func CanReply(rev Review) bool { return rev.Visibility != Removed }

// ReplyShown reports whether the public sees rev's reply: only while there
// is one and the review itself is public.
func ReplyShown(rev Review) bool { return rev.Reply.Exists() && rev.Visibility == Published }

// ReplyEmailDue reports whether a change of the reply at now tells the
// reviewer: when the reviewer has not stopped these emails, and was never
// told of a reply or was last told at least ReplyEmailInterval before.
func ReplyEmailDue(r Reply, unsubscribed bool, now time.Time) bool {
	if unsubscribed || !r.Exists() {
		return false
	}
	return r.EmailedAt.IsZero() || now.Sub(r.EmailedAt) >= ReplyEmailInterval
}

// ReplyInput is a business's reply as it arrives, with what the rules need
// to know: the reviewer's name as the platform knows it, the business's
// locale (for the refusal) and its own domains (for links).
type ReplyInput struct {
	Text           string
	ReviewerName   string
	BusinessLocale string
	OwnDomains     []string
}

// CheckReply applies the text rule and the reply guidelines to in and
// returns the text to publish: cleaned, with every link to a host other
// than the business's own domains defanged. A refusal is KindInvalid on
// field "text": the text rule's problem, or a guideline refusal in the
// business's language whose code and message name the kind of data found
// (CodeReplyPersonalData) or the edit request (CodeReplyEditRequest).
func CheckReply(in ReplyInput) (string, error) {
	text := CleanText(in.Text)
	if msg := checkText(text, 1, MaxReplyLength); msg != "" {
		return "", InvalidField("text", msg)
	}
	if kind := FindPersonalData(text, in.ReviewerName); kind != PersonalNone {
		return "", &Error{Kind: KindInvalid, Code: CodeReplyPersonalData,
			Message: "the reply contains personal data: " + string(kind),
			Fields:  map[string]string{"text": ReplyRefusal(in.BusinessLocale, kind)}}
	}
	if p, ok := FindEditRequest(text); ok {
		return "", &Error{Kind: KindInvalid, Code: CodeReplyEditRequest,
			Message: "the reply asks for the review to be edited, deleted or updated (" + p.Locale + ")",
			Fields:  map[string]string{"text": ReplyRefusal(in.BusinessLocale, "edit_request")}}
	}
	return DefangForeignLinks(text, in.OwnDomains), nil
}

// DefangForeignLinks defangs every web address in text whose host is not
// one of own or under one of them ("shop.example" owns
// "www.shop.example"); links to the business's own domains stay as written.
func DefangForeignLinks(text string, own []string) string {
	return links.Defang(text, func(address string) bool { return OwnsHost(own, links.Host(address)) })
}

// OwnsHost reports whether host is one of the domains own or a subdomain of one.
func OwnsHost(own []string, host string) bool {
	host = strings.TrimSuffix(strings.ToLower(host), ".")
	if host == "" {
		return false
	}
	for _, d := range own {
		d = strings.TrimSuffix(strings.ToLower(d), ".")
		if d != "" && (host == d || strings.HasSuffix(host, "."+d)) {
			return true
		}
	}
	return false
}

// replyRefusals are the guideline refusals in each locale, by the kind of
// personal data found or "edit_request".
var replyRefusals = map[string]map[string]string{
	LocaleEN: {
		string(PersonalEmail):        "A reply must not contain personal data: remove the email address.",
		string(PersonalPhone):        "A reply must not contain personal data: remove the phone number.",
		string(PersonalPaymentCard):  "A reply must not contain personal data: remove the payment card number.",
		string(PersonalIBAN):         "A reply must not contain personal data: remove the bank account number (IBAN).",
		string(PersonalReviewerName): "A reply must not contain personal data: do not name the reviewer.",
		"edit_request":               "A reply must not ask for the review to be edited, deleted or updated.",
	},
	LocaleSV: {
		string(PersonalEmail):        "Ett svar får inte innehålla personuppgifter: ta bort e-postadressen.",
		string(PersonalPhone):        "Ett svar får inte innehålla personuppgifter: ta bort telefonnumret.",
		string(PersonalPaymentCard):  "Ett svar får inte innehålla personuppgifter: ta bort kortnumret.",
		string(PersonalIBAN):         "Ett svar får inte innehålla personuppgifter: ta bort kontonumret (IBAN).",
		string(PersonalReviewerName): "Ett svar får inte innehålla personuppgifter: nämn inte recensentens namn.",
		"edit_request":               "Ett svar får inte be om att omdömet ändras, tas bort eller uppdateras.",
	},
	LocaleDE: {
		string(PersonalEmail):        "Eine Antwort darf keine personenbezogenen Daten enthalten: Entfernen Sie die E-Mail-Adresse.",
		string(PersonalPhone):        "Eine Antwort darf keine personenbezogenen Daten enthalten: Entfernen Sie die Telefonnummer.",
		string(PersonalPaymentCard):  "Eine Antwort darf keine personenbezogenen Daten enthalten: Entfernen Sie die Kartennummer.",
		string(PersonalIBAN):         "Eine Antwort darf keine personenbezogenen Daten enthalten: Entfernen Sie die Kontonummer (IBAN).",
		string(PersonalReviewerName): "Eine Antwort darf keine personenbezogenen Daten enthalten: Nennen Sie nicht den Namen der bewertenden Person.",
		"edit_request":               "Eine Antwort darf nicht darum bitten, die Bewertung zu ändern, zu löschen oder zu aktualisieren.",
	},
}

// ReplyRefusal is the refusal of a reply for kind (a PersonalData kind or
// "edit_request") in locale, falling back to English.
func ReplyRefusal[K ~string](locale string, kind K) string {
	msgs := replyRefusals[NormalizeLocale(locale)]
	if m, ok := msgs[string(kind)]; ok {
		return m
	}
	if m, ok := replyRefusals[LocaleEN][string(kind)]; ok {
		return m
	}
	panic(fmt.Sprintf("moderation: no reply refusal for %q", string(kind)))
}

// CheckReplyPrecondition checks a caller's If-Match against the reply as
// stored: "" asks nothing; "*" needs a published reply; an entity tag must
// be the reply's current one (weak tags compare as strong ones, since a
// reply has one representation). A mismatch is KindPrecondition.
func CheckReplyPrecondition(cur Reply, ifMatch string) error {
	ifMatch = strings.TrimSpace(ifMatch)
	if ifMatch == "" {
		return nil
	}
	fail := &Error{Kind: KindPrecondition, Code: CodePreconditionFailed,
		Message: "the reply changed since you read it; read it again (its ETag) and send your change with that ETag"}
	if ifMatch == "*" {
		if cur.Exists() {
			return nil
		}
		return fail
	}
	for _, tag := range strings.Split(ifMatch, ",") {
		tag = strings.TrimPrefix(strings.TrimSpace(tag), "W/")
		if cur.Exists() && tag == cur.ETag() {
			return nil
		}
	}
	return fail
}

// PublishReply is the consequence of publishing text as the reply to a
// review whose reply is cur: a new revision, published, created now unless
// a reply was already published (then only updated).
func PublishReply(cur Reply, text string, now time.Time) Reply {
	next := cur
	next.Status, next.Text, next.Revision, next.UpdatedAt = ReplyPublished, text, cur.Revision+1, now
	if !cur.Exists() {
		next.CreatedAt = now
	}
	return next
}

// WithdrawReply is the consequence of taking the published reply cur down:
// by its business (ReplyDeleted) or by compliance on a report
// (ReplyRemoved, which counts in Removals). The text is no longer kept on
// the review; its versions keep it.
func WithdrawReply(cur Reply, status ReplyStatus, now time.Time) Reply {
	next := cur
	next.Status, next.Text, next.Revision, next.UpdatedAt = status, "", cur.Revision+1, now
	if status == ReplyRemoved {
		next.Removals++
	}
	return next
}
