package datasets

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// localFetcher serves local files as they are; the real guarded fetcher has
// its own tests in datasets/fetch.
type localFetcher struct{}

func (localFetcher) Fetch(_ context.Context, source string, _ func(int64, int64)) (*Source, error) {
	p, err := filepath.Abs(source)
	if err != nil {
		return nil, err
	}
	fi, err := os.Stat(p)
	if err != nil {
		return nil, err
	}
	base := filepath.Base(p)
	return &Source{Path: p, Name: base, Ext: strings.ToLower(filepath.Ext(base)), Size: fi.Size()}, nil
}

func newTestCatalog(t *testing.T, readDirs ...string) *Catalog {
	t.Helper()
	m, err := NewManager(Config{StagingRoot: t.TempDir(), ReadDirs: readDirs, Fetcher: localFetcher{}})
	require.NoError(t, err)
	t.Cleanup(func() { m.Close() })
	c, err := m.Catalog(t.Context(), "test")
	require.NoError(t, err)
	return c
}

func testdataDir(t *testing.T) string {
	d, err := filepath.Abs("../testdata")
	require.NoError(t, err)
	d, err = filepath.EvalSymlinks(d)
	require.NoError(t, err)
	return d
}

func TestLoadQueryDescribe(t *testing.T) {
	td := testdataDir(t)
	c := newTestCatalog(t, td)
	infos, err := c.Load(t.Context(), filepath.Join(td, "titanic.csv"), LoadOptions{})
	require.NoError(t, err)
	require.Len(t, infos, 1)
	require.Equal(t, "titanic", infos[0].Name)
	require.EqualValues(t, 891, infos[0].Rows)
	require.Len(t, infos[0].Columns, 12)

	res, err := c.Query(t.Context(), `SELECT Sex, count(*) AS n, avg(Survived) AS rate FROM titanic GROUP BY Sex ORDER BY Sex`, 0)
	require.NoError(t, err)
	require.Equal(t, []string{"Sex", "n", "rate"}, res.Columns)
	require.Equal(t, "female", res.Rows[0][0])
	require.EqualValues(t, 314, res.Rows[0][1])
	require.InDelta(t, 0.742, res.Rows[0][2].(float64), 0.001)

	res, err = c.Query(t.Context(), `SELECT * FROM titanic`, 10)
	require.NoError(t, err)
	require.Equal(t, 10, res.RowCount)
	require.True(t, res.Truncated)

	d, err := c.Describe(t.Context(), "titanic", []string{"Age", "Sex"})
	require.NoError(t, err)
	require.Len(t, d.Columns, 2)
	require.EqualValues(t, 714, d.Columns[0].NonNull)
	require.InDelta(t, 29.699, d.Columns[0].Mean.(float64), 0.001)
	require.Equal(t, "male", d.Columns[1].Top[0].Value)
	require.EqualValues(t, 577, d.Columns[1].Top[0].Count)

	_, err = c.Describe(t.Context(), "titanik", nil)
	require.ErrorIs(t, err, ErrUnknownDataset)
	require.Contains(t, err.Error(), `did you mean "titanic"`)

	// Reloading the same source replaces the table instead of adding titanic_2.
	infos, err = c.Load(t.Context(), filepath.Join(td, "titanic.csv"), LoadOptions{})
	require.NoError(t, err)
	require.Equal(t, "titanic", infos[0].Name)
	require.Len(t, c.Tables(t.Context()), 1)
}

func TestSandboxRefusals(t *testing.T) {
	td := testdataDir(t)
	c := newTestCatalog(t, td)
	_, err := c.Load(t.Context(), filepath.Join(td, "titanic.csv"), LoadOptions{})
	require.NoError(t, err)
	outside := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(outside, "secret.csv"), []byte("a\n1\n"), 0o600))
	attacks := []struct{ name, sql string }{
		{"read_csv outside", `SELECT * FROM read_csv('/etc/passwd')`},
		{"read_csv own testdata", `SELECT * FROM read_csv('` + filepath.Join(td, "titanic.csv") + `')`},
		{"replacement scan", `SELECT * FROM '` + filepath.Join(outside, "secret.csv") + `'`},
		{"read_text", `SELECT * FROM read_text('/etc/hostname')`},
		{"glob", `SELECT * FROM glob('/*')`},
		{"query()", `SELECT * FROM query('SELECT 1')`},
		{"copy to", `COPY titanic TO '` + filepath.Join(outside, "x.csv") + `'`},
		{"attach", `ATTACH '` + filepath.Join(outside, "x.db") + `'`},
		{"attach memory", `ATTACH ':memory:' AS m`},
		{"install", `INSTALL httpfs`},
		{"load", `LOAD httpfs`},
		{"set", `SET threads=1`},
		{"pragma", `PRAGMA enable_profiling`},
		{"create", `CREATE TABLE x AS SELECT 1`},
		{"insert", `INSERT INTO titanic (PassengerId) VALUES (1)`},
		{"drop", `DROP TABLE titanic`},
		{"two statements", `DROP TABLE titanic; SELECT 1`},
		{"explain analyze", `EXPLAIN ANALYZE SELECT 1`},
		{"current_setting", `SELECT current_setting('allowed_directories')`},
		{"settings", `SELECT * FROM duckdb_settings()`},
		{"http", `SELECT * FROM read_csv('http://127.0.0.1:1/x.csv')`},
		{"export", `EXPORT DATABASE '` + outside + `'`},
		{"checkpoint", `CHECKPOINT`},
		{"set variable", `SET VARIABLE x = 1`},
		{"nested in CTE", `WITH x AS (SELECT * FROM read_parquet('/x.parquet')) SELECT * FROM x`},
		{"nested in subquery", `SELECT (SELECT count(*) FROM glob('/tmp/*'))`},
	}
	for _, a := range attacks {
		t.Run(a.name, func(t *testing.T) {
			_, err := c.Query(t.Context(), a.sql, 0)
			require.Error(t, err)
			require.True(t, errors.Is(err, ErrRefused), "want refusal, got %v", err)
			require.NotContains(t, err.Error(), c.staging)
		})
	}
	// The table is still there and unchanged.
	res, err := c.Query(t.Context(), "SELECT count(*) FROM titanic", 0)
	require.NoError(t, err)
	require.EqualValues(t, 891, res.Rows[0][0])
	_, err = os.Stat(filepath.Join(outside, "x.csv"))
	require.True(t, os.IsNotExist(err))
}

