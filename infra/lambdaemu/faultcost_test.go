package lambdaemu

import (
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/candorhq/candor/infra/deploycheck"
)

// BenchmarkPageFaultCost measures what one page fault costs a process on
// this machine, the unit a cold start is paid in: a small Go program is run
// touching no pages and then touching 1,000 fresh pages (PAGES), and the difference
// of their CPU time (user and system, from the kernel's accounting) over
// the difference of their page faults is the cost of one (µs-per-fault).
// On a virtual machine a first touch is costly (the guest's fault, and the
// host backing the page), so a function's start time follows the number of
// pages it touches more than the instructions it runs.
//
//	go test -run '^$' -bench PageFaultCost -benchtime 50x ./infra/lambdaemu
func BenchmarkPageFaultCost(b *testing.B) {
	root, err := deploycheck.RepoRoot(".")
	if err != nil {
		b.Fatal(err)
	}
	dir := b.TempDir()
	if err := buildBootstraps(root, dir, filepath.Join(root, "go.mod"), "./infra/lambdaemu/testdata/touchpages"); err != nil {
		b.Fatal(err)
	}
	exe := filepath.Join(dir, "touchpages")
	var cpu [2]time.Duration
	var faults [2]int64
	for range b.N {
		for i, n := range []string{"0", "1000"} {
			cmd := exec.Command(exe)
			cmd.Env = []string{"PAGES=" + n}
			if err := cmd.Run(); err != nil {
				b.Fatalf("touchpages PAGES=%s: %v", n, err)
			}
			ru := cmd.ProcessState.SysUsage().(*syscall.Rusage)
			cpu[i] += time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
			faults[i] += ru.Minflt + ru.Majflt
		}
	}
	n := float64(b.N)
	b.ReportMetric(float64(faults[1]-faults[0])/n, "faults-added")
	b.ReportMetric(float64(cpu[0])/float64(time.Millisecond)/n, "ms-no-pages")
	b.ReportMetric(float64(cpu[1]-cpu[0])/float64(time.Microsecond)/float64(faults[1]-faults[0]), "µs-per-fault")
	b.ReportMetric(0, "ns/op")
}
