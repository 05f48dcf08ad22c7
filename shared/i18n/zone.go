package i18n

import (
	"strings"
	"time"
	// Lambda's provided.al2023 image has no zoneinfo: embed it, so every
	// IANA zone name loads the same in AWS and on a laptop.
	_ "time/tzdata"

	"github.com/candorhq/candor/shared/moderation"
)

// DefaultZone is the usual time zone of a locale's readers, used when the
// platform does not know a reviewer's zone: Europe/Stockholm for sv,
// Europe/Berlin for de, Europe/London for en and every other locale.
func DefaultZone(locale string) string {
	switch moderation.NormalizeLocale(locale) {
	case moderation.LocaleSV:
		return "Europe/Stockholm"
	case moderation.LocaleDE:
		return "Europe/Berlin"
	}
	return "Europe/London"
}

// ValidZone reports whether name is an IANA time zone name this build knows
// ("Europe/Stockholm", "UTC"). "Local" and the empty name are not valid: a
// zone is a reader's, never the server's.
func ValidZone(name string) bool {
	if name == "" || name == "Local" || strings.ContainsAny(name, " \\") || strings.HasPrefix(name, "/") {
		return false
	}
	_, err := time.LoadLocation(name)
	return err == nil
}

// Zone returns the location a reader of locale sees times in: name when it
// is a valid zone, otherwise DefaultZone(locale).
func Zone(name, locale string) *time.Location {
	if !ValidZone(name) {
		name = DefaultZone(locale)
	}
	loc, err := time.LoadLocation(name)
	if err != nil { // the defaults are in the embedded database
		return time.UTC
	}
	return loc
}
