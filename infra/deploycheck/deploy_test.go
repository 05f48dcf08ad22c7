package deploycheck

import (
	"context"
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/candorhq/candor/infra/local/stepfunctions"
	"github.com/candorhq/candor/shared/api"
	"github.com/candorhq/candor/shared/console"
	"github.com/candorhq/candor/shared/httpapi"
	"github.com/candorhq/candor/shared/moderation"
	"github.com/candorhq/candor/shared/reviewerpage"
	"github.com/candorhq/candor/shared/store"
)

// These tests read the repository's template.yaml, samconfig.toml, Makefile
// and statemachines/ and compare them with the code. Everything is found
// from the files: a new function (functions/<name>/main.go), state machine
// (statemachines/*.asl.json) or route is covered without editing them.

// repo is the repository as the tests see it, loaded once per test binary.
type repo struct {
	root      string
	tpl       *Template
	ev        *Eval // with samconfig.toml's [default] overrides
	dirs      []string
	targets   map[string]BuildTarget
	machines  map[string][]byte // statemachines/*.asl.json
	prog      *Program
	analyses  map[string]Analysis // by function dir
	functions map[string]string   // function dir -> logical id
}

var loadRepo = sync.OnceValues(func() (*repo, error) {
	root, err := RepoRoot(".")
	if err != nil {
		return nil, err
	}
	r := &repo{root: root, machines: map[string][]byte{}, analyses: map[string]Analysis{}, functions: map[string]string{}}
	if r.tpl, r.ev, err = LoadDeployment(root, "default"); err != nil {
		return nil, err
	}
	if r.dirs, err = FunctionDirs(root); err != nil {
		return nil, err
	}
	mk, err := readFile(root, "Makefile")
	if err != nil {
		return nil, err
	}
	if r.targets, err = BuildTargets(mk); err != nil {
		return nil, err
	}
	for id, tg := range r.targets {
		r.functions[tg.Package] = id
	}
	files, err := StateMachineFiles(root)
	if err != nil {
		return nil, err
	}
	for _, f := range files {
		if r.machines[f], err = readFile(root, f); err != nil {
			return nil, err
		}
	}
	if r.prog, err = LoadProgram(root, "./functions/..."); err != nil {
		return nil, err
	}
	for _, d := range r.dirs {
		if r.analyses[d], err = r.prog.Analyze(r.prog.Module + "/" + d); err != nil {
			return nil, err
		}
	}
	return r, nil
})

func mustRepo(t *testing.T) *repo {
	t.Helper()
	r, err := loadRepo()
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func reportProblems(t *testing.T, problems []string) {
	t.Helper()
	for _, p := range problems {
		t.Error(p)
	}
}

func TestEveryFunctionIsBuiltAndDeployed(t *testing.T) {
	r := mustRepo(t)
	if len(r.dirs) == 0 {
		t.Fatal("no functions/*/main.go found")
	}
	reportProblems(t, CheckFunctions(r.tpl, r.dirs, r.targets))
}

// TestBuildTargetsCrossCompile asks make what each build target would run
// (make -n) and checks it builds the function's package into
// $(ARTIFACTS_DIR)/bootstrap as a static, stripped linux/arm64 binary, with
// the Lambda build's go.mod (the SDK's endpoint tables built on first use,
// third_party/lazyendpoints).
func TestBuildTargetsCrossCompile(t *testing.T) {
	r := mustRepo(t)
	makeBin, err := exec.LookPath("make")
	if err != nil {
		t.Skip("make is not installed; CI runs make build")
	}
	for _, id := range slices.Sorted(maps.Keys(r.targets)) {
		t.Run(id, func(t *testing.T) {
			cmd := exec.Command(makeBin, "-n", "-s", "build-"+id, "ARTIFACTS_DIR=/artifacts")
			cmd.Dir = r.root
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("make -n build-%s: %v\n%s", id, err, out)
			}
			got := string(out)
			for _, want := range []string{"GOOS=linux", "GOARCH=arm64", "CGO_ENABLED=0", "-tags lambda.norpc", "-trimpath",
				"-ldflags '-s -w'", "-o /artifacts/bootstrap", "./" + r.targets[id].Package,
				"go run ./third_party/lazyendpoints/lambdamod ", "-modfile="} {
				if !strings.Contains(got, want) {
					t.Errorf("make build-%s runs %q, which lacks %q", id, strings.TrimSpace(got), want)
				}
			}
		})
	}
	cmd := exec.Command(makeBin, "-n", "-p", "build")
	cmd.Dir = r.root
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("make -n -p build: %v", err)
	}
	for line := range strings.SplitSeq(string(out), "\n") {
		if names, ok := strings.CutPrefix(line, "FUNCTIONS = "); ok {
			got := strings.Fields(names)
			slices.Sort(got)
			if want := slices.Sorted(maps.Keys(r.targets)); !slices.Equal(got, want) {
				t.Errorf("Makefile: FUNCTIONS (what make build builds) is %v, want every build target %v", got, want)
			}
			return
		}
	}
	t.Error("Makefile: no FUNCTIONS variable listing what make build builds")
}

