package webhook

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"strings"
	"syscall"
)

// The categories of a failed attempt, as the delivery log shows them. A
// business reads what kind of thing went wrong, never the network stack's
// own text (which names addresses and ports of Candor's side and of
// whatever a name resolved to).
const (
	FailTimeout           = "timeout"            // no complete answer within DeliveryTimeout
	FailConnectionRefused = "connection_refused" // nothing listens at the address
	FailConnectionReset   = "connection_reset"   // the receiver closed the connection before answering
	FailDNS               = "dns"                // the host name did not resolve
	FailTLS               = "tls"                // the TLS handshake failed (certificate, protocol)
	FailBlockedAddress    = "blocked_address"    // the name resolved to an address that is not allowed
	FailHTTPStatus        = "http_status"        // an answer other than 2xx (statusCode says which)
	FailInvalidURL        = "invalid_url"        // the URL could not be requested
	FailWebhookDeleted    = "webhook_deleted"    // the webhook was deleted before the attempt
	FailConnection        = "connection_error"   // any other failure to connect or to read the answer
)

// FailureCategories are every category an attempt's Error may hold.
var FailureCategories = []string{FailTimeout, FailConnectionRefused, FailConnectionReset, FailDNS, FailTLS,
	FailBlockedAddress, FailHTTPStatus, FailInvalidURL, FailWebhookDeleted, FailConnection}

// FailureOf says which category a failed HTTP call falls in. It reads
// only the kind of err, never its text.
func FailureOf(err error) string {
	var (
		dnsErr  *net.DNSError
		netErr  net.Error
		recErr  tls.RecordHeaderError
		alert   tls.AlertError
		verify  *tls.CertificateVerificationError
		unknown x509.UnknownAuthorityError
		host    x509.HostnameError
		invalid x509.CertificateInvalidError
	)
	switch {
	case errors.Is(err, ErrBlockedAddress):
		return FailBlockedAddress
	case errors.As(err, &dnsErr):
		return FailDNS
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &netErr) && netErr.Timeout():
		return FailTimeout
	case errors.Is(err, syscall.ECONNREFUSED):
		return FailConnectionRefused
	case errors.Is(err, syscall.ECONNRESET), errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, syscall.EPIPE):
		return FailConnectionReset
	case errors.As(err, &recErr), errors.As(err, &alert), errors.As(err, &verify), errors.As(err, &unknown),
		errors.As(err, &host), errors.As(err, &invalid):
		return FailTLS
	}
	return FailConnection
}

// Category is what the delivery log shows of a recorded attempt's error:
// the category itself, or — for an attempt recorded before categories
// were kept, as free text — the category that text stood for, so that no
// network error text recorded then reaches a business either.
func Category(recorded string) string {
	switch {
	case recorded == "":
		return ""
	case strings.HasPrefix(recorded, "answered "):
		return FailHTTPStatus
	case recorded == "the webhook was deleted":
		return FailWebhookDeleted
	case recorded == "invalid endpoint URL":
		return FailInvalidURL
	}
	for _, c := range FailureCategories {
		if recorded == c {
			return c
		}
	}
	return FailConnection
}
