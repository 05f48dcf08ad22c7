package deploycheck

import (
	"bytes"
	"fmt"
	"maps"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/candorhq/candor/shared/httpapi"
	"github.com/candorhq/candor/shared/moderation"
)

// The checks below compare template.yaml with what cfn-lint does not read:
// the Go code, the Makefile, statemachines/ and samconfig.toml. Whether the
// template itself is well formed (types, Refs, GetAtts, conditions, circular
// dependencies) is cfn-lint's job in CI (docs/ops.md lists what moved).
// Each check returns the problems it finds, as sentences that name the file
// and what to do; none means the template is right on that count.

// Resource types the checks know.
const (
	TypeFunction     = "AWS::Serverless::Function"
	TypeStateMachine = "AWS::Serverless::StateMachine"
	TypeHttpAPI      = "AWS::Serverless::HttpApi"
	TypeTable        = "AWS::DynamoDB::Table"
	TypeSecret       = "AWS::SecretsManager::Secret"
)

// lambdaBuild is what the Makefile's build targets produce (the recipe
// TestBuildTargetsCrossCompile reads): a bootstrap executable for
// linux/arm64, which only an OS-only runtime on arm64 can run.
var lambdaBuild = map[string]any{"Runtime": "provided.al2023", "Handler": "bootstrap", "Architectures": []any{"arm64"}}

// CheckFunctions checks that the functions of the repository (dirs, from
// FunctionDirs), the Makefile's build targets and the template's functions
// are the same set, one target and one resource per function, and that
// each resource runs what its target builds: SAM's makefile build method
// from the root (CodeUri .), and the runtime, handler and architecture of
// lambdaBuild.
func CheckFunctions(t *Template, dirs []string, targets map[string]BuildTarget) []string {
	var p []string
	byPkg := map[string]string{}
	for _, id := range slices.Sorted(maps.Keys(targets)) {
		tg := targets[id]
		switch {
		case tg.Package == "":
			p = append(p, fmt.Sprintf("Makefile: build-%s builds no ./functions/<name> package", id))
		case !slices.Contains(dirs, tg.Package):
			p = append(p, fmt.Sprintf("Makefile: build-%s builds ./%s, which has no main.go", id, tg.Package))
		case byPkg[tg.Package] != "":
			p = append(p, fmt.Sprintf("Makefile: build-%s and build-%s both build ./%s", byPkg[tg.Package], id, tg.Package))
		default:
			byPkg[tg.Package] = id
		}
		if r, ok := t.Resource(id); !ok || r.Type != TypeFunction {
			p = append(p, fmt.Sprintf("template.yaml: the Makefile builds %s (./%s) but the template has no such function", id, tg.Package))
		}
	}
	for _, d := range dirs {
		if byPkg[d] == "" {
			p = append(p, fmt.Sprintf("Makefile: no build-<LogicalId> target builds ./%s: add one (and the function to template.yaml)", d))
		}
	}
	for _, fn := range t.ResourcesOfType(TypeFunction) {
		if _, ok := targets[fn.ID]; !ok {
			p = append(p, fmt.Sprintf("template.yaml: function %s has no build-%s target in the Makefile", fn.ID, fn.ID))
		}
		if LookupString(fn.Metadata, "BuildMethod") != "makefile" {
			p = append(p, fmt.Sprintf("template.yaml: %s needs Metadata: BuildMethod: makefile", fn.ID))
		}
		want := maps.Clone(lambdaBuild)
		want["CodeUri"] = "." // the Makefile and go.mod are at the root
		for _, k := range slices.Sorted(maps.Keys(want)) {
			got, ok := fn.Properties[k]
			if !ok {
				got = t.Globals("Function")[k]
			}
			if fmt.Sprint(got) != fmt.Sprint(want[k]) {
				p = append(p, fmt.Sprintf("template.yaml: %s: %s is %v, want %v (what its build target builds)", fn.ID, k, got, want[k]))
			}
		}
	}
	return p
}

// FunctionEnv returns the environment the template gives a function: the
// Globals' variables overlaid with its own.
func FunctionEnv(t *Template, fn Resource) map[string]any {
	env := map[string]any{}
	maps.Copy(env, LookupMap(t.Globals("Function"), "Environment", "Variables"))
	maps.Copy(env, LookupMap(fn.Properties, "Environment", "Variables"))
	return env
}

