package stack

import (
	"context"
	"encoding/json"
	"html/template"
	"io"
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/candorhq/candor/shared/store"
	"github.com/candorhq/candor/shared/webhook"
)

// DispatchWebhooks runs the webhook dispatcher once, as its one-minute
// schedule does in AWS: every delivery due at the stack's clock is tried.
func (s *Stack) DispatchWebhooks(ctx context.Context) webhook.Result {
	res, err := s.dispatcher.Handle(ctx)
	if err != nil {
		s.cfg.Logger.Error("dispatch webhooks", "err", err)
	}
	return res
}

// WebhookDelivery is a delivery as /_local/webhooks.json shows it.
type WebhookDelivery struct {
	webhook.Delivery
	URL string // the endpoint's URL ("" once it is deleted)
}

// WebhookDeliveries returns every delivery in the table, newest first.
func (s *Stack) WebhookDeliveries(ctx context.Context) ([]WebhookDelivery, error) {
	st := store.New(s.DynamoDB, s.Table)
	var eps []struct {
		ID         string `dynamodbav:"id"`
		BusinessID string `dynamodbav:"businessId"`
		URL        string `dynamodbav:"url"`
		WebhookID  string `dynamodbav:"webhookId"`
		Type       string `dynamodbav:"type"`
	}
	var start map[string]types.AttributeValue
	for {
		out, err := s.DynamoDB.Scan(ctx, &dynamodb.ScanInput{TableName: aws.String(s.Table), ExclusiveStartKey: start,
			FilterExpression:          aws.String("#t = :a OR #t = :b"),
			ExpressionAttributeNames:  map[string]string{"#t": "type"},
			ExpressionAttributeValues: map[string]types.AttributeValue{":a": &types.AttributeValueMemberS{Value: "webhook"}, ":b": &types.AttributeValueMemberS{Value: "webhookDelivery"}}})
		if err != nil {
			return nil, err
		}
		var page []struct {
			ID         string `dynamodbav:"id"`
			BusinessID string `dynamodbav:"businessId"`
			URL        string `dynamodbav:"url"`
			WebhookID  string `dynamodbav:"webhookId"`
			Type       string `dynamodbav:"type"`
		}
		if err := attributevalue.UnmarshalListOfMaps(out.Items, &page); err != nil {
			return nil, err
		}
		eps = append(eps, page...)
		if out.LastEvaluatedKey == nil {
			break
		}
		start = out.LastEvaluatedKey
	}
	urls, hooks := map[string]string{}, map[string]bool{}
	for _, e := range eps {
		if e.Type == "webhook" {
			urls[e.ID] = e.URL
		} else {
			hooks[e.WebhookID] = true
		}
	}
	var all []WebhookDelivery
	for id := range hooks {
		ds, err := st.ListDeliveries(ctx, id)
		if err != nil {
			return nil, err
		}
		for _, d := range ds {
			all = append(all, WebhookDelivery{Delivery: d, URL: urls[id]})
		}
	}
	slices.SortFunc(all, func(a, b WebhookDelivery) int { return b.CreatedAt.Compare(a.CreatedAt) })
	return all, nil
}

