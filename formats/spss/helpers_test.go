package spss

import (
	"bytes"
	"context"
	"os"
	"testing"

	"github.com/stretchr/testify/require"

	"datachat/formats"
)

// openBytes opens an in-memory system file.
func openBytes(ctx context.Context, b []byte, opts formats.Options) (*formats.Table, error) {
	tabs, err := Open(ctx, bytes.NewReader(b), int64(len(b)), opts)
	if err != nil {
		return nil, err
	}
	if len(tabs) != 1 {
		panic("Open must return one table")
	}
	return tabs[0], nil
}

// openPath opens a file of testdata.
func openPath(t *testing.T, path string) *formats.Table {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	t.Cleanup(func() { f.Close() })
	st, err := f.Stat()
	require.NoError(t, err)
	tabs, err := Open(t.Context(), f, st.Size(), formats.Options{})
	require.NoError(t, err, path)
	require.Len(t, tabs, 1)
	return tabs[0]
}

// decoders gives a table's column decoders, to check user-missing values.
func decoders(tb *formats.Table) []colDecoder {
	return tb.Rows.(*rows).cols
}
