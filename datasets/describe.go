package datasets

import (
	"context"
	"fmt"
	"math"
	"strings"
	"sync"
	"time"
)

// ValueCount is one frequent value of a column.
type ValueCount struct {
	Value any   `json:"value"`
	Count int64 `json:"count"`
}

// ColumnStats are one column's summary statistics.
type ColumnStats struct {
	Name     string  `json:"name"`
	Type     string  `json:"type"`
	Label    string  `json:"label,omitempty"`
	NonNull  int64   `json:"non_null"`
	NullPct  float64 `json:"null_pct"`
	Distinct int64   `json:"approx_distinct"`
	// Min, Max and the quartiles are set for numbers, dates and times.
	Min any `json:"min,omitempty"`
	Max any `json:"max,omitempty"`
	// Mean and Std are set for numbers.
	Mean any `json:"mean,omitempty"`
	Std  any `json:"std,omitempty"`
	Q25  any `json:"q25,omitempty"`
	Q50  any `json:"median,omitempty"`
	Q75  any `json:"q75,omitempty"`
	// Top holds the five most common values of text and boolean columns.
	Top []ValueCount `json:"top,omitempty"`
}

// Description is describe's result for one table.
type Description struct {
	Table   string        `json:"dataset"`
	Label   string        `json:"label,omitempty"`
	Rows    int64         `json:"rows"`
	Columns []ColumnStats `json:"columns"`
	// SampleRows is set when the table is larger than ExactRows: then
	// distinct counts are HyperLogLog estimates over every row, and the
	// quartiles and top values (their counts scaled to the table) come from
	// a sample of about this many rows. Counts, nulls, min, max, mean and
	// std are always over every row.
	SampleRows int64 `json:"sample_rows,omitempty"`
}

// ExactRows is the largest table Describe summarises exactly; larger ones
// get estimates (see Description.SampleRows).
const ExactRows = 100_000

// sampleTarget is about how many rows the estimates of a large table see.
const sampleTarget = 100_000

// IsNumeric reports whether a DuckDB type name is a number type.
func IsNumeric(t string) bool {
	t = strings.ToUpper(t)
	switch {
	case strings.HasPrefix(t, "DECIMAL"):
		return true
	}
	switch t {
	case "TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT",
		"UINTEGER", "UBIGINT", "UHUGEINT", "FLOAT", "DOUBLE", "REAL":
		return true
	}
	return false
}

// IsTemporal reports whether a DuckDB type name is a date, time or timestamp.
func IsTemporal(t string) bool {
	t = strings.ToUpper(t)
	return t == "DATE" || strings.HasPrefix(t, "TIMESTAMP") || strings.HasPrefix(t, "TIME")
}

func isCategorical(t string) bool {
	t = strings.ToUpper(t)
	return t == "VARCHAR" || t == "BOOLEAN" || strings.HasPrefix(t, "ENUM")
}

// Describe summarises a table's columns (all of them, or those named). The
// statistics are computed on first use and kept until the table changes.
func (c *Catalog) Describe(ctx context.Context, table string, columns []string) (*Description, error) {
	c.touch()
	info, err := c.Table(table)
	if err != nil {
		return nil, err
	}
	cols := info.Columns
	if len(columns) > 0 {
		cols = cols[:0:0]
		for _, want := range columns {
			found := false
			for _, col := range info.Columns {
				if strings.EqualFold(col.Name, want) {
					cols = append(cols, col)
					found = true
					break
				}
			}
			if !found {
				names := make([]string, len(info.Columns))
				for i, col := range info.Columns {
					names[i] = col.Name
				}
				hint := ""
				if best := closest(want, names); best != "" {
					hint = fmt.Sprintf(" (did you mean %q?)", best)
				}
				return nil, fmt.Errorf("%w: %s has no column %q%s; columns: %s", ErrUnknownDataset, info.Name, clip(want, 100), hint, strings.Join(names, ", "))
			}
		}
	}
	d := &Description{Table: info.Name, Label: info.Label, Rows: info.Rows}
	p := c.profiles.get(info)
	p.mu.Lock()
	defer p.mu.Unlock()
	var missing []ColumnInfo
	for _, col := range cols {
		if _, ok := p.cols[col.Name]; !ok {
			missing = append(missing, col)
		}
	}
	if len(missing) > 0 {
		stats, err := c.columnStats(ctx, info, missing, &p.sample)
		if err != nil {
			return nil, err
		}
		for _, cs := range stats {
			p.cols[cs.Name] = cs
		}
	}
	for _, col := range cols {
		d.Columns = append(d.Columns, p.cols[col.Name])
	}
	if p.sample.rows > 0 {
		d.SampleRows = p.sample.rows
	}
	return d, nil
}

