package stepfunctions

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

// stdJSON is what encoding/json produces without HTML escaping.
func stdJSON(t testing.TB, v any) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// The fast encoder of histories and payloads writes what encoding/json
// writes.
func TestAppendJSONMatchesEncodingJSON(t *testing.T) {
	values := []any{
		nil, true, false, "", "plain", `quote " and \ backslash`, "tab\tnew\nline\rcr\bbs\fff",
		"\x00\x01\x1f control", "<html> & 'tags'", "line\u2028sep\u2029para", "bad utf8 \xff\xfe end", "emoji 🚀 åäö",
		json.Number("12"), json.Number("-0.5e10"), 3.25, 1e21, int64(-7), 42,
		[]any{}, []any{1.0, "two", nil, []any{true}},
		map[string]any{}, map[string]any{"b": 1.0, "a": map[string]any{"z": []any{"x"}, "\"k\"": "v"}},
	}
	for _, v := range values {
		got, ok := appendJSON(nil, v)
		if !ok {
			t.Errorf("appendJSON(%#v) not handled", v)
			continue
		}
		if want := stdJSON(t, v); string(got) != want {
			t.Errorf("appendJSON(%#v) = %s, want %s", v, got, want)
		}
	}
	if _, ok := appendJSON(nil, struct{}{}); ok {
		t.Error("appendJSON handled a struct; it must fall back to encoding/json")
	}
	if got := mustJSON(struct {
		A string `json:"a"`
	}{"<x>"}); got != `{"a":"<x>"}` {
		t.Errorf("mustJSON fallback = %s", got)
	}
}

func FuzzAppendJSONString(f *testing.F) {
	for _, s := range []string{"", "a\"b", "\u2028", "\xff", "tab\t"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v := map[string]any{s: []any{s}}
		got, ok := appendJSON(nil, v)
		if !ok {
			t.Fatal("not handled")
		}
		if want := stdJSON(t, v); string(got) != want {
			t.Errorf("appendJSON(%q) = %s, want %s", s, got, want)
		}
	})
}

// Definitions with a key given twice are refused (encoding/json would keep
// the last silently).
func TestDecodeDefinitionJSON(t *testing.T) {
	cases := []struct {
		in, wantErr string
	}{
		{`{"a": {"b": 1, "b": 2}}`, `duplicate key "b" at /a`},
		{`{"a": [1, {"c": 1, "c": 1}]}`, `duplicate key "c" at /a/1`},
		{`{"a": 1} {"b": 2}`, "after the top-level JSON value"},
		{`{"a": }`, "invalid JSON"},
		{`{"a": 1.5, "b": [true, null, "x"]}`, ""},
	}
	for _, tc := range cases {
		_, err := decodeDefinitionJSON([]byte(tc.in))
		switch {
		case tc.wantErr == "" && err != nil:
			t.Errorf("%s: %v, want no error", tc.in, err)
		case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
			t.Errorf("%s: %v, want %q", tc.in, err, tc.wantErr)
		}
	}
}
