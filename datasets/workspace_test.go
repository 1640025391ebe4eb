package datasets

import (
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// clock is a settable time for expiry tests.
type clock struct{ ns atomic.Int64 }

func newClock() *clock {
	c := &clock{}
	c.ns.Store(time.Now().UnixNano())
	return c
}
func (c *clock) now() time.Time          { return time.Unix(0, c.ns.Load()) }
func (c *clock) advance(d time.Duration) { c.ns.Add(int64(d)) }

func newTestManager(t *testing.T, cfg Config) *Manager {
	t.Helper()
	if cfg.StagingRoot == "" {
		cfg.StagingRoot = t.TempDir()
	}
	if cfg.Fetcher == nil {
		cfg.Fetcher = localFetcher{}
	}
	m, err := NewManager(cfg)
	require.NoError(t, err)
	t.Cleanup(func() { m.Close() })
	return m
}

func TestHandles(t *testing.T) {
	seen := map[string]bool{}
	for range 1000 {
		h := NewHandle()
		require.True(t, ValidHandle(h), h)
		require.True(t, strings.HasPrefix(h, "ws_"))
		require.Len(t, h, 3+26, "26 base32 characters carry 130 bits, of which 128 are random")
		require.False(t, seen[h])
		seen[h] = true
	}
	for _, bad := range []string{"", "ws_", "ws_short", "default", "stdio", "WS_AAAAAAAAAAAAAAAAAAAAAAAAAA", "ws_aaaaaaaaaaaaaaaaaaaaaaaaa1"} {
		require.False(t, ValidHandle(bad), bad)
	}
}

func TestWorkspacesInMemory(t *testing.T) {
	td := testdataDir(t)
	clk := newClock()
	m := newTestManager(t, Config{ReadDirs: []string{td}, Now: clk.now, WorkspaceTTL: time.Hour})
	ctx := t.Context()

	a, err := m.Create(ctx)
	require.NoError(t, err)
	b, err := m.Create(ctx)
	require.NoError(t, err)
	require.NotEqual(t, a.Workspace(), b.Workspace())
	_, err = a.Load(ctx, filepath.Join(td, "titanic.csv"), LoadOptions{})
	require.NoError(t, err)

	again, err := m.Open(ctx, a.Workspace())
	require.NoError(t, err)
	require.Same(t, a, again)
	require.Len(t, again.Tables(ctx), 1)
	require.Empty(t, b.Tables(ctx), "another workspace sees nothing of a's")

	// An unknown handle names itself and says what to do.
	other := NewHandle()
	_, err = m.Open(ctx, other)
	require.ErrorIs(t, err, ErrUnknownWorkspace)
	require.True(t, UserError(err))
	require.Contains(t, err.Error(), other)
	require.Contains(t, err.Error(), "load_file")
	_, err = m.Open(ctx, "../../etc/passwd")
	require.ErrorIs(t, err, ErrUnknownWorkspace)

	// Sessions map to workspaces of their own, and may adopt one by handle.
	s1, err := m.Catalog(ctx, "session-1")
	require.NoError(t, err)
	s1again, err := m.Catalog(ctx, "session-1")
	require.NoError(t, err)
	require.Same(t, s1, s1again)
	require.NotEqual(t, a.Workspace(), s1.Workspace())
	m.Adopt("session-1", a.Workspace())
	adopted, err := m.Catalog(ctx, "session-1")
	require.NoError(t, err)
	require.Same(t, a, adopted)

	// Scratch catalogs are counted while open and belong to no workspace.
	open := m.Sessions()
	sc, err := m.Scratch(ctx)
	require.NoError(t, err)
	require.Empty(t, sc.Workspace())
	require.Equal(t, open+1, m.Sessions())
	require.NoError(t, sc.Close())
	require.Equal(t, open, m.Sessions())

	// Idle workspaces expire; a used one stays.
	clk.advance(50 * time.Minute)
	_, err = m.Open(ctx, b.Workspace())
	require.NoError(t, err)
	clk.advance(20 * time.Minute)
	require.Equal(t, 2, m.ExpireIdle(), "a (also session-1's) and session-1's first workspace")
	_, err = m.Open(ctx, a.Workspace())
	require.ErrorIs(t, err, ErrUnknownWorkspace)
	_, err = a.Query(ctx, "SELECT 1", 0)
	require.ErrorIs(t, err, ErrClosed)
	_, err = m.Open(ctx, b.Workspace())
	require.NoError(t, err)

	// Ending a session frees its workspace (there is no data directory).
	s2, err := m.Catalog(ctx, "session-2")
	require.NoError(t, err)
	m.Drop("session-2")
	_, err = m.Open(ctx, s2.Workspace())
	require.ErrorIs(t, err, ErrUnknownWorkspace)
}

// TestStoredWorkspaces runs two managers on one data directory, as two
// replicas would, and a third as a restarted server.
func TestStoredWorkspaces(t *testing.T) {
	td := testdataDir(t)
	dir := t.TempDir()
	clk := newClock()
	cfg := Config{ReadDirs: []string{td}, DataDir: dir, Now: clk.now}
	a := newTestManager(t, cfg)
	b := newTestManager(t, cfg)
	ctx := t.Context()

	wa, err := a.Create(ctx)
	require.NoError(t, err)
	h := wa.Workspace()
	_, err = wa.Load(ctx, filepath.Join(td, "titanic.csv"), LoadOptions{Name: "passengers"})
	require.NoError(t, err)

	// Read-your-writes on the other replica as soon as the load returned.
	wb, err := b.Open(ctx, h)
	require.NoError(t, err)
	tables := wb.Tables(ctx)
	require.Len(t, tables, 1)
	require.Equal(t, "passengers", tables[0].Name)
	require.EqualValues(t, 891, tables[0].Rows)
	require.Equal(t, filepath.Join(td, "titanic.csv"), tables[0].Source)
	res, err := wb.Query(ctx, "SELECT count(*) FILTER (WHERE Survived = 1) FROM passengers", 0)
	require.NoError(t, err)
	require.Equal(t, int64(342), res.Rows[0][0])

	// b loads into the same workspace; a sees it on its next use.
	_, err = wb.Load(ctx, filepath.Join(td, "titanic.csv"), LoadOptions{Name: "again"})
	require.NoError(t, err)
	wa2, err := a.Open(ctx, h)
	require.NoError(t, err)
	require.Same(t, wa, wa2)
	require.ElementsMatch(t, []string{"passengers", "again"}, tableNames(wa2.Tables(ctx)))

	// Two writers at once lose neither table.
	var wg sync.WaitGroup
	for i, m := range []*Manager{a, b} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, err := m.Open(ctx, h)
			if err == nil {
				_, err = c.Load(ctx, filepath.Join(td, "titanic.csv"), LoadOptions{Name: []string{"from_a", "from_b"}[i]})
			}
			require.NoError(t, err)
		}()
	}
	wg.Wait()
	for _, m := range []*Manager{a, b} {
		c, err := m.Open(ctx, h)
		require.NoError(t, err)
		require.ElementsMatch(t, []string{"passengers", "again", "from_a", "from_b"}, tableNames(c.Tables(ctx)))
	}

	// A restarted server serves the same handle from the directory alone.
	require.NoError(t, a.Close())
	require.NoError(t, b.Close())
	c := newTestManager(t, cfg)
	wc, err := c.Open(ctx, h)
	require.NoError(t, err)
	require.Len(t, wc.Tables(ctx), 4)
	res, err = wc.Query(ctx, `SELECT sum("Fare") FROM from_b`, 0)
	require.NoError(t, err)
	require.InDelta(t, 28693.9493, res.Rows[0][0], 1e-3)

	// Each loaded copy of the same table is stored once.
	files, err := filepath.Glob(filepath.Join(dir, "tables", "*.duckdb"))
	require.NoError(t, err)
	require.NotEmpty(t, files)
	require.LessOrEqual(t, len(files), 4)

	// An idle workspace expires with its files, in every replica.
	empty, err := c.Create(ctx)
	require.NoError(t, err)
	clk.advance(DefaultStoredWorkspaceTTL + 2*time.Hour)
	require.GreaterOrEqual(t, c.ExpireIdle(), 2)
	for _, handle := range []string{h, empty.Workspace()} {
		_, err = c.Open(ctx, handle)
		require.ErrorIs(t, err, ErrUnknownWorkspace)
	}
	left, err := os.ReadDir(filepath.Join(dir, "workspaces"))
	require.NoError(t, err)
	require.Empty(t, left)
	files, err = filepath.Glob(filepath.Join(dir, "tables", "*.duckdb"))
	require.NoError(t, err)
	require.Empty(t, files, "table files no workspace lists are removed")
}

