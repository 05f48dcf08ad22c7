// Package lazyendpoints keeps the changes Candor's Lambda builds make to the
// AWS SDK: each linked service's legacy endpoint table
// (service/<name>/internal/endpoints/endpoints.go) is built on first use
// instead of at package initialisation. Upstream builds it, with eight
// compiled partition patterns, in package variables, so every cold start pays
// for it although the clients resolve endpoints by rules and never read it.
// Likewise the SigV4a signer S3 links (internal/v4a) sets up its elliptic
// curve on the first derivation of a key instead of at initialisation, and
// package variables of other modules that the functions never read at a
// cold start (templ's CSS patterns, the SDK's read timeouts, the event
// stream codecs' CRC-32 table) are computed on first use (LazyVars).
//
// The patched files are committed beside this package (Module.Patched) and
// reach the build through a go.mod of its own that replaces each module by a
// patched copy (`go build -modfile`, WriteModFile), in the Lambda build and
// the cold-start benchmarks only; tests and the local stack compile the SDK
// as published. CANDOR.md says what changes and how to update it.
package lazyendpoints

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"strings"
)

// Modules are the patched modules: the SDK service modules whose endpoint
// table is patched (every service a function links), the SigV4a signer, and
// the modules with package variables made lazy (lazyPackages).
var Modules = []string{
	"github.com/aws/aws-sdk-go-v2/service/dynamodb",
	"github.com/aws/aws-sdk-go-v2/service/s3",
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager",
	"github.com/aws/aws-sdk-go-v2/service/ses",
	"github.com/aws/aws-sdk-go-v2/service/sfn",
	V4AModule,
	CoreModule,
	EventStreamModule,
	SmithyModule,
	TemplModule,
}

// V4AModule is the SDK's SigV4a signer, which S3 links for multi-Region
// access points (Candor uses none). Its package initialiser derives the
// P-256 curve's parameters, which makes crypto/elliptic set up all four
// NIST curves at every cold start; PatchV4A defers that to the first
// derivation of a signing key.
const V4AModule = "github.com/aws/aws-sdk-go-v2/internal/v4a"

// v4aFile is the file PatchV4A changes, relative to its module's root.
const v4aFile = "v4a.go"

// file is the path, relative to the module's root, of the file m's patch
// replaces.
func (m Module) file() string {
	if m.Path == V4AModule {
		return v4aFile
	}
	return upstreamFile
}

// Patch returns m's patched file made from its upstream file src, for the
// modules whose patch changes one file (not those of lazyPackages).
func (m Module) Patch(src []byte) ([]byte, error) {
	if m.Path == V4AModule {
		return PatchV4A(src)
	}
	return Patch(src)
}

// Files returns every file m's patch changes, by its path relative to the
// module's root, made from the upstream files in m.Dir.
func (m Module) Files() (map[string][]byte, error) {
	if _, ok := lazyPackages[m.Path]; ok {
		return patchLazyPackages(m)
	}
	src, err := os.ReadFile(m.Upstream())
	if err != nil {
		return nil, fmt.Errorf("lazyendpoints: %s@%s: %w", m.Path, m.Version, err)
	}
	patched, err := m.Patch(src)
	if err != nil {
		return nil, fmt.Errorf("lazyendpoints: %s@%s: %w", m.Path, m.Version, err)
	}
	return map[string][]byte{m.file(): patched}, nil
}

// upstreamFile is the patched file, relative to its module's root.
const upstreamFile = "internal/endpoints/endpoints.go"

// Dir is this package's directory, relative to the repository's root.
const Dir = "third_party/lazyendpoints"

// Module is one patched module as the main module requires it.
type Module struct {
	Path, Version string
	Dir           string // the module's source, in the module cache
}

// Upstream is the path of the file the patch replaces, for the modules whose
// patch changes one file.
func (m Module) Upstream() string { return filepath.Join(m.Dir, filepath.FromSlash(m.file())) }

// Patched is the path, relative to the repository's root, of the committed
// patched file for this module's version and the file at rel in the module:
// patched/<name>@<version>/<rel>.txt (not .go, so the repository's own build
// never compiles it).
func (m Module) Patched(rel string) string {
	return path.Join(m.PatchedDir(), rel+".txt")
}

// PatchedDir is the directory, relative to the repository's root, of the
// committed patched files of this module's version.
func (m Module) PatchedDir() string {
	return path.Join(Dir, "patched", path.Base(m.Path)+"@"+m.Version)
}

