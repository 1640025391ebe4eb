package charts

import (
	"context"
	"fmt"
	"strings"
)

// Kind is the type of chart.
type Kind string

// The chart kinds.
const (
	// Bar is one bar per category of X, its height the sum of Y (or the
	// row count when Y is empty), sorted by height (in time order when X
	// is a date or timestamp, in numeric order when X is a number).
	Bar Kind = "bar"
	// GroupedBar is Bar with one bar per Group value side by side.
	GroupedBar Kind = "grouped_bar"
	// StackedBar is Bar with the Group values stacked in each bar.
	StackedBar Kind = "stacked_bar"
	// Histogram counts the values of the numeric column X in bins.
	Histogram Kind = "histogram"
	// Line draws Y (summed per X value, or the row count when Y is empty)
	// against a date/time or numeric X in X order, one line per Group value.
	Line Kind = "line"
	// Scatter draws one point per row at (X, Y), coloured by Group.
	Scatter Kind = "scatter"
)

// Kinds lists every chart kind.
var Kinds = []Kind{Bar, GroupedBar, StackedBar, Histogram, Line, Scatter}

// Limits that keep charts readable.
const (
	// MaxCategories is the most bars a bar chart shows; the smallest
	// categories beyond it are summed into one "Other" bar.
	MaxCategories = 20
	// MaxGroups is the most series (colours) a chart shows; the smallest
	// groups beyond it are summed into one "Other" series.
	MaxGroups = 8
	// MaxPoints is the most points a scatter plot draws and the most
	// points per line; larger inputs are sampled evenly.
	MaxPoints = 5000
	// DefaultWidth and DefaultHeight are the image size in pixels.
	DefaultWidth, DefaultHeight = 800, 500
	// MinSize and MaxSize bound Spec.Width and Spec.Height.
	MinSize, MaxSize = 200, 4000
)

// Spec describes a chart.
type Spec struct {
	// Kind is the chart type. When empty, Render and VegaLite pick one
	// with Choose.
	Kind Kind `json:"kind"`
	// Title is the chart title. Default: made from the columns, for
	// example "Fare (USD) by Pclass".
	Title string `json:"title,omitempty"`
	// X is the column on the x axis: the categories of a bar chart, the
	// values of a histogram.
	X string `json:"x"`
	// Y is the numeric column on the y axis. Empty for a histogram and for
	// bar and line charts of row counts.
	Y string `json:"y,omitempty"`
	// Group is an optional series column: the bars of a grouped or
	// stacked bar chart, one line per value, or the colour of a scatter
	// point. It is required for grouped and stacked bars.
	Group string `json:"group,omitempty"`
	// XLabel and YLabel are the axis titles. Default: the column names,
	// humanised ("fare_usd" becomes "Fare (USD)"), and "Count" for counts.
	XLabel string `json:"x_label,omitempty"`
	YLabel string `json:"y_label,omitempty"`
	// Width and Height are the image size in pixels, between MinSize and
	// MaxSize. Default: DefaultWidth by DefaultHeight.
	Width  int `json:"width,omitempty"`
	Height int `json:"height,omitempty"`
}

// Data is a table of rows to chart, as a SQL query returns it.
type Data struct {
	// Columns are the column names.
	Columns []string
	// Types are DuckDB type names, one per column (BIGINT, DOUBLE,
	// DECIMAL(18,3), VARCHAR, DATE, TIMESTAMP, ...). When empty, or empty
	// for a column, the type is inferred from the values.
	Types []string
	// Rows hold nil, bool, string, time.Time, any Go integer or float,
	// *big.Int, or a value with a Float64() float64 method (such as a
	// DuckDB decimal). Each row has one value per column.
	Rows [][]any
}

// Render draws the chart as an image in format "png" or "svg". The output
// is the same bytes for the same input.
func Render(ctx context.Context, spec Spec, data Data, format string) ([]byte, error) {
	format = strings.ToLower(strings.TrimSpace(format))
	if format != "png" && format != "svg" {
		return nil, fmt.Errorf("%w %q: want png or svg", ErrFormat, format)
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("render chart: %w", err)
	}
	m, err := prepare(ctx, spec, data)
	if err != nil {
		return nil, err
	}
	return render(ctx, m, format)
}

// VegaLite returns a complete Vega-Lite v5 spec of the same chart that
// Render draws, with the (aggregated, binned or sampled) data inline.
func VegaLite(spec Spec, data Data) (map[string]any, error) {
	m, err := prepare(context.Background(), spec, data)
	if err != nil {
		return nil, err
	}
	return vegaLite(m), nil
}
