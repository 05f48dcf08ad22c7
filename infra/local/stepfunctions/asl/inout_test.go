package asl

import (
	"testing"
)

func mustRef(t *testing.T, s string) *Path {
	t.Helper()
	p, err := CompileResultPath(s)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func mustPath(t testing.TB, s string) *Path {
	t.Helper()
	p, err := CompilePath(s)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// states-language.net/spec.html#filters "ResultPath" examples, "Input/Output
// Processing Examples" and the edge cases of merging into nested and missing
// paths.
func TestApplyResultPath(t *testing.T) {
	for _, tc := range []struct {
		name, input, path, result, want string
	}{
		{
			name:  "spec: overwrite master.detail",
			input: `{"master": {"detail": [1, 2, 3]}}`, path: "$.master.detail", result: `6`,
			want: `{"master": {"detail": 6}}`,
		},
		{
			name:  "spec: chain of new fields master.result.sum",
			input: `{"master": {"detail": [1, 2, 3]}}`, path: "$.master.result.sum", result: `6`,
			want: `{"master": {"detail": [1, 2, 3], "result": {"sum": 6}}}`,
		},
		{
			name:  "spec: Input/Output Processing Examples, ResultPath $.sum",
			input: `{"title": "Numbers to add", "numbers": {"val1": 3, "val2": 4}}`, path: "$.sum", result: `7`,
			want: `{"title": "Numbers to add", "numbers": {"val1": 3, "val2": 4}, "sum": 7}`,
		},
		{
			name:  "spec: multiple levels constructed, $.b.greeting",
			input: `{"a": 1}`, path: "$.b.greeting", result: `"Hi!"`,
			want: `{"a": 1, "b": {"greeting": "Hi!"}}`,
		},
		{
			name:  "spec Catch example: error output into $.error-info",
			input: `{"order": 7}`, path: "$.error-info", result: `{"Error": "java.lang.Exception", "Cause": "boom"}`,
			want: `{"order": 7, "error-info": {"Error": "java.lang.Exception", "Cause": "boom"}}`,
		},
		{
			name:  "root replaces the input",
			input: `{"a": 1}`, path: "$", result: `[1, 2]`,
			want: `[1, 2]`,
		},
		{
			name:  "merge deep into an existing object keeps its siblings",
			input: `{"a": {"b": {"c": 1, "d": 2}, "e": 3}}`, path: "$.a.b.c", result: `{"new": true}`,
			want: `{"a": {"b": {"c": {"new": true}, "d": 2}, "e": 3}}`,
		},
		{
			name:  "several missing levels",
			input: `{}`, path: "$.x.y.z", result: `null`,
			want: `{"x": {"y": {"z": null}}}`,
		},
		{
			name:  "bracket notation and an existing array element",
			input: `{"list": [{"id": 1}, {"id": 2}]}`, path: "$['list'][1].status", result: `"done"`,
			want: `{"list": [{"id": 1}, {"id": 2, "status": "done"}]}`,
		},
		{
			name:  "negative index counts from the end",
			input: `{"list": [1, 2, 3]}`, path: "$.list[-1]", result: `"last"`,
			want: `{"list": [1, 2, "last"]}`,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			input := decode(t, tc.input)
			before := canon(t, input)
			got, err := ApplyResultPath(mustRef(t, tc.path), false, input, decode(t, tc.result))
			if err != nil {
				t.Fatal(err)
			}
			assertJSON(t, got, tc.want)
			if after := canon(t, input); after != before {
				t.Errorf("input changed to %s, want it untouched %s", after, before)
			}
		})
	}
}

// states-language.net/spec.html#jsonpath-runtime-errors: ResultPath "$.x" on
// the input "foo" fails with States.ResultPathMatchFailure; so does any path
// that runs into something that is not an object (or not an array with that
// index).
func TestApplyResultPathMatchFailure(t *testing.T) {
	for _, tc := range []struct{ name, input, path, fragment string }{
		{"spec: string input", `"foo"`, "$.x", "expected an object at $ to hold ['x'] but found 'string'"},
		{"array where a field is needed", `[1, 2]`, "$.x", "found 'array'"},
		{"null input", `null`, "$.x", "found 'null'"},
		{"number on the way", `{"a": 5}`, "$.a.b", "expected an object at $['a'] to hold ['b'] but found 'number'"},
		{"null on the way", `{"a": null}`, "$.a.b", "found 'null'"},
		{"index out of bounds", `{"a": [1]}`, "$.a[3]", "out of bounds"},
		{"index into an object", `{"a": {"b": 1}}`, "$.a[0]", "expected an array"},
		{"missing array cannot be created", `{}`, "$.a[0]", "cannot be created as an array"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ApplyResultPath(mustRef(t, tc.path), false, decode(t, tc.input), "result")
			assertError(t, err, ErrResultPathMatchFailure, "'"+tc.path+"'", tc.fragment)
		})
	}
}

