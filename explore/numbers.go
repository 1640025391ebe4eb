package explore

import (
	"context"
	"fmt"
	"math"
	"strings"

	"datachat/charts"
	"datachat/chat"
)

// Number candidates.
const (
	maxCorrColumns = 15    // numeric columns whose pairs are correlated
	minCorr        = 0.5   // weaker correlations are not shown
	sameCorr       = 0.995 // stronger: likely one column restated (other units, a part of the other)
	farTail        = 3     // a tail longer than this many times the 1st-99th percentile range is cut from a histogram
	evenSpread     = 0.05  // values whose shares differ less are "split evenly"
)

// histogramCandidates scores the distribution of every measure by its
// skewness and its share of missing values.
func (t *table) histogramCandidates(cat chat.Catalog) []*candidate {
	var out []*candidate
	for _, c := range t.cols {
		if !c.measure() || c.outcome {
			continue
		}
		missing := 1 - float64(c.nonNull)/float64(t.rows)
		score := 0.3 + 0.2*math.Min(math.Abs(c.skew), 5)/5 + 0.2*math.Min(missing, 0.5)
		out = append(out, &candidate{
			kind:  candHistogram,
			cols:  []string{c.name},
			score: score,
			build: func(ctx context.Context) (*chat.Chart, error) { return t.histogramChart(ctx, cat, c) },
		})
	}
	return out
}

// histogramChart reads the values of c (a sample of them on large
// tables). A tail reaching far beyond the 1st or 99th percentile is cut
// there, as it would squeeze the rest into a bar or two; the finding still
// gives the whole range.
func (t *table) histogramChart(ctx context.Context, cat chat.Catalog, c *column) (*chat.Chart, error) {
	q := quoteIdent(c.name)
	conds := []string{q + " IS NOT NULL"}
	title := "Distribution of " + c.name
	body := c.p99 - c.p01
	cutLow := body > 0 && c.p01-c.min > farTail*body
	cutHigh := body > 0 && c.max-c.p99 > farTail*body
	if cutLow {
		conds = append(conds, fmt.Sprintf("%s >= %s", q, literal(roundTo(c.p01, math.Floor))))
	}
	if cutHigh {
		conds = append(conds, fmt.Sprintf("%s <= %s", q, literal(roundTo(c.p99, math.Ceil))))
	}
	var notes []string
	switch {
	case cutLow && cutHigh:
		notes = append(notes, "1st to 99th percentile")
	case cutLow:
		notes = append(notes, "from the 1st percentile")
	case cutHigh:
		notes = append(notes, "up to the 99th percentile")
	}
	if c.nonNull > sampleRows {
		notes = append(notes, fmt.Sprintf("%s-row sample", thousands(sampleRows)))
	}
	if len(notes) > 0 {
		title += " (" + strings.Join(notes, ", ") + ")"
	}
	sql := fmt.Sprintf("SELECT %s FROM %s WHERE %s%s", q, quoteIdent(t.name), strings.Join(conds, " AND "), sampleClause(c.nonNull))
	data, err := query(ctx, cat, sql, sampleRows, true)
	if err != nil {
		return nil, err
	}
	return &chat.Chart{
		Spec:    charts.Spec{Kind: charts.Histogram, Title: title, X: c.name},
		Data:    data,
		Finding: t.distributionFinding(c),
		SQL:     sql,
	}, nil
}

// roundTo rounds v to six significant digits with round (math.Floor or
// math.Ceil), so a cut-off reads well in SQL and still keeps its side.
func roundTo(v float64, round func(float64) float64) float64 {
	if v == 0 || math.IsNaN(v) || math.IsInf(v, 0) {
		return v
	}
	p := math.Pow(10, 5-math.Floor(math.Log10(math.Abs(v))))
	return round(v*p) / p
}

// distributionFinding says how a number is spread: its skew, median and
// range, and its missing share when notable.
func (t *table) distributionFinding(c *column) string {
	var s string
	switch {
	case c.skew >= 1:
		s = fmt.Sprintf("%s is right-skewed: median %s, but up to %s", c.name, num(c.med), num(c.max))
	case c.skew <= -1:
		s = fmt.Sprintf("%s is left-skewed: median %s, but down to %s", c.name, num(c.med), num(c.min))
	default:
		s = fmt.Sprintf("%s is roughly symmetric around a median of %s (range %s to %s)", c.name, num(c.med), num(c.min), num(c.max))
	}
	if missing := 1 - float64(c.nonNull)/float64(t.rows); missing >= 0.05 {
		s += fmt.Sprintf("; %s of values are missing", pct(missing))
	}
	return s + "."
}