// Required returns the version and source directory of every one of Modules
// that the main module at root requires, downloading them into the module
// cache if they are not there yet (as on a fresh CI machine).
func Required(root string) ([]Module, error) {
	cmd := exec.Command("go", append([]string{"mod", "download", "-json"}, Modules...)...)
	cmd.Dir = root
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("lazyendpoints: go mod download: %w\n%s\n%s", err, out, stderr.Bytes())
	}
	var mods []Module
	dec := json.NewDecoder(bytes.NewReader(out))
	for dec.More() {
		var m Module
		if err := dec.Decode(&m); err != nil {
			return nil, fmt.Errorf("lazyendpoints: go mod download: %w", err)
		}
		if m.Dir == "" {
			return nil, fmt.Errorf("lazyendpoints: go mod download gave no directory for %s@%s", m.Path, m.Version)
		}
		mods = append(mods, m)
	}
	if len(mods) != len(Modules) {
		return nil, fmt.Errorf("lazyendpoints: go mod download named %d of %d modules", len(mods), len(Modules))
	}
	return mods, nil
}

// WriteModFile makes dir the main module's go.mod as the Lambda build reads
// it (`go build -modfile=<dir>/go.mod`): go.mod and go.sum as they are, and
// each of Modules replaced by a copy of its required version, in dir, whose
// endpoint table is the committed patched file. It fails when a version has
// no patched file, or when its upstream file is no longer what the committed
// file was made from: the SDK was updated and the patch must be carried over
// (CANDOR.md). The copies are made afresh from the module cache each time.
func WriteModFile(root, dir string) error {
	root, err := filepath.Abs(root)
	if err != nil {
		return fmt.Errorf("lazyendpoints: %w", err)
	}
	if dir, err = filepath.Abs(dir); err != nil {
		return fmt.Errorf("lazyendpoints: %w", err)
	}
	mods, err := Required(root)
	if err != nil {
		return err
	}
	gomod, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		return fmt.Errorf("lazyendpoints: %w", err)
	}
	gosum, err := os.ReadFile(filepath.Join(root, "go.sum"))
	if err != nil {
		return fmt.Errorf("lazyendpoints: %w", err)
	}
	// The main module's own replacements name directories relative to it.
	gomod = relativeReplace.ReplaceAllFunc(gomod, func(m []byte) []byte {
		i := bytes.Index(m, []byte("=> ")) + len("=> ")
		return append(append([]byte{}, m[:i]...), filepath.Join(root, string(m[i:]))...)
	})
	var buf bytes.Buffer
	buf.Write(gomod)
	buf.WriteString("\n// The Lambda build's copies with their endpoint tables and other package variables built on first use (" + Dir + ").\n")
	for _, m := range mods {
		files, err := Check(m, root)
		if err != nil {
			return err
		}
		copyDir := filepath.Join(dir, path.Base(m.Path)+"@"+m.Version)
		if err := os.RemoveAll(copyDir); err != nil {
			return fmt.Errorf("lazyendpoints: %w", err)
		}
		if err := copyTree(m.Dir, copyDir); err != nil {
			return fmt.Errorf("lazyendpoints: copy %s@%s: %w", m.Path, m.Version, err)
		}
		for rel, src := range files {
			if err := os.WriteFile(filepath.Join(copyDir, filepath.FromSlash(rel)), src, 0o644); err != nil {
				return fmt.Errorf("lazyendpoints: %w", err)
			}
		}
		fmt.Fprintf(&buf, "replace %s %s => %s\n", m.Path, m.Version, copyDir)
	}
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), buf.Bytes(), 0o644); err != nil {
		return fmt.Errorf("lazyendpoints: %w", err)
	}
	if err := os.WriteFile(filepath.Join(dir, "go.sum"), gosum, 0o644); err != nil {
		return fmt.Errorf("lazyendpoints: %w", err)
	}
	return nil
}

// relativeReplace matches a replace directive of go.mod whose target is a
// relative directory.
var relativeReplace = regexp.MustCompile(`(?m)^replace [^\n]*=> \.{1,2}/[^\s]*`)

// copyTree copies the regular files under src to dst, writable.
func copyTree(src, dst string) error {
	return filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, p)
		if err != nil {
			return err
		}
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		if !d.Type().IsRegular() {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, b, 0o644)
	})
}

