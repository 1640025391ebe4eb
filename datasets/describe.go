package datasets

import (
	"context"
	"fmt"
	"strings"
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
}

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

// Describe summarises a table's columns (all of them, or those named).
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
				return nil, fmt.Errorf("%w: %s has no column %q%s; columns: %s", ErrUnknownDataset, info.Name, want, hint, strings.Join(names, ", "))
			}
		}
	}
	d := &Description{Table: info.Name, Label: info.Label, Rows: info.Rows}
	if len(cols) == 0 {
		return d, nil
	}
	var exprs []string
	for _, col := range cols {
		q := Ident(col.Name)
		exprs = append(exprs, fmt.Sprintf("count(%s)", q), fmt.Sprintf("approx_count_distinct(%s)", q))
		switch {
		case IsNumeric(col.Type):
			exprs = append(exprs, fmt.Sprintf("min(%s)", q), fmt.Sprintf("max(%s)", q),
				fmt.Sprintf("avg(%s::DOUBLE)", q), fmt.Sprintf("stddev_samp(%s::DOUBLE)", q),
				fmt.Sprintf("quantile_cont(%s::DOUBLE, [0.25, 0.5, 0.75])", q))
		case IsTemporal(col.Type):
			exprs = append(exprs, fmt.Sprintf("min(%s)", q), fmt.Sprintf("max(%s)", q),
				"NULL", "NULL", fmt.Sprintf("quantile_disc(%s, [0.25, 0.5, 0.75])", q))
		default:
			exprs = append(exprs, "NULL", "NULL", "NULL", "NULL", "NULL")
		}
	}
	res, err := c.internal(ctx, "SELECT "+strings.Join(exprs, ", ")+" FROM "+Ident(info.Name), 1)
	if err != nil {
		return nil, fmt.Errorf("describe %s: %w", info.Name, err)
	}
	row := res.Rows[0]
	for i, col := range cols {
		v := row[i*7 : i*7+7]
		cs := ColumnStats{Name: col.Name, Type: col.Type, Label: col.Label}
		cs.NonNull, _ = v[0].(int64)
		cs.Distinct, _ = v[1].(int64)
		if info.Rows > 0 {
			cs.NullPct = roundTo(100*float64(info.Rows-cs.NonNull)/float64(info.Rows), 2)
		}
		cs.Min, cs.Max, cs.Mean, cs.Std = v[2], v[3], v[4], v[5]
		if qs, ok := v[6].([]any); ok && len(qs) == 3 {
			cs.Q25, cs.Q50, cs.Q75 = qs[0], qs[1], qs[2]
		}
		if isCategorical(col.Type) && cs.NonNull > 0 {
			q := Ident(col.Name)
			top, err := c.internal(ctx, fmt.Sprintf("SELECT %s, count(*) AS n FROM %s WHERE %s IS NOT NULL GROUP BY 1 ORDER BY n DESC, 1 LIMIT 5", q, Ident(info.Name), q), 5)
			if err != nil {
				return nil, fmt.Errorf("describe %s.%s: %w", info.Name, col.Name, err)
			}
			for _, r := range top.Rows {
				n, _ := r[1].(int64)
				cs.Top = append(cs.Top, ValueCount{Value: r[0], Count: n})
			}
		}
		d.Columns = append(d.Columns, cs)
	}
	return d, nil
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
