package reviewerpage

import (
	"net/http"
	"testing"
	"time"

	"github.com/candorhq/candor/shared/i18n/i18ntest"
	"github.com/candorhq/candor/shared/links"
)

func TestDatesAreWrittenTheLocalWayInUTC(t *testing.T) {
	stockholm := time.FixedZone("CET", 3600)
	cases := []struct {
		locale string
		at     time.Time
		want   string
	}{
		{"en", time.Date(2026, 1, 5, 7, 3, 59, 0, time.UTC), "5 January 2026, 07:03 UTC"},
		{"sv", time.Date(2026, 1, 5, 7, 3, 0, 0, time.UTC), "5 januari 2026 kl. 07:03 UTC"},
		{"de", time.Date(2026, 3, 5, 23, 0, 0, 0, time.UTC), "5. März 2026, 23:00 Uhr UTC"},
		// A time in another zone is shown in UTC, which may be another day.
		{"sv", time.Date(2026, 12, 1, 0, 30, 0, 0, stockholm), "30 november 2026 kl. 23:30 UTC"},
		{"de", time.Date(2026, 5, 31, 12, 0, 0, 0, time.UTC), "31. Mai 2026, 12:00 Uhr UTC"},
	}
	for _, tc := range cases {
		t.Run(tc.locale+"/"+tc.want, func(t *testing.T) {
			if got := catalogFor(tc.locale).Date(tc.at); got != tc.want {
				t.Errorf("date(%v) = %q, want %q", tc.at, got, tc.want)
			}
		})
	}
}

func TestNumbersAreGroupedTheLocalWay(t *testing.T) {
	cases := []struct {
		locale string
		n      int
		want   string
	}{
		{"en", 7, "7"},
		{"en", 200, "200"},
		{"en", 2000, "2,000"},
		{"en", 10001, "10,001"},
		{"en", 1234567, "1,234,567"},
		{"sv", 2000, "2\u00a0000"},
		{"sv", 10000, "10\u00a0000"},
		{"de", 2001, "2.001"},
		{"de", 999, "999"},
	}
	for _, tc := range cases {
		t.Run(tc.locale+"/"+tc.want, func(t *testing.T) {
			if got := catalogFor(tc.locale).number(tc.n); got != tc.want {
				t.Errorf("number(%d) = %q, want %q", tc.n, got, tc.want)
			}
		})
	}
}

func TestTextsInValuesAreNotPlaceholders(t *testing.T) {
	fb := newFake()
	v := openView(links.PurposeProof, "en")
	v.BusinessName = "{deadline} Ltd {{.Business}}"
	tok := fb.add(t, v)
	w := serve(testHandler(fb, nil), get("/r/"+tok))
	checkStatus(t, w, http.StatusOK)
	checkContains(t, w, "{deadline} Ltd {{.Business}} has reported your review", "Please send your proof by 15 March 2026, 09:30 GMT.")
}

func TestEveryLocaleHasEveryText(t *testing.T) {
	cats := map[string]any{}
	for locale, c := range catalogues.ByLocale() {
		cats[locale] = c
	}
	var optional []string
	for _, p := range allPurposes {
		if p != links.PurposeAppeal {
			optional = append(optional, "Purposes["+string(p)+"].Own")
		}
		if p != links.PurposeProof && p != links.PurposeAppeal {
			optional = append(optional, "Purposes["+string(p)+"].DeadlineNote")
		}
	}
	optional = append(optional,
		"Purposes[proof].MessageLabel", "Purposes[appeal].MessageLabel",
		"Purposes[edit].ReplyLabel", "Purposes[edit].ReplyHint")
	i18ntest.Check(t, cats, i18ntest.Options{Skip: []string{"Lang", "Thousands"}, Optional: optional,
		SameAsEnglish: []string{"Phone.Reasons[spam].Name"}})
	for _, c := range catalogues.ByLocale() {
		if len(c.Purposes) != len(allPurposes) {
			t.Errorf("%s: %d purposes, want the %d of reviewer links", c.Lang, len(c.Purposes), len(allPurposes))
		}
	}
}

func TestCatalogForFallsBackToEnglish(t *testing.T) {
	for in, want := range map[string]string{"sv": "sv", "SV-se": "sv", "de-CH": "de", "en-GB": "en", "fi": "en", "": "en", "  de ": "de"} {
		if got := catalogFor(in).Lang; got != want {
			t.Errorf("catalogFor(%q) = %s, want %s", in, got, want)
		}
	}
}