// scatterCandidates correlates every pair of measures in one query and
// keeps the pairs with |r| >= minCorr.
func (t *table) scatterCandidates(ctx context.Context, cat chat.Catalog) ([]*candidate, error) {
	var ms []*column
	for _, c := range t.cols {
		if c.measure() && !c.outcome && len(ms) < maxCorrColumns {
			ms = append(ms, c)
		}
	}
	if len(ms) < 2 {
		return nil, nil
	}
	type pair struct{ x, y *column }
	var pairs []pair
	var exprs []string
	for i := range ms {
		for j := i + 1; j < len(ms); j++ {
			pairs = append(pairs, pair{ms[i], ms[j]})
			exprs = append(exprs, fmt.Sprintf("corr(%s::DOUBLE, %s::DOUBLE)", quoteIdent(ms[i].name), quoteIdent(ms[j].name)))
		}
	}
	res, err := cat.Query(ctx, fmt.Sprintf("SELECT %s FROM %s", strings.Join(exprs, ", "), quoteIdent(t.name)), 1)
	if err != nil {
		return nil, fmt.Errorf("correlations: %w", err)
	}
	if len(res.Rows) != 1 || len(res.Rows[0]) != len(pairs) {
		return nil, fmt.Errorf("correlations: unexpected result shape")
	}
	var out []*candidate
	for i, p := range pairs {
		r, ok := toFloat(res.Rows[0][i])
		if !ok || math.Abs(r) < minCorr {
			continue
		}
		score := 0.2 + 0.6*math.Abs(r)
		if math.Abs(r) > sameCorr {
			score = 0.25 // one is likely the other in other units, or a part of it
		}
		out = append(out, &candidate{
			kind:  candScatter,
			cols:  []string{p.x.name, p.y.name},
			score: score,
			build: func(ctx context.Context) (*chat.Chart, error) { return t.scatterChart(ctx, cat, p.x, p.y, r) },
		})
	}
	return out, nil
}

func (t *table) scatterChart(ctx context.Context, cat chat.Catalog, x, y *column, r float64) (*chat.Chart, error) {
	xq, yq := quoteIdent(x.name), quoteIdent(y.name)
	n := min(x.nonNull, y.nonNull)
	sql := fmt.Sprintf("SELECT %s, %s FROM %s WHERE %s IS NOT NULL AND %s IS NOT NULL%s", xq, yq, quoteIdent(t.name), xq, yq, sampleClause(n))
	title := fmt.Sprintf("%s vs %s", y.name, x.name)
	if n > sampleRows {
		title += fmt.Sprintf(" (%s-row sample)", thousands(sampleRows))
	}
	data, err := query(ctx, cat, sql, sampleRows, true)
	if err != nil {
		return nil, err
	}
	strength := "moderately"
	if math.Abs(r) >= 0.8 {
		strength = "strongly"
	}
	direction := "higher " + x.name + " goes with higher " + y.name
	if r < 0 {
		strength += " negatively"
		direction = "higher " + x.name + " goes with lower " + y.name
	}
	return &chat.Chart{
		Spec:    charts.Spec{Kind: charts.Scatter, Title: title, X: x.name, Y: y.name},
		Data:    data,
		Finding: fmt.Sprintf("%s and %s are %s correlated (r = %.2f): %s.", x.name, y.name, strength, r, direction),
		SQL:     sql,
	}, nil
}

// topCandidates scores the most common values of every categorical column
// with 3 to maxLowCard values by how uneven they are.
func (t *table) topCandidates() []*candidate {
	var out []*candidate
	for _, c := range t.cols {
		if !c.lowCard || c.id || c.kind == kindTime {
			continue
		}
		d := c.distinct()
		if d < 3 || (c.kind == kindNumber && d > maxRateGroups) {
			continue
		}
		// Evenness: the entropy of the shares over its maximum.
		h := 0.0
		for _, v := range c.values {
			if p := float64(v.n) / float64(t.rows); p > 0 {
				h -= p * math.Log(p)
			}
		}
		even := h / math.Log(float64(len(c.values)))
		chart := t.topChart(c)
		if chart == nil {
			continue
		}
		out = append(out, &candidate{
			kind:  candTop,
			cols:  []string{c.name},
			score: 0.2 + 0.15*(1-math.Min(even, 1)),
			chart: chart,
		})
	}
	return out
}

// topChart is a bar chart of the value counts read while profiling.
func (t *table) topChart(c *column) *chat.Chart {
	data := c.valuesData
	share := func(r []any) float64 { return float64(toInt(r[1])) / float64(t.rows) }
	var known [][]any // the rows of values, most common first, without NULL
	missing := 0.0
	for _, r := range data.Rows {
		if r[0] == nil {
			missing = share(r)
		} else {
			known = append(known, r)
		}
	}
	if len(known) == 0 {
		return nil
	}
	lo, hi := 1.0, 0.0
	for _, r := range known {
		lo, hi = min(lo, share(r)), max(hi, share(r))
	}
	var finding string
	switch {
	case hi-lo < evenSpread && pct(lo) == pct(hi):
		finding = fmt.Sprintf("%s is split evenly: %d values with %s of rows each", c.name, len(known), pct(lo))
	case hi-lo < evenSpread:
		finding = fmt.Sprintf("%s is split evenly: %d values with %s to %s of rows each", c.name, len(known), pct(lo), pct(hi))
	case len(known) > 1:
		finding = fmt.Sprintf("%s is the most common %s value (%s), then %s (%s)", label(known[0][0]), c.name, pct(share(known[0])),
			label(known[1][0]), pct(share(known[1])))
	default:
		finding = fmt.Sprintf("%s is the most common %s value (%s)", label(known[0][0]), c.name, pct(share(known[0])))
	}
	if missing >= 0.01 {
		finding += fmt.Sprintf("; %s of rows have no %s", pct(missing), c.name)
	}
	return &chat.Chart{
		Spec:    charts.Spec{Kind: charts.Bar, Title: "Most common " + c.name + " values", X: c.name, Y: c.countName, YLabel: "Rows"},
		Data:    data,
		Finding: finding + ".",
		SQL:     c.valuesSQL,
	}
}
