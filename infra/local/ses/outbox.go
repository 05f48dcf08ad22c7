// Package ses is the local stack's stand-in for Amazon SES (v1): an HTTP
// handler that speaks SES's Query protocol well enough for the real
// aws-sdk-go-v2 client and the AWS CLI (SendEmail, SendRawEmail and a few
// account one-liners), and an outbox that keeps every accepted message in
// memory instead of delivering it, with a mailbox page and a JSON view so
// that a person or a test can read the mail and follow its links.
//
// The stand-in never delivers mail and checks no signatures. An outbox made
// to RequireVerified sends only from verified identities, as SES does; the
// local stack's is, with its sender verified at start. It is stricter than SES in one respect: it refuses a message
// with an empty subject or with neither a text nor an HTML part, because for
// Candor that is always a bug.
package ses

import (
	"encoding/json"
	"fmt"
	"html"
	"net/mail"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/candorhq/candor/shared/clock"
)

// Message is one message the stand-in accepted. Its JSON form is the one
// docs/local-stack.md promises for GET /_local/mail.json.
type Message struct {
	ID      string   `json:"id"`
	From    string   `json:"from"`
	To      []string `json:"to"`
	Cc      []string `json:"cc,omitempty"`
	Bcc     []string `json:"bcc,omitempty"`
	Subject string   `json:"subject"`
	Text    string   `json:"text"`
	HTML    string   `json:"html"`
	// Links are every http(s) URL in the text and HTML parts (text part
	// first), deduplicated, in the order they first appear.
	Links []string `json:"links"`
	// SentAt is when the stand-in accepted the message, by the outbox's
	// clock; its JSON form is RFC 3339 in UTC.
	SentAt time.Time `json:"sentAt"`
}

// MarshalJSON writes sentAt as RFC 3339 in UTC, to the second, like every
// other time Candor puts on the wire, and empty lists as [] rather than null.
func (m Message) MarshalJSON() ([]byte, error) {
	type plain Message // no methods: no recursion
	return json.Marshal(struct {
		plain
		To     []string `json:"to"`
		Links  []string `json:"links"`
		SentAt string   `json:"sentAt"`
	}{plain: plain(m), To: nonNil(m.To), Links: nonNil(m.Links), SentAt: m.SentAt.UTC().Format(time.RFC3339)})
}

// recipients are all of the message's recipients: To, Cc and Bcc.
func (m *Message) recipients() []string {
	return slices.Concat(m.To, m.Cc, m.Bcc)
}

func (m Message) clone() Message {
	m.To = slices.Clone(m.To)
	m.Cc = slices.Clone(m.Cc)
	m.Bcc = slices.Clone(m.Bcc)
	m.Links = slices.Clone(m.Links)
	return m
}

// Outbox is the stand-in's memory of sent mail, and the switch that makes
// sends fail on purpose. It is safe for concurrent use.
type Outbox struct {
	clock clock.Clock

	mu         sync.Mutex
	messages   []Message // oldest first
	failLeft   int
	failCode   string
	identities []string // verified with VerifyEmailIdentity, in order
	// preset are the identities RequireVerified verified, which Reset
	// keeps; requireVerified makes sends from any other fail.
	preset          []string
	requireVerified bool
}

// RequireVerified makes the outbox refuse, as SES does, a message whose
// sender (Source, or the raw message's From) is neither a verified address
// nor at a verified domain: MessageRejected "Email address is not
// verified". identities (addresses, or "Name <address>") are verified now
// and stay verified through Reset. Without it the outbox sends from anyone.
func (o *Outbox) RequireVerified(identities ...string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.requireVerified = true
	for _, id := range identities {
		a := bareAddress(id)
		o.preset = append(o.preset, a)
		if !slices.Contains(o.identities, a) {
			o.identities = append(o.identities, a)
		}
	}
}

// checkSender refuses a sender that is not verified, when verification is
// required. The message names the sender identity, as SES's does: it is the
// platform's own address, not a person's.
func (o *Outbox) checkSender(from string) *apiError {
	o.mu.Lock()
	defer o.mu.Unlock()
	if !o.requireVerified {
		return nil
	}
	addr := bareAddress(from)
	_, domain, _ := strings.Cut(addr, "@")
	for _, id := range o.identities {
		if strings.EqualFold(id, addr) || strings.EqualFold(id, domain) {
			return nil
		}
	}
	return messageRejected("Email address is not verified. The following identities failed the check in region US-EAST-1: " + addr)
}

// NewOutbox returns an empty outbox whose messages are stamped by c.
func NewOutbox(c clock.Clock) *Outbox {
	return &Outbox{clock: c}
}

// Messages returns copies of every message in the outbox, oldest first.
func (o *Outbox) Messages() []Message {
	o.mu.Lock()
	defer o.mu.Unlock()
	out := make([]Message, len(o.messages))
	for i, m := range o.messages {
		out[i] = m.clone()
	}
	return out
}

