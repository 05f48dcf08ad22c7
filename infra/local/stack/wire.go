package stack

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/smithy-go/middleware"
	"github.com/awslabs/aws-lambda-go-api-proxy/httpadapter"

	"github.com/candorhq/candor/infra/local/gateway"
	"github.com/candorhq/candor/shared/brand"
	"github.com/candorhq/candor/shared/envconfig"
	"github.com/candorhq/candor/shared/httpapi"
	"github.com/candorhq/candor/shared/webhook"
	"github.com/candorhq/candor/shared/wire/apifunc"
	"github.com/candorhq/candor/shared/wire/findreviewerfunc"
	"github.com/candorhq/candor/shared/wire/investigationfunc"
	"github.com/candorhq/candor/shared/wire/pagesfunc"
	"github.com/candorhq/candor/shared/wire/sanctionfunc"
	"github.com/candorhq/candor/shared/wire/sweeperfunc"
	"github.com/candorhq/candor/shared/wire/webhookfunc"
)

// wire builds every function with its one constructor (the New of its
// package under shared/wire), as
// its main does in Lambda — real SDK clients, here pointed at the edge, and
// an environment as template.yaml gives it — registers the task functions
// with the engine, loads the state machines, and returns the local API
// Gateway.
func (s *Stack) wire(ctx context.Context) (http.Handler, error) {
	cfg := s.cfg
	frARN := s.machineARN(FindReviewerMachine)
	invARN := s.machineARN(InvestigationMachine)
	common := map[string]string{"TABLE_NAME": cfg.TableName, "LOG_LEVEL": "debug",
		brand.EnvName: cfg.Brand.Name, brand.EnvLogoURL: cfg.Brand.LogoURL}
	hooks := map[string]string{"WEBHOOK_TARGETS": "local"}
	documents := map[string]string{"DOCUMENTS_BUCKET": DocumentsBucket}
	mailing := map[string]string{"PUBLIC_BASE_URL": s.APIURL, "SENDER_ADDRESS": cfg.Sender,
		"BUSINESS_REPORT_URL": s.APIURL + BusinessReportPath + "{reportId}", "BUSINESS_REQUEST_URL": s.APIURL + BusinessRequestPath + "{requestId}"}
	starting := map[string]string{"FIND_REVIEWER_STATE_MACHINE_ARN": frARN, "INVESTIGATION_STATE_MACHINE_ARN": invARN,
		"SANCTION_STATE_MACHINE_ARN": s.machineARN(SanctionMachine), "APPEAL_STATE_MACHINE_ARN": s.machineARN(AppealMachine),
		"REPLY_STATE_MACHINE_ARN": s.machineARN(ReplyMachine)}

	frTasks, err := findreviewerfunc.New(s.env(common, mailing), s.awsConfig(), s.Clock, cfg.Logger.With("function", FindReviewerTasksFunction))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", FindReviewerTasksFunction, err)
	}
	s.Engine.RegisterFunction(FindReviewerTasksFunction, s.invoker(FindReviewerTasksFunction, frTasks.Handle))
	invTasks, err := investigationfunc.New(s.env(common, mailing), s.awsConfig(), s.Clock, cfg.Logger.With("function", InvestigationTasksFunction))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", InvestigationTasksFunction, err)
	}
	s.Engine.RegisterFunction(InvestigationTasksFunction, s.invoker(InvestigationTasksFunction, invTasks.Handle))
	if err := s.loadMachine(ctx, FindReviewerMachine, "find-reviewer.asl.json", map[string]string{
		"FindReviewerTasksFunctionArn": s.functionARN(FindReviewerTasksFunction),
	}); err != nil {
		return nil, err
	}
	if err := s.loadMachine(ctx, InvestigationMachine, "investigation.asl.json", map[string]string{
		"InvestigationTasksFunctionArn": s.functionARN(InvestigationTasksFunction),
	}); err != nil {
		return nil, err
	}
	if err := s.loadMachine(ctx, ReplyMachine, "reply.asl.json", map[string]string{
		"FindReviewerTasksFunctionArn": s.functionARN(FindReviewerTasksFunction),
	}); err != nil {
		return nil, err
	}
	if err := s.loadMachine(ctx, AppealMachine, "appeal.asl.json", map[string]string{
		"InvestigationTasksFunctionArn": s.functionARN(InvestigationTasksFunction),
	}); err != nil {
		return nil, err
	}
	sncTasks, err := sanctionfunc.New(s.env(common, mailing), s.awsConfig(), s.Clock, cfg.Logger.With("function", SanctionTasksFunction))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", SanctionTasksFunction, err)
	}
	s.Engine.RegisterFunction(SanctionTasksFunction, s.invoker(SanctionTasksFunction, sncTasks.Handle))
	if err := s.loadMachine(ctx, SanctionMachine, "sanction.asl.json", map[string]string{
		"SanctionTasksFunctionArn": s.functionARN(SanctionTasksFunction),
	}); err != nil {
		return nil, err
	}

	p := cfg.Policy // with defaults filled
	policy := map[string]string{"HIDE_POLICY": cfg.HidePolicy, "MAX_REVIEWER_ROUNDS": strconv.Itoa(p.MaxReviewerRounds),
		"PROOF_WINDOW_SECONDS": seconds(p.ProofWindow), "REVIEWER_ACTION_WINDOW_SECONDS": seconds(p.ReviewerActionWindow),
		"DECISION_REMINDER_SECONDS": seconds(p.DecisionReminder), "APPEAL_WINDOW_SECONDS": seconds(p.AppealWindow),
		"REPLY_WINDOW_SECONDS": seconds(p.FindReviewerReplyWindow), "REMINDER_AFTER_SECONDS": seconds(p.FindReviewerReminderAfter),
		"REPORTS_PER_HOUR": strconv.Itoa(p.ReportsPerHour), "REQUESTS_PER_HOUR": strconv.Itoa(p.RequestsPerHour),
		"MISUSE_MIN_REPORTS": strconv.Itoa(p.Misuse.MinReports), "MISUSE_UNFOUNDED_PERCENT": strconv.Itoa(int(p.Misuse.UnfoundedShare*100 + 0.5)),
		"MISUSE_WINDOW_MONTHS": strconv.Itoa(p.Misuse.WindowMonths), "DOCUMENT_RETENTION_SECONDS": seconds(p.DocumentRetention)}
	if cfg.HidePolicy == "" {
		policy["HIDE_POLICY"] = "all"
	}
	s.consoleEnv = map[string]string{}
	for _, m := range []map[string]string{starting, policy} {
		for k, v := range m {
			s.consoleEnv[k] = v
		}
	}
	apiCfg := s.awsConfig()
	apiCfg.APIOptions = append(apiCfg.APIOptions, cfg.APIFunctionOptions...)
	a, err := apifunc.New(s.env(common, starting, policy, hooks, documents), apiCfg, s.Clock, cfg.Logger.With("function", "candor-api"))
	if err != nil {
		return nil, fmt.Errorf("candor-api: %w", err)
	}
	pages, err := pagesfunc.New(s.env(common, map[string]string{"APPEAL_STATE_MACHINE_ARN": s.machineARN(AppealMachine),
		"DECISION_REMINDER_SECONDS": seconds(p.DecisionReminder), "DOCUMENTS_BUCKET": DocumentsBucket, "PUBLIC_BASE_URL": s.APIURL}), s.awsConfig(), s.Clock, cfg.Logger.With("function", "candor-reviewer-page"))
	if err != nil {
		return nil, fmt.Errorf("candor-reviewer-page: %w", err)
	}
	if s.sweeper, err = sweeperfunc.New(s.env(common, starting, map[string]string{"SWEEP_GRACE_SECONDS": seconds(cfg.SweepGrace)}),
		s.awsConfig(), s.Clock, cfg.Logger.With("function", "candor-sweeper")); err != nil {
		return nil, fmt.Errorf("candor-sweeper: %w", err)
	}
	timeout := cfg.WebhookTimeout
	if timeout <= 0 {
		timeout = webhook.DeliveryTimeout
	}
	dispatching := map[string]string{"WEBHOOK_TIMEOUT_MS": strconv.FormatInt(timeout.Milliseconds(), 10)}
	if s.dispatcher, err = webhookfunc.New(s.env(common, hooks, dispatching), s.awsConfig(), s.Clock, cfg.Logger.With("function", "candor-webhook-dispatcher")); err != nil {
		return nil, fmt.Errorf("candor-webhook-dispatcher: %w", err)
	}
	if err := s.wireDocumentTasks(common); err != nil {
		return nil, err
	}
	routes := append(gateway.RoutesFrom(a.Routes()), gateway.RoutesFrom(reviewerRoutes)...)
	return gateway.New(gateway.Config{Secret: s.secret, Clock: cfg.WallClock, Routes: routes, Logger: cfg.Logger},
		s.settled(s.lambdaDispatch(httpadapter.NewV2(a), httpadapter.NewV2(pages)))), nil
}

