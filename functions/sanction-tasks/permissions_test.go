package main

import (
	"testing"

	"github.com/candorhq/candor/infra/deploycheck"
)

// permissions is every AWS action this function performs, with the
// resources it performs it on. template.yaml must grant exactly these, and
// the code must perform no other: TestPermissions checks both.
var permissions = deploycheck.Grants{
	"dynamodb:BatchGetItem": {"Table"}, // the sanction and the business, one read
	"dynamodb:PutItem":      {"Table"}, // the audit entry, in transactions
	"dynamodb:UpdateItem":   {"Table"}, // the email claim, its confirmation, the end
	"dynamodb:DeleteItem":   {"Table"}, // the recorded workflow start
	"dynamodb:Query":        {"Table"}, // the business's other suspensions, at a suspension's end
	"ses:SendEmail":         {deploycheck.SenderIdentity},
}

func TestPermissions(t *testing.T) { deploycheck.CheckFunction(t, permissions) }
