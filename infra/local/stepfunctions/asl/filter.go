package asl

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
)

// fexpr is a compiled filter expression.
type fexpr interface {
	test(root, cur any) bool
}

type fOr struct{ l, r fexpr }
type fAnd struct{ l, r fexpr }
type fNot struct{ e fexpr }

// fExists is a bare operand: true when a path selects something, or when a
// literal is true.
type fExists struct{ o operand }

type fCmp struct {
	l, r operand
	op   string
}

func (e fOr) test(root, cur any) bool  { return e.l.test(root, cur) || e.r.test(root, cur) }
func (e fAnd) test(root, cur any) bool { return e.l.test(root, cur) && e.r.test(root, cur) }
func (e fNot) test(root, cur any) bool { return !e.e.test(root, cur) }

func (e fExists) test(root, cur any) bool {
	v, ok := e.o.value(root, cur)
	if !ok {
		return false
	}
	if e.o.kind == opLiteral {
		b, isBool := v.(bool)
		return isBool && b
	}
	return true
}

type operandKind uint8

const (
	opLiteral operandKind = iota
	opRelative
	opAbsolute
	opRegex
)

// operand is one side of a filter comparison.
type operand struct {
	kind operandKind
	lit  any
	re   *regexp.Regexp
	path *Path // steps and function of an @ or $ path
}

// value evaluates the operand; ok is false when a path selects nothing.
func (o operand) value(root, cur any) (any, bool) {
	switch o.kind {
	case opLiteral:
		return o.lit, true
	case opRelative:
		return o.path.evalFrom(cur, root)
	case opAbsolute:
		return o.path.evalFrom(root, root)
	}
	return nil, false
}

func (e fCmp) test(root, cur any) bool {
	l, lok := e.l.value(root, cur)
	if e.op == "=~" {
		s, isStr := l.(string)
		return lok && isStr && e.r.re.MatchString(s)
	}
	r, rok := e.r.value(root, cur)
	switch e.op {
	case "==":
		return lok && rok && jsonEqual(l, r)
	case "!=":
		return !(lok && rok && jsonEqual(l, r))
	}
	if !lok || !rok {
		return false
	}
	switch e.op {
	case "<", "<=", ">", ">=":
		c, ok := compareNumbers(l, r)
		if !ok {
			ls, lIsStr := l.(string)
			rs, rIsStr := r.(string)
			if !lIsStr || !rIsStr {
				return false
			}
			c = compareStrings(ls, rs)
		}
		switch e.op {
		case "<":
			return c < 0
		case "<=":
			return c <= 0
		case ">":
			return c > 0
		}
		return c >= 0
	case "in":
		return contains(r, l)
	case "nin":
		list, ok := r.([]any)
		return ok && !contains(list, l)
	case "contains":
		if s, ok := l.(string); ok {
			sub, ok := r.(string)
			return ok && strings.Contains(s, sub)
		}
		return contains(l, r)
	case "subsetof", "anyof", "noneof":
		ll, lIsList := l.([]any)
		rl, rIsList := r.([]any)
		if !lIsList || !rIsList {
			return false
		}
		n := 0
		for _, x := range ll {
			if contains(rl, x) {
				n++
			}
		}
		switch e.op {
		case "subsetof":
			return n == len(ll)
		case "anyof":
			return n > 0
		}
		return n == 0
	case "size":
		want, ok := toInt64(r)
		if !ok {
			return false
		}
		switch x := l.(type) {
		case []any:
			return int64(len(x)) == want
		case string:
			return int64(utf16Len(x)) == want
		}
		return false
	case "empty":
		want, ok := r.(bool)
		if !ok {
			return false
		}
		switch x := l.(type) {
		case []any:
			return (len(x) == 0) == want
		case string:
			return (x == "") == want
		}
		return false
	}
	return false
}

// contains reports whether list is an array holding a value equal to v.
func contains(list any, v any) bool {
	l, ok := list.([]any)
	if !ok {
		return false
	}
	for _, x := range l {
		if jsonEqual(x, v) {
			return true
		}
	}
	return false
}