var webhooksPage = template.Must(template.New("webhooks").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Webhook deliveries · Candor local</title>
<style>body{font:14px/1.4 system-ui,sans-serif;margin:1.5rem}table{border-collapse:collapse;width:100%}
td,th{border-bottom:1px solid #ddd;padding:.3rem .5rem;text-align:left;vertical-align:top}
pre{margin:0;white-space:pre-wrap;max-width:40rem}.delivered{color:#176b2c}.failed{color:#a11}.pending{color:#8a5a00}</style></head>
<body><h1>Webhook deliveries</h1>
<p>Every delivery in the local table, newest first (JSON: <a href="/_local/webhooks.json">/_local/webhooks.json</a>).
A local receiver for demos records what it gets at <code>/_local/webhooks/receiver</code>
(<a href="/_local/webhooks/receiver.json">what it received</a>). Retries fall due as the clock moves (<code>POST /_local/clock</code>).</p>
<table><tr><th>created</th><th>business</th><th>endpoint</th><th>event</th><th>status</th><th>attempts</th><th>last attempt</th><th>payload</th></tr>
{{range .}}<tr><td>{{.CreatedAt.Format "2006-01-02 15:04:05"}}</td><td>{{.BusinessID}}</td><td>{{.WebhookID}}<br><small>{{.URL}}</small></td>
<td>{{.EventType}}<br><small>{{.EventID}}</small></td><td class="{{.Status}}">{{.Status}}{{if eq .Status "pending"}}<br><small>next {{.NextAttempt.Format "15:04:05"}}</small>{{end}}</td>
<td>{{.Attempts}}</td><td>{{with .Last}}{{.At.Format "15:04:05"}} {{if .StatusCode}}HTTP {{.StatusCode}}{{end}} {{.Error}}{{end}}</td><td><pre>{{.Payload}}</pre></td></tr>
{{else}}<tr><td colspan="8">No deliveries yet. Register a webhook: POST /v1/webhooks.</td></tr>{{end}}
</table></body></html>`))

// Last is the delivery's latest attempt, if any.
func (d WebhookDelivery) Last() *webhook.Attempt {
	if len(d.Log) == 0 {
		return nil
	}
	return &d.Log[len(d.Log)-1]
}

func (s *Stack) webhooksJSON(w http.ResponseWriter, r *http.Request) {
	all, err := s.WebhookDeliveries(r.Context())
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	type view struct {
		WebhookDelivery
		Payload json.RawMessage `json:"Payload"`
	}
	out := make([]view, 0, len(all))
	for _, d := range all {
		out = append(out, view{WebhookDelivery: d, Payload: json.RawMessage(d.Payload)})
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{"deliveries": out})
}

func (s *Stack) webhooksHTML(w http.ResponseWriter, r *http.Request) {
	all, err := s.WebhookDeliveries(r.Context())
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
	_ = webhooksPage.Execute(w, all)
}

// Receiver is the local stack's demo endpoint for webhooks: it answers 204
// and keeps what it got. It cannot check signatures (the secret is the
// business's); docs/webhooks.md shows how a receiver does.
type Receiver struct {
	mu  sync.Mutex
	got []Received
}

// Received is one request the Receiver got.
type Received struct {
	At      time.Time
	Headers map[string]string
	Body    json.RawMessage
}

func (rc *Receiver) serve(now func() time.Time) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		h := map[string]string{}
		for _, k := range []string{"Content-Type", "Candor-Signature", "Candor-Event-Id", "Candor-Event-Type", "Candor-Delivery-Attempt"} {
			h[k] = r.Header.Get(k)
		}
		if !json.Valid(b) {
			b, _ = json.Marshal(string(b))
		}
		rc.mu.Lock()
		rc.got = append(rc.got, Received{At: now(), Headers: h, Body: b})
		rc.mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
	}
}

// Got returns what the receiver got, oldest first.
func (rc *Receiver) Got() []Received {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return slices.Clone(rc.got)
}

func (s *Stack) mountWebhooks(mux *http.ServeMux) {
	mux.HandleFunc("GET /_local/webhooks", s.webhooksHTML)
	mux.HandleFunc("GET /_local/webhooks.json", s.webhooksJSON)
	mux.HandleFunc("POST /_local/webhooks/receiver", s.Receiver.serve(s.cfg.WallClock.Now))
	mux.HandleFunc("GET /_local/webhooks/receiver.json", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"received": s.Receiver.Got()})
	})
}

// ReceiverURL is the local demo receiver's URL, to register as a webhook.
func (s *Stack) ReceiverURL() string { return s.APIURL + "/_local/webhooks/receiver" }
