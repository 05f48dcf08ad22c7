package deploycheck

import (
	"maps"
	"strings"
	"testing"

	"github.com/candorhq/candor/shared/api"
	"github.com/candorhq/candor/shared/httpapi"
	"github.com/candorhq/candor/shared/moderation"
	"github.com/candorhq/candor/shared/store"
)

// These tests break a copy of the repository's template on purpose and
// check that the checks say what is wrong: a check that cannot fail would
// prove nothing about the real template.

// broken returns a copy of the repository's template changed by edit, and an
// Eval over it with samconfig's [default] overrides.
func broken(t *testing.T, edit func(raw map[string]any)) (*Template, *Eval) {
	t.Helper()
	r := mustRepo(t)
	tpl := r.tpl.Clone()
	edit(tpl.Raw)
	return tpl, NewEval(tpl, r.ev.Params)
}

// res returns a resource's raw map in a template's raw form.
func res(raw map[string]any, id string) map[string]any { return LookupMap(raw, "Resources", id) }

// props returns a resource's Properties in a template's raw form.
func props(raw map[string]any, id string) map[string]any {
	return LookupMap(raw, "Resources", id, "Properties")
}

func wantProblem(t *testing.T, problems []string, want string) {
	t.Helper()
	for _, p := range problems {
		if strings.Contains(p, want) {
			return
		}
	}
	t.Errorf("no problem mentions %q; got %q", want, problems)
}

