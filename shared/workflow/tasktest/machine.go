package tasktest

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"gopkg.in/yaml.v3"
)

// MachineActions returns the task actions the definition of state machine
// name (statemachines/<name>.asl.json, .yaml or .yml) sends its task
// function, sorted: every "action" in it.
func MachineActions(t *testing.T, name string) []string {
	t.Helper()
	root := moduleRoot(t)
	var b []byte
	for _, ext := range []string{".asl.json", ".asl.yaml", ".asl.yml"} {
		var err error
		if b, err = os.ReadFile(filepath.Join(root, "statemachines", name+ext)); err == nil {
			break
		}
	}
	if b == nil {
		t.Fatalf("no definition of the %s state machine in %s", name, filepath.Join(root, "statemachines"))
	}
	var def any
	if err := yaml.Unmarshal(b, &def); err != nil { // JSON is YAML
		t.Fatalf("%s state machine: %v", name, err)
	}
	seen := map[string]bool{}
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, e := range x {
				if s, ok := e.(string); ok && k == "action" {
					seen[s] = true
				}
				walk(e)
			}
		case []any:
			for _, e := range x {
				walk(e)
			}
		}
	}
	walk(def)
	var out []string
	for a := range seen {
		out = append(out, a)
	}
	slices.Sort(out)
	if len(out) == 0 {
		t.Fatalf("the %s state machine sends no action", name)
	}
	return out
}

// moduleRoot is the directory of go.mod above the test's directory.
func moduleRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test's directory")
		}
		dir = parent
	}
}
