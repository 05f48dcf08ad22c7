package deploycheck

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/BurntSushi/toml"
)

// RepoRoot finds the repository root (the folder with go.mod and
// template.yaml) at or above dir.
func RepoRoot(dir string) (string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", fmt.Errorf("find repository root: %w", err)
	}
	for d := abs; ; d = filepath.Dir(d) {
		if fileExists(filepath.Join(d, "go.mod")) && fileExists(filepath.Join(d, "template.yaml")) {
			return d, nil
		}
		if filepath.Dir(d) == d {
			return "", fmt.Errorf("find repository root: no go.mod with a template.yaml above %s", abs)
		}
	}
}

// FunctionDirs lists the functions of the repository: every
// functions/<name> folder with a main.go, as "functions/<name>", sorted.
func FunctionDirs(root string) ([]string, error) {
	mains, err := filepath.Glob(filepath.Join(root, "functions", "*", "main.go"))
	if err != nil {
		return nil, fmt.Errorf("list functions: %w", err)
	}
	out := make([]string, 0, len(mains))
	for _, m := range mains {
		rel, err := filepath.Rel(root, filepath.Dir(m))
		if err != nil {
			return nil, fmt.Errorf("list functions: %w", err)
		}
		out = append(out, filepath.ToSlash(rel))
	}
	slices.Sort(out)
	return out, nil
}

// StateMachineFiles lists statemachines/*.asl.json as slash paths relative to root, sorted.
func StateMachineFiles(root string) ([]string, error) {
	files, err := filepath.Glob(filepath.Join(root, "statemachines", "*.asl.json"))
	if err != nil {
		return nil, fmt.Errorf("list state machines: %w", err)
	}
	out := make([]string, 0, len(files))
	for _, f := range files {
		out = append(out, "statemachines/"+filepath.Base(f))
	}
	slices.Sort(out)
	return out, nil
}

// BuildTarget is one build-<LogicalId> target of the Makefile.
type BuildTarget struct {
	LogicalID string
	Package   string // the ./functions/<name> package its recipe builds, as "functions/<name>"
	Recipe    []string
}

var (
	targetRE  = regexp.MustCompile(`^build-([A-Za-z0-9]+)\s*:`)
	packageRE = regexp.MustCompile(`\./(functions/[A-Za-z0-9._-]+)`)
)

// BuildTargets reads the build-<LogicalId> targets of a Makefile, by logical id.
func BuildTargets(makefile []byte) (map[string]BuildTarget, error) {
	out := map[string]BuildTarget{}
	var cur *BuildTarget
	flush := func() {
		if cur != nil {
			out[cur.LogicalID] = *cur
			cur = nil
		}
	}
	for line := range strings.SplitSeq(string(makefile), "\n") {
		if m := targetRE.FindStringSubmatch(line); m != nil {
			flush()
			if _, dup := out[m[1]]; dup {
				return nil, fmt.Errorf("makefile: build-%s is defined twice", m[1])
			}
			cur = &BuildTarget{LogicalID: m[1]}
			continue
		}
		if cur == nil {
			continue
		}
		if !strings.HasPrefix(line, "\t") {
			flush()
			continue
		}
		cur.Recipe = append(cur.Recipe, strings.TrimSpace(line))
		for _, m := range packageRE.FindAllStringSubmatch(line, -1) {
			if cur.Package != "" && cur.Package != m[1] {
				return nil, fmt.Errorf("makefile: build-%s builds both %s and %s", cur.LogicalID, cur.Package, m[1])
			}
			cur.Package = m[1]
		}
	}
	flush()
	return out, nil
}

// SamConfig is a samconfig.toml as TOML decodes it: environment → command
// → section ("parameters") → key → value.
type SamConfig map[string]any

// ParseSamConfig reads a samconfig.toml.
func ParseSamConfig(b []byte) (SamConfig, error) {
	cfg := SamConfig{}
	if err := toml.Unmarshal(b, &cfg); err != nil {
		return nil, fmt.Errorf("samconfig: %w", err)
	}
	return cfg, nil
}

// Parameters returns the [env.command.parameters] table, or nil.
func (c SamConfig) Parameters(env, command string) map[string]any {
	return LookupMap(map[string]any(c), env, command, "parameters")
}

// ParameterOverrides splits sam's parameter_overrides ("A=1 B=\"x y\"")
// into a map.
func ParameterOverrides(s string) (map[string]string, error) {
	out := map[string]string{}
	for s = strings.TrimSpace(s); s != ""; s = strings.TrimSpace(s) {
		key, rest, ok := strings.Cut(s, "=")
		if !ok || key == "" || strings.ContainsAny(key, " \t\"") {
			return nil, fmt.Errorf("parameter overrides: %q is not Key=Value", s)
		}
		var val string
		if strings.HasPrefix(rest, `"`) {
			end := strings.Index(rest[1:], `"`)
			if end < 0 {
				return nil, fmt.Errorf("parameter overrides: unterminated quote in %s", key)
			}
			val, s = rest[1:end+1], rest[end+2:]
		} else {
			val, s, _ = strings.Cut(rest, " ")
		}
		if _, dup := out[key]; dup {
			return nil, fmt.Errorf("parameter overrides: %s given twice", key)
		}
		out[key] = val
	}
	return out, nil
}

// readFile reads a file of the repository.
func readFile(root, rel string) ([]byte, error) {
	b, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(rel)))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", rel, err)
	}
	return b, nil
}
