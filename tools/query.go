package tools

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"datachat/datasets"
	"datachat/exports"
	"datachat/transport"
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
	// Whole holds links to the whole result when it was truncated.
	Whole []Link `json:"whole_result,omitempty"`
}

// Link is one way to fetch a whole result.
type Link struct {
	Format string `json:"format"`
	// URI is a resource to read with resources/read.
	URI string `json:"uri"`
	// URL is a signed download link (serve mode), valid until Expires.
	URL     string `json:"url,omitempty"`
	Expires string `json:"expires,omitempty"`
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
		text := previewText(res)
		var links []mcp.Content
		if res.Truncated {
			logf(ctx, mcp.LoggingLevelWarning, "query result cut at %d rows or --max-chars; links to the whole result follow", res.RowCount)
			var note string
			out.Whole, links, note, err = d.wholeResult(ctx, cat, args.SQL)
			if err != nil {
				return d.result(ctx, "query", err)
			}
			text += note
		}
		return &mcp.CallToolResult{
			Content:           append([]mcp.Content{mcp.NewTextContent(text)}, links...),
			StructuredContent: out,
		}, nil
	})
}

// wholeResult offers a truncated result whole: resource links (CSV and
// Parquet) and, over HTTP, signed download links.
func (d Deps) wholeResult(ctx context.Context, cat *datasets.Catalog, query string) ([]Link, []mcp.Content, string, error) {
	if cat.Workspace() == "" || d.Exports == nil {
		return nil, nil, "\nTo get the whole result as a file, load the tables into a workspace and pass it to query.\n", nil
	}
	id, err := cat.ResultID(query)
	if err != nil {
		return nil, nil, "", err
	}
	var links []Link
	var content []mcp.Content
	var b strings.Builder
	b.WriteString("\nThe whole result:")
	base := transport.BaseURL(ctx)
	for _, f := range exports.Formats {
		l := Link{Format: f.Ext, URI: exports.URI(cat.Workspace(), id, f.Ext)}
		fmt.Fprintf(&b, "\n- %s: %s (resources/read)", strings.ToUpper(f.Ext), l.URI)
		if base != "" {
			url, exp := d.Exports.Link(base, cat.Workspace(), id, f.Ext)
			l.URL, l.Expires = url, exp.UTC().Format(time.RFC3339)
			fmt.Fprintf(&b, ", or download %s until %s", url, l.Expires)
		}
		links = append(links, l)
		content = append(content, mcp.NewResourceLink(l.URI, "result-"+id+"."+f.Ext,
			"the whole result of the query, as "+strings.ToUpper(f.Ext), f.MIME))
	}
	b.WriteString("\n")
	return links, content, b.String(), nil
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
