package webhook

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"syscall"
	"time"
)

// Targets is the policy for endpoint URLs and the connections to them.
// The zero Targets is the deployed policy: https only, and only to public
// addresses. Local (the local stack) also allows http and loopback
// addresses, for a receiver on the same laptop.
type Targets struct {
	Local bool
}

// MaxURLLength bounds an endpoint URL.
const MaxURLLength = 2048

// Check checks an endpoint URL at registration: absolute https (http only
// for a loopback host when Local), a host, no user information or fragment,
// and — unless Local — no host that is an IP address outside the public
// internet or a name that is obviously internal ("localhost", "*.internal",
// "*.local"). A name's addresses are checked again at every connection
// (Client), where DNS rebinding cannot slip past.
func (t Targets) Check(raw string) error {
	if len(raw) > MaxURLLength {
		return fmt.Errorf("must be at most %d characters", MaxURLLength)
	}
	u, err := url.Parse(raw)
	if err != nil || u.Opaque != "" || u.Host == "" || u.Hostname() == "" {
		return errors.New("must be an absolute https URL")
	}
	host := strings.ToLower(u.Hostname())
	switch {
	case u.Scheme != "https" && !(t.Local && u.Scheme == "http" && loopbackHost(host)):
		return errors.New("must be an https URL")
	case u.User != nil:
		return errors.New("must not carry user information")
	case u.Fragment != "" || strings.Contains(raw, "#"):
		return errors.New("must not have a fragment")
	}
	if t.Local {
		return nil
	}
	if ip, err := netip.ParseAddr(host); err == nil {
		if !publicAddr(ip) {
			return errors.New("must not point at a private, loopback or link-local address")
		}
		return nil
	}
	if host == "localhost" || strings.HasSuffix(host, ".localhost") || strings.HasSuffix(host, ".internal") ||
		strings.HasSuffix(host, ".local") || !strings.Contains(host, ".") {
		return errors.New("must be a public host name")
	}
	return nil
}

func loopbackHost(h string) bool {
	if h == "localhost" {
		return true
	}
	ip, err := netip.ParseAddr(h)
	return err == nil && ip.IsLoopback()
}

// nonPublic are the ranges beyond the standard library's predicates that
// are not the public internet.
var nonPublic = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"),       // "this network"
	netip.MustParsePrefix("100.64.0.0/10"),   // carrier-grade NAT
	netip.MustParsePrefix("192.0.0.0/24"),    // IETF protocol assignments
	netip.MustParsePrefix("192.0.2.0/24"),    // documentation
	netip.MustParsePrefix("198.18.0.0/15"),   // benchmarking
	netip.MustParsePrefix("198.51.100.0/24"), // documentation
	netip.MustParsePrefix("203.0.113.0/24"),  // documentation
	netip.MustParsePrefix("240.0.0.0/4"),     // reserved, broadcast
	netip.MustParsePrefix("64:ff9b::/96"),    // NAT64 (maps onto IPv4, checked there instead)
	netip.MustParsePrefix("2001:db8::/32"),   // documentation
}

// publicAddr reports whether ip is an address of the public internet: not
// loopback, private (RFC 1918, fc00::/7), link-local (169.254.0.0/16 — the
// instance metadata endpoint — and fe80::/10), multicast, unspecified or
// reserved.
func publicAddr(ip netip.Addr) bool {
	ip = ip.Unmap()
	if !ip.IsValid() || ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() ||
		ip.IsInterfaceLocalMulticast() || ip.IsMulticast() || ip.IsUnspecified() {
		return false
	}
	for _, p := range nonPublic {
		if p.Contains(ip) {
			return false
		}
	}
	return true
}

// DeliveryTimeout bounds one attempt, connection to last byte.
const DeliveryTimeout = 10 * time.Second

// Client returns the HTTP client deliveries go out with: no proxy, no
// redirects followed (a 3xx is a failed attempt), a timeout, and — unless
// Local — a dialer that refuses, at connect time, any address that is not
// public, whatever the name resolved to.
func (t Targets) Client() *http.Client {
	d := &net.Dialer{Timeout: 5 * time.Second}
	if !t.Local {
		d.Control = func(network, address string, _ syscall.RawConn) error {
			ap, err := netip.ParseAddrPort(address)
			if err != nil || !publicAddr(ap.Addr()) {
				return fmt.Errorf("webhook: refused to connect to non-public address %s", address)
			}
			return nil
		}
	}
	tr := &http.Transport{
		Proxy:                 nil,
		DialContext:           func(ctx context.Context, n, a string) (net.Conn, error) { return d.DialContext(ctx, n, a) },
		TLSHandshakeTimeout:   5 * time.Second,
		ResponseHeaderTimeout: DeliveryTimeout,
		MaxIdleConnsPerHost:   2,
		IdleConnTimeout:       30 * time.Second,
	}
	return &http.Client{Transport: tr, Timeout: DeliveryTimeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}