// Check reports whether the committed patched files of m, under root (the
// repository's root), are exactly m's patch of its upstream files, one for
// each file the patch changes and no more, and returns them by their path
// relative to the module's root.
func Check(m Module, root string) (map[string][]byte, error) {
	want, err := m.Files()
	if err != nil {
		return nil, fmt.Errorf("%w (the upstream file changed: carry the patch over, %s/CANDOR.md)", err, Dir)
	}
	dir := filepath.Join(root, filepath.FromSlash(m.PatchedDir()))
	if _, err := os.Stat(dir); errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("lazyendpoints: %s@%s has no patched files in %s (go run ./%s/lambdamod -write; %s/CANDOR.md)", m.Path, m.Version, m.PatchedDir(), Dir, Dir)
	}
	got := map[string][]byte{}
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		b, err := os.ReadFile(p)
		got[strings.TrimSuffix(filepath.ToSlash(rel), ".txt")] = b
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("lazyendpoints: %s@%s: %w", m.Path, m.Version, err)
	}
	for rel, w := range want {
		g, ok := got[rel]
		if !ok {
			return nil, fmt.Errorf("lazyendpoints: %s@%s has no patched file %s (go run ./%s/lambdamod -write; %s/CANDOR.md)", m.Path, m.Version, m.Patched(rel), Dir, Dir)
		}
		if !bytes.Equal(g, w) {
			return nil, fmt.Errorf("lazyendpoints: %s is not the patch of %s@%s's %s (go run ./%s/lambdamod -write)", m.Patched(rel), m.Path, m.Version, rel, Dir)
		}
	}
	for rel := range got {
		if _, ok := want[rel]; !ok {
			return nil, fmt.Errorf("lazyendpoints: %s is no file the patch of %s@%s changes", m.Patched(rel), m.Path, m.Version)
		}
	}
	return want, nil
}

// marker begins the comment the patch puts on the table it makes lazy.
const marker = "// candor:"

