package console

import (
	"reflect"
	"testing"
)

func TestHighlight(t *testing.T) {
	m := func(s string) segment { return segment{Text: s, Mark: true} }
	p := func(s string) segment { return segment{Text: s} }
	tests := []struct {
		name, text string
		excerpts   []string
		want       []segment
	}{
		{"no excerpt", "The beans were stale.", nil, []segment{p("The beans were stale.")}},
		{"one excerpt", "The owner is a crook.", []string{"a crook"}, []segment{p("The owner is "), m("a crook"), p(".")}},
		{"every place it occurs", "bad, bad, bad", []string{"bad"}, []segment{m("bad"), p(", "), m("bad"), p(", "), m("bad")}},
		{"overlapping excerpts as one mark", "a total crook", []string{"a total", "total crook"}, []segment{m("a total crook")}},
		{"an excerpt not in this text", "Awful", []string{"a crook"}, []segment{p("Awful")}},
		{"case-sensitive, as the excerpt rule", "A crook", []string{"a crook"}, []segment{p("A crook")}},
		{"empty text", "", []string{"x"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Highlight(tt.text, tt.excerpts); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Highlight(%q, %q) = %+v, want %+v", tt.text, tt.excerpts, got, tt.want)
			}
		})
	}
}