func TestChecksFindBrokenTemplates(t *testing.T) {
	r := mustRepo(t)
	apiRoutes := api.New(api.Config{}).Routes()
	tests := []struct {
		name  string
		edit  func(raw map[string]any)
		check func(*Template, *Eval) []string
		want  string
	}{
		{
			name:  "runtime is not provided.al2023",
			edit:  func(raw map[string]any) { props(raw, "ApiFunction")["Runtime"] = "nodejs22.x" },
			check: func(t *Template, _ *Eval) []string { return CheckFunctions(t, r.dirs, r.targets) },
			want:  "ApiFunction: Runtime is nodejs22.x, want provided.al2023",
		},
		{
			name:  "x86 functions",
			edit:  func(raw map[string]any) { LookupMap(raw, "Globals", "Function")["Architectures"] = []any{"x86_64"} },
			check: func(t *Template, _ *Eval) []string { return CheckFunctions(t, r.dirs, r.targets) },
			want:  "SweeperFunction: Architectures is [x86_64], want [arm64]",
		},
		{
			name:  "a function without its build target",
			edit:  func(raw map[string]any) { LookupMap(raw, "Resources")["ExtraFunction"] = res(raw, "SweeperFunction") },
			check: func(t *Template, _ *Eval) []string { return CheckFunctions(t, r.dirs, r.targets) },
			want:  "function ExtraFunction has no build-ExtraFunction target",
		},
		{
			name:  "a function not built by the Makefile method",
			edit:  func(raw map[string]any) { delete(res(raw, "ApiFunction"), "Metadata") },
			check: func(t *Template, _ *Eval) []string { return CheckFunctions(t, r.dirs, r.targets) },
			want:  "ApiFunction needs Metadata: BuildMethod: makefile",
		},
		{
			name: "a variable the code reads is not set",
			edit: func(raw map[string]any) {
				delete(LookupMap(props(raw, "ApiFunction"), "Environment", "Variables"), "HIDE_POLICY")
			},
			check: func(t *Template, ev *Eval) []string {
				return CheckEnv(t, ev, "ApiFunction", r.analyses["functions/api"].Env)
			},
			want: "ApiFunction reads HIDE_POLICY but the template does not set it",
		},
		{
			name: "a variable nobody reads",
			edit: func(raw map[string]any) {
				LookupMap(props(raw, "ApiFunction"), "Environment", "Variables")["HIDE_POLCY"] = "all"
			},
			check: func(t *Template, ev *Eval) []string {
				return CheckEnv(t, ev, "ApiFunction", r.analyses["functions/api"].Env)
			},
			want: "ApiFunction sets HIDE_POLCY, which its code never reads",
		},
		{
			name: "a state machine ARN with a typo",
			edit: func(raw map[string]any) {
				LookupMap(props(raw, "SweeperFunction"), "Environment", "Variables")["FIND_REVIEWER_STATE_MACHINE_ARN"] =
					map[string]any{"Fn::Sub": "arn:${AWS::Partition}:states:${AWS::Region}:${AWS::AccountId}:stateMachine:candor-${Stage}-find-reviewr"}
			},
			check: func(t *Template, ev *Eval) []string {
				return CheckEnv(t, ev, "SweeperFunction", r.analyses["functions/sweeper"].Env)
			},
			want: "the ARN of no state machine of the template",
		},
		{
			name:  "a route missing",
			edit:  func(raw map[string]any) { delete(LookupMap(props(raw, "ApiFunction"), "Events"), "GetReportSummary") },
			check: func(t *Template, _ *Eval) []string { return CheckRoutes(t, "ApiFunction", apiRoutes) },
			want:  "ApiFunction serves GET /v1/reports/summary but has no HttpApi event for it",
		},
		{
			name: "a business route left public",
			edit: func(raw map[string]any) {
				LookupMap(props(raw, "ApiFunction"), "Events", "GetReports", "Properties")["Auth"] = map[string]any{"Authorizer": "NONE"}
			},
			check: func(t *Template, _ *Eval) []string { return CheckRoutes(t, "ApiFunction", apiRoutes) },
			want:  "GET /v1/reports admits only business but its event has no authorizer",
		},
		{
			name: "the public review behind the authorizer",
			edit: func(raw map[string]any) {
				delete(LookupMap(props(raw, "ApiFunction"), "Events", "GetPublicReview", "Properties"), "Auth")
			},
			check: func(t *Template, _ *Eval) []string { return CheckRoutes(t, "ApiFunction", apiRoutes) },
			want:  "GET /v1/public/reviews/{reviewId} is public in the code",
		},
		{
			name: "an event for a route the code does not serve",
			edit: func(raw map[string]any) {
				LookupMap(props(raw, "ApiFunction"), "Events")["Proxy"] = map[string]any{"Type": "HttpApi",
					"Properties": map[string]any{"ApiId": map[string]any{"Ref": "HttpApi"}, "Method": "ANY", "Path": "/{proxy+}"}}
			},
			check: func(t *Template, _ *Eval) []string { return CheckRoutes(t, "ApiFunction", apiRoutes) },
			want:  "has an event for ANY /{proxy+}, which its code does not serve",
		},
		{
			name:  "a table without TTL",
			edit:  func(raw map[string]any) { delete(props(raw, "Table"), "TimeToLiveSpecification") },
			check: func(t *Template, _ *Eval) []string { return tableCheck(t) },
			want:  "TTL must be enabled on expiresAt",
		},
		{
			name: "a GSI projecting keys only",
			edit: func(raw map[string]any) {
				LookupMap(asList(props(raw, "Table")["GlobalSecondaryIndexes"])[1].(map[string]any), "Projection")["ProjectionType"] = "KEYS_ONLY"
			},
			check: func(t *Template, _ *Eval) []string { return tableCheck(t) },
			want:  "GlobalSecondaryIndexes are",
		},
		{
			name:  "a table that can be deleted with the stack",
			edit:  func(raw map[string]any) { res(raw, "Table")["DeletionPolicy"] = "Delete" },
			check: func(t *Template, _ *Eval) []string { return tableCheck(t) },
			want:  "DeletionPolicy must be Retain",
		},
		{
			name:  "a provisioned table",
			edit:  func(raw map[string]any) { props(raw, "Table")["BillingMode"] = "PROVISIONED" },
			check: func(t *Template, _ *Eval) []string { return tableCheck(t) },
			want:  `BillingMode is "PROVISIONED", want "PAY_PER_REQUEST"`,
		},
		{
			name: "a substitution missing",
			edit: func(raw map[string]any) {
				delete(LookupMap(props(raw, "FindReviewerStateMachine"), "DefinitionSubstitutions"), "FindReviewerTasksFunctionArn")
			},
			check: func(t *Template, ev *Eval) []string { return CheckStateMachines(t, ev, r.machines) },
			want:  "uses ${FindReviewerTasksFunctionArn} but DefinitionSubstitutions has no FindReviewerTasksFunctionArn",
		},
		{
			name: "a substitution unused",
			edit: func(raw map[string]any) {
				LookupMap(props(raw, "FindReviewerStateMachine"), "DefinitionSubstitutions")["Unused"] = "1"
			},
			check: func(t *Template, ev *Eval) []string { return CheckStateMachines(t, ev, r.machines) },
			want:  "substitution Unused is not used by statemachines/find-reviewer.asl.json",
		},
		{
			name:  "an express state machine",
			edit:  func(raw map[string]any) { props(raw, "InvestigationStateMachine")["Type"] = "EXPRESS" },
			check: func(t *Template, ev *Eval) []string { return CheckStateMachines(t, ev, r.machines) },
			want:  "InvestigationStateMachine must be Type: STANDARD: statemachines/investigation.asl.json waits for task tokens",
		},
		{
			name: "a state machine that may invoke every function",
			edit: func(raw map[string]any) {
				st := asList(LookupMap(asList(props(raw, "FindReviewerStateMachine")["Policies"])[0].(map[string]any))["Statement"])
				st[0].(map[string]any)["Resource"] = map[string]any{"Fn::Sub": "arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:*"}
			},
			check: func(t *Template, ev *Eval) []string { return CheckStateMachines(t, ev, r.machines) },
			want:  "resources must be exact ARNs",
		},
		{
			name:  "a state machine file with no resource",
			edit:  func(raw map[string]any) { delete(LookupMap(raw, "Resources"), "InvestigationStateMachine") },
			check: func(t *Template, ev *Eval) []string { return CheckStateMachines(t, ev, r.machines) },
			want:  "no AWS::Serverless::StateMachine has DefinitionUri: statemachines/investigation.asl.json",
		},
		{
			name: "a window without the code's default",
			edit: func(raw map[string]any) { LookupMap(raw, "Parameters", "ReplyWindowSeconds")["Default"] = 86400 },
			check: func(t *Template, _ *Eval) []string {
				return CheckParameters(t, map[string]any{"ReplyWindowSeconds": 432000})
			},
			want: "parameter ReplyWindowSeconds must be a Number with Default 432000, the code's default",
		},
		{
			name: "the appeal window without the code's default",
			edit: func(raw map[string]any) { LookupMap(raw, "Parameters", "AppealWindowSeconds")["Default"] = 86400 },
			check: func(t *Template, _ *Eval) []string {
				return CheckParameters(t, PolicyParameters(moderation.DefaultPolicy))
			},
			want: "parameter AppealWindowSeconds must be a Number with Default 15552000, the code's default",
		},
		{
			name: "a hide policy without the code's default",
			edit: func(raw map[string]any) { LookupMap(raw, "Parameters", "HidePolicy")["Default"] = "harmful_only" },
			check: func(t *Template, _ *Eval) []string {
				return CheckParameters(t, PolicyParameters(moderation.DefaultPolicy))
			},
			want: "parameter HidePolicy must be a String with Default all, the code's default",
		},
		{
			name:  "a state machine without its failed-executions alarm",
			edit:  func(raw map[string]any) { delete(LookupMap(raw, "Resources"), "SanctionExecutionsFailedAlarm") },
			check: func(t *Template, _ *Eval) []string { return CheckAlarms(t) },
			want:  "SanctionStateMachine has no alarm on its ExecutionsFailed",
		},
		{
			name:  "a function without its errors alarm",
			edit:  func(raw map[string]any) { delete(LookupMap(raw, "Resources"), "SweeperFunctionErrorsAlarm") },
			check: func(t *Template, _ *Eval) []string { return CheckAlarms(t) },
			want:  "SweeperFunction has no alarm on its Errors",
		},
		{
			name:  "an alarm that notifies nobody",
			edit:  func(raw map[string]any) { delete(props(raw, "Api5xxAlarm"), "AlarmActions") },
			check: func(t *Template, _ *Eval) []string { return CheckAlarms(t) },
			want:  "alarm Api5xxAlarm notifies nobody",
		},
		{
			name: "a parameter nothing uses",
			edit: func(raw map[string]any) {
				LookupMap(raw, "Parameters")["MaxAppealDays"] = map[string]any{"Type": "Number", "Default": 3}
			},
			check: func(t *Template, _ *Eval) []string { return CheckParameters(t, nil) },
			want:  "parameter MaxAppealDays is never used",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tpl, ev := broken(t, tc.edit)
			wantProblem(t, tc.check(tpl, ev), tc.want)
		})
	}
}

