// Package stepfunctions is Candor's local AWS Step Functions engine.
//
// It executes the very Amazon States Language definitions that are deployed
// (statemachines/*.asl.json, JSONPath query language) with their SAM
// DefinitionSubstitutions, calls task handlers in-process as Go Lambda
// functions, and speaks the Step Functions JSON 1.0 protocol, so the real
// aws-sdk-go-v2 sfn client and the AWS CLI work against it unchanged.
//
// The engine runs on an injected clock. With a *clock.Manual it is in virtual
// mode: no timer fires by itself; [Engine.Advance] moves the clock forward,
// firing every timer that falls due (Wait states, task timeouts, heartbeats,
// retry back-offs, execution timeouts) in time order and letting each
// consequence settle before the next one. With any other clock (clock.System)
// timers fire in real time.
//
// Definitions are validated on load: an unknown field, a state type or a
// feature the engine does not run, a missing transition, an unreachable
// state, a bad path or a missing substitution is an error naming the state
// and the field. Nothing unsupported is silently ignored. The data layer
// (paths, payload templates, intrinsic functions, Choice rules) lives in the
// asl subpackage.
//
// AWS's limits apply: 256 KiB of data per input, output or task result
// ([MaxPayloadBytes]; States.DataLimitExceeded, or a ValidationException
// at the API) and 25,000 events per execution history
// ([DefaultMaxHistoryEvents], Config.MaxHistoryEvents).
//
// Executions outlive the engine: [Engine.Snapshot] writes them down (each
// one's history and, for a running one, where it waits: a Wait state, a
// task token, a retry back-off, with its deadlines as absolute times) and
// [Engine.Restore] takes them up in a new engine, with the same ARNs and
// task tokens.
//
// See docs/local-engine.md for what is supported, what is refused, and the
// measured performance.
package stepfunctions
