package lambdaemu

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/candorhq/candor/infra/deploycheck"
	"github.com/candorhq/candor/shared/clock"
	"github.com/candorhq/candor/third_party/lazyendpoints"
)

// BenchmarkColdStart starts every function of functions/ under the Runtime
// API emulator, each iteration side by side with a hello-world function
// built the same way (static, -tags lambda.norpc -trimpath -ldflags '-s -w',
// with the Lambda build's go.mod, for this machine since linux/arm64
// binaries cannot run here), and reports
// per function:
//
//	ms-init        start of the process to its first poll of /next
//	ms-first       start to its answer to a first, trivial invocation
//	hello-ms-init, hello-ms-first: the same for hello-world, in the same run
//	x-hello-first  ms-first / hello-ms-first
//	x-hello-first-median  the median, over the iterations, of the function's
//	               first answer / hello-world's just before it: on a busy
//	               machine a few slow starts move the means, hardly the median
//	cpu-ms-first, hello-cpu-ms-first: the CPU time (all threads, user and
//	               system, exec and page faults included) each process had run
//	               when it answered, where Linux tells it (/proc schedstat)
//	x-hello-cpu-median  the median of the function's CPU time to its first
//	               answer / hello-world's: what a busy machine moves least
//	x-hello-cpu-min  the function's least CPU time to its first answer /
//	               hello-world's least: each the start least disturbed by
//	               other work, which only ever adds time
//	faults-first, hello-faults-first: the page faults each process had
//	               taken when it answered (/proc/<pid>/stat, minor and
//	               major), the mean over the iterations
//	x-hello-faults faults-first / hello-faults-first: on a virtual machine
//	               a fault costs tens of microseconds, most of a cold
//	               start, and the count does not move with the load
//
// Each function gets the environment template.yaml gives it (values
// resolved with samconfig's [default] parameters), fake credentials, and
// AWS_ENDPOINT_URL pointing at a closed local port with AWS_MAX_ATTEMPTS=1,
// so a first invocation that reaches AWS fails at once instead of waiting.
// Run with make coldstart, or:
//
//	go test -run '^$' -bench ColdStart -benchtime 20x ./infra/lambdaemu
func BenchmarkColdStart(b *testing.B) {
	root, cases := startCases(b)
	bin := b.TempDir()
	hello := filepath.Join(bin, "hello")
	pkgs := []string{"./infra/lambdaemu/testdata/hello"}
	for _, c := range cases {
		pkgs = append(pkgs, "./"+c.dir)
	}
	if err := buildBootstraps(root, bin, lambdaModFile(b, root), pkgs...); err != nil { // one go build: the links run in parallel
		b.Fatal(err)
	}
	for _, c := range cases {
		name, env, event := c.name, c.env, c.event
		exe := filepath.Join(bin, name)
		b.Run(name, func(b *testing.B) {
			var fnInit, fnFirst, helloInit, helloFirst, fnCPU, helloCPU, fnCPUMin, helloCPUMin time.Duration
			var fnFaults, helloFaults int64
			faultsKnown := true
			ratios := make([]float64, 0, b.N)
			cpuRatios := make([]float64, 0, b.N)
			for i := range b.N {
				h, _ := coldStart(b, Config{Bootstrap: hello, FunctionName: "hello"}, []byte(`{}`))
				f, answer := coldStart(b, Config{Bootstrap: exe, FunctionName: "candor-" + name, Env: env}, event)
				helloInit, helloFirst, fnInit, fnFirst = helloInit+h.init(), helloFirst+h.first(), fnInit+f.init(), fnFirst+f.first()
				helloCPU, fnCPU = helloCPU+h.FirstResponseCPU, fnCPU+f.FirstResponseCPU
				helloFaults, fnFaults = helloFaults+h.FirstResponseFaults, fnFaults+f.FirstResponseFaults
				faultsKnown = faultsKnown && h.FirstResponseFaults > 0 && f.FirstResponseFaults > 0
				if i == 0 || h.FirstResponseCPU < helloCPUMin {
					helloCPUMin = h.FirstResponseCPU
				}
				if i == 0 || f.FirstResponseCPU < fnCPUMin {
					fnCPUMin = f.FirstResponseCPU
				}
				ratios = append(ratios, float64(f.first())/float64(h.first()))
				if h.FirstResponseCPU > 0 && f.FirstResponseCPU > 0 {
					cpuRatios = append(cpuRatios, float64(f.FirstResponseCPU)/float64(h.FirstResponseCPU))
				}
				if i == 0 {
					b.Logf("%s: first invocation %s answered %s", name, short(string(event)), answer)
				}
			}
			n := float64(b.N)
			ms := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) / n }
			b.ReportMetric(ms(fnInit), "ms-init")
			b.ReportMetric(ms(fnFirst), "ms-first")
			b.ReportMetric(ms(helloInit), "hello-ms-init")
			b.ReportMetric(ms(helloFirst), "hello-ms-first")
			b.ReportMetric(float64(fnFirst)/float64(helloFirst), "x-hello-first")
			b.ReportMetric(median(ratios), "x-hello-first-median")
			if len(cpuRatios) == b.N {
				b.ReportMetric(ms(fnCPU), "cpu-ms-first")
				b.ReportMetric(ms(helloCPU), "hello-cpu-ms-first")
				b.ReportMetric(median(cpuRatios), "x-hello-cpu-median")
				b.ReportMetric(float64(fnCPUMin)/float64(helloCPUMin), "x-hello-cpu-min")
			}
			if faultsKnown {
				b.ReportMetric(float64(fnFaults)/n, "faults-first")
				b.ReportMetric(float64(helloFaults)/n, "hello-faults-first")
				b.ReportMetric(float64(fnFaults)/float64(helloFaults), "x-hello-faults")
			}
			b.ReportMetric(0, "ns/op") // the wall time of an iteration (both starts) says nothing
		})
	}
}

