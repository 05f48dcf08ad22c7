package envconfig

import (
	"fmt"
	"strconv"
	"time"
)

// Seconds reads a whole number of seconds (a policy window), noting it when
// it is not a positive integer; def is used when unset.
func (e *Env) Seconds(name string, def time.Duration) time.Duration {
	v := e.Optional(name, strconv.FormatInt(int64(def/time.Second), 10))
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n <= 0 {
		e.problems = append(e.problems, fmt.Sprintf("%s must be a positive number of seconds, not %q", name, v))
		return def
	}
	return time.Duration(n) * time.Second
}

// Int reads a positive whole number, noting it when it is not one; def is used when unset.
func (e *Env) Int(name string, def int) int {
	v := e.Optional(name, strconv.Itoa(def))
	n, err := strconv.Atoi(v)
	if err != nil || n <= 0 {
		e.problems = append(e.problems, fmt.Sprintf("%s must be a positive whole number, not %q", name, v))
		return def
	}
	return n
}
