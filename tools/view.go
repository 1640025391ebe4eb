package tools

import (
	"context"
	"fmt"
	"strings"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"datachat/datasets"
)

// MCP Apps (extension io.modelcontextprotocol/ui): hosts that support it
// render the view resource next to the results of the tools that name it;
// the text content of those results still stands on its own for the others.
const (
	// UIExtension is the extension's capability key.
	UIExtension = "io.modelcontextprotocol/ui"
	// ViewURI is datachat's view: web's bundle in view mode.
	ViewURI = "ui://datachat/view"
	// ViewMIMEType marks an MCP App document.
	ViewMIMEType = "text/html;profile=mcp-app"
)

// viewTools are the tools whose results the view draws.
var viewTools = map[string]bool{"query": true, "chart": true, "describe": true, "chat": true}

// viewMeta points a tool at the view, in the current key (ui.resourceUri)
// and the flat key older hosts read.
func viewMeta() *mcp.Meta {
	return &mcp.Meta{AdditionalFields: map[string]any{
		"ui":             map[string]any{"resourceUri": ViewURI},
		"ui/resourceUri": ViewURI,
	}}
}

// withViews adds the view's _meta to the tools the view draws.
func withViews(all []server.ServerTool) []server.ServerTool {
	for i := range all {
		if viewTools[all[i].Tool.Name] {
			all[i].Tool.Meta = viewMeta()
		}
	}
	return all
}

// ViewRowsArgs are view_rows's arguments.
type ViewRowsArgs struct {
	Workspace  string `json:"workspace,omitempty"`
	SQL        string `json:"sql"`
	Offset     int    `json:"offset,omitempty"`
	Limit      int    `json:"limit,omitempty"`
	OrderBy    string `json:"order_by,omitempty"`
	Descending bool   `json:"descending,omitempty"`
}

// ViewRowsResult is view_rows's structured result.
type ViewRowsResult struct {
	*datasets.Result
	// Offset is the first row's position; Total counts the query's rows.
	Offset int   `json:"offset"`
	Total  int64 `json:"total"`
}

// Most rows one view_rows call returns.
const maxViewRows = 500

// ViewRows is the app-only paging tool the view calls (through the host) to
// page and sort a table; hosts hide it from the model.
func ViewRows(d Deps) server.ServerTool {
	return serve(spec{
		name:        "view_rows",
		title:       "Page rows",
		description: "Page a query's rows, sorted by a column (datachat's view uses it).",
		in: object(
			field("sql", str("")),
			field("offset", integer("", 0)),
			field("limit", integer(fmt.Sprintf("default 25, most %d", maxViewRows), 1)),
			field("order_by", str("column")),
			field("descending", boolean("")),
			field("workspace", workspaceArg),
		).requires("sql"),
		out:      viewRowsOutput,
		readOnly: true, idempotent: true,
		// App-only: hosts hide it from the model.
		meta: &mcp.Meta{AdditionalFields: map[string]any{"ui": map[string]any{"visibility": []string{"app"}}}},
	}, func(ctx context.Context, _ mcp.CallToolRequest, args ViewRowsArgs) (*mcp.CallToolResult, error) {
		inner := strings.TrimRight(strings.TrimSpace(args.SQL), "; \t\r\n")
		if inner == "" {
			return mcp.NewToolResultError("sql is required: the query whose rows to page through"), nil
		}
		if args.Offset < 0 {
			return mcp.NewToolResultError("offset must be 0 or more"), nil
		}
		limit := args.Limit
		if limit <= 0 {
			limit = 25
		}
		limit = min(limit, maxViewRows)
		cat, release, err := d.workspace(ctx, args.Workspace, reading)
		if err != nil {
			return d.result(ctx, "view_rows", err)
		}
		defer release()
		// The client's query becomes a subquery; the whole statement still
		// goes through the catalog's read-only sandbox.
		from := "(" + inner + "\n) AS page_source"
		count, err := cat.Query(ctx, "SELECT count(*) FROM "+from, 1)
		if err != nil {
			return d.result(ctx, "view_rows", err)
		}
		var total int64
		if len(count.Rows) == 1 {
			if n, ok := count.Rows[0][0].(int64); ok {
				total = n
			}
		}
		q := "SELECT * FROM " + from
		if args.OrderBy != "" {
			dir := "ASC"
			if args.Descending {
				dir = "DESC"
			}
			q += fmt.Sprintf(" ORDER BY %s %s NULLS LAST", datasets.Ident(args.OrderBy), dir)
		}
		q += fmt.Sprintf(" LIMIT %d OFFSET %d", limit, args.Offset)
		res, err := cat.Query(ctx, q, limit)
		if err != nil {
			return d.result(ctx, "view_rows", err)
		}
		if res.Rows == nil {
			res.Rows = [][]any{}
		}
		out := ViewRowsResult{Result: res, Offset: args.Offset, Total: total}
		text := fmt.Sprintf("rows %d-%d of %d", args.Offset+1, args.Offset+len(res.Rows), total)
		if len(res.Rows) == 0 {
			text = fmt.Sprintf("no rows at offset %d (%d in all)", args.Offset, total)
		}
		return mcp.NewToolResultStructured(out, text), nil
	})
}
