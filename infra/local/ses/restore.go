package ses

// Restore puts messages (oldest first, as Messages returns them) back into
// an outbox, before the ones it holds: the local stack's data directory
// keeps the mailbox between runs with it. Ids, times and links are kept as
// they were.
func (o *Outbox) Restore(msgs []Message) {
	restored := make([]Message, 0, len(msgs))
	for _, m := range msgs {
		m = m.clone()
		m.To = nonNil(m.To)
		m.Links = nonNil(m.Links)
		restored = append(restored, m)
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	o.messages = append(restored, o.messages...)
}
