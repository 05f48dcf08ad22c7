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
	"dynamodb:UpdateItem":           {"Table"}, // in the claim's transaction
	"dynamodb:PutItem":              {"Table"}, // in the claim's transaction (its audit entry)
	"dynamodb:Query":                {"Table", deploycheck.TableIndexes},
	"secretsmanager:GetSecretValue": {"ConsoleSessionSecret", "ConsoleClientSecret"},
	"s3:GetObject":                  {"DocumentsBucket/documents/*"}, // only to presign an agent's 60-second read
}

func TestPermissions(t *testing.T) { deploycheck.CheckFunction(t, permissions) }
