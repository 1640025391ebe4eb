package datasets

import (
	"context"
	"errors"
	"fmt"
	"io"
	"testing"
	"time"

	duckdb "github.com/duckdb/duckdb-go/v2"
	"github.com/stretchr/testify/require"

	"datachat/formats"
)

// genRows yields n rows made by row, then err (io.EOF when nil).
type genRows struct {
	n, next int
	row     func(i int, b *formats.Batch, at int)
	err     error
	// onBatch, when set, runs before each batch is filled.
	onBatch func(next int)
}

func (g *genRows) Next(b *formats.Batch) error {
	if g.onBatch != nil {
		g.onBatch(g.next)
	}
	b.Len = 0
	for b.Len < b.Cap() && g.next < g.n {
		g.row(g.next, b, b.Len)
		g.next++
		b.Len++
	}
	if g.next >= g.n && b.Len == 0 {
		if g.err != nil {
			return g.err
		}
		return io.EOF
	}
	return nil
}

var allKinds = []formats.Column{
	{Name: "id", Kind: formats.Int64}, {Name: "s", Kind: formats.String},
	{Name: "f", Kind: formats.Float64}, {Name: "b", Kind: formats.Bool},
	{Name: "d", Kind: formats.Date}, {Name: "ts", Kind: formats.Timestamp},
	{Name: "t", Kind: formats.Time},
}

// kindsRow fills row i with values of every kind; every seventh value is NULL.
func kindsRow(i int, b *formats.Batch, at int) {
	b.Cols[0].SetInt(at, int64(i))
	for c := 1; c < len(b.Cols); c++ {
		if (i+c)%7 == 0 {
			b.Cols[c].SetNull(at)
			continue
		}
		switch c {
		case 1:
			b.Cols[c].SetStr(at, fmt.Sprintf("v%d", i%13))
		case 2:
			b.Cols[c].SetFloat(at, float64(i)/4)
		case 3:
			b.Cols[c].SetBool(at, i%2 == 0)
		case 4:
			b.Cols[c].SetInt(at, int64(i-5000)) // days, before and after 1970
		case 5:
			b.Cols[c].SetInt(at, int64(i-5000)*1_000_001) // microseconds
		case 6:
			b.Cols[c].SetInt(at, int64(i)*3_600_000_000/100) // up to 100 hours
		}
	}
}

func TestAppendTableAcrossBatches(t *testing.T) {
	c := newTestCatalog(t)
	const n = 3*formats.BatchSize + 17
	var reports []int64
	tab := &formats.Table{Columns: allKinds, Rows: &genRows{n: n, row: kindsRow}, RowCount: n}
	info, err := c.appendTable(t.Context(), tab, "kinds", func(done int64) { reports = append(reports, done) })
	require.NoError(t, err)
	require.EqualValues(t, n, info.Rows)
	var types []string
	for _, col := range info.Columns {
		types = append(types, col.Type)
	}
	require.Equal(t, []string{"BIGINT", "VARCHAR", "DOUBLE", "BOOLEAN", "DATE", "TIMESTAMP", "INTERVAL"}, types)
	require.Empty(t, reports, "fewer rows than one progress step")

	// Rows keep the reader's order, and every value arrived.
	res, err := c.internal(t.Context(), `SELECT count(*) FILTER (WHERE id <> rn), count(s), count(f), count(b), count(d), count(ts), count(t),
		sum(f), min(d), max(ts), max(t) FROM (SELECT *, row_number() OVER () - 1 AS rn FROM kinds)`, 1)
	require.NoError(t, err)
	row := res.Rows[0]
	require.Equal(t, int64(0), row[0], "rows out of order")
	for i := 1; i <= 6; i++ {
		require.EqualValues(t, n-n/7, row[i], "non-null values of column %d", i)
	}
	var sum float64
	for i := range n {
		if (i+2)%7 != 0 {
			sum += float64(i) / 4
		}
	}
	require.InDelta(t, sum, row[7], 1e-6)
	first, last := -1, -1
	for i := range n {
		if (i+4)%7 != 0 && first < 0 {
			first = i
		}
		if (i+5)%7 != 0 {
			last = i
		}
	}
	require.Equal(t, time.Unix(int64(first-5000)*86400, 0).UTC(), row[8])
	require.Equal(t, time.UnixMicro(int64(last-5000)*1_000_001).UTC(), row[9])
	maxT := -1
	for i := range n {
		if (i+6)%7 != 0 {
			maxT = i
		}
	}
	require.Equal(t, formatInterval(duckdb.Interval{Micros: int64(maxT) * 36_000_000}), row[10])
}

