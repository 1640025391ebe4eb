package tools

import (
	"context"
	"fmt"
	"strings"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"datachat/datasets"
)

// DescribeArgs are describe's arguments.
type DescribeArgs struct {
	Dataset   string   `json:"dataset"`
	Columns   []string `json:"columns,omitempty"`
	Workspace string   `json:"workspace,omitempty"`
}

// DescribeResult is describe's structured result.
type DescribeResult struct {
	Workspace string `json:"workspace,omitempty"`
	*datasets.Description
}

// Describe is the describe tool.
func Describe(d Deps) server.ServerTool {
	return serve(spec{
		name:        "describe",
		title:       "Describe a dataset",
		description: "Per-column statistics of a table: type, nulls, distinct count, range, mean, quartiles, top values. Use before writing SQL.",
		in: object(
			field("dataset", str("table name")),
			field("columns", array(str(""), "only these")),
			field("workspace", workspaceArg),
		).requires("dataset"),
		out:      describeOutput,
		readOnly: true, idempotent: true,
	}, func(ctx context.Context, _ mcp.CallToolRequest, args DescribeArgs) (*mcp.CallToolResult, error) {
		cat, release, err := d.workspace(ctx, args.Workspace, reading)
		if err != nil {
			return d.result(ctx, "describe", err)
		}
		defer release()
		desc, err := cat.Describe(ctx, args.Dataset, args.Columns)
		if err != nil {
			return d.result(ctx, "describe", err)
		}
		out := DescribeResult{Workspace: cat.Workspace(), Description: desc}
		return mcp.NewToolResultStructured(out, DescriptionMarkdown(desc)), nil
	})
}

// DescriptionMarkdown renders describe's result for people.
func DescriptionMarkdown(desc *datasets.Description) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Dataset `%s`: %d rows, %d columns.", desc.Table, desc.Rows, len(desc.Columns))
	if desc.Label != "" {
		fmt.Fprintf(&b, " (%s)", desc.Label)
	}
	if desc.SampleRows > 0 {
		fmt.Fprintf(&b, " Distinct counts are estimates; medians and top values come from a sample of %d rows (counts scaled to the table).", desc.SampleRows)
	}
	b.WriteString("\n\n| column | type | non-null | null % | distinct | min | max | mean | std | median | top values |\n")
	b.WriteString("| --- | --- | ---: | ---: | ---: | --- | --- | ---: | ---: | --- | --- |\n")
	for _, c := range desc.Columns {
		name := c.Name
		if c.Label != "" {
			name += " (" + c.Label + ")"
		}
		var top []string
		for _, t := range c.Top {
			top = append(top, fmt.Sprintf("%s (%d)", datasets.FormatValue(t.Value), t.Count))
		}
		fmt.Fprintf(&b, "| %s | %s | %d | %s | %d | %s | %s | %s | %s | %s | %s |\n",
			esc(name), c.Type, c.NonNull, datasets.FormatFloat(c.NullPct), c.Distinct,
			esc(datasets.FormatValue(c.Min)), esc(datasets.FormatValue(c.Max)),
			datasets.FormatValue(c.Mean), datasets.FormatValue(c.Std), esc(datasets.FormatValue(c.Q50)),
			esc(strings.Join(top, ", ")))
	}
	return b.String()
}

func esc(s string) string {
	s = strings.ReplaceAll(s, "|", `\|`)
	if len([]rune(s)) > 80 {
		s = string([]rune(s)[:79]) + "…"
	}
	return strings.ReplaceAll(s, "\n", " ")
}
