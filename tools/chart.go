package tools

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"datachat/charts"
	"datachat/datasets"
)

// ChartArgs are chart's arguments.
type ChartArgs struct {
	Dataset   string `json:"dataset,omitempty"`
	SQL       string `json:"sql,omitempty"`
	Kind      string `json:"kind,omitempty"`
	X         string `json:"x,omitempty"`
	Y         string `json:"y,omitempty"`
	Group     string `json:"group,omitempty"`
	Title     string `json:"title,omitempty"`
	Workspace string `json:"workspace,omitempty"`
}

// ChartResult is chart's structured result.
type ChartResult struct {
	Workspace string         `json:"workspace,omitempty"`
	Spec      charts.Spec    `json:"spec"`
	VegaLite  map[string]any `json:"vega_lite"`
	Rows      int            `json:"rows"`
	// SQL is the query that gave the chart's data, when known.
	SQL string `json:"sql,omitempty"`
}

// chartSample is how many rows of a dataset a chart reads (sampled beyond).
const chartSample = 100_000

// Chart is the chart tool.
func Chart(d Deps) server.ServerTool {
	return serve(spec{
		name:        "chart",
		title:       "Draw a chart",
		description: "Chart a table or a query's result (PNG and Vega-Lite); kind and columns are picked when omitted.",
		in: object(
			field("dataset", str("table")),
			field("sql", str("or a query")),
			field("kind", oneOf("", chartKinds()...)),
			field("x", str("")),
			field("y", str("numeric; default: row count")),
			field("group", str("series column")),
			field("title", str("")),
			field("workspace", workspaceArg),
		),
		out:      chartOutput,
		readOnly: true, idempotent: true,
	}, func(ctx context.Context, _ mcp.CallToolRequest, args ChartArgs) (*mcp.CallToolResult, error) {
		if (args.Dataset == "") == (strings.TrimSpace(args.SQL) == "") {
			return mcp.NewToolResultError("give either dataset (a loaded table) or sql (a read-only query), not both"), nil
		}
		cat, release, err := d.workspace(ctx, args.Workspace, reading)
		if err != nil {
			return d.result(ctx, "chart", err)
		}
		defer release()
		query := args.SQL
		if args.Dataset != "" {
			if query, err = datasetQuery(cat, args); err != nil {
				return d.result(ctx, "chart", err)
			}
		}
		res, err := cat.QueryData(ctx, query, chartSample)
		if err != nil {
			return d.result(ctx, "chart", err)
		}
		spec := charts.Spec{Kind: charts.Kind(args.Kind), X: args.X, Y: args.Y, Group: args.Group, Title: args.Title}
		png, vl, spec, err := RenderChart(ctx, spec, ChartData(res))
		if err != nil {
			return mcp.NewToolResultError(err.Error()), nil
		}
		out := ChartResult{Workspace: cat.Workspace(), Spec: spec, VegaLite: vl, Rows: res.RowCount}
		summary := fmt.Sprintf("%s chart of %s", spec.Kind, describeAxes(spec))
		if spec.Title != "" {
			summary = fmt.Sprintf("%s: %s", spec.Title, summary)
		}
		return &mcp.CallToolResult{
			Content: []mcp.Content{
				mcp.NewTextContent(summary),
				mcp.NewImageContent(base64.StdEncoding.EncodeToString(png), "image/png"),
			},
			StructuredContent: out,
		}, nil
	})
}

// datasetQuery selects the named columns (or all) of a dataset, sampling
// large tables.
func datasetQuery(cat *datasets.Catalog, args ChartArgs) (string, error) {
	info, err := cat.Table(args.Dataset)
	if err != nil {
		return "", err
	}
	cols := "*"
	var named []string
	for _, c := range []string{args.X, args.Y, args.Group} {
		if c != "" {
			named = append(named, datasets.Ident(c))
		}
	}
	if len(named) > 0 {
		cols = strings.Join(named, ", ")
	}
	q := fmt.Sprintf("SELECT %s FROM %s", cols, datasets.Ident(info.Name))
	if info.Rows > chartSample {
		q += fmt.Sprintf(" USING SAMPLE %d ROWS (reservoir, 42)", chartSample)
	}
	return q, nil
}

// ChartData converts a query result to chart data.
func ChartData(res *datasets.Result) charts.Data {
	return charts.Data{Columns: res.Columns, Types: res.Types, Rows: res.Rows}
}

// RenderChart completes spec (see CompleteChart) and renders it as a PNG.
func RenderChart(ctx context.Context, spec charts.Spec, data charts.Data) ([]byte, map[string]any, charts.Spec, error) {
	spec, vl, err := CompleteChart(spec, data)
	if err != nil {
		return nil, nil, spec, err
	}
	png, err := charts.Render(ctx, spec, data, "png")
	if err != nil {
		return nil, nil, spec, chartError(err)
	}
	return png, vl, spec, nil
}

// CompleteChart chooses the kind and columns of spec left empty and returns
// the spec with its Vega-Lite form, which hosts draw themselves: cheap, no
// image is rendered.
func CompleteChart(spec charts.Spec, data charts.Data) (charts.Spec, map[string]any, error) {
	if spec.Kind == "" || spec.X == "" {
		chosen, err := charts.Choose(data, spec.X, spec.Y, spec.Group)
		if err != nil {
			return spec, nil, chartError(err)
		}
		if spec.Kind != "" {
			chosen.Kind = spec.Kind
		}
		chosen.Title = spec.Title
		spec = chosen
	}
	vl, err := charts.VegaLite(spec, data)
	if err != nil {
		return spec, nil, chartError(err)
	}
	return spec, vl, nil
}

func chartError(err error) error {
	for _, k := range []error{charts.ErrNoRows, charts.ErrUnknownColumn, charts.ErrWrongType, charts.ErrBadSpec, charts.ErrBadData} {
		if errors.Is(err, k) {
			return fmt.Errorf("cannot draw that chart: %w", err)
		}
	}
	return fmt.Errorf("draw chart: %w", err)
}

func describeAxes(s charts.Spec) string {
	parts := []string{"x=" + s.X}
	if s.Y != "" {
		parts = append(parts, "y="+s.Y)
	}
	if s.Group != "" {
		parts = append(parts, "group="+s.Group)
	}
	return strings.Join(parts, ", ")
}
