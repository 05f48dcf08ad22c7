package deploycheck

import (
	"slices"
	"testing"
)

// TestAnalyzeFixture runs the analysis on testdata/fixture, whose code
// reaches some AWS operations through interfaces, method values and a
// handler given to net/http, and has others it never reaches.
func TestAnalyzeFixture(t *testing.T) {
	root, err := RepoRoot(".")
	if err != nil {
		t.Fatal(err)
	}
	p, err := LoadProgram(root, "./infra/deploycheck/testdata/fixture")
	if err != nil {
		t.Fatal(err)
	}
	a, err := p.Analyze(p.Module + "/infra/deploycheck/testdata/fixture")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name      string
		got, want []string
	}{
		{"operations", a.Operations, []string{"dynamodb:GetItem", "dynamodb:Query", "dynamodb:TransactWriteItems", "sfn:StartExecution"}},
		// TransactWriteItems becomes its items' actions; DeleteItem (never
		// called) and SendTaskSuccess (on a type nothing makes) are absent.
		{"actions", a.Actions, []string{"dynamodb:ConditionCheckItem", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query", "states:StartExecution"}},
		{"environment", a.Env, []string{"FIXTURE_LEVEL", "FIXTURE_RAW", "FIXTURE_TABLE"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if !slices.Equal(tc.got, tc.want) {
				t.Errorf("got %v, want %v", tc.got, tc.want)
			}
		})
	}
	if !a.IndexQuery || a.TableQuery {
		t.Errorf("IndexQuery %v TableQuery %v, want an index query only", a.IndexQuery, a.TableQuery)
	}
}

func TestAnalyzeRefusesUnknownPackages(t *testing.T) {
	root, err := RepoRoot(".")
	if err != nil {
		t.Fatal(err)
	}
	p, err := LoadProgram(root, "./infra/deploycheck/testdata/fixture")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Analyze(p.Module + "/functions/nothing"); err == nil {
		t.Error("Analyze of a package that was not loaded returned no error")
	}
	if _, err := LoadProgram(root, "./no/such/package"); err == nil {
		t.Error("LoadProgram of a missing package returned no error")
	}
}
