package reviewerpage

import (
	"bytes"
	htmltemplate "html/template"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/candorhq/candor/shared/brand"
	"github.com/candorhq/candor/shared/links"
)

// referencePage is the html/template the pages were rendered with before
// they were written with a markup writer and then with templ (page.templ).
// It stays here, in test code only, as the reference page.templ must match
// byte for byte. Its doctype is written as templ writes it.
//
// templ escapes text and attribute values as html/template does (& < > " '
// become &amp; &lt; &gt; &#34; &#39;) but for two characters:
//
//   - "+", which html/template writes as &#43; (a guard against UTF-7
//     sniffing, which a page served as UTF-8 does not need) and templ as it
//     is. The comparison maps html/template's &#43; back to "+"; nothing else.
//   - NUL, which html/template writes as U+FFFD and templ as it is. A page
//     never holds one: the view's texts are display text (package i18n's
//     Display), and what the reviewer typed is shown with NUL as U+FFFD
//     (typed), which is html/template's choice. The tests' pages hold no NUL
//     either, and TestNULIsNeverWritten checks the real ones.
const referencePage = `<!doctype html>
<html lang="{{.Lang}}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<meta name="referrer" content="no-referrer">
<title>{{.Title}}</title>
<style nonce="{{.Nonce}}">
:root{color-scheme:light dark;--fg:#1b1b1b;--bg:#fff;--muted:#4f4f4f;--line:#bdbdbd;--box:#f3f4f6;--accent:#0b57d0;--on-accent:#fff;--err:#b3261e}
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
[hidden]{display:none!important}
.platform{display:flex;align-items:center;gap:.6rem;max-width:40rem;margin:0 auto;padding:.75rem 1rem;border-bottom:1px solid var(--line);font-weight:700;overflow-wrap:anywhere}
.platform img{height:2rem;width:auto;max-width:40%}
.errors h2{color:var(--err);font-size:1.125rem;margin:.25rem 0 .5rem}
.errors ul{margin:.5rem 0;padding-left:1.25rem}
.errors a{color:var(--err);font-weight:600}
.errors:focus{outline:3px solid var(--accent);outline-offset:2px}
.count{font-size:.9rem;margin:.25rem 0;color:var(--muted)}
.count.over{color:var(--err);font-weight:600}
.utc{color:var(--muted);font-size:.9rem;margin-top:-.5rem}
.removal,.sent{background:var(--box);border-left:4px solid var(--line);border-radius:4px;padding:.75rem 1rem;margin:1rem 0;overflow-wrap:anywhere}
.removal ul{margin:.25rem 0 .75rem;padding-left:1.25rem}
.documents{border-top:1px solid var(--line);margin:1.5rem 0;padding-top:.5rem}
.attached{list-style:none;margin:.5rem 0;padding:0}
.attached li{display:flex;flex-wrap:wrap;align-items:center;justify-content:space-between;gap:.5rem;padding:.5rem 0;border-bottom:1px solid var(--line);overflow-wrap:anywhere}
.attached button{margin-top:0;width:auto}
button.secondary{background:var(--bg);color:var(--accent);border:2px solid var(--accent)}
.notice{background:var(--box);border-left:4px solid var(--accent);border-radius:4px;padding:.75rem 1rem;margin:1rem 0;font-weight:600}
input[type=file]{display:block;width:100%;font:inherit;padding:.5rem 0}
</style>
</head>
<body>
<header class="platform">{{if .Brand.LogoURL}}<img src="{{.Brand.LogoURL}}" alt="" height="32"> {{end}}<span>{{.Brand.Name}}</span></header>
<main>
{{with .Summary}}{{template "summary" .}}{{end}}<h1>{{.Heading}}</h1>
{{range .Paras}}<p>{{.}}</p>
{{end}}{{with .Sent}}{{template "sent" .}}{{end}}{{with .Form}}{{template "form" .}}{{end}}</main>
{{if .Form}}{{template "script" $.Nonce}}{{end}}</body>
</html>
{{define "form"}}{{range .Intro}}<p>{{.}}</p>
{{end}}{{if .Message}}<section class="message" aria-labelledby="message-label">
<h2 id="message-label">{{.MessageLabel}}</h2>
<p class="text">{{.Message}}</p>
</section>
{{end}}{{with .Removal}}<section class="removal" aria-labelledby="removal-label">
<h2 id="removal-label">{{.Heading}}</h2>
{{if .Reasons}}<p>{{.ReasonsLead}}</p><ul>{{range .Reasons}}<li>{{.}}</li>{{end}}</ul>
{{end}}{{if .Facts}}<p>{{.FactsLead}}</p><p class="text">{{.Facts}}</p>
{{end}}</section>
{{end}}{{with .Review}}<section class="review" aria-labelledby="review-label">
<h2 id="review-label">{{.Heading}}</h2>
{{if .Stars}}<p class="stars" role="img" aria-label="{{.StarsLabel}}">{{.Stars}}</p>
{{end}}{{if .Title}}<h3>{{.Title}}</h3>
{{end}}<p class="text">{{.Text}}</p>
</section>
{{end}}{{if .Deadline}}<p class="deadline" title="{{.DeadlineUTC}}">{{.Deadline}}</p>
<p class="utc">{{.DeadlineUTC}}</p>
{{end}}<form method="post" accept-charset="UTF-8">
{{with .Reason}}<fieldset{{if .Error}} aria-describedby="{{.Name}}-error"{{end}}>
<legend>{{.Label}}</legend>
{{if .Error}}<p class="error" id="{{.Name}}-error">{{.Error}}</p>
{{end}}{{$name := .Name}}{{range .Options}}<label class="choice"><input type="radio" id="{{$name}}-{{.Value}}" name="{{$name}}" value="{{.Value}}"{{if .Checked}} checked{{end}} required> {{.Label}}</label>
{{end}}</fieldset>
{{end}}{{with .Reply}}{{template "textarea" .}}{{end}}{{with .Edit}}<p>{{.Note}}</p>
{{template "input" .Title}}{{template "textarea" .Text}}<fieldset{{if .Stars.Error}} aria-describedby="stars-error"{{end}}>
<legend>{{.Stars.Label}}</legend>
{{if .Stars.Error}}<p class="error" id="stars-error">{{.Stars.Error}}</p>
{{end}}{{range .Stars.Options}}<label class="star"><input type="radio" id="stars-{{.Value}}" name="stars" value="{{.Value}}"{{if .Checked}} checked{{end}} required> {{.Label}}</label>
{{end}}</fieldset>
{{end}}{{range .Notes}}<p class="note">{{.}}</p>
{{end}}<button type="submit">{{.Submit}}</button>
</form>
{{end}}{{define "textarea"}}<div class="field">
<label for="{{.Name}}">{{.Label}}</label>
<p class="hint" id="{{.Name}}-hint">{{.Hint}}</p>
{{template "count" .}}{{if .Error}}<p class="error" id="{{.Name}}-error">{{.Error}}</p>
{{end}}<textarea id="{{.Name}}" name="{{.Name}}" rows="{{.Rows}}"{{if .CountLeft}} data-max="{{.Max}}"{{end}}{{if .Required}} required{{end}} aria-describedby="{{.Name}}-hint{{if .Error}} {{.Name}}-error{{end}}"{{if .Error}} aria-invalid="true"{{end}}>
{{.Value}}</textarea>
</div>
{{end}}{{define "input"}}<div class="field">
<label for="{{.Name}}">{{.Label}}</label>
<p class="hint" id="{{.Name}}-hint">{{.Hint}}</p>
{{template "count" .}}{{if .Error}}<p class="error" id="{{.Name}}-error">{{.Error}}</p>
{{end}}<input type="text" id="{{.Name}}" name="{{.Name}}" value="{{.Value}}"{{if .CountLeft}} data-max="{{.Max}}"{{end}}{{if .Required}} required{{end}} aria-describedby="{{.Name}}-hint{{if .Error}} {{.Name}}-error{{end}}"{{if .Error}} aria-invalid="true"{{end}}>
</div>
{{end}}{{define "count"}}{{if .CountLeft}}<p class="count" id="{{.Name}}-count" aria-live="polite" data-left="{{.CountLeft}}" data-over="{{.CountOver}}" hidden></p>
{{end}}{{end}}{{define "summary"}}<div class="errors" id="error-summary" role="alert" aria-labelledby="error-summary-title" tabindex="-1" autofocus>
<h2 id="error-summary-title">{{.Heading}}</h2>
{{if .Lead}}<p>{{.Lead}}</p>
{{end}}<ul>{{range .Items}}{{if .Href}}<li><a href="{{.Href}}">{{.Text}}</a></li>{{else}}<li>{{.Text}}</li>{{end}}{{end}}</ul>
</div>
{{end}}{{define "sent"}}<section class="sent" aria-labelledby="sent-label">
<h2 id="sent-label">{{.Heading}}</h2>
{{if .Stars}}<p class="stars" role="img" aria-label="{{.StarsLabel}}">{{.Stars}}</p>
{{end}}{{if .Title}}<h3>{{.Title}}</h3>
{{end}}<p class="text">{{.Text}}</p>
</section>
{{end}}{{define "script"}}<script nonce="{{.}}">
(function(){
var s=document.getElementById("error-summary");
if(s&&document.activeElement!==s){s.focus();}
document.querySelectorAll("[data-max]").forEach(function(f){
var c=document.getElementById(f.id+"-count");if(!c){return;}
var max=parseInt(f.getAttribute("data-max"),10),t=0;
function show(){var n=Array.from(f.value.replace(/\r\n?/g,"\n").trim()).length,over=n>max;
c.textContent=c.getAttribute(over?"data-over":"data-left").replace("{n}",(over?n-max:max-n).toLocaleString(document.documentElement.lang));
c.classList.toggle("over",over);}
c.hidden=false;show();
f.addEventListener("input",function(){clearTimeout(t);t=setTimeout(show,250);});
});
})();
	</script>
{{end}}
`

