package ses

import (
	"slices"
	"testing"
)

func TestExtractLinks(t *testing.T) {
	cases := []struct {
		name, text, html string
		want             []string
	}{
		{name: "none", text: "Hej!", html: "<p>Hej</p>", want: []string{}},
		{name: "sentence punctuation is not part of a link",
			text: "Go to https://candor.example/r/a. Or https://candor.example/r/b, or https://candor.example/r/c!",
			want: []string{"https://candor.example/r/a", "https://candor.example/r/b", "https://candor.example/r/c"}},
		{name: "brackets: unbalanced closers dropped, balanced kept",
			text: "(see https://candor.example/r/a) and https://en.example/wiki/Go_(language) [https://candor.example/r/b]",
			want: []string{"https://candor.example/r/a", "https://en.example/wiki/Go_(language)", "https://candor.example/r/b"}},
		{name: "angle brackets and quotes end a link",
			text: "<https://candor.example/r/a> \"https://candor.example/r/b\"",
			want: []string{"https://candor.example/r/a", "https://candor.example/r/b"}},
		{name: "HTML entities decoded",
			html: `<a href="https://candor.example/r/t?lang=de&amp;x=1">x</a><a href='https:&#x2F;&#x2F;candor.example&#x2F;r&#x2F;u'>y</a>`,
			want: []string{"https://candor.example/r/t?lang=de&x=1", "https://candor.example/r/u"}},
		{name: "text first, then HTML, deduplicated",
			text: "https://candor.example/r/b https://candor.example/r/a",
			html: `<a href="https://candor.example/r/a">a</a> <a href="https://candor.example/r/c">c</a> https://candor.example/r/b`,
			want: []string{"https://candor.example/r/b", "https://candor.example/r/a", "https://candor.example/r/c"}},
		{name: "only http and https, any case",
			text: "mailto:a@x.example javascript:alert(1) ftp://x.example/f HTTPS://CANDOR.example/R http://localhost:3000/r/t",
			want: []string{"HTTPS://CANDOR.example/R", "http://localhost:3000/r/t"}},
		{name: "a scheme without a host is no link", text: "https:// and http://", want: []string{}},
		{name: "non-ASCII paths kept", text: "https://candor.example/sök?q=Grüße", want: []string{"https://candor.example/sök?q=Grüße"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := extractLinks(tc.text, tc.html); !slices.Equal(got, tc.want) || got == nil {
				t.Errorf("extractLinks() = %#v, want %#v", got, tc.want)
			}
		})
	}
}