// sampling says how a large table is sampled: the USING SAMPLE clause and
// the rows it yields (rows is 0 for a table summarised exactly).
type sampling struct {
	clause string
	rows   int64
}

// from is the sample as a FROM item of table.
func (s sampling) from(table string) string {
	if s.clause == "" {
		return Ident(table)
	}
	return "(SELECT * FROM " + Ident(table) + s.clause + ") AS sample"
}

// profiles keeps each table's statistics until the table is replaced.
type profiles struct {
	mu sync.Mutex
	m  map[string]*profile
}

// profile is one table's statistics, by column. Its mutex is held while
// they are computed, so concurrent describes compute them once.
type profile struct {
	mu       sync.Mutex
	loadedAt time.Time
	rows     int64
	sample   sampling
	cols     map[string]ColumnStats
}

// get returns the profile of the table as info describes it, dropping one
// of an earlier table of that name.
func (ps *profiles) get(info TableInfo) *profile {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	if ps.m == nil {
		ps.m = map[string]*profile{}
	}
	p, ok := ps.m[info.Name]
	if !ok || !p.loadedAt.Equal(info.LoadedAt) || p.rows != info.Rows {
		p = &profile{loadedAt: info.LoadedAt, rows: info.Rows, cols: map[string]ColumnStats{}}
		if info.Rows > ExactRows {
			pct := min(100, 100*float64(sampleTarget)/float64(info.Rows))
			// SYSTEM sampling reads whole vectors of rows, skipping the
			// others: a fraction of the cost of a scan.
			p.sample = sampling{clause: fmt.Sprintf(" USING SAMPLE %.4f%% (system, 42)", pct)}
		}
		ps.m[info.Name] = p
	}
	return p
}

// overflowed reports whether a statistic came out infinite (a mean of
// values near the largest double).
func overflowed(row []any) bool {
	for _, v := range row {
		if s, ok := v.(string); ok && (s == "+Inf" || s == "-Inf") {
			return true
		}
	}
	return false
}

