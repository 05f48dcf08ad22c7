package asl

import (
	"fmt"
	"testing"
	"time"
)

func mustRule(t *testing.T, raw string, top bool) *ChoiceRule {
	t.Helper()
	r, err := CompileChoiceRule(decode(t, raw).(map[string]any), top)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// states-language.net/spec.html#choice-state: the JSONPath "DispatchEvent"
// example, and AWS's "Choice State Example".
func TestChoiceSpecExample(t *testing.T) {
	choices := []string{
		`{"Not": {"Variable": "$.type", "StringEquals": "Private"}, "Next": "Public"}`,
		`{"And": [
		   {"Variable": "$.value", "IsPresent": true},
		   {"Variable": "$.value", "IsNumeric": true},
		   {"Variable": "$.value", "NumericGreaterThanEquals": 20},
		   {"Variable": "$.value", "NumericLessThan": 30}
		 ], "Assign": {"range": "twenties"}, "Next": "ValueInTwenties"}`,
		`{"Variable": "$.rating", "NumericGreaterThanPath": "$.auditThreshold", "Next": "StartAudit"}`,
	}
	var rules []*ChoiceRule
	for _, c := range choices {
		rules = append(rules, mustRule(t, c, true))
	}
	pick := func(input string) string {
		for _, r := range rules {
			ok, err := r.Match(decode(t, input), nil)
			if err != nil {
				t.Fatalf("Match(%s): %v", input, err)
			}
			if ok {
				return r.Next()
			}
		}
		return "RecordEvent" // the Default
	}
	for _, tc := range []struct{ input, want string }{
		{`{"type": "Private", "value": 22}`, "ValueInTwenties"}, // the spec's input
		{`{"type": "Public", "value": 22}`, "Public"},
		{`{"type": "Private", "value": 35, "rating": 9, "auditThreshold": 5}`, "StartAudit"},
		{`{"type": "Private", "value": "22", "rating": 1, "auditThreshold": 5}`, "RecordEvent"},
	} {
		t.Run(tc.input, func(t *testing.T) {
			if got := pick(tc.input); got != tc.want {
				t.Errorf("got Next %q, want %q", got, tc.want)
			}
		})
	}
	if a, ok := rules[1].Assign(); !ok || canon(t, a) != `{"range":"twenties"}` {
		t.Errorf("Assign() = %v, %v, want the rule's Assign object", a, ok)
	}
}

// Every comparison operator, true, false and with a value of the wrong type
// (spec: "if the values are not both of the appropriate type ... the
// comparison will return false").
func TestChoiceOperators(t *testing.T) {
	input := decode(t, `{
	  "s": "b", "n": 5, "f": 5.5, "t": true, "ts": "2016-03-14T01:59:00Z", "null": null,
	  "other": {"s": "b", "n": 5, "t": true, "ts": "2016-03-14T01:59:00Z", "lower": "a", "higher": "c",
	            "five": 5.0, "six": 6, "false": false, "later": "2016-03-14T03:59:00+01:00", "notts": "yesterday"}
	}`)
	type row struct {
		rule string
		want bool
	}
	rows := []row{
		{`"Variable": "$.s", "StringEquals": "b"`, true},
		{`"Variable": "$.s", "StringEquals": "B"`, false},
		{`"Variable": "$.n", "StringEquals": "5"`, false},
		{`"Variable": "$.s", "StringLessThan": "c"`, true},
		{`"Variable": "$.s", "StringLessThan": "b"`, false},
		{`"Variable": "$.n", "StringLessThan": "z"`, false},
		{`"Variable": "$.s", "StringGreaterThan": "a"`, true},
		{`"Variable": "$.s", "StringGreaterThan": "b"`, false},
		{`"Variable": "$.t", "StringGreaterThan": "a"`, false},
		{`"Variable": "$.s", "StringLessThanEquals": "b"`, true},
		{`"Variable": "$.s", "StringLessThanEquals": "a"`, false},
		{`"Variable": "$.null", "StringLessThanEquals": "a"`, false},
		{`"Variable": "$.s", "StringGreaterThanEquals": "b"`, true},
		{`"Variable": "$.s", "StringGreaterThanEquals": "c"`, false},
		{`"Variable": "$.n", "StringGreaterThanEquals": "0"`, false},
		{`"Variable": "$.s", "StringEqualsPath": "$.other.s"`, true},
		{`"Variable": "$.s", "StringEqualsPath": "$.other.lower"`, false},
		{`"Variable": "$.s", "StringEqualsPath": "$.other.n"`, false},
		{`"Variable": "$.s", "StringLessThanPath": "$.other.higher"`, true},
		{`"Variable": "$.s", "StringLessThanPath": "$.other.lower"`, false},
		{`"Variable": "$.s", "StringGreaterThanPath": "$.other.lower"`, true},
		{`"Variable": "$.s", "StringGreaterThanPath": "$.other.higher"`, false},
		{`"Variable": "$.s", "StringLessThanEqualsPath": "$.other.s"`, true},
		{`"Variable": "$.s", "StringLessThanEqualsPath": "$.other.lower"`, false},
		{`"Variable": "$.s", "StringGreaterThanEqualsPath": "$.other.s"`, true},
		{`"Variable": "$.s", "StringGreaterThanEqualsPath": "$.other.higher"`, false},
		{`"Variable": "$.n", "NumericEquals": 5`, true},
		{`"Variable": "$.n", "NumericEquals": 5.0`, true},
		{`"Variable": "$.n", "NumericEquals": 6`, false},
		{`"Variable": "$.s", "NumericEquals": 5`, false},
		{`"Variable": "$.n", "NumericLessThan": 5.5`, true},
		{`"Variable": "$.n", "NumericLessThan": 5`, false},
		{`"Variable": "$.t", "NumericLessThan": 5`, false},
		{`"Variable": "$.f", "NumericGreaterThan": 5`, true},
		{`"Variable": "$.f", "NumericGreaterThan": 5.5`, false},
		{`"Variable": "$.null", "NumericGreaterThan": -1`, false},
		{`"Variable": "$.n", "NumericLessThanEquals": 5`, true},
		{`"Variable": "$.n", "NumericLessThanEquals": 4.99`, false},
		{`"Variable": "$.s", "NumericLessThanEquals": 5`, false},
		{`"Variable": "$.n", "NumericGreaterThanEquals": 5`, true},
		{`"Variable": "$.n", "NumericGreaterThanEquals": 5.01`, false},
		{`"Variable": "$.ts", "NumericGreaterThanEquals": 0`, false},
		{`"Variable": "$.n", "NumericEqualsPath": "$.other.five"`, true},
		{`"Variable": "$.n", "NumericEqualsPath": "$.other.six"`, false},
		{`"Variable": "$.n", "NumericEqualsPath": "$.other.s"`, false},
		{`"Variable": "$.n", "NumericLessThanPath": "$.other.six"`, true},
		{`"Variable": "$.n", "NumericLessThanPath": "$.other.five"`, false},
		{`"Variable": "$.n", "NumericGreaterThanPath": "$.other.six"`, false},
		{`"Variable": "$.f", "NumericGreaterThanPath": "$.other.five"`, true},
		{`"Variable": "$.n", "NumericLessThanEqualsPath": "$.other.five"`, true},
		{`"Variable": "$.f", "NumericLessThanEqualsPath": "$.other.five"`, false},
		{`"Variable": "$.n", "NumericGreaterThanEqualsPath": "$.other.five"`, true},
		{`"Variable": "$.n", "NumericGreaterThanEqualsPath": "$.other.six"`, false},
		{`"Variable": "$.t", "BooleanEquals": true`, true},
		{`"Variable": "$.t", "BooleanEquals": false`, false},
		{`"Variable": "$.s", "BooleanEquals": true`, false},
		{`"Variable": "$.t", "BooleanEqualsPath": "$.other.t"`, true},
		{`"Variable": "$.t", "BooleanEqualsPath": "$.other.false"`, false},
		{`"Variable": "$.t", "BooleanEqualsPath": "$.other.s"`, false},
		{`"Variable": "$.ts", "TimestampEquals": "2016-03-14T01:59:00Z"`, true},
		{`"Variable": "$.ts", "TimestampEquals": "2016-03-14T02:59:00+01:00"`, true}, // the same instant
		{`"Variable": "$.ts", "TimestampEquals": "2016-03-14T01:59:01Z"`, false},
		{`"Variable": "$.s", "TimestampEquals": "2016-03-14T01:59:00Z"`, false},
		{`"Variable": "$.ts", "TimestampLessThan": "2016-03-14T01:59:00.001Z"`, true},
		{`"Variable": "$.ts", "TimestampLessThan": "2016-03-14T01:59:00Z"`, false},
		{`"Variable": "$.n", "TimestampLessThan": "2016-03-14T01:59:00Z"`, false},
		{`"Variable": "$.ts", "TimestampGreaterThan": "2016-03-14T01:58:59Z"`, true},
		{`"Variable": "$.ts", "TimestampGreaterThan": "2016-03-14T03:00:00+01:00"`, false},
		{`"Variable": "$.null", "TimestampGreaterThan": "2016-03-14T01:58:59Z"`, false},
		{`"Variable": "$.ts", "TimestampLessThanEquals": "2016-03-14T01:59:00Z"`, true},
		{`"Variable": "$.ts", "TimestampLessThanEquals": "2016-03-14T01:58:00Z"`, false},
		{`"Variable": "$.t", "TimestampLessThanEquals": "2016-03-14T01:58:00Z"`, false},
		{`"Variable": "$.ts", "TimestampGreaterThanEquals": "2016-03-14T01:59:00Z"`, true},
		{`"Variable": "$.ts", "TimestampGreaterThanEquals": "2016-03-14T02:00:00Z"`, false},
		{`"Variable": "$.other.notts", "TimestampGreaterThanEquals": "2016-03-14T02:00:00Z"`, false},
		{`"Variable": "$.ts", "TimestampEqualsPath": "$.other.ts"`, true},
		{`"Variable": "$.ts", "TimestampEqualsPath": "$.other.later"`, false},
		{`"Variable": "$.ts", "TimestampEqualsPath": "$.other.notts"`, false},
		{`"Variable": "$.ts", "TimestampLessThanPath": "$.other.later"`, true},
		{`"Variable": "$.ts", "TimestampLessThanPath": "$.other.ts"`, false},
		{`"Variable": "$.ts", "TimestampGreaterThanPath": "$.other.later"`, false},
		{`"Variable": "$.other.later", "TimestampGreaterThanPath": "$.ts"`, true},
		{`"Variable": "$.ts", "TimestampLessThanEqualsPath": "$.other.ts"`, true},
		{`"Variable": "$.other.later", "TimestampLessThanEqualsPath": "$.ts"`, false},
		{`"Variable": "$.ts", "TimestampGreaterThanEqualsPath": "$.other.ts"`, true},
		{`"Variable": "$.ts", "TimestampGreaterThanEqualsPath": "$.other.later"`, false},
		{`"Variable": "$.null", "IsNull": true`, true},
		{`"Variable": "$.s", "IsNull": true`, false},
		{`"Variable": "$.s", "IsNull": false`, true},
		{`"Variable": "$.s", "IsPresent": true`, true},
		{`"Variable": "$.missing", "IsPresent": true`, false},
		{`"Variable": "$.missing", "IsPresent": false`, true},
		{`"Variable": "$.null", "IsPresent": true`, true},
		{`"Variable": "$.missing[*]", "IsPresent": true`, false},
		{`"Variable": "$.n", "IsNumeric": true`, true},
		{`"Variable": "$.s", "IsNumeric": true`, false},
		{`"Variable": "$.s", "IsString": true`, true},
		{`"Variable": "$.n", "IsString": true`, false},
		{`"Variable": "$.t", "IsBoolean": true`, true},
		{`"Variable": "$.s", "IsBoolean": true`, false},
		{`"Variable": "$.ts", "IsTimestamp": true`, true},
		{`"Variable": "$.s", "IsTimestamp": true`, false},
		{`"Variable": "$.n", "IsTimestamp": false`, true},
		{`"Variable": "$.s", "StringMatches": "*"`, true},
		{`"Variable": "$.n", "StringMatches": "*"`, false},
		{`"Variable": "$$.Execution.Name", "StringEquals": "exec-1"`, true},
		{`"Variable": "$.s", "StringEqualsPath": "$$.Execution.Name"`, false},
	}
	ctx := decode(t, `{"Execution": {"Name": "exec-1"}}`)
	for _, tc := range rows {
		t.Run(tc.rule, func(t *testing.T) {
			r := mustRule(t, "{"+tc.rule+"}", false)
			got, err := r.Match(input, ctx)
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("Match = %v, want %v", got, tc.want)
			}
		})
	}
}

