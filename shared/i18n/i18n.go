// Package i18n is what Candor's emails and reviewer pages share to speak to
// people in their language: one catalogue format for every area, the
// locales' ways of writing dates and numbers, and the display form of text
// that people wrote.
//
// # Catalogues
//
// A catalogue is a Go value, one per locale, of a struct type that the area
// declares (mail, reviewerpage). Each text is an exported field: a string
// when it says the same thing every time, a func taking typed arguments when
// it speaks of something ("{business} has a question for you" is a
// func(business string) string). So the compiler checks what a format
// parsed at start-up could only check at run time: every locale has every
// text, and every placeholder is an argument the caller passes. Nothing is
// parsed when a function starts. Package i18ntest checks the rest in tests:
// no text is empty, and a translation is not the English text.
//
// [Catalogues] holds an area's catalogues and picks one by locale, falling
// back to English as [moderation.NormalizeLocale] does.
package i18n

import (
	"strconv"
	"strings"
	"time"

	"github.com/candorhq/candor/shared/moderation"
)

// Locales returns the locales Candor writes in: "en", "sv", "de". Every
// other locale falls back to "en". The caller owns the slice.
func Locales() []string {
	return []string{moderation.LocaleEN, moderation.LocaleSV, moderation.LocaleDE}
}

// Catalogues is an area's catalogue of type T in each locale.
type Catalogues[T any] struct {
	EN, SV, DE *T
}

// For returns the catalogue of locale, normalised with
// moderation.NormalizeLocale ("sv-SE" is sv; "fr" and "" are en).
func (c Catalogues[T]) For(locale string) *T {
	switch moderation.NormalizeLocale(locale) {
	case moderation.LocaleSV:
		return c.SV
	case moderation.LocaleDE:
		return c.DE
	}
	return c.EN
}

// ByLocale returns the catalogues keyed by locale, for tests that walk them.
func (c Catalogues[T]) ByLocale() map[string]*T {
	return map[string]*T{moderation.LocaleEN: c.EN, moderation.LocaleSV: c.SV, moderation.LocaleDE: c.DE}
}

// When is a time as the catalogues write it, in UTC: the day of the month,
// the month's name in the locale, the year, and the time of day ("09:05").
type When struct {
	Day, Month, Year, Clock string
}

// At returns t in UTC as the parts a catalogue writes a date with, the
// month named in locale (normalised; anything else is English).
func At(locale string, t time.Time) When {
	t = t.UTC()
	return When{
		Day:   strconv.Itoa(t.Day()),
		Month: months(locale)[t.Month()-1],
		Year:  strconv.Itoa(t.Year()),
		Clock: t.Format("15:04"),
	}
}

// months returns the names of the months in locale, January first.
func months(locale string) *[12]string {
	switch moderation.NormalizeLocale(locale) {
	case moderation.LocaleSV:
		return &monthsSV
	case moderation.LocaleDE:
		return &monthsDE
	}
	return &monthsEN
}

var (
	monthsEN = [12]string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}
	monthsSV = [12]string{"januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober", "november", "december"}
	monthsDE = [12]string{"Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober", "November", "Dezember"}
)

// Group writes a non-negative n with sep between groups of three digits
// ("10,000", "10 000", "10.000"). A negative n is written without grouping.
func Group(n int, sep string) string {
	s := strconv.Itoa(n)
	if n < 0 || len(s) <= 3 {
		return s
	}
	var b strings.Builder
	first := len(s) % 3
	if first > 0 {
		b.WriteString(s[:first])
	}
	for i := first; i < len(s); i += 3 {
		if b.Len() > 0 {
			b.WriteString(sep)
		}
		b.WriteString(s[i : i+3])
	}
	return b.String()
}
