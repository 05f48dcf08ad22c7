package main

import (
	"testing"

	"github.com/candorhq/candor/infra/deploycheck"
)

// permissions is every AWS action this function performs, with the
// resources it performs it on. template.yaml must grant exactly these, and
// the code must perform no other: TestPermissions checks both.
var permissions = deploycheck.Grants{
	"dynamodb:BatchGetItem":  {"Table"}, // a task reads its objects in one call
	"dynamodb:Query":         {"Table"}, // the reviewer's answers, for the copy of what they sent
	"dynamodb:PutItem":       {"Table"}, // in transactions
	"dynamodb:UpdateItem":    {"Table"},
	"dynamodb:DeleteItem":    {"Table"}, // the recorded workflow start, in the first task's transaction
	"ses:SendEmail":          {deploycheck.SenderIdentity},
	"states:SendTaskSuccess": {"InvestigationStateMachine", "AppealStateMachine"},
}

func TestPermissions(t *testing.T) { deploycheck.CheckFunction(t, permissions) }
