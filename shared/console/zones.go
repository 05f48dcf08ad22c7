package console

import (
	"embed"
	"slices"
	"strings"
	"sync"
	"time"
)

// zoneFiles are the TZif files of the zones the console offers, copied
// from Go's lib/time/zoneinfo.zip (a slash in a name is an underscore in
// the file's). Lambda's image has no zoneinfo, and the whole embedded
// database (time/tzdata) would take the console function past its size
// target: the console carries these few zones, about 33 KB.
//
//go:embed zoneinfo
var zoneFiles embed.FS

// Zones are the time zones an agent can choose, in the select's order.
// UTC is the default; a zoneinfo claim naming another zone is used when it
// is one of these.
var Zones = []string{"UTC", "Europe/London", "Europe/Dublin", "Europe/Lisbon", "Europe/Paris", "Europe/Brussels", "Europe/Amsterdam",
	"Europe/Berlin", "Europe/Zurich", "Europe/Vienna", "Europe/Madrid", "Europe/Rome", "Europe/Copenhagen", "Europe/Oslo",
	"Europe/Stockholm", "Europe/Helsinki", "Europe/Warsaw", "Europe/Prague", "Europe/Budapest", "Europe/Bucharest", "Europe/Athens",
	"Europe/Istanbul", "Europe/Kyiv", "America/New_York", "America/Chicago", "America/Denver", "America/Phoenix", "America/Los_Angeles",
	"America/Toronto", "America/Mexico_City", "America/Sao_Paulo", "America/Argentina/Buenos_Aires", "Africa/Johannesburg",
	"Africa/Lagos", "Asia/Dubai", "Asia/Kolkata", "Asia/Singapore", "Asia/Shanghai", "Asia/Tokyo", "Australia/Sydney", "Pacific/Auckland"}

// KnownZone reports whether name is one of Zones.
func KnownZone(name string) bool { return slices.Contains(Zones, name) }

var locations = sync.OnceValue(func() map[string]*time.Location {
	m := map[string]*time.Location{"UTC": time.UTC}
	for _, z := range Zones[1:] {
		data, err := zoneFiles.ReadFile("zoneinfo/" + strings.ReplaceAll(z, "/", "_"))
		if err != nil {
			continue // a test fails on it: every zone must load
		}
		if loc, err := time.LoadLocationFromTZData(z, data); err == nil {
			m[z] = loc
		}
	}
	return m
})

// Location is the zone's location; UTC for a zone the console does not offer.
func Location(name string) *time.Location {
	if loc, ok := locations()[name]; ok {
		return loc
	}
	return time.UTC
}
