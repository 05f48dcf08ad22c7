package reviewerpage

import "github.com/candorhq/candor/shared/markup"

// pageStyle is the page's style sheet: the content of its one <style>
// element, which the Content-Security-Policy admits by the response's nonce.
const pageStyle = `:root{color-scheme:light dark;--fg:#1b1b1b;--bg:#fff;--muted:#4f4f4f;--line:#bdbdbd;--box:#f3f4f6;--accent:#0b57d0;--on-accent:#fff;--err:#b3261e}
@media (prefers-color-scheme:dark){:root{--fg:#ececec;--bg:#141414;--muted:#b5b5b5;--line:#555;--box:#1f2023;--accent:#8ab4f8;--on-accent:#0b1b33;--err:#f2b8b5}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--fg);font:1rem/1.55 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;-webkit-text-size-adjust:100%;text-size-adjust:100%}
main{max-width:40rem;margin:0 auto;padding:1.25rem 1rem 3rem}
h1{font-size:1.5rem;line-height:1.25;margin:.5rem 0 1rem;overflow-wrap:anywhere}
h2{font-size:1rem;margin:0 0 .5rem}
h3{font-size:1rem;margin:.25rem 0;overflow-wrap:anywhere}
p{margin:.75rem 0}
.text{white-space:pre-wrap;overflow-wrap:anywhere;margin:0}
.message,.review{background:var(--box);border-left:4px solid var(--line);border-radius:4px;padding:.75rem 1rem;margin:1rem 0}
.stars{margin:0 0 .25rem;letter-spacing:.1em}
.deadline{font-weight:600}
.field,fieldset{margin:1.25rem 0}
label,legend{display:block;font-weight:600}
.hint{color:var(--muted);font-size:.9rem;margin:.25rem 0}
textarea,input[type=text]{display:block;width:100%;font:inherit;padding:.6rem;border:1px solid var(--line);border-radius:4px;background:var(--bg);color:var(--fg)}
textarea{min-height:10rem;resize:vertical}
[aria-invalid=true]{border:2px solid var(--err)}
fieldset{border:1px solid var(--line);border-radius:4px;padding:.5rem 1rem}
legend{padding:0 .25rem}
.star{display:inline-flex;align-items:center;gap:.4rem;min-height:2.75rem;margin-right:1.25rem;font-weight:400}
.star input{width:1.25rem;height:1.25rem;margin:0}
.error,.errors p{color:var(--err);font-weight:600;margin:.25rem 0}
.errors{border:2px solid var(--err);border-radius:4px;padding:.5rem 1rem;margin:1rem 0}
.note{color:var(--muted);font-size:.95rem}
button{display:block;width:100%;min-height:2.75rem;margin-top:1.5rem;padding:.75rem 1.5rem;font:inherit;font-weight:600;border:0;border-radius:4px;background:var(--accent);color:var(--on-accent);cursor:pointer}
@media (min-width:36rem){button{display:inline-block;width:auto}}
:focus-visible{outline:3px solid var(--accent);outline-offset:2px}
`

// html returns p as an HTML document. Every piece of markup is a constant of
// this file; every value of p goes through markup.Builder's Text or Int, so
// it is escaped for the place it stands (element text, RCDATA of <title> and
// <textarea>, double-quoted attribute values) exactly as html/template would
// escape it there.
func (p *page) html() string {
	var w markup.Builder
	w.Grow(p.sizeHint())
	w.Markup("<!DOCTYPE html>\n<html lang=\"")
	w.Text(p.Lang)
	w.Markup("\">\n<head>\n" +
		"<meta charset=\"utf-8\">\n" +
		"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n" +
		"<meta name=\"robots\" content=\"noindex, nofollow\">\n" +
		"<meta name=\"referrer\" content=\"no-referrer\">\n" +
		"<title>")
	w.Text(p.Heading)
	w.Markup("</title>\n<style nonce=\"")
	w.Text(p.Nonce)
	w.Markup("\">\n" + pageStyle + "</style>\n</head>\n<body>\n<main>\n<h1>")
	w.Text(p.Heading)
	w.Markup("</h1>\n")
	writeParas(&w, p.Paras)
	if p.Form != nil {
		p.Form.write(&w)
	}
	w.Markup("</main>\n</body>\n</html>\n\n")
	return w.String()
}