// referenceView is a page as the reference template reads it: the page,
// and its title as the page works it out.
type referenceView struct {
	*page
	Title string
}

// parseReference parses referencePage once for all tests.
var parseReference = sync.OnceValues(func() (*htmltemplate.Template, error) {
	return htmltemplate.New("page").Parse(referencePage)
})

// referenceHTML renders p with referencePage.
func referenceHTML(t testing.TB, p page) string {
	t.Helper()
	tmpl, err := parseReference()
	if err != nil {
		t.Fatalf("parse reference template: %v", err)
	}
	var b bytes.Buffer
	if err := tmpl.Execute(&b, referenceView{&p, p.title()}); err != nil {
		t.Fatalf("execute reference template: %v", err)
	}
	return b.String()
}

// checkSameAsReference fails the test unless page.templ writes p exactly as
// the reference template renders it, "+" aside (see referencePage).
func checkSameAsReference(t testing.TB, p page) {
	t.Helper()
	want := strings.ReplaceAll(referenceHTML(t, p), "&#43;", "+")
	got, err := p.html()
	if err != nil {
		t.Fatalf("write page: %v", err)
	}
	if got == want {
		return
	}
	i := 0
	for i < len(got) && i < len(want) && got[i] == want[i] {
		i++
	}
	from := max(0, i-80)
	t.Errorf("page differs from html/template's at byte %d:\ngot:  %q\nwant: %q", i,
		got[from:min(len(got), i+80)], want[from:min(len(want), i+80)])
}