func TestAppendTableProgress(t *testing.T) {
	c := newTestCatalog(t)
	var reports []int64
	tab := &formats.Table{Columns: allKinds[:1], Rows: &genRows{n: 140_000, row: kindsRow}, RowCount: -1}
	_, err := c.appendTable(t.Context(), tab, "p", func(done int64) { reports = append(reports, done) })
	require.NoError(t, err)
	require.Len(t, reports, 2)
	require.GreaterOrEqual(t, reports[0], int64(progressEvery))
	require.GreaterOrEqual(t, reports[1], int64(2*progressEvery))
	require.Less(t, reports[1], int64(140_000))
}

func TestAppendTableReaderError(t *testing.T) {
	c := newTestCatalog(t)
	bad := fmt.Errorf("page 9: %w", formats.ErrCorrupt)
	tab := &formats.Table{Columns: allKinds, Rows: &genRows{n: 5000, row: kindsRow, err: bad}, RowCount: 9000}
	_, err := c.appendTable(t.Context(), tab, "broken", func(int64) {})
	require.ErrorIs(t, err, formats.ErrCorrupt)
	require.ErrorContains(t, err, "row 5001: page 9")
	res, err := c.internal(t.Context(), "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'broken'", 1)
	require.NoError(t, err)
	require.Equal(t, int64(0), res.Rows[0][0], "nothing half-loaded")
}

func TestAppendTableCancel(t *testing.T) {
	c := newTestCatalog(t)
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	rows := &genRows{n: 1 << 30, row: kindsRow, onBatch: func(next int) {
		if next >= 10*formats.BatchSize {
			cancel()
		}
	}}
	tab := &formats.Table{Columns: allKinds, Rows: rows, RowCount: -1}
	_, err := c.appendTable(ctx, tab, "endless", func(int64) {})
	require.ErrorIs(t, err, context.Canceled)
	require.Less(t, rows.next, 20*formats.BatchSize, "the reader stopped soon after the cancel")
	// The catalog still works.
	res, err := c.Query(t.Context(), "SELECT 1", 1)
	require.NoError(t, err)
	require.Equal(t, int64(1), res.Rows[0][0])
}

func TestAppendTableLabels(t *testing.T) {
	c := newTestCatalog(t)
	labels := map[any]string{int64(1): "one", int64(2): "two"}
	cols := []formats.Column{
		{Name: "all", Kind: formats.Int64, ValueLabels: labels},
		{Name: "some", Kind: formats.Int64, ValueLabels: labels, Label: "partly labelled"},
	}
	rows := &genRows{n: 2*formats.BatchSize + 1, row: func(i int, b *formats.Batch, at int) {
		b.Cols[0].SetInt(at, int64(1+i%2))
		if i == 2*formats.BatchSize {
			b.Cols[1].SetInt(at, 3) // the only unlabelled value, in the last batch
		} else {
			b.Cols[1].SetInt(at, 2)
		}
	}}
	info, err := c.appendTable(t.Context(), &formats.Table{Columns: cols, Rows: rows, RowCount: -1}, "lab", func(int64) {})
	require.NoError(t, err)
	require.Equal(t, []ColumnInfo{
		{Name: "all", Type: "VARCHAR"},
		{Name: "some", Type: "BIGINT", Label: "partly labelled"},
		{Name: "some_label", Type: "VARCHAR"},
	}, info.Columns)
	res, err := c.internal(t.Context(), `SELECT "all", count(*), count(some_label) FROM lab GROUP BY 1 ORDER BY 1`, 10)
	require.NoError(t, err)
	// The last row (all = one) has the unlabelled 3.
	require.Equal(t, [][]any{{"one", int64(formats.BatchSize + 1), int64(formats.BatchSize)}, {"two", int64(formats.BatchSize), int64(formats.BatchSize)}}, res.Rows)
}

func TestIngestFunctionRefused(t *testing.T) {
	c := newTestCatalog(t)
	_, err := c.Query(t.Context(), "SELECT * FROM datachat_ingest(1)", 10)
	var qe *QueryError
	require.True(t, errors.As(err, &qe), "%v", err)
	require.ErrorIs(t, err, ErrRefused)
	// Without the client checks, an id that names no load fails at bind.
	_, err = c.internal(t.Context(), "SELECT * FROM datachat_ingest(99)", 10)
	require.ErrorContains(t, err, "no pending load 99")
}
