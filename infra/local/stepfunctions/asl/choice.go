package asl

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"
)

// ChoiceRule is a compiled Choice Rule of a JSONPath Choice state (spec
// "Choice State"): a Boolean expression (And, Or, Not) or a Data-test
// expression (a Variable and one comparison operator). It is immutable and
// safe for concurrent use.
type ChoiceRule struct {
	next   string
	assign any
	hasAsg bool

	logic string // "And", "Or", "Not" or "" for a data test
	rules []*ChoiceRule

	variable *Path
	op       string // the comparison operator's field name
	operand  any    // a literal operand
	opPath   *Path  // the operand of a …Path operator
	pattern  []globPart
	ts       time.Time
}

// comparison describes one comparison operator.
type comparison struct {
	typ     byte // 's' string, 'n' number, 'b' boolean, 't' timestamp, 'p' pattern, 'i' type test
	cmp     string
	usePath bool
}

// lookupComparison describes the operator named field, or returns false.
func lookupComparison(field string) (comparison, bool) {
	base, usePath := strings.CutSuffix(field, "Path")
	if usePath && strings.HasPrefix(base, "Is") {
		return comparison{}, false
	}
	for _, t := range []struct {
		prefix string
		typ    byte
	}{{"String", 's'}, {"Numeric", 'n'}, {"Timestamp", 't'}} {
		if rest, ok := strings.CutPrefix(base, t.prefix); ok {
			switch rest {
			case "Equals", "LessThan", "GreaterThan", "LessThanEquals", "GreaterThanEquals":
				return comparison{typ: t.typ, cmp: rest, usePath: usePath}, true
			}
			if t.typ == 's' && rest == "Matches" && !usePath {
				return comparison{typ: 'p'}, true
			}
			return comparison{}, false
		}
	}
	switch base {
	case "BooleanEquals":
		return comparison{typ: 'b', cmp: "Equals", usePath: usePath}, true
	}
	if !usePath {
		switch field {
		case "IsNull", "IsPresent", "IsNumeric", "IsString", "IsBoolean", "IsTimestamp":
			return comparison{typ: 'i', cmp: field}, true
		}
	}
	return comparison{}, false
}

// CompileChoiceRule compiles one Choice Rule object. A top-level rule (a
// member of "Choices") must have "Next" and may have "Assign"; a nested rule
// (inside And, Or or Not) must have neither. "Comment" is allowed anywhere.
// The error names the offending field, with its position for nested rules
// (for example `field "And[1].NumericEquals"`): unknown fields, a missing or
// invalid Variable, no or several comparison operators, an operand of the
// wrong type, an invalid timestamp, StringMatches pattern or path, an empty
// And/Or.
func CompileChoiceRule(raw map[string]any, top bool) (*ChoiceRule, error) {
	r, err := compileRule(raw, top, "")
	if err != nil {
		return nil, fmt.Errorf("compile choice rule: %w", err)
	}
	return r, nil
}

// Next returns the name of the state to go to when a top-level rule matches
// ("" for a nested rule).
func (r *ChoiceRule) Next() string { return r.next }

// Assign returns the rule's "Assign" value (state machine variables, left to
// the runtime) and whether it had one.
func (r *ChoiceRule) Assign() (any, bool) { return r.assign, r.hasAsg }

func fieldErr(at, field, format string, args ...any) error {
	return fmt.Errorf("field %q: %s", joinField(at, field), fmt.Sprintf(format, args...))
}

func compileRule(raw map[string]any, top bool, at string) (*ChoiceRule, error) {
	r := &ChoiceRule{}
	var ops []string
	var boolOps []string
	for _, k := range sortedKeys(raw) {
		v := raw[k]
		switch k {
		case "Comment":
			if _, ok := v.(string); !ok {
				return nil, fieldErr(at, k, "must be a string")
			}
		case "Next":
			if !top {
				return nil, fieldErr(at, k, "a nested choice rule (inside And, Or or Not) must not have Next")
			}
			s, ok := v.(string)
			if !ok || s == "" {
				return nil, fieldErr(at, k, "must be a non-empty string naming a state")
			}
			r.next = s
		case "Assign":
			if !top {
				return nil, fieldErr(at, k, "only a top-level choice rule may have Assign")
			}
			if _, ok := v.(map[string]any); !ok {
				return nil, fieldErr(at, k, "must be an object")
			}
			r.assign, r.hasAsg = v, true
		case "Variable":
			s, ok := v.(string)
			if !ok {
				return nil, fieldErr(at, k, "must be a string holding a path")
			}
			p, err := CompilePath(s)
			if err != nil {
				return nil, fmt.Errorf("field %q: %w", joinField(at, k), err)
			}
			r.variable = p
		case "And", "Or", "Not":
			boolOps = append(boolOps, k)
		default:
			if _, ok := lookupComparison(k); !ok {
				return nil, fieldErr(at, k, "unknown field in a choice rule")
			}
			ops = append(ops, k)
		}
	}
	if top && r.next == "" {
		return nil, fieldErr(at, "Next", "a top-level choice rule must have Next")
	}
	switch {
	case len(boolOps) > 1 || (len(boolOps) == 1 && (len(ops) > 0 || r.variable != nil)):
		return nil, fieldErr(at, strings.Join(append(boolOps, ops...), ","), "a choice rule is either one of And, Or, Not or a Variable with one comparison operator")
	case len(boolOps) == 1:
		return r, r.compileBoolean(raw, boolOps[0], at)
	case len(ops) == 0:
		if at == "" {
			return nil, errors.New("a choice rule needs And, Or, Not or a comparison operator")
		}
		return nil, fmt.Errorf("rule %q: a choice rule needs And, Or, Not or a comparison operator", at)
	case len(ops) > 1:
		return nil, fieldErr(at, strings.Join(ops, ","), "a choice rule must have exactly one comparison operator")
	case r.variable == nil:
		return nil, fieldErr(at, "Variable", "a data-test choice rule must have Variable")
	}
	return r, r.compileComparison(ops[0], raw[ops[0]], at)
}

