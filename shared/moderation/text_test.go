package moderation

import (
	"strings"
	"testing"
)

func TestCheckTextRefusesWhatDoesNotShow(t *testing.T) {
	const ok = "Order 4711 never arrived."
	tests := []struct {
		name string
		in   string
		want TextFault
		rune rune
	}{
		{"plain text", ok, TextOK, 0},
		{"line breaks and tabs", "First line\r\nsecond\tline", TextOK, 0},
		{"emoji with zero-width joiner", "Family trip 👨\u200d👩\u200d👧 was fine", TextOK, 0},
		{"zero-width non-joiner in Persian", "می\u200cخواهم", TextOK, 0},
		{"combining accents", "Cafe\u0301 au lait", TextOK, 0},
		{"CJK", "配送が遅れました", TextOK, 0},
		{"digits only", "4711", TextOK, 0},

		{"invalid UTF-8", "Order \xff", TextEncoding, 0},
		{"NUL", "Order\x00", TextControl, 0},
		{"escape", "\x1b[31mred", TextControl, 0x1b},
		{"DEL", "Order\x7f", TextControl, 0x7f},
		{"C1 next line", "Order\u0085", TextControl, 0x85},
		{"vertical tab", "Order\vthen", TextControl, '\v'},
		{"right-to-left override", "Order \u202Ereversed", TextInvisible, 0x202E},
		{"left-to-right embedding", "\u202AOrder", TextInvisible, 0x202A},
		{"pop directional formatting", "Order\u202C", TextInvisible, 0x202C},
		{"first strong isolate", "Order \u2068x", TextInvisible, 0x2068},
		{"pop directional isolate", "Order \u2069", TextInvisible, 0x2069},
		{"right-to-left mark", "Order\u200F", TextInvisible, 0x200F},
		{"zero-width space", "Ord\u200Ber", TextInvisible, 0x200B},
		{"word joiner", "Ord\u2060er", TextInvisible, 0x2060},
		{"byte-order mark", "\uFEFFOrder", TextInvisible, 0xFEFF},
		{"soft hyphen", "Or\u00ADder", TextInvisible, 0xAD},
		{"tag character", "Order\U000E0041", TextInvisible, 0xE0041},
		{"Mongolian vowel separator", "Order\u180E", TextInvisible, 0x180E},
		{"private use", "Order \uE000", TextUnassigned, 0xE000},
		{"non-character", "Order \uFFFE", TextUnassigned, 0xFFFE},
		{"zalgo", "x" + strings.Repeat("\u0300", MaxCombiningRun+1) + "rder", TextStacked, 0},

		{"empty", "", TextRequired, 0},
		{"spaces only", " \n\t ", TextRequired, 0},
		{"braille blanks only", "\u2800\u2800\u2800", TextRequired, 0},
		{"Hangul fillers only", "\u3164\u3164\u115F\u1160\uFFA0", TextRequired, 0},
		{"no-break spaces only", "\u00A0\u2003\u3000", TextRequired, 0},
		{"a lone combining mark", "\u0301", TextNoLetterOrDigit, 0},
		{"punctuation only", "!!! ??? ...", TextNoLetterOrDigit, 0},
		{"emoji only", "👍👍👍", TextNoLetterOrDigit, 0},
		{"blanks around a lone mark", "\u2800\u0301\u3164", TextNoLetterOrDigit, 0},
		{"20 bidi overrides", strings.Repeat("\u202E", 20), TextInvisible, 0x202E},
		{"20 zero-width spaces", strings.Repeat("\u200B", 20), TextInvisible, 0x200B},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := CheckText(tt.in, 1, 100)
			if got.Fault != tt.want {
				t.Fatalf("CheckText(%q) fault = %d (%s), want %d", tt.in, got.Fault, got.Message(), tt.want)
			}
			if tt.rune != 0 && got.Rune != tt.rune {
				t.Errorf("CheckText(%q) names %U, want %U", tt.in, got.Rune, tt.rune)
			}
			if (got.Message() == "") != (tt.want == TextOK) {
				t.Errorf("CheckText(%q) message %q for fault %d", tt.in, got.Message(), got.Fault)
			}
		})
	}
}

