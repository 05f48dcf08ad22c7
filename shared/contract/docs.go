package contract

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"html/template"
	"net/http"
	"slices"
	"sort"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/util"
)

//go:embed docs.html.tmpl
var docsFS embed.FS

var docsTmpl = template.Must(template.New("docs.html.tmpl").Funcs(template.FuncMap{"md": markdown}).ParseFS(docsFS, "docs.html.tmpl"))

// md renders CommonMark. Raw HTML in the text is shown as text, escaped
// (escapedHTML), and links to dangerous schemes (javascript:, vbscript:,
// file:, data:) are dropped: nothing of a description reaches the page
// unescaped.
var md = goldmark.New(goldmark.WithRendererOptions(
	renderer.WithNodeRenderers(util.Prioritized(escapedHTML{}, 0)),
))

// escapedHTML renders the raw HTML of a description — inline or a block —
// as the text it is, escaped.
type escapedHTML struct{}

func (escapedHTML) RegisterFuncs(r renderer.NodeRendererFuncRegisterer) {
	r.Register(ast.KindRawHTML, func(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering {
			segs := n.(*ast.RawHTML).Segments
			for i := 0; i < segs.Len(); i++ {
				seg := segs.At(i)
				_, _ = w.WriteString(template.HTMLEscapeString(string(seg.Value(src))))
			}
		}
		return ast.WalkSkipChildren, nil
	})
	r.Register(ast.KindHTMLBlock, func(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		_, _ = w.WriteString("<p>")
		lines := n.Lines()
		for i := 0; i < lines.Len(); i++ {
			seg := lines.At(i)
			_, _ = w.WriteString(template.HTMLEscapeString(string(seg.Value(src))))
		}
		if b := n.(*ast.HTMLBlock); b.HasClosure() {
			_, _ = w.WriteString(template.HTMLEscapeString(string(b.ClosureLine.Value(src))))
		}
		_, _ = w.WriteString("</p>\n")
		return ast.WalkSkipChildren, nil
	})
}

// markdown renders a description — paragraphs, lists, `code`, **bold**,
// links — as HTML. A description of one paragraph is rendered without its
// <p>, so that it reads inline in a table cell.
func markdown(s string) template.HTML {
	var b bytes.Buffer
	if err := md.Convert([]byte(s), &b); err != nil {
		return template.HTML(template.HTMLEscapeString(s))
	}
	out := strings.TrimSpace(b.String())
	if inner, ok := strings.CutPrefix(out, "<p>"); ok {
		if inner, ok = strings.CutSuffix(inner, "</p>"); ok && !strings.Contains(inner, "<p>") {
			out = inner
		}
	}
	return template.HTML(out)
}

// DocsCSP is the Content-Security-Policy of the docs page: no script, no
// outside resource, its own inline style only.
const DocsCSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"

type docsPage struct {
	Title, Version, Description string
	Servers                     []string
	Security                    string
	Tags                        []docsTag
	Schemas                     []docsSchema
	Responses                   []docsSchema
}

type docsTag struct {
	Name, Description string
	Ops               []docsOp
}

type docsOp struct {
	Anchor, Method, Path, Summary, Description, Access string
	Params                                             []docsField
	Body                                               *docsBody
	Responses                                          []docsResponse
}

type docsField struct {
	Name, In, Type, Description, TypeLink string
	Required                              bool
}

type docsBody struct {
	Required    bool
	Media, Type string
	TypeLink    string
	Example     string
}

type docsResponse struct {
	Status, Description, Media, Type, TypeLink, Headers, Example string
}

type docsSchema struct {
	Anchor, Name, Description, Type, Composition string
	Enum                                         []string
	Props                                        []docsField
	Closed                                       bool
	Example                                      string
}

// HTML renders the description as one self-contained, readable page: the
// operations by tag with their access, parameters, bodies and responses,
// then every schema with its fields. Every text of the description is
// escaped (html/template); the page has no script and loads nothing.
func (s *Spec) HTML() ([]byte, error) {
	p := docsPage{}
	info, _ := s.doc["info"].(map[string]any)
	p.Title, _ = info["title"].(string)
	p.Version, _ = info["version"].(string)
	p.Description, _ = info["description"].(string)
	servers, _ := s.doc["servers"].([]any)
	for _, sv := range servers {
		m, _ := sv.(map[string]any)
		u, _ := m["url"].(string)
		d, _ := m["description"].(string)
		p.Servers = append(p.Servers, u+" — "+d)
	}
	if sch, err := s.at("/components/securitySchemes/bearerAuth"); err == nil {
		m, _ := sch.(map[string]any)
		p.Security, _ = m["description"].(string)
	}
	tagIndex := map[string]int{}
	tags, _ := s.doc["tags"].([]any)
	for _, t := range tags {
		m, _ := t.(map[string]any)
		name, _ := m["name"].(string)
		desc, _ := m["description"].(string)
		tagIndex[name] = len(p.Tags)
		p.Tags = append(p.Tags, docsTag{Name: name, Description: desc})
	}
	for _, op := range s.ops {
		v, err := s.docsOperation(op)
		if err != nil {
			return nil, err
		}
		raw, _, _ := s.deref(op.ptr)
		tag := "other"
		if ts, _ := raw["tags"].([]any); len(ts) > 0 {
			tag, _ = ts[0].(string)
		}
		i, ok := tagIndex[tag]
		if !ok {
			i = len(p.Tags)
			tagIndex[tag] = i
			p.Tags = append(p.Tags, docsTag{Name: tag})
		}
		p.Tags[i].Ops = append(p.Tags[i].Ops, v)
	}
	schemas, _ := s.at("/components/schemas")
	sm, _ := schemas.(map[string]any)
	for _, name := range slices.Sorted(mapKeys(sm)) {
		node, _ := sm[name].(map[string]any)
		p.Schemas = append(p.Schemas, s.docsSchema(name, node))
	}
	var buf bytes.Buffer
	if err := docsTmpl.Execute(&buf, p); err != nil {
		return nil, fmt.Errorf("contract: render docs: %w", err)
	}
	return buf.Bytes(), nil
}