func (r *ChoiceRule) compileBoolean(raw map[string]any, op, at string) error {
	r.logic = op
	if op == "Not" {
		m, ok := raw[op].(map[string]any)
		if !ok {
			return fieldErr(at, op, "must be a single choice rule object")
		}
		child, err := compileRule(m, false, joinField(at, op))
		if err != nil {
			return err
		}
		r.rules = []*ChoiceRule{child}
		return nil
	}
	list, ok := raw[op].([]any)
	if !ok || len(list) == 0 {
		return fieldErr(at, op, "must be a non-empty array of choice rules")
	}
	for i, e := range list {
		item := fmt.Sprintf("%s[%d]", op, i)
		m, ok := e.(map[string]any)
		if !ok {
			return fieldErr(at, item, "must be a choice rule object")
		}
		child, err := compileRule(m, false, joinField(at, item))
		if err != nil {
			return err
		}
		r.rules = append(r.rules, child)
	}
	return nil
}

func (r *ChoiceRule) compileComparison(op string, v any, at string) error {
	c, _ := lookupComparison(op)
	r.op = op
	if c.usePath {
		s, ok := v.(string)
		if !ok {
			return fieldErr(at, op, "must be a string holding a path")
		}
		p, err := CompilePath(s)
		if err != nil {
			return fmt.Errorf("field %q: %w", joinField(at, op), err)
		}
		r.opPath = p
		return nil
	}
	switch c.typ {
	case 's', 'p', 't':
		s, ok := v.(string)
		if !ok {
			return fieldErr(at, op, "must be a string")
		}
		switch c.typ {
		case 'p':
			pat, err := compileGlob(s)
			if err != nil {
				return fieldErr(at, op, "%s", err)
			}
			r.pattern = pat
		case 't':
			ts, ok := parseTimestamp(s)
			if !ok {
				return fieldErr(at, op, "must be an RFC 3339 timestamp with an uppercase T and Z or a numeric offset, like 2016-03-14T01:59:00Z")
			}
			r.ts = ts
		}
	case 'n':
		if !isNumber(v) {
			return fieldErr(at, op, "must be a number")
		}
	case 'b', 'i':
		if _, ok := v.(bool); !ok {
			return fieldErr(at, op, "must be a boolean")
		}
	}
	r.operand = v
	return nil
}

// Match evaluates the rule against the state's effective input (and ctx for
// "$$" paths). Comparing values of the wrong type is simply false. A Variable
// that selects nothing makes IsPresent false (or true for "IsPresent": false);
// for any other operator, as for a …Path operand that selects nothing, Match
// returns an *Error named ErrRuntime, as AWS does.
func (r *ChoiceRule) Match(input, ctx any) (bool, error) {
	switch r.logic {
	case "And":
		for _, c := range r.rules {
			ok, err := c.Match(input, ctx)
			if err != nil || !ok {
				return false, err
			}
		}
		return true, nil
	case "Or":
		for _, c := range r.rules {
			ok, err := c.Match(input, ctx)
			if err != nil || ok {
				return ok, err
			}
		}
		return false, nil
	case "Not":
		ok, err := r.rules[0].Match(input, ctx)
		return !ok && err == nil, err
	}
	v, err := r.variable.Get(input, ctx)
	present := err == nil
	if present && !r.variable.definite {
		list, _ := v.([]any)
		present = len(list) > 0
	}
	if r.op == "IsPresent" {
		return present == r.operand.(bool), nil
	}
	if err != nil {
		return false, invalidChoicePath(r.variable)
	}
	c, _ := lookupComparison(r.op)
	if c.typ == 'i' {
		return typeTest(r.op, v) == r.operand.(bool), nil
	}
	operand := r.operand
	ts := r.ts
	if r.opPath != nil {
		if operand, err = r.opPath.Get(input, ctx); err != nil {
			return false, invalidChoicePath(r.opPath)
		}
		if c.typ == 't' {
			s, ok := operand.(string)
			if ts, ok = parseTimestampOK(s, ok); !ok {
				return false, nil
			}
		}
	}
	return compare(c, v, operand, ts, r.pattern), nil
}

