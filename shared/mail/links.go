package mail

import (
	"errors"
	"fmt"
	"net/url"
	"path"
	"strings"
)

// ErrLinkOutsideBase is the error (under errors.Is) of rendering a message
// whose link is missing or does not point under the public base URL.
var ErrLinkOutsideBase = errors.New("link is not under the public base URL")

// Links makes and checks the links of emails. Base is the deployment's
// public base URL, absolute, without query or fragment, and without a
// trailing slash; build it with [NewLinks]. The zero Links owns no URL, so a
// Renderer built with it refuses every message with a link.
type Links struct {
	Base *url.URL
	// Business, when set, are the business portal's pages that
	// [Links.ReportLink] and [Links.RequestLink] return; a link made from
	// them is a link the renderer accepts too.
	Business BusinessPages
}

// NewLinks parses the public base URL: https, or http only for 127.0.0.1,
// ::1 or localhost (the local stack), with a host, no user information, no
// query or fragment, and a clean path ("https://reviews.example.com" or
// "https://example.com/candor/"). A trailing slash is dropped.
func NewLinks(base string) (Links, error) {
	u, err := url.Parse(base)
	if err != nil {
		return Links{}, fmt.Errorf("mail: links: parse base URL: %w", err)
	}
	u.Scheme = strings.ToLower(u.Scheme)
	u.Host = strings.ToLower(u.Host)
	switch {
	case u.Scheme != "https" && u.Scheme != "http":
		return Links{}, errors.New("mail: links: base URL must be absolute https")
	case u.Opaque != "" || u.Host == "" || u.Hostname() == "":
		return Links{}, errors.New("mail: links: base URL has no host")
	case u.Scheme == "http" && !loopback(u.Hostname()):
		return Links{}, errors.New("mail: links: base URL must be https (http only for 127.0.0.1, ::1 or localhost)")
	case u.User != nil:
		return Links{}, errors.New("mail: links: base URL must not carry user information")
	case u.RawQuery != "" || u.ForceQuery || u.Fragment != "" || strings.ContainsAny(base, "?#"):
		return Links{}, errors.New("mail: links: base URL must not have a query or fragment")
	}
	p := strings.TrimSuffix(u.EscapedPath(), "/")
	if p != "" && path.Clean(p) != p {
		return Links{}, errors.New("mail: links: base URL path must be clean (no empty, . or .. segments)")
	}
	norm, err := url.Parse(u.Scheme + "://" + u.Host + p)
	if err != nil {
		return Links{}, fmt.Errorf("mail: links: normalise base URL: %w", err)
	}
	return Links{Base: norm}, nil
}

// loopback reports whether host is one the local stack runs on.
func loopback(host string) bool {
	return host == "127.0.0.1" || host == "::1" || host == "localhost"
}

// ReviewerLink returns the reviewer page of a link token: <base>/r/<token>,
// the token path-escaped (a token from the links package is URL-safe and
// comes out as it is).
func (l Links) ReviewerLink(token string) string { return l.join("r", token) }

// BusinessReviewLink returns a review as its business reads it in the API:
// <base>/v1/reviews/<id>.
func (l Links) BusinessReviewLink(id string) string { return l.join("v1/reviews", id) }

// RequestLink returns the page of a Find Reviewer request as its business
// reads it: the business portal's request page when l.Business is set, else
// the API's <base>/v1/reviewer-requests/<id>.
func (l Links) RequestLink(id string) string {
	if u := l.Business.Request.URL(id); u != "" {
		return u
	}
	return l.join("v1/reviewer-requests", id)
}

// ReportLink returns the page of a report as its business reads it: the
// business portal's report page when l.Business is set, else the API's
// <base>/v1/reports/<id>.
func (l Links) ReportLink(id string) string {
	if u := l.Business.Report.URL(id); u != "" {
		return u
	}
	return l.join("v1/reports", id)
}

// owns reports whether raw is a link an email may carry: under the base
// URL, or a page of the business portal.
func (l Links) owns(raw string) bool {
	return l.under(raw) || l.Business.Report.matches(raw) || l.Business.Request.matches(raw)
}

// join returns <base>/<dir>/<escaped last>, or "" when l has no base.
func (l Links) join(dir, last string) string {
	if l.Base == nil {
		return ""
	}
	return l.Base.String() + "/" + dir + "/" + url.PathEscape(last)
}

// under reports whether raw is a link under the base URL: an absolute URL
// of the base's scheme and host, without user information, whose path lies
// below the base's path without empty or dot segments, written in the
// canonical form the link helpers produce (so that no client can read it
// differently): only the characters of RFC 3986 that need no escaping
// anywhere in a URL, and valid percent escapes. (Such a link is also one
// that html/template's URL normalisation leaves as it is.)
func (l Links) under(raw string) bool {
	if l.Base == nil || !plainURL(raw) {
		return false
	}
	u, err := url.Parse(raw)
	if err != nil || u.String() != raw {
		return false // unparsable, or written in a way that parses to something else
	}
	if u.Scheme != l.Base.Scheme || u.Host != l.Base.Host || u.User != nil || u.Opaque != "" {
		return false
	}
	p, base := u.EscapedPath(), l.Base.EscapedPath()
	if !strings.HasPrefix(p, base+"/") || len(p) == len(base)+1 {
		return false
	}
	if strings.Contains(p, "//") || strings.Contains(p+"/", "/./") || strings.Contains(p+"/", "/../") {
		return false
	}
	return !strings.Contains(strings.ToLower(p), "%2e") // an escaped dot segment some servers unescape
}

// plainURL reports whether s holds only ASCII letters and digits, the
// unreserved and reserved characters of RFC 3986 other than ' ( and ), and
// "%" followed by two hexadecimal digits.
func plainURL(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case strings.IndexByte("-._~!#$&*+,/:;=?@[]", c) >= 0:
		case c == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]):
		default:
			return false
		}
	}
	return true
}

// isHex reports whether c is a hexadecimal digit.
func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}
