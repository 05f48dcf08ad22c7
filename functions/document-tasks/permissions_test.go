package main

import (
	"testing"

	"github.com/candorhq/candor/infra/deploycheck"
)

// permissions is every AWS action this function performs, with the
// resources it performs it on. template.yaml must grant exactly these, and
// the code must perform no other: TestPermissions checks both.
var permissions = deploycheck.Grants{
	"dynamodb:GetItem":    {"Table"},                           // the document by id
	"dynamodb:Query":      {"Table", deploycheck.TableIndexes}, // the document by id (GSI1), due retentions (GSI2), the report's partition
	"dynamodb:UpdateItem": {"Table"},                           // the scan result, the retention item
	"dynamodb:PutItem":    {"Table"},                           // audit entries, in transactions
	"dynamodb:DeleteItem": {"Table"},                           // the documents' records at their end
	"s3:ListBucket":       {"DocumentsBucket"},                 // a report's objects at their end
	"s3:PutObjectTagging": {"DocumentsBucket/documents/*"},     // the lifecycle tag
}

func TestPermissions(t *testing.T) { deploycheck.CheckFunction(t, permissions) }
