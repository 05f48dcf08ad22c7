package moderation

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// The text rule: what Candor accepts as text a person wrote. It is the one
// definition used by the API, the reviewer pages and the renderers of emails
// and pages, so that nothing the API accepts can fail to render.
//
//   - Text is stored as CleanText makes it: Unicode NFC, every line break as
//     "\n", surrounding white space (and invisible fillers) trimmed.
//   - Refused anywhere: invalid UTF-8; control characters other than line
//     breaks and tabs; format characters (bidirectional embeddings, overrides
//     and isolates, zero-width spaces, word joiners, byte-order marks, soft
//     hyphens, tag characters, directional marks) except the zero-width
//     joiner and non-joiner that emoji and several scripts need; private-use,
//     unassigned and non-characters; more than MaxCombiningRun combining
//     marks on one character.
//   - Lengths count visible characters: combining marks and joiners are part
//     of the character before them, and a run of white space (including
//     blank "fillers" such as U+2800 and U+3164) counts as one.
//   - Non-empty text must contain at least one letter or digit.

// MaxCombiningRun is how many combining marks one character may carry; more
// is "zalgo" text that covers the lines around it.
const MaxCombiningRun = 8

// TextFault is what is wrong with a text; TextOK when nothing is.
type TextFault int

// The text faults, from the most to the least fundamental.
const (
	TextOK              TextFault = iota
	TextEncoding                  // not valid UTF-8
	TextControl                   // a control character other than a line break or tab
	TextInvisible                 // a format character (bidi control, zero-width space, …)
	TextUnassigned                // private-use, unassigned or a non-character
	TextStacked                   // more than MaxCombiningRun combining marks on one character
	TextRequired                  // empty, but required
	TextNoLetterOrDigit           // no letter or digit at all
	TextTooShort                  // fewer visible characters than Min
	TextTooLong                   // more visible characters than Max
)

// TextCheck is the verdict of CheckText: the fault, the offending character
// for the character faults, the visible length and the limits applied.
type TextCheck struct {
	Fault    TextFault
	Rune     rune // the first refused character (TextControl, TextInvisible, TextUnassigned)
	Length   int  // visible characters of the cleaned text
	Min, Max int
}

// OK reports whether the text is acceptable.
func (c TextCheck) OK() bool { return c.Fault == TextOK }

// Message says what is wrong in English, for the API's field errors ("" if nothing).
func (c TextCheck) Message() string {
	switch c.Fault {
	case TextEncoding:
		return "must be valid UTF-8 text"
	case TextControl:
		return fmt.Sprintf("must not contain control characters other than line breaks and tabs (found %U)", c.Rune)
	case TextInvisible:
		return fmt.Sprintf("must not contain invisible formatting characters such as direction overrides or zero-width spaces (found %U)", c.Rune)
	case TextUnassigned:
		return fmt.Sprintf("must not contain private-use, unassigned or non-characters (found %U)", c.Rune)
	case TextStacked:
		return fmt.Sprintf("must not stack more than %d combining marks on one character", MaxCombiningRun)
	case TextRequired:
		return "is required"
	case TextNoLetterOrDigit:
		return "must contain at least one letter or digit"
	case TextTooShort:
		return fmt.Sprintf("must be at least %d characters (visible characters; it has %d)", c.Min, c.Length)
	case TextTooLong:
		return fmt.Sprintf("must be at most %d characters (visible characters; it has %d)", c.Max, c.Length)
	}
	return ""
}

// CleanText returns s as Candor stores and shows it: NFC-normalised, CRLF,
// CR, U+2028 and U+2029 as "\n", with surrounding white space and blank
// fillers trimmed. It never removes a character the rule refuses: a text
// that CheckText refuses is refused whole, so what is accepted is exactly
// what every email and page shows.
func CleanText(s string) string {
	if !utf8.ValidString(s) {
		return s
	}
	if strings.ContainsAny(s, "\r\u2028\u2029") {
		s = strings.NewReplacer("\r\n", "\n", "\r", "\n", "\u2028", "\n", "\u2029", "\n").Replace(s)
	}
	s = strings.TrimFunc(s, isBlank)
	if !norm.NFC.IsNormalString(s) {
		s = norm.NFC.String(s)
	}
	return s
}

