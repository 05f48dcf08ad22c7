package mail

import (
	"context"
	"strings"
	"unicode/utf8"
)

// writeText returns the plain-text part of d, which is not HTML and is
// written as it is, without escaping. Blocks are separated by blank lines;
// someone else's text is quoted with "> "; a link is its label and, on the
// next line, the URL, so that phones make it tappable.
func writeText(d *document) string {
	var b strings.Builder
	b.Grow(2048)
	b.WriteString(d.Greeting)
	b.WriteByte('\n')
	for i := range d.Blocks {
		b.WriteByte('\n')
		textBlock(&b, &d.Blocks[i])
	}
	b.WriteByte('\n')
	for _, l := range d.Signoff {
		b.WriteString(l)
		b.WriteByte('\n')
	}
	b.WriteString("\n-- \n")
	b.WriteString(d.Footer)
	b.WriteByte('\n')
	return b.String()
}

// textBlock writes one block of the plain-text part, ending with a newline.
func textBlock(b *strings.Builder, k *block) {
	switch k.Kind {
	case blockPara:
		b.WriteString(k.Text)
		b.WriteByte('\n')
	case blockHeading:
		b.WriteString(k.Text)
		b.WriteByte('\n')
		b.WriteString(strings.Repeat("-", utf8.RuneCountInString(k.Text)))
		b.WriteByte('\n')
	case blockQuote:
		for _, l := range k.Lines {
			if l == "" {
				b.WriteString(">\n")
				continue
			}
			b.WriteString("> ")
			b.WriteString(l)
			b.WriteByte('\n')
		}
	case blockList:
		for _, it := range k.Items {
			b.WriteString("- ")
			b.WriteString(it.Name)
			b.WriteString(": ")
			b.WriteString(it.Detail)
			b.WriteByte('\n')
		}
	case blockButton:
		b.WriteString(k.Text)
		b.WriteString(":\n")
		b.WriteString(k.URL)
		b.WriteByte('\n')
	case blockLink:
		b.WriteString(k.Text)
		b.WriteString("\n\n")
		b.WriteString(k.LinkText)
		b.WriteString(":\n")
		b.WriteString(k.URL)
		b.WriteByte('\n')
	}
}

// writeHTML returns the HTML part of d, written by the templ component
// emailHTML (layout.templ).
func writeHTML(d *document) (string, error) {
	var b strings.Builder
	b.Grow(4096)
	if err := emailHTML(d).Render(context.Background(), &b); err != nil {
		return "", err
	}
	return b.String(), nil
}
