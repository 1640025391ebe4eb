package xlsx

import (
	"bytes"
	"encoding/csv"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"datachat/formats"
	"datachat/formats/formatstest"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// openFile opens a workbook from testdata with the given options.
func openFile(t testing.TB, name string, opts formats.Options) ([]*formats.Table, error) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	require.NoError(t, err)
	return Open(t.Context(), bytes.NewReader(b), int64(len(b)), opts)
}

func formatValue(v any) string {
	switch v := v.(type) {
	case nil:
		return "NULL"
	case string:
		return strconv.Quote(v)
	case int64:
		return strconv.FormatInt(v, 10)
	case float64:
		return strconv.FormatFloat(v, 'g', -1, 64)
	case bool:
		return strconv.FormatBool(v)
	case time.Time:
		return v.Format(time.RFC3339Nano)
	case time.Duration:
		return v.String()
	}
	return fmt.Sprintf("!%T(%v)", v, v)
}

// dump renders a workbook's tables (or its error) as text for golden files.
func dump(t testing.TB, tables []*formats.Table, err error) string {
	var sb strings.Builder
	if err != nil {
		fmt.Fprintf(&sb, "error: %v\n", err)
		return sb.String()
	}
	for _, tab := range tables {
		rows := formatstest.ReadAll(t, tab)
		fmt.Fprintf(&sb, "table %q rowcount=%d rows=%d\n", tab.Name, tab.RowCount, len(rows))
		for _, c := range tab.Columns {
			fmt.Fprintf(&sb, "  column %q %s\n", c.Name, c.Kind)
		}
		for _, r := range rows {
			vals := make([]string, len(r))
			for i, v := range r {
				vals[i] = formatValue(v)
				if v != nil {
					require.Equal(t, goType(tab.Columns[i].Kind), fmt.Sprintf("%T", v), "column %q", tab.Columns[i].Name)
				}
			}
			fmt.Fprintf(&sb, "  | %s\n", strings.Join(vals, " | "))
		}
	}
	return sb.String()
}

func goType(k formats.Kind) string {
	switch k {
	case formats.Int64:
		return "int64"
	case formats.Float64:
		return "float64"
	case formats.Bool:
		return "bool"
	case formats.Date, formats.Timestamp:
		return "time.Time"
	case formats.Time:
		return "time.Duration"
	}
	return "string"
}

func TestGolden(t *testing.T) {
	files, err := filepath.Glob("testdata/*.xlsx")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, f := range files {
		name := filepath.Base(f)
		t.Run(name, func(t *testing.T) {
			tables, err := openFile(t, name, formats.Options{})
			got := dump(t, tables, err)
			golden := filepath.Join("testdata", "golden", strings.TrimSuffix(name, ".xlsx")+".txt")
			if *update {
				require.NoError(t, os.WriteFile(golden, []byte(got), 0o644))
				return
			}
			want, err := os.ReadFile(golden)
			require.NoError(t, err, "run go test -update to create the golden file")
			require.Equal(t, string(want), got)
		})
	}
}

// TestExpectedCSV checks workbooks against the expected output their source
// project publishes beside them (table.csv for table.xlsx).
func TestExpectedCSV(t *testing.T) {
	files, err := filepath.Glob("testdata/*.csv")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, f := range files {
		xlsxName := strings.TrimSuffix(filepath.Base(f), ".csv") + ".xlsx"
		t.Run(xlsxName, func(t *testing.T) {
			raw, err := os.ReadFile(f)
			require.NoError(t, err)
			want, err := csv.NewReader(bytes.NewReader(raw)).ReadAll()
			require.NoError(t, err)
			tables, err := openFile(t, xlsxName, formats.Options{})
			require.NoError(t, err)
			require.NotEmpty(t, tables) // the expected output is the first sheet's
			var got [][]string
			var header []string
			for _, c := range tables[0].Columns {
				header = append(header, c.Name)
			}
			got = append(got, header)
			for _, r := range formatstest.ReadAll(t, tables[0]) {
				var rec []string
				for _, v := range r {
					switch v := v.(type) {
					case nil:
						rec = append(rec, "")
					case string:
						rec = append(rec, v)
					default:
						rec = append(rec, formatValue(v))
					}
				}
				got = append(got, rec)
			}
			require.Equal(t, want, got)
		})
	}
}

// TestExcelizeRoundTrip reads a workbook written by excelize's StreamWriter
// and compares every value with what was written.
func TestExcelizeRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "book.xlsx")
	const n = 2000
	writeBenchBook(t, path, n)
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	tables, err := Open(t.Context(), bytes.NewReader(b), int64(len(b)), formats.Options{})
	require.NoError(t, err)
	require.Len(t, tables, 1)
	tab := tables[0]
	var kinds []formats.Kind
	for _, c := range tab.Columns {
		kinds = append(kinds, c.Kind)
	}
	require.Equal(t, []formats.Kind{formats.Int64, formats.Float64, formats.String, formats.String, formats.Date,
		formats.Timestamp, formats.Bool, formats.Int64, formats.Float64, formats.String}, kinds)
	require.Equal(t, int64(n), tab.RowCount)
	rows := formatstest.ReadAll(t, tab)
	require.Len(t, rows, n)
	want := make([]any, 10)
	for i, got := range rows {
		benchValues(i, want)
		require.Equal(t, want, got, "row %d", i)
	}
}
