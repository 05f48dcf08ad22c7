package api_test

import (
	"net/http"
	"strings"
	"sync"

	"github.com/candorhq/candor/api"
	"github.com/candorhq/candor/shared/contract"
)

// The contract, api/openapi.yaml: every request the end-to-end tests send
// and every response they get is held to it (docs/api-contract.md).
var (
	specOnce sync.Once
	spec     *contract.Spec
	specErr  error
)

// localOnly are the local stack's own endpoints, which no deployment has and
// the contract does not describe.
var localOnly = []string{"/_local/"}

// checkContract fails the test when an exchange is not what the contract
// describes: an unknown route, a status the operation does not list, a
// header or body that does not match its schema, or a request the contract
// refuses that the API accepted.
func (e *env) checkContract(req *http.Request, body []byte, res *http.Response, raw []byte) {
	e.t.Helper()
	for _, p := range localOnly {
		if strings.HasPrefix(req.URL.Path, p) {
			return
		}
	}
	specOnce.Do(func() { spec, specErr = contract.Load(api.OpenAPI) })
	if specErr != nil {
		e.t.Fatalf("load the contract: %v", specErr)
	}
	err := spec.Check(contract.Exchange{
		Method: req.Method, Path: req.URL.EscapedPath(), Query: req.URL.RawQuery,
		RequestHeader: req.Header, RequestBody: body,
		Status: res.StatusCode, Header: res.Header, Body: raw,
	})
	if err != nil {
		e.t.Errorf("%v", err)
	}
}
