// Package pagesfunc builds the reviewer-page function: the pages of the reviewers' links.
package pagesfunc

import (
	"log/slog"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/sfn"

	"github.com/candorhq/candor/shared/app"
	"github.com/candorhq/candor/shared/clock"
	"github.com/candorhq/candor/shared/envconfig"
	"github.com/candorhq/candor/shared/reviewerpage"
	"github.com/candorhq/candor/shared/store"
	"github.com/candorhq/candor/shared/workflow"
)

// New builds the reviewer-page function's handler: the pages of
// the reviewers' links. Environment: TABLE_NAME.
func New(env *envconfig.Env, cfg aws.Config, c clock.Clock, log *slog.Logger) (*reviewerpage.Handler, error) {
	table := env.Required("TABLE_NAME")
	if err := env.Err(); err != nil {
		return nil, err
	}
	uc := app.New(app.Config{Store: store.New(dynamodb.NewFromConfig(cfg), table), Clock: c,
		Waker: workflow.NewAnswerer(sfn.NewFromConfig(cfg)), Logger: log})
	return reviewerpage.New(pages{uc}, reviewerpage.Options{Logger: log, Clock: c}), nil
}
