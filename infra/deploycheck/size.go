package deploycheck

import (
	"bytes"
	"debug/elf"
	"fmt"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"slices"
	"strings"
)

// MethodLookups are the functions of package reflect that find a method by
// a name or an index known only at run time. A binary that links one may
// call any exported method of any type that reaches an interface, so the
// linker keeps all of them — in a function holding AWS SDK clients, every
// operation of every client, used or not (golang/go#72895). Linking
// text/template's executor (which html/template runs) this way put three
// functions 4–6 MiB over the 9 MiB bootstrap target. The check is by the
// symbol rather than by the importing package, so that it sees every way
// in (a package that imports html/template for a type only, as templ does,
// links none of them) and misses none.
//
// Built with html/template executing a template, a binary's symbol table
// lists all four (and their wrappers reflect.(*Value).Method... and
// reflect.(*interfaceType).Method...); built without, none of them — every
// function of Candor, and a program rendering with templ (the tests build
// both kinds).
var MethodLookups = []string{
	"reflect.Value.Method",
	"reflect.Value.MethodByName",
	"reflect.(*rtype).Method",
	"reflect.(*rtype).MethodByName",
}

// BuildForLambda builds the packages pkgs (relative to root, "./functions/api")
// as the Makefile builds a function for Lambda — GOOS=linux GOARCH=arm64
// CGO_ENABLED=0, -tags lambda.norpc, -trimpath — but keeping the symbol
// table (no -s -w), into dir, and returns each package's binary.
func BuildForLambda(root, dir string, pkgs ...string) (map[string]string, error) {
	gobin, err := goCommand()
	if err != nil {
		return nil, err
	}
	out := make(map[string]string, len(pkgs))
	for _, p := range pkgs {
		out[p] = filepath.Join(dir, path.Base(p))
	}
	args := append([]string{"build", "-tags", "lambda.norpc", "-trimpath", "-o", dir + string(filepath.Separator)}, pkgs...)
	cmd := exec.Command(gobin, args...)
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "GOOS=linux", "GOARCH=arm64", "CGO_ENABLED=0")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("build for lambda: go %s: %w: %s", strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
	}
	return out, nil
}

// LinkedMethodLookups returns the symbols of MethodLookups that the ELF
// binary at file links (what `go tool nm` lists of them), sorted.
func LinkedMethodLookups(file string) ([]string, error) {
	f, err := elf.Open(file)
	if err != nil {
		return nil, fmt.Errorf("method lookups: %w", err)
	}
	defer f.Close()
	syms, err := f.Symbols()
	if err != nil {
		return nil, fmt.Errorf("method lookups: %s: %w (built with -s?)", file, err)
	}
	var found []string
	for _, s := range syms {
		if slices.Contains(MethodLookups, s.Name) && !slices.Contains(found, s.Name) {
			found = append(found, s.Name)
		}
	}
	slices.Sort(found)
	return found, nil
}

// CheckMethodLookups returns a problem if the function in directory fn
// ("functions/api") links any of syms, the method lookups found in its
// binary, saying what it costs and how to find the code that calls them.
func CheckMethodLookups(fn string, syms []string) []string {
	if len(syms) == 0 {
		return nil
	}
	return []string{fmt.Sprintf("%s links %s, which makes the linker keep every exported method of every type that reaches an interface — every AWS SDK operation (golang/go#72895; bootstrap target 9 MiB, docs/ops.md \"Size and start-up\"). "+
		"The usual cause is text/template or html/template executing a template: render with templ or plain Go instead. "+
		"The linker names the functions that call them: GOOS=linux GOARCH=arm64 go build -tags lambda.norpc -ldflags=-dumpdep -o /dev/null ./%s 2>&1 | grep '<ReflectMethod>' "+
		"(and go tool nm, on a build without -s -w, lists the symbols)",
		fn, strings.Join(syms, ", "), fn)}
}
