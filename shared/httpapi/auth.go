package httpapi

import (
	"net/http"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/awslabs/aws-lambda-go-api-proxy/core"

	"github.com/candorhq/candor/shared/moderation"
)

// The roles of docs/product.md, as the "role" claim carries them.
const (
	RoleBusiness   = "business"
	RoleCompliance = "compliance"
	RolePlatform   = "platform"
)

// The JWT claims Candor reads.
const (
	ClaimSubject    = "sub"
	ClaimRole       = "role"
	ClaimBusinessID = "business_id"
)

// Principal is the authenticated caller: the JWT's subject, its role, and for
// a business the business it acts for.
type Principal struct {
	Subject, Role, BusinessID string
}

// MaxSubjectLen is the longest sub a token may carry: OpenID Connect's
// 255 ASCII characters, in bytes.
const MaxSubjectLen = 255

// PrincipalFrom returns the caller as API Gateway's HTTP API JWT authorizer
// passed it: the claims of requestContext.authorizer.jwt.claims, which
// httpadapter's ProxyWithContext stores in the request's context. Headers
// are never consulted, so a client cannot forge an identity by sending the
// adapter's context header.
//
// API Gateway hands every claim over as a string, whatever its JSON type,
// so PrincipalFrom trusts none that is missing or empty and none that is
// not a plain value: it returns false when the request carries no claims,
// when sub is missing, or when sub, role or business_id is present but
// empty, padded with spaces, holds a control character, or has the shape
// API Gateway gives a JSON list or object ("[a b]", "map[k:v]"); nor a sub
// longer than MaxSubjectLen, nor a business_id that is not a business id
// (moderation.ValidID: at most 64 bytes, no key separator). A missing
// role or business_id is left empty; the Router refuses it (403) where a
// route needs it.
func PrincipalFrom(r *http.Request) (Principal, bool) {
	rc, ok := core.GetAPIGatewayV2ContextFromContext(r.Context())
	if !ok || rc.Authorizer == nil || rc.Authorizer.JWT == nil {
		return Principal{}, false
	}
	claims := rc.Authorizer.JWT.Claims
	if _, ok := claims[ClaimSubject]; !ok {
		return Principal{}, false
	}
	for _, name := range []string{ClaimSubject, ClaimRole, ClaimBusinessID} {
		if v, ok := claims[name]; ok && !plainClaim(v) {
			return Principal{}, false
		}
	}
	if len(claims[ClaimSubject]) > MaxSubjectLen {
		return Principal{}, false
	}
	if b, ok := claims[ClaimBusinessID]; ok && !moderation.ValidID(b) {
		return Principal{}, false // no business has such an id, and it would go into table keys
	}
	return Principal{Subject: claims[ClaimSubject], Role: claims[ClaimRole], BusinessID: claims[ClaimBusinessID]}, true
}

// plainClaim reports whether v can be an identity: not empty, no leading or
// trailing space, no control character, and not API Gateway's rendering of
// a JSON list or object.
func plainClaim(v string) bool {
	if v == "" || strings.TrimSpace(v) != v {
		return false
	}
	if strings.HasPrefix(v, "[") && strings.HasSuffix(v, "]") || strings.HasPrefix(v, "map[") {
		return false
	}
	for _, c := range v {
		if unicode.IsControl(c) || c == utf8.RuneError {
			return false
		}
	}
	return true
}

// RequestID returns API Gateway's id of the request (requestContext.requestId),
// or "" outside API Gateway.
func RequestID(r *http.Request) string {
	rc, ok := core.GetAPIGatewayV2ContextFromContext(r.Context())
	if !ok {
		return ""
	}
	return rc.RequestID
}