// CheckEnv checks that the template sets exactly the variables the
// function's code reads (read, from Analysis.Env), that each resolves, and
// that the values tie up with the rest of the template: TABLE_NAME is the
// table and *_STATE_MACHINE_ARN a state machine of the template. (The
// policy windows live in the API's environment alone: the API passes them to
// the state machines in each execution's input.)
func CheckEnv(t *Template, ev *Eval, fnID string, read []string) []string {
	fn, ok := t.Resource(fnID)
	if !ok {
		return []string{fmt.Sprintf("template.yaml: no function %s", fnID)}
	}
	env := FunctionEnv(t, fn)
	var p []string
	for _, name := range read {
		if _, ok := env[name]; !ok {
			p = append(p, fmt.Sprintf("template.yaml: %s reads %s but the template does not set it (Environment.Variables)", fnID, name))
		}
	}
	machines := stateMachineARNs(t, ev)
	for _, name := range slices.Sorted(maps.Keys(env)) {
		if !slices.Contains(read, name) {
			p = append(p, fmt.Sprintf("template.yaml: %s sets %s, which its code never reads", fnID, name))
			continue
		}
		v, err := ev.String(env[name])
		if err != nil {
			p = append(p, fmt.Sprintf("template.yaml: %s: %s does not resolve: %v", fnID, name, err))
			continue
		}
		switch {
		case name == "TABLE_NAME":
			if want, _ := ev.String(map[string]any{"Ref": "Table"}); v != want {
				p = append(p, fmt.Sprintf("template.yaml: %s: TABLE_NAME is %q, want the table (%q)", fnID, v, want))
			}
		case strings.HasSuffix(name, "_STATE_MACHINE_ARN"):
			if !slices.Contains(slices.Collect(maps.Values(machines)), v) {
				p = append(p, fmt.Sprintf("template.yaml: %s: %s is %q, the ARN of no state machine of the template", fnID, name, v))
			}
		}
	}
	return p
}

// stateMachineARNs resolves each state machine's ARN, by logical id.
func stateMachineARNs(t *Template, ev *Eval) map[string]string {
	out := map[string]string{}
	for _, sm := range t.ResourcesOfType(TypeStateMachine) {
		if a, err := ev.String(map[string]any{"Ref": sm.ID}); err == nil {
			out[sm.ID] = a
		}
	}
	return out
}

// HTTPEvent is a function's HttpApi event.
type HTTPEvent struct {
	Name, Method, Path string
	Public             bool // Auth.Authorizer: NONE
	Authorizer         string
}

// HTTPEvents lists a function's HttpApi events.
func HTTPEvents(fn Resource) []HTTPEvent {
	var out []HTTPEvent
	events := LookupMap(fn.Properties, "Events")
	for _, name := range slices.Sorted(maps.Keys(events)) {
		if LookupString(events[name], "Type") != "HttpApi" {
			continue
		}
		props := LookupMap(events[name], "Properties")
		auth := LookupString(props, "Auth", "Authorizer")
		out = append(out, HTTPEvent{Name: name, Method: strings.ToUpper(LookupString(props, "Method")),
			Path: LookupString(props, "Path"), Public: auth == "NONE", Authorizer: auth})
	}
	return out
}

// PublicPrefixes are the only paths that may be served without a JWT
// (docs/api.md: the reviewer links, the public review view, liveness; and
// the compliance console, which signs agents in itself: docs/console.md).
var PublicPrefixes = []string{"/r/", "/v1/public/", "/healthz", "/console"}