// columnStats computes the statistics of cols: one scan of every row for
// the counts, ranges, means and distinct counts, and for a large table one
// scan of the sample for the quartiles and one per text column for its top
// values.
func (c *Catalog) columnStats(ctx context.Context, info TableInfo, cols []ColumnInfo, sample *sampling) ([]ColumnStats, error) {
	exact := sample.clause == ""
	from := Ident(info.Name)
	full := func(scaled bool) []string {
		var exprs []string
		for _, col := range cols {
			q := Ident(col.Name)
			distinct := fmt.Sprintf("approx_count_distinct(%s)", q)
			if exact {
				distinct = fmt.Sprintf("count(DISTINCT %s)", q)
			}
			exprs = append(exprs, fmt.Sprintf("count(%s)", q), distinct)
			switch {
			case IsNumeric(col.Type):
				avg, std := fmt.Sprintf("avg(%s::DOUBLE)", q), fmt.Sprintf("stddev_samp(%s::DOUBLE)", q)
				if scaled {
					// Sums and squares of values near the largest double overflow.
					avg = fmt.Sprintf("avg(%s::DOUBLE * 2e-200) * 5e199", q)
					std = fmt.Sprintf("stddev_samp(%s::DOUBLE * 2e-200) * 5e199", q)
				}
				exprs = append(exprs, fmt.Sprintf("min(%s)", q), fmt.Sprintf("max(%s)", q), avg, std)
			case IsTemporal(col.Type):
				exprs = append(exprs, fmt.Sprintf("min(%s)", q), fmt.Sprintf("max(%s)", q), "NULL", "NULL")
			default:
				exprs = append(exprs, "NULL", "NULL", "NULL", "NULL")
			}
			if exact {
				exprs = append(exprs, quartiles(col))
			}
		}
		return exprs
	}
	per := 6
	if exact {
		per = 7
	}
	res, err := c.internal(ctx, "SELECT "+strings.Join(full(false), ", ")+" FROM "+from, 1)
	if err != nil && strings.Contains(err.Error(), "out of range") || err == nil && overflowed(res.Rows[0]) {
		res, err = c.internal(ctx, "SELECT "+strings.Join(full(true), ", ")+" FROM "+from, 1)
	}
	if err != nil {
		return nil, fmt.Errorf("describe %s: %w", info.Name, err)
	}
	row := res.Rows[0]
	out := make([]ColumnStats, len(cols))
	for i, col := range cols {
		v := row[i*per : i*per+per]
		cs := ColumnStats{Name: col.Name, Type: col.Type, Label: col.Label}
		cs.NonNull, _ = v[0].(int64)
		cs.Distinct, _ = v[1].(int64)
		// HyperLogLog can overshoot: never more values than rows.
		cs.Distinct = min(cs.Distinct, cs.NonNull)
		if info.Rows > 0 {
			cs.NullPct = roundTo(100*float64(info.Rows-cs.NonNull)/float64(info.Rows), 2)
		}
		cs.Min, cs.Max, cs.Mean, cs.Std = v[2], v[3], v[4], v[5]
		if exact {
			setQuartiles(&cs, v[6])
		}
		out[i] = cs
	}
	if !exact {
		var exprs []string
		for _, col := range cols {
			exprs = append(exprs, quartiles(col))
		}
		res, err := c.internal(ctx, "SELECT count(*), "+strings.Join(exprs, ", ")+" FROM "+sample.from(info.Name), 1)
		if err != nil {
			return nil, fmt.Errorf("describe %s: %w", info.Name, err)
		}
		sample.rows, _ = res.Rows[0][0].(int64)
		for i := range cols {
			setQuartiles(&out[i], res.Rows[0][i+1])
		}
	}
	for i, col := range cols {
		if !isCategorical(col.Type) || out[i].NonNull == 0 {
			continue
		}
		q := Ident(col.Name)
		// In a sample, counts are scaled by the column's values in the
		// table over those in the sample.
		top, err := c.internal(ctx, fmt.Sprintf("SELECT %s, count(*) AS n, sum(count(*)) OVER ()::BIGINT FROM %s WHERE %s IS NOT NULL GROUP BY 1 ORDER BY n DESC, 1 LIMIT 5",
			q, sample.from(info.Name), q), 5)
		if err != nil {
			return nil, fmt.Errorf("describe %s.%s: %w", info.Name, col.Name, err)
		}
		for _, r := range top.Rows {
			n, _ := r[1].(int64)
			if seen, _ := r[2].(int64); !exact && seen > 0 {
				n = int64(math.Round(float64(n) * float64(out[i].NonNull) / float64(seen)))
			}
			out[i].Top = append(out[i].Top, ValueCount{Value: r[0], Count: n})
		}
	}
	return out, nil
}

// quartiles is the SQL of a column's quartiles, or NULL for a column that
// has none.
func quartiles(col ColumnInfo) string {
	q := Ident(col.Name)
	switch {
	case IsNumeric(col.Type):
		return fmt.Sprintf("quantile_cont(%s::DOUBLE, [0.25, 0.5, 0.75])", q)
	case IsTemporal(col.Type):
		return fmt.Sprintf("quantile_disc(%s, [0.25, 0.5, 0.75])", q)
	}
	return "NULL"
}

func setQuartiles(cs *ColumnStats, v any) {
	if qs, ok := v.([]any); ok && len(qs) == 3 {
		cs.Q25, cs.Q50, cs.Q75 = qs[0], qs[1], qs[2]
	}
}

// Preview returns the first n rows of a table.
func (c *Catalog) Preview(ctx context.Context, table string, n int) (*Result, error) {
	c.touch()
	info, err := c.Table(table)
	if err != nil {
		return nil, err
	}
	return c.internal(ctx, fmt.Sprintf("SELECT * FROM %s LIMIT %d", Ident(info.Name), n), n)
}

func roundTo(f float64, digits int) float64 {
	p := 1.0
	for range digits {
		p *= 10
	}
	return float64(int64(f*p+0.5)) / p
}
