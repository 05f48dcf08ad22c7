package webhook

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/candorhq/candor/shared/clock"
	"github.com/candorhq/candor/shared/moderation"
)

// MaxAttempts is how often a delivery is tried before it is failed.
const MaxAttempts = 11

// Backoff is the wait after the n-th failed attempt (n from 1): one minute,
// doubling, so that the 11th and last attempt comes about 17 hours after
// the first (1+2+4+…+512 minutes = 1023 minutes).
func Backoff(n int) time.Duration {
	if n < 1 {
		n = 1
	}
	return time.Minute << min(n-1, 20)
}

// Dispatcher sends due deliveries.
type Dispatcher struct {
	store   Store
	client  *http.Client
	clock   clock.Clock
	wall    clock.Clock // the signature's timestamp: receivers check it against real time
	log     *slog.Logger
	batch   int
	workers int
}

// NewDispatcher returns a Dispatcher sending with client. Deliveries fall
// due on c; a signature's timestamp is always real time (the system clock),
// as the receiver checks it against its own.
func NewDispatcher(st Store, client *http.Client, c clock.Clock, log *slog.Logger) *Dispatcher {
	return &Dispatcher{store: st, client: client, clock: c, wall: clock.System{}, log: log, batch: 100, workers: 8}
}

// Result counts what one run did.
type Result struct {
	Events    int `json:"events"` // fanned out to the webhooks
	Attempted int `json:"attempted"`
	Delivered int `json:"delivered"`
	Failed    int `json:"failed"` // given up
}

// MaxBatches bounds one run: while a batch of events to fan out or of due
// deliveries comes back full, the run takes another, up to MaxBatches (so
// up to 2,000 events and 2,000 attempts a run), and it stops early when
// its context ends within runMargin. One batch a run (100 a minute) falls
// behind a platform of Trustpilot's volume at its peak (docs/capacity.md).
const MaxBatches = 20

// runMargin is the time a run keeps in hand for its last batch.
const runMargin = 15 * time.Second

// Run fans out the recorded events and tries every delivery due now,
// several at once, recording each attempt, a batch at a time while the
// batches come back full (MaxBatches). It returns the first error of the
// table, after which it takes no further batch; an endpoint's failure is
// the delivery's, not the run's.
func (d *Dispatcher) Run(ctx context.Context) (Result, error) {
	var total Result
	for range MaxBatches {
		res, full, err := d.runBatch(ctx)
		total.Events += res.Events
		total.Attempted += res.Attempted
		total.Delivered += res.Delivered
		total.Failed += res.Failed
		if err != nil || !full {
			return total, err
		}
		if deadline, ok := ctx.Deadline(); ok && time.Until(deadline) < runMargin { // wall time: the Lambda's own limit
			d.log.WarnContext(ctx, "dispatch webhooks: the run's time is up with more to do; the next run goes on", "events", total.Events, "attempted", total.Attempted)
			return total, nil
		}
	}
	d.log.WarnContext(ctx, "dispatch webhooks: a run's batches are used up with more to do; the next run goes on", "events", total.Events, "attempted", total.Attempted)
	return total, nil
}

// runBatch fans out up to a batch of events and tries up to a batch of due
// deliveries; full says whether either batch came back full (more may wait).
func (d *Dispatcher) runBatch(ctx context.Context) (Result, bool, error) {
	fanned, err := d.fanOut(ctx)
	if err != nil {
		return Result{Events: fanned}, false, err
	}
	now := d.clock.Now()
	due, err := d.store.DueDeliveries(ctx, now, d.batch)
	if err != nil {
		return Result{Events: fanned}, false, fmt.Errorf("dispatch webhooks: %w", err)
	}
	var (
		mu    sync.Mutex
		res   Result
		first error
		wg    sync.WaitGroup
		slots = make(chan struct{}, d.workers)
	)
	for _, dl := range due {
		wg.Add(1)
		slots <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-slots }()
			out, err := d.attempt(ctx, dl)
			mu.Lock()
			defer mu.Unlock()
			res.Attempted++
			switch out.Status {
			case StatusDelivered:
				res.Delivered++
			case StatusFailed:
				res.Failed++
			}
			if err != nil && first == nil {
				first = err
			}
		}()
	}
	wg.Wait()
	res.Events = fanned
	return res, fanned == d.batch || len(due) == d.batch, first
}

