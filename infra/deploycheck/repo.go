package deploycheck

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
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

// SamConfig is a samconfig.toml: environment → command → section → key → value.
// Values are strings, booleans, numbers (float64) or lists of strings.
type SamConfig map[string]map[string]map[string]map[string]any

// ParseSamConfig reads the TOML subset samconfig.toml uses: comments,
// `version = …`, [env.command.section] tables and `key = value` lines with
// strings, booleans, numbers and arrays of strings.
func ParseSamConfig(b []byte) (SamConfig, error) {
	cfg := SamConfig{}
	var table []string
	for i, raw := range strings.Split(string(b), "\n") {
		line := strings.TrimSpace(stripComment(raw))
		if line == "" {
			continue
		}
		if strings.HasPrefix(line, "[") {
			if !strings.HasSuffix(line, "]") {
				return nil, fmt.Errorf("samconfig line %d: unterminated table header", i+1)
			}
			table = strings.Split(strings.TrimSpace(line[1:len(line)-1]), ".")
			if len(table) != 3 {
				return nil, fmt.Errorf("samconfig line %d: table %q is not [environment.command.section]", i+1, line)
			}
			continue
		}
		key, val, ok := strings.Cut(line, "=")
		if !ok {
			return nil, fmt.Errorf("samconfig line %d: %q is not key = value", i+1, line)
		}
		key = strings.TrimSpace(key)
		v, err := tomlValue(strings.TrimSpace(val))
		if err != nil {
			return nil, fmt.Errorf("samconfig line %d: %s: %w", i+1, key, err)
		}
		if table == nil {
			if key != "version" {
				return nil, fmt.Errorf("samconfig line %d: %s outside a table", i+1, key)
			}
			continue
		}
		env, cmd, sec := table[0], table[1], table[2]
		if cfg[env] == nil {
			cfg[env] = map[string]map[string]map[string]any{}
		}
		if cfg[env][cmd] == nil {
			cfg[env][cmd] = map[string]map[string]any{}
		}
		if cfg[env][cmd][sec] == nil {
			cfg[env][cmd][sec] = map[string]any{}
		}
		if _, dup := cfg[env][cmd][sec][key]; dup {
			return nil, fmt.Errorf("samconfig line %d: %s set twice in [%s]", i+1, key, strings.Join(table, "."))
		}
		cfg[env][cmd][sec][key] = v
	}
	return cfg, nil
}

// stripComment drops a # comment that is not inside a string.
func stripComment(s string) string {
	inStr := false
	for i, r := range s {
		switch {
		case r == '"' && (i == 0 || s[i-1] != '\\'):
			inStr = !inStr
		case r == '#' && !inStr:
			return s[:i]
		}
	}
	return s
}

func tomlValue(s string) (any, error) {
	switch {
	case s == "true" || s == "false":
		return s == "true", nil
	case strings.HasPrefix(s, `"`):
		v, err := strconv.Unquote(s)
		if err != nil {
			return nil, fmt.Errorf("bad string %s: %w", s, err)
		}
		return v, nil
	case strings.HasPrefix(s, "["):
		if !strings.HasSuffix(s, "]") {
			return nil, errors.New("arrays must be on one line")
		}
		var out []string
		for part := range strings.SplitSeq(strings.TrimSpace(s[1:len(s)-1]), ",") {
			part = strings.TrimSpace(part)
			if part == "" {
				continue
			}
			v, err := strconv.Unquote(part)
			if err != nil {
				return nil, fmt.Errorf("bad array element %s: %w", part, err)
			}
			out = append(out, v)
		}
		return out, nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return nil, fmt.Errorf("unsupported value %s", s)
	}
	return f, nil
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
