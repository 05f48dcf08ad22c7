// Package logging builds the structured JSON logger every function uses.
// Callers log ids (request, execution, report, review), never a reviewer's
// email, name or reply text (P12).
package logging

import (
	"io"
	"log/slog"
)

// New returns a JSON slog.Logger writing to w at the named level
// ("debug", "info", "warn", "error"; anything else is info).
func New(w io.Writer, level string) *slog.Logger {
	var l slog.Level
	switch level {
	case "debug":
		l = slog.LevelDebug
	case "warn":
		l = slog.LevelWarn
	case "error":
		l = slog.LevelError
	default:
		l = slog.LevelInfo
	}
	return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: l}))
}
