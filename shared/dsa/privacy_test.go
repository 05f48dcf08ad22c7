package dsa

import (
	"encoding/json"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/candorhq/candor/shared/moderation"
)

// TestRemovalCarriesNoFreeText guards the privacy of statements at its root:
// a Removal has no field a person's text could travel in. Adding one (an
// agent's note, a business's details) must fail here first: such text may
// hold personal data (Art. 24(5) DSA, P12) and must not reach a statement.
func TestRemovalCarriesNoFreeText(t *testing.T) {
	want := map[string]reflect.Type{
		"ReportID":    reflect.TypeFor[string](),              // checked to be an id
		"Seq":         reflect.TypeFor[int](),                 //
		"Reasons":     reflect.TypeFor[[]moderation.Reason](), // checked against the catalogue
		"Ground":      reflect.TypeFor[string](),              // checked against two values
		"Automated":   reflect.TypeFor[bool](),
		"OnAppeal":    reflect.TypeFor[bool](),
		"ContentDate": reflect.TypeFor[time.Time](),
		"DecidedAt":   reflect.TypeFor[time.Time](),
	}
	typ := reflect.TypeFor[Removal]()
	if typ.NumField() != len(want) {
		t.Errorf("Removal has %d fields, want %d: a new field must not carry free text", typ.NumField(), len(want))
	}
	for i := range typ.NumField() {
		f := typ.Field(i)
		if w, ok := want[f.Name]; !ok || f.Type != w {
			t.Errorf("Removal.%s %s: not a field a statement may be built from", f.Name, f.Type)
		}
	}
}

// freeTextFields are the fields of a statement that hold sentences rather
// than enum values, dates, country codes or the puid.
var freeTextFields = []string{"incompatible_content_ground", "incompatible_content_explanation", "category_specification_other", "decision_facts"}

// catalogueWords returns every word the package's texts may contain: those
// of its fixed sentences, of the reasons' codes, labels and keyword texts,
// and of the platform's guidelines name.
func catalogueWords(p Platform) map[string]bool {
	texts := []string{factSource, factUpholds, factUpholdsNoProof, factGroundViolation, factGroundNoProof, factAutomated,
		factNotAutomated, factOnAppeal, factFirstDecision, explainViolation, explainNoProof,
		groundReasonsSeparator, p.GuidelinesName}
	for _, m := range mappings {
		texts = append(texts, string(m.reason), m.label, m.other)
	}
	words := map[string]bool{}
	for _, s := range texts {
		for _, w := range wordsOf(s) {
			words[w] = true
		}
	}
	return words
}

var wordRE = regexp.MustCompile(`[\p{L}\p{N}_']+`)

func wordsOf(s string) []string { return wordRE.FindAllString(s, -1) }

// TestStatementsHoldNoTextButTheCatalogue walks every statement the package
// can make and checks that its free-text fields use no word outside the
// catalogue (so no id, date, name or other input reaches them), that the
// report id appears in the puid only, and that every other field is one the
// schema constrains to enum values, dates, country codes or the puid pattern.
func TestStatementsHoldNoTextButTheCatalogue(t *testing.T) {
	p := DefaultPlatform()
	words := catalogueWords(p)
	hex := strings.TrimPrefix(reportID, "rpt_")
	constrained := []string{"decision_visibility", "decision_ground", "incompatible_content_illegal", "content_type",
		"category", "category_addition", "category_specification", "territorial_scope", "content_date",
		"application_date", "source_type", "automated_detection", "automated_decision", "puid"}
	for _, c := range combinations() {
		if !c.legal() {
			continue
		}
		s := mustStatement(t, c.removal(), p)
		doc, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		if err := json.Unmarshal(doc, &m); err != nil {
			t.Fatal(err)
		}
		for key, v := range m {
			if key != "puid" && strings.Contains(string(mustJSON(t, v)), hex) {
				t.Errorf("%v: %s carries the report id: %v", c.reasons, key, v)
			}
			switch {
			case slices.Contains(freeTextFields, key):
				text, _ := v.(string)
				for _, w := range wordsOf(text) {
					if !words[w] {
						t.Errorf("%v: %s has %q, a word from outside the catalogue: %q", c.reasons, key, w, text)
					}
				}
			case slices.Contains(constrained, key):
			default:
				t.Errorf("%v: field %s is neither generated text nor constrained by the schema", c.reasons, key)
			}
		}
		if want := PUID(p.PUIDPrefix, reportID, c.removal().Seq); s.PUID != want {
			t.Errorf("%v: puid = %q, want %q", c.reasons, s.PUID, want)
		}
	}
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
