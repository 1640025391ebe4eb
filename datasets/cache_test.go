package datasets

import (
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// newCacheManager is a manager whose catalogs share a dataset cache of size
// bytes (0: the default).
func newCacheManager(t *testing.T, size int64, readDirs ...string) *Manager {
	t.Helper()
	m, err := NewManager(Config{StagingRoot: t.TempDir(), ReadDirs: readDirs, Fetcher: localFetcher{}, CacheSize: size})
	require.NoError(t, err)
	t.Cleanup(func() { m.Close() })
	return m
}

func scratch(t *testing.T, m *Manager) *Catalog {
	t.Helper()
	c, err := m.Scratch(t.Context())
	require.NoError(t, err)
	t.Cleanup(func() { c.Close() })
	return c
}

// settle waits until c's background writes of table files are done.
func settle(c *Catalog) { c.background.Wait() }

func writeCSV(t *testing.T, dir, name, body string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	require.NoError(t, os.WriteFile(p, []byte(body), 0o600))
	return p
}

func queryOne(t *testing.T, c *Catalog, q string) any {
	t.Helper()
	res, err := c.Query(t.Context(), q, 10)
	require.NoError(t, err)
	require.Len(t, res.Rows, 1)
	return res.Rows[0][0]
}

func TestCacheServesASecondLoad(t *testing.T) {
	dir := t.TempDir()
	file := writeCSV(t, dir, "sales.csv", "region,amount\nnorth,1\nsouth,2\nnorth,4\n")
	m := newCacheManager(t, 0, dir)
	a := scratch(t, m)
	first, err := a.Load(t.Context(), file, LoadOptions{})
	require.NoError(t, err)
	settle(a)
	b := scratch(t, m)
	second, err := b.Load(t.Context(), file, LoadOptions{})
	require.NoError(t, err)

	isView, err := a.isView(t.Context(), "sales")
	require.NoError(t, err)
	require.False(t, isView, "the first load parses the file into a table")
	isView, err = b.isView(t.Context(), "sales")
	require.NoError(t, err)
	require.True(t, isView, "the second is a view of the cached table file")

	require.Equal(t, first[0].Columns, second[0].Columns)
	require.Equal(t, first[0].Rows, second[0].Rows)
	require.True(t, first[0].LoadedAt.Equal(second[0].LoadedAt), "one read of the data")
	require.NotEmpty(t, first[0].Version)
	require.Equal(t, first[0].Version, second[0].Version)
	require.Equal(t, int64(5), queryOne(t, b, "SELECT sum(amount) FROM sales WHERE region = 'north'"))
	d, err := b.Describe(t.Context(), "sales", nil)
	require.NoError(t, err)
	require.EqualValues(t, 3, d.Rows)

	// The same catalog loading it again replaces the view by a view.
	_, err = b.Load(t.Context(), file, LoadOptions{})
	require.NoError(t, err)
	require.Equal(t, int64(7), queryOne(t, b, "SELECT sum(amount) FROM sales"))
	require.Len(t, b.Tables(t.Context()), 1)
}

func TestCacheOneParseForConcurrentLoads(t *testing.T) {
	dir := t.TempDir()
	file := writeCSV(t, dir, "t.csv", "x\n1\n2\n3\n")
	m := newCacheManager(t, 0, dir)
	const n = 6
	cats := make([]*Catalog, n)
	for i := range cats {
		cats[i] = scratch(t, m)
	}
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i, c := range cats {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = c.Load(t.Context(), file, LoadOptions{})
		}()
	}
	wg.Wait()
	parsed := 0
	for i, c := range cats {
		require.NoError(t, errs[i])
		isView, err := c.isView(t.Context(), "t")
		require.NoError(t, err)
		if !isView {
			parsed++
		}
		require.Equal(t, int64(6), queryOne(t, c, "SELECT sum(x) FROM t"))
	}
	require.Equal(t, 1, parsed, "one load per key; the others wait for it")
}

