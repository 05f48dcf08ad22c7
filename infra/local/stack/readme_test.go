package stack_test

import (
	"bufio"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// block is a fenced shell block of a markdown file.
type block struct {
	file, info, text string
	line             int
}

// shellBlocks reads the ```sh blocks of a markdown file.
func shellBlocks(t *testing.T, file string) []block {
	t.Helper()
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []block
	var cur *block
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		switch {
		case cur == nil && strings.HasPrefix(line, "```sh"):
			cur = &block{file: filepath.Base(file), info: strings.TrimSpace(strings.TrimPrefix(line, "```sh")), line: n}
		case cur != nil && strings.HasPrefix(line, "```"):
			out = append(out, *cur)
			cur = nil
		case cur != nil:
			cur.text += line + "\n"
		}
	}
	return out
}

// need reports the first of the commands the blocks use that this machine
// lacks. CI installs all of them (.ci/run); elsewhere the test skips.
func need(cmds ...string) string {
	for _, c := range cmds {
		if _, err := exec.LookPath(c); err != nil {
			return c
		}
	}
	return ""
}

// Every shell block of the README and the local stack's guide runs, in
// order, against a fresh local stack, in a shell with nothing set but PATH
// and an empty HOME: a block that needs a variable, a token or AWS
// credentials it does not set itself fails here, as does any request the API
// refuses (curl --fail-with-body). Blocks marked "sh deploy" (an AWS account
// or Docker) and "sh two-commands" (CI runs both itself) are only parsed.
func TestREADMEBlocksRun(t *testing.T) {
	if testing.Short() {
		t.Skip("runs every README block against a stack")
	}
	if missing := need("bash", "curl", "jq", "aws"); missing != "" {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s is not installed; CI must run the README's blocks", missing)
		}
		t.Skipf("%s is not installed: the README's blocks need bash, curl, jq and the AWS CLI", missing)
	}
	s := startStack(t, true)
	var blocks []block
	for _, f := range []string{"../../../README.md", "../../../docs/local-stack.md"} {
		blocks = append(blocks, shellBlocks(t, f)...)
	}
	if len(blocks) < 8 {
		t.Fatalf("found %d shell blocks; the reader is broken", len(blocks))
	}
	home := t.TempDir()
	for _, b := range blocks {
		name := b.file + ":" + strings.ReplaceAll(b.info+" ", " ", "") + strconv.Itoa(b.line)
		t.Run(name, func(t *testing.T) {
			if b.info != "" && b.info != "deploy" && b.info != "two-commands" {
				t.Fatalf("unknown block kind %q", b.info)
			}
			if b.info != "" {
				if out, err := exec.Command("bash", "-n", "-c", b.text).CombinedOutput(); err != nil {
					t.Fatalf("not valid shell: %v\n%s", err, out)
				}
				return
			}
			script := "set -euo pipefail\ncurl() { command curl --fail-with-body --max-time 30 \"$@\"; }\n" +
				strings.NewReplacer("http://127.0.0.1:3000", s.APIURL, "http://127.0.0.1:4566", s.AWSURL).Replace(b.text)
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			defer cancel()
			cmd := exec.CommandContext(ctx, "bash", "-c", script)
			cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + home, "LANG=C.UTF-8"}
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("the block fails: %v\n%s\n--- output\n%s", err, b.text, out)
			}
			if testing.Verbose() {
				t.Logf("output:\n%s", out)
			}
			for _, bad := range []string{`"code":"internal"`, `"code": "internal"`, "Unable to locate credentials", "You must specify a region"} {
				if strings.Contains(string(out), bad) {
					t.Errorf("the output holds %q:\n%s", bad, out)
				}
			}
		})
	}
}
