package moderation

import (
	"regexp"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// PersonalData is a kind of personal data the reply guidelines forbid in a
// business's public reply, and that FindPersonalData recognises by pattern.
type PersonalData string

// The kinds of personal data a reply is checked for. Pattern checks catch
// the obvious forms only (docs/product.md, "Replies"); reports catch the rest.
const (
	PersonalNone         PersonalData = ""
	PersonalEmail        PersonalData = "email_address"
	PersonalPhone        PersonalData = "phone_number"
	PersonalPaymentCard  PersonalData = "payment_card_number"
	PersonalIBAN         PersonalData = "iban"
	PersonalReviewerName PersonalData = "reviewer_name"
)

// PersonalDataKinds lists every kind, in the order FindPersonalData looks.
func PersonalDataKinds() []PersonalData {
	return []PersonalData{PersonalEmail, PersonalPaymentCard, PersonalIBAN, PersonalPhone, PersonalReviewerName}
}

// The lengths that separate a phone number from the numbers of plain prose:
// E.164 allows at most 15 digits; a phone number with its area code has at
// least 8. Shorter runs are order numbers, prices, times and dates.
const (
	minPhoneDigits = 8
	maxPhoneDigits = 15
	minCardDigits  = 13
	maxCardDigits  = 19
)

// Patterns, compiled on first use: most replies hold none of these.
var (
	emailPattern = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`(?i)[a-z0-9._%+\-]+@[a-z0-9\-]+(?:\.[a-z0-9\-]+)*\.[a-z]{2,}`)
	})
	// numberRun is a run of digits and the separators people write in phone
	// and card numbers; a leading "+" or "(" belongs to it.
	numberRun = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`[+(]?\d(?:[\d\-(). /]*\d)?`)
	})
	// datePattern is a whole number run that is a date in any common order
	// and separator, or a range of times ("10.00-18.00"): no phone number.
	datePattern = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`^(?:\d{4}[-./ ]\d{1,2}[-./ ]\d{1,2}|\d{1,2}[-./ ]\d{1,2}[-./ ]\d{2,4}|\d{1,2}[.:]\d{2}-\d{1,2}[.:]\d{2})$`)
	})
	ibanPattern = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`(?i)\b[a-z]{2}\d{2}(?:[a-z0-9]{11,30}|(?: [a-z0-9]{4}){2,7}(?: [a-z0-9]{1,4})?)\b`)
	})
)

// FindPersonalData reports the first kind of personal data in text, looking
// for an email address, a payment card number (13–19 digits passing the Luhn
// check), an IBAN (with a valid mod-97 check), a phone number (8–15 digits,
// written as phone numbers are: with a leading "+", "0" or "(", or in
// groups), and the reviewer's name as the platform knows it (the full name,
// or the family name of a name in two or more parts; a first name alone is a
// greeting the guidelines ask for). PersonalNone when there is none.
func FindPersonalData(text, reviewerName string) PersonalData {
	if emailPattern().MatchString(text) {
		return PersonalEmail
	}
	if strings.ContainsAny(text, "0123456789") {
		if k := findNumber(text); k != PersonalNone {
			return k
		}
	}
	if containsName(text, reviewerName) {
		return PersonalReviewerName
	}
	return PersonalNone
}

// findNumber looks through the number runs of text for a payment card, an
// IBAN and a phone number.
func findNumber(text string) PersonalData {
	for _, m := range ibanPattern().FindAllString(text, -1) {
		if ValidIBAN(m) {
			return PersonalIBAN
		}
	}
	phone := false
	for _, loc := range numberRun().FindAllStringIndex(text, -1) {
		if loc[0] > 0 && isWordRune(lastRune(text[:loc[0]])) {
			continue // part of a word or an identifier such as "SE12…" or "A1234"
		}
		// A dash between spaces separates two numbers ("1 299 - 2 499 kr").
		for _, run := range strings.Split(text[loc[0]:loc[1]], " - ") {
			run = strings.TrimSpace(run)
			if run == "" {
				continue
			}
			digits := digitsOf(run)
			if len(digits) >= minCardDigits && len(digits) <= maxCardDigits && Luhn(digits) {
				return PersonalPaymentCard
			}
			if isPhone(run, digits) {
				phone = true
			}
		}
	}
	if phone {
		return PersonalPhone
	}
	return PersonalNone
}

