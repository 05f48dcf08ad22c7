// Package markup writes HTML in which only constants of the program are
// markup: every value is escaped for where it stands, so that text from a
// business, a reviewer or a catalogue can never become a tag, an attribute or
// a script.
//
// It takes the place of html/template for Candor's emails and pages.
// html/template reaches reflect.Value.MethodByName, which makes the Go linker
// keep every exported method of every type that reaches an interface — for a
// function holding AWS SDK clients, megabytes of operations it never calls
// (golang/go#72895). The escaping here is html/template's, byte for byte, for
// the contexts Candor uses: element text, RCDATA (title, textarea), quoted
// attribute values and URL attributes.
//
// The guarantee is made by the type system: Markup takes a parameter of an
// unexported string type, which only an untyped string constant converts to
// implicitly. A variable, a concatenation with a variable, or a call result
// does not compile there, and a package outside this one cannot name the type
// to convert to it.
package markup

import (
	"strconv"
	"strings"
)

// constant is markup written in the program's source. It is unexported so
// that only untyped string constants become one.
type constant string

// Builder accumulates an HTML document. The zero value is ready to use; it
// is not safe for concurrent use.
type Builder struct {
	b strings.Builder
}

// Grow makes room for n more bytes.
func (w *Builder) Grow(n int) { w.b.Grow(n) }

// Markup writes s as it is. s must be a constant of the program.
func (w *Builder) Markup(s constant) { w.b.WriteString(string(s)) }

// Text writes s escaped for element text, RCDATA (<title>, <textarea>) and
// double-quoted attribute values: & < > " ' + become entities and NUL
// becomes U+FFFD, as html/template does.
func (w *Builder) Text(s string) { escapeOnto(&w.b, s) }

// Int writes n in decimal.
func (w *Builder) Int(n int) { w.b.WriteString(strconv.Itoa(n)) }

// URL writes s for a double-quoted URL attribute (href, action). A URL whose
// scheme is not http, https or mailto (javascript:, data:, …) is replaced by
// "#ZgotmplZ", html/template's marker of a refused value; otherwise bytes
// that may not stand in a URL are percent-encoded (existing escapes are
// kept) and the result is escaped for the attribute.
func (w *Builder) URL(s string) {
	if !safeURL(s) {
		w.b.WriteString("#" + Refused)
		return
	}
	escapeOnto(&w.b, normalizeURL(s))
}

// String returns the document written so far.
func (w *Builder) String() string { return w.b.String() }

// Refused is written in place of a URL that URL refuses.
const Refused = "ZgotmplZ"

// escapeOnto writes s onto b with NUL, ", &, ', +, < and > replaced.
func escapeOnto(b *strings.Builder, s string) {
	written := 0
	for i := 0; i < len(s); i++ {
		var r string
		switch s[i] {
		case 0:
			r = "\uFFFD"
		case '"':
			r = "&#34;"
		case '&':
			r = "&amp;"
		case '\'':
			r = "&#39;"
		case '+':
			r = "&#43;"
		case '<':
			r = "&lt;"
		case '>':
			r = "&gt;"
		default:
			continue
		}
		b.WriteString(s[written:i])
		b.WriteString(r)
		written = i + 1
	}
	b.WriteString(s[written:])
}

// safeURL reports whether s is relative or has the scheme http, https or
// mailto (in any case).
func safeURL(s string) bool {
	scheme, _, ok := strings.Cut(s, ":")
	if !ok || strings.Contains(scheme, "/") {
		return true
	}
	return strings.EqualFold(scheme, "http") || strings.EqualFold(scheme, "https") || strings.EqualFold(scheme, "mailto")
}

// normalizeURL percent-encodes the bytes of s that are neither unreserved nor
// reserved in RFC 3986 (quotes, parentheses, spaces, controls, non-ASCII),
// leaving valid percent escapes alone.
func normalizeURL(s string) string {
	var b strings.Builder
	written := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
			continue
		case strings.IndexByte("-._~!#$&*+,/:;=?@[]", c) >= 0:
			continue
		case c == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]):
			continue
		}
		if written == 0 {
			b.Grow(len(s) + 16)
		}
		b.WriteString(s[written:i])
		b.WriteByte('%')
		b.WriteByte(hexDigits[c>>4])
		b.WriteByte(hexDigits[c&0xf])
		written = i + 1
	}
	if written == 0 {
		return s
	}
	b.WriteString(s[written:])
	return b.String()
}

const hexDigits = "0123456789abcdef"

// isHex reports whether c is a hexadecimal digit.
func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}