// Patch returns an SDK service's internal/endpoints/endpoints.go with its two
// package variables, the partition patterns (partitionRegexp) and the table
// that uses them (defaultPartitions), built on the first call of New instead
// of at package initialisation:
//
//	var defaultPartitions = sync.OnceValue(func() endpoints.Partitions {
//		partitionRegexp := struct{ … }{ … } // as upstream
//		return endpoints.Partitions{ … }    // as upstream
//	})
//
// and New reading defaultPartitions(). Nothing else changes. It fails when the
// file is not shaped as Patch expects, so that a changed upstream is seen.
func Patch(src []byte) ([]byte, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, upstreamFile, src, parser.ParseComments)
	if err != nil {
		return nil, fmt.Errorf("patch: %w", err)
	}
	if bytes.Contains(src, []byte(marker)) {
		return nil, errors.New("patch: the file is patched already")
	}
	if f.Name.Name != "endpoints" {
		return nil, fmt.Errorf("patch: package %s, want endpoints", f.Name.Name)
	}
	var regexps, table *ast.GenDecl
	for _, d := range f.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != token.VAR || len(g.Specs) != 1 {
			continue
		}
		vs := g.Specs[0].(*ast.ValueSpec)
		if len(vs.Names) != 1 || len(vs.Values) != 1 || vs.Type != nil || g.Lparen.IsValid() || g.Doc != nil {
			continue
		}
		switch vs.Names[0].Name {
		case "partitionRegexp":
			regexps = g
		case "defaultPartitions":
			table = g
		}
	}
	if regexps == nil || table == nil {
		return nil, errors.New("patch: no single-line var partitionRegexp and defaultPartitions")
	}
	off := func(p token.Pos) int { return fset.Position(p).Offset }
	if off(regexps.End()) > off(table.Pos()) {
		return nil, errors.New("patch: partitionRegexp does not come before defaultPartitions")
	}
	between := string(src[off(regexps.End()):off(table.Pos())])
	if strings.TrimSpace(between) != "" {
		return nil, errors.New("patch: something stands between partitionRegexp and defaultPartitions")
	}
	// The two initialisers, as upstream writes them.
	reVal := src[off(regexps.Specs[0].(*ast.ValueSpec).Values[0].Pos()):off(regexps.End())]
	tableVal := src[off(table.Specs[0].(*ast.ValueSpec).Values[0].Pos()):off(table.End())]
	if !bytes.HasPrefix(tableVal, []byte("endpoints.Partitions{")) {
		return nil, errors.New("patch: defaultPartitions is not an endpoints.Partitions literal")
	}
	// Where the patterns are read outside the table (S3's GetDNSSuffixFromRegion).
	var uses []int
	ast.Inspect(f, func(n ast.Node) bool {
		if n == regexps || n == table {
			return false
		}
		if id, ok := n.(*ast.Ident); ok && id.Name == "partitionRegexp" {
			uses = append(uses, off(id.End()))
		}
		return true
	})
	var lazy bytes.Buffer
	if len(uses) == 0 {
		lazy.WriteString(marker + " the partition patterns and the endpoint table are built on the\n" +
			"// first call of New, not at package initialisation (third_party/lazyendpoints).\n" +
			"var defaultPartitions = sync.OnceValue(func() endpoints.Partitions {\n")
		lazy.WriteString("partitionRegexp := ")
		lazy.Write(reVal)
	} else {
		// The patterns are read elsewhere too: they become a function of
		// their own, compiled once on first use, which the table calls.
		lit, ok := regexps.Specs[0].(*ast.ValueSpec).Values[0].(*ast.CompositeLit)
		if !ok {
			return nil, errors.New("patch: partitionRegexp is not a composite literal")
		}
		if _, ok := lit.Type.(*ast.StructType); !ok {
			return nil, errors.New("patch: partitionRegexp is not a struct literal")
		}
		lazy.WriteString(marker + " the partition patterns are compiled on first use, not at\n" +
			"// package initialisation (third_party/lazyendpoints).\n" +
			"type partitionRegexps ")
		lazy.Write(src[off(lit.Type.Pos()):off(lit.Type.End())])
		lazy.WriteString("\n\nvar partitionRegexpOnce struct {\nsync.Once\nv partitionRegexps\n}\n\n" +
			"func partitionRegexp() partitionRegexps {\npartitionRegexpOnce.Do(func() {\npartitionRegexpOnce.v = partitionRegexps")
		lazy.Write(src[off(lit.Lbrace) : off(lit.Rbrace)+1])
		lazy.WriteString("\n})\nreturn partitionRegexpOnce.v\n}\n\n")
		lazy.WriteString(marker + " the endpoint table is built on the first call of New, not at\n" +
			"// package initialisation (third_party/lazyendpoints).\n" +
			"var defaultPartitions = sync.OnceValue(func() endpoints.Partitions {\n")
		lazy.WriteString("partitionRegexp := partitionRegexp()")
	}
	lazy.WriteString("\n\nreturn ")
	lazy.Write(tableVal)
	lazy.WriteString("\n})")

	// Every other read of the patterns calls the function.
	var out bytes.Buffer
	at := 0
	copyTo := func(end int) {
		for len(uses) > 0 && uses[0] <= end {
			out.Write(src[at:uses[0]])
			out.WriteString("()")
			at, uses = uses[0], uses[1:]
		}
		out.Write(src[at:end])
		at = end
	}
	copyTo(off(regexps.Pos()))
	out.Write(lazy.Bytes())
	at = off(table.End())
	copyTo(len(src))
	res := out.Bytes()

	// New reads the table; so does nothing else in the package.
	const use = "partitions: defaultPartitions,"
	if n := bytes.Count(res, []byte(use)); n != 1 {
		return nil, fmt.Errorf("patch: %q %d times, want once", use, n)
	}
	res = bytes.Replace(res, []byte(use), []byte("partitions: defaultPartitions(),"), 1)
	const imports = "import (\n"
	if bytes.Count(res, []byte(imports)) != 1 || bytes.Contains(res, []byte("\"sync\"")) {
		return nil, errors.New("patch: no one import block, or sync imported already")
	}
	res = bytes.Replace(res, []byte(imports), []byte(imports+"\t\"sync\"\n"), 1)
	formatted, err := format.Source(res)
	if err != nil {
		return nil, fmt.Errorf("patch: the result: %w", err)
	}
	// Every other use of the two names would now be wrong.
	g, err := parser.ParseFile(token.NewFileSet(), upstreamFile, formatted, 0)
	if err != nil {
		return nil, fmt.Errorf("patch: the result: %w", err)
	}
	outside, named := 0, 0
	ast.Inspect(g, func(n ast.Node) bool {
		if call, ok := n.(*ast.CallExpr); ok {
			if id, ok := call.Fun.(*ast.Ident); ok && id.Name == "partitionRegexp" {
				return false // a call of the patterns' function
			}
		}
		if fn, ok := n.(*ast.FuncDecl); ok && fn.Name.Name == "partitionRegexp" {
			return false // the patterns' function
		}
		if id, ok := n.(*ast.Ident); ok {
			if id.Name == "partitionRegexp" && id.Obj == nil {
				outside++ // not resolved in a scope: a reference to the former package variable
			}
			if id.Name == "partitionRegexp" && id.Obj != nil && id.Obj.Kind == ast.Fun {
				outside++ // the patterns' function read without being called
			}
			if id.Name == "defaultPartitions" {
				named++
			}
		}
		return true
	})
	if outside != 0 {
		return nil, fmt.Errorf("patch: partitionRegexp is used %d times outside the table", outside)
	}
	if named != 2 {
		return nil, fmt.Errorf("patch: defaultPartitions is named %d times, want twice (its declaration, New)", named)
	}
	return formatted, nil
}

