package formatstest

import (
	"errors"
	"fmt"
	"io"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"datachat/formats"
)

// failingRows returns its rows, then err.
type failingRows struct {
	rows [][]any
	err  error
}

func (f *failingRows) Next(b *formats.Batch) error {
	b.Len = 0
	for len(f.rows) > 0 && b.Len < b.Cap() {
		for c, v := range f.rows[0] {
			if err := b.Cols[c].Set(b.Len, v); err != nil {
				return err
			}
		}
		f.rows = f.rows[1:]
		b.Len++
	}
	if len(f.rows) == 0 {
		return f.err
	}
	return nil
}

func table(rows formats.Rows) *formats.Table {
	return &formats.Table{
		Columns: []formats.Column{{Name: "s", Kind: formats.String}, {Name: "x", Kind: formats.Float64}},
		Rows:    rows,
	}
}

func TestRows(t *testing.T) {
	data := [][]any{{"a", 1.0}, {"b", nil}, {nil, 3.0}}
	errBad := fmt.Errorf("row 3: %w", formats.ErrCorrupt)
	tests := []struct {
		name    string
		rows    formats.Rows
		limit   int
		want    [][]any
		wantErr error
	}{
		{"all", &formats.SliceRows{Data: data}, 0, data, nil},
		{"limit", &formats.SliceRows{Data: data}, 2, data[:2], nil},
		{"limit above count", &formats.SliceRows{Data: data}, 9, data, nil},
		{"error after two rows", &failingRows{rows: data[:2], err: errBad}, 0, data[:2], errBad},
		{"wrapped EOF is an error", &failingRows{err: fmt.Errorf("x: %w", io.EOF)}, 0, nil, io.EOF},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Rows(table(tt.rows), tt.limit)
			require.Equal(t, tt.want, got)
			if tt.wantErr == nil {
				require.NoError(t, err)
			} else {
				require.ErrorIs(t, err, tt.wantErr)
			}
		})
	}
}

func TestCountRows(t *testing.T) {
	n, err := CountRows(table(&formats.SliceRows{Data: [][]any{{"a", 1.0}, {"b", 2.0}}}))
	require.NoError(t, err)
	require.Equal(t, 2, n)

	errBad := errors.New("bad page")
	n, err = CountRows(table(&failingRows{rows: [][]any{{"a", 1.0}}, err: errBad}))
	require.ErrorIs(t, err, errBad)
	require.Equal(t, 1, n)
}

func TestCheckRows(t *testing.T) {
	errBad := errors.New("bad page")
	err := CheckRows(t, table(&failingRows{rows: [][]any{{"a", 1.0}, {nil, nil}}, err: errBad}), 0)
	require.ErrorIs(t, err, errBad)
	// The limit stops reading before the error.
	require.NoError(t, CheckRows(t, table(&failingRows{rows: [][]any{{"a", 1.0}}, err: errBad}), 1))
}

func TestColumnNames(t *testing.T) {
	require.Equal(t, []string{"s", "x"}, ColumnNames(table(nil)))
	require.Empty(t, ColumnNames(&formats.Table{}))
}

func TestValueString(t *testing.T) {
	tests := []struct {
		v    any
		want string
	}{
		{nil, "<nil>"},
		{"é", "é"},
		{1.5, "1.5"},
		{1e21, "1e+21"},
		{time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC), "2024-01-02 03:04:05 +0000 UTC"},
		{90 * time.Second, "1m30s"},
		{int64(3), "?"},
	}
	for _, tt := range tests {
		require.Equal(t, tt.want, ValueString(tt.v), "%#v", tt.v)
	}
}

func TestReadFiles(t *testing.T) {
	require.Empty(t, ReadFiles(t, "testdata-none/*"))
	got := ReadFiles(t, "formatstest.go", "formatstest_test.go")
	require.Len(t, got, 2)
	require.Contains(t, string(got[0]), "package formatstest")
}

// TestRunReadstat uses sh in place of readstat: exit 0 with "Error" in the
// output is a failure, as readstat reports one that way.
func TestRunReadstat(t *testing.T) {
	tests := []struct {
		name, script string
		wantErr      bool
	}{
		{"ok", "echo Converted 1 variables >&2", false},
		{"error on stderr, exit 0", "echo Error processing x >&2", true},
		{"exit 1", "exit 1", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := RunReadstat(t.Context(), "sh", "-c", tt.script)
			require.Equal(t, tt.wantErr, err != nil, "%v", err)
			if tt.wantErr && out != "" {
				require.ErrorContains(t, err, out)
			}
		})
	}
}