// Reset empties the outbox and forgets pending injected failures and
// verified identities: the stand-in is as new.
func (o *Outbox) Reset() {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.messages = nil
	o.failLeft, o.failCode = 0, ""
	o.identities = slices.Clone(o.preset)
}

// Fail makes the next n send calls (SendEmail or SendRawEmail) fail with the
// SES error code code, before the request is even validated, as a throttled
// or unavailable SES would. "Throttling" answers 400 (the SDK retries it),
// "ServiceUnavailable" 503 and "InternalFailure" 500 (retried too); any
// other code, e.g. "MessageRejected", answers 400 and is not retried. An
// empty code means "ServiceUnavailable". n <= 0 cancels pending failures.
// Tests use it to prove that retries happen and send exactly one message.
// In a whole local stack the edge's fault rules (stack.Stack.Faults, POST
// /_local/faults) do the same for any SES call, and more.
func (o *Outbox) Fail(n int, code string) {
	if code == "" {
		code = "ServiceUnavailable"
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	o.failLeft, o.failCode = max(n, 0), code
}

// takeFailure consumes one pending injected failure, if any.
func (o *Outbox) takeFailure() (code string, ok bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.failLeft == 0 {
		return "", false
	}
	o.failLeft--
	return o.failCode, true
}

// add stamps m with a fresh id and the clock's time, extracts its links,
// stores it and returns its id.
func (o *Outbox) add(m Message) string {
	now := o.clock.Now().UTC()
	m.ID = newMessageID(now)
	m.SentAt = now
	m.To = nonNil(m.To)
	m.Links = extractLinks(m.Text, m.HTML)
	o.mu.Lock()
	defer o.mu.Unlock()
	o.messages = append(o.messages, m)
	return m.ID
}

// verify records a verified email identity (idempotent).
func (o *Outbox) verify(identity string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if identity = bareAddress(identity); !slices.Contains(o.identities, identity) {
		o.identities = append(o.identities, identity)
	}
}

func (o *Outbox) listIdentities() []string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return slices.Clone(o.identities)
}

// sentSince counts the messages accepted after t.
func (o *Outbox) sentSince(t time.Time) int {
	o.mu.Lock()
	defer o.mu.Unlock()
	n := 0
	for _, m := range o.messages {
		if m.SentAt.After(t) {
			n++
		}
	}
	return n
}

// newMessageID makes an id in SES's shape, e.g.
// "0100018c2f3e4a5b-6f1c0a6e-2b1d-4e8f-9a7b-3c2d1e0f9a8b-000000": the
// millisecond time in hex, a random UUID, and SES's fixed suffix.
func newMessageID(now time.Time) string {
	return fmt.Sprintf("0100%012x-%s-000000", now.UnixMilli(), uuid.NewString())
}

// matchesRecipient reports whether addr is one of m's recipients, comparing
// the bare addresses case-insensitively ("Åsa <a@x.example>" matches "A@x.example").
func (m *Message) matchesRecipient(addr string) bool {
	want := bareAddress(addr)
	for _, r := range m.recipients() {
		if bareAddress(r) == want {
			return true
		}
	}
	return false
}

// bareAddress is the lower-cased address part of s, or s itself (trimmed,
// lower-cased) when it does not parse.
func bareAddress(s string) string {
	if a, err := mail.ParseAddress(s); err == nil {
		return strings.ToLower(a.Address)
	}
	return strings.ToLower(strings.TrimSpace(s))
}

var urlPattern = regexp.MustCompile("(?i)https?://[^\\s<>\"'`]+")

// extractLinks returns every http(s) URL in the text part and then in the
// HTML part, deduplicated, in order of first appearance. HTML entities are
// decoded first, so href="https://x/?a=1&amp;b=2" yields "https://x/?a=1&b=2".
// Trailing sentence punctuation and unbalanced closing brackets are not part
// of a link.
func extractLinks(text, htmlPart string) []string {
	links := []string{}
	seen := map[string]bool{}
	for _, src := range []string{text, html.UnescapeString(htmlPart)} {
		for _, raw := range urlPattern.FindAllString(src, -1) {
			link := trimLink(raw)
			u, err := url.Parse(link)
			if err != nil || u.Host == "" || seen[link] {
				continue
			}
			seen[link] = true
			links = append(links, link)
		}
	}
	return links
}

// trimLink drops what ends a sentence rather than a URL: "https://x/a." or
// "(see https://x/a)".
func trimLink(s string) string {
	for s != "" {
		last := s[len(s)-1]
		switch {
		case strings.IndexByte(".,;:!?", last) >= 0:
			s = s[:len(s)-1]
		case last == ')' && strings.Count(s, "(") < strings.Count(s, ")"),
			last == ']' && strings.Count(s, "[") < strings.Count(s, "]"):
			s = s[:len(s)-1]
		default:
			return s
		}
	}
	return s
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
