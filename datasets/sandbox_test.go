package datasets

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// hostRevealing are the views, table functions and functions that show the
// server's folders, settings, secrets, extensions, logs or files: each must
// be refused by name, whatever the form of the query.
var hostRevealing = []string{
	`SELECT name, setting FROM pg_settings`,
	`SELECT * FROM pg_catalog.pg_settings`,
	`SELECT * FROM system.pg_catalog.pg_settings WHERE name = 'allowed_directories'`,
	`SELECT * FROM "PG_SETTINGS"`,
	`SUMMARIZE pg_settings`,
	`SELECT (SELECT max(setting) FROM pg_settings)`,
	`SELECT * FROM duckdb_settings()`,
	`SUMMARIZE SELECT * FROM duckdb_settings()`,
	`SELECT * FROM duckdb_extensions()`,
	`SELECT * FROM duckdb_secrets()`,
	`SELECT * FROM duckdb_secret_types()`,
	`SELECT * FROM which_secret('s3://x/y', 's3')`,
	`SELECT * FROM duckdb_temporary_files()`,
	`SELECT * FROM duckdb_memory()`,
	`SELECT * FROM duckdb_variables()`,
	`SELECT * FROM duckdb_logs`,
	`SELECT * FROM duckdb_logs()`,
	`SELECT * FROM duckdb_external_file_cache()`,
	`SELECT * FROM pragma_database_size()`,
	`SELECT * FROM pragma_platform()`,
	`SELECT * FROM pragma_user_agent()`,
	`SELECT * FROM pragma_metadata_info()`,
	`SELECT current_setting('allowed_directories')`,
	`SELECT current_setting('temp_directory')`,
	`SELECT getvariable('x')`,
	`SELECT user_agent()`,
	`SELECT platform()`,
	`SELECT * FROM json_execute_serialized_sql(json_serialize_sql('SELECT * FROM duckdb_settings()'))`,
	`SELECT json_execute_serialized_sql(json_serialize_sql('SELECT 1'))`,
	`SELECT json_serialize_plan('SELECT 1')`,
	`SELECT write_log('x')`,
	`SELECT add_parquet_key('k', '0123456789112345')`,
}

// unbounded are queries that would build one value of a size given in the
// query: each call is one allocation DuckDB cannot interrupt.
var unbounded = []string{
	`SELECT length(repeat('x', 1000000000))`,
	`SELECT repeat('xx', 30000)`,
	`SELECT repeat('x', 1e9)`,
	`SELECT repeat('x', 2000000000000000000000)`,
	`SELECT repeat('x', (SELECT 1000000000))`,
	`SELECT repeat(Name, 1000) FROM titanic`,
	`SELECT repeat(repeat('x', 1000), 1000)`,
	`SELECT lpad('x', 1000000000, 'y')`,
	`SELECT rpad('x', 100000000)`,
	`SELECT lpad('x', PassengerId * 1000000, 'y') FROM titanic`,
	`SELECT len(range(1000000000))`,
	`SELECT generate_series(1, 1000000000)`,
	`SELECT range(PassengerId) FROM titanic`,
	`SELECT list_resize([1], 1000000000)`,
	`SELECT array_resize([1], 1000000000, 0)`,
	`SELECT bar(1, 0, 1, 1000000000)`,
	`SELECT printf('%1000000000d', 1)`,
	`SELECT printf('%*d', 1000000000, 1)`,
	`SELECT format('{:>1000000000}', 'x')`,
	`SELECT printf(Name, 1) FROM titanic`,
	`SELECT to_base(1, 2, 1000000000)`,
	`SELECT bitstring('1', 1000000000)`,
	`SELECT bitstring_agg(PassengerId) FROM titanic`,
	`SELECT equi_width_bins(0, 10, 1000000000, false)`,
	`SELECT sleep_ms(100000)`,
	`WITH RECURSIVE r(s) AS (SELECT 'x' UNION ALL SELECT s || s FROM r WHERE length(s) < 1000000000) SELECT max(length(s)) FROM r`,
}

