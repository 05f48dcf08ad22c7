package asl

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Path is a compiled JSONPath (spec "Paths", syntax of Jayway JsonPath). A
// Path that starts with "$$" applies to the Context Object, any other to the
// input. A Path is immutable and safe for concurrent use.
//
// Supported syntax: $, .name (backslash escapes any character, as in the
// spec's Reference Path examples), ['name'] and ["name"], ['a','b'] (at the
// end of a path it selects an object of those members, as Jayway does),
// [n] and [n,m] (negative n counts from the end), [start:end] slices, * and
// [*], the descendant operator .., filters [?(...)] and a trailing function
// length(), min(), max(), avg(), sum(), stddev(), first(), last() or keys().
//
// Filters compare with == != < <= > >= =~ (/regex/flags, matched against
// the whole string) in nin subsetof anyof noneof contains size empty,
// combine with && || ! and parentheses, and test existence with a bare path.
// Operands are @-relative or $-absolute paths and literals (numbers, 'text'
// or "text", true, false, null, JSON arrays and objects).
type Path struct {
	src      string
	context  bool
	steps    []step
	fn       string // trailing function, "" if none
	definite bool   // selects at most one node: Get returns a value, not a list
	simple   bool   // only single names and single indices: a Reference Path
	norm     string // Jayway's normalised form, used in error causes
	// special is set when a dot-notation name holds one of the characters a
	// Reference Path must escape ("@", ",", ":", "?" and the like).
	special bool
}

type selKind uint8

const (
	selName     selKind = iota // one member
	selNames                   // a union of members
	selIndex                   // one array index
	selIndices                 // a union of array indices
	selWildcard                // every member or element
	selSlice                   // an array slice
	selFilter                  // a filter expression
)

// step is one selector of a path, optionally applied to every descendant.
type step struct {
	kind     selKind
	deep     bool
	names    []string
	indices  []int
	start    int
	end      int
	hasStart bool
	hasEnd   bool
	filter   fexpr
}

// CompilePath compiles s, which must be a valid Path (spec "Paths"). The error
// explains what is wrong and where.
func CompilePath(s string) (*Path, error) {
	p, err := parsePath(s)
	if err != nil {
		return nil, fmt.Errorf("compile path %q: %w", s, err)
	}
	return p, nil
}

// CompileReferencePath compiles s, which must be a valid Reference Path (spec
// "Reference Paths"): only .name, ['name'] and [index] steps, so that it
// addresses at most one node. Wildcards, filters, slices, unions, functions and
// the descendant operator are rejected, as are the characters "@", ",", ":" and
// "?" unless escaped with a backslash.
func CompileReferencePath(s string) (*Path, error) {
	p, err := parsePath(s)
	if err != nil {
		return nil, fmt.Errorf("compile reference path %q: %w", s, err)
	}
	if !p.simple {
		return nil, fmt.Errorf("compile reference path %q: %w", s, errNotReference)
	}
	if p.special {
		return nil, fmt.Errorf("compile reference path %q: %w", s, errReferenceSpecial)
	}
	return p, nil
}

var (
	errNotReference     = errors.New("a reference path may only use .name, ['name'] and [index] steps (no wildcards, filters, slices, unions, functions or '..')")
	errReferenceSpecial = errors.New(`the characters "@", ",", ":", "?", "*", ")", "'" and '"' must be escaped with a backslash in a reference path`)
)

// String returns the path as it was written.
func (p *Path) String() string { return p.src }

// IsContext reports whether the path starts with "$$" and so applies to the
// Context Object.
func (p *Path) IsContext() bool { return p.context }

// Definite reports whether the path addresses at most one node, so that Get
// returns that node; an indefinite path (wildcards, filters, slices, unions,
// "..") makes Get return a list of every match.
func (p *Path) Definite() bool { return p.definite }

