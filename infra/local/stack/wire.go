package stack

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	awsses "github.com/aws/aws-sdk-go-v2/service/ses"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/smithy-go/middleware"
	"github.com/awslabs/aws-lambda-go-api-proxy/httpadapter"

	"github.com/candorhq/candor/infra/local/gateway"
	"github.com/candorhq/candor/shared/api"
	"github.com/candorhq/candor/shared/findreviewer"
	"github.com/candorhq/candor/shared/investigation"
	"github.com/candorhq/candor/shared/mail"
	"github.com/candorhq/candor/shared/moderation"
	"github.com/candorhq/candor/shared/replies"
	"github.com/candorhq/candor/shared/reviewerpage"
	"github.com/candorhq/candor/shared/store"
	"github.com/candorhq/candor/shared/workflow"
)

// wire builds every function as its main would in Lambda — real SDK
// clients, here pointed at the edge — registers the task functions with the
// engine, loads the state machines, and returns the local API Gateway.
func (s *Stack) wire(ctx context.Context) (http.Handler, error) {
	cfg := s.cfg
	// Every function gets its own clients, as each Lambda function builds its
	// own at cold start; DynamoDBAPIOptions go to the API function's only.
	newDB := func(opts ...func(*middleware.Stack) error) *dynamodb.Client {
		return dynamodb.New(dynamodb.Options{Region: cfg.Region, BaseEndpoint: aws.String(s.AWSURL), Credentials: AWSCredentials,
			APIOptions: opts, Retryer: s.newRetryer()})
	}
	apiStore := store.New(newDB(cfg.DynamoDBAPIOptions...), cfg.TableName)
	sfnClient := sfn.New(sfn.Options{Region: cfg.Region, BaseEndpoint: aws.String(s.AWSURL), Credentials: AWSCredentials,
		APIOptions: cfg.SFNAPIOptions, Retryer: s.newRetryer()})
	sesClient := awsses.New(awsses.Options{Region: cfg.Region, BaseEndpoint: aws.String(s.AWSURL), Credentials: AWSCredentials,
		Retryer: s.newRetryer()})
	s.store = store.New(newDB(), cfg.TableName)

	linkBase, err := mail.NewLinks(s.APIURL)
	if err != nil {
		return nil, fmt.Errorf("public base url: %w", err)
	}
	sender, err := mail.NewSender(sesClient, cfg.Sender, mail.NewRenderer(linkBase))
	if err != nil {
		return nil, fmt.Errorf("mail sender: %w", err)
	}

	// Find Reviewer: the task function and its state machine.
	tasks := findreviewer.New(s.store, sender, linkBase, sfnClient, s.Clock, cfg.Logger.With("function", FindReviewerTasksFunction))
	s.Engine.RegisterFunction(FindReviewerTasksFunction, invoker(tasks.Handle))
	frARN, err := s.loadMachine(ctx, FindReviewerMachine, "find-reviewer.asl.json", map[string]string{
		"FindReviewerTasksFunctionArn": s.functionARN(FindReviewerTasksFunction),
		"ReminderAfterSeconds":         seconds(cfg.Windows.ReminderAfter),
		"ReplyWindowSeconds":           seconds(cfg.Windows.Reply),
	})
	if err != nil {
		return nil, err
	}
	// Report investigation: the task function and its state machine.
	rtasks := investigation.New(s.store, sender, linkBase, sfnClient, s.Clock, cfg.Logger.With("function", ReportTasksFunction))
	s.Engine.RegisterFunction(ReportTasksFunction, invoker(rtasks.Handle))
	rrARN, err := s.loadMachine(ctx, ReportMachine, "report-review.asl.json", map[string]string{
		"ReportTasksFunctionArn":  s.functionARN(ReportTasksFunction),
		"ReviewerResponseSeconds": seconds(cfg.Windows.ReviewerResponse),
		"DecisionReminderSeconds": seconds(DecisionReminder),
	})
	if err != nil {
		return nil, err
	}
	s.starter = workflow.NewStarter(sfnClient, map[string]string{workflow.FindReviewer: frARN, workflow.ReportReview: rrARN})

	// The API function and the reviewer-page function behind one gateway.
	a := api.New(api.Config{
		Store:    apiStore,
		Clock:    s.Clock,
		Policy:   moderation.Policy{HideHarmfulOnly: cfg.HidePolicy == "harmful_only"},
		Logger:   cfg.Logger.With("function", "candor-api"),
		Starter:  settling{s.starter, s},
		Answerer: settlingAnswerer{workflow.NewAnswerer(sfnClient), s},
		Windows:  cfg.Windows,
	})
	pages := reviewerpage.New(settlingBackend{replies.New(s.store, sfnClient, s.Clock, cfg.Logger.With("function", "candor-reviewer-page")), s},
		reviewerpage.Options{Logger: cfg.Logger.With("function", "candor-reviewer-page"), Clock: s.Clock})
	routes := append(gateway.RoutesFrom(a.Routes()), gateway.RoutesFrom(reviewerRoutes)...)
	return gateway.New(gateway.Config{Secret: s.secret, Clock: s.Clock, Routes: routes, Logger: cfg.Logger},
		lambdaDispatch(httpadapter.NewV2(a), httpadapter.NewV2(pages))), nil
}

// settling starts a workflow and waits until it is waiting or done, so that a
// local caller sees its first effects (the request email) when the API answers.
// In AWS the execution runs on after the response; only the timing differs.
type settling struct {
	*workflow.Starter
	s *Stack
}

func (st settling) Start(ctx context.Context, w store.WorkflowStart) error {
	err := st.Starter.Start(ctx, w)
	st.s.Settle()
	return err
}

// settlingAnswerer lets the workflow an agent's decision wakes settle before
// the API answers.
type settlingAnswerer struct {
	*workflow.Answerer
	s *Stack
}

func (a settlingAnswerer) Succeed(ctx context.Context, token string, output any) error {
	err := a.Answerer.Succeed(ctx, token, output)
	a.s.Settle()
	return err
}

// settlingBackend lets the workflow woken by a reviewer's answer settle
// before the page answers, for the same reason.
type settlingBackend struct {
	reviewerpage.Backend
	s *Stack
}

func (b settlingBackend) Submit(ctx context.Context, hash string, sub reviewerpage.Submission) error {
	err := b.Backend.Submit(ctx, hash, sub)
	b.s.Settle()
	return err
}

// newRetryer returns a retryer for one of the functions' clients: nil (the
// client's default, the SDK's standard retryer) unless NoSDKBackoff is set,
// then the standard retryer without back-off.
func (s *Stack) newRetryer() aws.Retryer {
	if !s.cfg.NoSDKBackoff {
		return nil
	}
	return retry.NewStandard(func(o *retry.StandardOptions) {
		o.Backoff = retry.BackoffDelayerFunc(func(int, error) (time.Duration, error) { return 0, nil })
	})
}
