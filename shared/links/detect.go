package links

import (
	"regexp"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// The link detector: one rule, shared by every path that shows a reviewer or
// a business someone else's text (emails, reviewer pages, replies), for what
// a reader, a mail client or a browser could follow. It finds
//
//   - an address with a scheme, in any case and spelling a client follows:
//     "https://x.example", "HTTP://x", "https:/x.example", "https:\\x",
//     "http:x.example", "ftp://", "ws://", "wss://";
//   - a scheme-relative address, "//evil.example/x", and a UNC path,
//     "\\evil.example\share";
//   - a bare host name with a path, port, query or fragment,
//     "secure-login.example/verify", "192.0.2.1/login", "evil.example:8443";
//   - a bare host name alone whose last label is a top-level domain that mail
//     clients link ("acme.com", "www.evil.example", "пример.рф"; "e.g.",
//     "Node.js", "3.5" and "Mr.Smith" are not links).
//
// Host labels may be separated by the dots browsers accept: ".", "。", "．"
// and "｡".

// Span is one web address in a text: s[Start:End], in bytes.
type Span struct {
	Start, End int
}

// dots are the characters browsers read as the dot between host labels.
const dots = ".\u3002\uff0e\uff61"

// candidate matches what may be an address: an optional scheme (with any
// slashes) or a leading "//" or "\\", a host of labels separated by dots, an
// optional port, and the rest up to a space or a delimiter.
var candidate = sync.OnceValue(func() *regexp.Regexp {
	const (
		label = `[\p{L}\p{N}_-]+`
		dot   = `[.\x{3002}\x{FF0E}\x{FF61}]`
		rest  = `(?:[/?#\\][^\s<>"'\x60]*)?`
	)
	return regexp.MustCompile(`(?i)` +
		`(?:` + schemePattern + `:[/\\]*|//|\\\\)?` +
		`(?:` + label + `(?:` + dot + label + `)+|\[[0-9a-f:.]+\])` +
		`(?::\d{1,5})?` + rest)
})

// schemePattern are the schemes of addresses a client follows.
const schemePattern = `(?:https?|ftps?|wss?)`

var schemePrefix = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`(?i)^` + schemePattern + `:`)
})

// Find returns every web address in s, in order, without overlaps.
// Addresses hold no white space, so each run of non-space text that could
// hold one is searched on its own.
func Find(s string) []Span {
	if !mayHoldAddress(s) {
		return nil
	}
	var out []Span
	for start := 0; start < len(s); {
		r, n := utf8.DecodeRuneInString(s[start:])
		if unicode.IsSpace(r) {
			start += n
			continue
		}
		end := start + n
		for end < len(s) {
			r, n := utf8.DecodeRuneInString(s[end:])
			if unicode.IsSpace(r) {
				break
			}
			end += n
		}
		if word := s[start:end]; wordMayHoldAddress(word) {
			for _, m := range candidate().FindAllStringIndex(word, -1) {
				a, b := m[0], m[0]+len(strings.TrimRight(word[m[0]:m[1]], `.,;:!?)]}'"`))
				if isAddress(word[a:b]) {
					out = append(out, Span{start + a, start + b})
				}
			}
		}
		start = end
	}
	return out
}

// wordMayHoldAddress is a cheap test that a word (no white space) has
// something Find could find: a dot between two characters of a label, or
// the slashes of a scheme, "//" or "\\".
func wordMayHoldAddress(w string) bool {
	if strings.Contains(w, "//") || strings.Contains(w, `\\`) || strings.Contains(w, ":/") || strings.Contains(w, `:\`) {
		return true
	}
	for i, r := range w {
		if i > 0 && strings.ContainsRune(dots, r) {
			next, _ := utf8.DecodeRuneInString(w[i+utf8.RuneLen(r):])
			if unicode.IsLetter(next) || unicode.IsDigit(next) || next == '_' || next == '-' {
				return true
			}
		}
	}
	return false
}

// mayHoldAddress is a cheap test that s has something Find could find.
func mayHoldAddress(s string) bool {
	return strings.ContainsAny(s, dots+`:/\`)
}

// isAddress decides whether a candidate is an address: with a scheme or a
// leading "//" or "\\" it is; a bare host is when it has a path, port,
// query or fragment and its last label could be a top-level domain, or when
// its last label is one mail clients link.
func isAddress(m string) bool {
	if schemePrefix().MatchString(m) || strings.HasPrefix(m, "//") || strings.HasPrefix(m, `\\`) {
		return true
	}
	host, tail := m, ""
	if i := strings.IndexAny(m, `/?#\:`); i >= 0 {
		host, tail = m[:i], m[i:]
	}
	labels := strings.FieldsFunc(host, func(r rune) bool { return strings.ContainsRune(dots, r) })
	if len(labels) < 2 {
		return false
	}
	tld := strings.ToLower(labels[len(labels)-1])
	if tail != "" && (tail[0] != ':' || len(tail) > 1 && tail[1] >= '0' && tail[1] <= '9') {
		return ipv4(labels) || plausibleTLD(tld)
	}
	return linkedTLD(tld) || strings.EqualFold(labels[0], "www") && plausibleTLD(tld)
}

