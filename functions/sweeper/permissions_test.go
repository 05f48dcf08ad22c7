package main

import (
	"testing"

	"github.com/candorhq/candor/infra/deploycheck"
)

// permissions is every AWS action this function performs, with the
// resources it performs it on. template.yaml must grant exactly these, and
// the code must perform no other: TestPermissions checks both.
var permissions = deploycheck.Grants{
	"dynamodb:Query":        {"Table"},
	"states:StartExecution": {"FindReviewerStateMachine", "InvestigationStateMachine", "SanctionStateMachine", "AppealStateMachine", "ReplyStateMachine"},
}

func TestPermissions(t *testing.T) { deploycheck.CheckFunction(t, permissions) }