// CheckRoutes checks that a function's HttpApi events are exactly the
// routes its code serves, each on the template's HTTP API, public (no
// authorizer) exactly when the code admits no role, and behind the default
// JWT authorizer otherwise; and that only PublicPrefixes are public.
func CheckRoutes(t *Template, fnID string, routes []httpapi.Route) []string {
	fn, ok := t.Resource(fnID)
	if !ok {
		return []string{fmt.Sprintf("template.yaml: no function %s", fnID)}
	}
	apis := t.ResourcesOfType(TypeHttpAPI)
	if len(apis) != 1 {
		return []string{fmt.Sprintf("template.yaml: want one AWS::Serverless::HttpApi, found %d", len(apis))}
	}
	api := apis[0]
	defAuth := LookupString(api.Properties, "Auth", "DefaultAuthorizer")
	var p []string
	if defAuth == "" || LookupMap(api.Properties, "Auth", "Authorizers", defAuth) == nil {
		p = append(p, fmt.Sprintf("template.yaml: %s needs Auth.DefaultAuthorizer naming one of its Authorizers", api.ID))
	} else if LookupMap(api.Properties, "Auth", "Authorizers", defAuth, "JwtConfiguration") == nil {
		p = append(p, fmt.Sprintf("template.yaml: %s's default authorizer %s is not a JWT authorizer", api.ID, defAuth))
	}
	events := map[string]HTTPEvent{}
	for _, e := range HTTPEvents(fn) {
		key := e.Method + " " + e.Path
		if _, dup := events[key]; dup {
			p = append(p, fmt.Sprintf("template.yaml: %s has two events for %s", fnID, key))
		}
		events[key] = e
		raw := LookupMap(fn.Properties, "Events", e.Name, "Properties")
		if LookupString(raw, "ApiId", "Ref") != api.ID {
			p = append(p, fmt.Sprintf("template.yaml: %s.%s must set ApiId: !Ref %s", fnID, e.Name, api.ID))
		}
	}
	served := map[string]httpapi.Route{}
	for _, r := range routes {
		key := r.Method + " " + r.Path
		served[key] = r
		e, ok := events[key]
		if !ok {
			p = append(p, fmt.Sprintf("template.yaml: %s serves %s but has no HttpApi event for it", fnID, key))
			continue
		}
		public := len(r.Roles) == 0
		switch {
		case public && !e.Public:
			p = append(p, fmt.Sprintf("template.yaml: %s %s is public in the code: its event needs Auth: { Authorizer: NONE }", fnID, key))
		case !public && e.Public:
			p = append(p, fmt.Sprintf("template.yaml: %s %s admits only %s but its event has no authorizer", fnID, key, strings.Join(r.Roles, ", ")))
		case !public && e.Authorizer != "" && e.Authorizer != defAuth:
			p = append(p, fmt.Sprintf("template.yaml: %s %s uses authorizer %s, want the JWT authorizer %s", fnID, key, e.Authorizer, defAuth))
		}
		if public && !hasPublicPrefix(r.Path) {
			p = append(p, fmt.Sprintf("code: %s %s is public but only %s may be", fnID, key, strings.Join(PublicPrefixes, ", ")))
		}
	}
	for _, key := range slices.Sorted(maps.Keys(events)) {
		if _, ok := served[key]; !ok {
			p = append(p, fmt.Sprintf("template.yaml: %s has an event for %s, which its code does not serve", fnID, key))
		}
	}
	return p
}

func hasPublicPrefix(path string) bool {
	for _, pre := range PublicPrefixes {
		if strings.HasPrefix(path, pre) {
			return true
		}
	}
	return false
}

