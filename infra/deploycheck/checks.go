package deploycheck

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/candorhq/candor/shared/httpapi"
)

// The checks below each return the problems they find, as sentences that
// name the file and what to do; none means the template is right on that
// count. The tests run them on the repository's files and on broken copies.

// Resource types the checks know.
const (
	TypeFunction     = "AWS::Serverless::Function"
	TypeStateMachine = "AWS::Serverless::StateMachine"
	TypeHttpAPI      = "AWS::Serverless::HttpApi"
	TypeTable        = "AWS::DynamoDB::Table"
	TypeLogGroup     = "AWS::Logs::LogGroup"
	TypeAlarm        = "AWS::CloudWatch::Alarm"
)

// CheckGlobals checks the Transform and the function Globals the issue
// asks for: provided.al2023 on arm64 with Handler bootstrap, a timeout and
// memory, JSON logs and active tracing.
func CheckGlobals(t *Template) []string {
	var p []string
	if tr, _ := t.Raw["Transform"].(string); tr != "AWS::Serverless-2016-10-31" {
		p = append(p, fmt.Sprintf("template.yaml: Transform is %q, want AWS::Serverless-2016-10-31", tr))
	}
	g := t.Globals("Function")
	want := map[string]any{"Runtime": "provided.al2023", "Handler": "bootstrap", "Tracing": "Active"}
	for _, k := range slices.Sorted(maps.Keys(want)) {
		if g[k] != want[k] {
			p = append(p, fmt.Sprintf("template.yaml: Globals.Function.%s is %v, want %v", k, g[k], want[k]))
		}
	}
	if a, _ := g["Architectures"].([]any); len(a) != 1 || a[0] != "arm64" {
		p = append(p, fmt.Sprintf("template.yaml: Globals.Function.Architectures is %v, want [arm64]", g["Architectures"]))
	}
	for _, k := range []string{"Timeout", "MemorySize"} {
		if _, ok := g[k].(int); !ok {
			p = append(p, fmt.Sprintf("template.yaml: Globals.Function.%s is not set to a number", k))
		}
	}
	if LookupString(g, "LoggingConfig", "LogFormat") != "JSON" {
		p = append(p, "template.yaml: Globals.Function.LoggingConfig.LogFormat must be JSON (the functions log JSON with slog)")
	}
	// Lambda drops JSON lines below ApplicationLogLevel: it must follow LOG_LEVEL.
	for _, lvl := range asList(LookupMap(t.Section("Parameters"), "LogLevel")["AllowedValues"]) {
		name, _ := lvl.(string)
		ev := NewEval(t, map[string]string{"LogLevel": name})
		app, err := ev.String(Lookup(g, "LoggingConfig", "ApplicationLogLevel"))
		env, err2 := ev.String(Lookup(g, "Environment", "Variables", "LOG_LEVEL"))
		if err != nil || err2 != nil || !strings.EqualFold(app, env) {
			p = append(p, fmt.Sprintf("template.yaml: with LogLevel=%s, Lambda's ApplicationLogLevel is %q but LOG_LEVEL is %q: Lambda would drop or the functions would not write some lines", name, app, env))
		}
	}
	return p
}

