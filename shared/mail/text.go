package mail

import (
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// cleanText prepares free text for an email: invalid UTF-8 becomes U+FFFD,
// line breaks become "\n", control characters other than "\n" and "\t" and
// the bidirectional overrides and isolates (which can make text read
// differently from what it is) are dropped, and surrounding space is trimmed.
func cleanText(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.Map(func(r rune) rune {
		switch {
		case r == '\n' || r == '\t':
			return r
		case r == '\r' || r == '\u2028' || r == '\u2029':
			return '\n'
		case unicode.IsControl(r), bidiControl(r):
			return -1
		}
		return r
	}, s)
	return strings.TrimSpace(s)
}

// oneLine is cleanText with every run of white space, line breaks included,
// collapsed to one space: for names and titles, which are shown inside
// sentences and subjects.
func oneLine(s string) string {
	return strings.Join(strings.Fields(cleanText(s)), " ")
}

// bidiControl reports whether r is a bidirectional embedding, override or
// isolate (U+202A–U+202E, U+2066–U+2069).
func bidiControl(r rune) bool {
	return (r >= '\u202A' && r <= '\u202E') || (r >= '\u2066' && r <= '\u2069')
}

// webAddress matches what mail clients turn into links: a URL with a scheme
// they follow, or a host name starting with "www.".
var webAddress = regexp.MustCompile(`(?i)\b(?:https?|ftp)://[^\s<>"']+|\bwww\.[^\s<>"']+`)

// defang rewrites every web address in s that is not under the base URL so
// that no mail client makes a link of it, keeping it readable: the scheme
// loses its "t"s ("hxxps://") and the dots of the host are bracketed
// ("evil[.]example"). Addresses under the base URL are left alone.
func defang(l Links, s string) string {
	return webAddress.ReplaceAllStringFunc(s, func(m string) string {
		if l.under(m) {
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

// lines splits cleaned text into its lines, for quoting.
func lines(s string) []string {
	return strings.Split(s, "\n")
}

// months returns the names of the months in locale (normalised), January first.
func months(locale string) [12]string {
	switch locale {
	case "sv":
		return [12]string{"januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober", "november", "december"}
	case "de":
		return [12]string{"Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober", "November", "Dezember"}
	}
	return [12]string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}
}

// formatTime writes t in UTC as a reader of locale expects, saying UTC:
// "27 November 2026, 09:00 UTC" (en), "27 november 2026 kl. 09:00 UTC" (sv),
// "27. November 2026, 09:00 UTC" (de). locale must be normalised.
func formatTime(locale string, t time.Time) string {
	t = t.UTC()
	day, month, year := strconv.Itoa(t.Day()), months(locale)[t.Month()-1], strconv.Itoa(t.Year())
	clock := t.Format("15:04") + " UTC"
	switch locale {
	case "sv":
		return day + " " + month + " " + year + " kl. " + clock
	case "de":
		return day + ". " + month + " " + year + ", " + clock
	}
	return day + " " + month + " " + year + ", " + clock
}
