package stack

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/candorhq/candor/infra/local/ses"
)

// What Config.DataDir keeps between runs, and what it cannot.
//
// The stack saves to <DataDir>/state.json when it stops (Close: Ctrl-C or
// SIGTERM for cmd infra/local) and loads it when it starts:
//
//   - the DynamoDB table, item by item (so every report, request, ticket,
//     link, idempotency record and mail claim survives);
//   - the mailbox (every email the SES stand-in accepted, with its links);
//   - the clock's distance from the wall clock, so that times written by a
//     run that had moved the clock on stay in the past.
//
// The Step Functions executions are not kept: the local engine runs each
// one as goroutines blocked on timers and task tokens, which cannot be
// written down and resumed faithfully. Rather than pretend, the stack
// records which executions were still running when it stopped, and the
// next run reports them (a warning, and the banner): their reminders and
// deadlines will not fire, and a reviewer link of one of them answers that
// the request is closed. docs/local-stack.md explains this.

// stateFile is the file in Config.DataDir.
const stateFile = "state.json"

// stateVersion is the layout of stateFile; a file of another version is
// refused rather than half read.
const stateVersion = 1

// savedState is the content of stateFile.
type savedState struct {
	Version int       `json:"version"`
	SavedAt time.Time `json:"savedAt"`
	// ClockAhead is how far the stack's clock was ahead of the wall clock
	// (a running clock), and ClockNow the clock's time, when it stopped.
	ClockAhead time.Duration `json:"clockAheadNanos"`
	ClockNow   time.Time     `json:"clockNow"`
	// Seeded says the demo platform was loaded into this data.
	Seeded bool            `json:"seeded"`
	Table  string          `json:"table"`
	Items  []rawItem       `json:"items"` // in DynamoDB's JSON form
	Mail   []ses.Message   `json:"mail"`
	Lost   []LostExecution `json:"lostExecutions"`
}

type rawItem = json.RawMessage

// LostExecution is an execution that was running when a stack with a data
// directory stopped: the next run has its data but not the execution.
type LostExecution struct {
	Name         string    `json:"name"`
	StateMachine string    `json:"stateMachine"` // its name, e.g. candor-find-reviewer
	Started      time.Time `json:"started"`
}

// loadState reads dir's state; ok is false when there is none yet.
func loadState(dir string) (st savedState, ok bool, err error) {
	b, err := os.ReadFile(filepath.Join(dir, stateFile))
	if errors.Is(err, fs.ErrNotExist) {
		return st, false, nil
	}
	if err != nil {
		return st, false, fmt.Errorf("load data: %w", err)
	}
	if err := json.Unmarshal(b, &st); err != nil {
		return st, false, fmt.Errorf("load data: %s: %w", filepath.Join(dir, stateFile), err)
	}
	if st.Version != stateVersion {
		return st, false, fmt.Errorf("load data: %s has layout version %d, this stack reads %d: move it away to start afresh",
			filepath.Join(dir, stateFile), st.Version, stateVersion)
	}
	return st, true, nil
}

// restore writes a loaded state into the fresh stand-ins.
func (s *Stack) restore(st savedState) error {
	if st.Table != s.Table {
		return fmt.Errorf("restore data: it holds table %q, the stack runs %q", st.Table, s.Table)
	}
	for chunk := range slices.Chunk(st.Items, 25) { // BatchWriteItem's limit
		reqs := make([]map[string]any, len(chunk))
		for i, it := range chunk {
			reqs[i] = map[string]any{"PutRequest": map[string]any{"Item": it}}
		}
		var out struct {
			UnprocessedItems map[string][]json.RawMessage
		}
		if err := callJSON(s.dynamo, "DynamoDB_20120810.BatchWriteItem", map[string]any{"RequestItems": map[string]any{s.Table: reqs}}, &out); err != nil {
			return fmt.Errorf("restore data: write items: %w", err)
		}
		if n := len(out.UnprocessedItems[s.Table]); n > 0 {
			return fmt.Errorf("restore data: write items: %d unprocessed", n)
		}
	}
	s.Outbox.Restore(st.Mail)
	s.Lost = st.Lost
	return nil
}