func TestApplyResultPathDefaultsAndNull(t *testing.T) {
	input := decode(t, `{"a": 1}`)
	// Default "$": the result replaces the input.
	got, err := ApplyResultPath(nil, false, input, "result")
	if err != nil || got != "result" {
		t.Errorf("nil path: got %v, %v, want result", got, err)
	}
	// spec: "If the value of ResultPath is null, that means that the state's
	// result is discarded and its raw input becomes its result."
	got, err = ApplyResultPath(nil, true, input, "result")
	if err != nil {
		t.Fatal(err)
	}
	assertJSON(t, got, `{"a": 1}`)
}

func TestCompileResultPathRejects(t *testing.T) {
	for _, tc := range []struct{ path, fragment string }{
		{"$$.Execution", `must not begin with "$$"`},
		{"$.a[*]", "reference path may only use"},
		{"$.a..b", "reference path may only use"},
	} {
		t.Run(tc.path, func(t *testing.T) {
			_, err := CompileResultPath(tc.path)
			assertCompileError(t, err, tc.fragment)
		})
	}
	// A path compiled elsewhere is still refused at apply time.
	_, err := ApplyResultPath(mustPath(t, "$.a[*]"), false, decode(t, `{}`), 1)
	assertError(t, err, ErrResultPathMatchFailure, "not a reference path")
	_, err = ApplyResultPath(mustPath(t, "$$.a"), false, decode(t, `{}`), 1)
	assertError(t, err, ErrResultPathMatchFailure, `must not begin with "$$"`)
}

// spec "Input and Output Processing with JSONPath": InputPath and OutputPath.
func TestApplyInputAndOutputPath(t *testing.T) {
	input := decode(t, `{"title": "Numbers to add", "numbers": {"val1": 3, "val2": 4}, "a": [1, 2]}`)
	ctx := decode(t, `{"Execution": {"Name": "exec-1"}}`)
	for name, apply := range map[string]func(*Path, bool, any, any) (any, error){
		"InputPath":  ApplyInputPath,
		"OutputPath": ApplyOutputPath,
	} {
		t.Run(name, func(t *testing.T) {
			for _, tc := range []struct {
				name   string
				path   *Path
				isNull bool
				want   string
			}{
				{"absent is $", nil, false, canon(t, input)},
				{"null discards everything: {}", nil, true, `{}`},
				{"spec example $.numbers", mustPath(t, "$.numbers"), false, `{"val1": 3, "val2": 4}`},
				{"spec: $.a[0,1] gathers into an array", mustPath(t, "$.a[0,1]"), false, `[1, 2]`},
				{"context path", mustPath(t, "$$.Execution.Name"), false, `"exec-1"`},
			} {
				t.Run(tc.name, func(t *testing.T) {
					got, err := apply(tc.path, tc.isNull, input, ctx)
					if err != nil {
						t.Fatal(err)
					}
					assertJSON(t, got, tc.want)
				})
			}
			_, err := apply(mustPath(t, "$.missing"), false, input, ctx)
			assertError(t, err, ErrRuntime, "Invalid path '$.missing' : No results for path: $['missing']")
		})
	}
}

// The {} that a null InputPath yields is a fresh object each time.
func TestApplyInputPathNullIsFresh(t *testing.T) {
	a, _ := ApplyInputPath(nil, true, nil, nil)
	a.(map[string]any)["x"] = 1
	b, _ := ApplyInputPath(nil, true, nil, nil)
	assertJSON(t, b, `{}`)
}
