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
		if err := Check(m, filepath.Join(root, filepath.FromSlash(m.Patched()))); err != nil {
			t.Error(err)
		}
	}
	// Only the required versions' files are kept.
	files, err := filepath.Glob(filepath.Join(root, Dir, "patched", "*"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != len(mods) {
		t.Errorf("%s/patched holds %d files, want one for each of the %d required versions", Dir, len(files), len(mods))
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
	// Every module but the signer is a service with an endpoint table.
	if n := strings.Count(want, "\n"); n < (len(Modules)-1)*16*4 || !strings.Contains(want, "https://dynamodb.eu-west-1.amazonaws.com") || !strings.Contains(want, "https://s3.eu-west-1.amazonaws.com") {
		t.Errorf("the program resolved %d endpoints, not those of every service, region and variant:\n%s", n, want)
	}
	for _, m := range Modules {
		pkg := m + "/internal/endpoints"
		if m == V4AModule { // linked through S3; its initialiser set up the curves
			pkg = m
		}
		if upstreamInits[pkg] == "0" || upstreamInits[pkg] == "" {
			t.Errorf("%s as published: %q allocations at init, want some (is inittrace read right?)", pkg, upstreamInits[pkg])
		}
		// sync.OnceValue's closure and its state: 2 allocations, where the table cost hundreds.
		if a, ok := patchedInits[pkg]; ok && a != "0" && a != "1" && a != "2" {
			t.Errorf("%s patched: %s allocations at init, want at most sync.OnceValue's 2", pkg, a)
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
