package moderation_test

import (
	"archive/zip"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/candorhq/candor/shared/i18n"
	"github.com/candorhq/candor/shared/moderation"
)

// TestTimeZoneRuleIsI18nsRule holds the domain's rule for a reviewer's time
// zone to i18n.ValidZone, the one the pages and emails read zones with: a
// zone the API accepts is one they show, and a zone they would not show is
// refused with 422.
func TestTimeZoneRuleIsI18nsRule(t *testing.T) {
	in := moderation.ReviewInput{BusinessID: "biz-1", Reviewer: moderation.Reviewer{Email: "a@example.org", Name: "A"},
		Stars: 3, Text: "Fine.", Source: moderation.SourceOrganic, ExperienceDate: "2026-01-01"}
	zones := []string{"Europe/Stockholm", "Europe/Berlin", "Pacific/Kiritimati", "Etc/GMT+5", "UTC",
		"Local", "CEST", "Mars/Olympus_Mons", "/etc/localtime", "Europe/../UTC", "Europe/Stock holm", `Europe\Berlin`}
	// And every name of the zone database the pages and emails load from.
	if zr, err := zip.OpenReader(filepath.Join(runtime.GOROOT(), "lib", "time", "zoneinfo.zip")); err == nil {
		for _, f := range zr.File {
			zones = append(zones, f.Name)
		}
		zr.Close()
	}
	for _, zone := range zones {
		in.Reviewer.TimeZone = zone
		accepted := moderation.ValidateReviewInput(in, time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)) == nil
		if accepted != i18n.ValidZone(zone) {
			t.Errorf("zone %q: the API accepts it %v, i18n.ValidZone says %v", zone, accepted, i18n.ValidZone(zone))
		}
	}
}
