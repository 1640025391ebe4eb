package datasets

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"slices"
	"sort"
	"strconv"
	"strings"

	"datachat/formats"
)

// loadWithReader loads every table a Go reader finds in the file, streaming
// its batches of rows into DuckDB.
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
		name := c.nameFor(base, t.Name, i, len(tables), explicit, source, out)
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
			_ = c.dropRelation(context.WithoutCancel(ctx), name)
			for _, done := range out {
				_ = c.dropRelation(context.WithoutCancel(ctx), done.Name)
			}
			return nil, readerError(err)
		}
		info.part = t.Name
		info.Warnings = append(info.Warnings, t.Warnings...)
		out = append(out, info)
	}
	return out, nil
}

// nameFor names table part (index i of n) of a file: base, or base_part
// when the file holds several (or one that is named, unless the client
// chose the name), unique among the catalog's tables and the file's done.
func (c *Catalog) nameFor(base, part string, i, n int, explicit bool, source string, done []*TableInfo) string {
	name := base
	if part != "" && !(explicit && n == 1) {
		name = base + "_" + partName(part, i)
	}
	name = c.pickName(name, source, explicit)
	// Two sheets whose names spell the same must not replace each other.
	for k := 2; containsName(done, name); k++ {
		name = c.pickName(fmt.Sprintf("%s_%d", base+"_"+partName(part, i), k), source, explicit)
	}
	return name
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

// appendTable creates the table from the reader's batches, applies value
// labels and records variable labels as column comments. The reader decodes
// on its own goroutine while DuckDB copies the batches it already decoded
// into data chunks (see ingest).
func (c *Catalog) appendTable(ctx context.Context, t *formats.Table, name string, progress func(int64)) (*TableInfo, error) {
	names := uniqueColumns(t.Columns)
	if len(names) == 0 {
		return nil, fmt.Errorf("%w: table %q has no columns", ErrBadFile, t.Name)
	}
	exprs := make([]string, len(names))
	for i, n := range names {
		exprs[i] = ingestExpr(t.Columns[i].Kind, fmt.Sprintf("c%d", i)) + " AS " + Ident(n)
	}
	// Coded columns get <column>_label beside them, at the end. Whether a
	// column shows its labels instead is known only once every value was
	// seen (see below).
	type labelled struct {
		col   int
		name  string
		cases string
	}
	var lcs []labelled
	taken := slices.Clone(names)
	for i, col := range t.Columns {
		if len(col.ValueLabels) == 0 {
			continue
		}
		lc := names[i] + "_label"
		for k := 2; containsFold(taken, lc); k++ {
			lc = fmt.Sprintf("%s_label_%d", names[i], k)
		}
		taken = append(taken, lc)
		lcs = append(lcs, labelled{col: i, name: lc, cases: labelCase(fmt.Sprintf("c%d", i), col.ValueLabels)})
		exprs = append(exprs, lcs[len(lcs)-1].cases+" AS "+Ident(lc))
	}
	in := newIngest(t, progress)
	id := c.ingests.add(in)
	defer c.ingests.remove(id)
	in.start(ctx)
	if err := c.dropView(ctx, name); err != nil {
		return nil, err
	}
	q := fmt.Sprintf("CREATE OR REPLACE TABLE %s AS SELECT %s FROM %s(%d)", Ident(name), strings.Join(exprs, ", "), ingestFunction, id)
	_, err := c.db.ExecContext(ctx, q)
	rerr := in.stop()
	switch {
	case rerr != nil:
		// The reader's own error says what is wrong with the file; DuckDB
		// only saw that the scan failed.
		return nil, rerr
	case err != nil && ctx.Err() != nil:
		return nil, ctx.Err()
	case err != nil:
		return nil, fmt.Errorf("create table %s: %w", name, err)
	}
	// A coded column whose values all have labels shows them in place of
	// the codes.
	for _, l := range lcs {
		if !in.labelled[l.col] {
			continue
		}
		col := names[l.col]
		for _, s := range []string{
			fmt.Sprintf("ALTER TABLE %s ALTER %s TYPE VARCHAR USING (%s)", Ident(name), Ident(col), labelCase(Ident(col), t.Columns[l.col].ValueLabels)),
			fmt.Sprintf("ALTER TABLE %s DROP COLUMN %s", Ident(name), Ident(l.name)),
		} {
			if _, err := c.db.ExecContext(ctx, s); err != nil {
				return nil, fmt.Errorf("apply value labels to %s: %w", col, err)
			}
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

// ingestExpr converts column col of the ingest function, which carries
// dates, timestamps and times as integers (see formats.Vector), to its SQL
// type. Times become INTERVAL: statistics packages' TIME values are
// durations that may exceed 24 hours, which DuckDB's TIME cannot hold.
func ingestExpr(k formats.Kind, col string) string {
	switch k {
	case formats.Date:
		return "make_date(CAST(" + col + " AS INTEGER))"
	case formats.Timestamp:
		return "make_timestamp(" + col + ")"
	case formats.Time:
		return "to_microseconds(" + col + ")"
	}
	return col
}

// labelCase is a CASE expression giving the label of expr's value.
func labelCase(expr string, labels map[any]string) string {
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
		fmt.Fprintf(&b, " WHEN %s = %s THEN %s", expr, lit, sqlString(labels[k]))
	}
	if b.Len() == len("CASE") {
		return "CAST(NULL AS VARCHAR)"
	}
	b.WriteString(" END")
	return b.String()
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