func TestStoredTypesAndLabels(t *testing.T) {
	dir := t.TempDir()
	root, err := filepath.Abs("..")
	require.NoError(t, err)
	cfg := Config{ReadDirs: []string{root}, DataDir: dir}
	a := newTestManager(t, cfg)
	ctx := t.Context()
	wa, err := a.Create(ctx)
	require.NoError(t, err)
	_, err = wa.Load(ctx, filepath.Join(root, "formats/stata/testdata/sample.dta"), LoadOptions{})
	require.NoError(t, err)
	// Types Parquet would not keep exactly.
	_, err = wa.db.ExecContext(ctx, `CREATE TABLE typed AS SELECT (2::HUGEINT ** 100)::HUGEINT - 1 AS h, 'b'::ENUM('a', 'b') AS e, INTERVAL 3 DAY AS iv, [1, 2] AS l`)
	require.NoError(t, err)
	info, err := wa.describeTable(ctx, "typed")
	require.NoError(t, err)
	info.Source, info.Format = "test", "sql"
	wa.addTable(info)
	wa.loadMu.Lock()
	err = wa.saved(ctx, LoadOptions{}, []TableInfo{*info})
	wa.loadMu.Unlock()
	require.NoError(t, err)

	b := newTestManager(t, cfg)
	wb, err := b.Open(ctx, wa.Workspace())
	require.NoError(t, err)
	for _, name := range []string{"sample", "typed"} {
		want, err := wa.Table(name)
		require.NoError(t, err)
		got, err := wb.Table(name)
		require.NoError(t, err)
		require.Equal(t, want.Columns, got.Columns, name)
		stored, err := wb.describeTable(ctx, name)
		require.NoError(t, err)
		require.Equal(t, want.Columns, stored.Columns, "DuckDB's own column types and comments of %s", name)
		q := "SELECT * FROM " + Ident(name) + " ORDER BY ALL"
		wantRows, err := wa.internal(ctx, q, 1000)
		require.NoError(t, err)
		gotRows, err := wb.internal(ctx, q, 1000)
		require.NoError(t, err)
		require.Equal(t, wantRows.Rows, gotRows.Rows, name)
	}
	hasLabel := false
	for _, c := range func() []ColumnInfo { t, _ := wb.Table("sample"); return t.Columns }() {
		hasLabel = hasLabel || c.Label != ""
	}
	require.True(t, hasLabel, "the Stata file's variable labels survive")
}

func TestStoredFailureLosesNothing(t *testing.T) {
	td := testdataDir(t)
	dir := t.TempDir()
	a := newTestManager(t, Config{ReadDirs: []string{td}, DataDir: dir})
	ctx := t.Context()
	w, err := a.Create(ctx)
	require.NoError(t, err)
	// Another process expired the workspace under our feet.
	require.NoError(t, a.store.remove(w.Workspace()))
	_, err = w.Load(ctx, filepath.Join(td, "titanic.csv"), LoadOptions{})
	require.ErrorIs(t, err, ErrUnknownWorkspace)
	require.Empty(t, w.Tables(ctx), "a load that could not be stored is not kept half-done")
}

func tableNames(ts []TableInfo) []string {
	var out []string
	for _, t := range ts {
		out = append(out, t.Name)
	}
	return out
}
