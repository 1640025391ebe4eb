package explore

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

	"datachat/charts"
	"datachat/chat"
	"datachat/datasets"
)

// DefaultMax is how many charts Visuals returns when max is zero or less.
const DefaultMax = 4

// maxCharts bounds max.
const maxCharts = 12

// sampleRows is the most raw rows a histogram or scatter plot reads.
const sampleRows = 1000

// Chart kinds of candidates, in the order that breaks score ties.
const (
	candRate      = "rate"
	candMean      = "mean"
	candTrend     = "trend"
	candScatter   = "scatter"
	candHistogram = "histogram"
	candTop       = "top"
)

// sameKindFactor discounts each further chart of a kind already chosen, so
// an answer mixes kinds unless one kind is clearly better.
const sameKindFactor = 0.85

// candidate is a chart that may be worth showing.
type candidate struct {
	kind  string
	cols  []string // the columns it shows, for dropping near-duplicates
	score float64
	// chart is the chart when scoring needed its data; otherwise build
	// runs the chart's query and returns it.
	chart *chat.Chart
	build func(ctx context.Context) (*chat.Chart, error)
}

func (c *candidate) key() string {
	cols := slices.Clone(c.cols)
	slices.Sort(cols)
	return strings.Join(cols, "\x00")
}

// errNoChart says a candidate's query gave nothing to draw.
var errNoChart = errors.New("nothing to chart")

// Visuals explores table and returns up to max charts (3-5 when the data
// allows), most interesting first. max <= 0 means DefaultMax. A table too
// small or with nothing to chart gives fewer charts, possibly none, and no
// error; an unknown table or a failing profile query is an error.
func Visuals(ctx context.Context, cat chat.Catalog, table string, max int) ([]chat.Chart, error) {
	if max <= 0 {
		max = DefaultMax
	}
	max = min(max, maxCharts)
	info, err := findTable(ctx, cat, table)
	if err != nil {
		return nil, err
	}
	t, err := profile(ctx, cat, info)
	if err != nil {
		return nil, err
	}
	if t.rows < minRows {
		return nil, nil // too few rows to show anything
	}
	var cands []*candidate
	for _, gen := range []func(context.Context, chat.Catalog) ([]*candidate, error){
		t.groupCandidates, t.trendCandidates, t.scatterCandidates,
	} {
		cs, err := gen(ctx, cat)
		if err != nil {
			if ctx.Err() != nil {
				return nil, fmt.Errorf("explore %s: %w", t.name, ctx.Err())
			}
			continue // a failed optional query costs that kind of chart, not the answer
		}
		cands = append(cands, cs...)
	}
	cands = append(cands, t.histogramCandidates(cat)...)
	cands = append(cands, t.topCandidates()...)
	return pick(ctx, cands, max)
}

// findTable looks a table up by name, ignoring case.
func findTable(ctx context.Context, cat chat.Catalog, name string) (datasets.TableInfo, error) {
	tables := cat.Tables(ctx)
	for _, t := range tables {
		if t.Name == name {
			return t, nil
		}
	}
	for _, t := range tables {
		if strings.EqualFold(t.Name, name) {
			return t, nil
		}
	}
	names := make([]string, len(tables))
	for i, t := range tables {
		names[i] = t.Name
	}
	return datasets.TableInfo{}, fmt.Errorf("explore: unknown table %q (loaded: %s)", name, strings.Join(names, ", "))
}

// pick chooses up to max candidates greedily by score, discounting kinds
// already chosen and skipping those on columns already shown, and builds
// their charts.
func pick(ctx context.Context, cands []*candidate, max int) ([]chat.Chart, error) {
	order := map[string]int{candRate: 0, candMean: 1, candTrend: 2, candScatter: 3, candHistogram: 4, candTop: 5}
	slices.SortStableFunc(cands, func(a, b *candidate) int {
		return cmp.Or(cmp.Compare(b.score, a.score), cmp.Compare(order[a.kind], order[b.kind]), strings.Compare(a.key(), b.key()))
	})
	used := map[string]bool{}
	kinds := map[string]int{}
	var out []chat.Chart
	for len(out) < max {
		best, bestScore := -1, math.Inf(-1)
		for i, c := range cands {
			if c == nil {
				continue
			}
			if used[c.key()] {
				cands[i] = nil
				continue
			}
			s := c.score * math.Pow(sameKindFactor, float64(kinds[c.kind]))
			if s > bestScore {
				best, bestScore = i, s
			}
		}
		if best < 0 {
			break
		}
		c := cands[best]
		cands[best] = nil
		ch, err := c.chart, error(nil)
		if ch == nil {
			ch, err = c.build(ctx)
		}
		if err != nil {
			if ctx.Err() != nil {
				return nil, fmt.Errorf("explore: %w", ctx.Err())
			}
			continue // nothing to draw after all: try the next
		}
		// A spec the renderer refuses is a bug here; leave the chart out
		// rather than hand the caller something it cannot draw.
		if _, err := charts.VegaLite(ch.Spec, ch.Data); err != nil {
			continue
		}
		used[c.key()] = true
		kinds[c.kind]++
		out = append(out, *ch)
	}
	return out, nil
}

// query runs one statement and returns its rows as chart data. A result
// cut short by the catalog's row or size caps is an error unless sampled
// says the rows are a random sample anyway.
func query(ctx context.Context, cat chat.Catalog, sql string, maxRows int, sampled bool) (charts.Data, error) {
	res, err := cat.Query(ctx, sql, maxRows)
	if err != nil {
		return charts.Data{}, err
	}
	if len(res.Rows) == 0 {
		return charts.Data{}, errNoChart
	}
	if res.Truncated && !sampled {
		return charts.Data{}, fmt.Errorf("%w: more than %d rows", errNoChart, maxRows)
	}
	return charts.Data{Columns: res.Columns, Types: res.Types, Rows: res.Rows}, nil
}

// sampleClause keeps a query on n rows to at most sampleRows.
func sampleClause(n int64) string {
	if n <= sampleRows {
		return ""
	}
	return sample(sampleRows)
}

// sample is a clause keeping k rows picked at random (the same ones for
// the same table).
func sample(k int) string {
	return fmt.Sprintf(" USING SAMPLE reservoir(%d ROWS) REPEATABLE (1)", k)
}
