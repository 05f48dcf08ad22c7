package moderation

import (
	"maps"
	"slices"
	"strings"
	"testing"
)

// want describes the expected outcome of a rule: ok, or an *Error of a kind
// and code with exactly these fields, each message containing the given text.
type want struct {
	kind   Kind // 0: no error
	code   string
	fields map[string]string // field path → substring of its message
}

var accepted = want{}

func invalid(fields map[string]string) want {
	return want{kind: KindInvalid, code: CodeValidationFailed, fields: fields}
}

func conflict(code string, fields map[string]string) want {
	return want{kind: KindConflict, code: code, fields: fields}
}

// check fails t when err does not match w.
func check(t *testing.T, err error, w want) {
	t.Helper()
	if w.kind == 0 {
		if err != nil {
			t.Fatalf("got error %v, want none", err)
		}
		return
	}
	if err == nil {
		t.Fatalf("got no error, want %s", w.code)
	}
	e, ok := err.(*Error)
	if !ok {
		t.Fatalf("got error %T %v, want *Error", err, err)
	}
	if e.Kind != w.kind || e.Code != w.code {
		t.Fatalf("got kind %d code %q (%v), want kind %d code %q", e.Kind, e.Code, e, w.kind, w.code)
	}
	gotKeys := slices.Sorted(maps.Keys(e.Fields))
	wantKeys := slices.Sorted(maps.Keys(w.fields))
	if !slices.Equal(gotKeys, wantKeys) {
		t.Fatalf("got fields %v, want fields %v (error: %v)", gotKeys, wantKeys, e)
	}
	for k, sub := range w.fields {
		if !strings.Contains(e.Fields[k], sub) {
			t.Errorf("field %s: got message %q, want it to contain %q", k, e.Fields[k], sub)
		}
	}
}