func TestSandboxRefusesHostInfoAndUnboundedValues(t *testing.T) {
	td := testdataDir(t)
	c := newTestCatalog(t, td)
	_, err := c.Load(t.Context(), filepath.Join(td, "titanic.csv"), LoadOptions{})
	require.NoError(t, err)
	for _, q := range append(append([]string{}, hostRevealing...), unbounded...) {
		t.Run(q, func(t *testing.T) {
			_, err := c.Query(t.Context(), q, 0)
			require.True(t, errors.Is(err, ErrRefused), "want a refusal, got %v", err)
			require.NotContains(t, err.Error(), c.staging)
			require.NotContains(t, err.Error(), td)
		})
	}
	// Every table function DuckDB has that is not on the allow list is
	// refused, and so is every denied function and view by name.
	res, err := c.internal(t.Context(), "SELECT DISTINCT function_name FROM duckdb_functions() WHERE function_type IN ('table', 'table_macro')", 10000)
	require.NoError(t, err)
	for _, r := range res.Rows {
		name := r[0].(string)
		if allowedTableFunctions[name] {
			continue
		}
		_, err := c.Query(t.Context(), "SELECT * FROM "+name+"()", 0)
		require.True(t, errors.Is(err, ErrRefused), "%s: %v", name, err)
	}
	for name := range deniedFunctions {
		_, err := c.Query(t.Context(), "SELECT "+name+"()", 0)
		require.True(t, errors.Is(err, ErrRefused), "%s: %v", name, err)
		require.Contains(t, err.Error(), name)
	}
	for name := range deniedTables {
		_, err := c.Query(t.Context(), "SELECT * FROM "+name, 0)
		require.True(t, errors.Is(err, ErrRefused), "%s: %v", name, err)
	}
}

func TestSandboxAllowsBoundedValues(t *testing.T) {
	td := testdataDir(t)
	c := newTestCatalog(t, td)
	_, err := c.Load(t.Context(), filepath.Join(td, "titanic.csv"), LoadOptions{})
	require.NoError(t, err)
	for q, want := range map[string]any{
		`SELECT repeat('-', 20)`:                                 strings.Repeat("-", 20),
		`SELECT repeat(Sex, 2) FROM titanic ORDER BY 1 LIMIT 1`:  "femalefemale",
		`SELECT lpad('7', 3, '0')`:                               "007",
		`SELECT rpad('ab', 4, '.')`:                              "ab..",
		`SELECT printf('%5.1f|', 2.25)`:                          "  2.2|",
		`SELECT format('{:>4}', 'x')`:                            "   x",
		`SELECT len(range(10))`:                                  int64(10),
		`SELECT len(generate_series(1, 5))`:                      int64(5),
		`SELECT count(*) FROM range(1000)`:                       int64(1000),
		`SELECT count(*) FROM generate_series(1, 10)`:            int64(10),
		`SELECT length(string_agg(Name, ',')) > 0 FROM titanic`:  true,
		`SELECT len(list(Name)) FROM titanic`:                    int64(891),
		`SELECT len(list_resize([1, 2], 3))`:                     int64(3),
		`SELECT to_base(5, 2, 8)`:                                "00000101",
		`SELECT count(*) FROM (SELECT unnest(range(3)))`:         int64(3),
		`SELECT bar(5, 0, 10, 10) IS NOT NULL`:                   true,
		`SELECT max(len(Name)) > 10 FROM titanic WHERE Age > 30`: true,
	} {
		res, err := c.Query(t.Context(), q, 0)
		require.NoError(t, err, q)
		require.Equal(t, want, res.Rows[0][0], q)
	}
}

// TestMemoryLimitStopsGrowingValues runs an aggregate that builds a huge
// string: it must stop with an error naming --memory-limit, and the
// process's peak memory (measured by the kernel) must stay within the limit
// plus a fixed overhead.
func TestMemoryLimitStopsGrowingValues(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the memory guard reads /proc")
	}
	m, err := NewManager(Config{StagingRoot: t.TempDir(), MemoryLimit: "256MB", QueryTimeout: 120_000_000_000})
	require.NoError(t, err)
	defer m.Close()
	c, err := m.Catalog(t.Context(), "s")
	require.NoError(t, err)
	resetPeak := os.WriteFile("/proc/self/clear_refs", []byte("5"), 0o200) == nil
	before, _ := residentBytes()
	// 100 million rows of 16 bytes: a 1.6 GB string if nothing stopped it.
	_, err = c.Query(t.Context(), `SELECT length(string_agg('0123456789abcdef', '')) FROM range(100000000)`, 0)
	require.ErrorIs(t, err, ErrLimit)
	require.Contains(t, err.Error(), "--memory-limit")
	if peak, ok := peakResident(); ok && resetPeak {
		const overhead = 384 << 20
		t.Logf("peak resident memory grew by %d MiB", (peak-before)>>20)
		require.Less(t, peak-before, int64(256e6)+overhead, "peak resident memory grew by %d MiB", (peak-before)>>20)
	}
	res, err := c.Query(t.Context(), "SELECT 1", 0)
	require.NoError(t, err)
	require.EqualValues(t, 1, res.Rows[0][0])
}