// filterParser parses a filter expression after "[?" on the path parser's input.
type filterParser struct {
	*pathParser
}

func (fp *filterParser) parseOr() (fexpr, error) {
	l, err := fp.parseAnd()
	if err != nil {
		return nil, err
	}
	for {
		fp.skipSpace()
		if !strings.HasPrefix(fp.s[fp.pos:], "||") {
			return l, nil
		}
		fp.pos += 2
		r, err := fp.parseAnd()
		if err != nil {
			return nil, err
		}
		l = fOr{l, r}
	}
}

func (fp *filterParser) parseAnd() (fexpr, error) {
	l, err := fp.parseUnary()
	if err != nil {
		return nil, err
	}
	for {
		fp.skipSpace()
		if !strings.HasPrefix(fp.s[fp.pos:], "&&") {
			return l, nil
		}
		fp.pos += 2
		r, err := fp.parseUnary()
		if err != nil {
			return nil, err
		}
		l = fAnd{l, r}
	}
}

func (fp *filterParser) parseUnary() (fexpr, error) {
	fp.skipSpace()
	if fp.peek() == '!' && !strings.HasPrefix(fp.s[fp.pos:], "!=") {
		fp.pos++
		e, err := fp.parseUnary()
		if err != nil {
			return nil, err
		}
		return fNot{e}, nil
	}
	if fp.peek() == '(' {
		fp.pos++
		e, err := fp.parseOr()
		if err != nil {
			return nil, err
		}
		fp.skipSpace()
		if fp.peek() != ')' {
			return nil, fp.errorf("expected ')' in filter")
		}
		fp.pos++
		return e, nil
	}
	l, err := fp.parseOperand()
	if err != nil {
		return nil, err
	}
	fp.skipSpace()
	op := fp.parseOperator()
	if op == "" {
		return fExists{l}, nil
	}
	fp.skipSpace()
	if op == "=~" {
		if fp.peek() != '/' {
			return nil, fp.errorf("=~ expects a /regular expression/")
		}
	}
	r, err := fp.parseOperand()
	if err != nil {
		return nil, err
	}
	return fCmp{l: l, r: r, op: op}, nil
}

func (fp *filterParser) parseOperator() string {
	rest := fp.s[fp.pos:]
	for _, op := range []string{"==", "!=", "<=", ">=", "=~", "<", ">"} {
		if strings.HasPrefix(rest, op) {
			fp.pos += len(op)
			return op
		}
	}
	for _, op := range []string{"subsetof", "contains", "noneof", "anyof", "empty", "size", "nin", "in"} {
		if strings.HasPrefix(rest, op) && (len(rest) == len(op) || !isIdentByte(rest[len(op)])) {
			fp.pos += len(op)
			return op
		}
	}
	return ""
}

