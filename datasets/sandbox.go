package datasets

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"

	duckdb "github.com/duckdb/duckdb-go/v2"
)

// Client SQL passes three checks before it runs, on top of DuckDB's own guards
// (no external access outside the session's folders, locked configuration):
//
//  1. DuckDB parses it and serialises it as JSON, which it does only for
//     SELECT statements; exactly one statement is allowed. This also keeps
//     multi-statement input away from PrepareContext, which executes every
//     statement but the last.
//  2. The syntax tree is walked: table functions must be on an allow list
//     (no read_csv, glob, query, ...), table names that look like file paths
//     (replacement scans) are refused, and so are functions that reveal the
//     server's settings.
//  3. The prepared statement's type must be SELECT.

// allowedTableFunctions are the table functions client SQL may call: none of
// them reads files, reaches the network or reveals host paths.
var allowedTableFunctions = map[string]bool{
	"range": true, "generate_series": true, "unnest": true,
	"duckdb_tables": true, "duckdb_columns": true, "duckdb_views": true,
	"duckdb_types": true, "duckdb_functions": true, "duckdb_keywords": true,
	"duckdb_constraints": true, "pragma_table_info": true, "pragma_show": true,
	"pragma_storage_info": true, "summarize": true, "json_each": true, "json_tree": true,
}

// deniedFunctions are scalar functions client SQL may not call.
var deniedFunctions = map[string]bool{
	"current_setting": true, "getenv": true, "getvariable": true,
}

func refused(format string, args ...any) error {
	return &QueryError{Kind: ErrRefused, Msg: fmt.Sprintf(format, args...)}
}

// CheckSQL reports whether query may run as client SQL, and why not.
func (c *Catalog) CheckSQL(ctx context.Context, conn *sql.Conn, query string) error {
	var js string
	if err := conn.QueryRowContext(ctx, "SELECT json_serialize_sql(?::VARCHAR)::VARCHAR", query).Scan(&js); err != nil {
		return fmt.Errorf("parse query: %w", err)
	}
	var parsed struct {
		Error      bool              `json:"error"`
		ErrorType  string            `json:"error_type"`
		Message    string            `json:"error_message"`
		Statements []json.RawMessage `json:"statements"`
	}
	if err := json.Unmarshal([]byte(js), &parsed); err != nil {
		return fmt.Errorf("decode parsed query: %w", err)
	}
	if parsed.Error {
		if strings.Contains(parsed.Message, "Only SELECT statements") {
			return refused("only read-only SELECT queries are allowed (also WITH, FROM-first, DESCRIBE, SUMMARIZE, SHOW); datachat does not run statements that write, create, copy, attach, load extensions or change settings")
		}
		return &QueryError{Kind: ErrBadSQL, Msg: parsed.Message, Hint: c.hint(parsed.Message)}
	}
	switch len(parsed.Statements) {
	case 0:
		return &QueryError{Kind: ErrBadSQL, Msg: "the query is empty", Hint: "write one SELECT statement"}
	case 1:
	default:
		return refused("only one statement per query is allowed; send each SELECT on its own")
	}
	var tree any
	if err := json.Unmarshal(parsed.Statements[0], &tree); err != nil {
		return fmt.Errorf("decode parsed query: %w", err)
	}
	if err := walkTree(tree); err != nil {
		return err
	}
	return conn.Raw(func(dc any) error {
		dconn, ok := dc.(*duckdb.Conn)
		if !ok {
			return fmt.Errorf("unexpected driver connection %T", dc)
		}
		st, err := dconn.PrepareContext(ctx, query)
		if err != nil {
			return c.queryError(err)
		}
		defer st.Close()
		ds, ok := st.(*duckdb.Stmt)
		if !ok {
			return fmt.Errorf("unexpected driver statement %T", st)
		}
		typ, err := ds.StatementType()
		if err != nil {
			return fmt.Errorf("statement type: %w", err)
		}
		if typ != duckdb.STATEMENT_TYPE_SELECT {
			return refused("only read-only SELECT queries are allowed")
		}
		return nil
	})
}

// walkTree refuses table functions off the allow list, file-path table names
// and denied scalar functions anywhere in a serialised statement.
func walkTree(n any) error {
	switch v := n.(type) {
	case map[string]any:
		switch v["type"] {
		case "TABLE_FUNCTION":
			if fn, ok := v["function"].(map[string]any); ok {
				name, _ := fn["function_name"].(string)
				if !allowedTableFunctions[strings.ToLower(name)] {
					return refused("the table function %s() is not allowed in queries: SQL here reads only loaded datasets; to read a file use load_file", name)
				}
			}
		case "BASE_TABLE":
			name, _ := v["table_name"].(string)
			if strings.ContainsAny(name, "/\\.:*?") {
				return refused("%q looks like a file path: queries read only loaded datasets; load the file with load_file first", name)
			}
		case "FUNCTION":
			name, _ := v["function_name"].(string)
			if deniedFunctions[strings.ToLower(name)] {
				return refused("the function %s() is not allowed in queries", name)
			}
		}
		for _, child := range v {
			if err := walkTree(child); err != nil {
				return err
			}
		}
	case []any:
		for _, child := range v {
			if err := walkTree(child); err != nil {
				return err
			}
		}
	}
	return nil
}