// TestEveryFunctionDeclaresItsPermissions: each function's package has a
// test calling deploycheck.CheckFunction with the Grants it declares (which
// checks its code and its policy in template.yaml).
func TestEveryFunctionDeclaresItsPermissions(t *testing.T) {
	r := mustRepo(t)
	for _, d := range r.dirs {
		t.Run(d, func(t *testing.T) {
			tests, _ := filepath.Glob(filepath.Join(r.root, d, "*_test.go"))
			for _, f := range tests {
				if callsCheckFunction(t, f) {
					return
				}
			}
			t.Errorf("%s has no test calling deploycheck.CheckFunction: add %s/permissions_test.go declaring the AWS actions it performs (see functions/api/permissions_test.go)", d, d)
		})
	}
}

func callsCheckFunction(t *testing.T, file string) bool {
	f, err := parser.ParseFile(token.NewFileSet(), file, nil, parser.SkipObjectResolution)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	ast.Inspect(f, func(n ast.Node) bool {
		if sel, ok := n.(*ast.SelectorExpr); ok && sel.Sel.Name == "CheckFunction" {
			if x, ok := sel.X.(*ast.Ident); ok && x.Name == "deploycheck" {
				found = true
			}
		}
		return !found
	})
	return found
}

// TestSharedActionsArePerformed: every action a shared package declares
// (store.Actions, workflow.Actions, mail.Actions) is performed by some
// function, so the lists the policies are checked against hold nothing more.
func TestSharedActionsArePerformed(t *testing.T) {
	r := mustRepo(t)
	performed := map[string]bool{}
	for _, a := range r.analyses {
		for _, act := range a.Actions {
			performed[act] = true
		}
	}
	for _, pkg := range slices.Sorted(maps.Keys(SharedActions)) {
		for _, act := range SharedActions[pkg] {
			if !performed[act] {
				t.Errorf("%s.Actions lists %s but no function's code performs it", pkg, act)
			}
		}
	}
}

func TestEnvironmentIsWhatTheCodeReads(t *testing.T) {
	r := mustRepo(t)
	for _, d := range r.dirs {
		id, ok := r.functions[d]
		if !ok {
			continue // TestEveryFunctionIsBuiltAndDeployed reports it
		}
		t.Run(d, func(t *testing.T) {
			if len(r.analyses[d].Env) == 0 {
				t.Fatalf("found no environment variable read by %s: the analysis is broken", d)
			}
			reportProblems(t, CheckEnv(r.tpl, r.ev, id, r.analyses[d].Env))
		})
	}
}

// routeSources are the handlers whose routes a function serves when its
// code reaches their constructor (wherever it is called from: main or a
// constructor of another package), with how to list those routes.
var routeSources = map[string]func(t *testing.T) []httpapi.Route{
	"shared/api.New":          func(*testing.T) []httpapi.Route { return api.New(api.Config{}).Routes() },
	"shared/reviewerpage.New": reviewerPageRoutes,
	"shared/console.New":      func(*testing.T) []httpapi.Route { return console.Routes },
}