func TestCacheSeesAChangedFile(t *testing.T) {
	dir := t.TempDir()
	file := writeCSV(t, dir, "t.csv", "x\n1\n")
	m := newCacheManager(t, 0, dir)
	a := scratch(t, m)
	_, err := a.Load(t.Context(), file, LoadOptions{})
	require.NoError(t, err)
	settle(a)
	// A new version of the file (its size and time change).
	require.NoError(t, os.WriteFile(file, []byte("x\n10\n20\n"), 0o600))
	future := time.Now().Add(time.Minute)
	require.NoError(t, os.Chtimes(file, future, future))
	b := scratch(t, m)
	infos, err := b.Load(t.Context(), file, LoadOptions{})
	require.NoError(t, err)
	require.EqualValues(t, 2, infos[0].Rows)
	require.Equal(t, int64(30), queryOne(t, b, "SELECT sum(x) FROM t"))
}

func TestCacheEvictsLeastRecentlyUsed(t *testing.T) {
	dir := t.TempDir()
	fa := writeCSV(t, dir, "a.csv", "x\n1\n")
	fb := writeCSV(t, dir, "b.csv", "x\n2\n")
	m := newCacheManager(t, 0, dir)
	a := scratch(t, m)
	_, err := a.Load(t.Context(), fa, LoadOptions{})
	require.NoError(t, err)
	settle(a)
	reader := scratch(t, m)
	_, err = reader.Load(t.Context(), fa, LoadOptions{})
	require.NoError(t, err)
	// Shrink the cache to one file's size: loading b evicts a.
	dc := m.cfg.cache
	dc.mu.Lock()
	dc.max = dc.bytes
	dc.mu.Unlock()
	b := scratch(t, m)
	_, err = b.Load(t.Context(), fb, LoadOptions{})
	require.NoError(t, err)
	settle(b)
	files, err := filepath.Glob(filepath.Join(dc.dir, "*.duckdb"))
	require.NoError(t, err)
	require.Len(t, files, 1, "a's table file is gone")
	// A catalog that attached a's file still reads it.
	require.Equal(t, int64(1), queryOne(t, reader, "SELECT sum(x) FROM a"))
	// A new load of a parses it again.
	c := scratch(t, m)
	_, err = c.Load(t.Context(), fa, LoadOptions{})
	require.NoError(t, err)
	isView, err := c.isView(t.Context(), "a")
	require.NoError(t, err)
	require.False(t, isView)
}

// TestCacheKeepsLabelsAndTables: a file of several tables, with variable
// and value labels, comes back whole from the cache.
func TestCacheKeepsLabelsAndTables(t *testing.T) {
	root, err := filepath.Abs("..")
	require.NoError(t, err)
	m := newCacheManager(t, 0, root)
	for _, tc := range []struct {
		file   string
		tables []string
	}{
		{filepath.Join(root, "formats/xlsx/testdata/sheets.xlsx"), []string{"sheets_sheet1", "sheets_sheet2", "sheets_sheet3"}},
		{filepath.Join(root, "formats/stata/testdata/sample.dta"), []string{"sample"}},
	} {
		a := scratch(t, m)
		first, err := a.Load(t.Context(), tc.file, LoadOptions{})
		require.NoError(t, err)
		settle(a)
		b := scratch(t, m)
		second, err := b.Load(t.Context(), tc.file, LoadOptions{})
		require.NoError(t, err)
		var names []string
		for i := range second {
			names = append(names, second[i].Name)
			require.Equal(t, first[i].Columns, second[i].Columns, "columns and labels of %s", second[i].Name)
			require.Equal(t, first[i].Label, second[i].Label)
			got, err := b.describeTable(t.Context(), second[i].Name)
			require.NoError(t, err)
			require.Equal(t, first[i].Columns, got.Columns, "DuckDB's comments on the view")
		}
		require.Equal(t, tc.tables, names)
	}
}

func TestCacheOff(t *testing.T) {
	dir := t.TempDir()
	file := writeCSV(t, dir, "t.csv", "x\n1\n")
	m := newCacheManager(t, -1, dir)
	for range 2 {
		c := scratch(t, m)
		infos, err := c.Load(t.Context(), file, LoadOptions{})
		require.NoError(t, err)
		require.Empty(t, infos[0].Version)
		isView, err := c.isView(t.Context(), "t")
		require.NoError(t, err)
		require.False(t, isView)
	}
}