// Values that html/template escapes, in every combination the pages meet
// (a page holds no NUL: see referencePage).
const (
	hostileAll   = "<b>\"it's\" 1+1 & </textarea><script>alert(1)</script>\uFFFD åäö ★ &amp; &#43;"
	hostileAttr2 = `" onfocus="alert(1)" x="`
)

// fullForm returns a form with every part present, each value prefixed
// with s so that escaping is exercised everywhere.
func fullForm(s string) *form {
	return &form{
		Intro:        []string{s + "intro one", s + "intro two"},
		MessageLabel: s + "Message from Acme",
		Message:      s + "line one\nline two",
		Review:       &reviewBox{Heading: s + "Your review", Stars: "★★☆☆☆", StarsLabel: s + "2 of 5 stars", Title: s + "Title", Text: s + "Text\nmore"},
		Removal: &removalBox{Heading: s + "Why", ReasonsLead: s + "Reasons:", Reasons: []string{s + "Spam: spam", s + "Promotional"},
			FactsLead: s + "Facts:", Facts: s + "The facts\nrelied on"},
		Deadline:    s + "Answer by 15 March",
		DeadlineUTC: s + "That is 15 March, 09:30 UTC.",
		Reply: &field{Name: "reply", Label: s + "Your answer", Hint: s + "Up to 2,000", Value: s + "typed\r\nvalue", Error: s + "Too long", Max: 2000, Rows: 8, Required: true,
			CountLeft: s + "{n} left", CountOver: s + "{n} too many"},
		Notes:  []string{s + "note one", s + "note two"},
		Submit: s + "Send",
	}
}

