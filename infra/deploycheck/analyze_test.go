package deploycheck

import (
	"slices"
	"testing"
)

// TestAnalyzeFixture runs the analysis on testdata/fixture, whose code
// reaches some AWS operations through interfaces, method values and
// handlers given to net/http (one as its own type, one passed on as an
// http.Handler), and has others it never reaches.
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
		{"operations", a.Operations, []string{"dynamodb:GetItem", "dynamodb:Query", "dynamodb:TransactWriteItems", "dynamodb:UpdateItem", "sfn:StartExecution"}},
		// TransactWriteItems becomes its items' actions; DeleteItem (never
		// called) and SendTaskSuccess (on a type nothing makes) are absent.
		{"actions", a.Actions, []string{"dynamodb:ConditionCheckItem", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query", "dynamodb:UpdateItem", "states:StartExecution"}},
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

// TestAnalyzeFollowsConstructors runs the analysis on testdata/constructor,
// whose main only wires: the variables are read, and the operations
// performed, by a constructor in another package of the module and the
// handler it returns. A second constructor in that package, which main
// never calls, must add nothing.
func TestAnalyzeFollowsConstructors(t *testing.T) {
	root, err := RepoRoot(".")
	if err != nil {
		t.Fatal(err)
	}
	const fixture = "/infra/deploycheck/testdata/constructor"
	p, err := LoadProgram(root, "."+fixture)
	if err != nil {
		t.Fatal(err)
	}
	a, err := p.Analyze(p.Module + fixture)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name      string
		got, want []string
	}{
		{"environment", a.Env, []string{"FIXTURE_MAILER_TABLE", "FIXTURE_MAILER_WINDOW_SECONDS"}},
		{"actions", a.Actions, []string{"dynamodb:PutItem", "ses:SendEmail"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if !slices.Equal(tc.got, tc.want) {
				t.Errorf("got %v, want %v", tc.got, tc.want)
			}
		})
	}
	if ctor := p.Module + fixture + "/app.NewMailer"; !a.Reaches(ctor) {
		t.Errorf("Reaches(%s) = false, want true (main calls it)", ctor)
	}
	if ctor := p.Module + fixture + "/app.NewSweeper"; a.Reaches(ctor) {
		t.Errorf("Reaches(%s) = true, want false (nothing calls it)", ctor)
	}
}
