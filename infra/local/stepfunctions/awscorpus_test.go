package stepfunctions

// The AWS-recorded corpus: cases whose expected results were recorded on AWS
// Step Functions itself (LocalStack's snapshot tests, which record AWS's
// answers, and the examples of AWS's documentation), one file per source
// under testdata/aws. Each file names its source; testdata/aws/README.md
// says how the cases were extracted and how to add one.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/candorhq/candor/shared/clock"
)

// awsCorpusFile is one file of testdata/aws: a definition and the
// executions AWS ran of it.
type awsCorpusFile struct {
	Source json.RawMessage `json:"source"`
	Note   string          `json:"note"`
	// Replace, when set, replaces Text in the definition's JSON text with
	// the JSON of the case input's member With before each case (the source
	// test wrote the compared value into the definition as a literal).
	Replace *struct {
		Text string `json:"text"`
		With string `json:"with"`
	} `json:"replace"`
	Definition json.RawMessage `json:"definition"`
	Cases      []awsCase       `json:"cases"`
}

// The functions the corpus's Task states call: "identity" answers its
// event (LocalStack's identity Lambda, which those tests ran), and
// "HelloFunction" answers "Hello, <who>!" (the Lambda function of AWS's
// tutorial that the developer guide's input and output examples use).
const (
	corpusFunctionARN = "arn:aws:lambda:us-east-1:000000000000:function:identity"
	corpusHelloARN    = "arn:aws:lambda:us-east-1:123456789012:function:HelloFunction"
)

func registerCorpusFunctions(e *Engine) {
	e.RegisterFunction(corpusFunctionARN, func(_ context.Context, event []byte) ([]byte, error) { return event, nil })
	e.RegisterFunction(corpusHelloARN, func(_ context.Context, event []byte) ([]byte, error) {
		var in struct{ Who string }
		if err := json.Unmarshal(event, &in); err != nil {
			return nil, err
		}
		return json.Marshal("Hello, " + in.Who + "!")
	})
}

// awsCase is one execution as AWS recorded it: its input and either its
// output (SUCCEEDED) or its error and cause (FAILED).
type awsCase struct {
	Name string `json:"name"`
	// Template and Definition: a case with its own definition (a file of
	// several source tests); Template names the source's definition file.
	Template   string          `json:"template"`
	Definition json.RawMessage `json:"definition"`
	Input      json.RawMessage `json:"input"`
	Output     json.RawMessage `json:"output"`
	Error      *string         `json:"error"`
	Cause      *string         `json:"cause"`
	// Note says where the source leaves something to derive, or slips.
	Note string `json:"note"`
}

// awsCorpusExceptions are the cases the engine answers differently from
// AWS, by "<file>/<case>", each with its reason; docs/local-engine.md lists
// every one ("AWS-recorded corpus"). A listed case that starts to match
// fails the test, so the list cannot go stale.
var awsCorpusExceptions = map[string]string{
	"docs_intrinsic_functions/States.Base64Decode": "the page prints \"Decoded data\" for decoding \"RGF0YSB0byBlbmNvZGU=\", which is \"Data to encode\" (the page's own States.Base64Encode example; intrinsic_base_64_decode recorded on AWS agrees with the engine)",
	"docs_intrinsic_functions/States.Hash":         "the page prints a 39-digit SHA-1 (aaff4a450a104cd177d28d18d7485e8cae074b7); SHA-1 of \"input data\" is aaff4a450a104cd177d28d18d74485e8cae074b7, which the engine answers (intrinsic_hash recorded on AWS agrees with the engine)",
	"docs_intrinsic_functions/States.JsonToString": "the page prints {\\\"foo\\\": \\\"bar\\\"} with a space after the colon; AWS's recorded answers (intrinsic_json_to_string) are compact JSON, {\"foo\":\"bar\"}, as the engine's",
}

func loadAWSCorpus(t testing.TB) map[string]awsCorpusFile {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", "aws", "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no corpus files in testdata/aws: %v", err)
	}
	out := map[string]awsCorpusFile{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var cf awsCorpusFile
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&cf); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if len(cf.Source) == 0 || len(cf.Cases) == 0 {
			t.Fatalf("%s: a corpus file needs a source and cases", f)
		}
		for _, c := range cf.Cases {
			if len(cf.Definition) == 0 && len(c.Definition) == 0 {
				t.Fatalf("%s: case %s has no definition", f, c.Name)
			}
			if (c.Output == nil) == (c.Error == nil) {
				t.Fatalf("%s: case %s needs either an output or an error", f, c.Name)
			}
		}
		out[strings.TrimSuffix(filepath.Base(f), ".json")] = cf
	}
	return out
}

