package datasets

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"sync"
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
//     (replacement scans) are refused, and so are views and functions that
//     reveal the server's settings, recursive queries, and calls that build
//     values of a size given in the query beyond the --max-chars limit.
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

// deniedFunctions are scalar functions client SQL may not call, with why.
var deniedFunctions = map[string]string{}

func deny(why string, names ...string) {
	for _, n := range names {
		deniedFunctions[n] = why
	}
}

func init() {
	deny("it reveals the server's settings", "current_setting", "getvariable", "getenv", "extension_versions",
		"database_list", "database_size", "storage_info", "metadata_info", "all_profiling_output", "json_serialize_plan",
		"user_agent", "platform")
	deny("it runs SQL that was not checked", "json_execute_serialized_sql", "query", "query_table")
	deny("it changes the server's state", "add_parquet_key", "write_log", "setseed", "copy_database", "import_database",
		"force_checkpoint", "checkpoint")
	deny("it only waits", "sleep_ms", "pg_sleep")
	deny("it can build a value of unbounded size", "bitstring_agg")
}

// deniedPrefixes are name prefixes of pragma-like functions client SQL may not call.
var deniedPrefixes = []string{"enable_", "disable_", "verify_"}

// deniedTables are system views client SQL may not read, with why.
var deniedTables = map[string]string{
	"pg_settings": "it reveals the server's settings (folders, limits); the loaded tables are listed by SHOW TABLES",
	"duckdb_logs": "it reveals the server's log",
}

func refused(format string, args ...any) error {
	return &QueryError{Kind: ErrRefused, Msg: fmt.Sprintf(format, args...)}
}

// checkSQL reports whether query may run as client SQL, and why not: the
// first two checks above. The third is made on the statement that runs
// (Catalog.run), so a query is prepared once. The verdict depends on the
// text and the --max-chars limit only, so passing queries are remembered.
func (c *Catalog) checkSQL(ctx context.Context, query string) error {
	key := strconv.Itoa(c.cfg.MaxChars) + "\x00" + query
	if passed.has(key) {
		return nil
	}
	if err := c.parseAndWalk(ctx, query); err != nil {
		return err
	}
	passed.add(key)
	return nil
}

// passed holds the queries that passed the syntactic checks lately.
var passed = &checkCache{max: 1024, maxKey: 8 << 10, m: map[string]bool{}}

// checkCache is a set of strings that forgets the oldest beyond max; keys
// longer than maxKey are not kept. It is safe for concurrent use.
type checkCache struct {
	max, maxKey int
	mu          sync.Mutex
	m           map[string]bool
	order       []string
}

func (k *checkCache) has(key string) bool {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.m[key]
}

