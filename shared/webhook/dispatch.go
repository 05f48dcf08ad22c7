package webhook

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"slices"
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

// Dispatcher sends due deliveries, each business's from its own queue.
type Dispatcher struct {
	store   Store
	client  *http.Client
	clock   clock.Clock
	wall    clock.Clock // the signature's timestamp: receivers check it against real time
	log     *slog.Logger
	batch   int
	budget  time.Duration
	perQ    int
	mu      sync.Mutex
	working map[string]bool // businesses whose queue a run of this process is working
}

// NewDispatcher returns a Dispatcher sending with client. Deliveries fall
// due on c; a signature's timestamp is always real time (the system clock),
// as the receiver checks it against its own.
func NewDispatcher(st Store, client *http.Client, c clock.Clock, log *slog.Logger) *Dispatcher {
	return &Dispatcher{store: st, client: client, clock: c, wall: clock.System{}, log: log, batch: 100, budget: QueueBudget, perQ: QueueConcurrency,
		working: map[string]bool{}}
}

// Fairness: each business's deliveries wait in a queue of its own, and a
// run works the due queues side by side, each with at most
// QueueConcurrency attempts at once and for at most QueueBudget before it
// starts no further attempt (those left wait for the next run). A receiver
// that holds every connection (a tarpit) thus ties up its own business's
// two connections for a run, and nothing of another business's: the
// other queues are worked beside it, not behind it.
const (
	// QueueConcurrency is how many attempts of one business are made at once.
	QueueConcurrency = 2
	// QueueBudget is how long a run keeps starting attempts of one business.
	QueueBudget = 20 * time.Second
	// MaxQueues is how many businesses' queues a run works side by side;
	// more due at once are worked by the run's next round, after these.
	MaxQueues = 250
)

// Result counts what one run did.
type Result struct {
	Events    int `json:"events"` // fanned out to the webhooks
	Attempted int `json:"attempted"`
	Delivered int `json:"delivered"`
	Failed    int `json:"failed"` // given up
}

func (r *Result) add(o Result) {
	r.Events += o.Events
	r.Attempted += o.Attempted
	r.Delivered += o.Delivered
	r.Failed += o.Failed
}

// MaxBatches bounds one run: while a batch of events to fan out, of due
// queues or of one queue's due deliveries comes back full, the run takes
// another, up to MaxBatches (so up to 2,000 events a run, and 2,000
// attempts of one business), and it stops early when its context ends
// within runMargin. One batch a run (100 a minute) falls behind a platform
// of Trustpilot's volume at its peak (docs/capacity.md).
const MaxBatches = 20

// runMargin is the time a run keeps in hand for its last batch.
const runMargin = 15 * time.Second

// Run fans out the recorded events and works every business's queue that is
// due now, side by side (see QueueConcurrency), recording each attempt. It
// returns the first error of the table; an endpoint's failure is the
// delivery's, not the run's.
func (d *Dispatcher) Run(ctx context.Context) (Result, error) {
	res, _, err := d.fanOutAll(ctx)
	if err != nil {
		return res, err
	}
	done := map[string]bool{}
	for range MaxBatches {
		queues, err := d.store.DueQueues(ctx, d.clock.Now(), MaxQueues)
		if err != nil {
			return res, fmt.Errorf("dispatch webhooks: %w", err)
		}
		var todo []string
		for _, q := range queues {
			if !done[q.BusinessID] {
				done[q.BusinessID] = true
				todo = append(todo, q.BusinessID)
			}
		}
		r, err := d.workQueues(ctx, todo)
		res.add(r)
		if err != nil || len(queues) < MaxQueues || len(todo) == 0 || d.outOfTime(ctx) {
			return res, err
		}
	}
	return res, nil
}

// RunFor fans out the recorded events, like Run, and then works only the
// queues of the named businesses and of the businesses whose events it
// fanned out. The local stack runs it after a request, so that a caller
// waits for its own deliveries and never for another business's receiver.
func (d *Dispatcher) RunFor(ctx context.Context, businessIDs ...string) (Result, error) {
	res, fanned, err := d.fanOutAll(ctx)
	if err != nil {
		return res, err
	}
	todo := slices.Clone(businessIDs)
	for b := range fanned {
		if !slices.Contains(todo, b) {
			todo = append(todo, b)
		}
	}
	r, err := d.workQueues(ctx, todo)
	res.add(r)
	return res, err
}

func (d *Dispatcher) outOfTime(ctx context.Context) bool {
	deadline, ok := ctx.Deadline()
	if ok && time.Until(deadline) < runMargin { // wall time: the Lambda's own limit
		d.log.WarnContext(ctx, "dispatch webhooks: the run's time is up with more to do; the next run goes on")
		return true
	}
	return false
}

// fanOutAll fans out batches of recorded events while they come back full
// and says whose they were.
func (d *Dispatcher) fanOutAll(ctx context.Context) (Result, map[string]bool, error) {
	var res Result
	businesses := map[string]bool{}
	for range MaxBatches {
		n, err := d.fanOut(ctx, businesses)
		res.Events += n
		if err != nil || n < d.batch {
			return res, businesses, err
		}
		if d.outOfTime(ctx) {
			break
		}
	}
	return res, businesses, nil
}

