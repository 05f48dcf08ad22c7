package mail

import (
	"regexp"
	"strings"
	"sync"
)

// webAddress matches what mail clients turn into links: a URL with a scheme
// they follow, or a host name starting with "www.". Compiled on first use,
// not at every cold start: only a text that holds an address needs it.
var webAddress = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`(?i)\b(?:https?|ftp)://[^\s<>"']+|\bwww\.[^\s<>"']+`)
})

// defang rewrites every web address in s that is not under the base URL so
// that no mail client makes a link of it, keeping it readable: the scheme
// loses its "t"s ("hxxps://") and the dots of the host are bracketed
// ("evil[.]example"). Addresses under the base URL are left alone.
func defang(l Links, s string) string {
	if !strings.Contains(s, "://") && !strings.Contains(strings.ToLower(s), "www.") {
		return s
	}
	return webAddress().ReplaceAllStringFunc(s, func(m string) string {
		if l.owns(m) {
			return m
		}
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
	})
}
