package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"regexp"
	"strings"
	"testing"
)

func noEnv(string) string { return "" }

func TestHelpExplainsEveryFlag(t *testing.T) {
	var stdout, stderr bytes.Buffer
	_, err := parse([]string{"-h"}, noEnv, &stdout, &stderr)
	if !errors.Is(err, flag.ErrHelp) {
		t.Fatalf("parse(-h) = %v, want flag.ErrHelp", err)
	}
	if stderr.Len() != 0 {
		t.Errorf("-h wrote to stderr: %s", stderr.String())
	}
	help := stdout.String()
	for flagName, says := range map[string]string{
		"-api":         "CANDOR_LOCAL_ADDR",
		"-aws":         "CANDOR_LOCAL_AWS_ADDR",
		"-jwt-secret":  "CANDOR_LOCAL_JWT_SECRET",
		"-hide-policy": "harmful_only",
		"-no-seed":     "empty platform",
		"-log-format":  "text (readable in a terminal) or json",
		"-log-level":   "debug, info, warn or error",
		"-data":        "between runs",
	} {
		_, after, ok := strings.Cut(help, "  "+flagName)
		if !ok {
			t.Errorf("-h does not list %s:\n%s", flagName, help)
			continue
		}
		if line := strings.SplitN(after, "\n  -", 2)[0]; !strings.Contains(line, says) {
			t.Errorf("-h on %s = %q, want it to say %q", flagName, line, says)
		}
	}
	// Every flag the command defines is in the list above.
	if n := strings.Count(help, "\n  -"); n != 8 {
		t.Errorf("-h lists %d flags, the test knows 8:\n%s", n, help)
	}
	for _, example := range []string{"go run ./infra/local -data .candor", "Examples:", "docs/local-stack.md"} {
		if !strings.Contains(help, example) {
			t.Errorf("-h does not say %q:\n%s", example, help)
		}
	}
}

func TestParse(t *testing.T) {
	env := map[string]string{"CANDOR_LOCAL_ADDR": "127.0.0.1:3100", "CANDOR_LOCAL_LOG_FORMAT": "json", "CANDOR_LOCAL_DATA": "/var/candor"}
	tests := []struct {
		name    string
		args    []string
		getenv  func(string) string
		want    options
		wantErr string // a part of the error; "" for none
	}{
		{name: "defaults", getenv: noEnv, want: options{api: "127.0.0.1:3000", aws: "127.0.0.1:4566", secret: "candor-local-secret", hide: "all", logFormat: "text", logLevel: "info"}},
		{name: "environment", getenv: func(k string) string { return env[k] },
			want: options{api: "127.0.0.1:3100", aws: "127.0.0.1:4566", secret: "candor-local-secret", hide: "all", logFormat: "json", logLevel: "info", data: "/var/candor"}},
		{name: "flags beat the environment", args: []string{"-api", "127.0.0.1:0", "-log-format", "text", "-no-seed", "-hide-policy", "harmful_only", "--data", ".candor"}, getenv: func(k string) string { return env[k] },
			want: options{api: "127.0.0.1:0", aws: "127.0.0.1:4566", secret: "candor-local-secret", hide: "harmful_only", noSeed: true, logFormat: "text", logLevel: "info", data: ".candor"}},
		{name: "bad log format", args: []string{"-log-format", "yaml"}, getenv: noEnv, wantErr: `-log-format "yaml": must be text or json`},
		{name: "bad log level", args: []string{"-log-level", "loud"}, getenv: noEnv, wantErr: `-log-level "loud"`},
		{name: "bad hide policy", args: []string{"-hide-policy", "some"}, getenv: noEnv, wantErr: `-hide-policy "some": must be all or harmful_only`},
		{name: "empty secret", args: []string{"-jwt-secret", ""}, getenv: noEnv, wantErr: "-jwt-secret: must not be empty"},
		{name: "stray argument", args: []string{"serve"}, getenv: noEnv, wantErr: `unexpected argument "serve"`},
		{name: "unknown flag", args: []string{"-port", "3000"}, getenv: noEnv, wantErr: "flag provided but not defined: -port"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			got, err := parse(tt.args, tt.getenv, &stdout, &stderr)
			if tt.wantErr != "" {
				var usage usageError
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) || !errors.As(err, &usage) {
					t.Fatalf("parse() error = %v, want a usage error saying %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("parse() = %+v, %v; want %+v", got, err, tt.want)
			}
		})
	}
}

func TestLogFormats(t *testing.T) {
	var text, js bytes.Buffer
	newLogger(&text, "text", "info").Info("stack up", "api", "http://127.0.0.1:3000")
	newLogger(&js, "json", "info").Info("stack up", "api", "http://127.0.0.1:3000")
	if got := text.String(); !regexp.MustCompile(`^\d\d:\d\d:\d\d\.\d{3} INFO  stack up api=http://127.0.0.1:3000\n$`).MatchString(got) {
		t.Errorf("text log = %q, want one short line: time, level, message, attrs", got)
	}
	var rec map[string]any
	if err := json.Unmarshal(js.Bytes(), &rec); err != nil || rec["msg"] != "stack up" || rec["api"] != "http://127.0.0.1:3000" {
		t.Errorf("json log = %q (%v)", js.String(), err)
	}
	var quiet bytes.Buffer
	text.Reset()
	newLogger(&text, "text", "info").With("function", "candor-api").WithGroup("req").Warn("execution started",
		"execution", "arn:aws:states:us-east-1:000000000000:execution:candor-find-reviewer:fr-1", "note", "two words", "empty", "")
	if got, want := text.String()[13:], `WARN  execution started function=candor-api req.execution=execution:candor-find-reviewer:fr-1 req.note="two words" req.empty=""`+"\n"; got != want {
		t.Errorf("text log = %q, want %q (ARNs cut to the resource, spaces quoted, groups as prefixes)", got, want)
	}
	l := newLogger(&quiet, "text", "warn")
	l.Info("not shown")
	l.Warn("shown")
	if got := quiet.String(); strings.Contains(got, "not shown") || !strings.Contains(got, "shown") {
		t.Errorf("warn-level log = %q", got)
	}
}