// sizeHint is a little more than the length of p's document, unless
// escaping makes its values much longer: the fixed markup and every value.
func (p *page) sizeHint() int {
	n := len(pageStyle) + 1024 + len(p.Lang) + 2*len(p.Heading) + len(p.Nonce) + sumLen(p.Paras)
	if f := p.Form; f != nil {
		n += 1024 + sumLen(f.Intro) + len(f.MessageLabel) + len(f.Message) + len(f.Deadline) + sumLen(f.Errors) + sumLen(f.Notes) + len(f.Submit)
		if r := f.Review; r != nil {
			n += len(r.Heading) + len(r.Stars) + len(r.StarsLabel) + len(r.Title) + len(r.Text)
		}
		if f.Reply != nil {
			n += f.Reply.size()
		}
		if e := f.Edit; e != nil {
			n += 1024 + len(e.Note) + e.Title.size() + e.Text.size() + len(e.Stars.Label) + len(e.Stars.Error)
			for _, o := range e.Stars.Options {
				n += len(o.Label)
			}
		}
	}
	return n
}

// size is the length of f's values, its name counted as often as it is
// written.
func (f *field) size() int {
	return 6*len(f.Name) + len(f.Label) + len(f.Hint) + len(f.Value) + len(f.Error)
}

// sumLen returns the total length of ss.
func sumLen(ss []string) int {
	n := 0
	for _, s := range ss {
		n += len(s)
	}
	return n
}

// writeParas writes each of paras as a paragraph on its own line.
func writeParas(w *markup.Builder, paras []string) {
	for _, s := range paras {
		w.Markup("<p>")
		w.Text(s)
		w.Markup("</p>\n")
	}
}

// write writes the form part of a page: its introduction, the message and
// the review it is about, the deadline, the error summary and the form.
func (f *form) write(w *markup.Builder) {
	writeParas(w, f.Intro)
	if f.Message != "" {
		w.Markup("<section class=\"message\" aria-labelledby=\"message-label\">\n<h2 id=\"message-label\">")
		w.Text(f.MessageLabel)
		w.Markup("</h2>\n<p class=\"text\">")
		w.Text(f.Message)
		w.Markup("</p>\n</section>\n")
	}
	if r := f.Review; r != nil {
		w.Markup("<section class=\"review\" aria-labelledby=\"review-label\">\n<h2 id=\"review-label\">")
		w.Text(r.Heading)
		w.Markup("</h2>\n")
		if r.Stars != "" {
			w.Markup("<p class=\"stars\" role=\"img\" aria-label=\"")
			w.Text(r.StarsLabel)
			w.Markup("\">")
			w.Text(r.Stars)
			w.Markup("</p>\n")
		}
		if r.Title != "" {
			w.Markup("<h3>")
			w.Text(r.Title)
			w.Markup("</h3>\n")
		}
		w.Markup("<p class=\"text\">")
		w.Text(r.Text)
		w.Markup("</p>\n</section>\n")
	}
	if f.Deadline != "" {
		w.Markup("<p class=\"deadline\">")
		w.Text(f.Deadline)
		w.Markup("</p>\n")
	}
	if len(f.Errors) > 0 {
		w.Markup("<div class=\"errors\" role=\"alert\">")
		for _, e := range f.Errors {
			w.Markup("<p>")
			w.Text(e)
			w.Markup("</p>")
		}
		w.Markup("</div>\n")
	}
	w.Markup("<form method=\"post\" accept-charset=\"UTF-8\">\n")
	if f.Reply != nil {
		f.Reply.writeTextarea(w)
	}
	if e := f.Edit; e != nil {
		w.Markup("<p>")
		w.Text(e.Note)
		w.Markup("</p>\n")
		e.Title.writeInput(w)
		e.Text.writeTextarea(w)
		e.Stars.write(w)
	}
	for _, n := range f.Notes {
		w.Markup("<p class=\"note\">")
		w.Text(n)
		w.Markup("</p>\n")
	}
	w.Markup("<button type=\"submit\">")
	w.Text(f.Submit)
	w.Markup("</button>\n</form>\n")
}

