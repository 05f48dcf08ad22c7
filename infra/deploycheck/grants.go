package deploycheck

import (
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/candorhq/candor/shared/docbucket"
	"github.com/candorhq/candor/shared/docupload"
	"github.com/candorhq/candor/shared/mail"
	"github.com/candorhq/candor/shared/store"
	"github.com/candorhq/candor/shared/wire/consolefunc"
	"github.com/candorhq/candor/shared/workflow"
)

// Grants declares what a function does with AWS: every IAM action its code
// performs, with the resources it performs it on, named by the template's
// logical ids ("Table", "FindReviewerStateMachine") or by TableIndexes and
// SenderIdentity. Each function declares its Grants next to its code, in a
// test that calls CheckFunction.
type Grants map[string][]string

// Resource names a Grants may use besides the template's logical ids.
const (
	// TableIndexes stands for every global secondary index of Table.
	TableIndexes = "Table/indexes"
	// SenderIdentity stands for the SES identity the emails are sent from
	// (the SenderIdentity parameter, or SenderAddress when it is empty).
	SenderIdentity = "SenderIdentity"
	// DocumentObjects stands for the objects of the documents bucket under
	// documents/, the one prefix the functions read and write.
	DocumentObjects = "DocumentsBucket/documents/*"
)

// SharedActions are the actions the shared packages declare they perform
// (their exported Actions lists), by package.
var SharedActions = map[string][]string{
	"shared/store":    store.Actions,
	"shared/workflow": workflow.Actions,
	"shared/mail":     mail.Actions,
	// The documents bucket after an upload (presigned reads, retention).
	"shared/docbucket": docbucket.Actions,
	// The reviewer's upload of documents.
	"shared/docupload": docupload.Actions,
	// The console's secrets (session keys, OIDC client secret).
	"shared/wire/consolefunc": consolefunc.Actions,
}

// CheckFunction is called by a function's own test with the Grants the
// function declares. It finds the function from the test's working
// directory (functions/<name>), its logical id from the Makefile, and checks
// with PolicyProblems that its code performs exactly the declared actions
// and that template.yaml grants exactly those, on exactly those resources.
func CheckFunction(t *testing.T, declared Grants) {
	t.Helper()
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	root, err := RepoRoot(wd)
	if err != nil {
		t.Fatal(err)
	}
	rel, err := filepath.Rel(root, wd)
	if err != nil {
		t.Fatal(err)
	}
	rel = filepath.ToSlash(rel)
	tpl, ev, err := LoadDeployment(root, "default")
	if err != nil {
		t.Fatal(err)
	}
	mk, err := readFile(root, "Makefile")
	if err != nil {
		t.Fatal(err)
	}
	targets, err := BuildTargets(mk)
	if err != nil {
		t.Fatal(err)
	}
	fnID := ""
	for id, tg := range targets {
		if tg.Package == rel {
			fnID = id
		}
	}
	if fnID == "" {
		t.Fatalf("Makefile: no build-<LogicalId> target builds ./%s", rel)
	}
	prog, err := LoadProgram(root, "./"+rel)
	if err != nil {
		t.Fatal(err)
	}
	an, err := prog.Analyze(prog.Module + "/" + rel)
	if err != nil {
		t.Fatal(err)
	}
	for _, msg := range PolicyProblems(tpl, ev, fnID, declared, an) {
		t.Error(msg)
	}
}

// LoadDeployment reads root's template.yaml and an Eval with the parameter
// overrides of samconfig.toml's environment env.
func LoadDeployment(root, env string) (*Template, *Eval, error) {
	tpl, err := LoadTemplate(filepath.Join(root, "template.yaml"))
	if err != nil {
		return nil, nil, err
	}
	b, err := readFile(root, "samconfig.toml")
	if err != nil {
		return nil, nil, err
	}
	cfg, err := ParseSamConfig(b)
	if err != nil {
		return nil, nil, err
	}
	overrides, err := overridesOf(cfg.Parameters(env, "deploy")["parameter_overrides"])
	if err != nil {
		return nil, nil, fmt.Errorf("samconfig.toml [%s]: %w", env, err)
	}
	return tpl, NewEval(tpl, overrides), nil
}