// startCase is one function the cold-start benchmarks start: its package
// directory and name, the environment template.yaml gives it (with AWS
// pointed at a closed local port, one attempt, so a call that reaches AWS
// fails at once) and its first, trivial event.
type startCase struct {
	dir, name string
	env       map[string]string
	event     []byte
}

// startCases returns the repository's root and a startCase for every
// function of functions/.
func startCases(b *testing.B) (string, []startCase) {
	b.Helper()
	root, err := deploycheck.RepoRoot(".")
	if err != nil {
		b.Fatal(err)
	}
	dirs, err := deploycheck.FunctionDirs(root)
	if err != nil {
		b.Fatal(err)
	}
	envs, err := functionEnvs(root)
	if err != nil {
		b.Fatal(err)
	}
	closedPort := unusedAddr(b)
	cases := make([]startCase, 0, len(dirs))
	for _, dir := range dirs {
		env, ok := envs[dir]
		if !ok {
			b.Fatalf("%s is not a function of template.yaml (go test ./infra/deploycheck says why)", dir)
		}
		env = maps.Clone(env)
		env["AWS_ENDPOINT_URL"] = "http://" + closedPort
		env["AWS_MAX_ATTEMPTS"] = "1"
		cases = append(cases, startCase{dir: dir, name: filepath.Base(dir), env: env, event: firstEvent(dir)})
	}
	return root, cases
}

// median is the median of xs, which it sorts.
func median(xs []float64) float64 {
	slices.Sort(xs)
	return (xs[(len(xs)-1)/2] + xs[len(xs)/2]) / 2
}

// startTimings are a cold start's Timings.
type startTimings Timings

// init is the time from start to the first poll; first, to the first answer.
func (t startTimings) init() time.Duration  { return t.FirstPoll.Sub(t.Started) }
func (t startTimings) first() time.Duration { return t.FirstResponse.Sub(t.Started) }

// coldStart starts a bootstrap, invokes it once and returns its timings and
// the answer in short.
func coldStart(b *testing.B, cfg Config, event []byte) (startTimings, string) {
	b.Helper()
	cfg.Clock = clock.System{}
	r, err := Start(context.Background(), cfg)
	if err != nil {
		b.Fatal(err)
	}
	defer r.Close()
	res, err := r.Invoke(context.Background(), event)
	if err != nil {
		b.Fatalf("%s: %v", cfg.FunctionName, err)
	}
	answer := string(res.Payload) // an error answer (no AWS here) is an answer all the same
	if res.Err != nil {
		answer = "error " + res.Err.Error()
	}
	return startTimings(r.Timings()), short(answer)
}

