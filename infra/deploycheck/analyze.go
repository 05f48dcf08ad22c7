package deploycheck

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"go/ast"
	"go/constant"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"io"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
)

// Program is a set of the module's packages, type-checked from source (the
// dependencies outside the module from their compiled export data), for
// finding what a function's code does: the AWS operations it can reach and
// the environment variables it reads.
type Program struct {
	Module string // module path
	Root   string // module root directory
	fset   *token.FileSet
	pkgs   map[string]*pkg // module packages by import path
	order  []string        // module packages, dependencies first
}

type pkg struct {
	path  string
	dir   string
	files []*ast.File
	types *types.Package
	info  *types.Info
}

// listed is what `go list -json` says of one package.
type listed struct {
	ImportPath string
	Dir        string
	GoFiles    []string
	Export     string
	Standard   bool
	Module     *struct{ Path string }
	Error      *struct{ Err string }
}

// LoadProgram loads the packages matching patterns (e.g. "./functions/...")
// and every module package they depend on. It runs `go list -deps -export`
// in root, so the go command must be on PATH.
func LoadProgram(root string, patterns ...string) (*Program, error) {
	gobin, err := goCommand()
	if err != nil {
		return nil, err
	}
	args := append([]string{"list", "-deps", "-export", "-json=ImportPath,Dir,GoFiles,Export,Standard,Module,Error"}, patterns...)
	cmd := exec.Command(gobin, args...)
	cmd.Dir = root
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("load program: go list: %w: %s", err, strings.TrimSpace(stderr.String()))
	}
	modPath, err := modulePath(root)
	if err != nil {
		return nil, err
	}
	p := &Program{Module: modPath, Root: root, fset: token.NewFileSet(), pkgs: map[string]*pkg{}}
	exports := map[string]string{}
	var local []listed
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var l listed
		if err := dec.Decode(&l); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			return nil, fmt.Errorf("load program: decode go list: %w", err)
		}
		if l.Error != nil {
			return nil, fmt.Errorf("load program: %s: %s", l.ImportPath, l.Error.Err)
		}
		if l.Module != nil && l.Module.Path == modPath {
			local = append(local, l)
			continue
		}
		exports[l.ImportPath] = l.Export
	}
	gc := importer.ForCompiler(p.fset, "gc", func(path string) (io.ReadCloser, error) {
		f, ok := exports[path]
		if !ok || f == "" {
			return nil, fmt.Errorf("no export data for %s", path)
		}
		return os.Open(f)
	})
	imp := importerFunc(func(path string) (*types.Package, error) {
		if lp, ok := p.pkgs[path]; ok {
			return lp.types, nil
		}
		return gc.Import(path)
	})
	for _, l := range local { // go list -deps lists dependencies first
		lp := &pkg{path: l.ImportPath, dir: l.Dir}
		for _, name := range l.GoFiles {
			f, err := parser.ParseFile(p.fset, filepath.Join(l.Dir, name), nil, parser.SkipObjectResolution)
			if err != nil {
				return nil, fmt.Errorf("load program: %w", err)
			}
			lp.files = append(lp.files, f)
		}
		lp.info = &types.Info{
			Types:      map[ast.Expr]types.TypeAndValue{},
			Defs:       map[*ast.Ident]types.Object{},
			Uses:       map[*ast.Ident]types.Object{},
			Selections: map[*ast.SelectorExpr]*types.Selection{},
		}
		conf := types.Config{Importer: imp}
		lp.types, err = conf.Check(l.ImportPath, p.fset, lp.files, lp.info)
		if err != nil {
			return nil, fmt.Errorf("load program: type-check %s: %w", l.ImportPath, err)
		}
		p.pkgs[l.ImportPath] = lp
		p.order = append(p.order, l.ImportPath)
	}
	return p, nil
}

type importerFunc func(path string) (*types.Package, error)

func (f importerFunc) Import(path string) (*types.Package, error) { return f(path) }

