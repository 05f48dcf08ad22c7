// Package envconfig reads a function's configuration from its environment
// once at start, collecting every missing or bad variable into one error that
// names them, so a misconfigured function fails fast and says why.
package envconfig

import (
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
)

// Env reads variables and remembers the problems.
type Env struct {
	lookup   func(string) (string, bool)
	problems []string
	names    []string
}

// New reads from the process environment.
func New() *Env { return &Env{lookup: os.LookupEnv} }

// FromMap reads from m (for tests).
func FromMap(m map[string]string) *Env {
	return &Env{lookup: func(k string) (string, bool) { v, ok := m[k]; return v, ok }}
}

// Required returns the variable's value, noting it as missing when unset or empty.
func (e *Env) Required(name string) string {
	e.names = append(e.names, name)
	v, ok := e.lookup(name)
	if !ok || strings.TrimSpace(v) == "" {
		e.problems = append(e.problems, name+" is not set")
	}
	return v
}

// Optional returns the variable's value or def when unset or empty.
func (e *Env) Optional(name, def string) string {
	e.names = append(e.names, name)
	if v, ok := e.lookup(name); ok && v != "" {
		return v
	}
	return def
}

// OneOf returns the variable's value (def when unset), noting it when it is not one of allowed.
func (e *Env) OneOf(name, def string, allowed ...string) string {
	v := e.Optional(name, def)
	if !slices.Contains(allowed, v) {
		e.problems = append(e.problems, fmt.Sprintf("%s must be one of %s, not %q", name, strings.Join(allowed, ", "), v))
	}
	return v
}

// Names lists every variable read so far, for the template checks.
func (e *Env) Names() []string { return slices.Clone(e.names) }

// Err returns one error naming every problem, or nil.
func (e *Env) Err() error {
	if len(e.problems) == 0 {
		return nil
	}
	return errors.New("configuration: " + strings.Join(e.problems, "; "))
}
