package datasets

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestBudgetShare(t *testing.T) {
	b := newBudget(4<<30, 2<<30)
	b.cores = 8
	mem, threads := b.share(0)
	require.Equal(t, int64(2<<30), mem, "capped by --memory-limit")
	require.Equal(t, 8, threads, "an idle server gives every core")
	mem, _ = b.share(3)
	require.Equal(t, int64(1<<30), mem, "a share of the budget")
	mem, _ = b.share(1000)
	require.Equal(t, int64(minSessionMemory), mem, "never below the floor")
	b.busy.Store(3)
	_, threads = b.share(0)
	require.Equal(t, 2, threads)
	b.busy.Store(100)
	_, threads = b.share(0)
	require.Equal(t, 1, threads)
}

// TestBudgetRefusesWork: over the budget, loads and queries do not start,
// and the error names the flag.
func TestBudgetRefusesWork(t *testing.T) {
	dir := t.TempDir()
	file := writeCSV(t, dir, "t.csv", "x\n1\n")
	m, err := NewManager(Config{StagingRoot: t.TempDir(), ReadDirs: []string{dir}, Fetcher: localFetcher{}, MemoryBudget: 1 << 20})
	require.NoError(t, err)
	t.Cleanup(func() { m.Close() })
	c, err := m.Scratch(t.Context())
	require.NoError(t, err)
	defer c.Close()
	_, err = c.Load(t.Context(), file, LoadOptions{})
	require.ErrorIs(t, err, ErrLimit)
	require.ErrorContains(t, err, "--memory-budget")
	_, err = c.Query(t.Context(), "SELECT 1", 1)
	require.ErrorIs(t, err, ErrLimit)
	require.EqualValues(t, 0, m.cfg.budget.busy.Load(), "refused work is not counted")
}

// TestSessionsShareTheBudget: each new catalog's DuckDB gets its share.
func TestSessionsShareTheBudget(t *testing.T) {
	m, err := NewManager(Config{StagingRoot: t.TempDir(), Fetcher: localFetcher{}, MemoryBudget: 4 << 30, MemoryLimit: "2GiB"})
	require.NoError(t, err)
	t.Cleanup(func() { m.Close() })
	limit := func(c *Catalog) any {
		res, err := c.internal(t.Context(), "SELECT current_setting('memory_limit')", 1)
		require.NoError(t, err)
		return res.Rows[0][0]
	}
	var cats []*Catalog
	for range 4 {
		c, err := m.Scratch(t.Context())
		require.NoError(t, err)
		cats = append(cats, c)
	}
	require.Equal(t, "2.0 GiB", limit(cats[0]))
	require.Equal(t, "1.3 GiB", limit(cats[2]))
	require.Equal(t, "1.0 GiB", limit(cats[3]))
	for _, c := range cats {
		c.Close()
	}
}
