package main

import (
	"testing"

	"github.com/candorhq/candor/infra/deploycheck"
)

// permissions is every AWS action this function performs, with the
// resources it performs it on. template.yaml must grant exactly these, and
// the code must perform no other: TestPermissions checks both.
var permissions = deploycheck.Grants{
	"dynamodb:GetItem":              {"Table"},
	"dynamodb:BatchGetItem":         {"Table"}, // the business's reporting on the case page and its own page (its month buckets)
	"dynamodb:UpdateItem":           {"Table"}, // in the claim's transaction
	"dynamodb:PutItem":              {"Table"}, // in the claim's and a note's transactions (audit entries, the note)
	"dynamodb:Query":                {"Table", deploycheck.TableIndexes},
	"secretsmanager:GetSecretValue": {"ConsoleSessionSecret", "ConsoleClientSecret"},
	"states:StartExecution":         {"ReplyStateMachine", "SanctionStateMachine"},       // a decision on a reply ticket tells the business and the reviewer; a sanction tells the business
	"states:SendTaskSuccess":        {"InvestigationStateMachine", "AppealStateMachine"}, // a decision wakes the report's or the appeal's workflow
	"s3:GetObject":                  {"DocumentsBucket/documents/*"},                     // only to presign an agent's 60-second read
}

func TestPermissions(t *testing.T) { deploycheck.CheckFunction(t, permissions) }