// workQueues works the queues of the businesses side by side and waits for
// them all.
func (d *Dispatcher) workQueues(ctx context.Context, businesses []string) (Result, error) {
	var (
		mu    sync.Mutex
		res   Result
		first error
		wg    sync.WaitGroup
	)
	for _, b := range businesses {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r, err := d.workQueue(ctx, b)
			mu.Lock()
			defer mu.Unlock()
			res.add(r)
			if err != nil && first == nil {
				first = err
			}
		}()
	}
	wg.Wait()
	return res, first
}

// claim marks a business's queue as worked by this process, unless it is
// already (then another run of this process is on it and this one leaves
// it: in AWS the function's reserved concurrency of one makes one run at a
// time; the local stack runs the dispatcher after requests too).
func (d *Dispatcher) claim(businessID string) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.working[businessID] {
		return false
	}
	d.working[businessID] = true
	return true
}

func (d *Dispatcher) release(businessID string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	delete(d.working, businessID)
}

// workQueue tries the business's due deliveries, QueueConcurrency at a
// time, in batches while they come back full, until QueueBudget has passed
// since it began (the deliveries left wait for the next run); then it
// marks the queue due at its earliest pending delivery, or — found empty
// twice — takes its head away.
func (d *Dispatcher) workQueue(ctx context.Context, businessID string) (Result, error) {
	var res Result
	if !d.claim(businessID) {
		return res, nil
	}
	defer d.release(businessID)
	head, err := d.store.QueueHead(ctx, businessID)
	if err != nil {
		return res, fmt.Errorf("dispatch webhooks: %w", err)
	}
	began := time.Now() // wall time: the budget is of the run's real time
	var first error
	for range MaxBatches {
		due, err := d.store.QueuedDeliveries(ctx, businessID, d.clock.Now(), d.batch)
		if err != nil {
			return res, fmt.Errorf("dispatch webhooks: %w", err)
		}
		var (
			mu    sync.Mutex
			wg    sync.WaitGroup
			slots = make(chan struct{}, d.perQ)
			spent bool
		)
		for _, dl := range due {
			slots <- struct{}{}
			if time.Since(began) >= d.budget || ctx.Err() != nil {
				spent = true
				<-slots
				break
			}
			wg.Add(1)
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
		if first != nil || spent || len(due) < d.batch {
			break
		}
	}
	if err := d.reschedule(ctx, head); err != nil && first == nil {
		first = err
	}
	return res, first
}

// reschedule marks the queue due at its earliest pending delivery; a queue
// found empty is looked at once more a minute later, and found empty again
// its head goes. An addition meanwhile wins (it left the queue due).
func (d *Dispatcher) reschedule(ctx context.Context, head Queue) error {
	next, err := d.store.QueuedDeliveries(ctx, head.BusinessID, time.Time{}, 1)
	if err != nil {
		return fmt.Errorf("dispatch webhooks: %w", err)
	}
	switch {
	case len(next) > 0:
		err = d.store.RescheduleQueue(ctx, head, next[0].NextAttempt, false)
	case head.Seq == 0:
		return nil // no head, nothing queued
	case !head.CheckedEmpty:
		err = d.store.RescheduleQueue(ctx, head, d.clock.Now().Add(time.Minute), true)
	default:
		err = d.store.DropQueue(ctx, head)
	}
	if moderation.KindOf(err) == moderation.KindConflict {
		return nil // a delivery was added meanwhile: the queue stays due
	}
	if err != nil {
		return fmt.Errorf("dispatch webhooks: %w", err)
	}
	return nil
}

// fanOut makes a delivery of each recorded event for each webhook of its
// business that subscribes to its type, then takes the event out of the
// list. A delivery made before (a run that failed half-way) stays as it is.
func (d *Dispatcher) fanOut(ctx context.Context, businesses map[string]bool) (int, error) {
	evs, err := d.store.PendingEvents(ctx, d.batch)
	if err != nil {
		return 0, fmt.Errorf("dispatch webhooks: %w", err)
	}
	for i, e := range evs {
		businesses[e.BusinessID] = true
		eps, err := d.store.ListWebhooks(ctx, e.BusinessID)
		if err != nil {
			return i, fmt.Errorf("dispatch webhooks: fan out %s: %w", e.ID, err)
		}
		for _, ep := range eps {
			if !ep.Subscribed(e.Type) || ep.CreatedAt.After(e.At) {
				continue
			}
			if err := d.store.AddDelivery(ctx, newDelivery(ep, e), nil); err != nil {
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
		dl.Status, a.Error = StatusFailed, FailWebhookDeleted
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

// send POSTs the delivery's payload, signed with every signing secret. A
// failure is recorded as its category (FailureOf); the network error's own
// text, which names addresses, goes to the log only.
func (d *Dispatcher) send(ctx context.Context, ep Endpoint, dl Delivery, now time.Time) Attempt {
	a := Attempt{At: now}
	body := []byte(dl.Payload)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, ep.URL, bytes.NewReader(body))
	if err != nil {
		a.Error = FailInvalidURL
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
		a.Error = FailureOf(err)
		d.log.InfoContext(ctx, "webhook attempt: no answer", "webhookId", dl.WebhookID, "eventId", dl.EventID, "category", a.Error, "cause", err.Error())
		return a
	}
	defer res.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(res.Body, 64<<10))
	a.StatusCode = res.StatusCode
	if res.StatusCode/100 != 2 {
		a.Error = FailHTTPStatus
	}
	return a
}
