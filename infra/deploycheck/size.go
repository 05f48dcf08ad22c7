package deploycheck

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strings"
)

// heavyImports are standard packages a function must not link, and why.
// Each reaches reflect.Value.MethodByName with a name known only at run
// time, which makes the linker keep every exported method of every type
// that reaches an interface — in a function holding AWS SDK clients, every
// operation of every client, used or not (golang/go#72895). Linking one of
// them put three functions 4–6 MiB over the 9 MiB bootstrap target.
var heavyImports = map[string]string{
	"text/template": "its executor calls reflect.Value.MethodByName (use shared/markup or plain Go)",
	"html/template": "it runs text/template's executor, which calls reflect.Value.MethodByName (use shared/markup)",
}

// FunctionDeps returns, for each function package under root's functions/
// directory, the import paths it links when built for Lambda (linux/arm64,
// CGO_ENABLED=0, -tags lambda.norpc, as the Makefile builds it).
func FunctionDeps(root string) (map[string][]string, error) {
	gobin, err := goCommand()
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(gobin, "list", "-tags", "lambda.norpc", "-f", "{{.ImportPath}} {{join .Deps \" \"}}", "./functions/...")
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "GOOS=linux", "GOARCH=arm64", "CGO_ENABLED=0")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("function deps: go list: %w: %s", err, strings.TrimSpace(stderr.String()))
	}
	deps := map[string][]string{}
	for line := range strings.SplitSeq(strings.TrimSpace(string(out)), "\n") {
		fields := strings.Fields(line)
		if len(fields) == 0 {
			continue
		}
		deps[fields[0]] = fields[1:]
	}
	return deps, nil
}

// CheckImports returns a problem for each package of heavyImports among
// the dependencies deps of function fn.
func CheckImports(fn string, deps []string) []string {
	var problems []string
	for _, d := range deps {
		if why, ok := heavyImports[d]; ok {
			problems = append(problems, fmt.Sprintf("%s links %s: %s; this keeps every AWS SDK method in the binary (bootstrap target: 9 MiB); find the importer with: go list -deps -tags lambda.norpc -f '{{.ImportPath}}: {{.Imports}}' ./%s | grep %s",
				fn, d, why, functionDir(fn), d))
		}
	}
	slices.Sort(problems)
	return problems
}

// functionDir returns a function's directory from its import path: the
// part from "functions/" on.
func functionDir(fn string) string {
	if i := strings.Index(fn, "functions/"); i >= 0 {
		return fn[i:]
	}
	return fn
}
