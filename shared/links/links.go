// Package links makes the tokens of reviewer links (docs/product.md, "Reviewer
// links"): 256 random bits, base64url-encoded into the URL, stored only as a
// SHA-256 hash. A token is bound by the store to one request, one purpose and
// one window, and is consumed by one submission.
package links

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
)

// TokenBytes is the entropy of a token: 256 bits, twice the 128 bits the product asks for.
const TokenBytes = 32

// tokenLen is the length of an encoded token.
var tokenLen = base64.RawURLEncoding.EncodedLen(TokenBytes)

// Purpose says what a link lets a reviewer do.
type Purpose string

// The purposes of reviewer links.
const (
	PurposeFindReviewerReply Purpose = "find_reviewer_reply" // answer a business's Find Reviewer request
	PurposeProof             Purpose = "proof"               // send proof of experience (no_genuine_experience)
	PurposeEvidence          Purpose = "evidence"            // answer compliance's evidence request
	PurposeEdit              Purpose = "edit"                // edit the review at compliance's request
	PurposeAppeal            Purpose = "appeal"              // appeal a removal (the statement of reasons links here)
	PurposeStopReplyEmails   Purpose = "stop_reply_emails"   // stop the reply emails with one click (List-Unsubscribe)
	PurposeReportReply       Purpose = "report_reply"        // report the business's reply (the reply email links here)
)

// New returns a fresh token for a URL and the hash to store in its place.
func New() (token, hash string, err error) {
	b := make([]byte, TokenBytes)
	if _, err := rand.Read(b); err != nil {
		return "", "", fmt.Errorf("new link token: %w", err)
	}
	token = base64.RawURLEncoding.EncodeToString(b)
	return token, hashOf(token), nil
}

// Hash returns the stored hash of a token taken from a URL, or false when the
// string cannot be a token (wrong length or alphabet): such links are
// answered "not found" without a lookup.
func Hash(token string) (string, bool) {
	if len(token) != tokenLen {
		return "", false
	}
	if _, err := base64.RawURLEncoding.Strict().DecodeString(token); err != nil {
		return "", false
	}
	return hashOf(token), true
}

func hashOf(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}
