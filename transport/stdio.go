// Package transport serves datachat: MCP over stdio, and over streamable HTTP
// with Bearer auth, session tracking and expiry, beside /healthz and the REST
// API.
package transport

import (
	"context"
	"errors"
	"io"
	"log"
	"log/slog"

	"github.com/mark3labs/mcp-go/server"
)

// ServeStdio serves s over in/out until in closes or ctx ends. Logs go to the
// logger (stderr), never to out, which carries the protocol.
func ServeStdio(ctx context.Context, s *server.MCPServer, in io.Reader, out io.Writer, logger *slog.Logger) error {
	std := server.NewStdioServer(s)
	std.SetErrorLogger(log.New(slogWriter{logger}, "", 0))
	lines := &lineWriter{w: out}
	std.SetContextFunc(func(ctx context.Context) context.Context { return withStream(ctx, lines) })
	err := std.Listen(ctx, lines.eras.watch(in), lines)
	if err == nil || errors.Is(err, context.Canceled) || errors.Is(err, io.EOF) {
		return nil
	}
	return err
}

// slogWriter forwards a log.Logger's lines to slog.
type slogWriter struct{ l *slog.Logger }

func (w slogWriter) Write(p []byte) (int, error) {
	w.l.Warn("mcp stdio", "message", string(p))
	return len(p), nil
}
