// Package docs holds Candor's documentation. Its test keeps the repository
// self-contained: every relative link in a markdown file points to a file
// (and heading) the repository has, and nothing points outside it.
package docs

import (
	"bufio"
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode"
)

// root is the repository, one level up from docs/.
const root = ".."

// outside are references to what a clone of the repository does not have:
// the folder the project was once written beside, and the documents there.
// (Split so that this file does not name them itself.)
var outside = []string{"../" + "shared/", "/work/" + "shared", "SPEC" + ".md", "ARCHITECTURE" + ".md"}

// citation matches references to the project's tracker and to the
// documents it was first written from ("issue 13", "(#13)", "seed 004",
// the all-caps name of the first specification): a comment or a document
// names the rule itself instead, which a reader of the clone can look up.
// (Split so that this file does not match itself.)
var citation = regexp.MustCompile(`\b[Ii]ssues? #?\d+\b|\bseed \d{3}\b|\bS` + `PEC\b|\(#\d+(\.\d+)?[,)]|\b(before|since|after) #\d+\b`)

// repoFiles walks the repository and returns the slash paths (relative to
// root) of its files, skipping hidden folders and node_modules.
func repoFiles(t *testing.T) []string {
	t.Helper()
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("repository root %s: %v", root, err)
	}
	var files []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if p != root && (strings.HasPrefix(d.Name(), ".") || d.Name() == "node_modules") {
				return filepath.SkipDir
			}
			return nil
		}
		rel, err := filepath.Rel(root, p)
		if err != nil {
			return err
		}
		files = append(files, filepath.ToSlash(rel))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// link is a markdown link: its target as written and its line.
type link struct {
	target string
	line   int
}

var (
	inlineLink = regexp.MustCompile(`!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)`)
	refLink    = regexp.MustCompile(`^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+"[^"]*")?\s*$`)
	codeSpan   = regexp.MustCompile("`[^`]*`")
	heading    = regexp.MustCompile(`^#{1,6}\s+(.*?)\s*#*\s*$`)
)

// parse returns the links of a markdown document outside code, and the
// anchors of its headings as GitHub makes them.
func parse(doc []byte) (links []link, anchors map[string]bool) {
	anchors = map[string]bool{}
	seen := map[string]int{}
	fence := ""
	sc := bufio.NewScanner(bytes.NewReader(doc))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		trimmed := strings.TrimSpace(line)
		if fence != "" {
			if strings.HasPrefix(trimmed, fence) {
				fence = ""
			}
			continue
		}
		if strings.HasPrefix(trimmed, "```") || strings.HasPrefix(trimmed, "~~~") {
			fence = trimmed[:3]
			continue
		}
		if m := heading.FindStringSubmatch(line); m != nil {
			a := slug(m[1])
			if k := seen[a]; k > 0 {
				anchors[fmt.Sprintf("%s-%d", a, k)] = true
			} else {
				anchors[a] = true
			}
			seen[a]++
		}
		text := codeSpan.ReplaceAllString(line, "")
		for _, m := range inlineLink.FindAllStringSubmatch(text, -1) {
			links = append(links, link{m[1], n})
		}
		if m := refLink.FindStringSubmatch(text); m != nil {
			links = append(links, link{m[1], n})
		}
	}
	return links, anchors
}

// slug is GitHub's anchor of a heading: lower case, markup and punctuation
// dropped, spaces as hyphens.
func slug(h string) string {
	h = codeSpan.ReplaceAllStringFunc(h, func(s string) string { return strings.Trim(s, "`") })
	h = regexp.MustCompile(`\[([^\]]*)\]\([^)]*\)`).ReplaceAllString(h, "$1")
	var b strings.Builder
	for _, r := range strings.ToLower(h) {
		switch {
		case r == ' ':
			b.WriteRune('-')
		case r == '-' || r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(r)
		}
	}
	return b.String()
}

// external reports whether a target leaves the repository by design (a URL).
func external(target string) bool {
	for _, scheme := range []string{"http://", "https://", "mailto:"} {
		if strings.HasPrefix(strings.ToLower(target), scheme) {
			return true
		}
	}
	return false
}

