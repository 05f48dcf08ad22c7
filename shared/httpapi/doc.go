// Package httpapi is the HTTP plumbing every JSON endpoint of Candor shares
// (docs/api.md): strict request decoding, the error envelope and
// its status mapping, the caller's identity as API Gateway's JWT authorizer
// hands it over, a router with role checks, and the pagination and
// idempotency parameters.
//
// Handlers run behind API Gateway HTTP API (payload format 2.0) through
// github.com/awslabs/aws-lambda-go-api-proxy/httpadapter, so the package reads
// the authorizer's claims and the request id from the API Gateway request
// context that the adapter stores in the request's context. It never trusts a
// header for identity. In Lambda, Lambda hands the adapter the event and
// writes its response with a codec of its own (DecodeV2Request,
// AppendV2Response), which answers as encoding/json would without its
// reflection's cost at a cold start.
//
// Nothing here logs a request or response body: bodies may hold a reviewer's
// personal data.
package httpapi