// fanOut makes a delivery of each recorded event for each webhook of its
// business that subscribes to its type, then takes the event out of the
// list. A delivery made before (a run that failed half-way) stays as it is.
func (d *Dispatcher) fanOut(ctx context.Context) (int, error) {
	evs, err := d.store.PendingEvents(ctx, d.batch)
	if err != nil {
		return 0, fmt.Errorf("dispatch webhooks: %w", err)
	}
	for i, e := range evs {
		eps, err := d.store.ListWebhooks(ctx, e.BusinessID)
		if err != nil {
			return i, fmt.Errorf("dispatch webhooks: fan out %s: %w", e.ID, err)
		}
		for _, ep := range eps {
			if !ep.Subscribed(e.Type) || ep.CreatedAt.After(e.At) {
				continue
			}
			if err := d.store.AddDelivery(ctx, newDelivery(ep, e)); err != nil {
				return i, fmt.Errorf("dispatch webhooks: fan out %s: %w", e.ID, err)
			}
		}
		if err := d.store.EventFannedOut(ctx, e); err != nil {
			return i, fmt.Errorf("dispatch webhooks: fan out %s: %w", e.ID, err)
		}
	}
	return len(evs), nil
}

// attempt sends dl once and records the attempt.
func (d *Dispatcher) attempt(ctx context.Context, dl Delivery) (Delivery, error) {
	log := d.log.With("webhookId", dl.WebhookID, "eventId", dl.EventID, "eventType", dl.EventType, "attempt", dl.Attempts+1)
	prev := dl.Attempts
	ep, err := d.store.GetWebhook(ctx, dl.BusinessID, dl.WebhookID)
	now := d.clock.Now()
	a := Attempt{At: now}
	switch {
	case moderation.KindOf(err) == moderation.KindNotFound:
		dl.Status, a.Error = StatusFailed, "the webhook was deleted"
	case err != nil:
		return dl, fmt.Errorf("dispatch %s: %w", dl.EventID, err)
	default:
		a = d.send(ctx, ep, dl, now)
		switch {
		case a.Error == "":
			dl.Status = StatusDelivered
		case dl.Attempts+1 >= MaxAttempts:
			dl.Status = StatusFailed
		default:
			dl.NextAttempt = now.Add(Backoff(dl.Attempts + 1))
		}
	}
	dl.Attempts++
	dl.UpdatedAt = now
	dl.Log = append(dl.Log, a)
	if len(dl.Log) > MaxLogged {
		dl.Log = dl.Log[len(dl.Log)-MaxLogged:]
	}
	if err := d.store.UpdateDelivery(ctx, dl, prev); err != nil {
		if moderation.KindOf(err) == moderation.KindConflict {
			log.InfoContext(ctx, "webhook delivery: another run recorded this attempt")
			return dl, nil
		}
		return dl, fmt.Errorf("dispatch %s: record attempt: %w", dl.EventID, err)
	}
	switch dl.Status {
	case StatusDelivered:
		log.InfoContext(ctx, "webhook delivered", "statusCode", a.StatusCode, "durationMs", a.Duration.Milliseconds())
	case StatusFailed:
		log.WarnContext(ctx, "webhook delivery failed for good", "statusCode", a.StatusCode, "err", a.Error)
	default:
		log.InfoContext(ctx, "webhook attempt failed; retrying", "statusCode", a.StatusCode, "err", a.Error, "nextAttempt", dl.NextAttempt)
	}
	return dl, nil
}

// send POSTs the delivery's payload, signed with every signing secret.
func (d *Dispatcher) send(ctx context.Context, ep Endpoint, dl Delivery, now time.Time) Attempt {
	a := Attempt{At: now}
	body := []byte(dl.Payload)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, ep.URL, bytes.NewReader(body))
	if err != nil {
		a.Error = "invalid endpoint URL"
		return a
	}
	h := req.Header
	h.Set("Content-Type", "application/json")
	h.Set("User-Agent", "Candor-Webhooks/1")
	h.Set("Candor-Event-Id", dl.EventID)
	h.Set("Candor-Event-Type", dl.EventType)
	h.Set("Candor-Delivery-Attempt", strconv.Itoa(dl.Attempts+1))
	h.Set(SignatureHeader, Sign(ep.Signing(now), d.wall.Now(), body))
	start := time.Now() // wall time: the duration of the call, not a policy time
	res, err := d.client.Do(req)
	a.Duration = time.Since(start)
	if err != nil {
		a.Error = "no answer: " + err.Error()
		return a
	}
	defer res.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(res.Body, 64<<10))
	a.StatusCode = res.StatusCode
	if res.StatusCode/100 != 2 {
		a.Error = "answered " + strconv.Itoa(res.StatusCode) + ", want 2xx"
	}
	return a
}