func tableCheck(t *Template) []string {
	return CheckTable(t, store.TableDefinition("candor"), store.AttrExpiresAt)
}

func TestPolicyProblems(t *testing.T) {
	r := mustRepo(t)
	declared := Grants{
		"dynamodb:Query":         {"Table"},
		"dynamodb:GetItem":       {"Table"},
		"dynamodb:DeleteItem":    {"Table"},
		"states:StartExecution":  {"FindReviewerStateMachine", "InvestigationStateMachine", "SanctionStateMachine", "AppealStateMachine", "ReplyStateMachine"},
		"states:SendTaskSuccess": {"FindReviewerStateMachine", "InvestigationStateMachine", "AppealStateMachine"},
	}
	code := r.analyses["functions/sweeper"]
	if got := PolicyProblems(r.tpl, r.ev, "SweeperFunction", declared, code); len(got) != 0 {
		t.Fatalf("the sweeper's real grants: got problems %q, want none", got)
	}
	policy := func(raw map[string]any) []any {
		return asList(asList(props(raw, "SweeperFunction")["Policies"])[0].(map[string]any)["Statement"])
	}
	tests := []struct {
		name     string
		edit     func(raw map[string]any)
		declared Grants
		code     Analysis
		want     string
	}{
		{
			name: "the code performs an undeclared action",
			code: Analysis{Actions: append([]string{"dynamodb:PutItem"}, code.Actions...), TableQuery: true},
			want: "the code performs dynamodb:PutItem but the Grants do not declare it",
		},
		{
			name:     "a declared action the code never performs",
			declared: Grants{"dynamodb:UpdateItem": {"Table"}},
			want:     "dynamodb:UpdateItem is declared but the code never performs it",
		},
		{
			name:     "an action no shared package lists",
			declared: Grants{"dynamodb:BatchWriteItem": {"Table"}},
			code:     Analysis{Actions: append([]string{"dynamodb:BatchWriteItem"}, code.Actions...), TableQuery: true},
			want:     "dynamodb:BatchWriteItem is listed by no shared package's Actions",
		},
		{
			name:     "starting a state machine the function is not given",
			declared: Grants{"states:StartExecution": {"FindReviewerStateMachine"}},
			want:     "states:StartExecution is on [FindReviewerStateMachine], want [AppealStateMachine FindReviewerStateMachine InvestigationStateMachine ReplyStateMachine SanctionStateMachine]",
		},
		{
			name:     "querying indexes the code never names",
			declared: Grants{"dynamodb:Query": {"Table", TableIndexes}},
			want:     "dynamodb:Query is on [Table Table/indexes], want [Table]",
		},
		{
			name: "the template lacks a declared action",
			edit: func(raw map[string]any) {
				policy(raw)[1].(map[string]any)["Resource"] = asList(policy(raw)[1].(map[string]any)["Resource"])[:1]
			},
			want: "policy does not allow states:StartExecution on arn:aws:states:us-east-1:123456789012:stateMachine:candor-dev-investigation",
		},
		{
			name: "the template allows more",
			edit: func(raw map[string]any) {
				policy(raw)[0].(map[string]any)["Action"] = []any{"dynamodb:Query", "dynamodb:Scan"}
			},
			want: "policy allows dynamodb:Scan on arn:aws:dynamodb:us-east-1:123456789012:table/candor-dev, which its code does not need",
		},
		{
			name: "a wildcard action",
			edit: func(raw map[string]any) { policy(raw)[0].(map[string]any)["Action"] = "dynamodb:*" },
			want: `action "dynamodb:*" has a wildcard`,
		},
		{
			name: "a SAM policy template",
			edit: func(raw map[string]any) {
				props(raw, "SweeperFunction")["Policies"] = []any{map[string]any{"DynamoDBCrudPolicy": map[string]any{"TableName": map[string]any{"Ref": "Table"}}}}
			},
			want: "not an inline policy document",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			edit := tc.edit
			if edit == nil {
				edit = func(map[string]any) {}
			}
			tpl, ev := broken(t, edit)
			d := maps.Clone(declared)
			maps.Copy(d, tc.declared)
			an := code
			if tc.code.Actions != nil {
				an = tc.code
			}
			wantProblem(t, PolicyProblems(tpl, ev, "SweeperFunction", d, an), tc.want)
		})
	}
}