// fullEdit returns edit fields with every part present, values prefixed
// with s, and star checked (0 for none).
func fullEdit(s string, checked int) *editFields {
	e := &editFields{
		Note:  s + "Edit note",
		Title: field{Name: "title", Label: s + "Title", Hint: s + "hint", Value: s + "old title", Error: s + "too long", Max: 200, CountLeft: s + "left", CountOver: s + "over"},
		Text:  field{Name: "text", Label: s + "Text", Hint: s + "hint", Value: s + "old\ntext", Error: s + "required", Max: 10000, Rows: 12, Required: true},
		Stars: starsField{Label: s + "Your rating", Error: s + "pick one"},
	}
	for n := 1; n <= 5; n++ {
		e.Stars.Options = append(e.Stars.Options, starOption{Value: n, Label: s + "stars", Checked: n == checked})
	}
	return e
}

// handmadePages are pages that reach every branch of the page, with and
// without each optional part, with plain and hostile values.
func handmadePages() map[string]page {
	pages := map[string]page{
		"zero":               {},
		"message only":       {Lang: "en", Nonce: "NONCE", Heading: "Thanks", Paras: []string{"One.", "Two."}},
		"message no paras":   {Lang: "sv", Nonce: "N", Heading: "Tack"},
		"message empty para": {Lang: "de", Heading: "Danke", Paras: []string{""}},
		"empty form":         {Lang: "en", Heading: "Form", Form: &form{}},
		"empty slices":       {Lang: "en", Heading: "Form", Paras: []string{}, Form: &form{Intro: []string{}, Notes: []string{}}, Summary: &errorSummary{Items: []summaryItem{}}},
	}
	for name, s := range map[string]string{"plain": "", "hostile": hostileAll, "attr": hostileAttr2, "replacement": "\uFFFD", "invalid UTF-8": "\xff\xfe"} {
		pages["message "+name] = page{Lang: s + "en", Nonce: s + "nonce", Heading: s + "Heading", Paras: []string{s + "p1", s + "p2"},
			Brand: brand.Brand{Name: s + "Platform"}}
		pages["thanks "+name] = page{Lang: "en", Heading: s + "Thanks", Brand: brand.Brand{Name: "P", LogoURL: "https://cdn.example/logo.png"},
			Sent: &sentBox{Heading: s + "What you sent", Stars: "★★☆☆☆", StarsLabel: s + "2 stars", Title: s + "Title", Text: s + "Sent\ntext"}}
		pages["thanks text only "+name] = page{Lang: "en", Heading: "Thanks", Sent: &sentBox{Heading: s, Text: s}}
		pages["summary "+name] = page{Lang: "en", Heading: s + "Form", Brand: brand.Brand{Name: s},
			Summary: &errorSummary{Prefix: s + "Error: ", Heading: s + "There is a problem", Lead: s + "Check",
				Items: []summaryItem{{Text: s + "Too long", Href: "#reply"}, {Text: s + "Try again"}}}, Form: fullForm(s)}
		f0 := fullForm(s)
		f0.Removal.Reasons, f0.Removal.Facts = nil, ""
		pages["removal heading only "+name] = page{Lang: "en", Heading: "h", Form: f0}
		pages["full reply form "+name] = page{Lang: s + "en", Nonce: s + "nonce", Heading: s + "Heading", Paras: []string{s}, Form: fullForm(s)}

		f := fullForm(s)
		f.Reply = nil
		f.Review = nil
		f.Edit = fullEdit(s, 3)
		pages["full edit form "+name] = page{Lang: "en", Nonce: "n", Heading: s + "Edit", Form: f}

		f = fullForm(s)
		f.Reply.Error, f.Reply.Required, f.Deadline, f.Removal = "", false, "", nil
		f.Reply.CountLeft = ""
		pages["reply without error "+name] = page{Lang: "en", Heading: "h", Form: f}

		f = fullForm(s)
		f.Review.Stars, f.Review.StarsLabel = "", ""
		pages["review without stars "+name] = page{Lang: "en", Heading: "h", Form: f}

		f = fullForm(s)
		f.Review.Title = ""
		pages["review without title "+name] = page{Lang: "en", Heading: "h", Form: f}

		f = fullForm(s)
		f.Review.Stars, f.Review.Title = "", ""
		pages["review text only "+name] = page{Lang: "en", Heading: "h", Form: f}

		f = fullForm(s)
		f.Message, f.MessageLabel = "", s+"label without message"
		pages["label without message "+name] = page{Lang: "en", Heading: "h", Form: f}

		f = fullForm(s)
		f.Reply, f.Review = nil, nil
		f.Edit = fullEdit(s, 0)
		f.Edit.Title.Error, f.Edit.Text.Error, f.Edit.Stars.Error = "", "", ""
		f.Edit.Text.Required = false
		pages["edit without errors unchecked "+name] = page{Lang: "en", Heading: "h", Form: f}

		f = &form{Reply: &field{}, Edit: fullEdit(s, 5), Submit: s}
		f.Edit.Stars.Options = nil
		pages["reply and edit no options "+name] = page{Lang: "en", Heading: "h", Form: f}
	}
	return pages
}

