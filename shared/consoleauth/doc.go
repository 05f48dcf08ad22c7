// Package consoleauth signs compliance agents in to the console: the OpenID
// Connect authorization-code flow with PKCE (S256) against any issuer, with
// state and nonce checked; a session kept in one cookie that is encrypted
// and signed (a JWE of go-jose: A256CBC-HS512, the cookie's name in its
// authenticated header), HttpOnly, Secure and SameSite=Lax, with
// an absolute lifetime and a sliding idle timeout measured on the wall
// clock; a CSRF token per session that every POST must carry; and the
// agent rule: only a user whose configured claim holds the configured value
// enters, everyone else gets a 403 saying why.
//
// It knows nothing of the console's pages: the console wraps its handlers in
// Auth.Require and reads the signed-in agent with FromContext. Discovery of
// the issuer happens on the first request that needs it, not at start, so
// a cold start does not wait for the identity provider.
package consoleauth