// PolicyProblems compares three things for the function fnID: the Grants it
// declares, what its code does (an, from Program.Analyze), and the inline
// policy the template gives it. The declared actions must be exactly the
// code's, each listed by a shared package's Actions; each must be on the
// resources it acts on (DynamoDB actions on the table, Query on the
// indexes when the code names one, SES on the sender identity,
// StartExecution on the state machines whose ARNs the function is given,
// SendTask* on state machines only); and the template must grant exactly
// those (action, resource) pairs.
func PolicyProblems(t *Template, ev *Eval, fnID string, declared Grants, an Analysis) []string {
	fn, ok := t.Resource(fnID)
	if !ok || fn.Type != TypeFunction {
		return []string{fmt.Sprintf("template.yaml: no function %s", fnID)}
	}
	var p []string
	where := fnID + "'s declared Grants"
	// 1. The declaration is what the code does.
	for _, a := range an.Actions {
		if _, ok := declared[a]; !ok {
			p = append(p, fmt.Sprintf("%s: the code performs %s but the Grants do not declare it", where, a))
		}
	}
	for _, a := range slices.Sorted(maps.Keys(declared)) {
		if !slices.Contains(an.Actions, a) {
			p = append(p, fmt.Sprintf("%s: %s is declared but the code never performs it", where, a))
		}
		if !sharedDeclares(a) {
			p = append(p, fmt.Sprintf("%s: %s is listed by no shared package's Actions (%s)", where, a, strings.Join(slices.Sorted(maps.Keys(SharedActions)), ", ")))
		}
	}
	// 2. Each action is on the resources it acts on.
	machinesGiven := map[string]bool{}
	arns := stateMachineARNs(t, ev)
	for name, v := range FunctionEnv(t, fn) {
		if !strings.HasSuffix(name, "_STATE_MACHINE_ARN") {
			continue
		}
		s, _ := ev.String(v)
		for id, arn := range arns {
			if arn == s {
				machinesGiven[id] = true
			}
		}
	}
	for _, a := range slices.Sorted(maps.Keys(declared)) {
		on := slices.Sorted(slices.Values(declared[a]))
		want, rule := expectedResources(t, a, an, machinesGiven, on)
		if want != nil && !slices.Equal(on, want) {
			p = append(p, fmt.Sprintf("%s: %s is on %v, want %v (%s)", where, a, on, want, rule))
		}
		if want == nil && rule != "" {
			p = append(p, fmt.Sprintf("%s: %s: %s", where, a, rule))
		}
	}
	// 3. The template grants exactly the declared pairs.
	wantPairs := map[Grant]bool{}
	for a, resources := range declared {
		for _, r := range resources {
			arns, err := resolveGrantResource(t, ev, r)
			if err != nil {
				p = append(p, fmt.Sprintf("%s: %s on %s: %v", where, a, r, err))
				continue
			}
			for _, arn := range arns {
				wantPairs[Grant{a, arn}] = true
			}
		}
	}
	grants, gp := PolicyGrants(ev, fn)
	p = append(p, gp...)
	gotPairs := map[Grant]bool{}
	for _, g := range grants {
		gotPairs[g] = true
	}
	for _, g := range sortedGrants(wantPairs) {
		if !gotPairs[g] {
			p = append(p, fmt.Sprintf("template.yaml: %s's policy does not allow %s, which its code performs", fnID, g))
		}
	}
	for _, g := range sortedGrants(gotPairs) {
		if !wantPairs[g] {
			p = append(p, fmt.Sprintf("template.yaml: %s's policy allows %s, which its code does not need", fnID, g))
		}
	}
	return p
}

func sharedDeclares(action string) bool {
	for _, list := range SharedActions {
		if slices.Contains(list, action) {
			return true
		}
	}
	return false
}

func sortedGrants(m map[Grant]bool) []Grant {
	out := slices.Collect(maps.Keys(m))
	slices.SortFunc(out, func(a, b Grant) int { return strings.Compare(a.String(), b.String()) })
	return out
}