// CheckTable checks that the template's Table is def (store.TableDefinition):
// the same key schema, attribute types, GSIs (keys and projections) and
// billing mode; plus TTL on the store's ttlAttr, and Retain on delete and
// replace.
func CheckTable(t *Template, def *dynamodb.CreateTableInput, ttlAttr string) []string {
	tbl, ok := t.Resource("Table")
	if !ok || tbl.Type != TypeTable {
		return []string{"template.yaml: no AWS::DynamoDB::Table named Table"}
	}
	var p []string
	bad := func(format string, args ...any) { p = append(p, "template.yaml: Table: "+fmt.Sprintf(format, args...)) }
	if got := LookupString(tbl.Properties, "BillingMode"); got != string(def.BillingMode) {
		bad("BillingMode is %q, want %q", got, def.BillingMode)
	}
	gotAttrs := map[string]string{}
	for _, a := range asList(tbl.Properties["AttributeDefinitions"]) {
		gotAttrs[LookupString(a, "AttributeName")] = LookupString(a, "AttributeType")
	}
	wantAttrs := map[string]string{}
	for _, a := range def.AttributeDefinitions {
		wantAttrs[aws.ToString(a.AttributeName)] = string(a.AttributeType)
	}
	if !maps.Equal(gotAttrs, wantAttrs) {
		bad("AttributeDefinitions are %v, want %v", gotAttrs, wantAttrs)
	}
	keyString := func(v any) string {
		var parts []string
		for _, k := range asList(v) {
			parts = append(parts, LookupString(k, "AttributeName")+":"+LookupString(k, "KeyType"))
		}
		return strings.Join(parts, ",")
	}
	var wantKey []string
	for _, k := range def.KeySchema {
		wantKey = append(wantKey, aws.ToString(k.AttributeName)+":"+string(k.KeyType))
	}
	if got := keyString(tbl.Properties["KeySchema"]); got != strings.Join(wantKey, ",") {
		bad("KeySchema is %s, want %s", got, strings.Join(wantKey, ","))
	}
	gotGSI := map[string]string{}
	for _, g := range asList(tbl.Properties["GlobalSecondaryIndexes"]) {
		proj := LookupString(g, "Projection", "ProjectionType")
		nk := asStrings(Lookup(g, "Projection", "NonKeyAttributes"))
		gotGSI[LookupString(g, "IndexName")] = keyString(Lookup(g, "KeySchema")) + " " + proj + " " + strings.Join(nk, ",")
	}
	wantGSI := map[string]string{}
	for _, g := range def.GlobalSecondaryIndexes {
		var k []string
		for _, e := range g.KeySchema {
			k = append(k, aws.ToString(e.AttributeName)+":"+string(e.KeyType))
		}
		var nk []string
		if g.Projection != nil {
			nk = g.Projection.NonKeyAttributes
		}
		wantGSI[aws.ToString(g.IndexName)] = strings.Join(k, ",") + " " + string(g.Projection.ProjectionType) + " " + strings.Join(nk, ",")
	}
	if !maps.Equal(gotGSI, wantGSI) {
		bad("GlobalSecondaryIndexes are %v, want %v (store.TableDefinition)", gotGSI, wantGSI)
	}
	if tbl.Properties["LocalSecondaryIndexes"] != nil && len(def.LocalSecondaryIndexes) == 0 {
		bad("has LocalSecondaryIndexes the store does not define")
	}
	if LookupString(tbl.Properties, "TimeToLiveSpecification", "AttributeName") != ttlAttr ||
		Lookup(tbl.Properties, "TimeToLiveSpecification", "Enabled") != true {
		bad("TTL must be enabled on %s", ttlAttr)
	}
	// cfn-lint only warns when one of the two is missing, and accepts Delete.
	for _, k := range []string{"DeletionPolicy", "UpdateReplacePolicy"} {
		if tbl.Raw[k] != "Retain" {
			bad("%s must be Retain (the table holds every report and its audit trail)", k)
		}
	}
	return p
}

func asList(v any) []any {
	l, _ := v.([]any)
	return l
}

