package deploycheck

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/candorhq/candor/api"
	"github.com/candorhq/candor/shared/contract"
	"github.com/candorhq/candor/shared/moderation"
)

// TestEveryRouteIsInTheContract compares the routes the functions serve
// with the operations of api/openapi.yaml, both ways, with the roles each
// admits: a route added, removed or re-guarded in the code without the
// contract (or the other way round) fails here, even where no end-to-end
// test calls it.
func TestEveryRouteIsInTheContract(t *testing.T) {
	spec, err := contract.Load(api.OpenAPI)
	if err != nil {
		t.Fatal(err)
	}
	code := map[string][]string{}
	for _, src := range slices.Sorted(func(yield func(string) bool) {
		for k := range routeSources {
			if !yield(k) {
				return
			}
		}
	}) {
		if src == "shared/console.New" {
			// The console's pages are for agents in a browser, behind their
			// own sign-in (docs/console.md): not an API a client programs against.
			continue
		}
		for _, r := range routeSources[src](t) {
			roles := slices.Sorted(slices.Values(r.Roles))
			code[r.Method+" "+r.Path] = append([]string{"roles"}, roles...)
		}
	}
	described := map[string][]string{}
	for _, op := range spec.Operations() {
		roles := slices.Sorted(slices.Values(op.Roles))
		if op.Public {
			roles = nil
		}
		described[op.Method+" "+op.Path] = append([]string{"roles"}, roles...)
	}
	// A route for ANY method serves every operation the contract describes on
	// its path, and needs at least one.
	for k, roles := range code {
		path, ok := strings.CutPrefix(k, "ANY ")
		if !ok {
			continue
		}
		delete(code, k)
		for d := range described {
			if strings.HasSuffix(d, " "+path) {
				code[d] = roles
			}
		}
		if _, any := described["GET "+path]; !any {
			code[k] = roles // reported below: not in the contract
		}
	}
	for _, k := range slices.Sorted(func(yield func(string) bool) {
		for k := range code {
			if !yield(k) {
				return
			}
		}
	}) {
		d, ok := described[k]
		switch {
		case !ok:
			t.Errorf("route %s is not in api/openapi.yaml", k)
		case !slices.Equal(d, code[k]):
			t.Errorf("route %s admits %v in the code, %v in api/openapi.yaml (security)", k, code[k][1:], d[1:])
		}
	}
	for k := range described {
		if _, ok := code[k]; !ok {
			t.Errorf("api/openapi.yaml describes %s, which no function serves", k)
		}
	}
}

// TestEveryErrorCodeIsInTheContract compares the error codes the code can
// answer (the Code constants of shared/httpapi and shared/moderation, and
// the literal codes of shared/api) with the ErrorCode enum of the contract,
// and the domain's enums with the contract's.
func TestEveryErrorCodeIsInTheContract(t *testing.T) {
	root, err := RepoRoot(".")
	if err != nil {
		t.Fatal(err)
	}
	var codes []string
	for _, f := range []string{"shared/httpapi/errors.go", "shared/moderation/errors.go"} {
		codes = append(codes, codeConstants(t, filepath.Join(root, f))...)
	}
	apiFiles, _ := filepath.Glob(filepath.Join(root, "shared/api/*.go"))
	for _, f := range apiFiles {
		if !strings.HasSuffix(f, "_test.go") {
			codes = append(codes, codeLiterals(t, f)...)
		}
	}
	if !slices.Contains(codes, "idempotency_key_reused") {
		t.Fatalf("found no literal code in shared/api (idempotency_key_reused): the scan is broken; got %v", codes)
	}
	var doc struct {
		Components struct {
			Schemas map[string]struct {
				Enum []string `yaml:"enum"`
			} `yaml:"schemas"`
		} `yaml:"components"`
	}
	if err := yaml.Unmarshal(api.OpenAPI, &doc); err != nil {
		t.Fatal(err)
	}
	enum := func(name string) []string {
		return slices.Sorted(slices.Values(doc.Components.Schemas[name].Enum))
	}
	sorted := func(s []string) []string { s = slices.Clone(s); sort.Strings(s); return slices.Compact(s) }
	strs := func(vs ...string) []string { return vs }
	var reasons, reportStatuses, ticketStatuses []string
	for _, r := range moderation.AllReasons() {
		reasons = append(reasons, string(r))
	}
	for _, s := range moderation.ReportStatuses() {
		reportStatuses = append(reportStatuses, string(s))
	}
	for _, s := range moderation.TicketStatuses() {
		ticketStatuses = append(ticketStatuses, string(s))
	}
	for _, tc := range []struct {
		schema string
		code   []string
	}{
		{"ErrorCode", codes},
		{"Reason", reasons},
		{"ReportStatus", reportStatuses},
		{"TicketStatus", ticketStatuses},
		{"Source", strs(string(moderation.SourceOrganic), string(moderation.SourceInvitedPlatform), string(moderation.SourceInvitedOther))},
		{"Visibility", strs(string(moderation.Published), string(moderation.UnderInvestigation), string(moderation.Removed))},
	} {
		if got, want := enum(tc.schema), sorted(tc.code); !slices.Equal(got, want) {
			t.Errorf("components.schemas.%s.enum = %v, the code has %v", tc.schema, got, want)
		}
	}
}

// codeConstants returns the values of the string constants named Code* of a file.
func codeConstants(t *testing.T, path string) []string {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), path, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	ast.Inspect(f, func(n ast.Node) bool {
		vs, ok := n.(*ast.ValueSpec)
		if !ok {
			return true
		}
		for i, name := range vs.Names {
			if !strings.HasPrefix(name.Name, "Code") || i >= len(vs.Values) {
				continue
			}
			if lit, ok := vs.Values[i].(*ast.BasicLit); ok && lit.Kind == token.STRING {
				s, _ := strconv.Unquote(lit.Value)
				out = append(out, s)
			}
		}
		return true
	})
	if len(out) == 0 {
		t.Fatalf("%s: no Code constants found: the scan is broken", path)
	}
	return out
}

// codeLiterals returns the string literals given as Code: in a composite literal.
func codeLiterals(t *testing.T, path string) []string {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), path, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	ast.Inspect(f, func(n ast.Node) bool {
		kv, ok := n.(*ast.KeyValueExpr)
		if !ok {
			return true
		}
		if id, ok := kv.Key.(*ast.Ident); ok && id.Name == "Code" {
			if lit, ok := kv.Value.(*ast.BasicLit); ok && lit.Kind == token.STRING {
				s, _ := strconv.Unquote(lit.Value)
				out = append(out, s)
			}
		}
		return true
	})
	return out
}
