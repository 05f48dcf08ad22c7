package lazyendpoints

import (
	"bytes"
	"errors"
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// LazyVar is a package variable that LazyVars turns into a function
// computing its value on the first call.
type LazyVar struct {
	Name string
	// Type is the variable's type as the package spells it. Empty when
	// the initialiser is a composite literal, whose type it is.
	Type string
}

// LazyPackage is a package of a patched module and the variables of it
// that LazyVars makes lazy.
type LazyPackage struct {
	Dir  string // relative to the module's root, "." for the root
	Vars []LazyVar
}

// lazyPackages are the packages whose variables are made lazy, by module:
// each variable is computed by its package's initialiser at every cold
// start, by a function that links it whether or not it ever reads it.
var lazyPackages = map[string][]LazyPackage{
	// The templ runtime: the CSS sanitiser's four patterns and its table of
	// value sanitisers, and the pattern of script function names. The
	// pages read neither: they have no style attribute with a computed
	// value and no script written in templ.
	TemplModule: {
		{Dir: "safehtml", Vars: []LazyVar{
			{Name: "identifierPattern", Type: "*regexp.Regexp"},
			{Name: "cssPropertyNameToValueSanitizer"},
			{Name: "genericFontFamilyName", Type: "*regexp.Regexp"},
			{Name: "safeRegularPropertyValuePattern", Type: "*regexp.Regexp"},
			{Name: "safeEnumPropertyValuePattern", Type: "*regexp.Regexp"},
		}},
		{Dir: ".", Vars: []LazyVar{{Name: "jsFunctionName", Type: "*regexp.Regexp"}}},
	},
	// The SDK's core: the read timeouts of services, read only when they
	// are enabled (AWS_ENABLE_DEFAULT_SOCKET_TIMEOUT_2026). Not the
	// partitions of the endpoint rules (awsrulesfn): DynamoDB's rules read
	// them at every client's first call, which nearly every first
	// invocation makes, so built lazily they cost the same faults later,
	// and more, on the handler's stack.
	CoreModule: {
		{Dir: "internal/timeouts", Vars: []LazyVar{{Name: "serviceInactivityTimeoutMillis"}}},
	},
	// The event stream codecs, the SDK's and Smithy's (each computes the
	// same CRC-32 table, crc32's own, at initialisation): read only by
	// operations that stream events (S3's SelectObjectContent), which
	// Candor never calls.
	EventStreamModule: {
		{Dir: ".", Vars: []LazyVar{{Name: "crc32IEEETable", Type: "*crc32.Table"}}},
	},
	SmithyModule: {
		{Dir: "eventstream", Vars: []LazyVar{{Name: "crc32IEEETable", Type: "*crc32.Table"}}},
	},
}

// The modules whose package variables are made lazy (lazyPackages).
const (
	TemplModule       = "github.com/a-h/templ"
	CoreModule        = "github.com/aws/aws-sdk-go-v2"
	EventStreamModule = "github.com/aws/aws-sdk-go-v2/aws/protocol/eventstream"
	SmithyModule      = "github.com/aws/smithy-go"
)

// patchLazyPackages applies LazyVars to every package of lazyPackages[m.Path]
// as it is in m.Dir, and returns the changed files by their path relative
// to the module's root.
func patchLazyPackages(m Module) (map[string][]byte, error) {
	out := map[string][]byte{}
	for _, p := range lazyPackages[m.Path] {
		dir := filepath.Join(m.Dir, filepath.FromSlash(p.Dir))
		entries, err := os.ReadDir(dir)
		if err != nil {
			return nil, fmt.Errorf("lazyendpoints: %s@%s: %w", m.Path, m.Version, err)
		}
		files := map[string][]byte{}
		for _, e := range entries {
			n := e.Name()
			if e.IsDir() || !strings.HasSuffix(n, ".go") || strings.HasSuffix(n, "_test.go") {
				continue
			}
			if files[n], err = os.ReadFile(filepath.Join(dir, n)); err != nil {
				return nil, fmt.Errorf("lazyendpoints: %w", err)
			}
		}
		changed, err := LazyVars(files, p.Vars)
		if err != nil {
			return nil, fmt.Errorf("lazyendpoints: %s@%s/%s: %w", m.Path, m.Version, p.Dir, err)
		}
		for n, src := range changed {
			out[path.Join(p.Dir, n)] = src
		}
	}
	return out, nil
}

// LazyVars returns the files of a package (its non-test .go files, by name)
// that change when each of vars, a package variable declared alone
// (`var name = value`, no type, not in a group), becomes a function of the
// same name that computes the value on its first call, once, and returns it
// on every call:
//
//	// candor: … (after upstream's doc comment)
//	func name() T {
//		nameOnce.Do(func() { nameOnce.v = value }) // value as upstream
//		return nameOnce.v
//	}
//
//	var nameOnce struct {
//		sync.Once
//		v T
//	}
//
// and every read of the variable, in any file, a call of it (a local of the
// same name is left alone). Nothing runs at package initialisation any more.
// It fails when a variable is declared otherwise, assigned, has its address
// taken, or is named where a read could not be told apart (a composite
// literal's key), so that a changed upstream is seen instead of patched
// wrongly. Test files are left alone: the patched copies' tests are never
// built.
func LazyVars(files map[string][]byte, vars []LazyVar) (map[string][]byte, error) {
	fset := token.NewFileSet()
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	parsed := map[string]*ast.File{}
	for _, n := range names {
		if bytes.Contains(files[n], []byte(marker)) {
			return nil, fmt.Errorf("lazy vars: %s is patched already", n)
		}
		f, err := parser.ParseFile(fset, n, files[n], parser.ParseComments)
		if err != nil {
			return nil, fmt.Errorf("lazy vars: %w", err)
		}
		parsed[n] = f
	}
	off := func(p token.Pos) int { return fset.Position(p).Offset }
	type edit struct {
		at, end int
		text    string
	}
	edits := map[string][]edit{}
	needSync := map[string]bool{}
	for _, v := range vars {
		once := v.Name + "Once"
		// The declaration: exactly one, alone.
		var declFile string
		var decl *ast.GenDecl
		for _, n := range names {
			for _, d := range parsed[n].Decls {
				g, ok := d.(*ast.GenDecl)
				if !ok || g.Tok != token.VAR {
					continue
				}
				for _, s := range g.Specs {
					vs := s.(*ast.ValueSpec)
					for _, id := range vs.Names {
						if id.Name != v.Name {
							continue
						}
						if decl != nil {
							return nil, fmt.Errorf("lazy vars: %s declared twice", v.Name)
						}
						if len(g.Specs) != 1 || g.Lparen.IsValid() || len(vs.Names) != 1 || len(vs.Values) != 1 || vs.Type != nil {
							return nil, fmt.Errorf("lazy vars: %s is not declared alone as `var %s = value`", v.Name, v.Name)
						}
						decl, declFile = g, n
					}
				}
			}
		}
		if decl == nil {
			return nil, fmt.Errorf("lazy vars: no package variable %s", v.Name)
		}
		spec := decl.Specs[0].(*ast.ValueSpec)
		value := spec.Values[0]
		typ := v.Type
		if typ == "" {
			lit, ok := value.(*ast.CompositeLit)
			if !ok || lit.Type == nil {
				return nil, fmt.Errorf("lazy vars: %s is not a typed composite literal and no type is given", v.Name)
			}
			typ = string(files[declFile][off(lit.Type.Pos()):off(lit.Type.End())])
		}
		// Every use: a read, which becomes a call.
		for _, n := range names {
			f := parsed[n]
			if f.Scope.Lookup(once) != nil {
				return nil, fmt.Errorf("lazy vars: %s declares %s already", n, once)
			}
			var bad error
			skip := map[*ast.Ident]bool{spec.Names[0]: true}
			ast.Inspect(f, func(node ast.Node) bool {
				if bad != nil {
					return false
				}
				switch x := node.(type) {
				case *ast.SelectorExpr:
					skip[x.Sel] = true // a field or a package's name, never the variable
				case *ast.CompositeLit:
					for _, e := range x.Elts {
						if kv, ok := e.(*ast.KeyValueExpr); ok {
							if id, ok := kv.Key.(*ast.Ident); ok && id.Name == v.Name {
								bad = fmt.Errorf("lazy vars: %s: %s is a composite literal's key", fset.Position(id.Pos()), v.Name)
							}
						}
					}
				case *ast.AssignStmt:
					for _, l := range x.Lhs {
						if id, ok := l.(*ast.Ident); ok && id.Name == v.Name {
							bad = fmt.Errorf("lazy vars: %s: %s is assigned", fset.Position(id.Pos()), v.Name)
						}
					}
				case *ast.IncDecStmt:
					if id, ok := x.X.(*ast.Ident); ok && id.Name == v.Name {
						bad = fmt.Errorf("lazy vars: %s: %s is assigned", fset.Position(id.Pos()), v.Name)
					}
				case *ast.UnaryExpr:
					if id, ok := x.X.(*ast.Ident); ok && id.Name == v.Name && x.Op == token.AND {
						bad = fmt.Errorf("lazy vars: %s: the address of %s is taken", fset.Position(id.Pos()), v.Name)
					}
				case *ast.Ident:
					if x.Name != v.Name || skip[x] {
						return true
					}
					// Resolved in its file to something but the variable
					// (in its own file): a local of the same name.
					if x.Obj != nil && (x.Obj.Decl != spec || n != declFile) {
						return true
					}
					if x.Pos() >= decl.Pos() && x.End() <= decl.End() {
						bad = fmt.Errorf("lazy vars: %s reads itself", v.Name)
						return false
					}
					edits[n] = append(edits[n], edit{off(x.End()), off(x.End()), "()"})
				}
				return true
			})
			if bad != nil {
				return nil, bad
			}
		}
		src := files[declFile]
		var b strings.Builder
		fmt.Fprintf(&b, "%s %s is computed on its first call, not at package initialisation\n"+
			"// (third_party/lazyendpoints).\n", marker, v.Name)
		fmt.Fprintf(&b, "func %s() %s {\n%s.Do(func() { %s.v = %s })\nreturn %s.v\n}\n\n",
			v.Name, typ, once, once, src[off(value.Pos()):off(value.End())], once)
		fmt.Fprintf(&b, "var %s struct {\nsync.Once\nv %s\n}", once, typ)
		edits[declFile] = append(edits[declFile], edit{off(decl.Pos()), off(decl.End()), b.String()})
		needSync[declFile] = true
	}
	// sync, where a declaration now needs it.
	for n := range needSync {
		f := parsed[n]
		imported := false
		for _, is := range f.Imports {
			p, _ := strconv.Unquote(is.Path.Value)
			name := path.Base(p)
			if is.Name != nil {
				name = is.Name.Name
			}
			if p == "sync" && name == "sync" {
				imported = true
			} else if name == "sync" {
				return nil, fmt.Errorf("lazy vars: %s imports %s as sync", n, p)
			}
		}
		if imported {
			continue
		}
		if f.Scope.Lookup("sync") != nil {
			return nil, fmt.Errorf("lazy vars: %s declares sync", n)
		}
		var imports *ast.GenDecl
		for _, d := range f.Decls {
			if g, ok := d.(*ast.GenDecl); ok && g.Tok == token.IMPORT {
				imports = g
				break
			}
		}
		switch {
		case imports == nil:
			edits[n] = append(edits[n], edit{off(f.Name.End()), off(f.Name.End()), "\n\nimport \"sync\""})
		case imports.Lparen.IsValid():
			edits[n] = append(edits[n], edit{off(imports.Lparen) + 1, off(imports.Lparen) + 1, "\n\"sync\""})
		default:
			edits[n] = append(edits[n], edit{off(imports.End()), off(imports.End()), "\nimport \"sync\""})
		}
	}
	out := map[string][]byte{}
	for n, es := range edits {
		sort.SliceStable(es, func(i, j int) bool { return es[i].at < es[j].at })
		src := files[n]
		var b bytes.Buffer
		at := 0
		for _, e := range es {
			if e.at < at {
				return nil, fmt.Errorf("lazy vars: %s: overlapping changes (a variable read in another's value?)", n)
			}
			b.Write(src[at:e.at])
			b.WriteString(e.text)
			at = e.end
		}
		b.Write(src[at:])
		formatted, err := format.Source(b.Bytes())
		if err != nil {
			return nil, fmt.Errorf("lazy vars: %s: the result: %w", n, err)
		}
		out[n] = formatted
	}
	// The result names each variable only to call it.
	for _, n := range names {
		src := files[n]
		if c, ok := out[n]; ok {
			src = c
		}
		f, err := parser.ParseFile(token.NewFileSet(), n, src, 0)
		if err != nil {
			return nil, fmt.Errorf("lazy vars: %s: the result: %w", n, err)
		}
		for _, v := range vars {
			called, named := 0, 0
			skip := map[*ast.Ident]bool{}
			ast.Inspect(f, func(node ast.Node) bool {
				switch x := node.(type) {
				case *ast.SelectorExpr:
					skip[x.Sel] = true
				case *ast.CallExpr:
					if id, ok := x.Fun.(*ast.Ident); ok && id.Name == v.Name {
						called++
					}
				case *ast.FuncDecl:
					if x.Recv == nil && x.Name.Name == v.Name {
						skip[x.Name] = true // its declaration
					}
				case *ast.Ident:
					// Unresolved (declared in another file) or the function.
					if x.Name == v.Name && !skip[x] && (x.Obj == nil || x.Obj.Kind == ast.Fun) {
						named++
					}
				}
				return true
			})
			if named != called {
				return nil, fmt.Errorf("lazy vars: %s: the result names %s %d times without calling it", n, v.Name, named-called)
			}
		}
	}
	if len(out) == 0 {
		return nil, errors.New("lazy vars: nothing to change")
	}
	return out, nil
}