func TestVisibleLengthCountsWhatAReaderSees(t *testing.T) {
	tests := []struct {
		in   string
		want int
	}{
		{"abc", 3},
		{"  abc  ", 3},
		{"a b", 3},
		{"a    b", 3},
		{"a \n\t b", 3},
		{"a\u2800\u2800\u2800b", 3},
		{"a\u3164\u3164b", 3},
		{"e\u0301", 1},
		{"Cafe\u0301", 4},
		{"👨\u200d👩\u200d👧", 3},
		{"ü" + strings.Repeat("\u0308", 3), 1},
		{"配送", 2},
	}
	for _, tt := range tests {
		if got := VisibleLength(tt.in); got != tt.want {
			t.Errorf("VisibleLength(%q) = %d, want %d", tt.in, got, tt.want)
		}
	}
}

func TestCheckTextLimitsCountVisibleCharacters(t *testing.T) {
	padded := "a" + strings.Repeat(" ", 30) + "b" // 3 visible
	if got := CheckText(padded, 20, 100); got.Fault != TextTooShort || got.Length != 3 {
		t.Errorf("padding counted: %+v", got)
	}
	accents := strings.Repeat("e\u0301", 20) // 20 visible, 40 runes
	if got := CheckText(accents, 20, 20); !got.OK() {
		t.Errorf("20 accented letters refused at max 20: %s", got.Message())
	}
	if got := CheckText(strings.Repeat("x", 21), 1, 20); got.Fault != TextTooLong {
		t.Errorf("21 letters at max 20: %+v", got)
	}
	if got := CheckText("", 0, 20); !got.OK() {
		t.Errorf("empty optional text refused: %s", got.Message())
	}
	if got := CheckText("...", 0, 20); got.Fault != TextNoLetterOrDigit {
		t.Errorf("optional text without letters: %+v", got)
	}
}

func TestCleanTextIsWhatIsStored(t *testing.T) {
	tests := []struct{ in, want string }{
		{"  Cafe\u0301 \r\n", "Café"},
		{"a\r\nb\rc\u2028d\u2029e", "a\nb\nc\nd\ne"},
		{"\u2800\u3164 hi \u3164", "hi"},
		{"x\u202E", "x\u202E"}, // refused characters are never removed
		{"\x00x", "\x00x"},
	}
	for _, tt := range tests {
		if got := CleanText(tt.in); got != tt.want {
			t.Errorf("CleanText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	for _, s := range []string{"  Cafe\u0301 ", "a\r\nb", "ok"} {
		if c := CleanText(s); CleanText(c) != c {
			t.Errorf("CleanText is not idempotent on %q", s)
		}
	}
}

// FuzzCheckText asserts the rule's promises for any input: an accepted text
// is valid UTF-8, is stable under cleaning, has a letter or digit, holds no
// refused character, and its visible length is within the limits.
func FuzzCheckText(f *testing.F) {
	for _, s := range []string{"Order 4711", strings.Repeat("\u202E", 20), "\u0301", "e\u0301\u0301", "a\u2800b", "\r\n x \r\n", "👨\u200d👩"} {
		f.Add(s, 1, 50)
	}
	f.Fuzz(func(t *testing.T, s string, min, max int) {
		if min < 0 || max < min || max > 5000 {
			return
		}
		c := CheckText(s, min, max)
		if !c.OK() {
			if c.Message() == "" {
				t.Fatalf("fault %d without a message", c.Fault)
			}
			return
		}
		clean := CleanText(s)
		if CheckText(clean, min, max) != c {
			t.Fatalf("cleaning changed the verdict on %q", s)
		}
		if clean == "" {
			if min > 0 {
				t.Fatalf("accepted empty text with min %d", min)
			}
			return
		}
		if !fuzzText(clean) {
			t.Fatalf("accepted %q, which is not text by the rule", clean)
		}
		if n := fuzzLen(clean); n < min || n > max {
			t.Fatalf("accepted %q of %d visible characters for %d..%d", clean, n, min, max)
		}
	})
}