func parsePath(s string) (*Path, error) {
	if !strings.HasPrefix(s, "$") {
		return nil, errors.New("a path must begin with '$'")
	}
	p := &Path{src: s}
	off := 1
	if strings.HasPrefix(s, "$$") {
		p.context = true
		off = 2
	}
	if off < len(s) && s[off] != '.' && s[off] != '[' {
		return nil, fmt.Errorf("unexpected %q at offset %d after '$' (state machine variables are not supported)", s[off], off)
	}
	pp := &pathParser{s: s, pos: off}
	steps, fn, err := pp.parseSteps(false)
	if err != nil {
		return nil, err
	}
	if pp.pos != len(s) {
		return nil, fmt.Errorf("unexpected %q at offset %d", s[pp.pos], pp.pos)
	}
	p.steps, p.fn, p.special = steps, fn, pp.special
	p.simple = fn == ""
	p.definite = true
	for i, st := range steps {
		single := !st.deep && (st.kind == selName || st.kind == selIndex)
		if !single {
			p.simple = false
			// A union of members at the end of a path selects one merged object.
			if !(i == len(steps)-1 && !st.deep && st.kind == selNames) {
				p.definite = false
			}
		}
	}
	p.norm = normalise(steps)
	return p, nil
}

// normalise renders steps the way Jayway prints a path in its messages:
// $['a'][0][*].
func normalise(steps []step) string {
	var b strings.Builder
	b.WriteString("$")
	for _, st := range steps {
		if st.deep {
			b.WriteString("..")
		}
		b.WriteString(stepString(st))
	}
	return b.String()
}

func stepString(st step) string {
	switch st.kind {
	case selName, selNames:
		q := make([]string, len(st.names))
		for i, n := range st.names {
			q[i] = "'" + n + "'"
		}
		return "[" + strings.Join(q, ",") + "]"
	case selIndex, selIndices:
		q := make([]string, len(st.indices))
		for i, n := range st.indices {
			q[i] = strconv.Itoa(n)
		}
		return "[" + strings.Join(q, ",") + "]"
	case selWildcard:
		return "[*]"
	case selSlice:
		var b strings.Builder
		b.WriteString("[")
		if st.hasStart {
			b.WriteString(strconv.Itoa(st.start))
		}
		b.WriteString(":")
		if st.hasEnd {
			b.WriteString(strconv.Itoa(st.end))
		}
		b.WriteString("]")
		return b.String()
	}
	return "[?]"
}

// pathParser reads path steps from s starting at pos. Filters reuse it for
// their @ and $ operands.
type pathParser struct {
	s       string
	pos     int
	special bool
}

func (pp *pathParser) errorf(format string, args ...any) error {
	return fmt.Errorf(format+" at offset %d", append(args, pp.pos)...)
}

func (pp *pathParser) peek() byte {
	if pp.pos < len(pp.s) {
		return pp.s[pp.pos]
	}
	return 0
}

