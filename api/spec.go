// Package api holds Candor's HTTP contract: openapi.yaml, the OpenAPI 3.1
// description of every endpoint, embedded so that the local stack can serve
// it and the tests can validate every request and response against it
// (package shared/contract; docs/api-contract.md).
package api

import _ "embed"

// OpenAPI is api/openapi.yaml as it is in the repository.
//
//go:embed openapi.yaml
var OpenAPI []byte