func (k *checkCache) add(key string) {
	if len(key) > k.maxKey {
		return
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.m[key] {
		return
	}
	if len(k.order) >= k.max {
		delete(k.m, k.order[0])
		k.order = append(k.order[:0], k.order[1:]...)
	}
	k.m[key] = true
	k.order = append(k.order, key)
}

// parseAndWalk makes the first two checks.
func (c *Catalog) parseAndWalk(ctx context.Context, query string) error {
	var js string
	if err := c.serialize.QueryRowContext(ctx, query).Scan(&js); err != nil {
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
	return (&checker{maxValue: c.cfg.MaxChars}).walk(tree)
}

// checker walks a serialised statement: table functions must be on the
// allow list, table names must not look like file paths or name a denied
// view, denied functions are refused anywhere, and functions that build
// values of a size they are given (repeat, lpad, range, ...) must be given
// constant sizes that keep the value within maxValue characters or elements.
type checker struct {
	maxValue int
}

// maxCopies is the most copies repeat() may make of a value that is not a
// literal.
const maxCopies = 16

func (k *checker) walk(n any) error {
	switch v := n.(type) {
	case map[string]any:
		switch v["type"] {
		case "TABLE_FUNCTION":
			if fn, ok := v["function"].(map[string]any); ok {
				name, _ := fn["function_name"].(string)
				if !allowedTableFunctions[strings.ToLower(name)] {
					return refused("the table function %s() is not allowed in queries: SQL here reads only loaded datasets; to read a file use load_file", name)
				}
				// The function's arguments are expressions like any other;
				// the function itself is not a scalar call.
				if err := k.walk(fn["children"]); err != nil {
					return err
				}
			}
			for key, child := range v {
				if key == "function" {
					continue
				}
				if err := k.walk(child); err != nil {
					return err
				}
			}
			return nil
		case "BASE_TABLE":
			name, _ := v["table_name"].(string)
			if strings.ContainsAny(name, "/\\.:*?") {
				return refused("%q looks like a file path: queries read only loaded datasets; load the file with load_file first", name)
			}
			if why, ok := deniedTables[strings.ToLower(name)]; ok {
				return refused("%s is not allowed in queries: %s", name, why)
			}
		case "VALUE_PARAMETER":
			return &QueryError{Kind: ErrBadSQL, Msg: "query parameters ($1, ?) are not supported: write the values into the SQL"}
		case "RECURSIVE_CTE_NODE":
			return refused("recursive WITH queries are not allowed: they can grow without bound; use joins, window functions or generate_series")
		case "FUNCTION":
			name, _ := v["function_name"].(string)
			if err := k.function(strings.ToLower(name), v); err != nil {
				return err
			}
		}
		for _, child := range v {
			if err := k.walk(child); err != nil {
				return err
			}
		}
	case []any:
		for _, child := range v {
			if err := k.walk(child); err != nil {
				return err
			}
		}
	}
	return nil
}

// function checks one scalar or aggregate call.
func (k *checker) function(name string, node map[string]any) error {
	if why, ok := deniedFunctions[name]; ok {
		return refused("the function %s() is not allowed in queries: %s", name, why)
	}
	for _, p := range deniedPrefixes {
		if strings.HasPrefix(name, p) {
			return refused("the function %s() is not allowed in queries: it changes the server's state", name)
		}
	}
	args, _ := node["children"].([]any)
	arg := func(i int) (float64, bool, bool) { // value, constant, present
		if i >= len(args) {
			return 0, false, false
		}
		v, ok := constNumber(args[i])
		return v, ok, true
	}
	// sized checks that argument i, when given, is a constant of at most
	// the limit (times per, the size of each unit).
	sized := func(i int, what string, per float64) error {
		v, ok, present := arg(i)
		if !present {
			return nil
		}
		if !ok {
			return refused("%s() needs a constant %s here (a number written in the query, at most %d), so that the value it builds stays bounded", name, what, k.maxValue)
		}
		if v*per > float64(k.maxValue) {
			return refused("%s() would build a value of %.0f characters or elements, more than the %d a query may build (the --max-chars limit)", name, v*per, k.maxValue)
		}
		return nil
	}
	switch name {
	case "repeat":
		if s, ok := constString(args, 0); ok {
			return sized(1, "count", float64(max(len(s), 1)))
		}
		// A value that is not written in the query (a column, say): at most
		// maxCopies copies of it.
		if v, ok, _ := arg(1); !ok || v > maxCopies {
			return refused("repeat() of a value not written in the query may repeat it at most %d times, with the count written in the query", maxCopies)
		}
	case "lpad", "rpad", "list_resize", "array_resize", "bitstring":
		return sized(1, "length", 1)
	case "bar":
		return sized(3, "width", 1)
	case "to_base":
		return sized(2, "minimum length", 1)
	case "equi_width_bins":
		return sized(2, "bin count", 1)
	case "range", "generate_series":
		// The scalar forms return a list of every value.
		var vals []float64
		for i := range args {
			v, ok, _ := arg(i)
			if !ok {
				return refused("%s() as a value needs constant numbers (or use it as a table: FROM %s(...)), so that the list it builds stays bounded", name, name)
			}
			vals = append(vals, v)
		}
		start, stop, step := 0.0, 0.0, 1.0
		switch len(vals) {
		case 1:
			stop = vals[0]
		case 2:
			start, stop = vals[0], vals[1]
		case 3:
			start, stop, step = vals[0], vals[1], vals[2]
		}
		if step == 0 {
			return nil
		}
		if n := (stop - start) / step; n > float64(k.maxValue) {
			return refused("%s() would build a list of %.0f values, more than the %d a query may build (the --max-chars limit); use it as a table: FROM %s(...)", name, n, k.maxValue, name)
		}
	case "printf", "format":
		f, ok := constString(args, 0)
		if !ok {
			return refused("%s() needs its format written in the query, so that the widths it pads to stay bounded", name)
		}
		if strings.Contains(f, "*") {
			return refused("%s() widths must be written in the format, not taken from arguments (*)", name)
		}
		for _, w := range digitRuns(f) {
			if w > float64(k.maxValue) {
				return refused("%s() would pad to %.0f characters, more than the %d a query may build (the --max-chars limit)", name, w, k.maxValue)
			}
		}
	}
	return nil
}

// constNumber evaluates a numeric literal, possibly cast or negated.
func constNumber(n any) (float64, bool) {
	v, ok := n.(map[string]any)
	if !ok {
		return 0, false
	}
	switch v["class"] {
	case "CONSTANT":
		val, _ := v["value"].(map[string]any)
		if val == nil || val["is_null"] == true {
			return 0, false
		}
		typ, _ := val["type"].(map[string]any)
		switch x := val["value"].(type) {
		case float64:
			if id, _ := typ["id"].(string); id == "DECIMAL" {
				if info, ok := typ["type_info"].(map[string]any); ok {
					if scale, ok := info["scale"].(float64); ok {
						return x / math.Pow(10, scale), true
					}
				}
			}
			return x, true
		case map[string]any:
			// HUGEINT: more than fits any limit.
			return math.Inf(1), true
		case string:
			f, err := strconv.ParseFloat(x, 64)
			return f, err == nil
		}
	case "CAST":
		return constNumber(v["child"])
	case "FUNCTION":
		if name, _ := v["function_name"].(string); name == "-" {
			if args, _ := v["children"].([]any); len(args) == 1 {
				f, ok := constNumber(args[0])
				return -f, ok
			}
		}
	}
	return 0, false
}

// constString returns argument i when it is a string literal.
func constString(args []any, i int) (string, bool) {
	if i >= len(args) {
		return "", false
	}
	v, ok := args[i].(map[string]any)
	if !ok || v["class"] != "CONSTANT" {
		return "", false
	}
	val, _ := v["value"].(map[string]any)
	s, ok := val["value"].(string)
	return s, ok
}

// digitRuns returns the numbers written in s.
func digitRuns(s string) []float64 {
	var out []float64
	for i := 0; i < len(s); {
		if s[i] < '0' || s[i] > '9' {
			i++
			continue
		}
		j := i
		for j < len(s) && s[j] >= '0' && s[j] <= '9' {
			j++
		}
		f, _ := strconv.ParseFloat(s[i:j], 64)
		out = append(out, f)
		i = j
	}
	return out
}
