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
	"dynamodb:BatchGetItem":  {"Table"}, // the reporting signals' month buckets
	"dynamodb:PutItem":       {"Table"}, // in transactions
	"dynamodb:UpdateItem":    {"Table"},
	"dynamodb:Query":         {"Table", deploycheck.TableIndexes},
	"dynamodb:DeleteItem":    {"Table"}, // DELETE /v1/webhooks/{id}
	"states:StartExecution":  {"FindReviewerStateMachine", "InvestigationStateMachine", "SanctionStateMachine", "AppealStateMachine", "ReplyStateMachine"},
	"states:SendTaskSuccess": {"InvestigationStateMachine", "AppealStateMachine"}, // an agent's decision wakes the report's or the appeal's workflow
	"s3:GetObject":           {"DocumentsBucket/documents/*"},                     // only to presign compliance's 60-second read
}

func TestPermissions(t *testing.T) { deploycheck.CheckFunction(t, permissions) }
