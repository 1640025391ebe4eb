package datasets

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	duckdb "github.com/duckdb/duckdb-go/v2"
)

// Export formats.
const (
	ExportCSV     = "csv"
	ExportParquet = "parquet"
)

// Export writes the whole result of client SQL, checked as Query checks it
// but without the row and character caps, as CSV (with a header) or Parquet
// into the workspace's staging folder, and returns the file's path; the
// caller removes the file. The query timeout and memory guard apply.
func (c *Catalog) Export(ctx context.Context, query, format string) (string, error) {
	if c.closed.Load() {
		return "", ErrClosed
	}
	c.touch()
	opts := ""
	switch format {
	case ExportCSV:
		opts = "FORMAT csv, HEADER"
	case ExportParquet:
		opts = "FORMAT parquet, COMPRESSION zstd"
	default:
		return "", fmt.Errorf("%w: export format %q: use csv or parquet", ErrUnsupportedFormat, format)
	}
	ctx, cancelCause := context.WithCancelCause(ctx)
	defer cancelCause(nil)
	ctx, cancel := context.WithTimeout(ctx, c.cfg.QueryTimeout)
	defer cancel()
	if err := c.checkSQL(ctx, query); err != nil {
		return "", c.ctxError(ctx, err)
	}
	conn, err := c.db.Conn(ctx)
	if err != nil {
		return "", c.ctxError(ctx, fmt.Errorf("get connection: %w", err))
	}
	defer conn.Close()
	// The statement that runs is a COPY of the checked query; the query
	// itself must still be a SELECT (the third check, as in run).
	if err := conn.Raw(func(dc any) error {
		st, err := c.prepareSelect(ctx, dc, query, true)
		if err == nil {
			st.Close()
		}
		return err
	}); err != nil {
		return "", c.ctxError(ctx, err)
	}
	path := filepath.Join(c.staging, "export-"+randomHex(8)+"."+format)
	// The query stands on lines of its own, so that a trailing comment
	// cannot reach the COPY's options.
	inner := strings.TrimRight(strings.TrimSpace(query), "; \t\r\n")
	stmt := "COPY (\n" + inner + "\n) TO " + sqlString(path) + " (" + opts + ")"
	limit, _ := parseMemory(c.cfg.MemoryLimit)
	stop := guardMemory(ctx, limit, c.cfg.budget.total, cancelCause)
	_, err = conn.ExecContext(ctx, stmt)
	stop()
	if err != nil {
		os.Remove(path)
		return "", c.ctxError(ctx, c.queryError(err))
	}
	return path, nil
}

// prepareSelect prepares query on a driver connection and, with
// clientChecks, refuses it unless the prepared statement is a SELECT.
func (c *Catalog) prepareSelect(ctx context.Context, dc any, query string, clientChecks bool) (*duckdb.Stmt, error) {
	dconn, ok := dc.(*duckdb.Conn)
	if !ok {
		return nil, fmt.Errorf("unexpected driver connection %T", dc)
	}
	st, err := dconn.PrepareContext(ctx, query)
	if err != nil {
		return nil, c.queryError(err)
	}
	ds, ok := st.(*duckdb.Stmt)
	if !ok {
		st.Close()
		return nil, fmt.Errorf("unexpected driver statement %T", st)
	}
	if clientChecks {
		typ, err := ds.StatementType()
		if err != nil {
			ds.Close()
			return nil, fmt.Errorf("statement type: %w", err)
		}
		if typ != duckdb.STATEMENT_TYPE_SELECT {
			ds.Close()
			return nil, refused("only read-only SELECT queries are allowed")
		}
	}
	return ds, nil
}

// Bytes renders a size for people (12.3 MiB).
func Bytes(n int64) string { return humanBytes(n) }
