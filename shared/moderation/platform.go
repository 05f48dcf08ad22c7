package moderation

import (
	"fmt"
	"net/mail"
	"slices"
	"strings"
	"time"
)

// Limits of the platform's input (PUT /v1/platform/...), in characters after
// trimming, except maxEmail (bytes of the address as given) and maxID (bytes).
const (
	maxName   = 200
	maxTitle  = 200
	maxText   = 10000
	maxEmail  = 254 // RFC 5321's limit on a forward path
	maxID     = 64
	maxLocale = 35
	// maxTimeZone bounds an IANA zone name; the longest is 32 bytes
	// ("America/Argentina/ComodRivadavia").
	maxTimeZone = 64
	minStars    = 1
	maxStars    = 5
)

// latestZoneOffset is how far ahead of UTC the earliest time zone runs
// (UTC+14): a date has begun somewhere once UTC is this close to its start.
const latestZoneOffset = 14 * time.Hour

// BusinessInput is what the platform sends to create or update a business.
type BusinessInput struct {
	Name              string
	NotificationEmail string
	Locale            string
	// Domains are the business's own web domains (optional, at most
	// MaxBusinessDomains host names such as "shop.example").
	Domains []string
}

// MaxBusinessDomains is how many own domains a business may name.
const MaxBusinessDomains = 10

// ValidateBusiness checks a business as the platform sends it: name 1..200
// characters, notificationEmail a single plain address (no display name, no
// angle brackets or comments), locale empty or a language tag such as "en" or
// "sv-SE". It returns nil or an Invalid error with fields "name",
// "notificationEmail" and "locale".
func ValidateBusiness(in BusinessInput) error {
	var p problems
	p.add("name", checkText(in.Name, 1, maxName))
	p.add("notificationEmail", checkEmail(in.NotificationEmail))
	p.add("locale", checkLocale(in.Locale))
	if len(in.Domains) > MaxBusinessDomains {
		p.add("domains", fmt.Sprintf("must name at most %d domains", MaxBusinessDomains))
	}
	for i, d := range in.Domains {
		p.add(fmt.Sprintf("domains[%d]", i), checkDomain(d))
	}
	return p.err()
}

// checkDomain returns what is wrong with d as a host name such as
// "shop.example" (lower-case letters, digits and hyphens in labels of 1 to
// 63 characters, at least two labels, at most 253 characters), or "".
func checkDomain(d string) string {
	const msg = "must be a host name such as shop.example"
	if len(d) == 0 || len(d) > 253 || d != strings.ToLower(d) {
		return msg
	}
	labels := strings.Split(d, ".")
	if len(labels) < 2 {
		return msg
	}
	for _, l := range labels {
		if len(l) == 0 || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return msg
		}
		for _, r := range l {
			if (r < 'a' || r > 'z') && (r < '0' || r > '9') && r != '-' {
				return msg
			}
		}
	}
	return ""
}

// NormalizeLocale maps any locale to one Candor writes in: "en", "sv" or "de",
// by its primary language subtag ("sv-SE" → "sv", "de_AT" → "de"); anything
// else, including "", falls back to "en".
func NormalizeLocale(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexAny(s, "-_"); i >= 0 {
		s = s[:i]
	}
	switch strings.ToLower(s) {
	case LocaleSV:
		return LocaleSV
	case LocaleDE:
		return LocaleDE
	}
	return LocaleEN
}

