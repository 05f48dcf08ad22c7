package moderation

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Messages for text that is not acceptable, whatever its length.
const (
	msgBadText = "must be valid UTF-8 text without control characters (other than line breaks and tabs)"
)

// cleanText reports whether s is valid UTF-8 and contains no control
// character other than \n, \r and \t.
func cleanText(s string) bool {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if (c < 0x20 && c != '\n' && c != '\r' && c != '\t') || c == 0x7f {
				return false
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			return false
		}
		if unicode.IsControl(r) {
			return false
		}
		i += size
	}
	return true
}

// textLength returns the number of characters (runes) of s once leading and
// trailing white space is trimmed: the length every limit of SPEC.md refers to.
func textLength(s string) int {
	return utf8.RuneCountInString(strings.TrimSpace(s))
}

// checkText returns what is wrong with s as a text of min..max characters
// (counted by textLength), or "" if nothing is.
func checkText(s string, min, max int) string {
	if !cleanText(s) {
		return msgBadText
	}
	n := textLength(s)
	switch {
	case n == 0 && min > 0:
		return "is required"
	case n < min:
		return fmt.Sprintf("must be at least %d characters", min)
	case n > max:
		return fmt.Sprintf("must be at most %d characters", max)
	}
	return ""
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

// has reports whether field already has a problem.
func (p problems) has(field string) bool {
	_, ok := p[field]
	return ok
}

// err returns the collected problems as one Invalid error, or nil.
func (p problems) err() error {
	if len(p) == 0 {
		return nil
	}
	return Invalid(map[string]string(p))
}
