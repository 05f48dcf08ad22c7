package main

import (
	"testing"

	"github.com/candorhq/candor/infra/deploycheck"
)

// permissions is every AWS action this function performs, with the
// resources it performs it on. template.yaml must grant exactly these, and
// the code must perform no other: TestPermissions checks both.
var permissions = deploycheck.Grants{
	"dynamodb:GetItem":       {"Table"},
	"dynamodb:PutItem":       {"Table"},                     // in transactions
	"dynamodb:UpdateItem":    {"Table"},                     // in transactions
	"dynamodb:DeleteItem":    {"Table"},                     // in transactions: a removed or refused document
	"s3:PutObject":           {deploycheck.DocumentObjects}, // the presigned upload form is signed with the function's role
	"s3:GetObject":           {deploycheck.DocumentObjects}, // HeadObject and the first bytes of an upload
	"s3:DeleteObject":        {deploycheck.DocumentObjects}, // a refused or removed upload
	"dynamodb:Query":         {"Table"},
	"states:SendTaskSuccess": {"FindReviewerStateMachine", "InvestigationStateMachine"},
	"states:StartExecution":  {"AppealStateMachine"}, // a reviewer's appeal starts its workflow
}

func TestPermissions(t *testing.T) { deploycheck.CheckFunction(t, permissions) }