func TestSamConfigProblems(t *testing.T) {
	r := mustRepo(t)
	tests := []struct{ name, toml, want string }{
		{"an unknown parameter", `[default.deploy.parameters]
capabilities = "CAPABILITY_IAM"
stack_name = "s"
parameter_overrides = "SenderAddress=a@b.example JwtIssuer=https://i.example JwtAudience=x ReplyWindow=5"`, "overrides ReplyWindow, which is not a parameter"},
		{"a parameter without default missing", `[default.deploy.parameters]
capabilities = "CAPABILITY_IAM"
stack_name = "s"
parameter_overrides = "SenderAddress=a@b.example JwtAudience=x"`, "does not give JwtIssuer, which has no default"},
		{"a value the parameter refuses", `[default.deploy.parameters]
capabilities = "CAPABILITY_IAM"
stack_name = "s"
parameter_overrides = "SenderAddress=a@b.example JwtIssuer=https://i.example JwtAudience=x HidePolicy=some"`, "HidePolicy=some is not one of"},
		{"the reminder after the window", `[default.deploy.parameters]
capabilities = "CAPABILITY_IAM"
stack_name = "s"
parameter_overrides = "SenderAddress=a@b.example JwtIssuer=https://i.example JwtAudience=x ReplyWindowSeconds=600 ReminderAfterSeconds=900"`, "ReminderAfterSeconds (900) must be less than ReplyWindowSeconds (600)"},
		{"no IAM capability", `[default.deploy.parameters]
stack_name = "s"
parameter_overrides = "SenderAddress=a@b.example JwtIssuer=https://i.example JwtAudience=x"`, "capabilities must include CAPABILITY_IAM"},
		{"an environment missing", `[default.deploy.parameters]
stack_name = "s"`, "no [prod.deploy.parameters]"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := ParseSamConfig([]byte(tc.toml))
			if err != nil {
				t.Fatal(err)
			}
			envs := []string{"default"}
			if strings.Contains(tc.want, "prod") {
				envs = append(envs, "prod")
			}
			wantProblem(t, CheckSamConfig(r.tpl, cfg, envs), tc.want)
		})
	}
}