// save writes the stack's state to its data directory, atomically (a
// temporary file renamed over the old one), so an interrupted save leaves
// the previous state whole.
func (s *Stack) save(seeded bool, lost []LostExecution) error {
	st := savedState{Version: stateVersion, SavedAt: time.Now().UTC(), ClockAhead: s.Clock.Offset(), ClockNow: s.Clock.Now(),
		Seeded: seeded, Table: s.Table, Items: []rawItem{}, Mail: s.Outbox.Messages(), Lost: lost}
	var start json.RawMessage
	for {
		in := map[string]any{"TableName": s.Table, "ConsistentRead": true}
		if start != nil {
			in["ExclusiveStartKey"] = start
		}
		var out struct {
			Items            []rawItem
			LastEvaluatedKey json.RawMessage
		}
		if err := callJSON(s.dynamo, "DynamoDB_20120810.Scan", in, &out); err != nil {
			return fmt.Errorf("save data: scan table: %w", err)
		}
		st.Items = append(st.Items, out.Items...)
		if len(out.LastEvaluatedKey) == 0 || string(out.LastEvaluatedKey) == "null" || string(out.LastEvaluatedKey) == "{}" {
			break
		}
		start = out.LastEvaluatedKey
	}
	b, err := json.MarshalIndent(st, "", " ")
	if err != nil {
		return fmt.Errorf("save data: %w", err)
	}
	if err := os.MkdirAll(s.cfg.DataDir, 0o755); err != nil {
		return fmt.Errorf("save data: %w", err)
	}
	tmp, err := os.CreateTemp(s.cfg.DataDir, stateFile+".*")
	if err != nil {
		return fmt.Errorf("save data: %w", err)
	}
	_, werr := tmp.Write(b)
	cerr := tmp.Close()
	if err := errors.Join(werr, cerr); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("save data: %w", err)
	}
	if err := os.Rename(tmp.Name(), filepath.Join(s.cfg.DataDir, stateFile)); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("save data: %w", err)
	}
	return nil
}

// runningExecutions lists the engine's running executions, through its own
// ListExecutions, for every state machine.
func (s *Stack) runningExecutions() ([]LostExecution, error) {
	var machines struct {
		StateMachines []struct{ StateMachineArn, Name string }
	}
	if err := callJSON(s.Engine, "AWSStepFunctions.ListStateMachines", map[string]any{}, &machines); err != nil {
		return nil, fmt.Errorf("list state machines: %w", err)
	}
	var lost []LostExecution
	for _, m := range machines.StateMachines {
		token := ""
		for {
			in := map[string]any{"stateMachineArn": m.StateMachineArn, "statusFilter": "RUNNING", "maxResults": 1000}
			if token != "" {
				in["nextToken"] = token
			}
			var out struct {
				Executions []struct {
					Name      string  `json:"name"`
					StartDate float64 `json:"startDate"`
				} `json:"executions"`
				NextToken string `json:"nextToken"`
			}
			if err := callJSON(s.Engine, "AWSStepFunctions.ListExecutions", in, &out); err != nil {
				return nil, fmt.Errorf("list executions of %s: %w", m.Name, err)
			}
			for _, x := range out.Executions {
				sec := int64(x.StartDate)
				lost = append(lost, LostExecution{Name: x.Name, StateMachine: m.Name,
					Started: time.Unix(sec, int64((x.StartDate-float64(sec))*1e9)).UTC().Truncate(time.Second)})
			}
			if out.NextToken == "" {
				break
			}
			token = out.NextToken
		}
	}
	slices.SortFunc(lost, func(a, b LostExecution) int { return a.Started.Compare(b.Started) })
	return lost, nil
}

// callJSON calls an AWS JSON-protocol stand-in in-process (past the edge,
// so fault rules never touch a save or a restore).
func callJSON(h http.Handler, target string, in, out any) error {
	body, err := json.Marshal(in)
	if err != nil {
		return err
	}
	req := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(body))
	req.Header.Set("X-Amz-Target", target)
	req.Header.Set("Content-Type", "application/x-amz-json-1.0")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		return fmt.Errorf("%s: %d %s", target, rec.Code, bytes.TrimSpace(rec.Body.Bytes()))
	}
	return json.Unmarshal(rec.Body.Bytes(), out)
}
