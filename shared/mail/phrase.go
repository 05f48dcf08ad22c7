package mail

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// A phrase is a catalogue entry, parsed. The catalogues are written in a
// small subset of text/template's syntax, which translators already know:
//
//	{{.Business}}                      a placeholder: Business, Title, Deadline, DecidedAt or Count
//	{{if .Title}}…{{end}}              shown when the placeholder is not empty (Count: not 0)
//	{{if .Title}}…{{else}}…{{end}}     with an alternative
//	{{if gt .Count 1}}…{{end}}         shown when Count is greater than the number
//
// Nothing else is an action; an unknown placeholder, an unclosed action or an
// unbalanced if/else/end is an error when the catalogue is parsed, so a
// phrase that parsed always fills in. It is filled in without reflection, so
// that no function that sends email links text/template (see markup's
// package doc for why that matters).
type phrase []phraseNode

// phraseNode is literal text, a placeholder, or a conditional.
type phraseNode struct {
	text  string // literal text, when field is ""
	field string // placeholder, or the condition's field when cond
	cond  bool   // a conditional: then if the field is set (or > gt)
	gt    *int   // the number of {{if gt .Count N}}
	then  phrase
	els   phrase
}

// errUnclosedAction is the error of a "{{" without its "}}".
var errUnclosedAction = errors.New("unclosed action")

// phraseFields are the placeholders and whether each is a number.
var phraseFields = map[string]bool{"Business": false, "Title": false, "Deadline": false, "DecidedAt": false, "Count": true}

// parsePhrase parses s.
func parsePhrase(s string) (phrase, error) {
	p, _, end, err := parseSeq(s)
	if err != nil {
		return nil, err
	}
	if end != "" {
		return nil, fmt.Errorf("unexpected {{%s}}", end)
	}
	return p, nil
}

// parseSeq parses nodes up to the end of s or to an {{else}} or {{end}},
// which it returns as end together with what follows it.
func parseSeq(s string) (p phrase, rest, end string, err error) {
	for s != "" {
		i := strings.Index(s, "{{")
		if i < 0 {
			if strings.Contains(s, "}}") {
				return nil, "", "", errors.New(`"}}" without "{{"`)
			}
			p = append(p, phraseNode{text: s})
			break
		}
		if i > 0 {
			if strings.Contains(s[:i], "}}") {
				return nil, "", "", errors.New(`"}}" without "{{"`)
			}
			p = append(p, phraseNode{text: s[:i]})
		}
		j := strings.Index(s[i+2:], "}}")
		if j < 0 {
			return nil, "", "", errUnclosedAction
		}
		action, after := s[i+2:i+2+j], s[i+2+j+2:]
		words := strings.Fields(action)
		switch {
		case len(words) == 1 && (words[0] == "else" || words[0] == "end"):
			if words[0] != action {
				return nil, "", "", fmt.Errorf("action {{%s}}: no spaces inside the braces", action)
			}
			return p, after, words[0], nil
		case len(words) >= 2 && words[0] == "if":
			n, err := parseCond(words[1:])
			if err != nil {
				return nil, "", "", fmt.Errorf("action {{%s}}: %w", action, err)
			}
			var end string
			n.then, after, end, err = parseSeq(after)
			if err != nil {
				return nil, "", "", err
			}
			if end == "else" {
				n.els, after, end, err = parseSeq(after)
				if err != nil {
					return nil, "", "", err
				}
			}
			if end != "end" {
				return nil, "", "", fmt.Errorf("action {{%s}}: missing {{end}}", action)
			}
			p = append(p, n)
			s = after
		case len(words) == 1 && words[0] == action:
			f, err := parseField(action)
			if err != nil {
				return nil, "", "", fmt.Errorf("action {{%s}}: %w", action, err)
			}
			p = append(p, phraseNode{field: f})
			s = after
		default:
			return nil, "", "", fmt.Errorf("action {{%s}} is not a placeholder, if, else or end", action)
		}
	}
	return p, "", "", nil
}

// parseCond parses what follows "if": ".Field" or "gt .Count N".
func parseCond(words []string) (phraseNode, error) {
	switch {
	case len(words) == 1:
		f, err := parseField(words[0])
		return phraseNode{cond: true, field: f}, err
	case len(words) == 3 && words[0] == "gt":
		f, err := parseField(words[1])
		if err != nil {
			return phraseNode{}, err
		}
		if !phraseFields[f] {
			return phraseNode{}, fmt.Errorf("gt compares a number, and .%s is text", f)
		}
		n, err := strconv.Atoi(words[2])
		if err != nil {
			return phraseNode{}, fmt.Errorf("gt needs a whole number, not %q", words[2])
		}
		return phraseNode{cond: true, field: f, gt: &n}, nil
	}
	return phraseNode{}, errors.New("a condition is .Field or gt .Field N")
}

// parseField parses ".Name" into a known placeholder's name.
func parseField(w string) (string, error) {
	name, ok := strings.CutPrefix(w, ".")
	if !ok {
		return "", fmt.Errorf("%q is not a placeholder", w)
	}
	if _, known := phraseFields[name]; !known {
		return "", fmt.Errorf("unknown placeholder .%s", name)
	}
	return name, nil
}

// fill writes p with v's values onto sb.
func (p phrase) fill(sb *strings.Builder, v *vars) {
	for i := range p {
		n := &p[i]
		switch {
		case n.cond:
			if n.holds(v) {
				n.then.fill(sb, v)
			} else {
				n.els.fill(sb, v)
			}
		case n.field != "":
			sb.WriteString(v.get(n.field))
		default:
			sb.WriteString(n.text)
		}
	}
}

// holds reports whether a conditional's condition holds for v.
func (n *phraseNode) holds(v *vars) bool {
	if n.gt != nil {
		return v.Count > *n.gt
	}
	if n.field == "Count" {
		return v.Count != 0
	}
	return v.get(n.field) != ""
}

// get returns the placeholder name's value, as text.
func (v *vars) get(name string) string {
	switch name {
	case "Business":
		return v.Business
	case "Title":
		return v.Title
	case "Deadline":
		return v.Deadline
	case "DecidedAt":
		return v.DecidedAt
	case "Count":
		return strconv.Itoa(v.Count)
	}
	return ""
}