// PatchV4A returns the SigV4a signer's v4a.go with its package initialiser,
// which sets up the P-256 curve (and so crypto/elliptic's four curves) and
// the derivation bound, turned into a function run once by the first
// derivation of a signing key, the only reader of both:
//
//	var curveOnce sync.Once // candor: …
//
//	func initCurve() { … } // upstream's init, renamed
//
//	func deriveKeyFromAccessKeyPair(…) (…) {
//		curveOnce.Do(initCurve)
//		… // as upstream
//
// It fails when the file is shaped otherwise: no single init, or the two
// variables read anywhere else.
func PatchV4A(src []byte) ([]byte, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, v4aFile, src, parser.ParseComments)
	if err != nil {
		return nil, fmt.Errorf("patch v4a: %w", err)
	}
	if bytes.Contains(src, []byte(marker)) {
		return nil, errors.New("patch v4a: the file is patched already")
	}
	var initFn, derive *ast.FuncDecl
	for _, d := range f.Decls {
		fn, ok := d.(*ast.FuncDecl)
		if !ok || fn.Recv != nil {
			continue
		}
		switch fn.Name.Name {
		case "init":
			if initFn != nil {
				return nil, errors.New("patch v4a: more than one init")
			}
			initFn = fn
		case "deriveKeyFromAccessKeyPair":
			derive = fn
		}
	}
	if initFn == nil || derive == nil {
		return nil, errors.New("patch v4a: no init or no deriveKeyFromAccessKeyPair")
	}
	// The curve and the bound are read only by init and the derivation.
	within := func(n ast.Node, fn *ast.FuncDecl) bool { return n.Pos() >= fn.Pos() && n.End() <= fn.End() }
	var stray int
	ast.Inspect(f, func(n ast.Node) bool {
		if vs, ok := n.(*ast.ValueSpec); ok {
			for _, v := range vs.Values { // the declarations' names are no read
				ast.Inspect(v, func(m ast.Node) bool {
					if id, ok := m.(*ast.Ident); ok && (id.Name == "p256" || id.Name == "nMinusTwoP256") {
						stray++
					}
					return true
				})
			}
			return false
		}
		if id, ok := n.(*ast.Ident); ok && (id.Name == "p256" || id.Name == "nMinusTwoP256") && !within(id, initFn) && !within(id, derive) {
			stray++
		}
		return true
	})
	if stray != 0 {
		return nil, fmt.Errorf("patch v4a: the curve or the bound is read %d times outside init and the derivation", stray)
	}
	off := func(p token.Pos) int { return fset.Position(p).Offset }
	var out bytes.Buffer
	out.Write(src[:off(initFn.Pos())])
	out.WriteString(marker + " the P-256 curve and the derivation bound are set up by the first\n" +
		"// derivation of a signing key, not at package initialisation (third_party/lazyendpoints).\n" +
		"var curveOnce sync.Once\n\n")
	out.Write(src[off(initFn.Pos()):off(initFn.Name.Pos())])
	out.WriteString("initCurve")
	out.Write(src[off(initFn.Name.End()) : off(derive.Body.Lbrace)+1])
	out.WriteString("\n\tcurveOnce.Do(initCurve)\n")
	out.Write(src[off(derive.Body.Lbrace)+1:])
	res := out.Bytes()
	const imports = "import (\n"
	if bytes.Count(res, []byte(imports)) != 1 || bytes.Contains(res, []byte("\t\"sync\"\n")) {
		return nil, errors.New("patch v4a: no one import block, or sync imported already")
	}
	res = bytes.Replace(res, []byte(imports), []byte(imports+"\t\"sync\"\n"), 1)
	formatted, err := format.Source(res)
	if err != nil {
		return nil, fmt.Errorf("patch v4a: the result: %w", err)
	}
	return formatted, nil
}
