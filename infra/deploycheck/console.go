package deploycheck

import (
	"fmt"
	"slices"
	"strings"
)

// The Cognito resource types of the console's own user pool.
const (
	TypeUserPool       = "AWS::Cognito::UserPool"
	TypeUserPoolClient = "AWS::Cognito::UserPoolClient"
	TypeUserPoolGroup  = "AWS::Cognito::UserPoolGroup"
	TypeUserPoolDomain = "AWS::Cognito::UserPoolDomain"
)

// CheckConsoleSignIn checks how the template has the console's function
// (fnID) sign agents in, under the parameters ev evaluates with:
//   - the OIDC client's secret is read from a Secrets Manager secret
//     (CONSOLE_CLIENT_SECRET_ARN resolves to a secret's ARN) that the
//     function's policy lets it read, and no variable holds a secret itself;
//   - when the stack's own Cognito user pool is created under these
//     parameters (its Condition holds), the console signs in with it: the
//     issuer is the pool's, the client id the pool client's, the claim
//     cognito:groups with a group of the pool named CONSOLE_AGENT_VALUE; the
//     client is confidential (a generated secret, which the secret the
//     console reads holds), uses the code flow with the openid scope and
//     calls back to CONSOLE_URL/callback; the pool has a hosted domain;
//   - when it is not, no pool, client, group or domain is created.
func CheckConsoleSignIn(t *Template, ev *Eval, fnID string) []string {
	fn, ok := t.Resource(fnID)
	if !ok {
		return []string{fmt.Sprintf("template.yaml: no function %s", fnID)}
	}
	env := FunctionEnv(t, fn)
	var p []string
	bad := func(format string, args ...any) {
		p = append(p, "template.yaml: "+fnID+": "+fmt.Sprintf(format, args...))
	}
	str := func(name string) string {
		v, err := ev.String(env[name])
		if err != nil {
			bad("%s does not resolve: %v", name, err)
		}
		return v
	}
	for name := range env {
		if strings.Contains(name, "SECRET") && !strings.HasSuffix(name, "_ARN") {
			bad("%s would hold a secret in the function's configuration: name the Secrets Manager secret (…_ARN) instead", name)
		}
	}
	secretARN := str("CONSOLE_CLIENT_SECRET_ARN")
	if !strings.HasPrefix(secretARN, "arn:"+ev.Partition+":secretsmanager:") {
		bad("CONSOLE_CLIENT_SECRET_ARN is %q, not the ARN of a Secrets Manager secret", secretARN)
	}
	grants, gp := PolicyGrants(ev, fn)
	p = append(p, gp...)
	if !slices.Contains(grants, Grant{"secretsmanager:GetSecretValue", secretARN}) {
		bad("its policy does not allow secretsmanager:GetSecretValue on the client secret it reads (%s)", secretARN)
	}

	created := func(typ string) []Resource {
		var out []Resource
		for _, r := range t.ResourcesOfType(typ) {
			if cond, _ := r.Raw["Condition"].(string); cond != "" {
				if on, err := ev.Condition(cond); err != nil {
					bad("resource %s: %v", r.ID, err)
					continue
				} else if !on {
					continue
				}
			}
			out = append(out, r)
		}
		return out
	}
	pools := created(TypeUserPool)
	if len(pools) == 0 {
		for _, typ := range []string{TypeUserPoolClient, TypeUserPoolGroup, TypeUserPoolDomain} {
			for _, r := range created(typ) {
				bad("%s (%s) is created without the console's user pool: give it the pool's Condition", r.ID, typ)
			}
		}
		return p
	}
	if len(pools) > 1 {
		bad("%d Cognito user pools are created; the checks know one, the console's", len(pools))
		return p
	}
	pool := pools[0]
	poolID, _ := ev.getAtt(pool.ID, "")
	ofPool := func(typ string) []Resource {
		var out []Resource
		for _, r := range created(typ) {
			if id, err := ev.String(r.Properties["UserPoolId"]); err == nil && id == poolID {
				out = append(out, r)
			}
		}
		return out
	}
	provider, _ := ev.getAtt(pool.ID, "ProviderURL")
	if issuer := str("CONSOLE_ISSUER"); issuer != provider {
		bad("CONSOLE_ISSUER is %q while the stack creates the user pool %s: want its ProviderURL (%v)", issuer, pool.ID, provider)
	}
	if claim := str("CONSOLE_AGENT_CLAIM"); claim != "cognito:groups" {
		bad("CONSOLE_AGENT_CLAIM is %q with the stack's user pool: Cognito names a user's groups in cognito:groups", claim)
	}
	agents := str("CONSOLE_AGENT_VALUE")
	if !slices.ContainsFunc(ofPool(TypeUserPoolGroup), func(g Resource) bool {
		name, err := ev.String(g.Properties["GroupName"])
		return err == nil && name == agents
	}) {
		bad("the user pool %s has no group %q (CONSOLE_AGENT_VALUE): no one could enter the console", pool.ID, agents)
	}
	if len(ofPool(TypeUserPoolDomain)) == 0 {
		bad("the user pool %s has no domain: its sign-in page has no address", pool.ID)
	}
	clientID := str("CONSOLE_CLIENT_ID")
	i := slices.IndexFunc(ofPool(TypeUserPoolClient), func(c Resource) bool {
		id, err := ev.String(map[string]any{"Ref": c.ID})
		return err == nil && id == clientID
	})
	if i < 0 {
		bad("CONSOLE_CLIENT_ID is %q, no client of the user pool %s", clientID, pool.ID)
		return p
	}
	client := ofPool(TypeUserPoolClient)[i]
	flag := func(prop string) bool { v, _ := ev.String(client.Properties[prop]); return v == "true" }
	list := func(prop string) []string { v, _ := ev.Strings(client.Properties[prop]); return v }
	if !flag("GenerateSecret") {
		bad("the client %s generates no secret: the console is a confidential client", client.ID)
	}
	if !flag("AllowedOAuthFlowsUserPoolClient") || !slices.Contains(list("AllowedOAuthFlows"), "code") || !slices.Contains(list("AllowedOAuthScopes"), "openid") {
		bad("the client %s does not allow the authorization-code flow with the openid scope", client.ID)
	}
	if url := str("CONSOLE_URL"); !slices.Contains(list("CallbackURLs"), url+"/callback") {
		bad("the client %s does not call back to the console (%s/callback) but to %v", client.ID, url, list("CallbackURLs"))
	}
	wantSecret, _ := ev.getAtt(client.ID, "ClientSecret")
	for _, s := range created(TypeSecret) {
		if arn, err := ev.String(map[string]any{"Ref": s.ID}); err == nil && arn == secretARN {
			if got, err := ev.String(s.Properties["SecretString"]); err != nil || got != wantSecret {
				bad("the secret %s the console reads does not hold the client %s's secret (SecretString: !GetAtt %s.ClientSecret)", s.ID, client.ID, client.ID)
			}
			return p
		}
	}
	bad("the client secret the console reads (%s) is not a secret of the stack, so it cannot hold the pool client's", secretARN)
	return p
}