// goCommand finds the go command that runs the tests.
func goCommand() (string, error) {
	if gr := os.Getenv("GOROOT"); gr != "" {
		if p := filepath.Join(gr, "bin", "go"); fileExists(p) {
			return p, nil
		}
	}
	p, err := exec.LookPath("go")
	if err != nil {
		return "", fmt.Errorf("find the go command: %w", err)
	}
	return p, nil
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// modulePath reads the module path from root/go.mod.
func modulePath(root string) (string, error) {
	b, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		return "", fmt.Errorf("read module path: %w", err)
	}
	for line := range strings.SplitSeq(string(b), "\n") {
		if rest, ok := strings.CutPrefix(strings.TrimSpace(line), "module "); ok {
			return strings.Trim(strings.TrimSpace(rest), `"`), nil
		}
	}
	return "", errors.New("read module path: go.mod has no module line")
}

// Analysis is what a function's code does, as far as its deployment cares.
type Analysis struct {
	// Operations are the AWS SDK operations the code can reach, as
	// "<sdk package>:<Operation>" ("dynamodb:Query", "sfn:StartExecution").
	Operations []string
	// Actions are the IAM actions those operations need ("states:StartExecution";
	// TransactWriteItems becomes the actions of the items it writes).
	Actions []string
	// TableQuery: a reachable Query or Scan reads the table itself;
	// IndexQuery: one names a secondary index.
	TableQuery, IndexQuery bool
	// Env are the environment variables the code reads (envconfig or os).
	Env []string
	// Funcs are the module's functions and methods the code can reach, by
	// full name ("github.com/candorhq/candor/shared/api.New").
	Funcs []string
}

// Reaches reports whether the code can reach the module function of that
// full name.
func (a Analysis) Reaches(fullName string) bool {
	_, found := slices.BinarySearch(a.Funcs, fullName)
	return found
}

const (
	sdkServicePrefix = "github.com/aws/aws-sdk-go-v2/service/"
	dynamoTypesPath  = sdkServicePrefix + "dynamodb/types"
	envconfigSuffix  = "/shared/envconfig"
)

// iamPrefix maps an SDK package to its IAM service prefix where they differ.
var iamPrefix = map[string]string{"sfn": "states", "sesv2": "ses"}

// operationActions maps an SDK operation to its IAM action where the two
// differ: S3's HEAD needs s3:GetObject, listing a bucket s3:ListBucket.
var operationActions = map[string]string{"s3:HeadObject": "s3:GetObject", "s3:ListObjectsV2": "s3:ListBucket"}

// transactItemActions: the IAM action each kind of transaction item needs.
var transactItemActions = map[string]string{
	"Put": "dynamodb:PutItem", "Update": "dynamodb:UpdateItem",
	"Delete": "dynamodb:DeleteItem", "ConditionCheck": "dynamodb:ConditionCheckItem",
}

