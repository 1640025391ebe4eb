package datasets

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// The tests in this file load files built to take the server down (deep
// nesting that overflows DuckDB's stack, decompression bombs, files too wide
// or with too many tables) and check that each fails on its limit with an
// error naming the flag, and that the session still works afterwards.

// requireLimit checks err is a LimitError for flag that a client can act on
// and that holds no host path.
func requireLimit(t *testing.T, c *Catalog, err error, flag string) {
	t.Helper()
	var le *LimitError
	require.True(t, errors.As(err, &le), "want a %s limit error, got %v", flag, err)
	require.Equal(t, flag, le.Flag)
	require.Contains(t, err.Error(), flag)
	require.True(t, UserError(err))
	require.NotContains(t, err.Error(), c.staging)
	res, err := c.Query(t.Context(), "SELECT 42", 0)
	require.NoError(t, err, "the session still answers")
	require.EqualValues(t, 42, res.Rows[0][0])
}

func TestLoadHostileJSON(t *testing.T) {
	dir := t.TempDir()
	c := newTestCatalog(t, dir)
	write := func(name string, body []byte) string {
		p := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(p, body, 0o600))
		return p
	}
	deep := strings.Repeat(`{"a":`, 30000) + "1" + strings.Repeat("}", 30000) + "\n"
	deepGz := gzipped(t, []byte(strings.Repeat("[", 100000)+strings.Repeat("]", 100000)))
	require.Less(t, len(deepGz), 1024, "an 891-byte file did it")
	for _, tc := range []struct{ file, flag string }{
		{write("deep.ndjson", []byte(deep)), "--max-depth"},
		{write("deep.json", []byte(deep)), "--max-depth"},
		{write("deep.json.gz", deepGz), "--max-depth"},
		{write("deep-gz-named.ndjson", deepGz), "--max-depth"},
		{write("wide.json", []byte(wideObject(200_000))), "--max-columns"},
		{write("long.json", []byte(`[{"s":"`+strings.Repeat("x", 3<<20)+`"}]`)), "--max-cell"},
	} {
		t.Run(filepath.Base(tc.file), func(t *testing.T) {
			_, err := c.Load(t.Context(), tc.file, LoadOptions{})
			requireLimit(t, c, err, tc.flag)
		})
	}
	require.Empty(t, c.Tables(t.Context()))
}

// TestLoadJSONGzipLayouts loads compressed JSON in each layout: the one Go
// pass sees through the compression, so an object holding a list of records
// is unnested and an array of arrays gets its header, as uncompressed.
func TestLoadJSONGzipLayouts(t *testing.T) {
	dir := t.TempDir()
	c := newTestCatalog(t, dir)
	for name, body := range map[string]string{
		"keyed.json.gz":  `{"meta":{"v":1},"rows":[{"a":1,"b":"x"},{"a":2,"b":"y"}]}`,
		"arrays.json.gz": `[["a","b"],[1,"x"],[2,"y"]]`,
		"lines.json.gz":  "{\"a\":1,\"b\":\"x\"}\n{\"a\":2,\"b\":\"y\"}\n",
		"pretty.json":    "{\n  \"a\": 1,\n  \"b\": \"x\"\n}\n{\n  \"a\": 2,\n  \"b\": \"y\"\n}\n",
	} {
		t.Run(name, func(t *testing.T) {
			raw := []byte(body)
			if strings.HasSuffix(name, ".gz") {
				raw = gzipped(t, raw)
			}
			p := filepath.Join(dir, name)
			require.NoError(t, os.WriteFile(p, raw, 0o600))
			infos, err := c.Load(t.Context(), p, LoadOptions{})
			require.NoError(t, err)
			res, err := c.Query(t.Context(), "SELECT a, b FROM "+Ident(infos[0].Name)+" ORDER BY a", 0)
			require.NoError(t, err)
			require.Equal(t, [][]any{{int64(1), "x"}, {int64(2), "y"}}, res.Rows)
		})
	}
}
