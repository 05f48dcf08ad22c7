package browsertest

import (
	"os"
	"regexp"
	"testing"
)

// TestCIInstallsTheAxeVersionTheTestsExpect: .ci/run installs axe-core at
// AxeVersion, into the directory the tests look in.
func TestCIInstallsTheAxeVersionTheTestsExpect(t *testing.T) {
	b, err := os.ReadFile("../../.ci/run")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^AXE_CORE_VERSION=(\S+)$`).FindSubmatch(b)
	if m == nil || string(m[1]) != AxeVersion {
		t.Errorf(".ci/run installs axe-core %q, the tests expect %s", m, AxeVersion)
	}
	if !regexp.MustCompile(`candor-ci/axe-core-\$AXE_CORE_VERSION`).Match(b) {
		t.Error(".ci/run does not install axe-core where AxeCacheDir looks")
	}
}