// Analyze finds what the main package mainPath (an import path of the
// program) can do, following calls from main and the packages' initialisers:
// static calls, method values and function values (a reference counts as a
// call), and interface calls resolved to every module type that implements
// the interface (class hierarchy analysis). A module value handed to code
// outside the module as an interface is assumed to have that interface's
// methods called. Calls outside the module are not followed, except that an
// SDK client method or paginator counts as its operation.
func (p *Program) Analyze(mainPath string) (Analysis, error) {
	mp, ok := p.pkgs[mainPath]
	if !ok {
		return Analysis{}, fmt.Errorf("analyze %s: not loaded", mainPath)
	}
	mainFn, _ := mp.types.Scope().Lookup("main").(*types.Func)
	if mainFn == nil {
		return Analysis{}, fmt.Errorf("analyze %s: no func main", mainPath)
	}
	deps := p.depsOf(mainPath)
	a := &analyzer{p: p, deps: deps, decls: map[*types.Func]declRef{}, reached: map[*types.Func]bool{}, made: map[types.Type]bool{},
		ops: map[string]bool{}, literals: map[string]bool{}, env: map[string]bool{}}
	for _, path := range deps {
		lp := p.pkgs[path]
		for _, f := range lp.files {
			for _, d := range f.Decls {
				fd, ok := d.(*ast.FuncDecl)
				if !ok || fd.Body == nil {
					continue
				}
				if fn, ok := lp.info.Defs[fd.Name].(*types.Func); ok {
					a.decls[fn] = declRef{lp, fd}
				}
			}
		}
		for _, name := range lp.types.Scope().Names() {
			if tn, ok := lp.types.Scope().Lookup(name).(*types.TypeName); ok && !tn.IsAlias() {
				if n, ok := tn.Type().(*types.Named); ok && n.TypeParams().Len() > 0 {
					continue // generic: its instantiations are not enumerable here
				}
				if _, isIface := tn.Type().Underlying().(*types.Interface); !isIface {
					a.named = append(a.named, tn.Type())
				}
			}
		}
	}
	// Roots: main, every init function and every package-level initialiser.
	a.reach(mainFn)
	for _, path := range deps {
		lp := p.pkgs[path]
		for _, f := range lp.files {
			for _, d := range f.Decls {
				switch d := d.(type) {
				case *ast.FuncDecl:
					if d.Name.Name == "init" && d.Recv == nil {
						a.queue = append(a.queue, declRef{lp, d})
					}
				case *ast.GenDecl:
					if d.Tok == token.VAR {
						a.queue = append(a.queue, declRef{lp, d})
					}
				}
			}
		}
	}
	for len(a.queue) > 0 {
		d := a.queue[0]
		a.queue = a.queue[1:]
		a.visit(d)
	}
	a.findEnv()
	if len(a.errs) > 0 {
		return Analysis{}, fmt.Errorf("analyze %s: %w", mainPath, errors.Join(a.errs...))
	}
	return a.result(), nil
}

// depsOf lists the module packages path depends on, itself included.
func (p *Program) depsOf(path string) []string {
	seen := map[string]bool{}
	var walk func(string)
	walk = func(path string) {
		lp, ok := p.pkgs[path]
		if !ok || seen[path] {
			return
		}
		seen[path] = true
		for _, imp := range lp.types.Imports() {
			walk(imp.Path())
		}
	}
	walk(path)
	var out []string
	for _, path := range p.order {
		if seen[path] {
			out = append(out, path)
		}
	}
	return out
}

type declRef struct {
	pkg  *pkg
	node ast.Node // *ast.FuncDecl or a var *ast.GenDecl
}

// ifaceCall is a call of an interface method.
type ifaceCall struct {
	iface *types.Interface
	name  string
}

type analyzer struct {
	p        *Program
	deps     []string
	decls    map[*types.Func]declRef
	named    []types.Type        // the module's concrete named types
	made     map[types.Type]bool // those of them whose values reachable code handles
	calls    []ifaceCall         // interface methods called by reachable code
	reached  map[*types.Func]bool
	queue    []declRef
	ops      map[string]bool // "dynamodb:Query"
	literals map[string]bool // dynamodb transaction item kinds built, "Put", ...
	index    bool
	table    bool
	env      map[string]bool
	errs     []error
}

func (a *analyzer) reach(fn *types.Func) {
	fn = fn.Origin()
	if a.reached[fn] {
		return
	}
	a.reached[fn] = true
	if d, ok := a.decls[fn]; ok {
		a.queue = append(a.queue, d)
	}
}

func (a *analyzer) inModule(p *types.Package) bool {
	return p != nil && (p.Path() == a.p.Module || strings.HasPrefix(p.Path(), a.p.Module+"/"))
}

