package datasets

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"

	duckdb "github.com/duckdb/duckdb-go/v2"

	"datachat/formats"
)

// loadWithReader loads every table a Go reader finds in the file, streaming
// rows into DuckDB through the Appender.
func (c *Catalog) loadWithReader(ctx context.Context, open formats.OpenFunc, path, base, source string, explicit bool, opts LoadOptions) ([]*TableInfo, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open: %w", err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("stat: %w", err)
	}
	tables, err := open(ctx, f, fi.Size(), formats.Options{Sheet: opts.Sheet, Record: opts.Record, MaxCellBytes: c.cfg.Limits.CellBytes})
	if err != nil {
		return nil, readerError(err)
	}
	if err := c.checkTables(tables); err != nil {
		return nil, err
	}
	var out []*TableInfo
	for i, t := range tables {
		name := base
		if t.Name != "" && !(explicit && len(tables) == 1) {
			name = base + "_" + strings.TrimPrefix(TableName(t.Name), "t_")
		}
		name = c.pickName(name, source, explicit)
		info, err := c.appendTable(ctx, t, name, func(done int64) {
			msg := fmt.Sprintf("table %s: %d rows", name, done)
			p := 50 + 50*float64(i)/float64(len(tables))
			if t.RowCount > 0 {
				p += 50 / float64(len(tables)) * float64(done) / float64(t.RowCount)
			}
			opts.report(min(p, 99), msg)
		})
		if err != nil {
			// Keep nothing half-loaded.
			_, _ = c.db.ExecContext(context.WithoutCancel(ctx), "DROP TABLE IF EXISTS "+Ident(name))
			for _, done := range out {
				_, _ = c.db.ExecContext(context.WithoutCancel(ctx), "DROP TABLE IF EXISTS "+Ident(done.Name))
			}
			return nil, readerError(err)
		}
		out = append(out, info)
	}
	return out, nil
}

// readerError marks a reader's complaint about the file (corrupt,
// unsupported feature, no such sheet, no data) as ErrBadFile, which a client
// can act on; I/O failures and cancellation stay as they are.
func readerError(err error) error {
	var pe *fs.PathError
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) || errors.As(err, &pe) || errors.Is(err, ErrBadFile) {
		return err
	}
	return fmt.Errorf("%w: %v", ErrBadFile, err)
}

// sqlType is the DuckDB column type for a reader's kind. Times are stored
// as INTERVAL: statistics packages' TIME values are durations that may
// exceed 24 hours, which DuckDB's TIME cannot hold.
func sqlType(k formats.Kind) string {
	if k == formats.Time {
		return "INTERVAL"
	}
	return k.String()
}

// uniqueColumns makes column names non-empty and unique ignoring case (as
// DuckDB compares them).
func uniqueColumns(cols []formats.Column) []string {
	seen := map[string]bool{}
	out := make([]string, len(cols))
	for i, col := range cols {
		n := strings.TrimSpace(col.Name)
		if n == "" {
			n = fmt.Sprintf("column_%d", i+1)
		}
		cand := n
		for k := 2; seen[strings.ToLower(cand)]; k++ {
			cand = fmt.Sprintf("%s_%d", n, k)
		}
		seen[strings.ToLower(cand)] = true
		out[i] = cand
	}
	return out
}

const progressEvery = 65536