func asStrings(v any) []string {
	var out []string
	for _, e := range asList(v) {
		if s, ok := e.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// substitutionRE is how ASL files name substitutions (as the local engine reads them).
var substitutionRE = regexp.MustCompile(`\$\{([A-Za-z0-9_.:-]+)\}`)

// Placeholders lists the ${Name}s of an ASL definition, sorted and unique.
func Placeholders(def []byte) []string {
	seen := map[string]bool{}
	for _, m := range substitutionRE.FindAllSubmatch(def, -1) {
		seen[string(m[1])] = true
	}
	return slices.Sorted(maps.Keys(seen))
}

// StateMachineFor returns the template's state machine whose DefinitionUri is file.
func StateMachineFor(t *Template, file string) (Resource, bool) {
	for _, sm := range t.ResourcesOfType(TypeStateMachine) {
		if sm.Properties["DefinitionUri"] == file {
			return sm, true
		}
	}
	return Resource{}, false
}

// CheckStateMachines checks that every ASL file (files, relative paths
// with their contents) is one state machine of the template, and each state
// machine one file; that its substitutions are exactly the file's ${…}s,
// each resolves, and a substitution shared by two machines has one value;
// that a definition waiting for task tokens is Standard (Express state
// machines cannot wait for one); and that its role may invoke exactly the
// functions its substitutions name.
func CheckStateMachines(t *Template, ev *Eval, files map[string][]byte) []string {
	var p []string
	seenSub := map[string]string{}
	for _, file := range slices.Sorted(maps.Keys(files)) {
		sm, ok := StateMachineFor(t, file)
		if !ok {
			p = append(p, fmt.Sprintf("template.yaml: no AWS::Serverless::StateMachine has DefinitionUri: %s", file))
			continue
		}
		if bytes.Contains(files[file], []byte(".waitForTaskToken")) && sm.Properties["Type"] != "STANDARD" {
			p = append(p, fmt.Sprintf("template.yaml: %s must be Type: STANDARD: %s waits for task tokens, which Express state machines cannot", sm.ID, file))
		}
		placeholders := Placeholders(files[file])
		subs := LookupMap(sm.Properties, "DefinitionSubstitutions")
		for _, name := range placeholders {
			if _, ok := subs[name]; !ok {
				p = append(p, fmt.Sprintf("template.yaml: %s: %s uses ${%s} but DefinitionSubstitutions has no %s", sm.ID, file, name, name))
			}
		}
		invoke := map[string]bool{}
		for _, name := range slices.Sorted(maps.Keys(subs)) {
			if !slices.Contains(placeholders, name) {
				p = append(p, fmt.Sprintf("template.yaml: %s: substitution %s is not used by %s", sm.ID, name, file))
			}
			v, err := ev.String(subs[name])
			if err != nil {
				p = append(p, fmt.Sprintf("template.yaml: %s: substitution %s does not resolve: %v", sm.ID, name, err))
				continue
			}
			if prev, ok := seenSub[name]; ok && prev != v {
				p = append(p, fmt.Sprintf("template.yaml: substitution %s is %q in one state machine and %q in another", name, prev, v))
			}
			seenSub[name] = v
			if strings.Contains(v, ":lambda:") && strings.Contains(v, ":function:") {
				invoke[v] = true
			}
		}
		grants, gp := PolicyGrants(ev, sm)
		p = append(p, gp...)
		got := map[string]bool{}
		for _, g := range grants {
			if g.Action == "lambda:InvokeFunction" {
				got[g.Resource] = true
			} else if !wildcardOnly[g.Action] {
				p = append(p, fmt.Sprintf("template.yaml: %s's role allows %s on %s; a state machine needs only lambda:InvokeFunction on its task functions", sm.ID, g.Action, g.Resource))
			}
		}
		if !maps.Equal(got, invoke) {
			p = append(p, fmt.Sprintf("template.yaml: %s may invoke %v, want exactly the functions of its substitutions %v", sm.ID, slices.Sorted(maps.Keys(got)), slices.Sorted(maps.Keys(invoke))))
		}
	}
	for _, sm := range t.ResourcesOfType(TypeStateMachine) {
		file, _ := sm.Properties["DefinitionUri"].(string)
		if _, ok := files[file]; !ok {
			p = append(p, fmt.Sprintf("template.yaml: %s's DefinitionUri %q is not a file of statemachines/", sm.ID, file))
		}
	}
	return p
}

// Grant is one (action, resource) pair a policy allows.
type Grant struct{ Action, Resource string }

func (g Grant) String() string { return g.Action + " on " + g.Resource }

// wildcardOnly are the actions IAM accepts only on "*" (they take no
// resource ARN): the state machines' log delivery and X-Ray tracing.
var wildcardOnly = map[string]bool{
	"logs:CreateLogDelivery": true, "logs:GetLogDelivery": true, "logs:UpdateLogDelivery": true,
	"logs:DeleteLogDelivery": true, "logs:ListLogDeliveries": true, "logs:PutResourcePolicy": true,
	"logs:DescribeResourcePolicies": true, "logs:DescribeLogGroups": true,
	"xray:PutTraceSegments": true, "xray:PutTelemetryRecords": true,
	"xray:GetSamplingRules": true, "xray:GetSamplingTargets": true,
}

// PolicyGrants resolves the inline policies of a function or state machine
// to (action, resource) pairs. Anything but inline Allow statements with
// exact actions on exact resources is a problem: managed policies, SAM
// policy templates (DynamoDBCrudPolicy…), a Role, NotAction/NotResource,
// and any "*" (except wildcardOnly actions on "*").
func PolicyGrants(ev *Eval, r Resource) ([]Grant, []string) {
	var p []string
	if _, ok := r.Properties["Role"]; ok {
		p = append(p, fmt.Sprintf("template.yaml: %s sets Role: give it inline Policies so the checks can read them", r.ID))
	}
	var out []Grant
	for i, pol := range asList(r.Properties["Policies"]) {
		doc, ok := pol.(map[string]any)
		if !ok || doc["Statement"] == nil {
			p = append(p, fmt.Sprintf("template.yaml: %s: Policies[%d] is %v, not an inline policy document (no managed policies or SAM policy templates)", r.ID, i, pol))
			continue
		}
		for j, st := range asList(doc["Statement"]) {
			where := fmt.Sprintf("%s: Policies[%d].Statement[%d]", r.ID, i, j)
			sm, _ := st.(map[string]any)
			for _, k := range []string{"NotAction", "NotResource", "NotPrincipal"} {
				if _, ok := sm[k]; ok {
					p = append(p, fmt.Sprintf("template.yaml: %s uses %s", where, k))
				}
			}
			if sm["Effect"] != "Allow" {
				p = append(p, fmt.Sprintf("template.yaml: %s: Effect must be Allow", where))
				continue
			}
			actions, err := ev.Strings(sm["Action"])
			if err != nil || len(actions) == 0 {
				p = append(p, fmt.Sprintf("template.yaml: %s: Action does not resolve: %v", where, err))
				continue
			}
			resources, err := ev.Strings(sm["Resource"])
			if err != nil || len(resources) == 0 {
				p = append(p, fmt.Sprintf("template.yaml: %s: Resource does not resolve: %v", where, err))
				continue
			}
			for _, a := range actions {
				if strings.Contains(a, "*") {
					p = append(p, fmt.Sprintf("template.yaml: %s: action %q has a wildcard", where, a))
				}
				for _, res := range resources {
					if strings.Contains(res, "*") && !(res == "*" && wildcardOnly[a]) && !objectPrefix(a, res) {
						p = append(p, fmt.Sprintf("template.yaml: %s: %s on %q: resources must be exact ARNs", where, a, res))
					}
					out = append(out, Grant{a, res})
				}
			}
		}
	}
	return out, p
}

// PolicyParameters is every template parameter that sets a field of
// moderation.Policy, with the Default it must have for the code to run p:
// PolicyParameters(moderation.DefaultPolicy) is what a stack deployed
// without overrides must default to. Windows are in seconds, the misuse
// share in percent, HidePolicy a string; the rest are counts.
func PolicyParameters(p moderation.Policy) map[string]any {
	secs := func(d time.Duration) any { return int(d / time.Second) }
	hide := "all"
	if p.HideHarmfulOnly {
		hide = "harmful_only"
	}
	return map[string]any{
		"HidePolicy":                  hide,
		"ProofWindowSeconds":          secs(p.ProofWindow),
		"ReviewerActionWindowSeconds": secs(p.ReviewerActionWindow),
		"MaxReviewerRounds":           p.MaxReviewerRounds,
		"DecisionReminderSeconds":     secs(p.DecisionReminder),
		"AppealWindowSeconds":         secs(p.AppealWindow),
		"ReplyWindowSeconds":          secs(p.FindReviewerReplyWindow),
		"ReminderAfterSeconds":        secs(p.FindReviewerReminderAfter),
		"ReportsPerHour":              p.ReportsPerHour,
		"RequestsPerHour":             p.RequestsPerHour,
		"MisuseMinReports":            p.Misuse.MinReports,
		"MisuseUnfoundedPercent":      int(math.Round(p.Misuse.UnfoundedShare * 100)),
		"MisuseWindowMonths":          p.Misuse.WindowMonths,
		"DocumentRetentionSeconds":    secs(p.DocumentRetention),
	}
}

// CheckParameters checks that each parameter of defaults (the policy
// windows and limits, see PolicyParameters) defaults to the code's own
// default — a Number for an int, a String for a string — and that every
// parameter is used by the template (cfn-lint's W2001 does not run on SAM
// templates).
func CheckParameters(t *Template, defaults map[string]any) []string {
	var p []string
	params := t.Section("Parameters")
	for _, name := range slices.Sorted(maps.Keys(defaults)) {
		def := LookupMap(params, name)
		if def == nil {
			p = append(p, fmt.Sprintf("template.yaml: no parameter %s", name))
			continue
		}
		typ := "Number"
		if _, ok := defaults[name].(string); ok {
			typ = "String"
		}
		if def["Type"] != typ || def["Default"] != defaults[name] {
			p = append(p, fmt.Sprintf("template.yaml: parameter %s must be a %s with Default %v, the code's default, not %v %v", name, typ, defaults[name], def["Type"], def["Default"]))
		}
	}
	used := map[string]bool{}
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			if r, ok := x["Ref"].(string); ok {
				used[r] = true
			}
			if s, ok := x["Fn::Sub"]; ok {
				text, _ := s.(string)
				if l, ok := s.([]any); ok && len(l) > 0 {
					text, _ = l[0].(string)
				}
				for _, m := range subVarRE.FindAllStringSubmatch(text, -1) {
					used[m[1]] = true
				}
			}
			for _, e := range x {
				walk(e)
			}
		case []any:
			for _, e := range x {
				walk(e)
			}
		}
	}
	for _, sec := range []string{"Conditions", "Globals", "Resources", "Outputs"} {
		walk(t.Raw[sec])
	}
	for _, name := range slices.Sorted(maps.Keys(params)) {
		if !used[name] {
			p = append(p, fmt.Sprintf("template.yaml: parameter %s is never used", name))
		}
	}
	return p
}