func (a *analyzer) visit(d declRef) {
	info := d.pkg.info
	ast.Inspect(d.node, func(n ast.Node) bool {
		if e, ok := n.(ast.Expr); ok {
			a.handles(info.TypeOf(e))
		}
		switch x := n.(type) {
		case *ast.Ident:
			if fn, ok := info.Uses[x].(*types.Func); ok {
				a.use(fn)
			}
			if v, ok := info.Defs[x].(*types.Var); ok {
				a.handles(v.Type())
			}
		case *ast.CallExpr:
			a.call(info, x)
		case *ast.CompositeLit:
			a.literal(info, x)
		case *ast.AssignStmt:
			for _, lhs := range x.Lhs {
				if sel, ok := lhs.(*ast.SelectorExpr); ok && sel.Sel.Name == "IndexName" && isSDKInput(info.TypeOf(sel.X), "Query", "Scan") {
					a.index = true
				}
			}
		}
		return true
	})
}

// use handles a reference to a function or method.
func (a *analyzer) use(fn *types.Func) {
	fn = fn.Origin()
	sig, _ := fn.Type().(*types.Signature)
	if op, ok := sdkOperation(fn, sig); ok {
		a.ops[op] = true
	}
	if sig != nil && sig.Recv() != nil {
		if iface, ok := sig.Recv().Type().Underlying().(*types.Interface); ok {
			a.implementations(iface, fn.Name())
			return
		}
	}
	if a.inModule(fn.Pkg()) {
		a.reach(fn)
	}
}

// implementations reaches method name of every module type implementing
// iface whose values reachable code handles, now or later (rapid type
// analysis: a type no reachable code makes cannot be behind the interface).
func (a *analyzer) implementations(iface *types.Interface, name string) {
	c := ifaceCall{iface, name}
	a.calls = append(a.calls, c)
	for t := range a.made {
		a.dispatch(c, t)
	}
}

// dispatch reaches the method a call c of an interface method would run on t.
func (a *analyzer) dispatch(c ifaceCall, t types.Type) {
	for _, typ := range []types.Type{t, types.NewPointer(t)} {
		if !types.Implements(typ, c.iface) {
			continue
		}
		obj, _, _ := types.LookupFieldOrMethod(typ, true, nil, c.name)
		if m, ok := obj.(*types.Func); ok {
			a.reach(m)
		}
		return
	}
}

// handles notes that reachable code handles values of t: if t is (a
// pointer to) a module type, the interface calls seen so far may run its methods.
func (a *analyzer) handles(t types.Type) {
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem()
	}
	n, ok := t.(*types.Named)
	if !ok || !a.inModule(n.Obj().Pkg()) {
		return
	}
	t = n.Origin()
	if a.made[t] {
		return
	}
	if _, isIface := t.Underlying().(*types.Interface); isIface {
		return
	}
	a.made[t] = true
	for _, c := range a.calls {
		a.dispatch(c, t)
	}
}

// call handles module values passed to code outside the module: if the
// parameter is an interface, its methods may be called there (an empty
// interface: any exported method, found by reflection or type assertion).
func (a *analyzer) call(info *types.Info, c *ast.CallExpr) {
	var callee *types.Func
	switch f := ast.Unparen(c.Fun).(type) {
	case *ast.Ident:
		callee, _ = info.Uses[f].(*types.Func)
	case *ast.SelectorExpr:
		callee, _ = info.Uses[f.Sel].(*types.Func)
	}
	if callee == nil || a.inModule(callee.Pkg()) {
		return
	}
	sig, _ := callee.Type().(*types.Signature)
	if sig == nil {
		return
	}
	for i, arg := range c.Args {
		var pt types.Type
		switch {
		case sig.Variadic() && i >= sig.Params().Len()-1:
			if s, ok := sig.Params().At(sig.Params().Len() - 1).Type().(*types.Slice); ok {
				pt = s.Elem()
			}
		case i < sig.Params().Len():
			pt = sig.Params().At(i).Type()
		}
		if pt == nil {
			continue
		}
		a.escape(info.TypeOf(arg), pt)
	}
}

