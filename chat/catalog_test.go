package chat

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"datachat/datasets"

	_ "github.com/duckdb/duckdb-go/v2"
)

// duckCatalog is a test stand-in for the datasets catalog: one in-memory
// DuckDB holding tables loaded with DuckDB's own readers.
type duckCatalog struct {
	db     *sql.DB
	tables []datasets.TableInfo
}

// openDuck loads each file into a table named after the file (or its folder
// when the file is called all.*).
func openDuck(ctx context.Context, files ...string) (*duckCatalog, error) {
	db, err := sql.Open("duckdb", "")
	if err != nil {
		return nil, fmt.Errorf("open duckdb: %w", err)
	}
	c := &duckCatalog{db: db}
	for _, f := range files {
		// Name tables as the session catalog does (all.parquet -> "all"),
		// so that no folder name helps the engine.
		name := datasets.TableName(f)
		reader := "read_csv"
		format := "csv"
		if strings.HasSuffix(f, ".parquet") {
			reader, format = "read_parquet", "parquet"
		}
		q := fmt.Sprintf(`CREATE TABLE %q AS SELECT * FROM %s('%s')`, name, reader, strings.ReplaceAll(f, "'", "''"))
		if _, err := db.ExecContext(ctx, q); err != nil {
			db.Close()
			return nil, fmt.Errorf("load %s: %w", f, err)
		}
		if err := c.addInfo(ctx, name, f, format); err != nil {
			db.Close()
			return nil, err
		}
	}
	return c, nil
}

// openDuckSQL creates a table from a SELECT statement (for generated data).
func openDuckSQL(ctx context.Context, name, selectSQL string) (*duckCatalog, error) {
	db, err := sql.Open("duckdb", "")
	if err != nil {
		return nil, fmt.Errorf("open duckdb: %w", err)
	}
	c := &duckCatalog{db: db}
	if _, err := db.ExecContext(ctx, fmt.Sprintf(`CREATE TABLE %q AS %s`, name, selectSQL)); err != nil {
		db.Close()
		return nil, fmt.Errorf("create %s: %w", name, err)
	}
	if err := c.addInfo(ctx, name, "generated", "sql"); err != nil {
		db.Close()
		return nil, err
	}
	return c, nil
}

func (c *duckCatalog) addInfo(ctx context.Context, name, src, format string) error {
	rows, err := c.db.QueryContext(ctx, `SELECT column_name, data_type FROM information_schema.columns WHERE table_name = ? ORDER BY ordinal_position`, name)
	if err != nil {
		return fmt.Errorf("columns of %s: %w", name, err)
	}
	defer rows.Close()
	ti := datasets.TableInfo{Name: name, Source: src, Format: format, LoadedAt: time.Now()}
	for rows.Next() {
		var col datasets.ColumnInfo
		if err := rows.Scan(&col.Name, &col.Type); err != nil {
			return fmt.Errorf("scan column of %s: %w", name, err)
		}
		ti.Columns = append(ti.Columns, col)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("columns of %s: %w", name, err)
	}
	if err := c.db.QueryRowContext(ctx, fmt.Sprintf(`SELECT count(*) FROM %q`, name)).Scan(&ti.Rows); err != nil {
		return fmt.Errorf("count %s: %w", name, err)
	}
	c.tables = append(c.tables, ti)
	return nil
}

func (c *duckCatalog) Close() { c.db.Close() }

func (c *duckCatalog) Tables(ctx context.Context) []datasets.TableInfo { return c.tables }

func (c *duckCatalog) Query(ctx context.Context, q string, maxRows int) (*datasets.Result, error) {
	rows, err := c.db.QueryContext(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("query: %w", err)
	}
	defer rows.Close()
	return datasets.ReadResult(rows, maxRows, 0)
}
