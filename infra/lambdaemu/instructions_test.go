package lambdaemu

import (
	"bytes"
	"context"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// BenchmarkColdStartInstructions counts, under valgrind's callgrind, the
// instructions each function of functions/ runs from its start to the
// moment it posts its answer to the same first invocation as
// BenchmarkColdStart, beside hello-world. Unlike a time, the count does not
// depend much on what else the machine runs (see below), so it shows
// what a change to start-up gains on a busy machine. Per function:
//
//	Minstr-init   instructions before main.main: the runtime and every package initialiser
//	Minstr-first  instructions to the first answer (init, main, the first invocation)
//	hello-Minstr-first: the same for hello-world
//	x-hello-instr Minstr-first / hello-Minstr-first
//	Minstr-over   Minstr-first - hello-Minstr-first: what the function adds
//
// The lowest of b.N runs counts (a single run varies by up to 5 %: the Go
// runtime's threads are scheduled differently from run to run). Skipped
// without valgrind. Run with:
//
//	go test -run '^$' -bench ColdStartInstructions -benchtime 3x ./infra/lambdaemu
//
// With COLDSTART_CALLGRIND_DIR set to a directory, the profiles are kept
// there (<function>.1 to main.main, .2 on to the answer) for
// callgrind_annotate --inclusive=yes.
func BenchmarkColdStartInstructions(b *testing.B) {
	valgrind, err := exec.LookPath("valgrind")
	if err != nil {
		b.Skip("valgrind is not installed")
	}
	root, cases := startCases(b)
	bin := b.TempDir()
	// Built as the Makefile builds, but with the symbol table: callgrind
	// finds main.main and the Runtime API client by name. The code is the same.
	modfile := lambdaModFile(b, root)
	build := func(pkg, out string) {
		cmd := exec.Command("go", "build", "-modfile", modfile, "-tags", "lambda.norpc", "-trimpath", "-o", out, pkg)
		cmd.Dir = root
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
		if out, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("build %s: %v\n%s", pkg, err, out)
		}
	}
	hello := filepath.Join(bin, "hello")
	build("./infra/lambdaemu/testdata/hello", hello)
	for _, c := range cases {
		name, env, event := c.name, c.env, c.event
		exe := filepath.Join(bin, name)
		build("./"+c.dir, exe)
		b.Run(name, func(b *testing.B) {
			var fnInit, fnFirst, helloFirst int64
			for i := range b.N {
				_, hf := countInstructions(b, valgrind, hello, "hello", nil, []byte(`{}`), i)
				fi, ff := countInstructions(b, valgrind, exe, name, env, event, i)
				if i == 0 || hf < helloFirst {
					helloFirst = hf
				}
				if i == 0 || ff < fnFirst {
					fnInit, fnFirst = fi, ff
				}
			}
			b.ReportMetric(float64(fnInit)/1e6, "Minstr-init")
			b.ReportMetric(float64(fnFirst)/1e6, "Minstr-first")
			b.ReportMetric(float64(helloFirst)/1e6, "hello-Minstr-first")
			b.ReportMetric(float64(fnFirst)/float64(helloFirst), "x-hello-instr")
			b.ReportMetric(float64(fnFirst-helloFirst)/1e6, "Minstr-over")
			b.ReportMetric(0, "ns/op")
		})
	}
}

// countInstructions starts exe under callgrind in the emulator, invokes it
// once and returns the instructions it ran before main.main and before
// posting its first answer. Callgrind writes a profile part at each of the
// two marks (a mark can fire twice: a function whose stack grows is entered
// again); the parts add up to the counts.
func countInstructions(b *testing.B, valgrind, exe, name string, env map[string]string, event []byte, run int) (atMain, first int64) {
	b.Helper()
	// Now and then the process dies under valgrind before it answers
	// (valgrind and the Go runtime's signals): such a run is tried again.
	for attempt := 1; ; attempt++ {
		atMain, first, err := callgrindOnce(b, valgrind, exe, name, env, event)
		if err == nil {
			return atMain, first
		}
		if attempt == 3 {
			b.Fatalf("%s under callgrind (run %d, 3 attempts): %v", name, run, err)
		}
		b.Logf("%s under callgrind (run %d, attempt %d): %v; once more", name, run, attempt, err)
	}
}