// escape reaches the methods of a module value's type that code outside the
// module may call through target, an interface type. A value that is an
// interface already (a handler passed on as an http.Handler) may hold any
// module type implementing it: outside code may call each of its methods
// on any of them.
func (a *analyzer) escape(v, target types.Type) {
	iface, ok := target.Underlying().(*types.Interface)
	if !ok || v == nil {
		return
	}
	if vi, ok := v.Underlying().(*types.Interface); ok {
		for i := range vi.NumMethods() {
			a.implementations(vi, vi.Method(i).Name())
		}
		return
	}
	named := v
	if ptr, ok := v.(*types.Pointer); ok {
		named = ptr.Elem()
	}
	n, ok := named.(*types.Named)
	if !ok || !a.inModule(n.Obj().Pkg()) {
		return
	}
	ms := types.NewMethodSet(v)
	for i := range ms.Len() {
		m, ok := ms.At(i).Obj().(*types.Func)
		if !ok {
			continue
		}
		if iface.NumMethods() == 0 && !m.Exported() {
			continue
		}
		if iface.NumMethods() > 0 {
			if obj, _, _ := types.LookupFieldOrMethod(iface, false, nil, m.Name()); obj == nil {
				continue
			}
		}
		a.reach(m)
	}
}

// literal records the DynamoDB transaction items and index queries built.
func (a *analyzer) literal(info *types.Info, c *ast.CompositeLit) {
	t := info.TypeOf(c)
	if t == nil {
		return
	}
	if n, ok := t.(*types.Named); ok && n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == dynamoTypesPath {
		if _, ok := transactItemActions[n.Obj().Name()]; ok {
			a.literals[n.Obj().Name()] = true
		}
	}
	if isSDKInput(t, "Query", "Scan") {
		named := false
		for _, el := range c.Elts {
			if kv, ok := el.(*ast.KeyValueExpr); ok {
				if k, ok := kv.Key.(*ast.Ident); ok && k.Name == "IndexName" {
					named = true
				}
			}
		}
		a.index = a.index || named
		a.table = a.table || !named
	}
	// A module value stored in an interface field of a type outside the module.
	if st, ok := t.Underlying().(*types.Struct); ok {
		if n, ok := t.(*types.Named); ok && !a.inModule(n.Obj().Pkg()) {
			for _, el := range c.Elts {
				kv, ok := el.(*ast.KeyValueExpr)
				if !ok {
					continue
				}
				k, ok := kv.Key.(*ast.Ident)
				if !ok {
					continue
				}
				for i := range st.NumFields() {
					if st.Field(i).Name() == k.Name {
						a.escape(info.TypeOf(kv.Value), st.Field(i).Type())
					}
				}
			}
		}
	}
}

// isSDKInput reports whether t is (a pointer to) an SDK <op>Input of one of ops.
func isSDKInput(t types.Type, ops ...string) bool {
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem()
	}
	n, ok := t.(*types.Named)
	if !ok || n.Obj().Pkg() == nil || !strings.HasPrefix(n.Obj().Pkg().Path(), sdkServicePrefix) {
		return false
	}
	for _, op := range ops {
		if n.Obj().Name() == op+"Input" {
			return true
		}
	}
	return false
}

// sdkOperation recognises an SDK operation: a method whose second parameter
// is *<Op>Input of an SDK service package (client methods and the interfaces
// that mirror them), or a New<Op>Paginator / New<...>Waiter function.
func sdkOperation(fn *types.Func, sig *types.Signature) (string, bool) {
	if sig == nil || sig.Params().Len() < 2 {
		return "", false
	}
	ptr, ok := sig.Params().At(1).Type().(*types.Pointer)
	if !ok {
		return "", false
	}
	in, ok := ptr.Elem().(*types.Named)
	if !ok || in.Obj().Pkg() == nil {
		return "", false
	}
	svc, ok := strings.CutPrefix(in.Obj().Pkg().Path(), sdkServicePrefix)
	if !ok || strings.Contains(svc, "/") {
		return "", false
	}
	op, ok := strings.CutSuffix(in.Obj().Name(), "Input")
	if !ok {
		return "", false
	}
	name := fn.Name()
	if sig.Recv() == nil { // paginators and waiters name the operation they call
		if !strings.HasPrefix(name, "New") || !(strings.HasSuffix(name, "Paginator") || strings.HasSuffix(name, "Waiter")) {
			return "", false
		}
	} else if name != op && name != "Presign"+op && !(svc == "s3" && op == "PutObject" && name == "PresignPostObject") {
		// A presign method (PresignGetObject, and S3's PresignPostObject of
		// a PutObjectInput) signs the operation it names: the role needs
		// its action.
		return "", false
	}
	return svc + ":" + op, true
}