// CheckFunctions checks that the functions of the repository (dirs, from
// FunctionDirs), the Makefile's build targets and the template's functions
// are the same set, and that each function is built by SAM from the
// Makefile, logs to its own log group with the retention parameter, and has
// an alarm on its errors.
func CheckFunctions(t *Template, ev *Eval, dirs []string, targets map[string]BuildTarget) []string {
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
	}
	for _, d := range dirs {
		if byPkg[d] == "" {
			p = append(p, fmt.Sprintf("Makefile: no build-<LogicalId> target builds ./%s: add one (and the function to template.yaml)", d))
		}
	}
	fns := t.ResourcesOfType(TypeFunction)
	for _, fn := range fns {
		if _, ok := targets[fn.ID]; !ok {
			p = append(p, fmt.Sprintf("template.yaml: function %s has no build-%s target in the Makefile", fn.ID, fn.ID))
		}
		if LookupString(fn.Metadata, "BuildMethod") != "makefile" {
			p = append(p, fmt.Sprintf("template.yaml: %s needs Metadata: BuildMethod: makefile", fn.ID))
		}
		codeURI := fn.Properties["CodeUri"]
		if codeURI == nil {
			codeURI = t.Globals("Function")["CodeUri"]
		}
		if codeURI != "." {
			p = append(p, fmt.Sprintf("template.yaml: %s: CodeUri must be . (the Makefile and go.mod are at the root), not %v", fn.ID, codeURI))
		}
		for _, k := range []string{"Runtime", "Handler", "Architectures"} {
			if _, ok := fn.Properties[k]; ok {
				p = append(p, fmt.Sprintf("template.yaml: %s overrides %s: leave it to Globals", fn.ID, k))
			}
		}
		p = append(p, checkFunctionLogs(t, ev, fn)...)
		if !hasAlarm(t, ev, "AWS/Lambda", "Errors", "FunctionName", fn.ID) {
			p = append(p, fmt.Sprintf("template.yaml: %s has no alarm on AWS/Lambda Errors with dimension FunctionName: !Ref %s", fn.ID, fn.ID))
		}
	}
	for _, id := range slices.Sorted(maps.Keys(targets)) {
		if r, ok := t.Resource(id); !ok || r.Type != TypeFunction {
			p = append(p, fmt.Sprintf("template.yaml: the Makefile builds %s (./%s) but the template has no such function", id, targets[id].Package))
		}
	}
	return p
}

func checkFunctionLogs(t *Template, ev *Eval, fn Resource) []string {
	lg, ok := Lookup(fn.Properties, "LoggingConfig", "LogGroup").(map[string]any)
	ref, _ := lg["Ref"].(string)
	group, found := t.Resource(ref)
	if !ok || !found || group.Type != TypeLogGroup {
		return []string{fmt.Sprintf("template.yaml: %s: LoggingConfig.LogGroup must be !Ref to its AWS::Logs::LogGroup (with a retention)", fn.ID)}
	}
	var p []string
	name, err1 := ev.String(group.Properties["LogGroupName"])
	fname, err2 := ev.String(map[string]any{"Ref": fn.ID})
	if err1 != nil || err2 != nil || name != "/aws/lambda/"+fname {
		p = append(p, fmt.Sprintf("template.yaml: %s's log group %s is named %q, want /aws/lambda/%s", fn.ID, ref, name, fname))
	}
	if r := LookupString(group.Properties, "RetentionInDays", "Ref"); r != "LogRetentionDays" {
		p = append(p, fmt.Sprintf("template.yaml: %s: RetentionInDays must be !Ref LogRetentionDays", ref))
	}
	return p
}

