package i18n

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/candorhq/candor/shared/moderation"
)

// Display returns text a person wrote (a business's message, a review, an
// agent's facts) as the emails and pages show it. It never fails, so that
// nothing stored can keep an email or a page from rendering.
//
// Text that follows the domain's text rule — everything the API accepts,
// moderation.IsText — is shown exactly as moderation.CleanText makes it.
// Text stored before the rule may hold what the rule refuses; it is shown
// with invalid UTF-8 as U+FFFD and every refused character dropped (control
// and format characters such as direction overrides, private-use, unassigned
// and non-characters, combining marks beyond moderation.MaxCombiningRun on
// one character), then cleaned. The result always passes the rule's
// character checks, and Display of it is itself.
func Display(s string) string {
	if moderation.IsText(s) {
		return moderation.CleanText(s)
	}
	s = moderation.CleanText(strings.ToValidUTF8(s, "\uFFFD"))
	var b strings.Builder
	b.Grow(len(s))
	marks := 0
	for _, r := range s {
		if refused(r) {
			continue
		}
		if combining(r) {
			marks++
			if marks > moderation.MaxCombiningRun {
				continue
			}
		} else {
			marks = 0
		}
		b.WriteRune(r)
	}
	return moderation.CleanText(b.String())
}

// DisplayLine is Display for a text shown inside a sentence or a subject (a
// business's name, a review's title): every run of white space, line breaks
// included, is one space.
func DisplayLine(s string) string {
	return strings.Join(strings.Fields(Display(s)), " ")
}

// refused reports whether the text rule refuses r wherever it stands, by
// asking the rule itself (moderation.CheckText) about r alone. Only text
// stored before the rule takes this path.
func refused(r rune) bool {
	var buf [utf8.UTFMax]byte
	switch moderation.CheckText(string(buf[:utf8.EncodeRune(buf[:], r)]), 0, 1).Fault {
	case moderation.TextEncoding, moderation.TextControl, moderation.TextInvisible, moderation.TextUnassigned:
		return true
	}
	return false
}

// combining reports whether r is part of the character before it as the
// text rule counts marks for moderation.MaxCombiningRun: a combining mark, a
// zero-width joiner or non-joiner.
func combining(r rune) bool {
	return unicode.In(r, unicode.Mn, unicode.Me, unicode.Mc) || r == '\u200D' || r == '\u200C'
}
