package webhook

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"slices"
	"strconv"
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
	// Timeout bounds one attempt, connection to last byte (zero:
	// DeliveryTimeout).
	Timeout time.Duration
}

// MaxURLLength bounds an endpoint URL.
const MaxURLLength = 2048

// Ports are the ports an endpoint URL may name in deployed stages (none
// named: 443).
var Ports = []string{"443", "8443"}

// LocalPort is the one more port a non-loopback URL may name in the local
// stack (Local): plain http's.
const LocalPort = "80"

// Check checks an endpoint URL at registration: absolute https (http only
// for a loopback host when Local), a host, no user information or fragment,
// a port of Ports (LocalPort too when Local; any port on a loopback host
// when Local), and a host written the one canonical way — no trailing dot,
// no short or numeric IPv4 form ("127.1", "2130706433", "0x7f.1"), no
// IPv6 zone. Unless Local, a host that is an IP address must be a public
// one (publicAddr: not private, loopback or link-local, nor one of those
// inside an IPv6 transition form) and a name must not be plainly internal
// ("localhost", "*.internal", "*.local", no dot). A name's addresses are
// checked again at every connection (Client), where DNS rebinding cannot
// slip past.
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
	if err := canonicalHost(host); err != nil {
		return err
	}
	if port := u.Port(); port != "" && !slices.Contains(Ports, port) && !(t.Local && (port == LocalPort || loopbackHost(host))) {
		return fmt.Errorf("must use port %s (or none)", strings.Join(Ports, " or "))
	}
	if ip, err := netip.ParseAddr(host); err == nil {
		if !publicAddr(ip) && !(t.Local && ip.Unmap().IsLoopback()) {
			return errors.New("must not point at a private, loopback or link-local address")
		}
		return nil
	}
	if t.Local {
		return nil
	}
	if host == "localhost" || strings.HasSuffix(host, ".localhost") || strings.HasSuffix(host, ".internal") ||
		strings.HasSuffix(host, ".local") || !strings.Contains(host, ".") {
		return errors.New("must be a public host name")
	}
	return nil
}

// canonicalHost refuses the ways of writing a host that name one thing in
// another's clothes: a trailing dot (a fully qualified name that the
// internal-name checks would not recognise), an IPv4 address in a short,
// octal, hex or single-number form that resolvers accept ("127.1",
// "0177.0.0.1", "0x7f.1", "2130706433": a host whose last label is
// numeric is an address, and then only the dotted-quad form is taken),
// and an IPv6 zone.
func canonicalHost(host string) error {
	if strings.HasSuffix(host, ".") {
		return errors.New("must not end the host name with a dot")
	}
	ip, err := netip.ParseAddr(host)
	if err == nil {
		if ip.Zone() != "" {
			return errors.New("must not name an IPv6 zone")
		}
		return nil
	}
	if strings.Contains(host, ":") {
		return errors.New("must be a host name or an IP address")
	}
	last := host[strings.LastIndex(host, ".")+1:]
	if last != "" && (strings.HasPrefix(last, "0x") || strings.Trim(last, "0123456789") == "") {
		return errors.New("must write an IPv4 address as four decimal numbers (a.b.c.d)")
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
	netip.MustParsePrefix("2001:db8::/32"),   // documentation
	// IPv6 transition forms: each carries an IPv4 address, which could be a
	// private one behind a public-looking IPv6 literal or AAAA record. A
	// receiver has an address of its own, so the forms are refused whole.
	netip.MustParsePrefix("::/96"),          // IPv4-compatible (deprecated)
	netip.MustParsePrefix("64:ff9b::/96"),   // NAT64, well-known prefix
	netip.MustParsePrefix("64:ff9b:1::/48"), // NAT64, local-use prefix
	netip.MustParsePrefix("2002::/16"),      // 6to4
	netip.MustParsePrefix("2001::/32"),      // Teredo
}

// publicAddr reports whether ip is an address of the public internet: not
// loopback, private (RFC 1918, fc00::/7), link-local (169.254.0.0/16 — the
// instance metadata endpoint — and fe80::/10), multicast, unspecified,
// reserved, nor an IPv6 transition form (an IPv4-mapped address is judged
// by the IPv4 address it maps).
func publicAddr(ip netip.Addr) bool {
	ip = ip.Unmap()
	if !ip.IsValid() || ip.Zone() != "" || ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() ||
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

// ErrBlockedAddress is why the dialer refused a connection: the name of an
// endpoint resolved to an address its Targets do not allow.
var ErrBlockedAddress = errors.New("webhook: the endpoint's address is not allowed")

// allowedAt reports whether a connection to ap may be made: in deployed
// stages a public address on one of Ports; locally, a loopback address on
// any port, or a public one on Ports or LocalPort.
func (t Targets) allowedAt(ap netip.AddrPort) bool {
	port := strconv.Itoa(int(ap.Port()))
	if t.Local && ap.Addr().Unmap().IsLoopback() {
		return true
	}
	return publicAddr(ap.Addr()) && (slices.Contains(Ports, port) || (t.Local && port == LocalPort))
}

// Client returns the HTTP client deliveries go out with: no proxy, no
// redirects followed (a 3xx is a failed attempt), a timeout, and a dialer
// that checks, at connect time, the address a name resolved to — whatever
// DNS answered at registration (DNS rebinding) — and refuses one its
// Targets do not allow (ErrBlockedAddress).
func (t Targets) Client() *http.Client {
	d := &net.Dialer{Timeout: 5 * time.Second}
	d.Control = func(network, address string, _ syscall.RawConn) error {
		ap, err := netip.ParseAddrPort(address)
		if err != nil || !t.allowedAt(ap) {
			return ErrBlockedAddress
		}
		return nil
	}
	timeout := t.Timeout
	if timeout <= 0 {
		timeout = DeliveryTimeout
	}
	tr := &http.Transport{
		Proxy:                 nil,
		DialContext:           func(ctx context.Context, n, a string) (net.Conn, error) { return d.DialContext(ctx, n, a) },
		TLSHandshakeTimeout:   5 * time.Second,
		ResponseHeaderTimeout: timeout,
		MaxIdleConnsPerHost:   2,
		IdleConnTimeout:       30 * time.Second,
	}
	return &http.Client{Transport: tr, Timeout: timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}
