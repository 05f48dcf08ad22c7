package lazyendpoints

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// root is the repository's root, from this package's directory.
const root = "../.."

// TestPatchedFilesArePatchOfUpstream holds each committed patched file to
// Patch of the upstream file of the version go.mod requires: it fails when
// the SDK is updated without carrying the patch over, or when a patched file
// was edited by hand.
func TestPatchedFilesArePatchOfUpstream(t *testing.T) {
	mods, err := Required(root)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range mods {
		if _, err := Check(m, root); err != nil {
			t.Error(err)
		}
	}
	// Only the required versions' files are kept.
	dirs, err := filepath.Glob(filepath.Join(root, Dir, "patched", "*"))
	if err != nil {
		t.Fatal(err)
	}
	if len(dirs) != len(mods) {
		t.Errorf("%s/patched holds %d directories, want one for each of the %d required versions", Dir, len(dirs), len(mods))
	}
}

// TestPatchRefusesAnUnexpectedFile: a change upstream that the patch does
// not know how to carry over stops the build instead of slipping through.
func TestPatchRefusesAnUnexpectedFile(t *testing.T) {
	mods, err := Required(root)
	if err != nil {
		t.Fatal(err)
	}
	upstream, err := os.ReadFile(mods[0].Upstream())
	if err != nil {
		t.Fatal(err)
	}
	patched, err := Patch(upstream)
	if err != nil {
		t.Fatal(err)
	}
	// S3's shape: the patterns are read outside the table too, and a read
	// the patch does not turn into a call would keep the old variable alive.
	s3ish := strings.Replace(string(upstream), "func New() *Resolver {",
		"func isAws(region string) bool { return partitionRegexp.Aws.MatchString(region) }\n\nfunc New() *Resolver {", 1)
	s3patched, err := Patch([]byte(s3ish))
	if err != nil {
		t.Fatalf("patterns read outside the table: %v", err)
	}
	if !bytes.Contains(s3patched, []byte("return partitionRegexp().Aws.MatchString(region)")) ||
		!bytes.Contains(s3patched, []byte("partitionRegexp := partitionRegexp()")) {
		t.Errorf("patterns read outside the table: the reads do not call the patterns' function:\n%s", s3patched)
	}
	for name, src := range map[string]string{
		"patched already":                          string(patched),
		"the table read elsewhere too":             strings.Replace(string(upstream), "func New() *Resolver {", "var tableAgain = defaultPartitions\n\nfunc New() *Resolver {", 1),
		"no table":                                 strings.Replace(string(upstream), "var defaultPartitions =", "var otherPartitions =", 1),
		"the table declared with a type":           strings.Replace(string(upstream), "var defaultPartitions = endpoints.Partitions{", "var defaultPartitions endpoints.Partitions = endpoints.Partitions{", 1),
		"a declaration between patterns and table": strings.Replace(string(upstream), "var defaultPartitions =", "const x = 1\n\nvar defaultPartitions =", 1),
	} {
		if _, err := Patch([]byte(src)); err == nil {
			t.Errorf("%s: Patch succeeded, want an error", name)
		}
	}
}

// TestPatchV4ARefusesAnUnexpectedFile: the signer's curve set up lazily
// only while nothing but the derivation reads it.
func TestPatchV4ARefusesAnUnexpectedFile(t *testing.T) {
	mods, err := Required(root)
	if err != nil {
		t.Fatal(err)
	}
	var v4a Module
	for _, m := range mods {
		if m.Path == V4AModule {
			v4a = m
		}
	}
	upstream, err := os.ReadFile(v4a.Upstream())
	if err != nil {
		t.Fatal(err)
	}
	patched, err := PatchV4A(upstream)
	if err != nil {
		t.Fatal(err)
	}
	for name, src := range map[string]string{
		"patched already":          string(patched),
		"the curve read elsewhere": string(upstream) + "\nfunc curveName() string { return p256.Params().Name }\n",
		"the bound read elsewhere": string(upstream) + "\nvar bound = nMinusTwoP256\n",
		"a second init":            string(upstream) + "\nfunc init() {}\n",
		"no derivation of a key":   strings.Replace(string(upstream), "func deriveKeyFromAccessKeyPair(", "func deriveKey(", 1),
	} {
		if _, err := PatchV4A([]byte(src)); err == nil {
			t.Errorf("%s: PatchV4A succeeded, want an error", name)
		}
	}
}

