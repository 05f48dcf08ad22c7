package textdiff

import (
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestWords(t *testing.T) {
	eq := func(s string) Chunk { return Chunk{Equal, s} }
	del := func(s string) Chunk { return Chunk{Delete, s} }
	ins := func(s string) Chunk { return Chunk{Insert, s} }
	for _, tc := range []struct {
		name, old, new string
		want           []Chunk
	}{
		{"both empty", "", "", nil},
		{"same", "the food was cold", "the food was cold", []Chunk{eq("the food was cold")}},
		{"all new", "", "great stay", []Chunk{ins("great stay")}},
		{"all gone", "great stay", "", []Chunk{del("great stay")}},
		{"one word changed", "the food was cold", "the food was warm",
			[]Chunk{eq("the food was"), del(" cold"), ins(" warm")}},
		{"a word taken out", "the staff were very rude to us", "the staff were rude to us",
			[]Chunk{eq("the staff were"), del(" very"), eq(" rude to us")}},
		{"a sentence added", "Nice room.", "Nice room. The bar closed early.",
			[]Chunk{eq("Nice room."), ins(" The bar closed early.")}},
		{"whole words, not letters", "cat", "cart", []Chunk{del("cat"), ins("cart")}},
		{"line breaks kept", "one\ntwo", "one\n\ntwo",
			[]Chunk{eq("one"), del("\ntwo"), ins("\n\ntwo")}},
		{"changes in two places", "a b c d e", "a x c d y",
			[]Chunk{eq("a"), del(" b"), ins(" x"), eq(" c d"), del(" e"), ins(" y")}},
		{"rewritten", "bad service", "lovely people", []Chunk{del("bad service"), ins("lovely people")}},
		{"a rewritten sentence is one change", "The owner is a crook and the beans were stale.", "The beans were stale, but they refunded me.",
			[]Chunk{eq("The"), del(" owner is a crook and the beans were stale."), ins(" beans were stale, but they refunded me.")}},
		{"a word in common inside a rewrite is folded into it", "They never came. The owner is a fraud and should be in jail.", "They never came. I asked for a refund twice.",
			[]Chunk{eq("They never came."), del(" The owner is a fraud and should be in jail."), ins(" I asked for a refund twice.")}},
		{"a longer stretch in common stays", "a b c d e", "a x c d e f y",
			[]Chunk{eq("a"), del(" b"), ins(" x"), eq(" c d e"), ins(" f y")}},
		{"unicode words", "très bien 👍", "très mal 👍",
			[]Chunk{eq("très"), del(" bien"), ins(" mal"), eq(" 👍")}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := Words(tc.old, tc.new)
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Words(%q, %q) = %+v, want %+v", tc.old, tc.new, got, tc.want)
			}
			check(t, tc.old, tc.new, got)
		})
	}
}

// Past MaxCells the middle is replaced whole, and the texts still come back.
func TestWordsLargeMiddle(t *testing.T) {
	a := strings.Repeat("a ", 2100) + "end"
	b := strings.Repeat("b ", 2100) + "end"
	got := Words(a, b)
	want := []Chunk{{Delete, strings.TrimSpace(strings.Repeat("a ", 2100))}, {Insert, strings.TrimSpace(strings.Repeat("b ", 2100))}, {Equal, " end"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Words of two different long texts = %d chunks, want the middle deleted and inserted whole", len(got))
	}
	check(t, a, b, got)
}

// check asserts what Words promises of any two texts.
func check(t *testing.T, old, new string, got []Chunk) {
	t.Helper()
	var o, n strings.Builder
	for i, c := range got {
		if c.Text == "" {
			t.Fatalf("chunk %d is empty: %+v", i, got)
		}
		if i > 0 && got[i-1].Op == c.Op {
			t.Fatalf("chunks %d and %d have the same op: %+v", i-1, i, got)
		}
		if i > 0 && got[i-1].Op == Insert && c.Op == Delete {
			t.Fatalf("chunk %d: an insertion before a deletion: %+v", i, got)
		}
		if c.Op != Insert {
			o.WriteString(c.Text)
		}
		if c.Op != Delete {
			n.WriteString(c.Text)
		}
	}
	if o.String() != old {
		t.Fatalf("the old side joined = %q, want %q", o.String(), old)
	}
	if n.String() != new {
		t.Fatalf("the new side joined = %q, want %q", n.String(), new)
	}
}

func FuzzWords(f *testing.F) {
	f.Add("the food was cold", "the food was warm")
	f.Add("", "x")
	f.Add("a  b\n\tc", "a b c d")
	f.Add("très bien", "très\u00a0bien")
	f.Fuzz(func(t *testing.T, old, new string) {
		if !utf8.ValidString(old) || !utf8.ValidString(new) {
			t.Skip()
		}
		got := Words(old, new)
		check(t, old, new, got)
		if old == new && len(got) > 1 {
			t.Fatalf("Words of the same text = %+v, want one equal chunk", got)
		}
	})
}

func BenchmarkWordsReview(b *testing.B) {
	old := strings.Repeat("The room was clean but the breakfast was cold and the staff did not care. ", 130)
	new := strings.Replace(old, "cold", "late", 40)
	b.ReportAllocs()
	for b.Loop() {
		Words(old, new)
	}
}
