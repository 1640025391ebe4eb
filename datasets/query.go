package datasets

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"math"
	"math/big"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	duckdb "github.com/duckdb/duckdb-go/v2"
)

// Query runs one read-only statement of client SQL in the sandbox and returns
// at most maxRows rows (0 = the configured cap; larger values are capped too)
// and at most the configured number of characters.
func (c *Catalog) Query(ctx context.Context, query string, maxRows int) (*Result, error) {
	if maxRows <= 0 || maxRows > c.cfg.MaxRows {
		maxRows = c.cfg.MaxRows
	}
	return c.clientQuery(ctx, query, maxRows, c.cfg.MaxChars)
}

// MaxDataRows caps QueryData.
const MaxDataRows = 200_000

// QueryData runs client SQL in the sandbox like Query, for rows a program
// consumes rather than a person reads (charts): up to maxRows rows (capped at
// MaxDataRows) and no character cap.
func (c *Catalog) QueryData(ctx context.Context, query string, maxRows int) (*Result, error) {
	return c.clientQuery(ctx, query, min(max(maxRows, 1), MaxDataRows), 0)
}

// clientQuery checks and runs client SQL within the query timeout and the
// memory guard.
func (c *Catalog) clientQuery(ctx context.Context, query string, maxRows, maxChars int) (*Result, error) {
	if c.closed.Load() {
		return nil, ErrClosed
	}
	c.touch()
	ctx, cancelCause := context.WithCancelCause(ctx)
	defer cancelCause(nil)
	ctx, cancel := context.WithTimeout(ctx, c.cfg.QueryTimeout)
	defer cancel()
	if err := c.checkSQL(ctx, query); err != nil {
		return nil, c.ctxError(ctx, err)
	}
	done, err := c.cfg.budget.start()
	if err != nil {
		return nil, err
	}
	defer done()
	conn, err := c.db.Conn(ctx)
	if err != nil {
		return nil, c.ctxError(ctx, fmt.Errorf("get connection: %w", err))
	}
	defer conn.Close()
	limit, _ := parseMemory(c.cfg.MemoryLimit)
	stop := guardMemory(ctx, limit, c.cfg.budget.total, cancelCause)
	res, err := c.run(ctx, conn, query, true, maxRows, maxChars)
	stop()
	if err != nil {
		return nil, c.ctxError(ctx, err)
	}
	return res, nil
}

// ctxError turns a failure caused by the query deadline, the memory guard or
// a cancel into a clear error.
func (c *Catalog) ctxError(ctx context.Context, err error) error {
	switch {
	case errors.Is(context.Cause(ctx), errBudget):
		return &QueryError{Kind: ErrLimit, Msg: fmt.Sprintf("the query was stopped: the server went over the %s it may use in all (the --memory-budget limit)", humanBytes(c.cfg.budget.total)),
			Hint: "try again in a moment, or aggregate and filter so that the query needs less memory"}
	case errors.Is(context.Cause(ctx), errMemory):
		return &QueryError{Kind: ErrLimit, Msg: fmt.Sprintf("the query was stopped: the server's memory grew by more than the %s a session may use (the --memory-limit limit)", c.cfg.MemoryLimit),
			Hint: "aggregate or filter before building long strings or lists (string_agg, list), and avoid joins that multiply rows"}
	case errors.Is(ctx.Err(), context.DeadlineExceeded):
		return &QueryError{Kind: ErrTimeout, Msg: fmt.Sprintf("the query ran longer than %s and was cancelled (the --query-timeout limit)", c.cfg.QueryTimeout),
			Hint: "add filters or LIMIT, or aggregate before joining"}
	case errors.Is(ctx.Err(), context.Canceled):
		return fmt.Errorf("query cancelled: %w", ctx.Err())
	}
	return err
}

// internal runs server-written SQL (statistics, previews) without the client
// checks but with the same timeout.
func (c *Catalog) internal(ctx context.Context, query string, maxRows int) (*Result, error) {
	if c.closed.Load() {
		return nil, ErrClosed
	}
	ctx, cancel := context.WithTimeout(ctx, c.cfg.QueryTimeout)
	defer cancel()
	conn, err := c.db.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("get connection: %w", err)
	}
	defer conn.Close()
	res, err := c.run(ctx, conn, query, false, maxRows, 0)
	return res, c.ctxError(ctx, err)
}

// run prepares query once on conn, checks with clientChecks that the
// prepared statement is a SELECT, executes that same statement and reads
// its rows straight from the driver.
func (c *Catalog) run(ctx context.Context, conn *sql.Conn, query string, clientChecks bool, maxRows, maxChars int) (*Result, error) {
	var res *Result
	err := conn.Raw(func(dc any) error {
		ds, err := c.prepareSelect(ctx, dc, query, clientChecks)
		if err != nil {
			return err
		}
		defer ds.Close()
		rows, err := ds.QueryContext(ctx, nil)
		if err != nil {
			return c.queryError(err)
		}
		defer rows.Close()
		res, err = collect(driverRows{rows}, maxRows, maxChars)
		if err != nil {
			var se *scanError
			if errors.As(err, &se) {
				return err
			}
			return c.queryError(err)
		}
		return nil
	})
	return res, err
}

