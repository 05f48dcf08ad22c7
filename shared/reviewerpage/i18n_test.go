package reviewerpage

import (
	"reflect"
	"regexp"
	"slices"
	"testing"
	"time"

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
			if got := catalogFor(tc.locale).date(tc.at); got != tc.want {
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

func TestFillDoesNotExpandPlaceholdersInValues(t *testing.T) {
	got := fill("{business} answers by {deadline}", "{business}", "{deadline} Ltd", "{deadline}", "Friday")
	if want := "{deadline} Ltd answers by Friday"; got != want {
		t.Errorf("fill = %q, want %q", got, want)
	}
}

// placeholders each text of a catalog may use, by field name.
var allowedPlaceholders = map[string][]string{
	"dateFormat": {"{day}", "{month}", "{year}", "{time}"},
	"heading":    {"{business}"}, "intro": {"{business}"}, "messageLabel": {"{business}"}, "replyLabel": {"{business}"},
	"replyHint": {"{max}"}, "deadline": {"{deadline}"}, "notes": {"{business}", "{deadline}"}, "thanks": {"{business}"},
	"starsOf": {"{n}"}, "titleHint": {"{max}"}, "textHint": {"{max}"}, "starMany": {"{n}"},
	"errTooLong": {"{n}", "{max}"}, "errTooShort": {"{n}", "{min}"}, "expired": {"{deadline}"},
}

// optionalTexts may be empty: what a purpose does not show, and "own" for a
// purpose that uses the catalog's generic answer texts.
var optionalTexts = map[links.Purpose][]string{
	links.PurposeFindReviewerReply: {"own"},
	links.PurposeProof:             {"messageLabel", "own"},
	links.PurposeEvidence:          {"own"},
	links.PurposeEdit:              {"replyLabel", "replyHint", "own"},
	links.PurposeAppeal:            {"messageLabel"},
}

var placeholderRe = regexp.MustCompile(`\{[a-z]+\}`)

// catalogTexts calls f for every text of c with its field name and purpose
// ("" outside the purposes). A missing purpose, a purpose that is not one of
// allPurposes, and a nil pointer are reported as an empty text.
func catalogTexts(c *catalog, f func(purpose links.Purpose, field, text string)) {
	var walk func(purpose links.Purpose, name string, v reflect.Value)
	walk = func(purpose links.Purpose, name string, v reflect.Value) {
		switch v.Kind() {
		case reflect.String:
			f(purpose, name, v.String())
		case reflect.Slice, reflect.Array:
			if v.Len() == 0 {
				f(purpose, name, "")
			}
			for i := range v.Len() {
				walk(purpose, name, v.Index(i))
			}
		case reflect.Pointer:
			if v.IsNil() {
				f(purpose, name, "")
				return
			}
			walk(purpose, name, v.Elem())
		case reflect.Struct:
			for i := range v.NumField() {
				walk(purpose, v.Type().Field(i).Name, v.Field(i))
			}
		case reflect.Map:
			for _, k := range v.MapKeys() {
				if p := links.Purpose(k.String()); !slices.Contains(allPurposes, p) {
					f(p, "(unknown purpose)", "")
				}
			}
			for _, p := range allPurposes {
				pv := v.MapIndex(reflect.ValueOf(p))
				if !pv.IsValid() {
					f(p, "(missing purpose)", "")
					continue
				}
				walk(p, name, pv)
			}
		}
	}
	walk("", "", reflect.ValueOf(c).Elem())
}

func TestEveryLocaleHasEveryText(t *testing.T) {
	english := map[string]bool{}
	catalogTexts(&catalogEN, func(_ links.Purpose, _, text string) { english[text] = true })
	for _, c := range []*catalog{&catalogEN, &catalogSV, &catalogDE} {
		t.Run(c.lang, func(t *testing.T) {
			catalogTexts(c, func(purpose links.Purpose, field, text string) {
				if text == "" {
					for _, opt := range optionalTexts[purpose] {
						if opt == field {
							return
						}
					}
					t.Errorf("%s %s: empty", purpose, field)
					return
				}
				for _, ph := range placeholderRe.FindAllString(text, -1) {
					ok := false
					for _, allowed := range allowedPlaceholders[field] {
						ok = ok || ph == allowed
					}
					if !ok {
						t.Errorf("%s %s: placeholder %s is never filled in %q", purpose, field, ph, text)
					}
				}
				// Translated texts are not the English ones (some month names are).
				if c != &catalogEN && english[text] && field != "months" {
					t.Errorf("%s %s: %q is the English text", purpose, field, text)
				}
			})
		})
	}
}

func TestCatalogForFallsBackToEnglish(t *testing.T) {
	for in, want := range map[string]string{"sv": "sv", "SV-se": "sv", "de-CH": "de", "en-GB": "en", "fi": "en", "": "en", "  de ": "de"} {
		if got := catalogFor(in).lang; got != want {
			t.Errorf("catalogFor(%q) = %s, want %s", in, got, want)
		}
	}
}
