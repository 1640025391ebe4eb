package tools

import (
	"context"
	"fmt"
	"strings"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"datachat/datasets"
)

// QueryArgs are query's arguments.
type QueryArgs struct {
	SQL       string `json:"sql"`
	MaxRows   int    `json:"max_rows,omitempty"`
	Workspace string `json:"workspace,omitempty"`
}

// QueryResult is query's structured result.
type QueryResult struct {
	Workspace string `json:"workspace,omitempty"`
	*datasets.Result
}

// Query is the query tool.
func Query(d Deps) server.ServerTool {
	return serve(spec{
		name:        "query",
		title:       "Run a SQL query",
		description: "Run one read-only DuckDB SELECT over the workspace's tables. Double-quote names with spaces or capitals.",
		in: object(
			field("sql", str("SELECT statement")),
			field("max_rows", integer("", 1)),
			field("workspace", workspaceArg),
		).requires("sql"),
		out:      queryOutput,
		readOnly: true, idempotent: true,
	}, func(ctx context.Context, _ mcp.CallToolRequest, args QueryArgs) (*mcp.CallToolResult, error) {
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
		return mcp.NewToolResultStructured(out, previewText(res)), nil
	})
}

// PreviewRows is how many rows a query's text shows; structuredContent
// holds all of them, so that a large result is not sent twice in full.
const PreviewRows = 20

// previewText is a readable preview of a result for the text content.
func previewText(res *datasets.Result) string {
	text := res.Markdown(PreviewRows)
	if len(res.Rows) > PreviewRows {
		text += fmt.Sprintf("(all %d rows are in structuredContent.rows)\n", len(res.Rows))
	}
	return text
}
