// Package candorclient is a Go client of Candor's HTTP API, generated from
// api/openapi.yaml by oapi-codegen, as an integrator would generate it. Its
// test drives it against the local stack, so that the description stays
// one that generators turn into a working client: typed answers, typed
// errors with every field, idempotent replays, optional bodies, and the
// public view's shapes told apart by their discriminator.
package candorclient

//go:generate go tool oapi-codegen -config ../oapi-codegen.yaml ../../../api/openapi.yaml
