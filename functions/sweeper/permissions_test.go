package main

import (
	"testing"

	"github.com/candorhq/candor/infra/deploycheck"
)

// permissions is every AWS action this function performs, with the
// resources it performs it on. template.yaml must grant exactly these, and
// the code must perform no other: TestPermissions checks both.
var permissions = deploycheck.Grants{
	"dynamodb:Query":         {"Table"},
	"dynamodb:GetItem":       {"Table"}, // the token of a task to wake again
	"dynamodb:DeleteItem":    {"Table"}, // a wake-up answered
	"states:StartExecution":  {"FindReviewerStateMachine", "InvestigationStateMachine", "SanctionStateMachine", "AppealStateMachine", "ReplyStateMachine"},
	"states:SendTaskSuccess": {"FindReviewerStateMachine", "InvestigationStateMachine", "AppealStateMachine"}, // a failed wake-up, again
}

func TestPermissions(t *testing.T) { deploycheck.CheckFunction(t, permissions) }
