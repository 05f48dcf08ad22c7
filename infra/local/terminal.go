package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"time"
)

// terminalHandler writes one short line per record for a person at a
// terminal: "20:35:12.528 INFO  execution started execution=candor-find-reviewer:fr-req_01…-0".
// The date is left out (the stack runs today), ARNs are cut to what names
// the resource, and the message is not quoted; everything else is
// slog.TextHandler's key=value. -log-format json keeps every byte.
type terminalHandler struct {
	opts   slog.HandlerOptions
	mu     *sync.Mutex
	w      io.Writer
	prefix string // "group." for attrs added inside WithGroup
	attrs  []byte // pre-formatted attrs of WithAttrs
}

func newTerminalHandler(w io.Writer, opts *slog.HandlerOptions) *terminalHandler {
	return &terminalHandler{opts: *opts, mu: &sync.Mutex{}, w: w}
}

func (h *terminalHandler) Enabled(_ context.Context, l slog.Level) bool {
	min := slog.LevelInfo
	if h.opts.Level != nil {
		min = h.opts.Level.Level()
	}
	return l >= min
}

func (h *terminalHandler) Handle(_ context.Context, r slog.Record) error {
	var b bytes.Buffer
	t := r.Time
	if t.IsZero() {
		t = time.Now()
	}
	b.WriteString(t.Format("15:04:05.000"))
	b.WriteByte(' ')
	fmt.Fprintf(&b, "%-5s ", r.Level.String())
	b.WriteString(r.Message)
	b.Write(h.attrs)
	r.Attrs(func(a slog.Attr) bool {
		appendAttr(&b, h.prefix, a)
		return true
	})
	b.WriteByte('\n')
	h.mu.Lock()
	defer h.mu.Unlock()
	_, err := h.w.Write(b.Bytes())
	return err
}

func (h *terminalHandler) WithAttrs(as []slog.Attr) slog.Handler {
	c := *h
	var b bytes.Buffer
	for _, a := range as {
		appendAttr(&b, h.prefix, a)
	}
	c.attrs = append(append([]byte(nil), h.attrs...), b.Bytes()...)
	return &c
}

func (h *terminalHandler) WithGroup(name string) slog.Handler {
	if name == "" {
		return h
	}
	c := *h
	c.prefix = h.prefix + name + "."
	return &c
}

func appendAttr(b *bytes.Buffer, prefix string, a slog.Attr) {
	a.Value = a.Value.Resolve()
	if a.Equal(slog.Attr{}) {
		return
	}
	if a.Value.Kind() == slog.KindGroup {
		p := prefix
		if a.Key != "" {
			p += a.Key + "."
		}
		for _, g := range a.Value.Group() {
			appendAttr(b, p, g)
		}
		return
	}
	b.WriteByte(' ')
	b.WriteString(prefix + a.Key)
	b.WriteByte('=')
	v := a.Value.String()
	if a.Value.Kind() == slog.KindTime {
		v = a.Value.Time().UTC().Format(time.RFC3339)
	}
	v = shortARN(v)
	if v == "" || strings.ContainsAny(v, " \t\n\"=") {
		v = strconv.Quote(v)
	}
	b.WriteString(v)
}

// shortARN cuts an ARN to its resource ("arn:aws:states:us-east-1:000000000000:execution:m:x"
// to "execution:m:x"): in one local account and region the rest says nothing.
func shortARN(v string) string {
	if !strings.HasPrefix(v, "arn:") {
		return v
	}
	parts := strings.SplitN(v, ":", 6)
	if len(parts) < 6 {
		return v
	}
	return parts[5]
}
