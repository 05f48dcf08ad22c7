package i18n

import (
	"strings"
	"sync"
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

// zones caches Zone's locations: loading one parses the embedded zone
// database, which costs more than writing a page or an email.
var zones sync.Map // zone name, or "\x00" + locale for a locale's usual zone → *time.Location

// Zone returns the location a reader of locale sees times in: name when it
// is a valid zone, otherwise DefaultZone(locale). Locations are loaded once
// per valid name and locale (a name that is not a zone is not cached, so
// the cache holds at most the zone database's names).
func Zone(name, locale string) *time.Location {
	key := name
	if name == "" {
		key = "\x00" + moderation.NormalizeLocale(locale)
	}
	if loc, ok := zones.Load(key); ok {
		return loc.(*time.Location)
	}
	loc := loadZone(name, locale)
	if name == "" || loc.String() == name {
		zones.Store(key, loc)
	}
	return loc
}

// loadZone is Zone without the cache.
func loadZone(name, locale string) *time.Location {
	if !ValidZone(name) {
		name = DefaultZone(locale)
	}
	loc, err := time.LoadLocation(name)
	if err != nil { // the defaults are in the embedded database
		return time.UTC
	}
	return loc
}
