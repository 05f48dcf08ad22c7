// Package pagesfunc builds the reviewer-page function: the pages of the reviewers' links.
package pagesfunc

import (
	"fmt"
	"log/slog"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/candorhq/candor/shared/app"
	"github.com/candorhq/candor/shared/brand"
	"github.com/candorhq/candor/shared/clock"
	"github.com/candorhq/candor/shared/docupload"
	"github.com/candorhq/candor/shared/envconfig"
	"github.com/candorhq/candor/shared/moderation"
	"github.com/candorhq/candor/shared/reviewerpage"
	"github.com/candorhq/candor/shared/store"
	"github.com/candorhq/candor/shared/workflow"
)

// New builds the reviewer-page function's handler: the pages of
// the reviewers' links. Environment: TABLE_NAME and APPEAL_STATE_MACHINE_ARN
// (required: a reviewer's appeal starts its workflow), DECISION_REMINDER_SECONDS
// (the appeal workflow's decision reminder, as the API's), PLATFORM_NAME and
// PLATFORM_LOGO_URL (the platform every page names; brand.FromEnv),
// DOCUMENTS_BUCKET and PUBLIC_BASE_URL (the bucket reviewers' documents
// are uploaded to, required, and the pages' origin the bucket sends the
// browser back to; "" or unset: the host each request reached, over HTTPS). A custom endpoint (AWS_ENDPOINT_URL: the local
// stack, LocalStack) is addressed path-style.
func New(env *envconfig.Env, cfg aws.Config, c clock.Clock, log *slog.Logger) (*reviewerpage.Handler, error) {
	table := env.Required("TABLE_NAME")
	machines := map[string]string{app.MachineAppeal: env.Required("APPEAL_STATE_MACHINE_ARN")}
	policy := moderation.DefaultPolicy
	policy.DecisionReminder = env.Seconds("DECISION_REMINDER_SECONDS", policy.DecisionReminder)
	bucket, public := env.Required("DOCUMENTS_BUCKET"), env.Optional("PUBLIC_BASE_URL", "")
	b, berr := brand.FromEnv(env)
	if err := env.Err(); err != nil {
		return nil, err
	}
	if berr != nil {
		return nil, fmt.Errorf("reviewer pages: %w", berr)
	}
	client := workflow.ClientOnFirstUse(cfg)
	uc := app.New(app.Config{Store: store.New(dynamodb.NewFromConfig(cfg), table), Clock: c, Policy: policy,
		Starter: workflow.NewStarter(client, machines), Waker: workflow.NewAnswerer(client), Logger: log,
		Bucket: docupload.New(func() *s3.Client {
			return s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = cfg.BaseEndpoint != nil })
		}, bucket)})
	return reviewerpage.New(pages{uc}, reviewerpage.Options{Logger: log, Clock: c, Brand: b,
		Documents: documents{uc}, PublicURL: public}), nil
}
