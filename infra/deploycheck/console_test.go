package deploycheck

import (
	"maps"
	"testing"
)

// consoleParams are samconfig's [default] overrides with extra on top.
func consoleParams(t *testing.T, extra map[string]string) map[string]string {
	p := maps.Clone(mustRepo(t).ev.Params)
	if p == nil {
		p = map[string]string{}
	}
	maps.Copy(p, extra)
	return p
}

// ownPool are the parameters under which the stack creates its own user
// pool: no external issuer, a known console URL.
var ownPool = map[string]string{"ConsoleIssuer": "", "ConsoleUrl": "https://candor.example/console"}

// The console signs in as the template says, whichever way it is deployed:
// with the JwtIssuer, an external issuer, or the stack's own user pool.
func TestConsoleSignInIsDeployed(t *testing.T) {
	r := mustRepo(t)
	for name, extra := range map[string]map[string]string{
		"defaults":        nil,
		"external issuer": {"ConsoleIssuer": "https://login.example", "ConsoleUrl": "https://candor.example/console"},
		"own user pool":   ownPool,
	} {
		t.Run(name, func(t *testing.T) {
			reportProblems(t, CheckConsoleSignIn(r.tpl, NewEval(r.tpl, consoleParams(t, extra)), "ConsoleFunction"))
		})
	}
	ev := NewEval(r.tpl, consoleParams(t, ownPool))
	if on, err := ev.Condition("CreateConsoleUserPool"); err != nil || !on {
		t.Errorf("with no issuer and a console URL the stack does not create its user pool (%v, %v): the check above proved nothing of it", on, err)
	}
	for _, extra := range []map[string]string{{"ConsoleIssuer": "https://login.example", "ConsoleUrl": "https://candor.example/console"}, {"ConsoleIssuer": "", "ConsoleUrl": ""}} {
		if on, err := NewEval(r.tpl, consoleParams(t, extra)).Condition("CreateConsoleUserPool"); err != nil || on {
			t.Errorf("with %v the stack creates its own user pool (%v, %v); want it only without an issuer and with the console's URL", extra, on, err)
		}
	}
}

// The check fails a template whose pool no agent could enter, whose client
// is not the console's, or whose console reads its secret from elsewhere.
func TestConsoleSignInCheckFindsWhatIsWrong(t *testing.T) {
	for _, tc := range []struct {
		name   string
		params map[string]string
		edit   func(raw map[string]any)
		want   string
	}{
		{"no agents' group", ownPool, func(raw map[string]any) { props(raw, "ConsoleAgentsGroup")["GroupName"] = "staff" },
			`has no group "compliance"`},
		{"public client", ownPool, func(raw map[string]any) { props(raw, "ConsoleUserPoolClient")["GenerateSecret"] = false },
			"generates no secret"},
		{"implicit flow", ownPool, func(raw map[string]any) { props(raw, "ConsoleUserPoolClient")["AllowedOAuthFlows"] = []any{"implicit"} },
			"authorization-code flow"},
		{"wrong callback", ownPool, func(raw map[string]any) {
			props(raw, "ConsoleUserPoolClient")["CallbackURLs"] = []any{"https://elsewhere.example/callback"}
		}, "does not call back to the console"},
		{"the JwtIssuer's claim", ownPool, func(raw map[string]any) {
			LookupMap(props(raw, "ConsoleFunction"), "Environment", "Variables")["CONSOLE_AGENT_CLAIM"] = map[string]any{"Ref": "ConsoleAgentClaim"}
		}, "cognito:groups"},
		{"issuer not the pool's", ownPool, func(raw map[string]any) {
			LookupMap(props(raw, "ConsoleFunction"), "Environment", "Variables")["CONSOLE_ISSUER"] = map[string]any{"Ref": "JwtIssuer"}
		}, "want its ProviderURL"},
		{"secret not the client's", ownPool, func(raw map[string]any) { delete(props(raw, "ConsoleClientSecret"), "SecretString") },
			"does not hold the client ConsoleUserPoolClient's secret"},
		{"pool without its condition", nil, func(raw map[string]any) { delete(res(raw, "ConsoleAgentsGroup"), "Condition") },
			"is created without the console's user pool"},
		{"secret in the environment", nil, func(raw map[string]any) {
			LookupMap(props(raw, "ConsoleFunction"), "Environment", "Variables")["CONSOLE_CLIENT_SECRET"] = "hunter2"
		}, "would hold a secret"},
		{"secret not readable", nil, func(raw map[string]any) {
			LookupMap(props(raw, "ConsoleFunction"), "Environment", "Variables")["CONSOLE_CLIENT_SECRET_ARN"] = map[string]any{"Ref": "ConsoleSessionSecret"}
			props(raw, "ConsoleFunction")["Policies"] = []any{}
		}, "does not allow secretsmanager:GetSecretValue"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tpl, _ := broken(t, tc.edit)
			wantProblem(t, CheckConsoleSignIn(tpl, NewEval(tpl, consoleParams(t, tc.params)), "ConsoleFunction"), tc.want)
		})
	}
}
