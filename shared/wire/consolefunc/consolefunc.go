// Package consolefunc builds the console function: the compliance console's
// pages at /console, with the sign-in through the platform's identity
// provider.
package consolefunc

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"

	"github.com/candorhq/candor/shared/app"
	"github.com/candorhq/candor/shared/brand"
	"github.com/candorhq/candor/shared/clock"
	"github.com/candorhq/candor/shared/console"
	"github.com/candorhq/candor/shared/consoleauth"
	"github.com/candorhq/candor/shared/envconfig"
	"github.com/candorhq/candor/shared/store"
	"github.com/candorhq/candor/shared/webhook"
	"github.com/candorhq/candor/shared/wire"
	"github.com/candorhq/candor/shared/wire/documentfunc"
	"github.com/candorhq/candor/shared/workflow"
)

// Secrets are the console's two secrets: the session cookies' keys and the
// OIDC client's secret.
type Secrets interface {
	SessionKeys(ctx context.Context) (consoleauth.Keys, error)
	ClientSecret(ctx context.Context) (string, error)
}

// Options are what the environment does not say.
type Options struct {
	// WallClock is real time: the session's lifetime and idle timeout and
	// the ID tokens' expiry run on it (nil: the system clock). The domain's
	// clock, which the local stack moves, measures the queues' ages.
	WallClock clock.Clock
	// InsecureCookie drops the cookies' Secure attribute: only for a
	// console served over plain http on localhost.
	InsecureCookie bool
	// HTTPClient talks to the identity provider (nil: http.DefaultClient).
	HTTPClient *http.Client
}

// desk is what the console's pages ask of the use cases: the tickets'
// (app.App) and the documents' (app.Documents).
type desk struct {
	*app.App
	*app.Documents
}

var _ console.Desk = desk{}

// New builds the console function's handler. Environment: TABLE_NAME,
// CONSOLE_ISSUER, CONSOLE_CLIENT_ID and DOCUMENTS_BUCKET (required), CONSOLE_AGENT_CLAIM and
// CONSOLE_AGENT_VALUE (who is an agent; default groups and compliance),
// CONSOLE_URL (the console's public URL; "" derives it from the request's
// host), REPLY_STATE_MACHINE_ARN (a reply ticket's decision starts the
// reply machine; a review ticket's wakes the investigation, an appeal's the
// appeal machine, by its task token), SANCTION_STATE_MACHINE_ARN (a warning
// or suspension starts the sanction machine), and the
// policy the API decides under (HIDE_POLICY and wire.Policy's variables).
// The secrets are read, and the console built, on the first request: a
// cold start makes no call to Secrets Manager or the provider.
func New(env *envconfig.Env, cfg aws.Config, c clock.Clock, log *slog.Logger, secrets Secrets, opt Options) (http.Handler, error) {
	table := env.Required("TABLE_NAME")
	issuer := env.Required("CONSOLE_ISSUER")
	clientID := env.Required("CONSOLE_CLIENT_ID")
	rule := consoleauth.AgentRule{Claim: env.Optional("CONSOLE_AGENT_CLAIM", "groups"), Value: env.Optional("CONSOLE_AGENT_VALUE", "compliance")}
	consoleURL := env.Optional("CONSOLE_URL", "")
	// The machines a console decision starts: the reply machine, which tells of a reply ticket's
	// decision, and the sanction machine, which tells a business of its warning or suspension.
	arns := map[string]string{app.MachineReply: env.Required("REPLY_STATE_MACHINE_ARN"), app.MachineSanction: env.Required("SANCTION_STATE_MACHINE_ARN")}
	policy := wire.Policy(env, env.OneOf("HIDE_POLICY", "all", "all", "harmful_only"))
	bucket := env.Required("DOCUMENTS_BUCKET")
	if err := env.Err(); err != nil {
		return nil, err
	}
	if err := policy.Check(); err != nil {
		return nil, fmt.Errorf("configuration: %w", err)
	}
	if opt.WallClock == nil {
		opt.WallClock = clock.System{}
	}
	st := store.New(dynamodb.NewFromConfig(cfg), table)
	client := workflow.ClientOnFirstUse(cfg)
	uc := app.New(app.Config{Store: st, Clock: c, Policy: policy, Logger: log,
		Starter: workflow.NewStarter(client, arns), Waker: workflow.NewAnswerer(client),
		ReplyEvents: webhook.ReplyEvents{}}) // a reply's removal records its webhook event in its own write
	docs := app.NewDocuments(app.DocumentsConfig{Store: st, Objects: documentfunc.Bucket(cfg, bucket), Clock: c, Logger: log})
	b := brand.Default()
	build := func(ctx context.Context) (http.Handler, error) {
		keys, err := secrets.SessionKeys(ctx)
		if err != nil {
			return nil, err
		}
		secret, err := secrets.ClientSecret(ctx)
		if err != nil {
			return nil, err
		}
		auth, err := consoleauth.New(consoleauth.Config{Issuer: issuer, ClientID: clientID, ClientSecret: secret, ConsoleURL: consoleURL, Rule: rule,
			Codec: consoleauth.NewCodec(keys, opt.WallClock, 0, 0, opt.InsecureCookie), Clock: opt.WallClock,
			HTTPClient: opt.HTTPClient, Logger: log, KnownZone: console.KnownZone, Deny: console.DenyPage(b)})
		if err != nil {
			return nil, err
		}
		return console.New(desk{uc, docs}, auth, console.Options{Clock: c, Brand: b, Logger: log}), nil
	}
	return &lazy{build: build, log: log}, nil
}

