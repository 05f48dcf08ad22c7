// Package ids makes the identifiers of Candor's objects: a short type prefix
// and a time-ordered UUIDv7, so ids sort roughly by creation and never collide.
package ids

import (
	"strings"

	"github.com/google/uuid"
)

// New returns a fresh id such as "rpt_0192f1c2c1b27c3a9d4e5f60718293a4".
// It panics only if the system's random source fails, which the runtime treats as fatal anyway.
func New(prefix string) string {
	u := uuid.Must(uuid.NewV7())
	return prefix + "_" + strings.ReplaceAll(u.String(), "-", "")
}

// Valid reports whether s looks like an id made by New with the given prefix.
// Handlers use it to answer 404 for garbage before touching the table.
func Valid(prefix, s string) bool {
	rest, ok := strings.CutPrefix(s, prefix+"_")
	if !ok || len(rest) != 32 {
		return false
	}
	for _, c := range rest {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}
