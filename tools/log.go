package tools

import (
	"context"
	"fmt"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"datachat/transport"
)

// logf sends the client a notifications/message about the request in ctx
// (load steps, warnings) when the client asked for messages of that level:
// per request in protocol 2026-07-28 (the log level in _meta; none when it
// gives none), per session before it (logging/setLevel; errors only until
// the client sets a level). Messages travel on the request's own stream,
// before its result.
func logf(ctx context.Context, level mcp.LoggingLevel, format string, args ...any) {
	want := clientLogLevel(ctx)
	if want == "" || !level.ShouldSendTo(want) {
		return
	}
	_ = transport.Notify(ctx, string(mcp.MethodNotificationMessage), map[string]any{
		"level": level, "logger": "datachat", "data": fmt.Sprintf(format, args...),
	})
}

func clientLogLevel(ctx context.Context) mcp.LoggingLevel {
	if info := server.RequestProtocolInfoFromContext(ctx); info != nil && info.Modern {
		return info.LogLevel
	}
	if s, ok := server.ClientSessionFromContext(ctx).(server.SessionWithLogging); ok {
		return s.GetLogLevel()
	}
	return ""
}
