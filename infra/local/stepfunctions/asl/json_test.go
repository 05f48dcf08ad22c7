package asl

import (
	"encoding/json"
	"testing"
)

func TestDecode(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want any
		ok   bool
	}{
		{`{"n": 1.50}`, map[string]any{"n": json.Number("1.50")}, true},
		{` "text" `, "text", true},
		{"null\n", nil, true},
		{`[1, 2] `, []any{json.Number("1"), json.Number("2")}, true},
		{`{"a": 1} {"b": 2}`, nil, false},
		{`1 x`, nil, false},
		{`{"a": }`, nil, false},
		{``, nil, false},
	} {
		t.Run(tc.in, func(t *testing.T) {
			got, err := Decode([]byte(tc.in))
			if (err == nil) != tc.ok {
				t.Fatalf("Decode(%q) error = %v, want ok=%v", tc.in, err, tc.ok)
			}
			if tc.ok && !jsonEqual(got, tc.want) {
				t.Errorf("Decode(%q) = %#v, want %#v", tc.in, got, tc.want)
			}
			if tc.ok {
				if n, isMap := got.(map[string]any); isMap {
					if _, isNumber := n["n"].(json.Number); !isNumber {
						t.Errorf("Decode(%q) number is %T, want json.Number", tc.in, n["n"])
					}
				}
			}
		})
	}
}

func TestErrorText(t *testing.T) {
	for _, tc := range []struct {
		err  *Error
		want string
	}{
		{&Error{Name: ErrRuntime, Cause: "Invalid path '$.x'"}, "States.Runtime: Invalid path '$.x'"},
		{&Error{Name: ErrNoChoiceMatched}, "States.NoChoiceMatched"},
	} {
		if got := tc.err.Error(); got != tc.want {
			t.Errorf("Error() = %q, want %q", got, tc.want)
		}
	}
}

func TestJSONEqualAndNumbers(t *testing.T) {
	for _, tc := range []struct {
		a, b any
		want bool
	}{
		{json.Number("1"), json.Number("1.0"), true},
		{json.Number("1"), 1, true},
		{json.Number("0.1"), 0.1, true},
		{int64(9007199254740993), json.Number("9007199254740993"), true},
		{json.Number("9007199254740993"), json.Number("9007199254740992"), false}, // exact for integers
		{json.Number("1"), "1", false},
		{nil, false, false},
		{[]any{1, "a"}, []any{json.Number("1"), "a"}, true},
		{map[string]any{"a": []any{}}, map[string]any{"a": []any{}}, true},
		{map[string]any{"a": 1}, map[string]any{"b": 1}, false},
	} {
		if got := jsonEqual(tc.a, tc.b); got != tc.want {
			t.Errorf("jsonEqual(%#v, %#v) = %v, want %v", tc.a, tc.b, got, tc.want)
		}
	}
}
