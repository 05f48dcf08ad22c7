package links

import (
	"regexp"
	"strings"
	"sync"
)

// Address is a web address found in text: where it is and its host name
// (lower case, without port or user information).
type Address struct {
	Start, End int // byte offsets in the text
	Host       string
}

// webAddress matches what mail clients and browsers turn into links: a URL
// with a scheme they follow, or a host name starting with "www.". It is the
// pattern the emails defang with.
var webAddress = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`(?i)\b(?:https?|ftp)://[^\s<>"']+|\bwww\.[^\s<>"']+`)
})

// WebAddresses returns the web addresses in s, in order.
func WebAddresses(s string) []Address {
	if !strings.Contains(s, "://") && !strings.Contains(strings.ToLower(s), "www.") {
		return nil
	}
	var out []Address
	for _, loc := range webAddress().FindAllStringIndex(s, -1) {
		out = append(out, Address{Start: loc[0], End: loc[1], Host: hostOf(s[loc[0]:loc[1]])})
	}
	return out
}

// hostOf returns the lower-case host of an address as WebAddresses finds it.
func hostOf(m string) string {
	if i := strings.Index(m, "://"); i >= 0 {
		m = m[i+3:]
	}
	if i := strings.IndexAny(m, "/?#"); i >= 0 {
		m = m[:i]
	}
	if i := strings.LastIndexByte(m, '@'); i >= 0 {
		m = m[i+1:]
	}
	if i := strings.LastIndexByte(m, ':'); i >= 0 && !strings.Contains(m[i:], "]") {
		m = m[:i]
	}
	return strings.TrimSuffix(strings.ToLower(m), ".")
}

// Defang rewrites the address a (found in s) so that no mail client or
// browser makes a link of it, keeping it readable: the scheme loses its
// "t"s ("hxxps://") and the dots of the host are bracketed ("evil[.]example").
func Defang(s string, a Address) string {
	m := s[a.Start:a.End]
	rest, scheme := m, ""
	if i := strings.Index(m, "://"); i >= 0 {
		scheme, rest = m[:i], m[i+3:]
		scheme = strings.NewReplacer("t", "x", "T", "X").Replace(scheme) + "://"
	}
	end := strings.IndexAny(rest, "/?#")
	if end < 0 {
		end = len(rest)
	}
	return scheme + strings.ReplaceAll(rest[:end], ".", "[.]") + rest[end:]
}
