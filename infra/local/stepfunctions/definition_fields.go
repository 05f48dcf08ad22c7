package stepfunctions

// Field checks shared by every state type: paths, payload templates, integers.

import (
	"encoding/json"
	"math"

	"github.com/candorhq/candor/infra/local/stepfunctions/asl"
)

// pathKind says which grammar a path field follows.
type pathKind int

const (
	anyPath       pathKind = iota // a Path (InputPath, OutputPath)
	referencePath                 // a Reference Path (ItemsPath, SecondsPath, …)
	resultPath                    // a Reference Path not into the context object
)

// path compiles a path field. allowNull permits JSON null.
func (c *compiler) path(v any, loc, st, field string, allowNull bool, kind pathKind) (*asl.Path, bool) {
	if v == nil {
		if allowNull {
			return nil, true
		}
		c.add(loc, st, field, "must be a path string, not null")
		return nil, false
	}
	str, ok := v.(string)
	if !ok {
		c.add(loc, st, field, "must be a path string")
		return nil, false
	}
	var p *asl.Path
	var err error
	switch kind {
	case referencePath:
		p, err = asl.CompileReferencePath(str)
	case resultPath:
		p, err = asl.CompileResultPath(str)
	default:
		p, err = asl.CompilePath(str)
	}
	if err != nil {
		c.add(loc, st, field, "invalid path %q: %v", str, err)
		return nil, false
	}
	return p, false
}

func (c *compiler) template(v any, loc, st, field string) *asl.Template {
	t, err := asl.CompileTemplate(v)
	if err != nil {
		c.add(loc, st, field, "invalid payload template: %v", err)
		return nil
	}
	return t.WithSources(c.srcs)
}

// positiveInt checks an integer in [1, max].
func (c *compiler) positiveInt(v any, loc, st, field string, limit int64) int64 {
	n, ok := intValue(v)
	if !ok || n < 1 || n > limit {
		c.add(loc, st, field, "must be an integer from 1 to %d", limit)
		return 0
	}
	return n
}

func (c *compiler) nonNegativeInt(v any, loc, st, field string, limit int64) int64 {
	n, ok := intValue(v)
	if !ok || n < 0 || n > limit {
		c.add(loc, st, field, "must be an integer from 0 to %d", limit)
		return 0
	}
	return n
}

// intValue returns v as an integer if it is a JSON number with no
// fractional part.
func intValue(v any) (int64, bool) {
	num, ok := v.(json.Number)
	if !ok {
		return 0, false
	}
	if n, err := num.Int64(); err == nil {
		return n, true
	}
	f, err := num.Float64()
	if err != nil || f != math.Trunc(f) || math.Abs(f) > 1<<53 {
		return 0, false
	}
	return int64(f), true
}

func floatValue(v any) (float64, bool) {
	num, ok := v.(json.Number)
	if !ok {
		return 0, false
	}
	f, err := num.Float64()
	return f, err == nil
}