// CheckSamConfig checks samconfig.toml's environments: each of envs deploys
// with CAPABILITY_IAM, overrides only parameters of the template, gives
// every parameter without a default, and gives values the parameters
// accept; and the reminder comes before the end of the reply window.
func CheckSamConfig(t *Template, cfg SamConfig, envs []string) []string {
	var p []string
	params := t.Section("Parameters")
	for _, env := range envs {
		deploy := cfg.Parameters(env, "deploy")
		if deploy == nil {
			p = append(p, fmt.Sprintf("samconfig.toml: no [%s.deploy.parameters]", env))
			continue
		}
		if s, _ := cfg.Parameters(env, "global")["stack_name"].(string); s == "" {
			if s, _ := deploy["stack_name"].(string); s == "" {
				p = append(p, fmt.Sprintf("samconfig.toml: [%s] sets no stack_name", env))
			}
		}
		caps := capabilities(deploy["capabilities"])
		if !slices.Contains(caps, "CAPABILITY_IAM") {
			p = append(p, fmt.Sprintf("samconfig.toml: [%s.deploy.parameters] capabilities must include CAPABILITY_IAM (SAM creates the functions' roles)", env))
		}
		overrides, err := overridesOf(deploy["parameter_overrides"])
		if err != nil {
			p = append(p, fmt.Sprintf("samconfig.toml: [%s] %v", env, err))
			continue
		}
		for _, k := range slices.Sorted(maps.Keys(overrides)) {
			def := LookupMap(params, k)
			if def == nil {
				p = append(p, fmt.Sprintf("samconfig.toml: [%s] overrides %s, which is not a parameter of template.yaml", env, k))
				continue
			}
			if msg := checkParamValue(k, def, overrides[k]); msg != "" {
				p = append(p, fmt.Sprintf("samconfig.toml: [%s] %s", env, msg))
			}
		}
		for _, k := range slices.Sorted(maps.Keys(params)) {
			if _, hasDef := LookupMap(params, k)["Default"]; !hasDef {
				if _, ok := overrides[k]; !ok {
					p = append(p, fmt.Sprintf("samconfig.toml: [%s] does not give %s, which has no default", env, k))
				}
			}
		}
		ev := NewEval(t, overrides)
		reply, err1 := ev.String(map[string]any{"Ref": "ReplyWindowSeconds"})
		remind, err2 := ev.String(map[string]any{"Ref": "ReminderAfterSeconds"})
		r1, _ := strconv.Atoi(reply)
		r2, _ := strconv.Atoi(remind)
		if err1 == nil && err2 == nil && r2 >= r1 {
			p = append(p, fmt.Sprintf("samconfig.toml: [%s] ReminderAfterSeconds (%d) must be less than ReplyWindowSeconds (%d)", env, r2, r1))
		}
	}
	return p
}

