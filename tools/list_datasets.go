package tools

import (
	"context"
	"fmt"
	"strings"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
)

// ListDatasetsArgs are list_datasets's arguments.
type ListDatasetsArgs struct {
	Workspace string `json:"workspace,omitempty"`
}

// DatasetSummary is one row of list_datasets.
type DatasetSummary struct {
	Name    string `json:"name"`
	Source  string `json:"source"`
	Format  string `json:"format"`
	Rows    int64  `json:"rows"`
	Columns int    `json:"columns"`
}

// ListDatasets is the list_datasets tool.
func ListDatasets(d Deps) server.ServerTool {
	return serve(spec{
		name:        "list_datasets",
		title:       "List datasets",
		description: "List the workspace's tables.",
		in:          object(field("workspace", workspaceArg)),
		out:         listOutput,
		readOnly:    true, idempotent: true,
	}, func(ctx context.Context, _ mcp.CallToolRequest, args ListDatasetsArgs) (*mcp.CallToolResult, error) {
		cat, release, err := d.workspace(ctx, args.Workspace, reading)
		if err != nil {
			return d.result(ctx, "list_datasets", err)
		}
		defer release()
		out := struct {
			Workspace string           `json:"workspace,omitempty"`
			Datasets  []DatasetSummary `json:"datasets"`
		}{Workspace: cat.Workspace(), Datasets: []DatasetSummary{}}
		var b strings.Builder
		for _, t := range cat.Tables(ctx) {
			out.Datasets = append(out.Datasets, DatasetSummary{t.Name, t.Source, t.Format, t.Rows, len(t.Columns)})
		}
		if len(out.Datasets) == 0 {
			b.WriteString("No dataset is loaded yet. Load one with load_file (a path or an http(s) URL).\n\n")
			b.WriteString(workspaceNote(cat, false))
		} else {
			b.WriteString("| dataset | rows | columns | format | source |\n| --- | ---: | ---: | --- | --- |\n")
			for _, s := range out.Datasets {
				fmt.Fprintf(&b, "| %s | %d | %d | %s | %s |\n", s.Name, s.Rows, s.Columns, s.Format, s.Source)
			}
		}
		return mcp.NewToolResultStructured(out, b.String()), nil
	})
}
