package stepfunctions

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/candorhq/candor/shared/clock"
)

// benchEngine loads a testdata definition into a fresh engine on a virtual
// clock.
func benchEngine(b *testing.B, file string) (*Engine, *clock.Manual, string) {
	b.Helper()
	def, err := os.ReadFile(filepath.Join("testdata", file))
	if err != nil {
		b.Fatal(err)
	}
	clk := clock.NewManual(epoch)
	e := New(Config{Clock: clk})
	b.Cleanup(e.Close)
	e.RegisterFunction("Step", func(_ context.Context, p []byte) ([]byte, error) {
		var in struct {
			N    int    `json:"n"`
			Last string `json:"last"`
		}
		if err := json.Unmarshal(p, &in); err != nil {
			return nil, err
		}
		in.N++
		return json.Marshal(in)
	})
	e.RegisterFunction("candor-ask-reviewer", func(context.Context, []byte) ([]byte, error) { return []byte(`{}`), nil })
	arn, err := e.CreateStateMachine(context.Background(), "bench", def, nil)
	if err != nil {
		b.Fatal(err)
	}
	return e, clk, arn
}

func (e *Engine) benchStatus(x *execution) (string, string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	return x.status, x.output
}

// BenchmarkTransitions runs the 20-state Pass/Choice/Task machine of
// testdata/bench20.asl.json: one execution at a time (latency) and 100 at
// once (throughput). It reports state transitions and executions per
// second.
func BenchmarkTransitions(b *testing.B) {
	const states = 20
	for _, batch := range []int{1, 100} {
		b.Run(fmt.Sprintf("concurrent=%d", batch), func(b *testing.B) {
			e, _, arn := benchEngine(b, "bench20.asl.json")
			ctx := context.Background()
			b.ReportAllocs()
			b.ResetTimer()
			runs := 0
			for i := 0; i < b.N; i += batch {
				var xs []*execution
				for j := 0; j < batch && i+j < b.N; j++ {
					x, err := e.startExecution(arn, fmt.Sprintf("x-%d", i+j), `{"n": 0}`)
					if err != nil {
						b.Fatal(err)
					}
					xs = append(xs, x)
				}
				if err := e.Settle(ctx); err != nil {
					b.Fatal(err)
				}
				for _, x := range xs {
					if status, out := e.benchStatus(x); status != statusSucceeded || out != `{"last":"P8","n":6}` {
						b.Fatalf("execution ended %s with %s", status, out)
					}
				}
				runs += len(xs)
			}
			b.StopTimer()
			secs := b.Elapsed().Seconds()
			b.ReportMetric(float64(runs*states)/secs, "transitions/s")
			b.ReportMetric(float64(runs)/secs, "executions/s")
		})
	}
}

// BenchmarkCallbackTimeout5Days runs the 5-day callback of
// testdata/callback5d.asl.json to its timeout under the moved clock: start,
// Advance(5 days), caught timeout. ns/op is the wall time of one run.
func BenchmarkCallbackTimeout5Days(b *testing.B) {
	e, _, arn := benchEngine(b, "callback5d.asl.json")
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		x, err := e.startExecution(arn, fmt.Sprintf("cb-%d", i), `{"requestId": "r"}`)
		if err != nil {
			b.Fatal(err)
		}
		if err := e.Advance(ctx, 5*24*time.Hour); err != nil {
			b.Fatal(err)
		}
		if status, _ := e.benchStatus(x); status != statusSucceeded {
			b.Fatalf("execution %s, want SUCCEEDED through the timeout catcher", status)
		}
	}
}