func invalidChoicePath(p *Path) error {
	return &Error{Name: ErrRuntime, Cause: fmt.Sprintf("Invalid path '%s': The choice state's condition path references an invalid value.", p.src)}
}

func parseTimestampOK(s string, ok bool) (time.Time, bool) {
	if !ok {
		return time.Time{}, false
	}
	return parseTimestamp(s)
}

func typeTest(op string, v any) bool {
	switch op {
	case "IsNull":
		return v == nil
	case "IsNumeric":
		return isNumber(v)
	case "IsString":
		_, ok := v.(string)
		return ok
	case "IsBoolean":
		_, ok := v.(bool)
		return ok
	case "IsTimestamp":
		s, ok := v.(string)
		_, ok = parseTimestampOK(s, ok)
		return ok
	}
	return false
}

// compare applies a comparison operator; values of the wrong type are false.
func compare(c comparison, v, operand any, ts time.Time, pattern []globPart) bool {
	var order int
	switch c.typ {
	case 'p':
		s, ok := v.(string)
		return ok && matchGlob(pattern, s)
	case 's':
		a, ok1 := v.(string)
		b, ok2 := operand.(string)
		if !ok1 || !ok2 {
			return false
		}
		order = compareStrings(a, b)
	case 'n':
		if !isNumber(v) || !isNumber(operand) {
			return false
		}
		var ok bool
		if order, ok = compareNumbers(v, operand); !ok {
			return false
		}
	case 'b':
		a, ok1 := v.(bool)
		b, ok2 := operand.(bool)
		return ok1 && ok2 && a == b
	case 't':
		s, ok := v.(string)
		t, ok := parseTimestampOK(s, ok)
		if !ok {
			return false
		}
		order = t.Compare(ts)
	}
	switch c.cmp {
	case "Equals":
		return order == 0
	case "LessThan":
		return order < 0
	case "GreaterThan":
		return order > 0
	case "LessThanEquals":
		return order <= 0
	case "GreaterThanEquals":
		return order >= 0
	}
	return false
}

// timestampSyntax is the spec's profile of RFC 3339: uppercase T, and Z or a
// numeric offset (spec "Timestamps").
var timestampSyntax = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$`)

// parseTimestamp parses a timestamp as the spec defines it.
func parseTimestamp(s string) (time.Time, bool) {
	if !timestampSyntax.MatchString(s) {
		return time.Time{}, false
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, false
	}
	return t, true
}

// ParseTimestamp parses a timestamp as the spec defines it (RFC 3339 with an
// uppercase "T" and "Z" or a numeric offset), for the runtime's Wait state.
func ParseTimestamp(s string) (time.Time, error) {
	t, ok := parseTimestamp(s)
	if !ok {
		return time.Time{}, fmt.Errorf("parse timestamp: %q is not an RFC 3339 timestamp with an uppercase T and Z or a numeric offset", s)
	}
	return t, nil
}

// globPart is a piece of a StringMatches pattern: literal text or a '*'.
type globPart struct {
	text string
	star bool
}

// compileGlob parses a StringMatches pattern: '*' matches any run of
// characters, \* is a literal star, \\ a literal backslash, and any other
// backslash is an error (spec "Choice Rules", StringMatches).
func compileGlob(s string) ([]globPart, error) {
	var parts []globPart
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '\\':
			if i+1 >= len(s) || (s[i+1] != '*' && s[i+1] != '\\') {
				return nil, errors.New(`open escape backslash in the pattern (only \* and \\ are escapes)`)
			}
			b.WriteByte(s[i+1])
			i++
		case '*':
			if b.Len() > 0 {
				parts = append(parts, globPart{text: b.String()})
				b.Reset()
			}
			if len(parts) == 0 || !parts[len(parts)-1].star {
				parts = append(parts, globPart{star: true})
			}
		default:
			b.WriteByte(c)
		}
	}
	if b.Len() > 0 {
		parts = append(parts, globPart{text: b.String()})
	}
	return parts, nil
}

// matchGlob reports whether s matches the whole pattern. Literal runs are
// matched leftmost after each star, which is exact for glob patterns and
// linear in practice.
func matchGlob(parts []globPart, s string) bool {
	star := false
	for i, p := range parts {
		if p.star {
			star = true
			continue
		}
		last := i == len(parts)-1
		switch {
		case !star:
			if !strings.HasPrefix(s, p.text) {
				return false
			}
			s = s[len(p.text):]
		case last:
			return strings.HasSuffix(s, p.text)
		default:
			j := strings.Index(s, p.text)
			if j < 0 {
				return false
			}
			s = s[j+len(p.text):]
		}
		star = false
	}
	return star || s == ""
}