// reviewerPageRoutes asks the reviewer-page handler which methods it answers
// on /r/{token}: every one (ANY), those it does not serve with 405 and an
// Allow naming those it does.
func reviewerPageRoutes(t *testing.T) []httpapi.Route {
	h := reviewerpage.New(nil, reviewerpage.Options{})
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodDelete, "/r/probe", nil))
	if rec.Code != http.StatusMethodNotAllowed {
		t.Fatalf("DELETE /r/probe answered %d, want 405 with Allow", rec.Code)
	}
	allow := rec.Header().Get("Allow")
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/r/probe/deeper", nil))
	if rec.Code != http.StatusNotFound {
		t.Fatalf("GET /r/probe/deeper answered %d, want 404: /r/{token} is one segment", rec.Code)
	}
	for _, m := range []string{http.MethodGet, http.MethodHead, http.MethodPost} {
		if !slices.Contains(strings.Split(strings.ReplaceAll(allow, " ", ""), ","), m) {
			t.Fatalf("the reviewer pages' Allow %q does not name %s", allow, m)
		}
	}
	return []httpapi.Route{{Method: "ANY", Path: "/r/{token}"}}
}

func TestRoutesAreInTheTemplateWithTheirAuthorization(t *testing.T) {
	r := mustRepo(t)
	owner := map[string]string{}
	for _, d := range r.dirs {
		id, ok := r.functions[d]
		if !ok {
			continue
		}
		t.Run(d, func(t *testing.T) {
			var routes []httpapi.Route
			for _, ctor := range slices.Sorted(maps.Keys(routeSources)) {
				if r.analyses[d].Reaches(r.prog.Module + "/" + ctor) {
					routes = append(routes, routeSources[ctor](t)...)
				}
			}
			for _, rt := range routes {
				key := rt.Method + " " + rt.Path
				if other, dup := owner[key]; dup {
					t.Errorf("%s is served by both %s and %s", key, other, id)
				}
				owner[key] = id
			}
			reportProblems(t, CheckRoutes(r.tpl, id, routes))
		})
	}
	if len(owner) < 3 {
		t.Fatalf("found only %d routes in the code: the route sources are broken", len(owner))
	}
}

func TestEveryFunctionAndStateMachineHasItsAlarm(t *testing.T) {
	reportProblems(t, CheckAlarms(mustRepo(t).tpl))
}

func TestTableIsTheStoresTable(t *testing.T) {
	r := mustRepo(t)
	reportProblems(t, CheckTable(r.tpl, store.TableDefinition("candor"), store.AttrExpiresAt))
}

func TestStateMachinesMatchTheirFiles(t *testing.T) {
	r := mustRepo(t)
	if len(r.machines) == 0 {
		t.Fatal("no statemachines/*.asl.json found")
	}
	reportProblems(t, CheckStateMachines(r.tpl, r.ev, r.machines))
}

// TestStateMachinesLoadInTheLocalEngine loads every ASL file into the local
// Step Functions engine with the values the template substitutes (for each
// samconfig environment), which validates the definition as Step Functions
// would: states, paths, intrinsic functions, and no ${…} left.
func TestStateMachinesLoadInTheLocalEngine(t *testing.T) {
	r := mustRepo(t)
	for _, env := range []string{"default", "localstack", "prod"} {
		tpl, ev, err := LoadDeployment(r.root, env)
		if err != nil {
			t.Fatal(err)
		}
		for _, file := range slices.Sorted(maps.Keys(r.machines)) {
			t.Run(env+"/"+file, func(t *testing.T) {
				sm, ok := StateMachineFor(tpl, file)
				if !ok {
					t.Fatalf("template.yaml has no state machine for %s", file)
				}
				name, err := ev.String(sm.Properties["Name"])
				if err != nil {
					t.Fatalf("%s: Name: %v", sm.ID, err)
				}
				subs := map[string]string{}
				for k, v := range LookupMap(sm.Properties, "DefinitionSubstitutions") {
					if subs[k], err = ev.String(v); err != nil {
						t.Fatalf("%s: substitution %s: %v", sm.ID, k, err)
					}
				}
				engine := stepfunctions.New(stepfunctions.Config{Region: ev.Region, AccountID: ev.Account})
				defer engine.Close()
				arn, err := engine.CreateStateMachine(context.Background(), name, r.machines[file], subs)
				if err != nil {
					t.Fatalf("the local engine refuses %s with the template's substitutions: %v", file, err)
				}
				if want, _ := ev.String(map[string]any{"Ref": sm.ID}); arn != want {
					t.Errorf("engine ARN %s, template ARN %s", arn, want)
				}
			})
		}
	}
}