// runAWSCase runs one case on e and returns what differs from AWS's record
// ("" when nothing does).
func runAWSCase(ctx context.Context, e *Engine, arns map[string]string, cf awsCorpusFile, c awsCase) string {
	def := string(cf.Definition)
	if len(c.Definition) > 0 {
		def = string(c.Definition)
	}
	if cf.Replace != nil {
		var in map[string]json.RawMessage
		if err := json.Unmarshal(c.Input, &in); err != nil {
			return "input: " + err.Error()
		}
		def = strings.ReplaceAll(def, cf.Replace.Text, string(in[cf.Replace.With]))
	}
	arn, ok := arns[def]
	if !ok {
		var err error
		arn, err = e.CreateStateMachine(ctx, fmt.Sprintf("m%d", len(arns)), []byte(def), nil)
		if err != nil {
			return "definition refused: " + err.Error()
		}
		arns[def] = arn
	}
	x, err := e.startExecution(arn, "", string(c.Input))
	if err != nil {
		return "start: " + err.Error()
	}
	if err := e.Settle(ctx); err != nil {
		return err.Error()
	}
	e.mu.Lock()
	running := x.status == statusRunning
	e.mu.Unlock()
	if running { // waiting: let a year pass
		if err := e.Advance(ctx, 366*24*time.Hour); err != nil {
			return err.Error()
		}
	}
	e.mu.Lock()
	status, output, errName, cause := x.status, x.output, x.errName, x.cause
	e.mu.Unlock()
	var diffs []string
	switch {
	case c.Error != nil:
		if status != statusFailed {
			return fmt.Sprintf("status %s (output %s), want FAILED with %s", status, output, *c.Error)
		}
		if errName != *c.Error {
			diffs = append(diffs, fmt.Sprintf("error %q, want %q", errName, *c.Error))
		}
		if c.Cause != nil && cause != *c.Cause {
			diffs = append(diffs, fmt.Sprintf("cause %q, want %q", cause, *c.Cause))
		}
	default:
		if status != statusSucceeded {
			return fmt.Sprintf("status %s (%s: %s), want SUCCEEDED with %s", status, errName, cause, c.Output)
		}
		var got, want any
		if err := json.Unmarshal([]byte(output), &got); err != nil {
			return "output is not JSON: " + output
		}
		if err := json.Unmarshal(c.Output, &want); err != nil {
			return "expected output is not JSON: " + string(c.Output)
		}
		if !reflect.DeepEqual(got, want) {
			diffs = append(diffs, fmt.Sprintf("output %s, want %s", output, c.Output))
		}
	}
	return strings.Join(diffs, "; ")
}

// TestAWSRecordedCorpus runs every case of testdata/aws and compares the
// execution's status, output, error and cause with what AWS recorded.
func TestAWSRecordedCorpus(t *testing.T) {
	corpus := loadAWSCorpus(t)
	names := make([]string, 0, len(corpus))
	for n := range corpus {
		names = append(names, n)
	}
	slices.Sort(names)
	total, matched := 0, 0
	seen := map[string]bool{}
	for _, n := range names {
		cf := corpus[n]
		t.Run(n, func(t *testing.T) {
			e := New(Config{Clock: clock.NewManual(epoch), Rand: func() float64 { return 0.5 }})
			defer e.Close()
			registerCorpusFunctions(e)
			ctx := context.Background()
			arns := map[string]string{}
			for _, c := range cf.Cases {
				key := n + "/" + c.Name
				seen[key] = true
				total++
				diff := runAWSCase(ctx, e, arns, cf, c)
				reason, excepted := awsCorpusExceptions[key]
				switch {
				case diff == "":
					matched++
					if excepted {
						t.Errorf("%s matches AWS now: remove it from awsCorpusExceptions and docs/local-engine.md (%s)", key, reason)
					}
				case !excepted:
					t.Errorf("%s (input %s): %s", key, c.Input, diff)
				}
			}
		})
	}
	for key := range awsCorpusExceptions {
		if !seen[key] {
			t.Errorf("exception %s names no case of the corpus", key)
		}
	}
	t.Logf("AWS-recorded corpus: %d cases in %d files, %d match AWS, %d listed exceptions", total, len(names), matched, len(awsCorpusExceptions))
	if total < 100 {
		t.Errorf("the corpus has %d cases, want at least 100", total)
	}
}

// Every exception is written down in docs/local-engine.md with its reason.
func TestAWSCorpusExceptionsDocumented(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "..", "docs", "local-engine.md"))
	if err != nil {
		t.Fatal(err)
	}
	for key := range awsCorpusExceptions {
		if !bytes.Contains(b, []byte("`"+key+"`")) {
			t.Errorf("docs/local-engine.md does not list the corpus exception `%s`", key)
		}
	}
}