// peakResident is the process's peak resident memory (VmHWM).
func peakResident() (int64, bool) {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, false
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			f := strings.Fields(rest)
			if len(f) == 2 {
				n, err := parseMemory(f[0] + "KiB")
				return n, err == nil
			}
		}
	}
	return 0, false
}

// TestMemoryGuard grows the process's resident memory from outside DuckDB:
// the guard must cancel with errMemory once growth passes its limit.
func TestMemoryGuard(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the memory guard reads /proc")
	}
	ctx, cancel := context.WithCancelCause(t.Context())
	defer cancel(nil)
	stop := guardMemory(ctx, 64<<20, 0, cancel)
	defer stop()
	// Twice the limit, every page touched.
	b := make([]byte, 128<<20)
	for j := 0; j < len(b); j += 4096 {
		b[j] = 1
	}
	<-ctx.Done()
	require.ErrorIs(t, context.Cause(ctx), errMemory)
	runtime.KeepAlive(b)
}

// TestMaxCharsCutsLongCells: one huge cell may not pass --max-chars; the
// result says it was cut.
func TestMaxCharsCutsLongCells(t *testing.T) {
	m, err := NewManager(Config{StagingRoot: t.TempDir(), MaxChars: 1000})
	require.NoError(t, err)
	defer m.Close()
	c, err := m.Catalog(t.Context(), "s")
	require.NoError(t, err)
	res, err := c.Query(t.Context(), `SELECT 'id' AS a, string_agg('é', '') AS b FROM range(30000)`, 0)
	require.NoError(t, err)
	require.True(t, res.Truncated)
	require.Equal(t, 1, res.CutCells)
	require.Equal(t, "id", res.Rows[0][0])
	s := res.Rows[0][1].(string)
	require.LessOrEqual(t, len(s), 1000)
	require.True(t, strings.HasSuffix(s, "é…"), "cut at a character boundary")
	require.Contains(t, res.Markdown(10), "--max-chars")
	res, err = c.Query(t.Context(), `SELECT range AS n, repeat('x', 600) AS s FROM range(5)`, 0)
	require.NoError(t, err)
	require.Len(t, res.Rows, 1, "rows after the cap are dropped")
	require.True(t, res.Truncated)
}

func TestCheckCache(t *testing.T) {
	k := &checkCache{max: 2, maxKey: 10, m: map[string]bool{}}
	k.add("a")
	k.add("b")
	k.add("a")
	require.True(t, k.has("a"))
	k.add("c") // evicts the oldest, a
	require.False(t, k.has("a"))
	require.True(t, k.has("b"))
	require.True(t, k.has("c"))
	k.add("longer than ten")
	require.False(t, k.has("longer than ten"))
}

// TestCheckedQueryRunsChecksAgain: a query that passed once is not checked
// again, but what it runs is still the prepared statement's type check and
// DuckDB's own guards; a refused query is refused every time.
func TestCheckedQueryRunsChecksAgain(t *testing.T) {
	c := newTestCatalog(t)
	for range 2 {
		_, err := c.Query(t.Context(), "SELECT 42", 1)
		require.NoError(t, err)
		_, err = c.Query(t.Context(), "SELECT * FROM read_csv('/etc/passwd')", 1)
		require.ErrorIs(t, err, ErrRefused)
	}
}

// TestClientMistakesAreUserErrors: parameters, long input and unknown names
// are mistakes the client can fix (never a "server problem"), and messages
// never echo more than a short piece of the input.
func TestClientMistakesAreUserErrors(t *testing.T) {
	c := newTestCatalog(t)
	long := strings.Repeat("z", 10000)
	for _, q := range []string{"SELECT $1", "SELECT ?", "SELEC " + long, "SELECT '" + long + "' FROM nowhere", "SELECT * FROM " + long} {
		_, err := c.Query(t.Context(), q, 0)
		require.True(t, UserError(err), "%.80s: %v", q, err)
		require.Less(t, len(err.Error()), 1000, "%.80s", q)
	}
	_, err := c.Query(t.Context(), "SELECT $1", 0)
	require.Contains(t, err.Error(), "parameters")
	_, err = c.Describe(t.Context(), long, nil)
	require.True(t, UserError(err))
	require.Less(t, len(err.Error()), 1000)
	_, err = c.Load(t.Context(), "x.csv", LoadOptions{Name: long + "!"})
	require.Less(t, len(err.Error()), 1000)
}
