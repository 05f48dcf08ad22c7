// Package ops holds the operators' scripts (redrive-failed.sh); its test
// checks what they do before any AWS call.
package ops

import (
	"errors"
	"os/exec"
	"strings"
	"testing"
)

// Without a region the script stops before any AWS call and says how to
// give one (the AWS CLI's own error names neither the script nor a fix).
func TestRedriveAsksForARegion(t *testing.T) {
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("needs bash")
	}
	cmd := exec.Command("bash", "redrive-failed.sh", "prod")
	cmd.Env = []string{"PATH=/usr/bin:/bin", "HOME=" + t.TempDir()}
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	if err == nil || !errors.As(err, &exit) || exit.ExitCode() != 2 || !strings.Contains(string(out), "set AWS_REGION, or pass --region") {
		t.Fatalf("without a region: %v %q, want exit 2 naming AWS_REGION and --region", err, out)
	}
}