func TestPageIsWrittenAsTheReferenceTemplateRendersIt(t *testing.T) {
	for name, p := range handmadePages() {
		t.Run(name, func(t *testing.T) { checkSameAsReference(t, p) })
	}
}

// messageKinds are all message pages.
var messageKinds = map[string]messageKind{
	"not found": pageNotFound, "used": pageUsed, "expired": pageExpired, "thanks": pageThanks,
	"unreadable": pageUnreadable, "too large": pageTooLarge, "method": pageMethod, "internal": pageInternal,
}

func TestEveryMessagePageIsWrittenAsTheReferenceTemplateRendersIt(t *testing.T) {
	for _, loc := range []string{"en", "sv", "de", "fr"} {
		c := catalogFor(loc)
		for kindName, kind := range messageKinds {
			if kind != pageThanks {
				t.Run(loc+"/"+kindName+"/no link", func(t *testing.T) { checkSameAsReference(t, messagePage(c, kind, nil)) })
			}
			for _, purpose := range allPurposes {
				for _, v := range []View{openView(purpose, loc), hostileView(purpose), noDeadline(openView(purpose, loc))} {
					l := &link{hash: "0123456789abcdef", view: v, cat: c}
					t.Run(loc+"/"+kindName+"/"+string(purpose), func(t *testing.T) {
						p := messagePage(c, kind, l)
						p.Nonce = "nonceNONCE234567"
						checkSameAsReference(t, p)
					})
				}
			}
		}
	}
}

// noDeadline returns v without a deadline.
func noDeadline(v View) View {
	v.Deadline = time.Time{}
	return v
}

