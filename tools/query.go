package tools

import (
	"context"
	"strings"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"datachat/datasets"
)

// QueryArgs are query's arguments.
type QueryArgs struct {
	SQL       string `json:"sql" jsonschema:"one read-only DuckDB SQL statement (SELECT, WITH, FROM-first, DESCRIBE, SUMMARIZE); joins across loaded tables work"`
	MaxRows   int    `json:"max_rows,omitempty" jsonschema:"at most this many rows (default and cap: the server's limit, 1000 unless configured)"`
	Workspace string `json:"workspace,omitempty" jsonschema:"the workspace load_file returned (default: this session's; stateless clients must pass it)"`
}

// QueryResult is query's structured result.
type QueryResult struct {
	Workspace string `json:"workspace,omitempty"`
	*datasets.Result
}

// Query is the query tool.
func Query(d Deps) server.ServerTool {
	tool := mcp.NewTool("query",
		mcp.WithDescription("Run one read-only SQL query (DuckDB dialect) over the loaded tables and get the rows back. "+
			"Quote column names that have spaces or capitals with double quotes. Writes, file access and settings are refused."),
		mcp.WithInputSchema[QueryArgs](),
		mcp.WithReadOnlyHintAnnotation(true),
		mcp.WithDestructiveHintAnnotation(false),
		mcp.WithIdempotentHintAnnotation(true),
		mcp.WithOpenWorldHintAnnotation(false),
	)
	return server.ServerTool{Tool: tool, Handler: mcp.NewTypedToolHandler(func(ctx context.Context, _ mcp.CallToolRequest, args QueryArgs) (*mcp.CallToolResult, error) {
		if strings.TrimSpace(args.SQL) == "" {
			return mcp.NewToolResultError("sql is required: write one SELECT statement; list_datasets shows the tables"), nil
		}
		cat, release, err := d.workspace(ctx, args.Workspace, reading)
		if err != nil {
			return d.result(ctx, "query", err)
		}
		defer release()
		res, err := cat.Query(ctx, args.SQL, args.MaxRows)
		if err != nil {
			return d.result(ctx, "query", err)
		}
		out := QueryResult{Workspace: cat.Workspace(), Result: res}
		return mcp.NewToolResultStructured(out, res.Markdown(0)), nil
	})}
}