// TestPatchedTablesResolveAsUpstreamAndCostNothingAtInit builds a program
// that asks each patched service's endpoint table for every partition and
// variant, once as published and once with the Lambda build's go.mod, and
// requires the same answers, and that with the patch the tables' packages
// allocate no more than the sync.OnceValue at initialisation (GODEBUG=inittrace=1).
func TestPatchedTablesResolveAsUpstreamAndCostNothingAtInit(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the SDK twice")
	}
	dir := t.TempDir()
	if err := WriteModFile(root, filepath.Join(dir, "mod")); err != nil {
		t.Fatal(err)
	}
	run := func(name string, modfile ...string) (stdout string, inits map[string]string) {
		exe := filepath.Join(dir, name)
		args := append([]string{"build"}, modfile...)
		cmd := exec.Command("go", append(args, "-trimpath", "-o", exe, "./"+Dir+"/testdata/resolve")...)
		cmd.Dir = root
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("build %s: %v\n%s", name, err, out)
		}
		var out, stderr bytes.Buffer
		cmd = exec.Command(exe)
		cmd.Env = append(os.Environ(), "GODEBUG=inittrace=1")
		cmd.Stdout, cmd.Stderr = &out, &stderr
		if err := cmd.Run(); err != nil {
			t.Fatalf("%s: %v\n%s", name, err, stderr.Bytes())
		}
		inits = map[string]string{}
		for _, m := range initLine.FindAllStringSubmatch(stderr.String(), -1) {
			inits[m[1]] = m[2]
		}
		return out.String(), inits
	}
	want, upstreamInits := run("upstream")
	got, patchedInits := run("patched", "-modfile", filepath.Join(dir, "mod", "go.mod"))
	if got != want {
		t.Errorf("the patched tables resolve otherwise than upstream:\n%s", lineDiff(want, got))
	}
	// Every module but the signer and those of lazyPackages is a service
	// with an endpoint table.
	services := len(Modules) - 1 - len(lazyPackages)
	if n := strings.Count(want, "\n"); n < services*16*4 || !strings.Contains(want, "https://dynamodb.eu-west-1.amazonaws.com") || !strings.Contains(want, "https://s3.eu-west-1.amazonaws.com") {
		t.Errorf("the program resolved %d endpoints, not those of every service, region and variant:\n%s", n, want)
	}
	// The other package variables, read through their packages' exported
	// functions, answer something: the comparison above compares answers.
	for _, line := range []string{
		"s3 read timeout: 0s false",
		"dynamodb read timeout: 5m0s true",
		"sdk event stream checksums are CRC-32 (IEEE): prelude true, message true",
		"sdk event stream with a wrong checksum: message checksum mismatch",
		"smithy event stream checksums are CRC-32 (IEEE): prelude true, message true",
		"smithy event stream with a wrong checksum: message checksum mismatch",
		`css ["width" "calc(1px)"]: "width" "zTemplUnsafeCSSPropertyValue"`,
		`css ["font-family" "sans-serif"]: "font-family" "sans-serif"`,
		`script "a-b": __templ_invalid_js_function_name(&#34;x&#34;) | __templ_invalid_js_function_name(1)`,
	} {
		if !strings.Contains(want, line+"\n") {
			t.Errorf("the program did not print %q:\n%s", line, want)
		}
	}
	if upstreamInits[EventStreamModule] == "0" && upstreamInits[SmithyModule+"/eventstream"] == "0" {
		t.Errorf("neither event stream codec allocated the CRC-32 table at init as published (is inittrace read right?)")
	}
	for _, m := range Modules {
		pkgs := []string{m + "/internal/endpoints"}
		switch m {
		case V4AModule: // linked through S3; its initialiser set up the curves
			pkgs = []string{m}
		case CoreModule:
			pkgs = []string{m + "/internal/timeouts"}
		case EventStreamModule:
			pkgs = []string{m}
		case SmithyModule:
			pkgs = []string{m + "/eventstream"}
		case TemplModule:
			pkgs = []string{m + "/safehtml", m}
		}
		for _, pkg := range pkgs {
			// Both event stream codecs ask crc32 for its IEEE table, which it
			// allocates once: the first initialiser that runs pays for both.
			shared := pkg == EventStreamModule || pkg == SmithyModule+"/eventstream"
			if upstreamInits[pkg] == "" || (upstreamInits[pkg] == "0" && !shared) {
				t.Errorf("%s as published: %q allocations at init, want some (is inittrace read right?)", pkg, upstreamInits[pkg])
			}
			// sync.OnceValue's closure and its state: 2 allocations, where the tables cost hundreds.
			if a, ok := patchedInits[pkg]; ok && a != "0" && a != "1" && a != "2" {
				t.Errorf("%s patched: %s allocations at init, want at most 2 (as published: %s)", pkg, a, upstreamInits[pkg])
			}
		}
	}
}

// initLine is a line of GODEBUG=inittrace=1: package and allocations.
var initLine = regexp.MustCompile(`(?m)^init (\S+) @.* (\d+) allocs$`)

// lineDiff lists the lines of got that differ from want's, a few at most.
func lineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var out []string
	for i := 0; i < max(len(w), len(g)) && len(out) < 10; i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			out = append(out, "- "+wl, "+ "+gl)
		}
	}
	return strings.Join(out, "\n")
}

