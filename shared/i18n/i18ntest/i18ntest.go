// Package i18ntest checks catalogues in the format of package i18n, for the
// tests of the areas that have them. It is imported by tests only.
package i18ntest

import (
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

// Options tell Check which texts are exceptions to its rules, by path: the
// field names from the catalogue's root joined by ".", map keys and slice
// indexes in brackets ("Purposes[proof].MessageLabel", "Signoff[1]").
type Options struct {
	// Optional texts may be empty (a nil func or pointer, ""), in English
	// and then in every locale alike: a text one variant does not show.
	Optional []string
	// SameAsEnglish texts may be the English text in a translation (a
	// name such as "Spam").
	SameAsEnglish []string
	// Skip are fields that are not texts (a locale code, a separator).
	Skip []string
}

// A Leaf is one text of a catalogue: a string, or what a func field returns
// for the sample arguments Leaves passes it.
type Leaf struct {
	Path string
	Text string
	Func bool // written by a func field
	// Args are the string arguments the func was called with, for checks
	// of which ones the text shows.
	Args []string
}

// Arg returns the sample string Leaves passes as argument i (from 0) of a
// func field: text that no catalogue contains on its own.
func Arg(i int) string { return fmt.Sprintf("⟦%d⟧", i) }

// sampleTime is the time.Time Leaves passes to func fields.
var sampleTime = time.Date(2026, 11, 27, 9, 5, 0, 0, time.UTC)

// Leaves returns every text of cat (a struct or a pointer to one), in field
// order, map entries by sorted key. A func field is called with Arg(i) for
// each string argument, the numbers 1 and then 2 for int arguments (two
// leaves, "(1)" and "(2)" after the path, so that both forms of a plural
// are seen), and a fixed time for time.Time; a func returning []string
// gives one leaf per element. A nil func or pointer and an empty slice are
// one empty leaf.
func Leaves(cat any) []Leaf { return leaves(cat, nil) }

// leaves is Leaves without the fields at the paths of skip.
func leaves(cat any, skip []string) []Leaf {
	var out []Leaf
	walk(&out, "", reflect.ValueOf(cat), skip)
	return out
}

func walk(out *[]Leaf, path string, v reflect.Value, skip []string) {
	if slices.Contains(skip, path) {
		return
	}
	join := func(name string) string {
		if path == "" {
			return name
		}
		return path + "." + name
	}
	switch v.Kind() {
	case reflect.String:
		*out = append(*out, Leaf{Path: path, Text: v.String()})
	case reflect.Slice, reflect.Array:
		if v.Len() == 0 {
			*out = append(*out, Leaf{Path: path})
		}
		for i := range v.Len() {
			walk(out, fmt.Sprintf("%s[%d]", path, i), v.Index(i), skip)
		}
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			*out = append(*out, Leaf{Path: path})
			return
		}
		walk(out, path, v.Elem(), skip)
	case reflect.Struct:
		for i := range v.NumField() {
			f := v.Type().Field(i)
			if !f.IsExported() {
				panic("i18ntest: catalogue field " + join(f.Name) + " is not exported")
			}
			walk(out, join(f.Name), v.Field(i), skip)
		}
	case reflect.Map:
		keys := v.MapKeys()
		slices.SortFunc(keys, func(a, b reflect.Value) int { return strings.Compare(fmt.Sprint(a), fmt.Sprint(b)) })
		for _, k := range keys {
			walk(out, fmt.Sprintf("%s[%v]", path, k), v.MapIndex(k), skip)
		}
	case reflect.Func:
		callFunc(out, path, v)
	default:
		panic(fmt.Sprintf("i18ntest: catalogue field %s has kind %s, want string, slice, struct, map, pointer or func", path, v.Kind()))
	}
}

