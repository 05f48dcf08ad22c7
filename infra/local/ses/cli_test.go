package ses_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	localses "github.com/candorhq/candor/infra/local/ses"
)

// TestAWSCLI proves that `aws ses …` works against the stand-in, as the
// local stack's docs promise. It needs the AWS CLI on PATH.
func TestAWSCLI(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping the AWS CLI test in -short mode: it starts Python")
	}
	aws, err := exec.LookPath("aws")
	if err != nil {
		t.Skip("skipping: the AWS CLI is not installed (apt-get install awscli); `aws ses` against the stand-in is untested")
	}
	e := newEnv(t)
	dir := t.TempDir()
	run := func(args ...string) string {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()
		cmd := exec.CommandContext(ctx, aws, append([]string{"--endpoint-url", e.url, "--region", "eu-north-1", "--output", "json"}, args...)...)
		// Only these AWS settings: none of the machine's profiles or keys.
		cmd.Env = slices.DeleteFunc(os.Environ(), func(kv string) bool { return strings.HasPrefix(kv, "AWS_") })
		cmd.Env = append(cmd.Env,
			"AWS_ACCESS_KEY_ID=test", "AWS_SECRET_ACCESS_KEY=test",
			"AWS_CONFIG_FILE="+filepath.Join(dir, "config"),
			"AWS_SHARED_CREDENTIALS_FILE="+filepath.Join(dir, "credentials"),
			"AWS_EC2_METADATA_DISABLED=true", "AWS_PAGER=",
		)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("aws %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return string(out)
	}

	out := run("ses", "send-email", "--from", "a@x.example", "--destination", "ToAddresses=b@y.example",
		"--message", "Subject={Data=Hi},Body={Text={Data=Hello}}")
	msgs := e.outbox.Messages()
	if len(msgs) != 1 {
		t.Fatalf("outbox has %d messages after aws ses send-email, want 1", len(msgs))
	}
	want := localses.Message{ID: msgs[0].ID, From: "a@x.example", To: []string{"b@y.example"}, Subject: "Hi", Text: "Hello", Links: []string{}, SentAt: start}
	if !reflect.DeepEqual(msgs[0], want) {
		t.Errorf("stored message\n got %#v\nwant %#v", msgs[0], want)
	}
	if !strings.Contains(out, `"MessageId": "`+msgs[0].ID+`"`) {
		t.Errorf("aws ses send-email printed %q, want the MessageId %s", out, msgs[0].ID)
	}

	if out := run("ses", "get-send-quota"); !strings.Contains(out, `"SentLast24Hours": 1.0`) {
		t.Errorf("aws ses get-send-quota printed %q, want SentLast24Hours 1.0", out)
	}
}