// hasAlarm reports whether an alarm watches metric of namespace with the
// dimension naming the resource id (by Ref).
func hasAlarm(t *Template, ev *Eval, namespace, metric, dimension, id string) bool {
	want, err := ev.String(map[string]any{"Ref": id})
	if err != nil {
		return false
	}
	for _, a := range t.ResourcesOfType(TypeAlarm) {
		if a.Properties["Namespace"] != namespace || a.Properties["MetricName"] != metric {
			continue
		}
		if acts, _ := a.Properties["AlarmActions"].([]any); len(acts) == 0 {
			continue
		}
		dims, _ := a.Properties["Dimensions"].([]any)
		for _, d := range dims {
			if LookupString(d, "Name") != dimension {
				continue
			}
			if v, err := ev.String(Lookup(d, "Value")); err == nil && v == want {
				return true
			}
		}
	}
	return false
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

// camel turns REPLY_WINDOW_SECONDS into ReplyWindowSeconds.
func camel(s string) string {
	var b strings.Builder
	for part := range strings.SplitSeq(strings.ToLower(s), "_") {
		if part != "" {
			b.WriteString(strings.ToUpper(part[:1]) + part[1:])
		}
	}
	return b.String()
}

// substitutionValues resolves every state machine's DefinitionSubstitutions
// (one value per name: a name used by two machines must agree, which
// CheckStateMachines reports).
func substitutionValues(t *Template, ev *Eval) map[string]string {
	out := map[string]string{}
	for _, sm := range t.ResourcesOfType(TypeStateMachine) {
		for k, v := range LookupMap(sm.Properties, "DefinitionSubstitutions") {
			if s, err := ev.String(v); err == nil {
				out[k] = s
			}
		}
	}
	return out
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
// (SPEC.md: the reviewer links, the public review view, liveness).
var PublicPrefixes = []string{"/r/", "/v1/public/", "/healthz"}

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
// the same key schema, attribute types and GSIs (keys and projections),
// on-demand; plus point-in-time recovery, TTL on ttlAttr, and Retain on
// delete and replace.
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
	if Lookup(tbl.Properties, "PointInTimeRecoverySpecification", "PointInTimeRecoveryEnabled") != true {
		bad("point-in-time recovery must be enabled")
	}
	if LookupString(tbl.Properties, "TimeToLiveSpecification", "AttributeName") != ttlAttr ||
		Lookup(tbl.Properties, "TimeToLiveSpecification", "Enabled") != true {
		bad("TTL must be enabled on %s", ttlAttr)
	}
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
// with their contents) is one Standard state machine of the template whose
// substitutions are exactly the file's ${…}s, that each resolves, that a
// substitution shared by two machines has one value, that the machine logs
// ALL events and traces, that its role may invoke exactly the functions its
// substitutions name, and that an alarm watches its failed executions and
// an output gives its ARN.
func CheckStateMachines(t *Template, ev *Eval, files map[string][]byte) []string {
	var p []string
	seenSub := map[string]string{}
	for _, file := range slices.Sorted(maps.Keys(files)) {
		sm, ok := StateMachineFor(t, file)
		if !ok {
			p = append(p, fmt.Sprintf("template.yaml: no AWS::Serverless::StateMachine has DefinitionUri: %s", file))
			continue
		}
		if sm.Properties["Type"] != "STANDARD" {
			p = append(p, fmt.Sprintf("template.yaml: %s must be Type: STANDARD (it waits days for reviewers)", sm.ID))
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
		if LookupString(sm.Properties, "Logging", "Level") != "ALL" {
			p = append(p, fmt.Sprintf("template.yaml: %s: Logging.Level must be ALL", sm.ID))
		}
		if !logsToGroup(t, sm) {
			p = append(p, fmt.Sprintf("template.yaml: %s: Logging needs one CloudWatchLogsLogGroup destination, !GetAtt <LogGroup>.Arn", sm.ID))
		}
		if Lookup(sm.Properties, "Tracing", "Enabled") != true {
			p = append(p, fmt.Sprintf("template.yaml: %s: Tracing.Enabled must be true", sm.ID))
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
		if !hasAlarm(t, ev, "AWS/States", "ExecutionsFailed", "StateMachineArn", sm.ID) {
			p = append(p, fmt.Sprintf("template.yaml: %s has no alarm on AWS/States ExecutionsFailed with dimension StateMachineArn: !Ref %s", sm.ID, sm.ID))
		}
		if LookupString(t.Section("Outputs"), sm.ID+"Arn", "Value", "Ref") != sm.ID {
			p = append(p, fmt.Sprintf("template.yaml: Outputs needs %sArn: !Ref %s", sm.ID, sm.ID))
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

// logsToGroup reports whether a state machine logs to one log group of the template.
func logsToGroup(t *Template, sm Resource) bool {
	dest := asList(Lookup(sm.Properties, "Logging", "Destinations"))
	if len(dest) != 1 {
		return false
	}
	ga := asStrings(Lookup(dest[0], "CloudWatchLogsLogGroup", "LogGroupArn", "Fn::GetAtt"))
	if len(ga) != 2 || ga[1] != "Arn" {
		return false
	}
	g, ok := t.Resource(ga[0])
	return ok && g.Type == TypeLogGroup
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
					if strings.Contains(res, "*") && !(res == "*" && wildcardOnly[a]) {
						p = append(p, fmt.Sprintf("template.yaml: %s: %s on %q: resources must be exact ARNs", where, a, res))
					}
					out = append(out, Grant{a, res})
				}
			}
		}
	}
	return out, p
}

// CheckParameters checks the windows of SPEC.md are parameters with its
// defaults, and that every parameter is used by the template.
func CheckParameters(t *Template, defaults map[string]int) []string {
	var p []string
	params := t.Section("Parameters")
	for _, name := range slices.Sorted(maps.Keys(defaults)) {
		def := LookupMap(params, name)
		if def == nil {
			p = append(p, fmt.Sprintf("template.yaml: no parameter %s", name))
			continue
		}
		if def["Type"] != "Number" || def["Default"] != defaults[name] {
			p = append(p, fmt.Sprintf("template.yaml: parameter %s must be a Number with Default %d (SPEC.md), not %v %v", name, defaults[name], def["Type"], def["Default"]))
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

// CheckDependencies checks that no resources depend on each other in a
// circle, which CloudFormation refuses. A resource depends on what its
// properties and DependsOn name; an HTTP API depends on the functions whose
// events route to it (SAM writes their ARNs into its definition).
func CheckDependencies(t *Template) []string {
	deps := map[string][]string{}
	for _, r := range t.Resources() {
		props := maps.Clone(r.Properties)
		if r.Type == TypeFunction {
			delete(props, "Events")
			for _, name := range slices.Sorted(maps.Keys(LookupMap(r.Properties, "Events"))) {
				ev := LookupMap(r.Properties, "Events", name)
				if LookupString(ev, "Type") == "HttpApi" {
					if api := LookupString(ev, "Properties", "ApiId", "Ref"); api != "" {
						deps[api] = append(deps[api], r.ID)
					}
				}
			}
		}
		deps[r.ID] = append(deps[r.ID], t.Refs(props)...)
		switch d := r.Raw["DependsOn"].(type) {
		case string:
			deps[r.ID] = append(deps[r.ID], d)
		case []any:
			deps[r.ID] = append(deps[r.ID], asStrings(d)...)
		}
	}
	const (
		white = iota
		grey
		black
	)
	color := map[string]int{}
	var p []string
	var path []string
	var visit func(id string)
	visit = func(id string) {
		color[id] = grey
		path = append(path, id)
		for _, d := range deps[id] {
			switch color[d] {
			case grey:
				i := slices.Index(path, d)
				p = append(p, "template.yaml: circular dependency "+strings.Join(append(slices.Clone(path[i:]), d), " -> "))
			case white:
				visit(d)
			}
		}
		path = path[:len(path)-1]
		color[id] = black
	}
	for _, id := range slices.Sorted(maps.Keys(deps)) {
		if color[id] == white {
			visit(id)
		}
	}
	return p
}

// CheckOutputs checks the outputs ops read after a deploy.
func CheckOutputs(t *Template, ev *Eval) []string {
	var p []string
	out := t.Section("Outputs")
	for _, name := range []string{"ApiUrl", "TableName"} {
		if _, ok := out[name]; !ok {
			p = append(p, fmt.Sprintf("template.yaml: Outputs needs %s", name))
		}
	}
	for _, name := range slices.Sorted(maps.Keys(out)) {
		if _, err := ev.String(Lookup(out, name, "Value")); err != nil {
			p = append(p, fmt.Sprintf("template.yaml: output %s does not resolve: %v", name, err))
		}
	}
	if v, _ := ev.String(Lookup(out, "TableName", "Value")); v != "" {
		if want, _ := ev.String(map[string]any{"Ref": "Table"}); v != want {
			p = append(p, fmt.Sprintf("template.yaml: output TableName is %q, want %q", v, want))
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
		deploy := cfg[env]["deploy"]["parameters"]
		if deploy == nil {
			p = append(p, fmt.Sprintf("samconfig.toml: no [%s.deploy.parameters]", env))
			continue
		}
		if s, _ := cfg[env]["global"]["parameters"]["stack_name"].(string); s == "" {
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
	switch x := v.(type) {
	case string:
		return strings.Fields(x)
	case []string:
		return x
	}
	return nil
}

func overridesOf(v any) (map[string]string, error) {
	switch x := v.(type) {
	case nil:
		return map[string]string{}, nil
	case string:
		return ParameterOverrides(x)
	case []string:
		return ParameterOverrides(strings.Join(x, " "))
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
