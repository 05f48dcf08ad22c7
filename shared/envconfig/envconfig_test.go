package envconfig

import (
	"strings"
	"testing"
)

func TestEnvNamesEveryProblem(t *testing.T) {
	e := FromMap(map[string]string{"TABLE_NAME": "", "HIDE_POLICY": "sometimes", "LOG_LEVEL": "debug"})
	e.Required("TABLE_NAME")
	e.Required("PUBLIC_BASE_URL")
	e.OneOf("HIDE_POLICY", "all", "all", "harmful_only")
	if got := e.Optional("LOG_LEVEL", "info"); got != "debug" {
		t.Errorf("Optional = %q, want debug", got)
	}
	if got := e.Optional("REGION", "eu-north-1"); got != "eu-north-1" {
		t.Errorf("Optional default = %q", got)
	}
	err := e.Err()
	if err == nil {
		t.Fatal("want an error")
	}
	for _, want := range []string{"TABLE_NAME is not set", "PUBLIC_BASE_URL is not set", `HIDE_POLICY must be one of all, harmful_only, not "sometimes"`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
	if got := strings.Join(e.Names(), ","); got != "TABLE_NAME,PUBLIC_BASE_URL,HIDE_POLICY,LOG_LEVEL,REGION" {
		t.Errorf("Names = %s", got)
	}
	ok := FromMap(map[string]string{"TABLE_NAME": "t"})
	ok.Required("TABLE_NAME")
	if err := ok.Err(); err != nil {
		t.Errorf("complete config: %v", err)
	}
}