// callFunc adds the leaves of a func field.
func callFunc(out *[]Leaf, path string, v reflect.Value) {
	if v.IsNil() {
		*out = append(*out, Leaf{Path: path})
		return
	}
	t := v.Type()
	hasInt := false
	for i := range t.NumIn() {
		hasInt = hasInt || t.In(i).Kind() == reflect.Int
	}
	ns := []int{0}
	if hasInt {
		ns = []int{1, 2}
	}
	for _, n := range ns {
		args := make([]reflect.Value, t.NumIn())
		var strs []string
		for i := range t.NumIn() {
			switch in := t.In(i); {
			case in.Kind() == reflect.String:
				args[i] = reflect.ValueOf(Arg(i)).Convert(in)
				strs = append(strs, Arg(i))
			case in.Kind() == reflect.Int:
				args[i] = reflect.ValueOf(n).Convert(in)
			case in == reflect.TypeFor[time.Time]():
				args[i] = reflect.ValueOf(sampleTime)
			default:
				panic(fmt.Sprintf("i18ntest: func field %s takes a %s; want string, int or time.Time arguments", path, in))
			}
		}
		p := path
		if hasInt {
			p = fmt.Sprintf("%s(%d)", path, n)
		}
		res := v.Call(args)
		if len(res) != 1 {
			panic("i18ntest: func field " + path + " must return one value")
		}
		switch r := res[0]; r.Kind() {
		case reflect.String:
			*out = append(*out, Leaf{Path: p, Text: r.String(), Func: true, Args: strs})
		case reflect.Slice:
			if r.Len() == 0 {
				*out = append(*out, Leaf{Path: p, Func: true, Args: strs})
			}
			for i := range r.Len() {
				*out = append(*out, Leaf{Path: fmt.Sprintf("%s[%d]", p, i), Text: r.Index(i).String(), Func: true, Args: strs})
			}
		default:
			panic("i18ntest: func field " + path + " must return a string or []string")
		}
	}
}

// Check checks the catalogues of an area, keyed by locale ("en" is the
// reference and must be present):
//
//   - every locale has the same texts as English (the same map keys, the
//     same number of paragraphs);
//   - no text is empty or only white space, unless opt lists it as
//     optional, and then it is empty exactly where English's is;
//   - every string argument of a func field is shown by its text in at
//     least one locale, for at least one map entry (else the argument is
//     dead);
//   - no translation is the English text, unless opt allows it.
func Check(t testing.TB, cats map[string]any, opt Options) {
	t.Helper()
	en, ok := cats["en"]
	if !ok {
		t.Fatal("i18ntest: no English catalogue")
	}
	ref := leaves(en, opt.Skip)
	byPath := map[string]Leaf{}
	for _, l := range ref {
		byPath[l.Path] = l
	}
	shown := map[string]bool{} // path + argument shown somewhere
	for _, locale := range slices.Sorted(maps.Keys(cats)) {
		leaves := leaves(cats[locale], opt.Skip)
		paths := map[string]bool{}
		for _, l := range leaves {
			paths[l.Path] = true
			e, inEnglish := byPath[l.Path]
			if !inEnglish {
				t.Errorf("%s %s: not in the English catalogue", locale, l.Path)
				continue
			}
			empty := strings.TrimSpace(l.Text) == ""
			switch {
			case empty && !optional(opt, l.Path):
				t.Errorf("%s %s: empty", locale, l.Path)
			case empty != (strings.TrimSpace(e.Text) == ""):
				t.Errorf("%s %s: empty=%t, but empty=%t in English", locale, l.Path, empty, !empty)
			}
			for _, a := range l.Args {
				if strings.Contains(l.Text, a) {
					shown[fieldPath(l.Path)+" "+a] = true
				}
			}
			if locale != "en" && !empty && l.Text == e.Text && !slices.Contains(opt.SameAsEnglish, l.Path) {
				t.Errorf("%s %s: %q is the English text", locale, l.Path, l.Text)
			}
		}
		for _, l := range ref {
			if !paths[l.Path] {
				t.Errorf("%s: lacks %s", locale, l.Path)
			}
		}
	}
	reported := map[string]bool{}
	for _, l := range ref {
		for _, a := range l.Args {
			key := fieldPath(l.Path) + " " + a
			if strings.TrimSpace(l.Text) != "" && !shown[key] && !reported[key] {
				reported[key] = true
				t.Errorf("%s: argument %d is shown in no locale", fieldPath(l.Path), argIndex(a))
			}
		}
	}
}

// optional reports whether opt lets the text at path be empty.
func optional(opt Options, path string) bool {
	return slices.Contains(opt.Optional, path) || slices.Contains(opt.Optional, basePath(path))
}

// basePath is a func leaf's path without the sample count and paragraph
// index that Leaves adds.
func basePath(path string) string {
	if i := strings.LastIndex(path, "("); i > strings.LastIndex(path, ".") && i >= 0 {
		return path[:i]
	}
	if strings.HasSuffix(path, "]") {
		if i := strings.LastIndex(path, "["); i > strings.LastIndex(path, ".") {
			return basePath(path[:i])
		}
	}
	return path
}

// fieldPath is the struct field a leaf belongs to: its path without map
// keys, slice indexes and sample counts ("Purposes.Notes").
func fieldPath(path string) string {
	var b strings.Builder
	depth := 0
	for _, r := range path {
		switch {
		case r == '[' || r == '(':
			depth++
		case r == ']' || r == ')':
			depth--
		case depth == 0:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// argIndex returns i for Arg(i).
func argIndex(a string) int {
	var i int
	_, _ = fmt.Sscanf(a, "⟦%d⟧", &i)
	return i
}
