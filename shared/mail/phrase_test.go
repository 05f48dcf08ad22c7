package mail

import (
	"strings"
	"testing"
	"text/template"
)

func TestParsePhrase(t *testing.T) {
	full := vars{Business: "Acme", Title: "Good", Deadline: "1 May", DecidedAt: "2 May", Count: 3}
	tests := []struct {
		name, in string
		v        vars
		want     string // filled in, when wantErr is ""
		wantErr  string
	}{
		{"plain", "Hello.", full, "Hello.", ""},
		{"placeholder", "{{.Business}} wrote", full, "Acme wrote", ""},
		{"every placeholder", "{{.Business}}|{{.Title}}|{{.Deadline}}|{{.DecidedAt}}|{{.Count}}", full, "Acme|Good|1 May|2 May|3", ""},
		{"if set", "review{{if .Title}} “{{.Title}}”{{end}}.", full, "review “Good”.", ""},
		{"if empty", "review{{if .Title}} “{{.Title}}”{{end}}.", vars{}, "review.", ""},
		{"else", "{{if .Title}}t{{else}}none{{end}}", vars{}, "none", ""},
		{"gt true", "{{if gt .Count 1}}these{{else}}this{{end}}", vars{Count: 2}, "these", ""},
		{"gt false", "{{if gt .Count 1}}these{{else}}this{{end}}", vars{Count: 1}, "this", ""},
		{"if count", "{{if .Count}}some{{end}}", vars{}, "", ""},
		{"nested", "{{if .Title}}a{{if .Deadline}}b{{end}}c{{end}}", vars{Title: "x"}, "ac", ""},
		{"unclosed", "{{.Business", full, "", "unclosed action"},
		{"unknown placeholder", "{{.Email}}", full, "", "unknown placeholder .Email"},
		{"not a placeholder", "{{Business}}", full, "", `"Business" is not a placeholder`},
		{"function", `{{printf "%s" .Business}}`, full, "", "is not a placeholder, if, else or end"},
		{"trim marker", "{{- .Business}}", full, "", "is not a placeholder, if, else or end"},
		{"missing end", "{{if .Title}}x", full, "", "missing {{end}}"},
		{"stray end", "x{{end}}", full, "", "unexpected {{end}}"},
		{"stray else", "x{{else}}y", full, "", "unexpected {{else}}"},
		{"two elses", "{{if .Title}}a{{else}}b{{else}}c{{end}}", full, "", "missing {{end}}"},
		{"gt on text", "{{if gt .Title 1}}x{{end}}", full, "", "gt compares a number"},
		{"gt not a number", "{{if gt .Count one}}x{{end}}", full, "", "gt needs a whole number"},
		{"stray closing braces", "a }} b", full, "", `"}}" without "{{"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := parsePhrase(tt.in)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("parsePhrase(%q) error = %v, want one containing %q", tt.in, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("parsePhrase(%q): %v", tt.in, err)
			}
			var s strings.Builder
			p.fill(&s, &tt.v)
			if s.String() != tt.want {
				t.Errorf("filled = %q, want %q", s.String(), tt.want)
			}
		})
	}
}

// TestPhrasesFillInAsTextTemplateDid fills every phrase of every catalogue
// both ways, with every placeholder set, none set, and each count: the
// catalogues mean what they meant when text/template read them.
func TestPhrasesFillInAsTextTemplateDid(t *testing.T) {
	cats := map[string]map[string]string{"en": catalogEN(), "sv": catalogSV(), "de": catalogDE()}
	values := []vars{
		{Business: "Acme & Co", Title: "<b>Good</b>", Deadline: "1 May", DecidedAt: "2 May", Count: 1},
		{Business: "Acme", Count: 2},
		{Count: 0},
	}
	for locale, cat := range cats {
		for key, src := range cat {
			p, err := parsePhrase(src)
			if err != nil {
				t.Errorf("%s %s: %v", locale, key, err)
				continue
			}
			ref := template.Must(template.New(key).Option("missingkey=error").Parse(src))
			for _, v := range values {
				var want, got strings.Builder
				if err := ref.Execute(&want, v); err != nil {
					t.Fatalf("%s %s: text/template: %v", locale, key, err)
				}
				p.fill(&got, &v)
				if got.String() != want.String() {
					t.Errorf("%s %s with %+v:\n got %q\nwant %q", locale, key, v, got.String(), want.String())
				}
			}
		}
	}
}
