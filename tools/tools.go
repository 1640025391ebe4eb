// Package tools adapts datachat's catalog, question engine and charts to MCP
// tools, one tool a file. All returns the table the server registers.
package tools

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"datachat/chat"
	"datachat/datasets"
)

// Deps are what the tools need.
type Deps struct {
	// Datasets holds each session's catalog.
	Datasets *datasets.Manager
	// Logger receives diagnostics (never stdout).
	Logger *slog.Logger
	// Chat answers plain-language questions; nil leaves out the chat tool.
	Chat chat.Engine
	// OnLoad, when set, is called after a session loaded tables (the resources
	// package uses it to publish the new datasets).
	OnLoad func(ctx context.Context, session string, tables []datasets.TableInfo)
}

// All returns every tool, ready for server.AddTools.
func All(d Deps) []server.ServerTool {
	if d.Logger == nil {
		d.Logger = slog.New(slog.DiscardHandler)
	}
	all := []server.ServerTool{
		LoadFile(d),
		ListDatasets(d),
		Describe(d),
		Query(d),
	}
	if d.Chat != nil {
		all = append(all, Chat(d))
	}
	return all
}

// SessionID returns the MCP session of a request ("default" outside one).
func SessionID(ctx context.Context) string {
	if s := server.ClientSessionFromContext(ctx); s != nil && s.SessionID() != "" {
		return s.SessionID()
	}
	return "default"
}

// catalog returns the calling session's catalog.
func (d Deps) catalog(ctx context.Context) (*datasets.Catalog, error) {
	return d.Datasets.Catalog(ctx, SessionID(ctx))
}

// result turns a handler error into a tool result: mistakes the client can
// fix become isError results with the message; other failures are logged and
// returned as Go errors (a JSON-RPC error for the client).
func (d Deps) result(ctx context.Context, tool string, err error) (*mcp.CallToolResult, error) {
	if datasets.UserError(err) {
		return mcp.NewToolResultError(err.Error()), nil
	}
	if errors.Is(err, context.Canceled) {
		return mcp.NewToolResultError("the request was cancelled"), nil
	}
	d.Logger.Error("tool failed", "tool", tool, "session", SessionID(ctx), "error", err)
	return mcp.NewToolResultError(fmt.Sprintf("%s failed because of a server problem; try again, and if it persists check the server log", tool)), nil
}

// progress returns a callback sending MCP progress notifications when the
// client asked for them with a progress token, and nil otherwise.
func progress(ctx context.Context, req mcp.CallToolRequest) func(done, total float64, msg string) {
	if req.Params.Meta == nil || req.Params.Meta.ProgressToken == nil {
		return nil
	}
	srv := server.ServerFromContext(ctx)
	if srv == nil {
		return nil
	}
	token := req.Params.Meta.ProgressToken
	last := -1.0
	return func(done, total float64, msg string) {
		if done <= last {
			return
		}
		last = done
		_ = srv.SendNotificationToClient(ctx, "notifications/progress", map[string]any{
			"progressToken": token, "progress": done, "total": total, "message": msg,
		})
	}
}