func TestEveryFormPageIsWrittenAsTheReferenceTemplateRendersIt(t *testing.T) {
	views := map[string]func(links.Purpose, string) View{
		"open":        openView,
		"hostile":     func(p links.Purpose, _ string) View { return hostileView(p) },
		"no deadline": func(p links.Purpose, loc string) View { return noDeadline(openView(p, loc)) },
		"bare": func(p links.Purpose, loc string) View {
			v := openView(p, loc)
			v.Message, v.ReviewTitle, v.ReviewStars, v.BusinessName = "", "", 0, ""
			return v
		},
		"no review": func(p links.Purpose, loc string) View {
			v := openView(p, loc)
			v.ReviewTitle, v.ReviewText, v.ReviewStars = "", "", 7
			return v
		},
		"five stars": func(p links.Purpose, loc string) View {
			v := openView(p, loc)
			v.ReviewStars, v.ReviewTitle = 5, ""
			return v
		},
	}
	inputs := map[string]input{
		"empty":    {},
		"typed":    {Reply: "My order 4711\n+ invoice", Title: "New & better", Text: "Fixed\n\"quote\"", Stars: "4"},
		"hostile":  {Reply: hostileAll, Title: hostileAttr2, Text: hostileAll, Stars: hostileAttr2},
		"one star": {Stars: "1"},
	}
	probSets := map[string]problems{
		"none":           nil,
		"retry":          {"": {kind: problemRetry}},
		"reply":          {fieldReply: {kind: problemTooLong, n: 2345, max: 2000}},
		"required":       {fieldReply: {kind: problemRequired}, fieldText: {kind: problemRequired}},
		"edit all":       {fieldTitle: {kind: problemBadChars}, fieldText: {kind: problemTooLong, n: 12000, max: 10000}, fieldStars: {kind: problemStars}},
		"edit and retry": {"": {kind: problemRetry}, fieldStars: {kind: problemCheck}},
	}
	for _, loc := range []string{"en", "sv", "de"} {
		for _, purpose := range allPurposes {
			for viewName, mkView := range views {
				l := &link{hash: "0123456789abcdef", view: mkView(purpose, loc), cat: catalogFor(loc)}
				ins := map[string]input{"initial": initialInput(l.view)}
				for k, in := range inputs {
					ins[k] = in
				}
				for inName, in := range ins {
					for probName, probs := range probSets {
						t.Run(strings.Join([]string{loc, string(purpose), viewName, inName, probName}, "/"), func(t *testing.T) {
							p := formPage(l, in, probs)
							p.Nonce = "nonceNONCE234567"
							checkSameAsReference(t, p)
						})
					}
				}
			}
		}
	}
}

// FuzzPageIsWrittenAsTheReferenceTemplateRendersIt puts arbitrary text in
// every value of a page, with parts present or absent by the bits of
// parts; go test runs the seeds.
func FuzzPageIsWrittenAsTheReferenceTemplateRendersIt(f *testing.F) {
	for _, s := range []string{"", "plain", hostileAll, hostileAttr2, "\x00\xff\xfe", "&amp; &#34; %41 \\ `x`", "\u2028\u2029 \r\n\t"} {
		f.Add(s, uint16(0xffff), 3)
		f.Add(s, uint16(0x5555), 0)
		f.Add(s, uint16(0xaaaa), 5)
	}
	f.Fuzz(func(t *testing.T, s string, parts uint16, checked int) {
		s = typed(s) // what a page may hold: no NUL (see referencePage)
		has := func(bit uint) bool { return parts&(1<<bit) != 0 }
		p := page{Lang: s, Nonce: s, Heading: s}
		if has(0) {
			p.Paras = []string{s, s}
		}
		if has(1) {
			p.Form = fullForm(s)
			if !has(2) {
				p.Form.Review = nil
			} else if !has(3) {
				p.Form.Review.Stars = ""
			}
			if !has(4) {
				p.Form.Message = ""
			}
			if !has(5) {
				p.Form.Reply = nil
			} else if !has(6) {
				p.Form.Reply.Error = ""
			}
			if has(7) {
				p.Form.Edit = fullEdit(s, checked)
				if !has(8) {
					p.Form.Edit.Stars.Error = ""
				}
				if !has(9) {
					p.Form.Edit.Title.Error = ""
				}
			}
			if !has(10) {
				p.Form.Removal = nil
			}
		}
		if has(11) {
			p.Summary = &errorSummary{Prefix: s, Heading: s, Lead: s, Items: []summaryItem{{Text: s, Href: "#reply"}, {Text: s}}}
		}
		if has(12) {
			p.Sent = &sentBox{Heading: s, Stars: "★", StarsLabel: s, Title: s, Text: s}
		}
		if has(13) {
			p.Brand = brand.Brand{Name: s}
		}
		checkSameAsReference(t, p)
	})
}
