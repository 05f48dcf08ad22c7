package contract_test

import (
	"encoding/json"
	"os"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/candorhq/candor/api"
)

// description is api/openapi.yaml as plain values (maps with string keys).
func description(t *testing.T) map[string]any {
	t.Helper()
	var doc map[string]any
	if err := yaml.Unmarshal(api.OpenAPI, &doc); err != nil {
		t.Fatal(err)
	}
	return doc
}

func schemas(t *testing.T) map[string]any {
	t.Helper()
	return description(t)["components"].(map[string]any)["schemas"].(map[string]any)
}

// walk calls fn for every map in v with the path to it, skipping the
// subtrees whose key skip says to skip.
func walk(v any, path string, skip func(key string) bool, fn func(path string, m map[string]any)) {
	switch x := v.(type) {
	case map[string]any:
		fn(path, x)
		for k, c := range x {
			if skip(k) {
				continue
			}
			walk(c, path+"/"+k, skip, fn)
		}
	case []any:
		for _, c := range x {
			walk(c, path+"[]", skip, fn)
		}
	}
}

// A description written in a YAML flow mapping is cut at its first comma:
// "{type: integer, description: Of those, ended removed.}" makes a key
// "ended removed." that no generator reads. Keys of the description are
// names, never sentences.
func TestNoKeyIsASentence(t *testing.T) {
	skip := func(k string) bool { return k == "example" || k == "examples" }
	walk(description(t), "", skip, func(path string, m map[string]any) {
		for k := range m {
			if strings.Contains(k, " ") {
				t.Errorf("%s: key %q is a sentence: a flow mapping was cut at a comma; quote the value", path, k)
			}
		}
	})
}

// Every const and every enum of strings says its type, so that generators
// make a string (not an interface{}) of it. Conditions (if) are not values.
func TestEveryConstHasAType(t *testing.T) {
	skip := func(k string) bool { return k == "if" || k == "example" || k == "examples" }
	walk(description(t), "", skip, func(path string, m map[string]any) {
		_, hasConst := m["const"]
		_, hasEnum := m["enum"]
		if (hasConst || hasEnum) && m["type"] == nil {
			t.Errorf("%s: a const or enum without a type", path)
		}
	})
}

// Every typed error is the error envelope with a narrower code: the same
// fields as ErrorBody (so a client reads message, fields and until from
// every error), and codes that ErrorCode lists.
func TestTypedErrorsAreTheEnvelope(t *testing.T) {
	all := schemas(t)
	body := all["ErrorBody"].(map[string]any)
	var want []string
	for k := range body["properties"].(map[string]any) {
		want = append(want, k)
	}
	sort.Strings(want)
	var codes []string
	for _, c := range all["ErrorCode"].(map[string]any)["enum"].([]any) {
		codes = append(codes, c.(string))
	}
	typed := 0
	for name, s := range all {
		m, _ := s.(map[string]any)
		props, _ := m["properties"].(map[string]any)
		env, _ := props["error"].(map[string]any)
		if env == nil || name == "Error" || env["type"] == "string" {
			continue // not an error envelope (an attempt's or a stall's error text)
		}
		typed++
		ep, _ := env["properties"].(map[string]any)
		var got []string
		for k := range ep {
			got = append(got, k)
		}
		sort.Strings(got)
		if !slices.Equal(got, want) {
			t.Errorf("%s: error has fields %v, ErrorBody has %v", name, got, want)
		}
		code, _ := ep["code"].(map[string]any)
		enum, _ := code["enum"].([]any)
		if len(enum) == 0 {
			t.Errorf("%s: code lists no values", name)
		}
		for _, c := range enum {
			if !slices.Contains(codes, c.(string)) {
				t.Errorf("%s: code %v is not in ErrorCode", name, c)
			}
		}
		if req, _ := env["required"].([]any); !slices.Contains(req, any("code")) || !slices.Contains(req, any("message")) {
			t.Errorf("%s: code and message must be required, got %v", name, req)
		}
	}
	if typed < 20 {
		t.Errorf("found %d typed errors; the walk is broken", typed)
	}
}

// The statements' items are the DSA Transparency Database's schema, the
// same as api/schemas/dsa-statement-v2.schema.json (which the statements
// are validated against), repeated in the description for generators.
func TestDSAStatementIsThePublishedSchema(t *testing.T) {
	raw, err := os.ReadFile("../../api/schemas/dsa-statement-v2.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	var file map[string]any
	if err := json.Unmarshal(raw, &file); err != nil {
		t.Fatal(err)
	}
	comp, _ := normalise(schemas(t)["DSAStatement"]).(map[string]any)
	if comp == nil {
		t.Fatal("components/schemas has no DSAStatement")
	}
	for _, k := range []string{"$schema", "$id", "title", "description"} {
		delete(file, k)
		delete(comp, k)
	}
	if !reflect.DeepEqual(comp, normalise(file)) {
		t.Error("components/schemas/DSAStatement differs from api/schemas/dsa-statement-v2.schema.json: regenerate it from the file")
	}
}

// normalise makes YAML and JSON values comparable (numbers as float64).
func normalise(v any) any {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	var out any
	if err := json.Unmarshal(b, &out); err != nil {
		panic(err)
	}
	return out
}

// The examples of path parameters are ids of the kind the parameter names:
// their prefix is one the schemas' id patterns declare ("^rpt_", "^wh_").
func TestIDExamplesHaveTheirKindsPrefix(t *testing.T) {
	doc := description(t)
	prefixes := map[string]bool{}
	walk(doc, "", func(string) bool { return false }, func(_ string, m map[string]any) {
		props, _ := m["properties"].(map[string]any)
		id, _ := props["id"].(map[string]any)
		if p, _ := id["pattern"].(string); strings.HasPrefix(p, "^") && strings.HasSuffix(p, "_") {
			prefixes[strings.TrimPrefix(p, "^")] = true
		}
	})
	if len(prefixes) < 5 {
		t.Fatalf("id prefixes found: %v", prefixes)
	}
	params := doc["components"].(map[string]any)["parameters"].(map[string]any)
	for name, p := range params {
		ex, _ := p.(map[string]any)["example"].(string)
		if !strings.Contains(ex, "_") || !strings.HasSuffix(name, "Id") {
			continue
		}
		if prefix := ex[:strings.Index(ex, "_")+1]; !prefixes[prefix] {
			t.Errorf("parameter %s: example %q has prefix %q; ids have %v", name, ex, prefix, prefixes)
		}
	}
}
