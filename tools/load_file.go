package tools

import (
	"context"
	"fmt"
	"strings"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"datachat/datasets"
)

// LoadFileArgs are load_file's arguments.
type LoadFileArgs struct {
	Source    string `json:"source"`
	Name      string `json:"name,omitempty"`
	Format    string `json:"format,omitempty"`
	Sheet     string `json:"sheet,omitempty"`
	Record    string `json:"record,omitempty"`
	Workspace string `json:"workspace,omitempty"`
}

// LoadedTable is one table load_file created.
type LoadedTable struct {
	Name    string                `json:"name"`
	Rows    int64                 `json:"rows"`
	Columns []datasets.ColumnInfo `json:"columns"`
	Preview *datasets.Result      `json:"preview"`
	// Warnings say what the load changed or skipped (see datasets.TableInfo).
	Warnings []string `json:"warnings,omitempty"`
}

// LoadFile is the load_file tool.
func LoadFile(d Deps) server.ServerTool {
	return serve(spec{
		name:  "load_file",
		title: "Load a data file",
		description: "Load a file (path or http(s) URL) as SQL tables: CSV/TSV/JSON, Parquet, Excel, HTML, XML, text, Stata, SAS, SPSS. " +
			"Returns the workspace handle, the columns and first rows.",
		in: object(
			field("source", str("path or URL")),
			field("name", str("table name")),
			field("format", oneOf("", datasets.SupportedFormats()...)),
			field("sheet", str("xlsx sheet")),
			field("record", str("xml row element")),
			field("workspace", str("load into this workspace (default: new)")),
		).requires("source"),
		out:       loadOutput,
		openWorld: true, idempotent: true,
	}, func(ctx context.Context, req mcp.CallToolRequest, args LoadFileArgs) (*mcp.CallToolResult, error) {
		if strings.TrimSpace(args.Source) == "" {
			return mcp.NewToolResultError("source is required: give a file path or an http(s) URL"), nil
		}
		cat, release, err := d.workspace(ctx, args.Workspace, loading)
		if err != nil {
			return d.result(ctx, "load_file", err)
		}
		defer release()
		prog := progress(ctx, req)
		defer prog.settle()
		infos, err := cat.Load(ctx, args.Source, datasets.LoadOptions{
			Name: args.Name, Format: args.Format, Sheet: args.Sheet, Record: args.Record,
			Progress: prog.callback(),
		})
		if err != nil {
			return d.result(ctx, "load_file", err)
		}
		out := struct {
			Workspace string        `json:"workspace"`
			Tables    []LoadedTable `json:"tables"`
		}{Workspace: cat.Workspace()}
		var b strings.Builder
		for _, info := range infos {
			prev, err := cat.Preview(ctx, info.Name, 5)
			if err != nil {
				return d.result(ctx, "load_file", err)
			}
			out.Tables = append(out.Tables, LoadedTable{Name: info.Name, Rows: info.Rows, Columns: info.Columns, Preview: prev, Warnings: info.Warnings})
			fmt.Fprintf(&b, "Loaded table `%s`: %d rows, %d columns.\n\n", info.Name, info.Rows, len(info.Columns))
			logf(ctx, mcp.LoggingLevelInfo, "loaded table %s from %s as %s: %d rows, %d columns", info.Name, args.Source, info.Format, info.Rows, len(info.Columns))
			for _, w := range info.Warnings {
				logf(ctx, mcp.LoggingLevelWarning, "table %s: %s", info.Name, w)
				fmt.Fprintf(&b, "Warning: %s.\n\n", w)
			}
			b.WriteString(columnsMarkdown(info.Columns))
			b.WriteString("\nFirst rows:\n\n")
			b.WriteString(prev.Markdown(5))
			b.WriteString("\n")
		}
		if d.OnLoad != nil {
			d.OnLoad(ctx, cat)
		}
		b.WriteString(workspaceNote(cat, true))
		return mcp.NewToolResultStructured(out, b.String()), nil
	})
}

func columnsMarkdown(cols []datasets.ColumnInfo) string {
	var b strings.Builder
	hasLabel := false
	for _, c := range cols {
		hasLabel = hasLabel || c.Label != ""
	}
	if hasLabel {
		b.WriteString("| column | type | label |\n| --- | --- | --- |\n")
	} else {
		b.WriteString("| column | type |\n| --- | --- |\n")
	}
	for _, c := range cols {
		if hasLabel {
			fmt.Fprintf(&b, "| %s | %s | %s |\n", c.Name, c.Type, c.Label)
		} else {
			fmt.Fprintf(&b, "| %s | %s |\n", c.Name, c.Type)
		}
	}
	return b.String()
}