// CheckText applies the text rule to the cleaned form of s, which must have
// min..max visible characters (min 0: optional, but if given it must still
// contain a letter or digit).
func CheckText(s string, min, max int) TextCheck {
	c := TextCheck{Min: min, Max: max}
	if !utf8.ValidString(s) {
		c.Fault = TextEncoding
		return c
	}
	s = CleanText(s)
	var (
		letters  bool
		marks    int  // combining marks on the current character
		inBlank  bool // inside a run of white space
		length   int
		fault    TextFault
		badRune  rune
		anyRunes bool
	)
	for _, r := range s {
		anyRunes = true
		if f := refused(r); f != TextOK {
			if fault == TextOK {
				fault, badRune = f, r
			}
			continue
		}
		switch {
		case isBlank(r):
			if !inBlank {
				length++
			}
			inBlank, marks = true, 0
		case unicode.In(r, unicode.Mn, unicode.Me, unicode.Mc) || r == zwj || r == zwnj:
			marks++
			if marks > MaxCombiningRun && fault == TextOK {
				fault = TextStacked
			}
		default:
			inBlank, marks = false, 0
			length++
			if unicode.In(r, unicode.L, unicode.N) {
				letters = true
			}
		}
	}
	c.Length = length
	switch {
	case fault != TextOK:
		c.Fault, c.Rune = fault, badRune
	case !anyRunes && min > 0:
		c.Fault = TextRequired
	case !anyRunes:
	case !letters:
		c.Fault = TextNoLetterOrDigit
	case length < min:
		c.Fault = TextTooShort
	case length > max:
		c.Fault = TextTooLong
	}
	return c
}

// VisibleLength is the length the limits of docs/product.md refer to: visible
// characters of CleanText(s), a run of white space counting once.
func VisibleLength(s string) int { return CheckText(s, 0, 1<<31-1).Length }

// IsText reports whether s passes the rule with no length limit and is not
// required: what a renderer may show as it is.
func IsText(s string) bool { return CheckText(s, 0, 1<<31-1).OK() }

const (
	zwnj = '\u200C'
	zwj  = '\u200D'
)

// refused says why r may not appear in text at all (TextOK if it may).
func refused(r rune) TextFault {
	switch {
	case r == '\n' || r == '\t':
		return TextOK
	case r < 0x20 || (r >= 0x7f && r < 0xa0):
		return TextControl
	case r == zwj || r == zwnj:
		return TextOK
	case unicode.Is(unicode.Cf, r):
		return TextInvisible
	case unicode.In(r, unicode.L, unicode.M, unicode.N, unicode.P, unicode.S, unicode.Zs):
		return TextOK
	}
	return TextUnassigned // Co, Cs, unassigned, non-characters
}

// isBlank reports whether r shows as empty space: white space, and the
// blank fillers that are letters or symbols by category but print nothing.
func isBlank(r rune) bool {
	switch r {
	case '\u115F', '\u1160', '\u3164', '\uFFA0', // Hangul fillers
		'\u2800': // braille pattern blank
		return true
	}
	// Of the control characters only the tab and the line feed are white
	// space here: the others are refused, never trimmed away.
	return unicode.IsSpace(r) && (r == ' ' || r == '\t' || r == '\n' || r >= 0xa0)
}

// checkText returns the English problem of s as a text of min..max visible
// characters, or "" if there is none.
func checkText(s string, min, max int) string {
	return CheckText(s, min, max).Message()
}

// problems collects field problems; the first problem recorded for a field
// wins, so checks run from the most to the least fundamental. The map is only
// allocated when there is a problem.
type problems map[string]string

// add records msg for field unless msg is empty or the field already has one.
func (p *problems) add(field, msg string) {
	if msg == "" {
		return
	}
	if *p == nil {
		*p = make(problems)
	}
	if _, ok := (*p)[field]; !ok {
		(*p)[field] = msg
	}
}

// err returns the collected problems as one Invalid error, or nil.
func (p problems) err() error {
	if len(p) == 0 {
		return nil
	}
	return Invalid(map[string]string(p))
}
