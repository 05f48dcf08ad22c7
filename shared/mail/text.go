package mail

import (
	"time"

	"github.com/candorhq/candor/shared/i18n"
	"github.com/candorhq/candor/shared/links"
)

// defang rewrites every web address in s that is not one an email may carry
// (under the base URL, or a page of the business portal) so that no mail
// client makes a link of it, keeping it readable: links.Defang, the
// detector every path that shows someone else's text shares.
func defang(l Links, s string) string {
	return links.Defang(s, l.owns)
}

// zoned is an instant as the catalogues write a date: the parts of its
// wall clock in the reader's zone and in UTC, the zone's abbreviation,
// whether both fall on the same calendar day, and whether the reader's zone
// is UTC itself (then there is nothing to add).
type zoned struct {
	Local, UTC i18n.When
	Zone       string // "CET", "BST", "UTC+03" for a zone without letters
	SameDay    bool
	IsUTC      bool
}

// zonedAt returns the parts of the instant that local (in the reader's
// zone) and utc (in UTC) both are, in locale.
func zonedAt(locale string, local, utc time.Time) zoned {
	zone := local.Format("MST")
	if zone != "" && (zone[0] == '+' || zone[0] == '-') {
		zone = "UTC" + zone
	}
	_, offset := local.Zone()
	ly, lm, ld := local.Date()
	uy, um, ud := utc.UTC().Date()
	return zoned{
		Local:   i18n.At(locale, wall(local)),
		UTC:     i18n.At(locale, utc),
		Zone:    zone,
		SameDay: ly == uy && lm == um && ld == ud,
		IsUTC:   offset == 0 && zone == "UTC",
	}
}

// wall returns t's wall clock in its own location as the same wall clock
// in UTC: i18n.At writes times in UTC, and a reader's date is their wall
// clock.
func wall(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), 0, time.UTC)
}
