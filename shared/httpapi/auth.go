package httpapi

import (
	"net/http"

	"github.com/awslabs/aws-lambda-go-api-proxy/core"
)

// The roles of SPEC.md, as the "role" claim carries them.
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

// PrincipalFrom returns the caller as API Gateway's HTTP API JWT authorizer
// passed it: the claims of requestContext.authorizer.jwt.claims, which
// httpadapter's ProxyWithContext stores in the request's context. It returns
// false when the request carries no claims or no subject. Headers are never
// consulted, so a client cannot forge an identity by sending the adapter's
// context header.
func PrincipalFrom(r *http.Request) (Principal, bool) {
	rc, ok := core.GetAPIGatewayV2ContextFromContext(r.Context())
	if !ok || rc.Authorizer == nil || rc.Authorizer.JWT == nil {
		return Principal{}, false
	}
	claims := rc.Authorizer.JWT.Claims
	sub := claims[ClaimSubject]
	if sub == "" {
		return Principal{}, false
	}
	return Principal{Subject: sub, Role: claims[ClaimRole], BusinessID: claims[ClaimBusinessID]}, true
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