// write writes the star rating as a fieldset of radio buttons.
func (s *starsField) write(w *markup.Builder) {
	if s.Error != "" {
		w.Markup("<fieldset aria-describedby=\"stars-error\">\n<legend>")
	} else {
		w.Markup("<fieldset>\n<legend>")
	}
	w.Text(s.Label)
	w.Markup("</legend>\n")
	if s.Error != "" {
		w.Markup("<p class=\"error\" id=\"stars-error\">")
		w.Text(s.Error)
		w.Markup("</p>\n")
	}
	for _, o := range s.Options {
		w.Markup("<label class=\"star\"><input type=\"radio\" name=\"stars\" value=\"")
		w.Int(o.Value)
		if o.Checked {
			w.Markup("\" checked required> ")
		} else {
			w.Markup("\" required> ")
		}
		w.Text(o.Label)
		w.Markup("</label>\n")
	}
	w.Markup("</fieldset>\n")
}

// writeTextarea writes f as a labelled textarea holding f.Value.
func (f *field) writeTextarea(w *markup.Builder) {
	f.writeHead(w)
	w.Markup("<textarea id=\"")
	w.Text(f.Name)
	w.Markup("\" name=\"")
	w.Text(f.Name)
	w.Markup("\" rows=\"")
	w.Int(f.Rows)
	w.Markup("\" maxlength=\"")
	w.Int(f.Max)
	w.Markup("\"")
	f.writeState(w)
	w.Markup(">\n")
	w.Text(f.Value)
	w.Markup("</textarea>\n</div>\n")
}

// writeInput writes f as a labelled one-line text input holding f.Value.
func (f *field) writeInput(w *markup.Builder) {
	f.writeHead(w)
	w.Markup("<input type=\"text\" id=\"")
	w.Text(f.Name)
	w.Markup("\" name=\"")
	w.Text(f.Name)
	w.Markup("\" value=\"")
	w.Text(f.Value)
	w.Markup("\" maxlength=\"")
	w.Int(f.Max)
	w.Markup("\"")
	f.writeState(w)
	w.Markup(">\n</div>\n")
}

// writeHead opens f's field: its label, hint and error message.
func (f *field) writeHead(w *markup.Builder) {
	w.Markup("<div class=\"field\">\n<label for=\"")
	w.Text(f.Name)
	w.Markup("\">")
	w.Text(f.Label)
	w.Markup("</label>\n<p class=\"hint\" id=\"")
	w.Text(f.Name)
	w.Markup("-hint\">")
	w.Text(f.Hint)
	w.Markup("</p>\n")
	if f.Error != "" {
		w.Markup("<p class=\"error\" id=\"")
		w.Text(f.Name)
		w.Markup("-error\">")
		w.Text(f.Error)
		w.Markup("</p>\n")
	}
}

// writeState writes the attributes of f's control that follow maxlength:
// required, the ids of the hint and error that describe it, and whether it
// is invalid.
func (f *field) writeState(w *markup.Builder) {
	if f.Required {
		w.Markup(" required")
	}
	w.Markup(" aria-describedby=\"")
	w.Text(f.Name)
	w.Markup("-hint")
	if f.Error != "" {
		w.Markup(" ")
		w.Text(f.Name)
		w.Markup("-error\" aria-invalid=\"true\"")
	} else {
		w.Markup("\"")
	}
}
