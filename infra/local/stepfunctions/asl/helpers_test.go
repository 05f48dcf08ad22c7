package asl

import (
	"errors"
	"strings"
	"testing"
)

// decode parses a JSON text for a test, failing the test on error.
func decode(t testing.TB, s string) any {
	t.Helper()
	v, err := Decode([]byte(s))
	if err != nil {
		t.Fatalf("Decode(%s): %v", s, err)
	}
	return v
}

// canon renders a value as canonical JSON (sorted keys) for comparisons.
func canon(t testing.TB, v any) string {
	t.Helper()
	s, err := encodeJSON(v)
	if err != nil {
		t.Fatalf("encode %#v: %v", v, err)
	}
	return s
}

// assertJSON fails unless got equals the JSON text want.
func assertJSON(t testing.TB, got any, want string) {
	t.Helper()
	if g, w := canon(t, got), canon(t, decode(t, want)); g != w {
		t.Errorf("got %s, want %s", g, w)
	}
}

// assertError fails unless err is an *Error with the given name whose cause
// contains every fragment.
func assertError(t testing.TB, err error, name string, fragments ...string) {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("got error %v, want an *Error named %s", err, name)
	}
	if e.Name != name {
		t.Errorf("got error name %s (cause %q), want %s", e.Name, e.Cause, name)
	}
	for _, f := range fragments {
		if !strings.Contains(e.Cause, f) {
			t.Errorf("cause %q does not contain %q", e.Cause, f)
		}
	}
}

// assertCompileError fails unless err is non-nil and mentions every fragment.
func assertCompileError(t testing.TB, err error, fragments ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("got no error, want one mentioning %q", fragments)
	}
	for _, f := range fragments {
		if !strings.Contains(err.Error(), f) {
			t.Errorf("error %q does not contain %q", err, f)
		}
	}
}