func capabilities(v any) []string {
	if s, ok := v.(string); ok {
		return strings.Fields(s)
	}
	return asStrings(v)
}

func overridesOf(v any) (map[string]string, error) {
	switch x := v.(type) {
	case nil:
		return map[string]string{}, nil
	case string:
		return ParameterOverrides(x)
	case []any:
		return ParameterOverrides(strings.Join(asStrings(x), " "))
	}
	return nil, fmt.Errorf("parameter_overrides is %T, want a string or a list", v)
}

// checkParamValue returns what is wrong with value for the parameter def, or "".
func checkParamValue(name string, def map[string]any, value string) string {
	if allowed := asList(def["AllowedValues"]); len(allowed) > 0 {
		ok := false
		for _, a := range allowed {
			if s, _ := scalarString(a); s == value {
				ok = true
			}
		}
		if !ok {
			return fmt.Sprintf("%s=%s is not one of %v", name, value, allowed)
		}
	}
	if pat, _ := def["AllowedPattern"].(string); pat != "" {
		re, err := regexp.Compile("^(?:" + pat + ")$")
		if err != nil {
			return fmt.Sprintf("%s: AllowedPattern does not compile: %v", name, err)
		}
		if !re.MatchString(value) {
			return fmt.Sprintf("%s=%s does not match %s", name, value, pat)
		}
	}
	if def["Type"] == "Number" {
		n, err := strconv.ParseFloat(value, 64)
		if err != nil {
			return fmt.Sprintf("%s=%s is not a number", name, value)
		}
		if lo, ok := def["MinValue"].(int); ok && n < float64(lo) {
			return fmt.Sprintf("%s=%s is below MinValue %d", name, value, lo)
		}
		if hi, ok := def["MaxValue"].(int); ok && n > float64(hi) {
			return fmt.Sprintf("%s=%s is above MaxValue %d", name, value, hi)
		}
	}
	return ""
}

