package main

import (
	"testing"

	"github.com/candorhq/candor/infra/deploycheck"
)

// permissions is every AWS action this function performs, with the
// resources it performs it on. template.yaml must grant exactly these, and
// the code must perform no other: TestPermissions checks both.
var permissions = deploycheck.Grants{
	"dynamodb:GetItem":    {"Table"},
	"dynamodb:PutItem":    {"Table"},
	"dynamodb:UpdateItem": {"Table"},                           // a business's queue head: marked due with a new delivery, rescheduled after a run
	"dynamodb:DeleteItem": {"Table"},                           // a queue head found empty twice
	"dynamodb:Query":      {"Table", deploycheck.TableIndexes}, // a business's webhooks; GSI1: the events to fan out, the due queues, a business's queue
}

func TestPermissions(t *testing.T) { deploycheck.CheckFunction(t, permissions) }