// TestParametersDefaultToTheCodesDefaults: a stack deployed without
// overrides keeps the policy of docs/product.md, as the code does without its
// environment.
func TestParametersDefaultToTheCodesDefaults(t *testing.T) {
	reportProblems(t, CheckParameters(mustRepo(t).tpl, PolicyParameters(moderation.DefaultPolicy)))
}

// TestEveryPolicyFieldHasItsParameter: moving any one field of the policy
// away from its default changes the Default some template parameter must
// have, so a default that drifts in the code or in template.yaml is caught
// whatever field it is, including one added later without its parameter.
func TestEveryPolicyFieldHasItsParameter(t *testing.T) {
	tpl := mustRepo(t).tpl
	base := PolicyParameters(moderation.DefaultPolicy)
	v := reflect.ValueOf(moderation.DefaultPolicy)
	var leaves []string
	var walk func(path string, v reflect.Value)
	walk = func(path string, v reflect.Value) {
		if v.Kind() == reflect.Struct {
			for i := range v.NumField() {
				walk(path+"."+v.Type().Field(i).Name, v.Field(i))
			}
			return
		}
		leaves = append(leaves, path)
	}
	walk("Policy", v)
	for _, leaf := range leaves {
		t.Run(leaf, func(t *testing.T) {
			p := moderation.DefaultPolicy
			f := reflect.ValueOf(&p).Elem()
			for _, name := range strings.Split(leaf, ".")[1:] {
				f = f.FieldByName(name)
			}
			switch f.Kind() {
			case reflect.Bool:
				f.SetBool(!f.Bool())
			case reflect.Int, reflect.Int64: // counts and durations
				f.SetInt(f.Int() + int64(time.Hour))
			case reflect.Float64:
				f.SetFloat(f.Float() / 2)
			default:
				t.Fatalf("%s: a %s, which PolicyParameters cannot compare yet", leaf, f.Kind())
			}
			drifted := PolicyParameters(p)
			var changed []string
			for name, want := range drifted {
				if base[name] != want {
					changed = append(changed, name)
				}
			}
			if len(changed) != 1 {
				t.Fatalf("changing %s changes the parameters %v, want exactly one: give the field its template parameter in PolicyParameters", leaf, changed)
			}
			if len(CheckParameters(tpl, drifted)) == 0 {
				t.Errorf("with %s drifted, the template's %s still passes CheckParameters", leaf, changed[0])
			}
		})
	}
}

func TestSamConfigEnvironments(t *testing.T) {
	r := mustRepo(t)
	b, err := readFile(r.root, "samconfig.toml")
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := ParseSamConfig(b)
	if err != nil {
		t.Fatal(err)
	}
	reportProblems(t, CheckSamConfig(r.tpl, cfg, []string{"default", "localstack", "prod"}))
}

