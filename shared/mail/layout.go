package mail

import (
	"strings"
	"unicode/utf8"

	"github.com/candorhq/candor/shared/markup"
)

// writeText returns the plain-text part of d. Blocks are separated by blank
// lines; someone else's text is quoted with "> "; a link is its label and,
// on the next line, the URL, so that phones make it tappable.
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
	}
}

// writeHTML returns the HTML part of d: one column at most 560px wide,
// tables for the frame (mail clients' CSS support is uneven), inline styles
// only, no images, fonts or scripts, well-formed XHTML so that it parses
// strictly. Every value is escaped by markup for where it stands.
func writeHTML(d *document) string {
	var w markup.Builder
	w.Grow(4096)
	w.Markup(`<!DOCTYPE html>
<html lang="`)
	w.Text(d.Lang)
	w.Markup(`">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8" />
<meta name="viewport" content="width=device-width, initial-scale=1" />
<meta name="x-apple-disable-message-reformatting" />
<title>`)
	w.Text(d.Subject)
	w.Markup(`</title>
</head>
<body style="margin:0;padding:0;background-color:#f3f4f6;">
<table role="presentation" width="100%" cellspacing="0" cellpadding="0" border="0" style="background-color:#f3f4f6;">
<tr>
<td align="center" style="padding:24px 12px;">
<table role="presentation" width="100%" cellspacing="0" cellpadding="0" border="0" style="max-width:560px;background-color:#ffffff;border:1px solid #e5e7eb;border-radius:8px;">
<tr>
<td style="padding:24px 24px 0 24px;font-family:Helvetica,Arial,sans-serif;font-size:20px;line-height:1.3;font-weight:bold;color:#111827;">Candor</td>
</tr>
<tr>
<td style="padding:16px 24px 24px 24px;font-family:Helvetica,Arial,sans-serif;font-size:16px;line-height:1.5;color:#1f2937;overflow-wrap:break-word;word-wrap:break-word;">
<p style="margin:0 0 16px 0;">`)
	w.Text(d.Greeting)
	w.Markup("</p>\n")
	for i := range d.Blocks {
		htmlBlock(&w, &d.Blocks[i])
		w.Markup("\n")
	}
	w.Markup(`<p style="margin:24px 0 0 0;">`)
	for i, l := range d.Signoff {
		if i > 0 {
			w.Markup("<br />")
		}
		w.Text(l)
	}
	w.Markup(`</p>
</td>
</tr>
</table>
<table role="presentation" width="100%" cellspacing="0" cellpadding="0" border="0" style="max-width:560px;">
<tr>
<td style="padding:16px 24px;font-family:Helvetica,Arial,sans-serif;font-size:12px;line-height:1.5;color:#6b7280;">`)
	w.Text(d.Footer)
	w.Markup(`</td>
</tr>
</table>
</td>
</tr>
</table>
</body>
</html>
`)
	return w.String()
}

// htmlBlock writes one block of the HTML part.
func htmlBlock(w *markup.Builder, k *block) {
	switch k.Kind {
	case blockPara:
		w.Markup(`<p style="margin:0 0 16px 0;">`)
		w.Text(k.Text)
		w.Markup(`</p>`)
	case blockHeading:
		w.Markup(`<h2 style="margin:24px 0 8px 0;font-size:17px;line-height:1.3;color:#111827;">`)
		w.Text(k.Text)
		w.Markup(`</h2>`)
	case blockQuote:
		w.Markup(`<div style="margin:0 0 16px 0;padding:12px 16px;background-color:#f9fafb;border-left:4px solid #d1d5db;color:#374151;">`)
		for i, l := range k.Lines {
			if i > 0 {
				w.Markup("<br />")
			}
			w.Text(l)
		}
		w.Markup(`</div>`)
	case blockList:
		w.Markup(`<ul style="margin:0 0 16px 0;padding:0 0 0 20px;">`)
		for _, it := range k.Items {
			w.Markup(`<li style="margin:0 0 8px 0;"><strong>`)
			w.Text(it.Name)
			w.Markup(`</strong>: `)
			w.Text(it.Detail)
			w.Markup(`</li>`)
		}
		w.Markup(`</ul>`)
	case blockButton:
		w.Markup(`<table role="presentation" cellspacing="0" cellpadding="0" border="0" style="margin:8px 0 8px 0;">
<tr>
<td style="border-radius:6px;background-color:#1d4ed8;"><a href="`)
		w.URL(k.URL)
		w.Markup(`" style="display:inline-block;padding:12px 20px;font-family:Helvetica,Arial,sans-serif;font-size:16px;font-weight:bold;line-height:1.2;color:#ffffff;text-decoration:none;border-radius:6px;">`)
		w.Text(k.Text)
		w.Markup(`</a></td>
</tr>
</table>
<p style="margin:0 0 16px 0;font-size:13px;color:#6b7280;">`)
		w.Text(k.Fallback)
		w.Markup(`<br /><a href="`)
		w.URL(k.URL)
		w.Markup(`" style="color:#1d4ed8;word-break:break-all;">`)
		w.Text(k.URL)
		w.Markup(`</a></p>`)
	}
}