// scanError marks a failure to read a row (as opposed to the query failing
// while rows were produced).
type scanError struct{ err error }

func (e *scanError) Error() string { return e.err.Error() }
func (e *scanError) Unwrap() error { return e.err }

// ReadResult reads rows into a Result of at most maxRows rows and, when
// maxChars > 0, about maxChars characters, normalising values (Normalize)
// and marking the result truncated when more existed.
func ReadResult(rows *sql.Rows, maxRows, maxChars int) (*Result, error) {
	return collect(sqlRows{rows}, maxRows, maxChars)
}

// resultRows is what collect reads: the driver's rows of a query run here,
// or database/sql's.
type resultRows interface {
	columns() ([]string, []string, error)
	// next stores the next row's values in vals, or returns io.EOF.
	next(vals []any) error
}

type driverRows struct{ r driver.Rows }

func (d driverRows) columns() ([]string, []string, error) {
	names := d.r.Columns()
	types := make([]string, len(names))
	if tn, ok := d.r.(driver.RowsColumnTypeDatabaseTypeName); ok {
		for i := range types {
			types[i] = tn.ColumnTypeDatabaseTypeName(i)
		}
	}
	return names, types, nil
}

func (d driverRows) next(vals []any) error {
	dst := make([]driver.Value, len(vals))
	if err := d.r.Next(dst); err != nil {
		return err
	}
	for i, v := range dst {
		vals[i] = v
	}
	return nil
}

type sqlRows struct{ r *sql.Rows }

func (s sqlRows) columns() ([]string, []string, error) {
	names, err := s.r.Columns()
	if err != nil {
		return nil, nil, &scanError{fmt.Errorf("read columns: %w", err)}
	}
	cts, err := s.r.ColumnTypes()
	if err != nil {
		return nil, nil, &scanError{fmt.Errorf("read column types: %w", err)}
	}
	types := make([]string, len(cts))
	for i, t := range cts {
		types[i] = t.DatabaseTypeName()
	}
	return names, types, nil
}

func (s sqlRows) next(vals []any) error {
	if !s.r.Next() {
		if err := s.r.Err(); err != nil {
			return err
		}
		return io.EOF
	}
	ptrs := make([]any, len(vals))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	if err := s.r.Scan(ptrs...); err != nil {
		return &scanError{fmt.Errorf("read row: %w", err)}
	}
	return nil
}

// collect reads rows into a Result (see ReadResult).
func collect(rows resultRows, maxRows, maxChars int) (*Result, error) {
	cols, types, err := rows.columns()
	if err != nil {
		return nil, err
	}
	res := &Result{Columns: cols, Types: types, Rows: [][]any{}}
	chars := 0
	for {
		vals := make([]any, len(cols))
		err := rows.next(vals)
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		if len(res.Rows) >= maxRows {
			res.Truncated = true
			break
		}
		if maxChars > 0 && chars >= maxChars {
			res.Truncated = true
			break
		}
		rowChars := 0
		for i, v := range vals {
			vals[i] = Normalize(v)
			if maxChars > 0 {
				rowChars += cellChars(vals[i])
			}
		}
		if maxChars > 0 && chars+rowChars > maxChars {
			if len(res.Rows) > 0 {
				res.Truncated = true
				break
			}
			// The first row alone passes the cap: cut its long values.
			rowChars = cutCells(vals, maxChars, &res.CutCells)
			res.Truncated = true
		}
		chars += rowChars
		res.Rows = append(res.Rows, vals)
	}
	res.RowCount = len(res.Rows)
	return res, nil
}

// cutCells shortens the values of a row so that together they hold at
// most budget characters, counting the cells it cut, and returns the row's
// characters. Values other than strings are cut as their text.
func cutCells(vals []any, budget int, cut *int) int {
	// Each cell gets an equal share; short cells leave theirs to the rest.
	share := budget / max(len(vals), 1)
	total := 0
	for i, v := range vals {
		n := cellChars(v)
		if n <= share {
			total += n
			continue
		}
		s, ok := v.(string)
		if !ok {
			s = fmt.Sprint(v)
		}
		vals[i] = cutString(s, share) + "…"
		*cut++
		total += share + 1
	}
	return total
}

