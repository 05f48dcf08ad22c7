package stack_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/candorhq/candor/infra/local/stack"
)

func startWithData(t *testing.T, dir string) *stack.Stack {
	t.Helper()
	s, err := stack.Start(context.Background(), stack.Config{APIAddr: "127.0.0.1:0", AWSAddr: "127.0.0.1:0", Start: t0, Seed: true,
		DataDir: dir, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func post(t *testing.T, url, token, body string) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest("POST", url, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var out map[string]any
	json.NewDecoder(res.Body).Decode(&out)
	return res.StatusCode, out
}

// TestDataDirKeepsTheStateBetweenRuns: a stack started with a data
// directory, stopped and started again, has the reports, requests, mail and
// clock of the first run, does not seed again, and says which workflow
// executions it could not keep.
func TestDataDirKeepsTheStateBetweenRuns(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	first := startWithData(t, dir)
	if !first.Restored.IsZero() {
		t.Fatalf("a new data directory restored a state saved %v", first.Restored)
	}
	tok := first.Demo.Businesses[0].Token
	status, report := post(t, first.APIURL+"/v1/reviews/rev-acme-01/reports", tok, `{"items": [{"scope": "content", "reason": "offensive_or_harmful",
		"details": "Calls the owner a fraud who belongs in jail.", "excerpt": "The owner is a fraud and should be in jail."}],
		"publicStatement": "We have no record of this order; the accusation is false."}`)
	if status != http.StatusAccepted {
		t.Fatalf("POST report: %d %v", status, report)
	}
	status, request := post(t, first.APIURL+"/v1/reviews/rev-acme-02/reviewer-requests", tok,
		`{"message": "Hello! We cannot find your order. Could you send us your order number?"}`)
	if status != http.StatusAccepted {
		t.Fatalf("POST reviewer request: %d %v", status, request)
	}
	first.Settle()
	moved := first.Advance(time.Hour)
	mail := len(first.Outbox.Messages())
	if mail == 0 {
		t.Fatal("the reviewer request sent no email")
	}
	first.Close()
	if err := first.SaveErr(); err != nil {
		t.Fatalf("save: %v", err)
	}

	second := startWithData(t, dir)
	defer second.Close()
	if second.Restored.IsZero() {
		t.Fatal("the second run did not restore the data")
	}
	if got := second.Clock.Now(); got.Before(moved) {
		t.Errorf("clock after restore = %v, want not before %v (where the first run left it)", got, moved)
	}
	if second.Demo == nil {
		t.Fatal("restored demo platform has no tokens in the banner")
	}
	tok = second.Demo.Businesses[0].Token
	status, body := get(t, second.APIURL+"/v1/reports", tok)
	if status != 200 || len(body["items"].([]any)) != 1 {
		t.Fatalf("GET /v1/reports after restore: %d %v, want the one report", status, body)
	}
	if got := body["items"].([]any)[0].(map[string]any)["id"]; got != report["id"] {
		t.Errorf("restored report id = %v, want %v", got, report["id"])
	}
	status, body = get(t, second.APIURL+"/v1/reviewer-requests", tok)
	if status != 200 || len(body["items"].([]any)) != 1 {
		t.Fatalf("GET /v1/reviewer-requests after restore: %d %v", status, body)
	}
	// The review stays hidden to the public, as the report left it.
	if status, _ := get(t, second.APIURL+"/v1/public/reviews/rev-acme-01", ""); status != 200 {
		t.Errorf("public review after restore: %d", status)
	}
	if got := len(second.Outbox.Messages()); got != mail {
		t.Errorf("mailbox after restore holds %d messages, want %d", got, mail)
	}
	// A second report on the same review is still refused: the table kept it.
	status, body = post(t, second.APIURL+"/v1/reviews/rev-acme-01/reports", tok, `{"items": [{"scope": "content", "reason": "offensive_or_harmful",
		"details": "Calls the owner a fraud who belongs in jail.", "excerpt": "The owner is a fraud and should be in jail."}],
		"publicStatement": "We have no record of this order; the accusation is false."}`)
	if status != http.StatusConflict {
		t.Errorf("second report after restore: %d %v, want 409", status, body)
	}
	// The Find Reviewer execution waiting for the reviewer was resumed: nothing is named lost.
	if len(second.Lost) != 0 {
		t.Errorf("lost executions = %v, want none", second.Lost)
	}
	var banner strings.Builder
	stack.Banner(&banner, second)
	if !strings.Contains(banner.String(), "restored") || strings.Contains(banner.String(), "could not be resumed") {
		t.Errorf("banner does not say the data was restored, or names executions lost:\n%s", banner.String())
	}
}

// TestDataOfTheFirstLayoutIsReadAndItsLostExecutionsNamed: a data file
// written by a stack that did not keep executions is still loaded, and the
// executions it lost are named with the reason, in the banner and at the
// next save.
func TestDataOfTheFirstLayoutIsReadAndItsLostExecutionsNamed(t *testing.T) {
	dir := t.TempDir()
	old := `{"version": 1, "savedAt": "2026-01-01T00:00:00Z", "clockNow": "2026-01-01T00:00:00Z", "table": "candor", "items": [], "mail": [],
	  "lostExecutions": [{"name": "rr-1", "stateMachine": "candor-find-reviewer", "started": "2025-12-30T10:00:00Z"}]}`
	if err := os.WriteFile(filepath.Join(dir, "state.json"), []byte(old), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := stack.Start(context.Background(), stack.Config{APIAddr: "127.0.0.1:0", AWSAddr: "127.0.0.1:0", Start: t0, DataDir: dir,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatalf("Start with a layout-1 state: %v", err)
	}
	if len(s.Lost) != 1 || s.Lost[0].Name != "rr-1" || !strings.Contains(s.Lost[0].Reason, "did not keep executions") {
		t.Errorf("lost executions = %+v, want rr-1 with the reason", s.Lost)
	}
	var banner strings.Builder
	stack.Banner(&banner, s)
	if !strings.Contains(banner.String(), "could not be resumed") || !strings.Contains(banner.String(), "rr-1") {
		t.Errorf("banner does not name the execution lost:\n%s", banner.String())
	}
	s.Close()
	b, _ := os.ReadFile(filepath.Join(dir, "state.json"))
	if !strings.Contains(string(b), `"rr-1"`) || !strings.Contains(string(b), `"version": 2`) {
		t.Errorf("the next save forgot the lost execution or kept the old layout:\n%.400s", b)
	}
}

func TestDataDirOfAnotherLayoutIsRefused(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "state.json"), []byte(`{"version": 99}`), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := stack.Start(context.Background(), stack.Config{APIAddr: "127.0.0.1:0", AWSAddr: "127.0.0.1:0", Start: t0, DataDir: dir,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err == nil || !strings.Contains(err.Error(), "version 99") {
		t.Fatalf("Start with a state of layout 99 = %v, want a refusal naming the version", err)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "state.json")); string(b) != `{"version": 99}` {
		t.Errorf("the refused state was overwritten: %s", b)
	}
}