// TestLazyVarsCallsTheFunctionWhereverTheVariableWasRead: reads in other
// files of the package become calls, a local of the same name and a field
// of the same name stay as they are, and nothing is left at initialisation.
func TestLazyVarsCallsTheFunctionWhereverTheVariableWasRead(t *testing.T) {
	files := map[string][]byte{
		"table.go": []byte("package p\n\nimport \"regexp\"\n\n// names are the known names.\nvar names = map[string]int{\"a\": 1}\n\nvar pattern = regexp.MustCompile(`^a$`)\n"),
		"use.go": []byte("package p\n\ntype s struct{ names int }\n\nfunc known(n string) bool { _, ok := names[n]; return ok && pattern.MatchString(n) }\n\n" +
			"func local(names []string) int { return len(names) }\n\nfunc field(x s) int { return x.names }\n"),
	}
	out, err := LazyVars(files, []LazyVar{{Name: "names"}, {Name: "pattern", Type: "*regexp.Regexp"}})
	if err != nil {
		t.Fatal(err)
	}
	for file, want := range map[string][]string{
		"table.go": {
			"// names are the known names.\n// candor: names is computed on its first call",
			"func names() map[string]int {\n\tnamesOnce.Do(func() { namesOnce.v = map[string]int{\"a\": 1} })\n\treturn namesOnce.v\n}",
			"var namesOnce struct {\n\tsync.Once\n\tv map[string]int\n}",
			"func pattern() *regexp.Regexp {\n\tpatternOnce.Do(func() { patternOnce.v = regexp.MustCompile(`^a$`) })",
			"import \"regexp\"\nimport \"sync\"\n",
		},
		"use.go": {
			"_, ok := names()[n]; return ok && pattern().MatchString(n)",
			"func local(names []string) int { return len(names) }",
			"func field(x s) int { return x.names }",
			"type s struct{ names int }",
		},
	} {
		for _, w := range want {
			if !bytes.Contains(out[file], []byte(w)) {
				t.Errorf("%s lacks %q:\n%s", file, w, out[file])
			}
		}
	}
	if bytes.Contains(out["table.go"], []byte("var names =")) || bytes.Contains(out["table.go"], []byte("var pattern =")) {
		t.Errorf("a variable is still computed at initialisation:\n%s", out["table.go"])
	}
}

// TestLazyVarsRefusesAnUnexpectedPackage: a variable written to, declared
// otherwise or named where a read cannot be told apart stops the build
// instead of being made lazy wrongly.
func TestLazyVarsRefusesAnUnexpectedPackage(t *testing.T) {
	mods, err := Required(root)
	if err != nil {
		t.Fatal(err)
	}
	var core Module
	for _, m := range mods {
		if m.Path == CoreModule {
			core = m
		}
	}
	read := func(name string) string {
		b, err := os.ReadFile(filepath.Join(core.Dir, "internal", "timeouts", name))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	table, reader := read("timeouts_services.go"), read("timeouts.go")
	vars := []LazyVar{{Name: "serviceInactivityTimeoutMillis"}}
	if _, err := LazyVars(map[string][]byte{"timeouts_services.go": []byte(table), "timeouts.go": []byte(reader)}, vars); err != nil {
		t.Fatalf("as published: %v", err)
	}
	const set = "\nfunc set() { serviceInactivityTimeoutMillis = nil }\n"
	for name, files := range map[string][2]string{
		"patched already":           {mustLazy(t, table, reader, vars), reader},
		"assigned in another file":  {table, reader + set},
		"assigned in its own file":  {table + set, reader},
		"its address taken":         {table, reader + "\nvar p = &serviceInactivityTimeoutMillis\n"},
		"a composite literal's key": {table, reader + "\nvar m = struct{ serviceInactivityTimeoutMillis int }{serviceInactivityTimeoutMillis: 1}\n"},
		"declared with a type":      {strings.Replace(table, "var serviceInactivityTimeoutMillis = map", "var serviceInactivityTimeoutMillis map[string]int64 = map", 1), reader},
		"declared in a group":       {strings.Replace(table, "var serviceInactivityTimeoutMillis = map[string]int64{", "var x, serviceInactivityTimeoutMillis = 1, map[string]int64{", 1), reader},
		"no longer a literal":       {strings.Replace(table, "var serviceInactivityTimeoutMillis = map[string]int64{", "var serviceInactivityTimeoutMillis = build(map[string]int64{", 1) + ")\n", reader},
		"renamed upstream":          {strings.Replace(table, "var serviceInactivityTimeoutMillis =", "var serviceTimeouts =", 1), reader},
		"the once's name taken":     {table + "\nvar serviceInactivityTimeoutMillisOnce int\n", reader},
	} {
		if _, err := LazyVars(map[string][]byte{"timeouts_services.go": []byte(files[0]), "timeouts.go": []byte(files[1])}, vars); err == nil {
			t.Errorf("%s: LazyVars succeeded, want an error", name)
		}
	}
}

// mustLazy is the timeouts table made lazy.
func mustLazy(t *testing.T, table, reader string, vars []LazyVar) string {
	out, err := LazyVars(map[string][]byte{"timeouts_services.go": []byte(table), "timeouts.go": []byte(reader)}, vars)
	if err != nil {
		t.Fatal(err)
	}
	return string(out["timeouts_services.go"])
}