// lazy builds the console on its first request; a failure is retried on
// the next one.
type lazy struct {
	build func(context.Context) (http.Handler, error)
	log   *slog.Logger
	mu    sync.Mutex
	h     http.Handler
}

func (l *lazy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	l.mu.Lock()
	if l.h == nil {
		h, err := l.build(r.Context())
		if err != nil {
			l.mu.Unlock()
			l.log.ErrorContext(r.Context(), "console: start", "err", err)
			w.Header().Set("Retry-After", "30")
			http.Error(w, "The console is starting and could not read its configuration. Try again in a minute.", http.StatusServiceUnavailable)
			return
		}
		l.h = h
	}
	h := l.h
	l.mu.Unlock()
	h.ServeHTTP(w, r)
}

// Fixed are secrets known at start: the local stack's.
type Fixed struct {
	Keys   consoleauth.Keys
	Client string
}

func (f Fixed) SessionKeys(context.Context) (consoleauth.Keys, error) { return f.Keys, nil }
func (f Fixed) ClientSecret(context.Context) (string, error)          { return f.Client, nil }

// SecretsManager reads the secrets from AWS Secrets Manager: the session
// secret (a generated string, the keys derived from it) and the client
// secret (its SecretString, or the "client_secret" key of a JSON one).
type SecretsManager struct {
	Client         *secretsmanager.Client
	SessionSecret  string // ARN
	ClientSecretID string // ARN; "" for a public client
}

func (s SecretsManager) get(ctx context.Context, id string) (string, error) {
	out, err := s.Client.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String(id)})
	if err != nil {
		return "", fmt.Errorf("read secret: %w", err)
	}
	return aws.ToString(out.SecretString), nil
}

// SessionKeys derives the cookie keys from the session secret.
func (s SecretsManager) SessionKeys(ctx context.Context) (consoleauth.Keys, error) {
	v, err := s.get(ctx, s.SessionSecret)
	if err != nil {
		return consoleauth.Keys{}, fmt.Errorf("session keys: %w", err)
	}
	return consoleauth.KeysFromSecret([]byte(v))
}

// ClientSecret is the OIDC client's secret.
func (s SecretsManager) ClientSecret(ctx context.Context) (string, error) {
	if s.ClientSecretID == "" {
		return "", nil
	}
	v, err := s.get(ctx, s.ClientSecretID)
	if err != nil {
		return "", fmt.Errorf("client secret: %w", err)
	}
	return clientSecretValue(v), nil
}

// clientSecretValue is the secret itself, or the "client_secret" field of a
// JSON secret (as Secrets Manager's console stores key/value secrets).
func clientSecretValue(v string) string {
	t := strings.TrimSpace(v)
	if strings.HasPrefix(t, "{") {
		var m map[string]string
		if json.Unmarshal([]byte(t), &m) == nil && m["client_secret"] != "" {
			return m["client_secret"]
		}
	}
	return v
}

// Actions are the AWS actions this package performs (infra/deploycheck
// checks that the functions using it are granted them).
var Actions = []string{"secretsmanager:GetSecretValue"}
