// Package asl is the data layer of Candor's local Step Functions engine: the
// pure, data-transforming part of the Amazon States Language with the JSONPath
// query language (https://states-language.net/spec.html).
//
// It compiles and evaluates Paths and Reference Paths, applies InputPath,
// ResultPath and OutputPath, evaluates Payload Templates (Parameters,
// ResultSelector, ItemSelector) and intrinsic functions, and decides Choice
// Rules. It knows nothing of states, executions, task tokens or time; the
// runtime in the parent package calls it.
//
// # Values
//
// JSON values are the Go values that encoding/json produces with
// Decoder.UseNumber: nil, bool, json.Number, string, []any and map[string]any.
// Numbers built by hand (float64, int, int64, …) are accepted too. Numbers the
// package creates are json.Number.
//
// Nothing here mutates its arguments. Results are built copy-on-write: a
// result may share unchanged subtrees with the values it was computed from, so
// every value handed to or returned by this package must be treated as
// immutable. Literal parts of a compiled Template are copied on every
// evaluation, so a compiled Template is safe for concurrent use.
//
// # Known differences from AWS
//
//   - A Go map has no key order: wildcards, descendant scans and serialised
//     objects (States.JsonToString, States.Hash of an object) visit object
//     members in ascending key order, where AWS keeps document order.
//   - Error causes never quote the state input (AWS appends it): inputs may
//     carry data that must not reach logs or execution histories.
//   - The JSONPath dialect is that of Jayway JsonPath, which AWS uses, with
//     these choices where Jayway is loose: comparisons in filters are typed (a
//     number never equals a string), and a descendant scan followed by a filter
//     ("$..[?(...)]") tests every array element and every member value once.
package asl