// ValidID reports whether s is acceptable as an id the platform chooses
// (business, review): 1 to 64 characters of A-Z, a-z, 0-9, '_' and '-'.
func ValidID(s string) bool {
	if len(s) < 1 || len(s) > maxID {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// ReviewInput is what the platform sends to create a review or record the
// reviewer's edit.
type ReviewInput struct {
	BusinessID     string
	Reviewer       Reviewer
	Stars          int
	Title          string
	Text           string
	Source         Source
	ExperienceDate string // YYYY-MM-DD
	Version        int    // 0 = not given
}

// ValidateReviewInput checks a review as the platform sends it: businessId a
// ValidID, reviewer.email a plain address, reviewer.name 1..200 characters,
// reviewer.locale empty or a language tag, reviewer.timeZone empty or an
// IANA time zone name (checkTimeZone), stars 1..5, title 0..200
// characters, text 1..10000 characters, source known, experienceDate a real
// YYYY-MM-DD date that has begun somewhere on Earth at now (it may be one day
// ahead of UTC, for reviewers east of Greenwich after midnight), version >= 0.
// It returns nil or one Invalid error naming every offending field. Messages
// never repeat the input, so they carry no personal data.
func ValidateReviewInput(in ReviewInput, now time.Time) error {
	var p problems
	validateReviewInput(&p, in, now)
	return p.err()
}

func validateReviewInput(p *problems, in ReviewInput, now time.Time) {
	if !ValidID(in.BusinessID) {
		p.add("businessId", "must be 1 to 64 characters of A-Z, a-z, 0-9, _ and -")
	}
	p.add("reviewer.email", checkEmail(in.Reviewer.Email))
	p.add("reviewer.name", checkText(in.Reviewer.Name, 1, maxName))
	p.add("reviewer.locale", checkLocale(in.Reviewer.Locale))
	p.add("reviewer.timeZone", checkTimeZone(in.Reviewer.TimeZone))
	if in.Stars < minStars || in.Stars > maxStars {
		p.add("stars", fmt.Sprintf("must be between %d and %d", minStars, maxStars))
	}
	p.add("title", checkText(in.Title, 0, maxTitle))
	p.add("text", checkText(in.Text, 1, maxText))
	if !in.Source.Valid() {
		p.add("source", "must be one of organic, invited_platform, invited_other")
	}
	p.add("experienceDate", checkExperienceDate(in.ExperienceDate, now))
	if in.Version < 0 {
		p.add("version", "must not be negative")
	}
}

// checkEmail returns what is wrong with s as a single plain email address
// ("name@example.com": no display name, angle brackets, comments or
// surrounding spaces), or "".
func checkEmail(s string) string {
	const msg = "must be a single plain email address such as name@example.com"
	if s == "" {
		return "is required"
	}
	if len(s) > maxEmail {
		return fmt.Sprintf("must be at most %d characters", maxEmail)
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Name != "" || a.Address != s {
		return msg
	}
	at := strings.LastIndexByte(s, '@')
	domain := s[at+1:]
	if !strings.Contains(domain, ".") || strings.HasPrefix(domain, ".") || strings.HasSuffix(domain, ".") || strings.HasPrefix(domain, "[") {
		return msg
	}
	return ""
}

// checkLocale returns what is wrong with an optional locale, or "". A locale
// is a BCP 47-like tag: a primary language subtag of 2 or 3 letters followed
// by subtags of 1 to 8 letters or digits, separated by '-' or '_'.
func checkLocale(s string) string {
	if s == "" {
		return ""
	}
	const msg = "must be a language tag such as en or sv-SE"
	if len(s) > maxLocale {
		return msg
	}
	for i, sub := range strings.Split(strings.ReplaceAll(s, "_", "-"), "-") {
		if i == 0 {
			if len(sub) < 2 || len(sub) > 3 || !allASCII(sub, false) {
				return msg
			}
			continue
		}
		if len(sub) < 1 || len(sub) > 8 || !allASCII(sub, true) {
			return msg
		}
	}
	return ""
}

// checkTimeZone returns what is wrong with an optional time zone, or "": it
// must be an IANA zone name of the Go toolchain's zone database
// ("Europe/Berlin", "UTC"; zones.go lists them, so that no function embeds
// the database to check a name), never "Local", a path or a name with
// spaces — the rule of i18n.ValidZone, which the tests hold this one to.
func checkTimeZone(s string) string {
	if s == "" {
		return ""
	}
	const msg = "must be an IANA time zone name such as Europe/Stockholm"
	if len(s) > maxTimeZone || s == "Local" || strings.ContainsAny(s, " \\") || strings.HasPrefix(s, "/") || strings.Contains(s, "..") {
		return msg
	}
	if _, found := slices.BinarySearch(zoneNames[:], s); !found && s != "UTC" {
		return msg
	}
	return ""
}

// allASCII reports whether s consists of ASCII letters (and digits, if digits).
func allASCII(s string, digits bool) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z':
		case digits && '0' <= c && c <= '9':
		default:
			return false
		}
	}
	return true
}

// checkExperienceDate returns what is wrong with an experience date, or "".
// The date must be a real calendar date written YYYY-MM-DD that has begun in
// the earliest time zone (UTC+14) at now, so that a reviewer whose local date
// is already a day ahead of UTC is not refused.
func checkExperienceDate(s string, now time.Time) string {
	if s == "" {
		return "is required (YYYY-MM-DD)"
	}
	d, err := time.Parse(time.DateOnly, s)
	if err != nil || len(s) != len(time.DateOnly) {
		return "must be a real date written YYYY-MM-DD"
	}
	// The date begins in the earliest time zone latestZoneOffset before d 00:00 UTC.
	if d.Add(-latestZoneOffset).After(now) {
		return "must not be in the future"
	}
	return ""
}