// expectedResources says which resources action must be declared on (sorted)
// and why; nil with a reason when the declaration is wrong in another way;
// nil and "" when any state machines will do (SendTask*), after checking.
func expectedResources(t *Template, action string, an Analysis, machinesGiven map[string]bool, on []string) ([]string, string) {
	svc, op, _ := strings.Cut(action, ":")
	switch {
	case svc == "dynamodb" && (op == "Query" || op == "Scan"):
		var want []string
		if an.TableQuery {
			want = append(want, "Table")
		}
		if an.IndexQuery {
			want = append(want, TableIndexes)
		}
		return want, "the table when the code queries it, its indexes when it names one"
	case svc == "dynamodb":
		return []string{"Table"}, "item actions act on the table"
	case svc == "ses":
		return []string{SenderIdentity}, "email is sent from the sender identity"
	case svc == "s3" && strings.HasSuffix(op, "Object"):
		return []string{DocumentObjects}, "object actions act on the documents under documents/ only"
	case action == "states:StartExecution":
		return slices.Sorted(maps.Keys(machinesGiven)), "the state machines whose ARNs the function is given (*_STATE_MACHINE_ARN)"
	case action == "secretsmanager:GetSecretValue":
		if len(on) == 0 {
			return nil, "declare the secrets the function reads"
		}
		for _, id := range on {
			if r, ok := t.Resource(id); !ok || r.Type != TypeSecret {
				return nil, fmt.Sprintf("%s is not a secret of the template: secrets are read from the template's secrets only", id)
			}
		}
		return nil, ""
	case svc == "s3":
		// A bucket for s3:ListBucket, a prefix of one ("DocumentsBucket/documents/*")
		// for the object actions.
		for _, id := range on {
			bucket, prefix, _ := strings.Cut(id, "/")
			if r, ok := t.Resource(bucket); !ok || r.Type != TypeBucket {
				return nil, fmt.Sprintf("%s is not a bucket of the template", bucket)
			}
			if op == "ListBucket" && prefix != "" || op != "ListBucket" && !strings.HasSuffix(prefix, "/*") {
				return nil, fmt.Sprintf("%s: s3:ListBucket is on a bucket, object actions on a prefix of one (<Bucket>/<prefix>/*)", id)
			}
		}
		if len(on) == 0 {
			return nil, "declare the bucket or the prefix the action is on"
		}
		return nil, ""
	case svc == "states" && strings.HasPrefix(op, "SendTask"):
		if len(on) == 0 {
			return nil, "declare the state machines whose task tokens the function answers"
		}
		for _, id := range on {
			if r, ok := t.Resource(id); !ok || r.Type != TypeStateMachine {
				return nil, fmt.Sprintf("%s is not a state machine of the template: task tokens are answered on state machines only", id)
			}
		}
		return nil, ""
	}
	return nil, "the checks do not know what resources this action acts on: teach expectedResources"
}

// resolveGrantResource turns a Grants resource name into ARNs.
func resolveGrantResource(t *Template, ev *Eval, name string) ([]string, error) {
	switch name {
	case TableIndexes:
		table, err := ev.String(map[string]any{"Fn::GetAtt": []any{"Table", "Arn"}})
		if err != nil {
			return nil, err
		}
		var out []string
		tbl, _ := t.Resource("Table")
		for _, g := range asList(tbl.Properties["GlobalSecondaryIndexes"]) {
			out = append(out, table+"/index/"+LookupString(g, "IndexName"))
		}
		return out, nil
	case DocumentObjects:
		bucket, err := ev.String(map[string]any{"Fn::GetAtt": []any{"DocumentsBucket", "Arn"}})
		if err != nil {
			return nil, err
		}
		return []string{bucket + "/documents/*"}, nil
	case SenderIdentity:
		id, err := ev.String(map[string]any{"Ref": "SenderIdentity"})
		if err != nil {
			return nil, err
		}
		if id == "" {
			if id, err = ev.String(map[string]any{"Ref": "SenderAddress"}); err != nil {
				return nil, err
			}
		}
		return []string{fmt.Sprintf("arn:%s:ses:%s:%s:identity/%s", ev.Partition, ev.Region, ev.Account, id)}, nil
	}
	if bucket, prefix, ok := strings.Cut(name, "/"); ok { // a prefix of a bucket: its objects
		arn, err := ev.String(map[string]any{"Fn::GetAtt": []any{bucket, "Arn"}})
		if err != nil {
			return nil, err
		}
		return []string{arn + "/" + prefix}, nil
	}
	r, ok := t.Resource(name)
	if !ok {
		return nil, fmt.Errorf("no resource %s in template.yaml", name)
	}
	attr := "Arn"
	if r.Type == TypeStateMachine || r.Type == TypeSecret {
		attr = "" // Ref is the ARN
	}
	v, err := ev.getAtt(name, attr)
	if err != nil {
		return nil, err
	}
	s, err := scalarString(v)
	if err != nil {
		return nil, err
	}
	return []string{s}, nil
}