// CheckAlarms checks that ops hear of every failure the template can have:
// each function has an alarm on its Errors (AWS/Lambda, dimension
// FunctionName = !Ref the function) and each state machine one on its
// ExecutionsFailed (AWS/States, StateMachineArn = !Ref the machine), and
// every alarm notifies the alarm topic.
func CheckAlarms(t *Template) []string {
	watched := map[string]map[string]bool{} // metric → resource ids with an alarm
	var p []string
	for _, a := range t.ResourcesOfType("AWS::CloudWatch::Alarm") {
		metric, _ := a.Properties["MetricName"].(string)
		for _, d := range asList(a.Properties["Dimensions"]) {
			if id, ok := Lookup(d, "Value", "Ref").(string); ok {
				if watched[metric] == nil {
					watched[metric] = map[string]bool{}
				}
				watched[metric][id] = true
			}
		}
		if actions := asList(a.Properties["AlarmActions"]); len(actions) == 0 {
			p = append(p, fmt.Sprintf("template.yaml: alarm %s notifies nobody (no AlarmActions)", a.ID))
		}
	}
	for _, want := range []struct{ typ, metric string }{
		{"AWS::Serverless::Function", "Errors"},
		{"AWS::Serverless::StateMachine", "ExecutionsFailed"},
	} {
		for _, r := range t.ResourcesOfType(want.typ) {
			if !watched[want.metric][r.ID] {
				p = append(p, fmt.Sprintf("template.yaml: %s has no alarm on its %s", r.ID, want.metric))
			}
		}
	}
	return p
}

// objectPrefix reports whether res is the one wildcard the checks allow on
// an S3 object action: every object under a named prefix of a bucket
// ("arn:aws:s3:::bucket/documents/*"), never a bucket's every object.
func objectPrefix(action, res string) bool {
	bucketAndPrefix, ok := strings.CutSuffix(res, "/*")
	_, prefix, hasPrefix := strings.Cut(bucketAndPrefix, "/")
	return strings.HasPrefix(action, "s3:") && ok && hasPrefix && prefix != "" &&
		!strings.Contains(bucketAndPrefix, "*") && strings.HasPrefix(res, "arn:")
}