// ApplyReview decides what a platform PUT of review id does, given the stored
// review (nil if there is none) and the time now. It validates in as
// ValidateReviewInput does and returns every input problem at once as one
// Invalid error.
//
//   - existing == nil: creates version 1 (in.Version must be 0 or 1, id a
//     ValidID), published, with both timestamps at now, and returns it with
//     its first version snapshot (By VersionByPlatform) and changed = true.
//   - existing != nil: businessId and source are immutable (Invalid on that
//     field). When the content (stars, title, text, experienceDate) and the
//     reviewer are unchanged and in.Version is 0 or existing.Version, nothing
//     changes: it returns *existing, a zero snapshot and changed = false.
//     When only the reviewer changed (email, name, locale) and in.Version is 0
//     or existing.Version, the reviewer is updated without a new version
//     (changed = true, zero snapshot). Otherwise this is the reviewer's edit:
//     the new version is existing.Version+1, and a given in.Version must equal
//     it, else a KindConflict version_conflict; the snapshot is By
//     VersionByReviewer. An explicit in.Version of existing.Version+1 makes a
//     new version even when the content is unchanged, so that Candor's
//     version numbers never fall behind the platform's.
//
// Moderation state (visibility, open report, last reported version, open
// request, public statement) is always carried over unchanged.
func ApplyReview(existing *Review, id string, in ReviewInput, now time.Time) (Review, ReviewVersion, bool, error) {
	now = now.UTC()
	var p problems
	validateReviewInput(&p, in, now)

	if existing == nil {
		if !ValidID(id) {
			p.add("reviewId", "must be 1 to 64 characters of A-Z, a-z, 0-9, _ and -")
		}
		if in.Version != 0 && in.Version != 1 {
			p.add("version", "must be 1 (or omitted) for a new review")
		}
		if err := p.err(); err != nil {
			return Review{}, ReviewVersion{}, false, err
		}
		r := Review{
			ID:             id,
			BusinessID:     in.BusinessID,
			Version:        1,
			Reviewer:       in.Reviewer,
			Stars:          in.Stars,
			Title:          in.Title,
			Text:           in.Text,
			Source:         in.Source,
			ExperienceDate: in.ExperienceDate,
			Visibility:     Published,
			CreatedAt:      now,
			UpdatedAt:      now,
		}
		return r, snapshot(r, VersionByPlatform, now), true, nil
	}

	if in.BusinessID != existing.BusinessID {
		p.add("businessId", "is immutable: a review cannot move to another business")
	}
	if in.Source != existing.Source {
		p.add("source", "is immutable: a review's source cannot change")
	}
	if err := p.err(); err != nil {
		return Review{}, ReviewVersion{}, false, err
	}

	sameContent := in.Stars == existing.Stars && in.Title == existing.Title &&
		in.Text == existing.Text && in.ExperienceDate == existing.ExperienceDate
	sameReviewer := in.Reviewer == existing.Reviewer
	if sameContent && (in.Version == 0 || in.Version == existing.Version) {
		if sameReviewer {
			return *existing, ReviewVersion{}, false, nil
		}
		r := *existing
		r.Reviewer = in.Reviewer
		r.UpdatedAt = now
		return r, ReviewVersion{}, true, nil
	}

	next := existing.Version + 1
	if in.Version != 0 && in.Version != next {
		return Review{}, ReviewVersion{}, false, Conflict(CodeVersionConflict,
			fmt.Sprintf("the review is at version %d: an edit must be version %d", existing.Version, next))
	}
	r := *existing
	r.Version = next
	r.Reviewer = in.Reviewer
	r.Stars = in.Stars
	r.Title = in.Title
	r.Text = in.Text
	r.ExperienceDate = in.ExperienceDate
	r.UpdatedAt = now
	return r, snapshot(r, VersionByReviewer, now), true, nil
}

// snapshot returns the version record of r's current content.
func snapshot(r Review, by string, at time.Time) ReviewVersion {
	return ReviewVersion{
		Version:        r.Version,
		Stars:          r.Stars,
		Title:          r.Title,
		Text:           r.Text,
		ExperienceDate: r.ExperienceDate,
		At:             at,
		By:             by,
	}
}