// checkLinks returns the problems of the markdown files among files.
func checkLinks(files []string, read func(string) ([]byte, error)) []string {
	exists := map[string]bool{}
	for _, f := range files {
		exists[f] = true
		for d := path.Dir(f); d != "."; d = path.Dir(d) {
			exists[d] = true
		}
	}
	docs := map[string]map[string]bool{} // anchors by markdown file
	parsed := map[string][]link{}
	for _, f := range files {
		if !strings.HasSuffix(f, ".md") {
			continue
		}
		b, err := read(f)
		if err != nil {
			return []string{fmt.Sprintf("%s: %v", f, err)}
		}
		parsed[f], docs[f] = parse(b)
	}
	var problems []string
	for f, links := range parsed {
		for _, l := range links {
			if external(l.target) {
				continue
			}
			target, anchor, _ := strings.Cut(l.target, "#")
			resolved := f
			if target != "" {
				if strings.HasPrefix(target, "/") {
					problems = append(problems, fmt.Sprintf("%s:%d: link %q is absolute: link relative to the file", f, l.line, l.target))
					continue
				}
				resolved = path.Clean(path.Join(path.Dir(f), target))
				if resolved == ".." || strings.HasPrefix(resolved, "../") {
					problems = append(problems, fmt.Sprintf("%s:%d: link %q leaves the repository", f, l.line, l.target))
					continue
				}
				if !exists[resolved] {
					problems = append(problems, fmt.Sprintf("%s:%d: link %q: %s is not in the repository", f, l.line, l.target, resolved))
					continue
				}
			}
			if anchors, ok := docs[resolved]; ok && anchor != "" && !anchors[anchor] {
				problems = append(problems, fmt.Sprintf("%s:%d: link %q: %s has no heading #%s", f, l.line, l.target, resolved, anchor))
			}
		}
	}
	return problems
}

// checkOutside returns the lines of text files that refer to what the
// repository does not have (outside), unless the repository has such a file.
func checkOutside(files []string, read func(string) ([]byte, error)) []string {
	have := map[string]bool{}
	for _, f := range files {
		have[path.Base(f)] = true
	}
	var problems []string
	for _, f := range files {
		switch path.Ext(f) {
		case ".md", ".go", ".yaml", ".yml", ".json", ".toml", ".templ", ".sh":
		default:
			if path.Base(f) != "Makefile" {
				continue
			}
		}
		b, err := read(f)
		if err != nil {
			return []string{fmt.Sprintf("%s: %v", f, err)}
		}
		for n, line := range strings.Split(string(b), "\n") {
			for _, o := range outside {
				if strings.Contains(line, o) && !have[o] {
					problems = append(problems, fmt.Sprintf("%s:%d: refers to %q, which a clone does not have: point to the docs in docs/", f, n+1, o))
				}
			}
			if c := citation.FindString(line); c != "" && f != "docs/docs_test.go" {
				problems = append(problems, fmt.Sprintf("%s:%d: cites %q, which a clone does not have: name the rule itself", f, n+1, c))
			}
		}
	}
	return problems
}

func readRepo(f string) ([]byte, error) {
	return os.ReadFile(filepath.Join(root, filepath.FromSlash(f)))
}

func TestMarkdownLinksStayInTheRepository(t *testing.T) {
	for _, p := range checkLinks(repoFiles(t), readRepo) {
		t.Error(p)
	}
}

func TestNothingRefersOutsideTheRepository(t *testing.T) {
	for _, p := range checkOutside(repoFiles(t), readRepo) {
		t.Error(p)
	}
}

// TestTheChecksFindBrokenLinks runs both checks on a made-up repository.
func TestTheChecksFindBrokenLinks(t *testing.T) {
	files := map[string]string{
		"README.md": "# Candor\n\nSee [the product](docs/product.md), [its rules](docs/product.md#policy-rules),\n" +
			"[gone](docs/gone.md), [bad anchor](docs/product.md#nowhere), [up](../other/x.md), [abs](/etc/passwd),\n" +
			"[web](https://example.com/x.md) and `[code](nowhere.md)`.\n\n```\n[fenced](nowhere.md)\n```\n",
		"docs/product.md": "# What it does\n\n## Policy rules\n\n[back](../README.md) [ref]\n\n[ref]: missing.md\n",
		"shared/x.go":     "// See " + outside[0] + "SPEC" + ".md.\npackage x\n",
		"shared/y.go":     "// The business is not emailed (seed " + "004); see is" + "sue #13.\npackage y\n",
	}
	var names []string
	for f := range files {
		names = append(names, f)
	}
	read := func(f string) ([]byte, error) { return []byte(files[f]), nil }
	got := strings.Join(append(checkLinks(names, read), checkOutside(names, read)...), "\n")
	for _, want := range []string{
		`README.md:4: link "docs/gone.md": docs/gone.md is not in the repository`,
		`README.md:4: link "docs/product.md#nowhere": docs/product.md has no heading #nowhere`,
		`README.md:4: link "../other/x.md" leaves the repository`,
		`README.md:4: link "/etc/passwd" is absolute`,
		`docs/product.md:7: link "missing.md": docs/missing.md is not in the repository`,
		`shared/x.go:1: refers to "` + outside[0] + `"`,
		`shared/x.go:1: refers to "` + outside[2] + `"`,
		`shared/y.go:1: cites "seed ` + `004"`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("the checks did not report %q; they reported:\n%s", want, got)
		}
	}
	for _, fine := range []string{"policy-rules", "example.com", "nowhere.md\"", "README.md\" leaves"} {
		if strings.Contains(got, fine) {
			t.Errorf("the checks reported a good link (%s):\n%s", fine, got)
		}
	}
}