// States.Matches: spec examples, escapes \* and \\, and patterns that need
// backtracking.
func TestChoiceStringMatches(t *testing.T) {
	for _, tc := range []struct {
		pattern, value string
		want           bool
	}{
		{`foo*.log`, `foo23.log`, true}, // spec examples
		{`*.log`, `zebra.log`, true},
		{`foo*.*`, `foobar.zebra`, true},
		{`foo*.log`, `foo23.txt`, false},
		{`*.log`, `zebra.log.gz`, false},
		{`exact`, `exact`, true},
		{`exact`, `exactly`, false},
		{``, ``, true},
		{``, `x`, false},
		{`a*b*c`, `aXbYbZc`, true},
		{`a*b*c`, `acb`, false},
		{`*ab*b`, `ab`, false},
		{`*a*a`, `aa`, true},
		{`**`, `anything`, true},
		{`\*`, `*`, true}, // JSON "\\*": a literal star
		{`\*`, `x`, false},
		{`a\*b*`, `a*bcd`, true},
		{`a\*b*`, `axbcd`, false},
		{`C:\\dir\\*`, `C:\dir\file`, true}, // JSON "\\\\": a literal backslash
		{`C:\\dir\\*`, `C:/dir/file`, false},
		{`ünï*ødé`, `ünïcødé`, true},
	} {
		t.Run(tc.pattern+"~"+tc.value, func(t *testing.T) {
			r, err := CompileChoiceRule(map[string]any{"Variable": "$.v", "StringMatches": tc.pattern}, false)
			if err != nil {
				t.Fatal(err)
			}
			got, err := r.Match(map[string]any{"v": tc.value}, nil)
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("%q matches %q = %v, want %v", tc.pattern, tc.value, got, tc.want)
			}
		})
	}
	// spec: "If an open escape backslash \ is found in the StringMatches
	// string, the interpreter will throw a runtime error" – found at load time.
	for _, bad := range []string{`a\b`, `trailing\`} {
		_, err := CompileChoiceRule(map[string]any{"Variable": "$.v", "StringMatches": bad}, false)
		assertCompileError(t, err, `field "StringMatches"`, "open escape backslash")
	}
}

// AWS documents Java's String.compareTo for the String comparators: UTF-16
// code units, not code points.
func TestChoiceStringOrderIsJavas(t *testing.T) {
	// U+FF5E (a BMP character from U+E000 up) sorts after U+1F600 in UTF-16
	// (0xFF5E > 0xD83D) but before it by code point.
	r := mustRule(t, `{"Variable": "$.v", "StringLessThan": "～"}`, false)
	got, err := r.Match(map[string]any{"v": "😀"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !got {
		t.Errorf(`"😀" < "～" = false, want true (Java String.compareTo)`)
	}
	for _, tc := range []struct {
		a, b string
		want int
	}{{"a", "b", -1}, {"b", "a", 1}, {"ab", "a", 1}, {"", "", 0}, {"é", "é", 0}, {"😀", "😁", -1}} {
		if got := compareStrings(tc.a, tc.b); got != tc.want {
			t.Errorf("compareStrings(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
	}
}

func TestChoiceBooleanExpressions(t *testing.T) {
	input := decode(t, `{"a": 1, "b": "x"}`)
	for _, tc := range []struct {
		rule string
		want bool
	}{
		{`{"And": [{"Variable": "$.a", "NumericEquals": 1}, {"Variable": "$.b", "StringEquals": "x"}]}`, true},
		{`{"And": [{"Variable": "$.a", "NumericEquals": 1}, {"Variable": "$.b", "StringEquals": "y"}]}`, false},
		{`{"Or": [{"Variable": "$.a", "NumericEquals": 2}, {"Variable": "$.b", "StringEquals": "x"}]}`, true},
		{`{"Or": [{"Variable": "$.a", "NumericEquals": 2}, {"Variable": "$.b", "StringEquals": "y"}]}`, false},
		{`{"Not": {"Variable": "$.a", "NumericEquals": 2}}`, true},
		{`{"Not": {"Not": {"Variable": "$.a", "NumericEquals": 2}}}`, false},
		// Evaluation stops once the result is known, so a later missing
		// variable does not fail the rule.
		{`{"Or": [{"Variable": "$.a", "NumericEquals": 1}, {"Variable": "$.missing", "NumericEquals": 1}]}`, true},
		{`{"And": [{"Variable": "$.a", "NumericEquals": 2}, {"Variable": "$.missing", "NumericEquals": 1}]}`, false},
		{`{"And": [{"Variable": "$.missing", "IsPresent": false}, {"Or": [{"Variable": "$.b", "StringMatches": "x*"}]}]}`, true},
	} {
		t.Run(tc.rule, func(t *testing.T) {
			got, err := mustRule(t, tc.rule, false).Match(input, nil)
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("Match = %v, want %v", got, tc.want)
			}
		})
	}
}

// A Variable (or …Path operand) that selects nothing fails the state with
// States.Runtime, except for IsPresent.
func TestChoiceMissingVariable(t *testing.T) {
	input := decode(t, `{"a": 1}`)
	for _, tc := range []struct{ rule, path string }{
		{`{"Variable": "$.missing", "StringEquals": "x"}`, "$.missing"},
		{`{"Variable": "$.missing", "IsNull": true}`, "$.missing"},
		{`{"Variable": "$.a", "NumericEqualsPath": "$.missing"}`, "$.missing"},
		{`{"Not": {"Variable": "$.missing", "IsString": false}}`, "$.missing"},
		{`{"And": [{"Variable": "$.a", "NumericEquals": 1}, {"Variable": "$.gone", "BooleanEquals": true}]}`, "$.gone"},
	} {
		t.Run(tc.rule, func(t *testing.T) {
			_, err := mustRule(t, tc.rule, false).Match(input, nil)
			assertError(t, err, ErrRuntime, fmt.Sprintf("Invalid path '%s': The choice state's condition path references an invalid value.", tc.path))
		})
	}
}

func TestCompileChoiceRuleRejects(t *testing.T) {
	for _, tc := range []struct {
		name, rule string
		top        bool
		fragment   string
	}{
		{"top-level rule without Next", `{"Variable": "$.a", "IsNull": true}`, true, `field "Next": a top-level choice rule must have Next`},
		{"nested rule with Next", `{"Variable": "$.a", "IsNull": true, "Next": "X"}`, false, `field "Next": a nested choice rule`},
		{"Next inside And", `{"And": [{"Variable": "$.a", "IsNull": true, "Next": "X"}], "Next": "Y"}`, true, `field "And[0].Next"`},
		{"Next inside Not", `{"Not": {"Variable": "$.a", "IsNull": true, "Next": "X"}, "Next": "Y"}`, true, `field "Not.Next"`},
		{"unknown field", `{"Variable": "$.a", "IsNull": true, "Nxt": "X"}`, false, `field "Nxt": unknown field`},
		{"unknown operator", `{"Variable": "$.a", "StringContains": "x"}`, false, `field "StringContains": unknown field`},
		{"no Path variant of StringMatches", `{"Variable": "$.a", "StringMatchesPath": "$.b"}`, false, `field "StringMatchesPath": unknown field`},
		{"no Path variant of IsNull", `{"Variable": "$.a", "IsNullPath": "$.b"}`, false, `field "IsNullPath": unknown field`},
		{"two operators", `{"Variable": "$.a", "IsNull": true, "IsString": true}`, false, "exactly one comparison operator"},
		{"no operator", `{"Variable": "$.a"}`, false, "needs And, Or, Not or a comparison operator"},
		{"missing Variable", `{"StringEquals": "x"}`, false, `field "Variable": a data-test choice rule must have Variable`},
		{"Variable not a string", `{"Variable": 1, "IsNull": true}`, false, `field "Variable": must be a string`},
		{"Variable not a path", `{"Variable": "a", "IsNull": true}`, false, `field "Variable": compile path`},
		{"And mixed with a comparison", `{"And": [{"Variable": "$.a", "IsNull": true}], "Variable": "$.a", "IsNull": true}`, false, "either one of And, Or, Not"},
		{"And and Or together", `{"And": [], "Or": []}`, false, "either one of And, Or, Not"},
		{"empty And", `{"And": []}`, false, `field "And": must be a non-empty array`},
		{"Or not an array", `{"Or": {"Variable": "$.a", "IsNull": true}}`, false, `field "Or": must be a non-empty array`},
		{"Not an array", `{"Not": [{"Variable": "$.a", "IsNull": true}]}`, false, `field "Not": must be a single choice rule`},
		{"And element not an object", `{"And": [1]}`, false, `field "And[0]": must be a choice rule object`},
		{"error deep inside", `{"Or": [{"Variable": "$.a", "IsNull": true}, {"Not": {"Variable": "$.a", "NumericEquals": "5"}}]}`, false, `field "Or[1].Not.NumericEquals": must be a number`},
		{"StringEquals with a number", `{"Variable": "$.a", "StringEquals": 5}`, false, `field "StringEquals": must be a string`},
		{"NumericEquals with a string", `{"Variable": "$.a", "NumericEquals": "5"}`, false, `field "NumericEquals": must be a number`},
		{"BooleanEquals with a string", `{"Variable": "$.a", "BooleanEquals": "true"}`, false, `field "BooleanEquals": must be a boolean`},
		{"IsPresent with a string", `{"Variable": "$.a", "IsPresent": "yes"}`, false, `field "IsPresent": must be a boolean`},
		{"Timestamp with lowercase t", `{"Variable": "$.a", "TimestampEquals": "2016-03-14t01:59:00Z"}`, false, `field "TimestampEquals": must be an RFC 3339 timestamp`},
		{"Timestamp without zone", `{"Variable": "$.a", "TimestampEquals": "2016-03-14T01:59:00"}`, false, "RFC 3339"},
		{"Timestamp with lowercase z", `{"Variable": "$.a", "TimestampEquals": "2016-03-14T01:59:00z"}`, false, "RFC 3339"},
		{"Timestamp that is not a date", `{"Variable": "$.a", "TimestampEquals": "2016-02-30T01:59:00Z"}`, false, "RFC 3339"},
		{"Path operator with a bad path", `{"Variable": "$.a", "NumericEqualsPath": "$.b["}`, false, `field "NumericEqualsPath": compile path`},
		{"Path operator with a number", `{"Variable": "$.a", "NumericEqualsPath": 5}`, false, `field "NumericEqualsPath": must be a string holding a path`},
		{"Assign on a nested rule", `{"Variable": "$.a", "IsNull": true, "Assign": {}}`, false, `field "Assign": only a top-level choice rule`},
		{"Comment not a string", `{"Variable": "$.a", "IsNull": true, "Comment": 1}`, false, `field "Comment": must be a string`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := CompileChoiceRule(decode(t, tc.rule).(map[string]any), tc.top)
			assertCompileError(t, err, "compile choice rule", tc.fragment)
		})
	}
}

func TestChoiceRuleNextAndComment(t *testing.T) {
	r := mustRule(t, `{"Variable": "$.a", "IsNull": true, "Next": "Done", "Comment": "why"}`, true)
	if r.Next() != "Done" {
		t.Errorf("Next() = %q, want Done", r.Next())
	}
	if _, ok := r.Assign(); ok {
		t.Errorf("Assign() reports a value for a rule without Assign")
	}
}

// The spec's timestamp profile: uppercase T, Z or a numeric offset,
// optional fractional seconds.
func TestParseTimestamp(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want time.Time
		ok   bool
	}{
		{"2016-03-14T01:59:00Z", time.Date(2016, 3, 14, 1, 59, 0, 0, time.UTC), true},
		{"2016-03-14T01:59:00.123456789Z", time.Date(2016, 3, 14, 1, 59, 0, 123456789, time.UTC), true},
		{"2016-03-14T03:59:00+02:00", time.Date(2016, 3, 14, 1, 59, 0, 0, time.UTC), true},
		{"2016-03-14T01:59:00-00:30", time.Date(2016, 3, 14, 2, 29, 0, 0, time.UTC), true},
		{"2016-03-14 01:59:00Z", time.Time{}, false},
		{"2016-03-14T01:59Z", time.Time{}, false},
		{"2016-03-14T01:59:00+0200", time.Time{}, false},
		{"2016-03-14T25:59:00Z", time.Time{}, false},
		{"", time.Time{}, false},
	} {
		t.Run(tc.in, func(t *testing.T) {
			got, err := ParseTimestamp(tc.in)
			if (err == nil) != tc.ok {
				t.Fatalf("ParseTimestamp(%q) error = %v, want ok=%v", tc.in, err, tc.ok)
			}
			if tc.ok && !got.Equal(tc.want) {
				t.Errorf("ParseTimestamp(%q) = %v, want %v", tc.in, got, tc.want)
			}
		})
	}
}