// TestLocalStackEventsAreRoutes: the sample events of infra/localstack
// (invoked by hand on LocalStack Community, which has no HTTP API) are API
// Gateway v2 events for routes of the template, with the claims those
// routes need.
func TestLocalStackEventsAreRoutes(t *testing.T) {
	r := mustRepo(t)
	files, err := filepath.Glob(filepath.Join(r.root, "infra", "localstack", "events", "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no infra/localstack/events/*.json (%v)", err)
	}
	routes := map[string]HTTPEvent{}
	for _, fn := range r.tpl.ResourcesOfType(TypeFunction) {
		for _, e := range HTTPEvents(fn) {
			routes[e.Method+" "+e.Path] = e
		}
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			var ev events.APIGatewayV2HTTPRequest
			if err := json.Unmarshal(b, &ev); err != nil {
				t.Fatal(err)
			}
			route, ok := routes[ev.RouteKey]
			if !ok {
				t.Fatalf("routeKey %q is no route of template.yaml", ev.RouteKey)
			}
			if ev.RequestContext.HTTP.Method != route.Method {
				t.Errorf("method %s, route %s", ev.RequestContext.HTTP.Method, route.Method)
			}
			var claims map[string]string
			if ev.RequestContext.Authorizer != nil && ev.RequestContext.Authorizer.JWT != nil {
				claims = ev.RequestContext.Authorizer.JWT.Claims
			}
			if !route.Public && (claims["sub"] == "" || claims["role"] == "") {
				t.Errorf("%s needs a JWT: the event must carry sub and role claims, has %v", ev.RouteKey, claims)
			}
		})
	}
}

// TestFunctionsDoNotLinkMethodLookups keeps the bootstraps small: no
// function's Lambda build may link a method lookup of package reflect
// (MethodLookups), which makes the linker keep every method.
func TestFunctionsDoNotLinkMethodLookups(t *testing.T) {
	r := mustRepo(t)
	pkgs := make([]string, len(r.dirs))
	for i, d := range r.dirs {
		pkgs[i] = "./" + d
	}
	bins, err := BuildForLambda(r.root, t.TempDir(), pkgs...)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range r.dirs {
		syms, err := LinkedMethodLookups(bins["./"+d])
		if err != nil {
			t.Fatal(err)
		}
		reportProblems(t, CheckMethodLookups(d, syms))
	}
}

// TestMethodLookupsAreFoundByTheSymbol builds a program that executes an
// html/template template and one that renders with templ, whose runtime
// imports html/template too: only the first links a method lookup.
func TestMethodLookupsAreFoundByTheSymbol(t *testing.T) {
	r := mustRepo(t)
	const withTemplate, withTempl = "./infra/deploycheck/testdata/methodlookup/htmltemplate", "./infra/deploycheck/testdata/methodlookup/templ"
	bins, err := BuildForLambda(r.root, t.TempDir(), withTemplate, withTempl)
	if err != nil {
		t.Fatal(err)
	}
	got, err := LinkedMethodLookups(bins[withTemplate])
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(got, "reflect.Value.MethodByName") {
		t.Errorf("html/template program links %v, want reflect.Value.MethodByName among them", got)
	}
	problems := CheckMethodLookups("functions/x", got)
	if len(problems) != 1 || !strings.Contains(problems[0], "functions/x links reflect.") || !strings.Contains(problems[0], "-dumpdep -o /dev/null ./functions/x") {
		t.Errorf("CheckMethodLookups = %q, want one problem naming the function, the symbols and how to find the caller", problems)
	}
	if problems := CheckMethodLookups("functions/x", nil); problems != nil {
		t.Errorf("CheckMethodLookups(no symbols) = %q, want none", problems)
	}
	if got, err := LinkedMethodLookups(bins[withTempl]); err != nil || len(got) != 0 {
		t.Errorf("templ program links %v (%v), want no method lookup", got, err)
	}
	gobin, err := goCommand()
	if err != nil {
		t.Fatal(err)
	}
	list := exec.Command(gobin, "list", "-deps", withTempl)
	list.Dir = r.root
	out, err := list.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	if !slices.Contains(strings.Fields(string(out)), "html/template") {
		t.Errorf("the templ program does not import html/template; the test no longer shows that the check goes by the symbol")
	}
}