// isPhone reports whether a number run is written as a phone number: 8–15
// digits, not a date, and either starting as phone numbers do ("+", "0",
// "(") or written in groups, as order numbers are not.
func isPhone(run, digits string) bool {
	if len(digits) < minPhoneDigits || len(digits) > maxPhoneDigits {
		return false
	}
	if datePattern().MatchString(run) {
		return false
	}
	switch run[0] {
	case '+', '0', '(':
		return true
	}
	return strings.ContainsAny(run, " -()/")
}

// Luhn reports whether a string of digits passes the Luhn check that every
// payment card number passes.
func Luhn(digits string) bool {
	if digits == "" {
		return false
	}
	sum, double := 0, false
	for i := len(digits) - 1; i >= 0; i-- {
		d := int(digits[i] - '0')
		if d < 0 || d > 9 {
			return false
		}
		if double {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
		double = !double
	}
	return sum%10 == 0
}

// ValidIBAN reports whether s (spaces allowed) is an IBAN with a valid
// check: two letters, two check digits, 11 to 30 letters or digits, and
// the ISO 13616 remainder of 1 modulo 97.
func ValidIBAN(s string) bool {
	s = strings.ToUpper(strings.ReplaceAll(s, " ", ""))
	if len(s) < 15 || len(s) > 34 {
		return false
	}
	for i, r := range s {
		switch {
		case i < 2 && (r < 'A' || r > 'Z'):
			return false
		case i >= 2 && i < 4 && (r < '0' || r > '9'):
			return false
		case (r < 'A' || r > 'Z') && (r < '0' || r > '9'):
			return false
		}
	}
	rem := 0
	for _, r := range s[4:] + s[:4] {
		if r >= 'A' {
			rem = (rem*100 + int(r-'A'+10)) % 97
		} else {
			rem = (rem*10 + int(r-'0')) % 97
		}
	}
	return rem == 1
}

// containsName reports whether text holds the reviewer's full name, or the
// family name of a name in two or more parts when it has at least three
// letters, as whole words and regardless of case.
func containsName(text, name string) bool {
	parts := strings.FieldsFunc(name, func(r rune) bool { return !isWordRune(r) && r != '-' && r != '\'' })
	if len(parts) == 0 {
		return false
	}
	lower := strings.ToLower(text)
	if containsWords(lower, strings.ToLower(strings.Join(parts, " "))) {
		return true
	}
	if len(parts) >= 2 {
		family := strings.ToLower(parts[len(parts)-1])
		if len([]rune(family)) >= 3 && containsWords(lower, family) {
			return true
		}
	}
	return false
}

// containsWords reports whether phrase occurs in text as whole words, the
// white space between its words matching any run of white space.
func containsWords(text, phrase string) bool {
	p := strings.Join(strings.Fields(phrase), " ")
	if p == "" {
		return false
	}
	t := strings.Join(strings.Fields(text), " ")
	for i := 0; i <= len(t); {
		j := strings.Index(t[i:], p)
		if j < 0 {
			return false
		}
		start, end := i+j, i+j+len(p)
		before, _ := utf8.DecodeLastRuneInString(t[:start])
		after, _ := utf8.DecodeRuneInString(t[end:])
		if (start == 0 || !isWordRune(before)) && (end == len(t) || !isWordRune(after)) {
			return true
		}
		_, size := utf8.DecodeRuneInString(t[start:])
		i = start + size
	}
	return false
}

func digitsOf(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' }

func lastRune(s string) rune {
	r, _ := utf8.DecodeLastRuneInString(s)
	return r
}
