package dsaschema

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/candorhq/candor/shared/dsa"
	"github.com/candorhq/candor/shared/moderation"
)

const reportID = "rpt_0192f1c2c1b27c3a9d4e5f60718293a4"

var (
	published = time.Date(2026, 3, 14, 9, 30, 0, 0, time.UTC)
	decided   = time.Date(2026, 11, 2, 16, 0, 0, 0, time.UTC)
)

// agentRemoval is a first decision of an agent on the given reasons.
func agentRemoval(reasons ...moderation.Reason) dsa.Removal {
	return dsa.Removal{
		ReportID: reportID, Reasons: reasons, Ground: moderation.GroundGuidelineViolation,
		ContentDate: published, DecidedAt: decided,
	}
}

func mustStatement(t *testing.T, r dsa.Removal, p dsa.Platform) dsa.TDBStatement {
	t.Helper()
	s, err := dsa.Statement(r, p)
	if err != nil {
		t.Fatalf("Statement: %v", err)
	}
	return s
}

// combination is one input of the exhaustive walk.
type combination struct {
	reasons   []moderation.Reason
	ground    string
	automated bool
	onAppeal  bool
}

func (c combination) removal() dsa.Removal {
	r := agentRemoval(c.reasons...)
	r.Ground, r.Automated, r.OnAppeal = c.ground, c.automated, c.onAppeal
	if c.onAppeal {
		r.Seq = 1
	}
	return r
}

// legal reports whether Statement must accept c: an agent's guideline
// removal on any reasons, first or on appeal, or the automated no-proof
// removal of a first decision on no_genuine_experience alone.
func (c combination) legal() bool {
	if c.ground == moderation.GroundGuidelineViolation {
		return !c.automated
	}
	return c.automated && !c.onAppeal && slices.Equal(c.reasons, []moderation.Reason{moderation.ReasonNoGenuineExperience})
}

// combinations returns every non-empty set of reasons × ground × automated ×
// on appeal: 2047 × 2 × 2 × 2.
func combinations() []combination {
	all := moderation.AllReasons()
	var out []combination
	for mask := 1; mask < 1<<len(all); mask++ {
		var reasons []moderation.Reason
		for i, r := range all {
			if mask&(1<<i) != 0 {
				reasons = append(reasons, r)
			}
		}
		for _, ground := range []string{moderation.GroundGuidelineViolation, moderation.GroundNoProofProvided} {
			for _, automated := range []bool{false, true} {
				for _, onAppeal := range []bool{false, true} {
					out = append(out, combination{reasons, ground, automated, onAppeal})
				}
			}
		}
	}
	return out
}