// short cuts s to a log line's worth.
func short(s string) string {
	if len(s) > 100 {
		return s[:100] + "..."
	}
	return s
}

// firstEvent is a trivial first invocation for the function in dir: one
// that needs no AWS where the function has such a path.
func firstEvent(dir string) []byte {
	var v any
	switch filepath.Base(dir) {
	case "api":
		v = httpEvent("GET", "/healthz")
	case "reviewer-page":
		v = httpEvent("GET", "/r/not-a-link") // refused (404 page) before any read
	case "investigation-tasks":
		v = map[string]any{"action": "overdue", "case": map[string]string{"reportId": "rpt-coldstart"}} // a log line, no read
	case "console":
		v = httpEvent("GET", "/console") // its first request reads its secrets (refused: no AWS here)
	case "find-reviewer-tasks":
		v = map[string]any{"action": "coldstart", "case": map[string]string{"requestId": "req-coldstart"}} // refused before any read
	case "document-tasks":
		v = map[string]any{ // a scan result of another bucket: a log line, no read
			"source": "aws.guardduty", "detail-type": "GuardDuty Malware Protection Object Scan Result",
			"detail": map[string]any{
				"s3ObjectDetails":   map[string]string{"bucketName": "not-the-documents-bucket", "objectKey": "documents/coldstart"},
				"scanResultDetails": map[string]string{"scanResultStatus": "NO_THREATS_FOUND"},
			},
		}
	default:
		v = map[string]any{}
	}
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("first event for %s: %v", dir, err)) // plain maps and structs
	}
	return b
}

func httpEvent(method, path string) events.APIGatewayV2HTTPRequest {
	return events.APIGatewayV2HTTPRequest{
		Version: "2.0", RouteKey: method + " " + path, RawPath: path,
		Headers: map[string]string{"host": "api.example.com", "accept": "text/html"},
		RequestContext: events.APIGatewayV2HTTPRequestContext{
			RequestID: "coldstart", Stage: "$default", DomainName: "api.example.com",
			HTTP: events.APIGatewayV2HTTPRequestContextHTTPDescription{Method: method, Path: path, Protocol: "HTTP/1.1", SourceIP: "192.0.2.1"},
		},
	}
}

// functionEnvs resolves the environment template.yaml gives each function,
// by function dir.
func functionEnvs(root string) (map[string]map[string]string, error) {
	tpl, ev, err := deploycheck.LoadDeployment(root, "default")
	if err != nil {
		return nil, err
	}
	mk, err := os.ReadFile(filepath.Join(root, "Makefile"))
	if err != nil {
		return nil, err
	}
	targets, err := deploycheck.BuildTargets(mk)
	if err != nil {
		return nil, err
	}
	out := map[string]map[string]string{}
	for _, id := range slices.Sorted(maps.Keys(targets)) {
		fn, ok := tpl.Resource(id)
		if !ok {
			continue
		}
		env := map[string]string{}
		for k, v := range deploycheck.FunctionEnv(tpl, fn) {
			if env[k], err = ev.String(v); err != nil {
				return nil, fmt.Errorf("%s: %s: %w", id, k, err)
			}
		}
		out[targets[id].Package] = env
	}
	return out, nil
}

// lambdaModFile writes the go.mod the Makefile's Lambda build reads (the
// SDK's endpoint tables built on first use, third_party/lazyendpoints) into
// a temporary directory and returns its path.
func lambdaModFile(b *testing.B, root string) string {
	b.Helper()
	dir := b.TempDir()
	if err := lazyendpoints.WriteModFile(root, dir); err != nil {
		b.Fatal(err)
	}
	return filepath.Join(dir, "go.mod")
}

// buildBootstraps builds pkgs for this machine the way the Makefile builds
// them for Lambda (with modfile, the Lambda build's go.mod), each into dir
// under its last path element.
func buildBootstraps(root, dir, modfile string, pkgs ...string) error {
	cmd := exec.Command("go", append([]string{"build", "-modfile", modfile, "-tags", "lambda.norpc", "-trimpath", "-ldflags", "-s -w", "-o", dir + string(filepath.Separator)}, pkgs...)...)
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if b, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("build %s: %w\n%s", strings.Join(pkgs, " "), err, b)
	}
	return nil
}

// unusedAddr returns a local address nothing listens on.
func unusedAddr(b *testing.B) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}
