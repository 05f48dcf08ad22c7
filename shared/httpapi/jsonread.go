package httpapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// jsonReader reads one JSON document by hand, for DecodeV2Request: each
// method reads the value at pos (whitespace before it skipped by the
// caller) into a Go value with encoding/json's rules for that Go type. The
// first error, syntax or type, stops the reading; every method does
// nothing once err is set.
type jsonReader struct {
	data  []byte
	pos   int
	depth int
	err   error
}

// maxJSONDepth is encoding/json's limit on nesting.
const maxJSONDepth = 10000

var errJSONEnd = errors.New("unexpected end of JSON input")

func (d *jsonReader) fail(msg string) {
	if d.err == nil {
		if d.pos >= len(d.data) {
			d.err = errJSONEnd
			return
		}
		d.err = fmt.Errorf("%s at offset %d", msg, d.pos)
	}
}

// typeError records a value of the wrong JSON type for its Go field.
func (d *jsonReader) typeError(want string) {
	if d.pos >= len(d.data) {
		d.fail("")
		return
	}
	d.fail("cannot read the value as " + want)
}

func (d *jsonReader) skipSpace() {
	for d.pos < len(d.data) {
		switch d.data[d.pos] {
		case ' ', '\t', '\n', '\r':
			d.pos++
		default:
			return
		}
	}
}

// peek returns the byte at pos, or 0 at the end.
func (d *jsonReader) peek() byte {
	if d.err != nil || d.pos >= len(d.data) {
		return 0
	}
	return d.data[d.pos]
}

// literal consumes word (true, false, null) or fails.
func (d *jsonReader) literal(word string) {
	if !strings.HasPrefix(string(d.data[d.pos:min(len(d.data), d.pos+len(word))]), word) {
		d.fail("invalid literal")
		return
	}
	d.pos += len(word)
}

// null consumes a null and reports whether there was one.
func (d *jsonReader) null() bool {
	if d.peek() != 'n' {
		return false
	}
	d.literal("null")
	return d.err == nil
}

// value reads a value that encoding/json would decode into a struct: null
// leaves it as it is, an object is read by f, anything else is an error.
func (d *jsonReader) value(f func()) {
	switch d.peek() {
	case 'n':
		d.null()
	case '{':
		f()
	default:
		d.typeError("an object")
	}
}

// object reads an object, calling field with each key (unescaped) with pos
// at the key's value, which field must read.
func (d *jsonReader) object(field func(key string)) {
	if d.peek() != '{' {
		d.fail("expected {")
		return
	}
	d.depth++
	if d.depth > maxJSONDepth {
		d.fail("exceeded max depth")
		return
	}
	d.pos++
	d.skipSpace()
	if d.peek() == '}' {
		d.pos++
		d.depth--
		return
	}
	for d.err == nil {
		if d.peek() != '"' {
			d.fail("expected a key")
			return
		}
		key := d.readString()
		d.skipSpace()
		if d.peek() != ':' {
			d.fail("expected :")
			return
		}
		d.pos++
		d.skipSpace()
		field(key)
		d.skipSpace()
		switch d.peek() {
		case ',':
			d.pos++
			d.skipSpace()
		case '}':
			d.pos++
			d.depth--
			return
		default:
			d.fail("expected , or }")
		}
	}
}

// array reads an array, calling elem with pos at each element, which elem
// must read.
func (d *jsonReader) array(elem func()) {
	if d.peek() != '[' {
		d.fail("expected [")
		return
	}
	d.depth++
	if d.depth > maxJSONDepth {
		d.fail("exceeded max depth")
		return
	}
	d.pos++
	d.skipSpace()
	if d.peek() == ']' {
		d.pos++
		d.depth--
		return
	}
	for d.err == nil {
		elem()
		d.skipSpace()
		switch d.peek() {
		case ',':
			d.pos++
			d.skipSpace()
		case ']':
			d.pos++
			d.depth--
			return
		default:
			d.fail("expected , or ]")
		}
	}
}

// skip reads any value and keeps nothing of it.
func (d *jsonReader) skip() {
	switch c := d.peek(); {
	case c == '{':
		d.object(func(string) { d.skip() })
	case c == '[':
		d.array(d.skip)
	case c == '"':
		d.readString()
	case c == 't':
		d.literal("true")
	case c == 'f':
		d.literal("false")
	case c == 'n':
		d.literal("null")
	case c == '-' || c >= '0' && c <= '9':
		d.number()
	default:
		d.fail("invalid character")
	}
}

// number consumes a number and returns its text.
func (d *jsonReader) number() string {
	start := d.pos
	digits := func() int {
		n := 0
		for d.pos < len(d.data) && d.data[d.pos] >= '0' && d.data[d.pos] <= '9' {
			d.pos++
			n++
		}
		return n
	}
	if d.peek() == '-' {
		d.pos++
	}
	switch {
	case d.peek() == '0':
		d.pos++
	case d.peek() >= '1' && d.peek() <= '9':
		digits()
	default:
		d.fail("invalid number")
		return ""
	}
	if d.peek() == '.' {
		d.pos++
		if digits() == 0 {
			d.fail("invalid number")
			return ""
		}
	}
	if c := d.peek(); c == 'e' || c == 'E' {
		d.pos++
		if c := d.peek(); c == '+' || c == '-' {
			d.pos++
		}
		if digits() == 0 {
			d.fail("invalid number")
			return ""
		}
	}
	return string(d.data[start:d.pos])
}

// str reads a string into *p; null leaves *p as it is.
func (d *jsonReader) str(p *string) {
	switch d.peek() {
	case '"':
		*p = d.readString()
	case 'n':
		d.null()
	default:
		d.typeError("a string")
	}
}