func isIdentByte(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

func (fp *filterParser) parseOperand() (operand, error) {
	fp.skipSpace()
	switch c := fp.peek(); {
	case c == '@' || c == '$':
		fp.pos++
		steps, fn, err := fp.parseSteps(true)
		if err != nil {
			return operand{}, err
		}
		p := &Path{steps: steps, fn: fn, definite: true}
		for i, st := range steps {
			if st.deep || (st.kind != selName && st.kind != selIndex && !(i == len(steps)-1 && st.kind == selNames)) {
				p.definite = false
			}
		}
		kind := opRelative
		if c == '$' {
			kind = opAbsolute
		}
		return operand{kind: kind, path: p}, nil
	case c == '/':
		return fp.parseRegex()
	case c == 0:
		return operand{}, fp.errorf("filter ends where an operand is expected")
	}
	v, err := fp.parseLiteral()
	if err != nil {
		return operand{}, err
	}
	return operand{kind: opLiteral, lit: v}, nil
}

func (fp *filterParser) parseRegex() (operand, error) {
	fp.pos++ // /
	var b strings.Builder
	for {
		if fp.pos >= len(fp.s) {
			return operand{}, fp.errorf("unterminated regular expression")
		}
		c := fp.s[fp.pos]
		if c == '/' {
			fp.pos++
			break
		}
		if c == '\\' && fp.pos+1 < len(fp.s) && fp.s[fp.pos+1] == '/' {
			b.WriteByte('/')
			fp.pos += 2
			continue
		}
		b.WriteByte(c)
		fp.pos++
	}
	flags := ""
	for fp.pos < len(fp.s) && strings.IndexByte("imsx", fp.s[fp.pos]) >= 0 {
		if fp.s[fp.pos] != 'x' {
			flags += string(fp.s[fp.pos])
		}
		fp.pos++
	}
	expr := "^(?:" + b.String() + ")$" // Jayway matches the whole string
	if flags != "" {
		expr = "(?" + flags + ")" + expr
	}
	re, err := regexp.Compile(expr)
	if err != nil {
		return operand{}, fmt.Errorf("invalid regular expression /%s/: %w", b.String(), err)
	}
	return operand{kind: opRegex, re: re}, nil
}

// parseLiteral reads a JSON-like literal: numbers, strings in single or double
// quotes, true, false, null, arrays and objects.
func (fp *filterParser) parseLiteral() (any, error) {
	fp.skipSpace()
	switch c := fp.peek(); {
	case c == '\'' || c == '"':
		return fp.parseQuoted()
	case c == '[':
		fp.pos++
		list := []any{}
		fp.skipSpace()
		if fp.peek() == ']' {
			fp.pos++
			return list, nil
		}
		for {
			v, err := fp.parseLiteral()
			if err != nil {
				return nil, err
			}
			list = append(list, v)
			fp.skipSpace()
			switch fp.peek() {
			case ',':
				fp.pos++
			case ']':
				fp.pos++
				return list, nil
			default:
				return nil, fp.errorf("expected ',' or ']' in array literal")
			}
		}
	case c == '{':
		fp.pos++
		obj := map[string]any{}
		fp.skipSpace()
		if fp.peek() == '}' {
			fp.pos++
			return obj, nil
		}
		for {
			fp.skipSpace()
			if c := fp.peek(); c != '\'' && c != '"' {
				return nil, fp.errorf("expected a quoted key in object literal")
			}
			k, err := fp.parseQuoted()
			if err != nil {
				return nil, err
			}
			fp.skipSpace()
			if fp.peek() != ':' {
				return nil, fp.errorf("expected ':' in object literal")
			}
			fp.pos++
			v, err := fp.parseLiteral()
			if err != nil {
				return nil, err
			}
			obj[k] = v
			fp.skipSpace()
			switch fp.peek() {
			case ',':
				fp.pos++
			case '}':
				fp.pos++
				return obj, nil
			default:
				return nil, fp.errorf("expected ',' or '}' in object literal")
			}
		}
	case c == '-' || (c >= '0' && c <= '9'):
		n, ok := scanNumber(fp.s[fp.pos:])
		if !ok {
			return nil, fp.errorf("invalid number")
		}
		fp.pos += len(n)
		return json.Number(n), nil
	}
	for _, w := range []struct {
		word string
		v    any
	}{{"true", true}, {"false", false}, {"null", nil}} {
		if strings.HasPrefix(fp.s[fp.pos:], w.word) {
			fp.pos += len(w.word)
			return w.v, nil
		}
	}
	return nil, fp.errorf("unexpected %q in filter", fp.peek())
}

// scanNumber returns the longest prefix of s that is a JSON number.
func scanNumber(s string) (string, bool) {
	i := 0
	if i < len(s) && s[i] == '-' {
		i++
	}
	digits := func() int {
		start := i
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		return i - start
	}
	if digits() == 0 {
		return "", false
	}
	if i < len(s) && s[i] == '.' {
		i++
		if digits() == 0 {
			return "", false
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		if digits() == 0 {
			return "", false
		}
	}
	return s[:i], true
}
