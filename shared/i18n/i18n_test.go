package i18n

import (
	"strings"
	"testing"
	"time"

	"github.com/candorhq/candor/shared/moderation"
)

func TestCataloguesFallBackToEnglish(t *testing.T) {
	en, sv, de := "en", "sv", "de"
	c := Catalogues[string]{EN: &en, SV: &sv, DE: &de}
	for in, want := range map[string]string{
		"sv": "sv", "SV-se": "sv", "sv_FI": "sv", "de-CH": "de", " de ": "de",
		"en-GB": "en", "fi": "en", "": "en", "xx": "en",
	} {
		if got := *c.For(in); got != want {
			t.Errorf("For(%q) = %s, want %s", in, got, want)
		}
	}
	if got := c.ByLocale(); len(got) != len(Locales()) || *got["de"] != "de" {
		t.Errorf("ByLocale() = %v, want every locale", got)
	}
}

func TestAt(t *testing.T) {
	stockholm := time.FixedZone("CET", 3600)
	tests := []struct {
		locale string
		t      time.Time
		want   When
	}{
		{"en", time.Date(2026, 11, 27, 9, 5, 59, 0, time.UTC), When{"27", "November", "2026", "09:05"}},
		{"sv", time.Date(2026, 3, 2, 14, 5, 0, 0, time.UTC), When{"2", "mars", "2026", "14:05"}},
		{"de-AT", time.Date(2026, 3, 2, 14, 5, 0, 0, time.UTC), When{"2", "März", "2026", "14:05"}},
		// Shown in UTC, which may be another day and year.
		{"sv", time.Date(2027, 1, 1, 0, 30, 0, 0, stockholm), When{"31", "december", "2026", "23:30"}},
	}
	for _, tt := range tests {
		if got := At(tt.locale, tt.t); got != tt.want {
			t.Errorf("At(%q, %v) = %+v, want %+v", tt.locale, tt.t, got, tt.want)
		}
	}
}

func TestGroup(t *testing.T) {
	tests := []struct {
		n    int
		sep  string
		want string
	}{
		{7, ",", "7"}, {200, ",", "200"}, {2000, ",", "2,000"}, {10001, ",", "10,001"},
		{1234567, ",", "1,234,567"}, {2000, "\u00a0", "2\u00a0000"}, {2001, ".", "2.001"}, {-1234, ",", "-1234"},
	}
	for _, tt := range tests {
		if got := Group(tt.n, tt.sep); got != tt.want {
			t.Errorf("Group(%d, %q) = %q, want %q", tt.n, tt.sep, got, tt.want)
		}
	}
}

func TestDisplay(t *testing.T) {
	tests := []struct {
		name, in, want, line string
	}{
		{"accepted text is CleanText's", "  Hej\r\nda\u0308\u2028x  ", "Hej\ndä\nx", "Hej dä x"},
		{"tabs and emoji joiners kept", "a\tb 👩\u200d💻", "a\tb 👩\u200d💻", "a b 👩\u200d💻"},
		{"no letter is still shown", " !!! ", "!!!", "!!!"},
		{"control characters dropped", "a\x00b\x1bc\x7fd\u0085e", "abcde", "abcde"},
		{"bidi overrides dropped", "evil\u202egnp.exe\u2066x\u2069", "evilgnp.exex", "evilgnp.exex"},
		{"zero-width space dropped", "a\u200bb", "ab", "ab"},
		{"private use dropped", "a\ue000b", "ab", "ab"},
		{"invalid UTF-8 replaced", "a\xffb", "a\uFFFDb", "a\uFFFDb"},
		{"trimmed after dropping", "\u202e  hi \u200b", "hi", "hi"},
		{"line breaks normalised on the slow path", "a\r\nb\u202e\rc", "a\nb\nc", "a b c"},
		{"only refused characters", "\u202e\u200b", "", ""},
		// NFC makes "á" of the first mark; the rule counts the marks on it.
		{"zalgo capped", "a" + strings.Repeat("\u0301", 12) + "b", "\u00e1" + strings.Repeat("\u0301", moderation.MaxCombiningRun) + "b", "\u00e1" + strings.Repeat("\u0301", moderation.MaxCombiningRun) + "b"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Display(tt.in); got != tt.want {
				t.Errorf("Display(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if got := DisplayLine(tt.in); got != tt.line {
				t.Errorf("DisplayLine(%q) = %q, want %q", tt.in, got, tt.line)
			}
		})
	}
}

// FuzzDisplay checks Display's promises on any input: what it returns
// passes the text rule's character checks, Display of it is itself, and an
// accepted text is shown exactly as moderation.CleanText makes it.
func FuzzDisplay(f *testing.F) {
	for _, s := range []string{"", "plain", "a\x00b", "\xff\xfe", "\u202e\u2066x", "a" + strings.Repeat("\u0301", 20), "e\u0301\r\n\u2028", "\ue000\U000E0041", "\u3164 x \u2800", "👩\u200d💻\u200c"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d := Display(s)
		switch c := moderation.CheckText(d, 0, 1<<31-1); c.Fault {
		case moderation.TextOK, moderation.TextNoLetterOrDigit:
		default:
			t.Fatalf("Display(%q) = %q, which the text rule refuses: %s", s, d, c.Message())
		}
		if again := Display(d); again != d {
			t.Errorf("Display(Display(%q)) = %q, want %q", s, again, d)
		}
		if moderation.IsText(s) && d != moderation.CleanText(s) {
			t.Errorf("Display(%q) = %q, want CleanText's %q for an accepted text", s, d, moderation.CleanText(s))
		}
		if l := DisplayLine(s); strings.ContainsAny(l, "\n\t") || strings.Contains(l, "  ") {
			t.Errorf("DisplayLine(%q) = %q, want one line with single spaces", s, l)
		}
	})
}
