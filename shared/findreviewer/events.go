package findreviewer

import (
	"context"
	"fmt"

	"github.com/candorhq/candor/shared/moderation"
	"github.com/candorhq/candor/shared/webhook"
)

// WithEvents makes the tasks emit their webhook events to e (without it
// they emit none) and returns t.
func (t *Tasks) WithEvents(e webhook.Emitter) *Tasks {
	t.events = e
	return t
}

// emitEvents emits the webhook events of a task that succeeded: the reply
// and the expiry. It runs before the task reports success, so a failed
// emission fails the task and its retry emits again (the event's key —
// the request and its round — makes that once).
func (k task) emitEvents(ctx context.Context, res Result) error {
	if k.events == nil {
		return nil
	}
	key := fmt.Sprintf("%s:%s:%d", k.c.Request.ID, k.ev.Action, k.ev.Round)
	switch {
	case k.ev.Action == "notify_replied":
		return k.events.Emit(ctx, webhook.RequestReplied(k.c.Request, key, k.now))
	case k.ev.Action == "expire" && res.Status == string(moderation.RequestExpired):
		return k.events.Emit(ctx, webhook.RequestExpired(k.c.Request, !k.c.Request.ManualReminderUsed, key, k.now))
	}
	return nil
}
