// Package tools adapts datachat's catalog, question engine and charts to MCP
// tools, one tool a file. All returns the table the server registers.
package tools

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"datachat/chat"
	"datachat/datasets"
	"datachat/exports"
	"datachat/transport"
)

// Deps are what the tools need.
type Deps struct {
	// Datasets holds each session's catalog.
	Datasets *datasets.Manager
	// Logger receives diagnostics (never stdout).
	Logger *slog.Logger
	// Chat answers plain-language questions; nil leaves out the chat tool.
	Chat chat.Engine
	// Exports offers whole results beyond a query's caps; nil offers none.
	Exports *exports.Exporter
	// OnLoad, when set, is called after tables were loaded into a workspace
	// (the resources package uses it to publish the new datasets).
	OnLoad func(ctx context.Context, cat *datasets.Catalog)
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
		Chart(d),
	}
	if d.Chat != nil {
		all = append(all, Chat(d))
	}
	return append(withViews(all), ViewRows(d))
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
	d.Logger.Error("tool failed", "tool", tool, "error", err)
	return mcp.NewToolResultError(fmt.Sprintf("%s failed because of a server problem; try again, and if it persists check the server log", tool)), nil
}

// progressReporter sends MCP progress notifications when the client asked
// for them with a progress token. They travel on the request's own stream
// (transport.Notify), so none arrives after the response.
type progressReporter struct {
	ctx   context.Context
	token mcp.ProgressToken
	mu    sync.Mutex
	last  float64
	done  bool
}

// progress returns a reporter for the request, or nil when the client gave
// no progress token. Call settle before returning the result.
func progress(ctx context.Context, req mcp.CallToolRequest) *progressReporter {
	if req.Params.Meta == nil || req.Params.Meta.ProgressToken == nil {
		return nil
	}
	return &progressReporter{ctx: ctx, token: req.Params.Meta.ProgressToken, last: -1}
}

// report sends one notification; progress only ever increases, and nothing
// is sent after settle.
func (p *progressReporter) report(done, total float64, msg string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.done || done <= p.last {
		return
	}
	p.last = done
	_ = transport.Notify(p.ctx, "notifications/progress", map[string]any{
		"progressToken": p.token, "progress": done, "total": total, "message": msg,
	})
}

// callback returns report as a func value, or nil for a nil reporter.
func (p *progressReporter) callback() func(done, total float64, msg string) {
	if p == nil {
		return nil
	}
	return p.report
}

// settle stops the reporter before the result is returned: a load's
// background heartbeat may still call report.
func (p *progressReporter) settle() {
	if p == nil {
		return
	}
	p.mu.Lock()
	p.done = true
	p.mu.Unlock()
}
