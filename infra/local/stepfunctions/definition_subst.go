package stepfunctions

// DefinitionSubstitutions: ${Name} replaced as SAM does, and the problems
// reported for a name left without a value.

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
)

var substitutionRE = regexp.MustCompile(`\$\{([A-Za-z0-9_.:-]+)\}`)

// substitute replaces every ${Name} of definition with its value, as SAM's
// DefinitionSubstitutions do (verbatim text replacement), and returns the
// names that had no value.
func substitute(definition string, subs map[string]string) (string, []string) {
	var missing []string
	seen := map[string]bool{}
	out := substitutionRE.ReplaceAllStringFunc(definition, func(m string) string {
		name := m[2 : len(m)-1]
		if v, ok := subs[name]; ok {
			return v
		}
		if !seen[name] {
			seen[name] = true
			missing = append(missing, name)
		}
		return m
	})
	return out, missing
}

func lineOf(text, needle string) int {
	i := strings.Index(text, needle)
	if i < 0 {
		return 0
	}
	return strings.Count(text[:i], "\n") + 1
}

// findMissing reports every unresolved ${Name} with the state and field it
// sits in.
func (c *compiler) findMissing(v any, loc, st string) {
	switch t := v.(type) {
	case map[string]any:
		for _, k := range sortedKeys(t) {
			child := t[k]
			childState := st
			// Entering /States/<name> (at any depth) changes the state.
			if strings.HasSuffix(loc, "/States") {
				childState = k
			}
			c.checkSubstString(k, loc+"/"+k, childState, loc)
			c.findMissing(child, loc+"/"+k, childState)
		}
	case []any:
		for i, child := range t {
			c.findMissing(child, fmt.Sprintf("%s/%d", loc, i), st)
		}
	case string:
		c.checkSubstString(t, loc, st, loc)
	}
}

func (c *compiler) checkSubstString(s, loc, st, _ string) {
	for _, m := range substitutionRE.FindAllStringSubmatch(s, -1) {
		c.add(loc, st, fieldOf(loc, st), "missing substitution ${%s}", m[1])
	}
}

// fieldOf extracts the state field from a location like
// "/States/X/Parameters/Payload" -> "Parameters".
func fieldOf(loc, st string) string {
	if st == "" {
		parts := strings.Split(strings.TrimPrefix(loc, "/"), "/")
		return parts[0]
	}
	marker := "/States/" + st + "/"
	i := strings.LastIndex(loc, marker)
	if i < 0 {
		return ""
	}
	rest := loc[i+len(marker):]
	if j := strings.Index(rest, "/"); j >= 0 {
		rest = rest[:j]
	}
	return rest
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