func (a *analyzer) result() Analysis {
	var r Analysis
	actions := map[string]bool{}
	for op := range a.ops {
		svc, name, _ := strings.Cut(op, ":")
		prefix := svc
		if p, ok := iamPrefix[svc]; ok {
			prefix = p
		}
		switch {
		case svc == "dynamodb" && name == "TransactWriteItems":
			for kind := range a.literals {
				actions[transactItemActions[kind]] = true
			}
		case svc == "dynamodb" && name == "TransactGetItems":
			actions["dynamodb:GetItem"] = true
		case operationActions[op] != "":
			actions[operationActions[op]] = true
		default:
			actions[prefix+":"+name] = true
		}
	}
	r.Operations = slices.Sorted(maps.Keys(a.ops))
	r.Actions = slices.Sorted(maps.Keys(actions))
	r.IndexQuery, r.TableQuery = a.index, a.table
	r.Env = slices.Sorted(maps.Keys(a.env))
	for fn := range a.reached {
		if a.inModule(fn.Pkg()) {
			r.Funcs = append(r.Funcs, fn.FullName())
		}
	}
	slices.Sort(r.Funcs)
	return r
}

// findEnv collects the variables read by reachable code: the first argument
// of the envconfig readers (Required, Optional, OneOf, Seconds, ...) and of
// os.Getenv / os.LookupEnv. A name that is not a constant is an error: the
// checks could not tell whether the template sets it.
func (a *analyzer) findEnv() {
	for fn := range a.reached {
		d, ok := a.decls[fn]
		if !ok {
			continue
		}
		if strings.HasSuffix(d.pkg.path, envconfigSuffix) {
			continue // its readers pass the caller's name along
		}
		info := d.pkg.info
		ast.Inspect(d.node, func(n ast.Node) bool {
			c, ok := n.(*ast.CallExpr)
			if !ok || len(c.Args) == 0 {
				return true
			}
			sel, ok := ast.Unparen(c.Fun).(*ast.SelectorExpr)
			if !ok {
				return true
			}
			callee, ok := info.Uses[sel.Sel].(*types.Func)
			if !ok || callee.Pkg() == nil {
				return true
			}
			readsEnv := false
			switch {
			case callee.Pkg().Path() == "os" && (callee.Name() == "Getenv" || callee.Name() == "LookupEnv"):
				readsEnv = true
			case strings.HasSuffix(callee.Pkg().Path(), envconfigSuffix) && callee.Exported():
				sig := callee.Type().(*types.Signature)
				readsEnv = sig.Recv() != nil && sig.Params().Len() > 0 && types.Identical(sig.Params().At(0).Type(), types.Typ[types.String]) &&
					sig.Params().At(0).Name() == "name"
			}
			if !readsEnv {
				return true
			}
			tv := info.Types[c.Args[0]]
			if tv.Value == nil || tv.Value.Kind() != constant.String {
				a.errs = append(a.errs, fmt.Errorf("%s: %s reads an environment variable whose name is not a constant", a.p.fset.Position(c.Pos()), callee.Name()))
				return true
			}
			a.env[constant.StringVal(tv.Value)] = true
			return true
		})
	}
}
