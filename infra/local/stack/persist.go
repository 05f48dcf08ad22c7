package stack

import (
	"bytes"
	"context"
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
	"github.com/candorhq/candor/infra/local/stepfunctions"
)

// What Config.DataDir keeps between runs.
//
// The stack saves to <DataDir>/state.json when it stops (Close: Ctrl-C or
// SIGTERM for cmd infra/local) and loads it when it starts:
//
//   - the DynamoDB table, item by item (so every report, request, ticket,
//     link, idempotency record and mail claim survives);
//   - the mailbox (every email the SES stand-in accepted, with its links);
//   - the clock's distance from the wall clock, so that times written by a
//     run that had moved the clock on stay in the past;
//   - the Step Functions executions (the engine's Snapshot): each one's
//     ARN, input, history and outcome, and for a running one where it
//     waits (a Wait state, a task token, a retry's back-off) with its
//     deadlines as times on the stack's clock. The next run resumes them
//     where they waited: a task token emailed before the stop answers the
//     task after it, no email is sent again, and a deadline the clock has
//     passed meanwhile fires as the stack starts.
//
// An execution the engine cannot resume (one waiting inside a Parallel or
// Map state, which no Candor machine has, or one whose state left the
// machine's definition) is closed ABORTED with the reason, and the stack
// names it (a warning, and the banner); so does a data file written by a
// stack that did not keep executions (layout 1).

// stateFile is the file in Config.DataDir.
const stateFile = "state.json"

// stateVersion is the layout of stateFile. Layout 1 (no executions) is
// still read; a file of another version is refused rather than half read.
const stateVersion = 2

// savedState is the content of stateFile.
type savedState struct {
	Version int       `json:"version"`
	SavedAt time.Time `json:"savedAt"`
	// ClockAhead is how far the stack's clock was ahead of the wall clock
	// (a running clock), and ClockNow the clock's time, when it stopped.
	ClockAhead time.Duration `json:"clockAheadNanos"`
	ClockNow   time.Time     `json:"clockNow"`
	// Seeded says the demo platform was loaded into this data.
	Seeded bool          `json:"seeded"`
	Table  string        `json:"table"`
	Items  []rawItem     `json:"items"` // in DynamoDB's JSON form
	Mail   []ses.Message `json:"mail"`
	// Executions are the engine's executions (nil in layout 1).
	Executions *stepfunctions.Snapshot `json:"executions,omitempty"`
	// Lost are the executions that could not be resumed at an earlier
	// start: their objects may still wait, so every run names them.
	Lost []LostExecution `json:"lostExecutions"`
}

type rawItem = json.RawMessage

// LostExecution is an execution a restart could not resume: it was running
// when the stack stopped, and its object may wait for a step that will not
// come.
type LostExecution struct {
	Name         string    `json:"name"`
	StateMachine string    `json:"stateMachine"` // its name, e.g. candor-find-reviewer
	Started      time.Time `json:"started"`
	Reason       string    `json:"reason,omitempty"`
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
	if st.Version != stateVersion && st.Version != 1 {
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
	if st.Version == 1 {
		for i := range s.Lost {
			s.Lost[i].Reason = "the data was saved by a stack that did not keep executions"
		}
	}
	if st.Executions == nil {
		return nil
	}
	notResumed, err := s.Engine.Restore(st.Executions)
	if err != nil {
		return fmt.Errorf("restore data: executions: %w", err)
	}
	for _, x := range notResumed {
		s.Lost = append(s.Lost, LostExecution{Name: x.Name, StateMachine: x.StateMachine, Started: x.Started.UTC().Truncate(time.Second), Reason: x.Reason})
	}
	// The resumed executions take up their waits; a deadline the clock
	// passed while the stack was stopped fires now.
	ctx := context.Background()
	s.Settle()
	if err := s.Engine.Advance(ctx, 0); err != nil {
		return fmt.Errorf("restore data: fire due timers: %w", err)
	}
	return nil
}

// save writes the stack's state to its data directory, atomically (a
// temporary file renamed over the old one), so an interrupted save leaves
// the previous state whole.
func (s *Stack) save(seeded bool, executions *stepfunctions.Snapshot, lost []LostExecution) error {
	st := savedState{Version: stateVersion, SavedAt: time.Now().UTC(), ClockAhead: s.Clock.Offset(), ClockNow: s.Clock.Now(),
		Seeded: seeded, Table: s.Table, Items: []rawItem{}, Mail: s.Outbox.Messages(), Executions: executions, Lost: lost}
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