// ipv4 reports whether labels are the four numbers of an IPv4 address.
func ipv4(labels []string) bool {
	if len(labels) != 4 {
		return false
	}
	for _, l := range labels {
		if l == "" || len(l) > 3 || strings.Trim(l, "0123456789") != "" {
			return false
		}
	}
	return true
}

// plausibleTLD reports whether tld could be a top-level domain: 2 to 63
// letters, or an IDNA "xn--" label.
func plausibleTLD(tld string) bool {
	if strings.HasPrefix(tld, "xn--") && len(tld) > 4 {
		return true
	}
	n := 0
	for _, r := range tld {
		if !unicode.IsLetter(r) {
			return false
		}
		n++
	}
	return n >= 2 && n <= 63
}

// linkedTLD reports whether a bare "name.tld" with this tld is one mail
// clients turn into a link: every country code, the generic
// domains in common use, an IDNA label, and the names reserved for examples.
func linkedTLD(tld string) bool {
	if !plausibleTLD(tld) {
		return false
	}
	if strings.HasPrefix(tld, "xn--") || !isASCII(tld) {
		return true
	}
	if len(tld) == 2 {
		return strings.Contains(countryCodes, " "+tld+" ")
	}
	return isCommonTLD(tld)
}

// countryCodes are the country-code top-level domains, space-separated.
const countryCodes = " ac ad ae af ag ai al am ao aq ar as at au aw ax az ba bb bd be bf bg bh bi bj bm bn bo br bs bt bw by bz ca cc cd cf cg ch ci ck cl cm cn co cr cu cv cw cx cy cz de dj dk dm do dz ec ee eg er es et eu fi fj fk fm fo fr ga gb gd ge gf gg gh gi gl gm gn gp gq gr gs gt gu gw gy hk hm hn hr ht hu id ie il im in io iq ir is it je jm jo jp ke kg kh ki km kn kp kr kw ky kz la lb lc li lk lr ls lt lu lv ly ma mc md me mg mh mk ml mm mn mo mp mq mr ms mt mu mv mw mx my mz na nc ne nf ng ni nl no np nr nu nz om pa pe pf pg ph pk pl pm pn pr ps pt pw py qa re ro rs ru rw sa sb sc sd se sg sh si sk sl sm sn so sr ss st su sv sx sy sz tc td tf tg th tj tk tl tm tn to tr tt tv tw tz ua ug uk us uy uz va vc ve vg vi vn vu wf ws ye yt za zm zw "

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// isCommonTLD reports whether tld is one of the generic top-level domains
// a bare host name is linked with, beyond the two-letter country codes. A
// switch, not a map: a map literal is built when the program starts, at
// every cold start of every function that links this package.
func isCommonTLD(tld string) bool {
	switch tld {
	case "com", "net", "org", "info", "biz", "edu", "gov", "mil", "int",
		"app", "dev", "xyz", "online", "site", "shop", "store", "top",
		"club", "blog", "cloud", "link", "click", "live", "news", "page",
		"tech", "email", "support", "help", "login", "secure", "bank", "pro",
		"mobi", "name", "asia", "website", "space", "digital", "services",
		"example", "test", "invalid", "localhost", "onion", "local":
		return true
	}
	return false
}

// Defang returns s with every address Find finds, except those keep
// accepts, rewritten so that no client makes a link of it while a reader
// can still read it: a scheme loses its "t"s ("hxxps://"), and every dot
// becomes "[.]" ("evil[.]example/a[.]html"). keep may be nil.
func Defang(s string, keep func(address string) bool) string {
	spans := Find(s)
	if len(spans) == 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8*len(spans))
	last := 0
	for _, sp := range spans {
		addr := s[sp.Start:sp.End]
		b.WriteString(s[last:sp.Start])
		if keep != nil && keep(addr) {
			b.WriteString(addr)
		} else {
			b.WriteString(defangOne(addr))
		}
		last = sp.End
	}
	b.WriteString(s[last:])
	return b.String()
}

// defangOne defangs one address: every scheme in it (the address's own and
// any in its query) loses its "t"s, and every dot becomes "[.]" — in the
// path too, where a client could find a host again ("?to=other.example").
func defangOne(addr string) string {
	addr = schemeAnywhere().ReplaceAllStringFunc(addr, func(m string) string {
		return strings.NewReplacer("t", "x", "T", "X").Replace(m)
	})
	var b strings.Builder
	for _, r := range addr {
		if strings.ContainsRune(dots, r) {
			b.WriteString("[.]")
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

var schemeAnywhere = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`(?i)` + schemePattern + `:`)
})
