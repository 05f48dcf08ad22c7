// Package deploycheck keeps template.yaml, samconfig.toml and the Makefile
// true to the code: its tests read them and compare them with what the
// functions, the store and the state machines need.
package deploycheck
