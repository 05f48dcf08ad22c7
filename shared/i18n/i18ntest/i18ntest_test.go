package i18ntest

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// recorder is a testing.TB that keeps the failures Check reports.
type recorder struct {
	testing.TB
	errs []string
}

func (r *recorder) Helper()                   {}
func (r *recorder) Errorf(f string, a ...any) { r.errs = append(r.errs, fmt.Sprintf(f, a...)) }
func (r *recorder) Fatal(a ...any)            { r.errs = append(r.errs, fmt.Sprint(a...)) }

type toy struct {
	Hello    string
	Lines    []string
	Greet    func(name string) string
	Count    func(n int) string
	Date     func(t time.Time) string
	Optional func(name string) string
	Parts    map[string]part
}

type part struct{ Name string }

func english() *toy {
	return &toy{
		Hello: "Hello there",
		Lines: []string{"Kind regards,", "The team"},
		Greet: func(name string) string { return "Hello " + name },
		Count: func(n int) string {
			if n == 1 {
				return "one reason"
			}
			return "reasons"
		},
		Date:  func(t time.Time) string { return t.Format("2 January") },
		Parts: map[string]part{"a": {"Spam"}, "b": {"Bee"}},
	}
}

func swedish() *toy {
	return &toy{
		Hello: "Hej",
		Lines: []string{"Vänliga hälsningar", "Teamet"},
		Greet: func(name string) string { return "Hej " + name },
		Count: func(n int) string {
			if n == 1 {
				return "ett skäl"
			}
			return "skäl"
		},
		Date:  func(t time.Time) string { return t.Format("2") + " november" },
		Parts: map[string]part{"a": {"Spam"}, "b": {"Bi"}},
	}
}

var opts = Options{Optional: []string{"Optional"}, SameAsEnglish: []string{"Parts[a].Name"}}

func TestCheckAcceptsCompleteCatalogues(t *testing.T) {
	r := &recorder{}
	Check(r, map[string]any{"en": english(), "sv": swedish()}, opts)
	if len(r.errs) > 0 {
		t.Errorf("Check reported problems in complete catalogues: %q", r.errs)
	}
}

func TestCheckFindsWhatIsWrong(t *testing.T) {
	tests := []struct {
		name  string
		spoil func(sv *toy)
		want  string
	}{
		{"empty text", func(sv *toy) { sv.Hello = " " }, "sv Hello: empty"},
		{"missing func", func(sv *toy) { sv.Greet = nil }, "sv Greet: empty"},
		{"English left in", func(sv *toy) { sv.Lines[1] = "The team" }, `sv Lines[1]: "The team" is the English text`},
		{"English func text", func(sv *toy) { sv.Count = english().Count }, "sv Count(1): \"one reason\" is the English text"},
		{"fewer lines", func(sv *toy) { sv.Lines = sv.Lines[:1] }, "sv: lacks Lines[1]"},
		{"missing map entry", func(sv *toy) { delete(sv.Parts, "b") }, "sv: lacks Parts[b].Name"},
		{"extra map entry", func(sv *toy) { sv.Parts["c"] = part{"C"} }, "sv Parts[c].Name: not in the English catalogue"},
		{"optional set in one locale only", func(sv *toy) { sv.Optional = func(string) string { return "x" } }, "sv Optional: empty=false, but empty=true in English"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sv := swedish()
			tt.spoil(sv)
			r := &recorder{}
			Check(r, map[string]any{"en": english(), "sv": sv}, opts)
			if !strings.Contains(strings.Join(r.errs, "\n"), tt.want) {
				t.Errorf("Check reported %q, want %q", r.errs, tt.want)
			}
		})
	}
	t.Run("argument shown nowhere", func(t *testing.T) {
		en, sv := english(), swedish()
		en.Greet = func(string) string { return "Hello" }
		sv.Greet = func(string) string { return "Hej" }
		r := &recorder{}
		Check(r, map[string]any{"en": en, "sv": sv}, opts)
		if !strings.Contains(strings.Join(r.errs, "\n"), "Greet: argument 0 is shown in no locale") {
			t.Errorf("Check reported %q, want the dead argument", r.errs)
		}
	})
	t.Run("argument shown for another map entry", func(t *testing.T) {
		type entry struct{ Say func(name string) string }
		type cat struct{ Entries map[string]entry }
		en := cat{map[string]entry{"a": {func(n string) string { return "Hi " + n }}, "b": {func(string) string { return "Bye" }}}}
		sv := cat{map[string]entry{"a": {func(n string) string { return "Hej " + n }}, "b": {func(string) string { return "Hejdå" }}}}
		r := &recorder{}
		Check(r, map[string]any{"en": en, "sv": sv}, Options{})
		if len(r.errs) > 0 {
			t.Errorf("Check reported %q; an argument one entry shows is not dead", r.errs)
		}
	})
	t.Run("skipped fields are not texts", func(t *testing.T) {
		type cat struct {
			Code string
			Text string
		}
		r := &recorder{}
		Check(r, map[string]any{"en": cat{"", "Hello"}, "sv": cat{"", "Hej"}}, Options{Skip: []string{"Code"}})
		if len(r.errs) > 0 {
			t.Errorf("Check reported %q for a skipped field", r.errs)
		}
	})
}

func TestLeavesCallFuncsWithSamples(t *testing.T) {
	got := map[string]string{}
	for _, l := range Leaves(english()) {
		got[l.Path] = l.Text
	}
	for path, want := range map[string]string{
		"Greet": "Hello " + Arg(0), "Count(1)": "one reason", "Count(2)": "reasons", "Date": "27 November",
		"Lines[1]": "The team", "Parts[b].Name": "Bee", "Optional": "",
	} {
		if got[path] != want {
			t.Errorf("leaf %s = %q, want %q", path, got[path], want)
		}
	}
}
