package deploycheck

import (
	"errors"
	"fmt"
	"maps"
	"os"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

// Template is a parsed CloudFormation/SAM template. Short-form tags (!Ref,
// !GetAtt, !Sub, !If, ...) are rewritten to their long forms ({"Ref": x},
// {"Fn::GetAtt": [r, a]}, ...), as CloudFormation reads them, so the rest of
// the package sees one representation. Mappings become map[string]any,
// sequences []any, scalars string, int, float64, bool or nil.
type Template struct {
	Raw map[string]any
}

// Resource is one entry of the template's Resources.
type Resource struct {
	ID         string
	Type       string
	Properties map[string]any
	Metadata   map[string]any
	Raw        map[string]any
}

// LoadTemplate reads and parses the template at path.
func LoadTemplate(path string) (*Template, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("load template: %w", err)
	}
	t, err := ParseTemplate(b)
	if err != nil {
		return nil, fmt.Errorf("load template %s: %w", path, err)
	}
	return t, nil
}

// ParseTemplate parses a template's YAML, SAM's short-form tags included. An
// unknown tag is an error, as it is for CloudFormation.
func ParseTemplate(b []byte) (*Template, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(b, &doc); err != nil {
		return nil, fmt.Errorf("parse template: %w", err)
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) != 1 {
		return nil, errors.New("parse template: not a single YAML document")
	}
	v, err := convert(doc.Content[0])
	if err != nil {
		return nil, fmt.Errorf("parse template: %w", err)
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, errors.New("parse template: the document is not a mapping")
	}
	return &Template{Raw: m}, nil
}

// shortForms maps each short-form tag to its long-form key.
var shortForms = map[string]string{
	"!Ref": "Ref", "!Condition": "Condition",
	"!GetAtt": "Fn::GetAtt", "!Sub": "Fn::Sub", "!If": "Fn::If", "!Join": "Fn::Join",
	"!Select": "Fn::Select", "!Split": "Fn::Split", "!Equals": "Fn::Equals", "!Not": "Fn::Not",
	"!And": "Fn::And", "!Or": "Fn::Or", "!FindInMap": "Fn::FindInMap", "!Base64": "Fn::Base64",
	"!Cidr": "Fn::Cidr", "!ImportValue": "Fn::ImportValue", "!GetAZs": "Fn::GetAZs",
	"!Transform": "Fn::Transform", "!ToJsonString": "Fn::ToJsonString", "!Length": "Fn::Length",
}

// convert turns a YAML node into plain Go values with long-form intrinsics.
func convert(n *yaml.Node) (any, error) {
	if n.Kind == yaml.AliasNode {
		return convert(n.Alias)
	}
	var v any
	switch n.Kind {
	case yaml.MappingNode:
		m := make(map[string]any, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			cv, err := convert(n.Content[i+1])
			if err != nil {
				return nil, err
			}
			m[n.Content[i].Value] = cv
		}
		v = m
	case yaml.SequenceNode:
		s := make([]any, 0, len(n.Content))
		for _, c := range n.Content {
			cv, err := convert(c)
			if err != nil {
				return nil, err
			}
			s = append(s, cv)
		}
		v = s
	case yaml.ScalarNode:
		if isShortForm(n.Tag) {
			v = n.Value // a short-form tag's scalar argument is a string
		} else if err := n.Decode(&v); err != nil {
			return nil, fmt.Errorf("line %d: %w", n.Line, err)
		}
	default:
		return nil, fmt.Errorf("line %d: unexpected YAML node", n.Line)
	}
	if !isShortForm(n.Tag) {
		return v, nil
	}
	key, ok := shortForms[n.Tag]
	if !ok {
		return nil, fmt.Errorf("line %d: unknown tag %s", n.Line, n.Tag)
	}
	if n.Tag == "!GetAtt" {
		if s, ok := v.(string); ok {
			res, attr, found := strings.Cut(s, ".")
			if !found {
				return nil, fmt.Errorf("line %d: !GetAtt %q is not Resource.Attribute", n.Line, s)
			}
			v = []any{res, attr}
		}
	}
	return map[string]any{key: v}, nil
}

// isShortForm reports whether tag is an application tag (!Ref), not a YAML
// core tag (!!str) or none.
func isShortForm(tag string) bool {
	return strings.HasPrefix(tag, "!") && !strings.HasPrefix(tag, "!!")
}

// Section returns a top-level section (Parameters, Resources, ...) or nil.
func (t *Template) Section(name string) map[string]any {
	m, _ := t.Raw[name].(map[string]any)
	return m
}

// Resources returns every resource, sorted by logical id.
func (t *Template) Resources() []Resource {
	sec := t.Section("Resources")
	out := make([]Resource, 0, len(sec))
	for _, id := range slices.Sorted(maps.Keys(sec)) {
		if r, ok := t.Resource(id); ok {
			out = append(out, r)
		}
	}
	return out
}

// Resource returns the resource with logical id id.
func (t *Template) Resource(id string) (Resource, bool) {
	raw, ok := t.Section("Resources")[id].(map[string]any)
	if !ok {
		return Resource{}, false
	}
	r := Resource{ID: id, Raw: raw}
	r.Type, _ = raw["Type"].(string)
	r.Properties, _ = raw["Properties"].(map[string]any)
	r.Metadata, _ = raw["Metadata"].(map[string]any)
	if r.Properties == nil {
		r.Properties = map[string]any{}
	}
	return r, true
}

// ResourcesOfType returns the resources of type typ, sorted by logical id.
func (t *Template) ResourcesOfType(typ string) []Resource {
	var out []Resource
	for _, r := range t.Resources() {
		if r.Type == typ {
			out = append(out, r)
		}
	}
	return out
}

// Globals returns the Globals section for kind ("Function", "Api", ...) or nil.
func (t *Template) Globals(kind string) map[string]any {
	m, _ := t.Section("Globals")[kind].(map[string]any)
	return m
}

// Clone returns a deep copy, for tests that break a template on purpose.
func (t *Template) Clone() *Template {
	return &Template{Raw: deepCopy(t.Raw).(map[string]any)}
}

func deepCopy(v any) any {
	switch x := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(x))
		for k, e := range x {
			m[k] = deepCopy(e)
		}
		return m
	case []any:
		s := make([]any, len(x))
		for i, e := range x {
			s[i] = deepCopy(e)
		}
		return s
	}
	return v
}

// Lookup follows a path of map keys from v, returning nil when any step is
// missing or not a mapping.
func Lookup(v any, path ...string) any {
	for _, k := range path {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[k]
	}
	return v
}

// LookupMap is Lookup for a mapping.
func LookupMap(v any, path ...string) map[string]any {
	m, _ := Lookup(v, path...).(map[string]any)
	return m
}

// LookupString is Lookup for a plain string ("" when missing or not a string).
func LookupString(v any, path ...string) string {
	s, _ := Lookup(v, path...).(string)
	return s
}