func (pp *pathParser) skipSpace() {
	for pp.pos < len(pp.s) && isSpace(pp.s[pp.pos]) {
		pp.pos++
	}
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// parseSteps reads steps until the end of the input or, inside a filter, until
// a character that cannot continue a path.
func (pp *pathParser) parseSteps(inFilter bool) ([]step, string, error) {
	var steps []step
	for pp.pos < len(pp.s) {
		switch pp.s[pp.pos] {
		case '.':
			pp.pos++
			deep := false
			if pp.peek() == '.' {
				deep = true
				pp.pos++
			}
			switch c := pp.peek(); {
			case c == 0:
				return nil, "", pp.errorf("path ends after '.'")
			case c == '*':
				pp.pos++
				steps = append(steps, step{kind: selWildcard, deep: deep})
			case c == '[':
				st, err := pp.parseBracket()
				if err != nil {
					return nil, "", err
				}
				st.deep = deep
				steps = append(steps, st)
			default:
				name, err := pp.parseDotName(inFilter)
				if err != nil {
					return nil, "", err
				}
				if pp.peek() == '(' {
					if deep {
						return nil, "", pp.errorf("a function cannot follow '..'")
					}
					fn, err := pp.parseFunction(name)
					if err != nil {
						return nil, "", err
					}
					return steps, fn, nil
				}
				steps = append(steps, step{kind: selName, deep: deep, names: []string{name}})
			}
		case '[':
			st, err := pp.parseBracket()
			if err != nil {
				return nil, "", err
			}
			steps = append(steps, st)
		default:
			if inFilter {
				return steps, "", nil
			}
			return nil, "", pp.errorf("unexpected %q", pp.s[pp.pos])
		}
	}
	return steps, "", nil
}

// pathFunctions are the Jayway functions a Path may end with.
func isPathFunction(name string) bool {
	switch name {
	case "length", "min", "max", "avg", "sum", "stddev", "first", "last", "keys":
		return true
	}
	return false
}

func (pp *pathParser) parseFunction(name string) (string, error) {
	if !isPathFunction(name) {
		return "", pp.errorf("unknown path function %s()", name)
	}
	pp.pos++ // (
	pp.skipSpace()
	if pp.peek() != ')' {
		return "", pp.errorf("path function %s() takes no arguments", name)
	}
	pp.pos++
	return name, nil
}

// parseDotName reads a member name in dot notation. A backslash escapes the
// next character. Outside filters the name ends at '.', '[' or '('; inside a
// filter also at white space and operator characters.
func (pp *pathParser) parseDotName(inFilter bool) (string, error) {
	var b strings.Builder
	start := pp.pos
	for pp.pos < len(pp.s) {
		c := pp.s[pp.pos]
		if c == '\\' {
			if pp.pos+1 >= len(pp.s) {
				return "", pp.errorf("dangling escape character")
			}
			r, n := utf8.DecodeRuneInString(pp.s[pp.pos+1:])
			b.WriteRune(r)
			pp.pos += 1 + n
			continue
		}
		if c == '.' || c == '[' || c == '(' {
			break
		}
		if inFilter && (isSpace(c) || strings.IndexByte("=!<>&|),]", c) >= 0) {
			break
		}
		if isSpace(c) {
			return "", pp.errorf("white space in a member name (use bracket notation ['my name'])")
		}
		if c == ']' {
			return "", pp.errorf("unescaped ']' in a member name")
		}
		if strings.IndexByte("@,:?*)'\"", c) >= 0 {
			pp.special = true
		}
		r, n := utf8.DecodeRuneInString(pp.s[pp.pos:])
		b.WriteRune(r)
		pp.pos += n
	}
	if pp.pos == start {
		return "", pp.errorf("empty member name")
	}
	return b.String(), nil
}

// parseBracket reads a bracketed selector starting at '['.
func (pp *pathParser) parseBracket() (step, error) {
	pp.pos++ // [
	pp.skipSpace()
	var st step
	switch c := pp.peek(); {
	case c == '*':
		pp.pos++
		st = step{kind: selWildcard}
	case c == '\'' || c == '"':
		var names []string
		for {
			name, err := pp.parseQuoted()
			if err != nil {
				return step{}, err
			}
			names = append(names, name)
			pp.skipSpace()
			if pp.peek() != ',' {
				break
			}
			pp.pos++
			pp.skipSpace()
			if c := pp.peek(); c != '\'' && c != '"' {
				return step{}, pp.errorf("expected a quoted member name")
			}
		}
		st = step{kind: selNames, names: names}
		if len(names) == 1 {
			st.kind = selName
		}
	case c == '?':
		pp.pos++
		fp := &filterParser{pathParser: pp}
		e, err := fp.parseOr()
		if err != nil {
			return step{}, err
		}
		st = step{kind: selFilter, filter: e}
	case c == '-' || c == ':' || (c >= '0' && c <= '9'):
		var err error
		st, err = pp.parseIndexOrSlice()
		if err != nil {
			return step{}, err
		}
	case c == 0:
		return step{}, pp.errorf("unterminated '['")
	default:
		return step{}, pp.errorf("unexpected %q in brackets", c)
	}
	pp.skipSpace()
	if pp.peek() != ']' {
		return step{}, pp.errorf("expected ']'")
	}
	pp.pos++
	return st, nil
}

func (pp *pathParser) parseInt() (int, bool, error) {
	start := pp.pos
	if pp.peek() == '-' {
		pp.pos++
	}
	for pp.pos < len(pp.s) && pp.s[pp.pos] >= '0' && pp.s[pp.pos] <= '9' {
		pp.pos++
	}
	if pp.pos == start {
		return 0, false, nil
	}
	n, err := strconv.Atoi(pp.s[start:pp.pos])
	if err != nil {
		pp.pos = start
		return 0, false, pp.errorf("invalid index %q", pp.s[start:pp.pos])
	}
	return n, true, nil
}

func (pp *pathParser) parseIndexOrSlice() (step, error) {
	first, hasFirst, err := pp.parseInt()
	if err != nil {
		return step{}, err
	}
	pp.skipSpace()
	if pp.peek() == ':' {
		pp.pos++
		pp.skipSpace()
		end, hasEnd, err := pp.parseInt()
		if err != nil {
			return step{}, err
		}
		pp.skipSpace()
		if pp.peek() == ':' {
			return step{}, pp.errorf("slice steps are not supported")
		}
		return step{kind: selSlice, start: first, hasStart: hasFirst, end: end, hasEnd: hasEnd}, nil
	}
	if !hasFirst {
		return step{}, pp.errorf("expected an index")
	}
	indices := []int{first}
	for pp.peek() == ',' {
		pp.pos++
		pp.skipSpace()
		n, ok, err := pp.parseInt()
		if err != nil {
			return step{}, err
		}
		if !ok {
			return step{}, pp.errorf("expected an index")
		}
		indices = append(indices, n)
		pp.skipSpace()
	}
	if len(indices) == 1 {
		return step{kind: selIndex, indices: indices}, nil
	}
	return step{kind: selIndices, indices: indices}, nil
}

// parseQuoted reads a string in single or double quotes. A backslash escapes
// the enclosing quote and a backslash; \n \t \r \b \f and \uXXXX have their
// JSON meaning; before any other character it stands for itself (recorded on
// AWS: $['Test\""Name"'] selects the member Test\""Name").
func (pp *pathParser) parseQuoted() (string, error) {
	q := pp.s[pp.pos]
	pp.pos++
	var b strings.Builder
	for pp.pos < len(pp.s) {
		c := pp.s[pp.pos]
		switch {
		case c == q:
			pp.pos++
			return b.String(), nil
		case c == '\\':
			if pp.pos+1 >= len(pp.s) {
				return "", pp.errorf("dangling escape character")
			}
			e := pp.s[pp.pos+1]
			pp.pos += 2
			switch e {
			case 'n':
				b.WriteByte('\n')
			case 't':
				b.WriteByte('\t')
			case 'r':
				b.WriteByte('\r')
			case 'b':
				b.WriteByte('\b')
			case 'f':
				b.WriteByte('\f')
			case 'u':
				if pp.pos+4 > len(pp.s) {
					return "", pp.errorf("short \\u escape")
				}
				n, err := strconv.ParseUint(pp.s[pp.pos:pp.pos+4], 16, 16)
				if err != nil {
					return "", pp.errorf("invalid \\u escape")
				}
				b.WriteRune(rune(n))
				pp.pos += 4
			case q, '\\':
				b.WriteByte(e)
			default:
				b.WriteByte('\\')
				pp.pos -= 1
				r, n := utf8.DecodeRuneInString(pp.s[pp.pos:])
				b.WriteRune(r)
				pp.pos += n
			}
		default:
			r, n := utf8.DecodeRuneInString(pp.s[pp.pos:])
			b.WriteRune(r)
			pp.pos += n
		}
	}
	return "", pp.errorf("unterminated quoted name")
}