// boolean reads true or false into *p; null leaves *p as it is.
func (d *jsonReader) boolean(p *bool) {
	switch d.peek() {
	case 't':
		d.literal("true")
		*p = d.err == nil
	case 'f':
		d.literal("false")
		*p = false
	case 'n':
		d.null()
	default:
		d.typeError("a boolean")
	}
}

// int64 reads a whole number into *p; null leaves *p as it is.
func (d *jsonReader) int64(p *int64) {
	switch c := d.peek(); {
	case c == '-' || c >= '0' && c <= '9':
		text := d.number()
		if d.err != nil {
			return
		}
		n, err := strconv.ParseInt(text, 10, 64)
		if err != nil {
			d.pos -= len(text)
			d.typeError("a 64-bit integer")
			return
		}
		*p = n
	case c == 'n':
		d.null()
	default:
		d.typeError("a number")
	}
}

// strings reads an array of strings into *p as encoding/json does into a
// slice: null sets nil, the elements go into *p's own array (a null element
// leaves what is there), an empty array is an empty, non-nil slice.
func (d *jsonReader) strings(p *[]string) {
	if d.null() {
		*p = nil
		return
	}
	if d.peek() != '[' {
		d.typeError("an array")
		return
	}
	s, i := *p, 0
	d.array(func() {
		if i >= cap(s) {
			s = slices.Grow(s, 1)
		}
		if i >= len(s) {
			s = s[:i+1]
		}
		d.str(&s[i])
		i++
	})
	if d.err != nil {
		return
	}
	s = s[:i]
	if i == 0 {
		s = []string{}
	}
	*p = s
}

// stringMap reads an object of strings into *p as encoding/json does into
// a map: null sets nil, the keys are added to *p (made if nil), a null
// value is "".
func (d *jsonReader) stringMap(p *map[string]string) {
	if d.null() {
		*p = nil
		return
	}
	if d.peek() != '{' {
		d.typeError("an object")
		return
	}
	if *p == nil {
		*p = map[string]string{}
	}
	m := *p
	d.object(func(key string) {
		var v string
		d.str(&v)
		m[key] = v
	})
}

// lambdaContext reads the free-form context of a Lambda authorizer with
// encoding/json itself: Candor's authorizer is a JWT authorizer, which
// never sends one.
func (d *jsonReader) lambdaContext(p *map[string]any) {
	start := d.pos
	d.skip()
	if d.err != nil {
		return
	}
	if err := json.Unmarshal(d.data[start:d.pos], p); err != nil {
		d.err = err
	}
}

// readString consumes a string and returns it unescaped, as encoding/json
// does: invalid UTF-8 and lone surrogates become U+FFFD.
func (d *jsonReader) readString() string {
	d.pos++ // the opening quote
	start := d.pos
	for d.pos < len(d.data) {
		c := d.data[d.pos]
		switch {
		case c == '"':
			s := string(d.data[start:d.pos])
			d.pos++
			return s
		case c == '\\' || c >= utf8.RuneSelf:
			return d.readStringSlow(start)
		case c < 0x20:
			d.fail("control character in string")
			return ""
		}
		d.pos++
	}
	d.fail("")
	return ""
}

func (d *jsonReader) readStringSlow(start int) string {
	b := append([]byte(nil), d.data[start:d.pos]...)
	for d.pos < len(d.data) {
		c := d.data[d.pos]
		switch {
		case c == '"':
			d.pos++
			return string(b)
		case c < 0x20:
			d.fail("control character in string")
			return ""
		case c == '\\':
			if d.pos+1 >= len(d.data) {
				d.pos = len(d.data)
				d.fail("")
				return ""
			}
			switch e := d.data[d.pos+1]; e {
			case '"', '\\', '/':
				b = append(b, e)
			case 'b':
				b = append(b, '\b')
			case 'f':
				b = append(b, '\f')
			case 'n':
				b = append(b, '\n')
			case 'r':
				b = append(b, '\r')
			case 't':
				b = append(b, '\t')
			case 'u':
				r := d.hex4(d.pos)
				if r < 0 {
					d.fail("invalid \\u escape")
					return ""
				}
				d.pos += 6
				if utf16.IsSurrogate(r) {
					if dec := utf16.DecodeRune(r, d.hex4(d.pos)); dec != utf8.RuneError {
						d.pos += 6
						b = utf8.AppendRune(b, dec)
						continue
					}
					r = utf8.RuneError
				}
				b = utf8.AppendRune(b, r)
				continue
			default:
				d.fail("invalid escape")
				return ""
			}
			d.pos += 2
		case c < utf8.RuneSelf:
			b = append(b, c)
			d.pos++
		default:
			r, size := utf8.DecodeRune(d.data[d.pos:])
			if r == utf8.RuneError && size == 1 {
				b = utf8.AppendRune(b, utf8.RuneError)
			} else {
				b = append(b, d.data[d.pos:d.pos+size]...)
			}
			d.pos += size
		}
	}
	d.fail("")
	return ""
}

// hex4 reads the \uXXXX escape at i, or returns -1.
func (d *jsonReader) hex4(i int) rune {
	if i+6 > len(d.data) || d.data[i] != '\\' || d.data[i+1] != 'u' {
		return -1
	}
	var r rune
	for _, c := range d.data[i+2 : i+6] {
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			c = c - 'A' + 10
		default:
			return -1
		}
		r = r*16 + rune(c)
	}
	return r
}

// fieldIs reports whether a key names the field of JSON name name, as
// encoding/json matches them: without regard to case.
func fieldIs(key, name string) bool {
	return len(key) == len(name) && key == name || strings.EqualFold(key, name)
}