func TestEveryCombinationIsAValidStatementOrRefused(t *testing.T) {
	p := dsa.DefaultPlatform()
	p.GuidelinesURL = "https://candor.example/guidelines"
	valid := 0
	for _, c := range combinations() {
		name := fmt.Sprintf("%v/%s/automated=%t/appeal=%t", c.reasons, c.ground, c.automated, c.onAppeal)
		s, err := dsa.Statement(c.removal(), p)
		if !c.legal() {
			if err == nil {
				t.Errorf("%s: accepted a removal that cannot happen: %+v", name, s)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if err := Validate(s); err != nil {
			t.Errorf("%s: not a valid v2 statement: %v", name, err)
			continue
		}
		valid++
		wantAuto := dsa.AutomatedNot
		if c.automated {
			wantAuto = dsa.AutomatedFully
		}
		if s.AutomatedDecision != wantAuto {
			t.Errorf("%s: automated_decision = %q, want %q", name, s.AutomatedDecision, wantAuto)
		}
		genuine := !slices.ContainsFunc(c.reasons, func(r moderation.Reason) bool {
			return r == moderation.ReasonNoGenuineExperience || r == moderation.ReasonCompetitor || r == moderation.ReasonMultipleProfiles
		})
		if !genuine && (s.Category != dsa.CategoryConsumerInformation || !slices.Contains(s.CategorySpecification, dsa.KeywordInauthenticUserReviews)) {
			t.Errorf("%s: a not-genuine removal has category %q, keywords %v", name, s.Category, s.CategorySpecification)
		}
		if genuine && slices.Contains(s.CategorySpecification, dsa.KeywordInauthenticUserReviews) {
			t.Errorf("%s: calls the review inauthentic without a not-genuine reason", name)
		}
	}
	// 2047 sets × first/appeal for the agent, and the one no-proof removal.
	if want := 2047*2 + 1; valid != want {
		t.Errorf("%d valid statements, want %d", valid, want)
	}
}

func TestSchemaCopiesAreIdentical(t *testing.T) {
	published, err := os.ReadFile("../../../api/schemas/dsa-statement-v2.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(published, schemaJSON) {
		t.Error("api/schemas/dsa-statement-v2.schema.json differs from shared/dsa/dsaschema/dsa-statement-v2.schema.json: copy one over the other")
	}
	if !bytes.Equal(Schema(), schemaJSON) {
		t.Error("Schema() is not the embedded schema")
	}
}

// TestSchemaRefusesWhatTheDatabaseRefuses shows the schema has teeth: each
// change to a valid statement breaks one rule of the API v2 documentation.
func TestSchemaRefusesWhatTheDatabaseRefuses(t *testing.T) {
	base, err := json.Marshal(mustStatement(t, agentRemoval(moderation.ReasonSpam), dsa.DefaultPlatform()))
	if err != nil {
		t.Fatal(err)
	}
	if err := ValidateJSON(base); err != nil {
		t.Fatalf("the base statement is not valid: %v", err)
	}
	tests := []struct {
		name   string
		change func(map[string]any)
	}{
		{"unknown field", func(m map[string]any) { m["platform_name"] = "Candor" }},
		{"unknown visibility", func(m map[string]any) { m["decision_visibility"] = []any{"DECISION_VISIBILITY_CONTENT_HIDDEN"} }},
		{"no restriction at all", func(m map[string]any) { delete(m, "decision_visibility") }},
		{"visibility other without its text", func(m map[string]any) { m["decision_visibility"] = []any{"DECISION_VISIBILITY_OTHER"} }},
		{"v1 category", func(m map[string]any) { m["category"] = "STATEMENT_CATEGORY_SCOPE_OF_PLATFORM_SERVICE" }},
		{"v1 keyword", func(m map[string]any) { m["category_specification"] = []any{"KEYWORD_DISINFORMATION"} }},
		{"incompatible ground missing", func(m map[string]any) { delete(m, "incompatible_content_ground") }},
		{"illegal ground without legal ground", func(m map[string]any) { m["decision_ground"] = "DECISION_GROUND_ILLEGAL_CONTENT" }},
		{"incompatible ground too long", func(m map[string]any) { m["incompatible_content_ground"] = strings.Repeat("a", 501) }},
		{"facts too long", func(m map[string]any) { m["decision_facts"] = strings.Repeat("a", 5001) }},
		{"no facts", func(m map[string]any) { delete(m, "decision_facts") }},
		{"content type other without its text", func(m map[string]any) { m["content_type"] = []any{"CONTENT_TYPE_OTHER"} }},
		{"country outside the EEA", func(m map[string]any) { m["territorial_scope"] = []any{"DE", "CH"} }},
		{"date with time", func(m map[string]any) { m["application_date"] = "2026-11-02-16" }},
		{"application before 2020", func(m map[string]any) { m["application_date"] = "2019-12-31" }},
		{"content before 2000", func(m map[string]any) { m["content_date"] = "1999-12-31" }},
		{"impossible date", func(m map[string]any) { m["content_date"] = "2026-02-30" }},
		{"automated decision yes", func(m map[string]any) { m["automated_decision"] = "Yes" }},
		{"automated detection lower case", func(m map[string]any) { m["automated_detection"] = "no" }},
		{"unknown source", func(m map[string]any) { m["source_type"] = "SOURCE_BUSINESS" }},
		{"puid with a space", func(m map[string]any) { m["puid"] = "candor rpt-0" }},
		{"puid too long", func(m map[string]any) { m["puid"] = strings.Repeat("a", 501) }},
		{"reference url not a url", func(m map[string]any) { m["decision_ground_reference_url"] = "guidelines" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var m map[string]any
			if err := json.Unmarshal(base, &m); err != nil {
				t.Fatal(err)
			}
			tt.change(m)
			doc, err := json.Marshal(m)
			if err != nil {
				t.Fatal(err)
			}
			if err := ValidateJSON(doc); err == nil {
				t.Errorf("schema accepted %s", doc)
			}
		})
	}
}

func TestValidateJSONRefusesWhatIsNotAStatement(t *testing.T) {
	for _, doc := range []string{``, `[]`, `{"puid":`, `null`} {
		if err := ValidateJSON([]byte(doc)); err == nil {
			t.Errorf("ValidateJSON(%q) = nil", doc)
		}
	}
}

func BenchmarkStatementAndValidate(b *testing.B) {
	r := agentRemoval(moderation.AllReasons()...)
	p := dsa.DefaultPlatform()
	for b.Loop() {
		s, err := dsa.Statement(r, p)
		if err != nil {
			b.Fatal(err)
		}
		if err := Validate(s); err != nil {
			b.Fatal(err)
		}
	}
}