// cutString returns at most n bytes of s, cut at a character boundary.
func cutString(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

func cellChars(v any) int {
	switch x := v.(type) {
	case nil:
		return 4
	case string:
		return len(x)
	default:
		return len(fmt.Sprint(x))
	}
}

// Normalize turns a value scanned from DuckDB into a JSON-friendly Go value:
// nil, bool, int64, float64, string, time.Time, or slices/maps of those.
func Normalize(v any) any {
	switch x := v.(type) {
	case nil, bool, int64, string, time.Time:
		return x
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return fmt.Sprint(x)
		}
		return x
	case float32:
		return Normalize(float64(x))
	case int:
		return int64(x)
	case int8:
		return int64(x)
	case int16:
		return int64(x)
	case int32:
		return int64(x)
	case uint8:
		return int64(x)
	case uint16:
		return int64(x)
	case uint32:
		return int64(x)
	case uint64:
		if x <= math.MaxInt64 {
			return int64(x)
		}
		return fmt.Sprint(x)
	case *big.Int:
		if x.IsInt64() {
			return x.Int64()
		}
		return x.String()
	case duckdb.Decimal:
		f, _ := new(big.Float).SetInt(x.Value).Float64()
		return f / math.Pow10(int(x.Scale))
	case duckdb.Interval:
		return formatInterval(x)
	case duckdb.UUID:
		return x.String()
	case []byte:
		return fmt.Sprintf("\\x%x", x)
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = Normalize(e)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = Normalize(e)
		}
		return out
	case duckdb.Map:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[fmt.Sprint(Normalize(k))] = Normalize(e)
		}
		return out
	case duckdb.Union:
		return Normalize(x.Value)
	default:
		return fmt.Sprint(x)
	}
}

var quotedName = regexp.MustCompile(`"([^"]+)"`)

// queryError wraps a DuckDB error as a QueryError with a hint.
func (c *Catalog) queryError(err error) error {
	var de *duckdb.Error
	if !errors.As(err, &de) {
		return fmt.Errorf("run query: %w", err)
	}
	msg := de.Msg
	kind := ErrBadSQL
	switch de.Type {
	case duckdb.ErrorTypePermission:
		kind = ErrRefused
		msg = "reading files or reaching the network from SQL is not allowed; load files with load_file and query their tables"
	case duckdb.ErrorTypeInterrupt:
		return &QueryError{Kind: ErrTimeout, Msg: "the query was interrupted"}
	case duckdb.ErrorTypeOutOfMemory:
		// DuckDB's own advice (SET threads, SET memory_limit) is not for
		// clients: the configuration is locked.
		return &QueryError{Kind: ErrLimit, Msg: fmt.Sprintf("the query needs more memory than the %s a session may use (the --memory-limit limit)", c.cfg.MemoryLimit),
			Hint: "aggregate or filter before building long strings or lists (string_agg, list), and avoid joins that multiply rows"}
	}
	msg = clipWords(msg)
	return &QueryError{Kind: kind, Msg: dropSystemSuggestion(msg), Hint: c.hint(msg)}
}

var longWord = regexp.MustCompile(`[^\s"']{101,}`)

// clipWords shortens every run of more than 100 characters without space or
// quote in DuckDB's message (names and literals it echoes from the query).
func clipWords(msg string) string {
	return longWord.ReplaceAllStringFunc(msg, func(w string) string { return clip(w, 97) })
}

var systemSuggestion = regexp.MustCompile(`\nDid you mean "(pg_|duckdb_|information_schema|sqlite_)[^"]*"\?`)

// dropSystemSuggestion removes DuckDB's "Did you mean" when it points at a
// system catalog table rather than a loaded one; the hint lists the tables.
func dropSystemSuggestion(msg string) string {
	return systemSuggestion.ReplaceAllString(msg, "")
}

// hint suggests the closest table or column name for a name DuckDB could not
// find, and otherwise lists the tables.
func (c *Catalog) hint(msg string) string {
	tables := c.Tables(context.Background())
	if len(tables) == 0 {
		return "no dataset is loaded yet; load one with load_file"
	}
	var names, all []string
	for _, t := range tables {
		names = append(names, t.Name)
		all = append(all, t.Name)
		for _, col := range t.Columns {
			all = append(all, col.Name)
		}
	}
	list := "tables: " + strings.Join(names, ", ")
	for _, m := range quotedName.FindAllStringSubmatch(msg, -1) {
		if best := closest(m[1], all); best != "" && !strings.EqualFold(best, m[1]) {
			return fmt.Sprintf("did you mean %s? (%s; column names with spaces or capitals need double quotes)", Ident(best), list)
		}
	}
	if strings.Contains(msg, "not found") || strings.Contains(msg, "does not exist") {
		return list + "; use describe to see a table's columns"
	}
	return list
}

// formatInterval renders an interval as DuckDB does: "[N months ][N days ]HH:MM:SS[.ffffff]".
func formatInterval(x duckdb.Interval) string {
	var b strings.Builder
	if x.Months != 0 {
		fmt.Fprintf(&b, "%d months ", x.Months)
	}
	if x.Days != 0 {
		fmt.Fprintf(&b, "%d days ", x.Days)
	}
	m := x.Micros
	if m < 0 {
		b.WriteByte('-')
		m = -m
	}
	h, rest := m/3_600_000_000, m%3_600_000_000
	fmt.Fprintf(&b, "%02d:%02d:%02d", h, rest/60_000_000, rest%60_000_000/1_000_000)
	if frac := rest % 1_000_000; frac != 0 {
		fmt.Fprintf(&b, ".%06d", frac)
	}
	return b.String()
}