func mapKeys(m map[string]any) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

func (s *Spec) docsOperation(op *Operation) (docsOp, error) {
	raw, _, err := s.deref(op.ptr)
	if err != nil {
		return docsOp{}, err
	}
	v := docsOp{Anchor: "op-" + op.ID, Method: op.Method, Path: op.Path}
	v.Summary, _ = raw["summary"].(string)
	v.Description, _ = raw["description"].(string)
	switch {
	case op.Public:
		v.Access = "public (no token)"
	case len(op.Roles) > 0:
		v.Access = "bearer token with role " + strings.Join(op.Roles, " or ")
	default:
		v.Access = "bearer token"
	}
	// Parameters, with their descriptions from the parameter objects.
	item, itemPtr, _ := s.deref(op.ptr[:strings.LastIndex(op.ptr, "/")])
	for _, src := range []struct {
		ptr string
		obj map[string]any
	}{{itemPtr, item}, {op.ptr, raw}} {
		list, _ := src.obj["parameters"].([]any)
		for i := range list {
			pm, _, err := s.deref(fmt.Sprintf("%s/parameters/%d", src.ptr, i))
			if err != nil {
				return docsOp{}, err
			}
			f := docsField{}
			f.Name, _ = pm["name"].(string)
			f.In, _ = pm["in"].(string)
			f.Required, _ = pm["required"].(bool)
			f.Description, _ = pm["description"].(string)
			sch, _ := pm["schema"].(map[string]any)
			f.Type, f.TypeLink = s.typeOf(sch)
			v.Params = append(v.Params, f)
		}
	}
	if _, ok := raw["requestBody"]; ok {
		rb, rbPtr, err := s.deref(op.ptr + "/requestBody")
		if err != nil {
			return docsOp{}, err
		}
		content, _ := rb["content"].(map[string]any)
		for _, mt := range slices.Sorted(mapKeys(content)) {
			mo, _, _ := s.deref(rbPtr + "/content/" + escapePtr(mt))
			b := &docsBody{Media: mt}
			b.Required, _ = rb["required"].(bool)
			sch, _ := mo["schema"].(map[string]any)
			b.Type, b.TypeLink = s.typeOf(sch)
			b.Example = example(mo)
			v.Body = b
			break
		}
	}
	responses, _ := raw["responses"].(map[string]any)
	for _, code := range slices.Sorted(mapKeys(responses)) {
		r, rPtr, err := s.deref(op.ptr + "/responses/" + escapePtr(code))
		if err != nil {
			return docsOp{}, err
		}
		dr := docsResponse{Status: code}
		dr.Description, _ = r["description"].(string)
		content, _ := r["content"].(map[string]any)
		for _, mt := range slices.Sorted(mapKeys(content)) {
			mo, _, _ := s.deref(rPtr + "/content/" + escapePtr(mt))
			dr.Media = mt
			sch, _ := mo["schema"].(map[string]any)
			dr.Type, dr.TypeLink = s.typeOf(sch)
			dr.Example = example(mo)
			break
		}
		headers, _ := r["headers"].(map[string]any)
		dr.Headers = strings.Join(slices.Sorted(mapKeys(headers)), ", ")
		v.Responses = append(v.Responses, dr)
	}
	return v, nil
}

// example renders a media type's example (or its first named example) as
// indented JSON.
func example(mo map[string]any) string {
	ex, ok := mo["example"]
	if !ok {
		exs, _ := mo["examples"].(map[string]any)
		for _, k := range slices.Sorted(mapKeys(exs)) {
			e, _ := exs[k].(map[string]any)
			ex, ok = e["value"]
			break
		}
	}
	if !ok {
		return ""
	}
	b, err := json.MarshalIndent(ex, "", "  ")
	if err != nil {
		return ""
	}
	return string(b)
}

