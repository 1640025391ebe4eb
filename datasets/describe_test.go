package datasets

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// sqlTable creates a table from a SELECT and registers it as loaded.
func sqlTable(t *testing.T, c *Catalog, name, query string) TableInfo {
	t.Helper()
	info, err := c.create(t.Context(), name, "("+query+")")
	require.NoError(t, err)
	info.LoadedAt = time.Now()
	c.addTable(info)
	return *info
}

func statsOf(d *Description, col string) ColumnStats {
	for _, c := range d.Columns {
		if c.Name == col {
			return c
		}
	}
	return ColumnStats{}
}

func TestDescribeExactSmallTable(t *testing.T) {
	c := newTestCatalog(t)
	sqlTable(t, c, "small", `SELECT i AS n, ['a', 'b', 'b', 'c'][i % 4 + 1] AS s, CASE WHEN i % 5 = 0 THEN NULL ELSE i END AS m
		FROM range(1000) t(i)`)
	d, err := c.Describe(t.Context(), "small", nil)
	require.NoError(t, err)
	require.Zero(t, d.SampleRows)
	n := statsOf(d, "n")
	require.EqualValues(t, 1000, n.Distinct, "exact distinct count")
	require.Equal(t, 249.75, n.Q25)
	require.Equal(t, 499.5, n.Q50)
	s := statsOf(d, "s")
	require.EqualValues(t, 3, s.Distinct)
	require.Equal(t, []ValueCount{{"b", 500}, {"a", 250}, {"c", 250}}, s.Top)
	m := statsOf(d, "m")
	require.EqualValues(t, 800, m.NonNull)
	require.Equal(t, 20.0, m.NullPct)
}

func TestDescribeLargeTableEstimates(t *testing.T) {
	c := newTestCatalog(t)
	const rows = 3 * ExactRows
	info := sqlTable(t, c, "big", fmt.Sprintf(`SELECT i AS id, ['north', 'south', 'east', 'west'][i %% 4 + 1] AS region,
		(i %% 1000) / 10.0 AS price, DATE '2020-01-01' + CAST(i %% 1000 AS INTEGER) AS day
		FROM range(%d) t(i)`, rows))
	d, err := c.Describe(t.Context(), info.Name, nil)
	require.NoError(t, err)
	require.Positive(t, d.SampleRows)
	require.Less(t, d.SampleRows, int64(rows))
	id := statsOf(d, "id")
	require.EqualValues(t, rows, id.NonNull, "counts are over every row")
	require.Equal(t, int64(0), id.Min)
	require.Equal(t, int64(rows-1), id.Max)
	require.LessOrEqual(t, id.Distinct, int64(rows), "an estimate never above the row count")
	require.InDelta(t, rows, id.Distinct, 0.2*rows)
	require.InDelta(t, rows/2, id.Q50, 0.1*rows, "median from the sample")
	region := statsOf(d, "region")
	require.EqualValues(t, 4, region.Distinct)
	require.Len(t, region.Top, 4)
	var sum int64
	for _, tv := range region.Top {
		require.InDelta(t, rows/4, tv.Count, 0.1*rows/4, "%v: counts scaled to the table", tv.Value)
		sum += tv.Count
	}
	require.InDelta(t, rows, sum, 0.01*rows)
	price := statsOf(d, "price")
	require.InDelta(t, 49.95, price.Mean, 1e-9, "the mean is over every row")
	require.InDelta(t, 50, price.Q50, 2)
	day := statsOf(d, "day")
	require.Equal(t, time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC), day.Min)
	require.NotNil(t, day.Q50)
}

func TestDescribeExtremeAndConstantColumns(t *testing.T) {
	c := newTestCatalog(t)
	sqlTable(t, c, "odd", `SELECT CASE WHEN i % 2 = 0 THEN 1e300 ELSE -1e300 END AS huge, 7 AS constant, NULL::DOUBLE AS empty
		FROM range(10) t(i)`)
	d, err := c.Describe(t.Context(), "odd", nil)
	require.NoError(t, err)
	huge := statsOf(d, "huge")
	require.InDelta(t, 1.054e300, huge.Std, 0.001e300)
	require.Equal(t, 0.0, statsOf(d, "constant").Std)
	require.EqualValues(t, 1, statsOf(d, "constant").Distinct)
	empty := statsOf(d, "empty")
	require.Zero(t, empty.NonNull)
	require.Zero(t, empty.Distinct)
	require.Equal(t, 100.0, empty.NullPct)
}

// TestDescribeCached: statistics are computed once per table and column; a
// reload of the table computes them anew.
func TestDescribeCached(t *testing.T) {
	c := newTestCatalog(t)
	sqlTable(t, c, "t", `SELECT i AS a, i * 2 AS b FROM range(100) t(i)`)
	first, err := c.Describe(t.Context(), "t", []string{"a"})
	require.NoError(t, err)
	// Change the data behind the catalog's back: cached columns do not see
	// it, a column not described yet does.
	_, err = c.db.ExecContext(t.Context(), "UPDATE t SET a = a + 1000, b = b + 1000")
	require.NoError(t, err)
	again, err := c.Describe(t.Context(), "t", nil)
	require.NoError(t, err)
	require.Equal(t, first.Columns[0], statsOf(again, "a"))
	require.Equal(t, int64(1000), statsOf(again, "b").Min)
	// A new load of the table is described from scratch.
	sqlTable(t, c, "t", `SELECT i + 5 AS a, i AS b FROM range(10) t(i)`)
	reloaded, err := c.Describe(t.Context(), "t", nil)
	require.NoError(t, err)
	require.Equal(t, int64(5), statsOf(reloaded, "a").Min)
	require.EqualValues(t, 10, reloaded.Rows)
}