func TestQueryErrorsHint(t *testing.T) {
	td := testdataDir(t)
	c := newTestCatalog(t, td)
	_, err := c.Load(t.Context(), filepath.Join(td, "titanic.csv"), LoadOptions{})
	require.NoError(t, err)
	for _, tc := range []struct{ sql, want string }{
		{"SELECT Agee FROM titanic", `"Age"`},
		{"SELECT * FROM titanik", "titanic"},
		{"SELEC 1", "syntax"},
	} {
		_, err := c.Query(t.Context(), tc.sql, 0)
		require.ErrorIs(t, err, ErrBadSQL, tc.sql)
		require.Contains(t, err.Error(), tc.want, tc.sql)
	}
	// Allowed read-only forms.
	for _, q := range []string{"FROM titanic LIMIT 1", "DESCRIBE titanic", "SUMMARIZE titanic", "SHOW TABLES",
		"WITH s AS (SELECT Sex FROM titanic) SELECT count(*) FROM s", "SELECT * FROM range(3)"} {
		_, err := c.Query(t.Context(), q, 0)
		require.NoError(t, err, q)
	}
}

func TestQueryTimeoutAndCancel(t *testing.T) {
	m, err := NewManager(Config{StagingRoot: t.TempDir(), QueryTimeout: 200_000_000})
	require.NoError(t, err)
	defer m.Close()
	c, err := m.Catalog(t.Context(), "s")
	require.NoError(t, err)
	_, err = c.Query(t.Context(), "SELECT count(*) FROM range(100000000000) a", 0)
	require.ErrorIs(t, err, ErrTimeout)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err = c.Query(ctx, "SELECT 1", 0)
	require.Error(t, err)
}

func TestSessionsIsolated(t *testing.T) {
	td := testdataDir(t)
	m, err := NewManager(Config{StagingRoot: t.TempDir(), ReadDirs: []string{td}, Fetcher: localFetcher{}})
	require.NoError(t, err)
	defer m.Close()
	a, _ := m.Catalog(t.Context(), "a")
	b, _ := m.Catalog(t.Context(), "b")
	_, err = a.Load(t.Context(), filepath.Join(td, "titanic.csv"), LoadOptions{})
	require.NoError(t, err)
	_, err = b.Query(t.Context(), "SELECT * FROM titanic", 0)
	require.ErrorIs(t, err, ErrBadSQL)
	require.Empty(t, b.Tables(t.Context()))
	m.Drop("a")
	_, err = a.Query(t.Context(), "SELECT 1", 0)
	require.ErrorIs(t, err, ErrClosed)
}

func TestTableName(t *testing.T) {
	for in, want := range map[string]string{
		"titanic.csv": "titanic", "My Data (2024).CSV.gz": "my_data_2024", "2019.parquet": "t_2019",
		"___.json": "data", "dir/sub/Sales-Q1.xlsx": "sales_q1", "ünïcode.csv": "unicode",
		"Продажи 2024.xlsx": "prodazhi_2024", "Αθήνα.csv": "athina", "Straße.csv": "strasse", "销售.csv": "data",
	} {
		require.Equal(t, want, TableName(in), in)
	}
}

// rowsCSV writes a CSV of n rows of two columns in a test folder.
func rowsCSV(t *testing.T, n int) string {
	var b strings.Builder
	b.WriteString("id,name\n")
	for i := range n {
		fmt.Fprintf(&b, "%d,row %d\n", i, i%977)
	}
	return writeCSV(t, t.TempDir(), "rows.csv", b.String())
}

func TestLoadProgress(t *testing.T) {
	path := rowsCSV(t, 300_000)
	c := newTestCatalog(t, filepath.Dir(path))
	var got []float64
	var msgs []string
	infos, err := c.Load(t.Context(), path, LoadOptions{Progress: func(p, total float64, msg string) {
		require.Equal(t, 100.0, total)
		got = append(got, p)
		msgs = append(msgs, msg)
	}})
	require.NoError(t, err)
	require.EqualValues(t, 300_000, infos[0].Rows)
	require.GreaterOrEqual(t, len(got), 3, "%v", msgs)
	require.Equal(t, 100.0, got[len(got)-1])
	for i := 1; i < len(got); i++ {
		require.GreaterOrEqual(t, got[i], got[i-1], "progress never goes back: %v", got)
	}
}
