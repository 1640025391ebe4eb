package formats

import (
	"io"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestVectorRoundTrip(t *testing.T) {
	cols := []Column{
		{Name: "s", Kind: String}, {Name: "i", Kind: Int64}, {Name: "f", Kind: Float64},
		{Name: "b", Kind: Bool}, {Name: "d", Kind: Date}, {Name: "ts", Kind: Timestamp},
		{Name: "t", Kind: Time},
	}
	rows := [][]any{
		{"é", int64(-5), 1.5, true, time.Date(1969, 12, 31, 0, 0, 0, 0, time.UTC),
			time.Date(1900, 2, 3, 4, 5, 6, 789000, time.UTC), 30*time.Hour + time.Microsecond},
		{nil, nil, nil, nil, nil, nil, nil},
		{"", int64(1) << 62, -0.0, false, time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC),
			time.Date(2024, 2, 29, 23, 59, 59, 999999000, time.UTC), -90 * time.Second},
	}
	b := NewBatch(cols, 4)
	require.Equal(t, 4, b.Cap())
	for r, row := range rows {
		for c, v := range row {
			require.NoError(t, b.Cols[c].Set(r, v))
		}
	}
	b.Len = len(rows)
	for r, row := range rows {
		require.Equal(t, row, b.Row(r, nil), "row %d", r)
	}
	// A reused row slot holds the new value, not the old NULL.
	require.NoError(t, b.Cols[1].Set(1, int64(7)))
	require.Equal(t, int64(7), b.Cols[1].Value(1))
}

func TestVectorSetWrongType(t *testing.T) {
	b := NewBatch([]Column{{Kind: Int64}, {Kind: Date}}, 1)
	require.ErrorContains(t, b.Cols[0].Set(0, 1.5), "float64 value in a BIGINT column")
	require.ErrorContains(t, b.Cols[1].Set(0, "2024-01-01"), "string value in a DATE column")
}

func TestDaysOf(t *testing.T) {
	tests := []struct {
		t    time.Time
		want int64
	}{
		{time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC), 0},
		{time.Date(1970, 1, 1, 23, 59, 0, 0, time.UTC), 0},
		{time.Date(1969, 12, 31, 23, 0, 0, 0, time.UTC), -1},
		{time.Date(1969, 12, 31, 0, 0, 0, 0, time.UTC), -1},
		{time.Date(1960, 1, 1, 0, 0, 0, 0, time.UTC), -3653},
		{time.Date(2000, 1, 1, 1, 0, 0, 0, time.FixedZone("x", 2*3600)), 10957 - 1},
	}
	for _, tt := range tests {
		require.Equal(t, tt.want, DaysOf(tt.t), "%v", tt.t)
	}
}

func TestSliceRowsBatches(t *testing.T) {
	var data [][]any
	for i := range 7 {
		data = append(data, []any{int64(i), nil})
	}
	rows := &SliceRows{Data: data}
	b := NewBatch([]Column{{Kind: Int64}, {Kind: String}}, 3)
	var got []any
	for {
		err := rows.Next(b)
		for r := 0; r < b.Len; r++ {
			got = append(got, b.Cols[0].Value(r))
			require.Nil(t, b.Cols[1].Value(r))
		}
		if err == io.EOF {
			require.Zero(t, b.Len)
			break
		}
		require.NoError(t, err)
		require.Positive(t, b.Len)
	}
	require.Equal(t, []any{int64(0), int64(1), int64(2), int64(3), int64(4), int64(5), int64(6)}, got)
	require.ErrorIs(t, rows.Next(b), io.EOF)

	bad := &SliceRows{Data: [][]any{{"x"}}}
	require.ErrorContains(t, bad.Next(NewBatch([]Column{{Kind: Int64}}, 2)), "row 1: column 1")
}