// env is a function's environment, as template.yaml sets it.
func (s *Stack) env(parts ...map[string]string) *envconfig.Env {
	m := map[string]string{}
	for _, p := range parts {
		for k, v := range p {
			m[k] = v
		}
	}
	return envconfig.FromMap(m)
}

// awsConfig is the aws.Config of one function: the region and static
// credentials of the local stack, the edge as its endpoint, and the
// options every function's clients get (tests inject failures with them).
func (s *Stack) awsConfig() aws.Config {
	cfg := aws.Config{Region: s.cfg.Region, BaseEndpoint: aws.String(s.AWSURL), Credentials: AWSCredentials,
		APIOptions: append([]func(*middleware.Stack) error(nil), s.cfg.FunctionOptions...)}
	if s.cfg.NoSDKBackoff {
		cfg.Retryer = func() aws.Retryer {
			return retry.NewStandard(func(o *retry.StandardOptions) {
				o.Backoff = retry.BackoffDelayerFunc(func(int, error) (time.Duration, error) { return 0, nil })
			})
		}
	}
	return cfg
}

// settled lets whatever an API request or a reviewer's submission set off
// (a workflow started or woken) settle before the response goes out, so a
// local caller sees its first effects — the request email, the decision's
// email — when the API answers. In AWS the execution runs on after the
// response; only the timing differs.
func (s *Stack) settled(h gateway.Handler) gateway.Handler {
	return func(ctx context.Context, ev events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
		res, err := h(ctx, ev)
		s.Settle()
		if ev.RawPath == "/v1/webhooks" && res.StatusCode == http.StatusCreated {
			s.webhooksSeen.Store(true)
		}
		if s.webhooksSeen.Load() {
			// The deliveries go out at once, not at the next minute: a demo
			// shows them as it shows the emails. (Only once a webhook exists,
			// so that the cost tests count the dispatcher's scheduled runs
			// only.) Only the caller's queue and those of the events the
			// request set off are worked: another business's slow receiver
			// never holds up this response.
			var callers []string
			if a := ev.RequestContext.Authorizer; a != nil && a.JWT != nil && a.JWT.Claims[httpapi.ClaimBusinessID] != "" {
				callers = append(callers, a.JWT.Claims[httpapi.ClaimBusinessID])
			}
			s.dispatchWebhooksFor(ctx, callers...)
		}
		return res, err
	}
}
