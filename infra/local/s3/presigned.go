package s3

import (
	"context"
	"crypto/hmac"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// maxPresignExpiry is SigV4's bound on a presigned URL's X-Amz-Expires.
const maxPresignExpiry = 7 * 24 * time.Hour

// presigned reports whether r is authenticated by a presigned URL (SigV4
// in the query string) rather than an Authorization header.
func presigned(r *http.Request) bool {
	return r.URL.Query().Has("X-Amz-Signature")
}

// verifyPresigned checks a presigned URL as S3 does: a known key id, a
// credential scope of this region and s3, an X-Amz-Expires of at most a
// week that has not run out on the wall clock, and the signature, which it
// computes again with the SDK's own SigV4 signer over the same method,
// path, query and signed headers.
func (s *Service) verifyPresigned(r *http.Request) *s3Error {
	q := r.URL.Query()
	if alg := q.Get("X-Amz-Algorithm"); alg != "AWS4-HMAC-SHA256" {
		return &s3Error{Status: http.StatusBadRequest, Code: "AuthorizationQueryParametersError",
			Message: "X-Amz-Algorithm only supports \"AWS4-HMAC-SHA256\""}
	}
	keyID, scope, serr := s.parseCredential(q.Get("X-Amz-Credential"))
	if serr != nil {
		serr.Code, serr.ArgumentName, serr.ArgumentValue = "AuthorizationQueryParametersError", "", ""
		return serr
	}
	signedAt, err := time.Parse("20060102T150405Z", q.Get("X-Amz-Date"))
	if err != nil || signedAt.Format("20060102") != scope.date {
		return &s3Error{Status: http.StatusBadRequest, Code: "AuthorizationQueryParametersError",
			Message: "X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\" and on the credential's date"}
	}
	secs, err := strconv.Atoi(q.Get("X-Amz-Expires"))
	if err != nil || secs < 0 {
		return &s3Error{Status: http.StatusBadRequest, Code: "AuthorizationQueryParametersError",
			Message: "X-Amz-Expires should be a number"}
	}
	expires := time.Duration(secs) * time.Second
	if expires > maxPresignExpiry {
		return &s3Error{Status: http.StatusBadRequest, Code: "AuthorizationQueryParametersError",
			Message: "X-Amz-Expires must be less than a week (in seconds) that is 604800"}
	}
	secret, ok := s.cfg.Secrets[keyID]
	if !ok {
		return &s3Error{Status: http.StatusForbidden, Code: "InvalidAccessKeyId", Message: "The AWS Access Key Id you provided does not exist in our records.", AWSAccessKeyID: keyID}
	}
	if now := s.cfg.WallClock.Now(); now.After(signedAt.Add(expires)) {
		return &s3Error{Status: http.StatusForbidden, Code: "AccessDenied", Message: "Request has expired",
			XAmzExpires: strconv.Itoa(secs), Expires: signedAt.Add(expires).UTC().Format(time.RFC3339), ServerTime: now.UTC().Format(time.RFC3339)}
	}
	if want, ok := s.presignSignature(r, keyID, secret, scope.region, signedAt); !ok || !hmac.Equal([]byte(strings.ToLower(q.Get("X-Amz-Signature"))), []byte(want)) {
		return &s3Error{Status: http.StatusForbidden, Code: "SignatureDoesNotMatch",
			Message: "The request signature we calculated does not match the signature you provided. Check your key and signing method.", AWSAccessKeyID: keyID}
	}
	return nil
}

// presignSignature signs r again as a presigned URL would have been: the
// same method, path (not escaped twice, as S3 signs it), query without the
// signature, and the headers X-Amz-SignedHeaders names.
func (s *Service) presignSignature(r *http.Request, keyID, secret, region string, signedAt time.Time) (string, bool) {
	u := *r.URL
	q := u.Query()
	q.Del("X-Amz-Signature")
	u.RawQuery = q.Encode()
	u.Scheme, u.Host = "http", r.Host
	req, err := http.NewRequest(r.Method, u.String(), nil)
	if err != nil {
		return "", false
	}
	req.Host = r.Host
	for _, h := range strings.Split(q.Get("X-Amz-SignedHeaders"), ";") {
		if h != "" && h != "host" {
			req.Header[http.CanonicalHeaderKey(h)] = r.Header.Values(h)
		}
	}
	signer := v4.NewSigner(func(o *v4.SignerOptions) { o.DisableURIPathEscaping = true })
	signed, _, err := signer.PresignHTTP(context.Background(), aws.Credentials{AccessKeyID: keyID, SecretAccessKey: secret, SessionToken: q.Get("X-Amz-Security-Token")},
		req, "UNSIGNED-PAYLOAD", "s3", region, signedAt)
	if err != nil {
		return "", false
	}
	su, err := url.Parse(signed)
	if err != nil {
		return "", false
	}
	return su.Query().Get("X-Amz-Signature"), true
}
