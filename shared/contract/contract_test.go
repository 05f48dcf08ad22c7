package contract_test

import (
	"testing"

	"github.com/candorhq/candor/api"
	"github.com/candorhq/candor/shared/contract"
)

func mustLoad(t *testing.T) *contract.Spec {
	t.Helper()
	s, err := contract.Load(api.OpenAPI)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestLoadsTheRepositorysDescription(t *testing.T) {
	s := mustLoad(t)
	if n := len(s.Operations()); n < 20 {
		t.Errorf("%d operations, want every route", n)
	}
}