func TestFunctionsWithoutTargetsOrTemplate(t *testing.T) {
	r := mustRepo(t)
	targets := maps.Clone(r.targets)
	delete(targets, "SweeperFunction")
	wantProblem(t, CheckFunctions(r.tpl, r.dirs, targets), "no build-<LogicalId> target builds ./functions/sweeper")
	dirs := append([]string{"functions/newthing"}, r.dirs...)
	wantProblem(t, CheckFunctions(r.tpl, dirs, r.targets), "no build-<LogicalId> target builds ./functions/newthing")
	targets = maps.Clone(r.targets)
	targets["GhostFunction"] = BuildTarget{LogicalID: "GhostFunction", Package: "functions/api"}
	wantProblem(t, CheckFunctions(r.tpl, r.dirs, targets), "both build ./functions/api")
}

func TestRoutesOnlyPublicUnderPublicPrefixes(t *testing.T) {
	routes := append(api.New(api.Config{}).Routes(), httpapi.Route{Method: "GET", Path: "/v1/reports/export"})
	tpl, _ := broken(t, func(raw map[string]any) {
		LookupMap(props(raw, "ApiFunction"), "Events")["Export"] = map[string]any{"Type": "HttpApi", "Properties": map[string]any{
			"ApiId": map[string]any{"Ref": "HttpApi"}, "Method": "GET", "Path": "/v1/reports/export", "Auth": map[string]any{"Authorizer": "NONE"}}}
	})
	wantProblem(t, CheckRoutes(tpl, "ApiFunction", routes), "GET /v1/reports/export is public but only /r/, /v1/public/, /healthz, /console may be")
}