// appendTable creates the table, appends every row, applies value labels and
// records variable labels as column comments.
func (c *Catalog) appendTable(ctx context.Context, t *formats.Table, name string, progress func(int64)) (*TableInfo, error) {
	names := uniqueColumns(t.Columns)
	defs := make([]string, len(names))
	for i, n := range names {
		defs[i] = Ident(n) + " " + sqlType(t.Columns[i].Kind)
	}
	if len(defs) == 0 {
		return nil, fmt.Errorf("%w: table %q has no columns", ErrBadFile, t.Name)
	}
	if _, err := c.db.ExecContext(ctx, fmt.Sprintf("CREATE OR REPLACE TABLE %s (%s)", Ident(name), strings.Join(defs, ", "))); err != nil {
		return nil, fmt.Errorf("create table %s: %w", name, err)
	}
	conn, err := c.db.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("get connection: %w", err)
	}
	defer conn.Close()
	// labelled[i] tracks whether every value of column i so far has a label.
	labelled := make([]bool, len(t.Columns))
	for i, col := range t.Columns {
		labelled[i] = len(col.ValueLabels) > 0
	}
	err = conn.Raw(func(dc any) error {
		app, err := duckdb.NewAppenderFromConn(dc.(driver.Conn), "", name)
		if err != nil {
			return fmt.Errorf("open appender: %w", err)
		}
		row := make([]any, len(names))
		vals := make([]driver.Value, len(names))
		var n int64
		for {
			if n%4096 == 0 && ctx.Err() != nil {
				app.Close()
				return ctx.Err()
			}
			clear(row)
			err := t.Rows.Next(row)
			if err == io.EOF {
				break
			}
			if err != nil {
				app.Close()
				return fmt.Errorf("row %d: %w", n+1, err)
			}
			for i, v := range row {
				if labelled[i] && v != nil {
					if _, ok := t.Columns[i].ValueLabels[v]; !ok {
						labelled[i] = false
					}
				}
				if d, ok := v.(time.Duration); ok {
					v = duckdb.Interval{Micros: d.Microseconds()}
				}
				vals[i] = v
			}
			if err := app.AppendRow(vals...); err != nil {
				app.Close()
				return fmt.Errorf("append row %d: %w", n+1, err)
			}
			n++
			if n%progressEvery == 0 {
				progress(n)
			}
		}
		if err := app.Close(); err != nil {
			return fmt.Errorf("flush rows: %w", err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for i, col := range t.Columns {
		if len(col.ValueLabels) == 0 {
			continue
		}
		if err := c.applyLabels(ctx, name, names[i], col.ValueLabels, labelled[i], names); err != nil {
			return nil, err
		}
	}
	for i, col := range t.Columns {
		if col.Label != "" {
			q := fmt.Sprintf("COMMENT ON COLUMN %s.%s IS %s", Ident(name), Ident(names[i]), sqlString(col.Label))
			if _, err := c.db.ExecContext(ctx, q); err != nil {
				return nil, fmt.Errorf("label column %s: %w", names[i], err)
			}
		}
	}
	info, err := c.describeTable(ctx, name)
	if err != nil {
		return nil, err
	}
	info.Label = t.Label
	return info, nil
}

// applyLabels shows a coded column as its labels when every value has one;
// otherwise it keeps the codes and adds <column>_label beside them.
func (c *Catalog) applyLabels(ctx context.Context, table, col string, labels map[any]string, all bool, taken []string) error {
	keys := make([]any, 0, len(labels))
	for k := range labels {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return fmt.Sprint(keys[i]) < fmt.Sprint(keys[j]) })
	var b strings.Builder
	b.WriteString("CASE")
	for _, k := range keys {
		lit, ok := sqlLiteral(k)
		if !ok {
			continue
		}
		fmt.Fprintf(&b, " WHEN %s = %s THEN %s", Ident(col), lit, sqlString(labels[k]))
	}
	b.WriteString(" END")
	var stmts []string
	if all {
		stmts = []string{fmt.Sprintf("ALTER TABLE %s ALTER %s TYPE VARCHAR USING (%s)", Ident(table), Ident(col), b.String())}
	} else {
		lc := col + "_label"
		for k := 2; containsFold(taken, lc); k++ {
			lc = fmt.Sprintf("%s_label_%d", col, k)
		}
		stmts = []string{
			fmt.Sprintf("ALTER TABLE %s ADD COLUMN %s VARCHAR", Ident(table), Ident(lc)),
			fmt.Sprintf("UPDATE %s SET %s = %s", Ident(table), Ident(lc), b.String()),
		}
	}
	for _, s := range stmts {
		if _, err := c.db.ExecContext(ctx, s); err != nil {
			return fmt.Errorf("apply value labels to %s: %w", col, err)
		}
	}
	return nil
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}

func sqlLiteral(v any) (string, bool) {
	switch x := v.(type) {
	case int64:
		return strconv.FormatInt(x, 10), true
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64) + "::DOUBLE", true
	case string:
		return sqlString(x), true
	case bool:
		return strconv.FormatBool(x), true
	}
	return "", false
}