// callgrindOnce is one attempt of countInstructions; its error is a process
// that did not answer.
func callgrindOnce(b *testing.B, valgrind, exe, name string, env map[string]string, event []byte) (atMain, first int64, _ error) {
	dir := b.TempDir()
	out := filepath.Join(dir, "callgrind.out")
	wrapper := filepath.Join(dir, "bootstrap")
	script := fmt.Sprintf("#!/bin/sh\nexec %s --tool=callgrind --callgrind-out-file=%s"+
		" --dump-before=main.main --dump-before='github.com/aws/aws-lambda-go/lambda.(*runtimeAPIClient).post' %s\n",
		valgrind, out, exe)
	if err := os.WriteFile(wrapper, []byte(script), 0o755); err != nil {
		b.Fatal(err)
	}
	env = maps.Clone(env)
	if env == nil {
		env = map[string]string{}
	}
	// One thread at a time, no preemption signals (callgrind cannot follow
	// Go's asynchronous preemption): the count is the work, not the scheduling.
	// Nor RDTSCP, which valgrind cannot decode (the runtime reads the clock
	// with it now and then).
	env["GOMAXPROCS"], env["GODEBUG"] = "1", "asyncpreemptoff=1,cpu.rdtscp=off"
	var stderr bytes.Buffer
	// A minute for an answer: under callgrind on a busy machine the default 10 s is not enough.
	r, err := Start(context.Background(), Config{Bootstrap: wrapper, FunctionName: name, Env: env, Stderr: &stderr, Timeout: time.Minute})
	if err != nil {
		b.Fatal(err)
	}
	defer r.Close()
	if _, err := r.Invoke(context.Background(), event); err != nil {
		return 0, 0, fmt.Errorf("%w\n%s", err, firstLines(stderr.String(), 6))
	}
	parts, err := filepath.Glob(out + ".*")
	if err != nil {
		b.Fatal(err)
	}
	slices.SortFunc(parts, func(x, y string) int { return partNumber(x) - partNumber(y) })
	if keep := os.Getenv("COLDSTART_CALLGRIND_DIR"); keep != "" {
		// Kept for callgrind_annotate, as <function>.<part>, the last run's.
		for _, p := range parts {
			text, err := os.ReadFile(p)
			if err == nil {
				err = os.WriteFile(filepath.Join(keep, name+filepath.Ext(p)), text, 0o644)
			}
			if err != nil {
				b.Fatal(err)
			}
		}
	}
	trigger := regexp.MustCompile(`(?m)^desc: Trigger: (.+)$`)
	summary := regexp.MustCompile(`(?m)^summary: (\d+)$`)
	posted := false
	for _, p := range parts {
		if posted {
			break // after the answer: the program's last part may still be being written
		}
		text, err := os.ReadFile(p)
		if err != nil {
			b.Fatal(err)
		}
		t, s := trigger.FindSubmatch(text), summary.FindSubmatch(text)
		if t == nil || s == nil {
			b.Fatalf("%s: no trigger or summary in %s", name, p)
		}
		n, _ := strconv.ParseInt(string(s[1]), 10, 64)
		isPost := strings.HasSuffix(string(t[1]), ".post") // else main.main or the end of the program
		posted = isPost
		first += n
		if atMain == 0 && string(t[1]) == "--dump-before=main.main" {
			atMain = first
		}
	}
	if !posted {
		b.Fatalf("%s: callgrind wrote no profile at the first answer (%d parts)", name, len(parts))
	}
	return atMain, first, nil
}

// partNumber is the n of a callgrind profile part file name (out.n).
func partNumber(path string) int {
	n, _ := strconv.Atoi(path[strings.LastIndexByte(path, '.')+1:])
	return n
}

// firstLines returns the first n lines of s that are not valgrind's own.
func firstLines(s string, n int) string {
	var out []string
	for line := range strings.Lines(s) {
		if !strings.HasPrefix(line, "==") && len(out) < n {
			out = append(out, strings.TrimSpace(line))
		}
	}
	return strings.Join(out, "\n")
}