// typeOf names a schema's type briefly, with the component it refers to.
func (s *Spec) typeOf(sch map[string]any) (text, link string) {
	if sch == nil {
		return "", ""
	}
	if ref, ok := sch["$ref"].(string); ok {
		name := ref[strings.LastIndex(ref, "/")+1:]
		return name, "schema-" + name
	}
	if c, ok := sch["const"]; ok {
		b, _ := json.Marshal(c)
		return "= " + string(b), ""
	}
	if e, ok := sch["enum"].([]any); ok {
		var vals []string
		for _, x := range e {
			b, _ := json.Marshal(x)
			vals = append(vals, string(b))
		}
		return "one of " + strings.Join(vals, ", "), ""
	}
	for _, k := range []string{"allOf", "oneOf", "anyOf"} {
		if list, ok := sch[k].([]any); ok {
			var parts []string
			for _, x := range list {
				m, _ := x.(map[string]any)
				t, l := s.typeOf(m)
				if l != "" && len(list) == 1 {
					return t, l
				}
				parts = append(parts, t)
			}
			return strings.Join(parts, " | "), ""
		}
	}
	var t string
	switch x := sch["type"].(type) {
	case string:
		t = x
	case []any:
		var ts []string
		for _, y := range x {
			ts = append(ts, fmt.Sprint(y))
		}
		t = strings.Join(ts, " | ")
	}
	if t == "array" {
		items, _ := sch["items"].(map[string]any)
		it, l := s.typeOf(items)
		return "array of " + it, l
	}
	var limits []string
	for _, k := range []string{"minLength", "maxLength", "minimum", "maximum", "minItems", "maxItems", "pattern", "format"} {
		if v, ok := sch[k]; ok {
			limits = append(limits, fmt.Sprintf("%s %v", k, v))
		}
	}
	if len(limits) > 0 {
		t += " (" + strings.Join(limits, ", ") + ")"
	}
	return t, ""
}

func (s *Spec) docsSchema(name string, node map[string]any) docsSchema {
	v := docsSchema{Anchor: "schema-" + name, Name: name}
	v.Description, _ = node["description"].(string)
	v.Type, _ = s.typeOf(withoutProps(node))
	if e, ok := node["enum"].([]any); ok {
		for _, x := range e {
			v.Enum = append(v.Enum, fmt.Sprint(x))
		}
		v.Type = "string"
	}
	if list, ok := node["allOf"].([]any); ok {
		var names []string
		for _, x := range list {
			m, _ := x.(map[string]any)
			t, _ := s.typeOf(m)
			names = append(names, t)
		}
		v.Composition = "all the fields of " + strings.Join(names, ", ")
	}
	if list, ok := node["oneOf"].([]any); ok {
		var names []string
		for _, x := range list {
			m, _ := x.(map[string]any)
			if title, ok := m["title"].(string); ok {
				names = append(names, title)
				continue
			}
			t, _ := s.typeOf(m)
			names = append(names, t)
		}
		v.Composition = "exactly one of: " + strings.Join(names, "; ")
	}
	v.Closed = node["additionalProperties"] == false || node["unevaluatedProperties"] == false
	required := map[string]bool{}
	rs, _ := node["required"].([]any)
	for _, r := range rs {
		if r, ok := r.(string); ok {
			required[r] = true
		}
	}
	props, _ := node["properties"].(map[string]any)
	names := slices.Collect(mapKeys(props))
	sort.SliceStable(names, func(i, j int) bool { return required[names[i]] && !required[names[j]] })
	for _, pn := range names {
		pm, _ := props[pn].(map[string]any)
		f := docsField{Name: pn, Required: required[pn]}
		f.Type, f.TypeLink = s.typeOf(pm)
		f.Description, _ = pm["description"].(string)
		v.Props = append(v.Props, f)
	}
	if ex, ok := node["example"]; ok {
		b, _ := json.MarshalIndent(ex, "", "  ")
		v.Example = string(b)
	}
	return v
}

// withoutProps is a schema without what docsSchema lists itself.
func withoutProps(node map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range node {
		switch k {
		case "properties", "required", "allOf", "oneOf", "enum", "description", "example":
		default:
			out[k] = v
		}
	}
	if _, ok := out["type"]; !ok {
		if _, ok := node["properties"]; ok {
			out["type"] = "object"
		}
	}
	return out
}

// Handler serves the description at /openapi.yaml and the page to read it
// at /docs (and answers 404 for anything else).
func (s *Spec) Handler() http.Handler {
	page, err := s.HTML()
	mux := http.NewServeMux()
	mux.HandleFunc("GET /openapi.yaml", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/yaml; charset=utf-8")
		w.Header().Set("X-Content-Type-Options", "nosniff")
		w.Header().Set("Cache-Control", "no-cache")
		_, _ = w.Write(s.raw)
	})
	mux.HandleFunc("GET /docs", func(w http.ResponseWriter, r *http.Request) {
		if err != nil {
			http.Error(w, "the description could not be rendered", http.StatusInternalServerError)
			return
		}
		h := w.Header()
		h.Set("Content-Type", "text/html; charset=utf-8")
		h.Set("Content-Security-Policy", DocsCSP)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Cache-Control", "no-cache")
		_, _ = w.Write(page)
	})
	return mux
}
