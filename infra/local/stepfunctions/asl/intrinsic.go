package asl

import (
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	randv2 "math/rand/v2"
	"strings"
)

// Sources supplies the randomness of States.MathRandom (without a seed) and
// States.UUID, so that tests can make them deterministic. A nil field uses the
// default: math/rand/v2 and a random (version 4) UUID from crypto/rand.
type Sources struct {
	Rand func() float64 // a number in [0,1)
	UUID func() string
}

func (s Sources) random() float64 {
	if s.Rand != nil {
		return s.Rand()
	}
	return randv2.Float64()
}

func (s Sources) uuid() string {
	if s.UUID != nil {
		return s.UUID()
	}
	var b [16]byte
	_, _ = rand.Read(b[:]) // never fails (crypto/rand)
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// maxIntrinsicDepth is how deeply intrinsic functions may nest in one field
// (AWS: "You can nest up to 10 intrinsic functions within a field").
const maxIntrinsicDepth = 10

// Intrinsic is a compiled intrinsic function call (spec "Intrinsic
// Functions", Appendix B), such as "States.Format('Hi {}', $.name)". It is
// immutable and safe for concurrent use.
type Intrinsic struct {
	src  string
	call *call
	srcs Sources
}

type argKind uint8

const (
	argLiteral argKind = iota
	argPath
	argCall
)

// iarg is one argument of a call.
type iarg struct {
	kind argKind
	lit  any    // string, json.Number, bool or nil
	raw  string // a string literal as written between the quotes
	str  bool   // the literal is a string
	path *Path
	call *call
}

type call struct {
	name string
	fn   *intrinsicFunc
	args []iarg
	// format is States.Format's template, parsed at load time when it is a
	// string literal.
	format []fmtPart
}

// CompileIntrinsic compiles expr, which must be a call of one of the States.*
// intrinsic functions. Load-time errors: bad syntax, an unknown function, a
// wrong number of arguments, invalid escapes in a string literal, invalid
// paths, nesting deeper than 10, and argument values wrong on their face
// (a States.Format template whose {} count does not match, an unknown
// States.Hash algorithm, a deep States.JsonMerge).
func CompileIntrinsic(expr string) (*Intrinsic, error) {
	ip := &intrinsicParser{s: expr}
	c, err := ip.parseCall(1)
	if err == nil {
		ip.skipSpace()
		if ip.pos != len(ip.s) {
			err = ip.errorf("unexpected %q after the call", ip.s[ip.pos])
		}
	}
	if err != nil {
		return nil, fmt.Errorf("compile intrinsic function %q: %w", expr, err)
	}
	return &Intrinsic{src: expr, call: c}, nil
}

// String returns the call as it was written.
func (f *Intrinsic) String() string { return f.src }

// WithSources returns a copy of f that draws randomness from s.
func (f *Intrinsic) WithSources(s Sources) *Intrinsic {
	g := *f
	g.srcs = s
	return &g
}

// Eval invokes the function on input (for "$" paths) and ctx (for "$$"
// paths). A failure is an *Error named ErrIntrinsicFailure, or ErrRuntime
// for a path argument that selects nothing (see EvalField).
func (f *Intrinsic) Eval(input, ctx any) (any, error) {
	return f.EvalField(input, ctx, "")
}

// EvalField is Eval for the function written in field (such as
// "CausePath"): a path argument that selects nothing is an *Error named
// ErrRuntime whose cause names the path and the field, as AWS's does.
func (f *Intrinsic) EvalField(input, ctx any, field string) (any, error) {
	env := &evalEnv{input: input, ctx: ctx, srcs: f.srcs}
	v, err := f.call.eval(env)
	var mp *missingArgError
	if errors.As(err, &mp) {
		return nil, missingPath(mp.path, field, env)
	}
	return v, err
}

// MissingPath is the States.Runtime error AWS raises when path p, written
// in field (such as "ErrorPath"), selects nothing in input (or, for a "$$"
// path, in the context object ctx).
func MissingPath(p *Path, field string, input, ctx any) *Error {
	return missingPath(p, field, &evalEnv{input: input, ctx: ctx})
}

type evalEnv struct {
	input, ctx any
	srcs       Sources
}

// missingArgError is an intrinsic function's path argument that selects
// nothing; a payload template reports it as States.Runtime naming its field.
type missingArgError struct {
	path *Path
	fn   string
}

func (e *missingArgError) Error() string {
	return fmt.Sprintf("the path argument '%s' of %s selects nothing", e.path.src, e.fn)
}

func (c *call) eval(env *evalEnv) (any, error) {
	args := make([]any, len(c.args))
	for i, a := range c.args {
		switch a.kind {
		case argLiteral:
			args[i] = a.lit
		case argPath:
			v, err := a.path.Get(env.input, env.ctx)
			if err != nil {
				return nil, &missingArgError{path: a.path, fn: c.name}
			}
			args[i] = v
		case argCall:
			v, err := a.call.eval(env)
			if err != nil {
				return nil, err
			}
			args[i] = v
		}
	}
	v, err := c.fn.eval(c, env, args)
	if err != nil {
		return nil, &Error{Name: ErrIntrinsicFailure, Cause: fmt.Sprintf("Invalid arguments in %s: %s", c.name, err.Error())}
	}
	return v, nil
}

// intrinsicParser reads an intrinsic function call.
type intrinsicParser struct {
	s   string
	pos int
}

func (ip *intrinsicParser) errorf(format string, args ...any) error {
	return fmt.Errorf(format+" at offset %d", append(args, ip.pos)...)
}

func (ip *intrinsicParser) skipSpace() {
	for ip.pos < len(ip.s) && isSpace(ip.s[ip.pos]) {
		ip.pos++
	}
}

func isNameByte(c byte) bool { return c == '.' || isIdentByte(c) }

func (ip *intrinsicParser) parseCall(depth int) (*call, error) {
	ip.skipSpace()
	start := ip.pos
	for ip.pos < len(ip.s) && isNameByte(ip.s[ip.pos]) {
		ip.pos++
	}
	name := ip.s[start:ip.pos]
	if name == "" {
		return nil, ip.errorf("expected an intrinsic function name")
	}
	if ip.pos >= len(ip.s) || ip.s[ip.pos] != '(' {
		return nil, ip.errorf("expected '(' after %s", name)
	}
	fn := lookupIntrinsic(name)
	if fn == nil {
		return nil, fmt.Errorf("unknown intrinsic function %s", name)
	}
	if depth > maxIntrinsicDepth {
		return nil, fmt.Errorf("intrinsic functions are nested deeper than %d", maxIntrinsicDepth)
	}
	ip.pos++ // (
	c := &call{name: name, fn: fn}
	ip.skipSpace()
	if ip.pos < len(ip.s) && ip.s[ip.pos] == ')' {
		ip.pos++
	} else {
		for {
			a, err := ip.parseArg(depth)
			if err != nil {
				return nil, err
			}
			c.args = append(c.args, a)
			ip.skipSpace()
			if ip.pos >= len(ip.s) {
				return nil, ip.errorf("unterminated argument list of %s", name)
			}
			if ip.s[ip.pos] == ',' {
				ip.pos++
				continue
			}
			if ip.s[ip.pos] == ')' {
				ip.pos++
				break
			}
			return nil, ip.errorf("expected ',' or ')' in the arguments of %s", name)
		}
	}
	if len(c.args) < fn.minArgs || (fn.maxArgs >= 0 && len(c.args) > fn.maxArgs) {
		return nil, fmt.Errorf("%s takes %s, got %d", name, fn.arity(), len(c.args))
	}
	if err := checkLiteralKinds(c); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if fn.check != nil {
		if err := fn.check(c); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
	}
	return c, nil
}

func (ip *intrinsicParser) parseArg(depth int) (iarg, error) {
	ip.skipSpace()
	if ip.pos >= len(ip.s) {
		return iarg{}, ip.errorf("expected an argument")
	}
	switch c := ip.s[ip.pos]; {
	case c == '\'':
		return ip.parseString()
	case c == '$':
		return ip.parsePathArg()
	case c == '-' || (c >= '0' && c <= '9'):
		n, ok := scanNumber(ip.s[ip.pos:])
		if !ok {
			return iarg{}, ip.errorf("invalid number")
		}
		ip.pos += len(n)
		return iarg{kind: argLiteral, lit: json.Number(n)}, nil
	case isNameByte(c):
		start := ip.pos
		for ip.pos < len(ip.s) && isNameByte(ip.s[ip.pos]) {
			ip.pos++
		}
		word := ip.s[start:ip.pos]
		if ip.pos < len(ip.s) && ip.s[ip.pos] == '(' {
			ip.pos = start
			nested, err := ip.parseCall(depth + 1)
			if err != nil {
				return iarg{}, err
			}
			return iarg{kind: argCall, call: nested}, nil
		}
		switch word {
		case "true":
			return iarg{kind: argLiteral, lit: true}, nil
		case "false":
			return iarg{kind: argLiteral, lit: false}, nil
		case "null":
			return iarg{kind: argLiteral, lit: nil}, nil
		}
		ip.pos = start
		return iarg{}, ip.errorf("unexpected %q (string literals are written in single quotes)", word)
	}
	return iarg{}, ip.errorf("unexpected %q where an argument is expected", ip.s[ip.pos])
}

// parseString reads a string literal in single quotes. \' \{ \} and \\ are the
// only escapes; any other backslash is an open escape and an error (spec
// "Intrinsic Functions", rule 6).
func (ip *intrinsicParser) parseString() (iarg, error) {
	ip.pos++ // '
	start := ip.pos
	var b strings.Builder
	for ip.pos < len(ip.s) {
		c := ip.s[ip.pos]
		switch c {
		case '\'':
			raw := ip.s[start:ip.pos]
			ip.pos++
			return iarg{kind: argLiteral, lit: b.String(), raw: raw, str: true}, nil
		case '\\':
			if ip.pos+1 >= len(ip.s) || strings.IndexByte(`'{}\`, ip.s[ip.pos+1]) < 0 {
				return iarg{}, ip.errorf(`open escape backslash (only \' \{ \} and \\ are escapes)`)
			}
			b.WriteByte(ip.s[ip.pos+1])
			ip.pos += 2
		default:
			b.WriteByte(c)
			ip.pos++
		}
	}
	return iarg{}, ip.errorf("unterminated string literal")
}

// parsePathArg reads a path up to the ',' or ')' that ends the argument,
// skipping over brackets, parentheses and quoted text inside the path.
func (ip *intrinsicParser) parsePathArg() (iarg, error) {
	start := ip.pos
	depth := 0
	var quote byte
	for ip.pos < len(ip.s) {
		c := ip.s[ip.pos]
		if quote != 0 {
			if c == '\\' {
				ip.pos++
			} else if c == quote {
				quote = 0
			}
			ip.pos++
			continue
		}
		switch c {
		case '\'', '"':
			quote = c
		case '\\':
			ip.pos++
		case '[', '(':
			depth++
		case ']':
			depth--
		case ')':
			if depth == 0 {
				goto done
			}
			depth--
		case ',':
			if depth == 0 {
				goto done
			}
		}
		ip.pos++
	}
done:
	text := strings.TrimRight(ip.s[start:ip.pos], " \t\r\n")
	p, err := CompilePath(text)
	if err != nil {
		return iarg{}, err
	}
	return iarg{kind: argPath, path: p}, nil
}
