// Package formatstest holds helpers shared by the tests of the format
// readers: reading a table's rows, checking values against the formats
// contract, seeding fuzz tests from files, golden-file tests, and running
// Debian's readstat command for differential tests and benchmarks.
//
// It is imported only by _test.go files, by convention.
package formatstest

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/require"

	"datachat/formats"
	"datachat/formats/infer/golden"
)

// testBatch is the batch capacity of the helpers that check values: small
// and odd, so that tables cross batch boundaries in the middle of pages,
// chunks and blocks of the readers.
const testBatch = 7

// Rows reads the rows of tab until io.EOF, or until limit rows have been read
// when limit is above 0. It returns the rows read and the first error other
// than io.EOF. Each row is a fresh slice.
func Rows(tab *formats.Table, limit int) ([][]any, error) {
	var out [][]any
	b := formats.NewBatch(tab.Columns, testBatch)
	for limit == 0 || len(out) < limit {
		err := tab.Rows.Next(b)
		for r := 0; r < b.Len && (limit == 0 || len(out) < limit); r++ {
			out = append(out, b.Row(r, nil))
		}
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		if b.Len == 0 {
			return out, errNoProgress
		}
	}
	return out, nil
}

// errNoProgress reports a reader whose Next returned neither rows nor an error.
var errNoProgress = errors.New("Next stored no row and returned no error")

// ReadAll reads every row of tab and fails t on any error other than io.EOF.
func ReadAll(t testing.TB, tab *formats.Table) [][]any {
	t.Helper()
	rows, err := Rows(tab, 0)
	require.NoError(t, err)
	return rows
}

// CountRows reads every row of tab in batches of formats.BatchSize rows, as
// a load does, and returns how many there were and the first error other
// than io.EOF.
func CountRows(tab *formats.Table) (int, error) {
	b := formats.NewBatch(tab.Columns, formats.BatchSize)
	n := 0
	for {
		err := tab.Rows.Next(b)
		n += b.Len
		if err == io.EOF {
			return n, nil
		}
		if err != nil {
			return n, err
		}
		if b.Len == 0 {
			return n, errNoProgress
		}
	}
}

// ColumnNames returns the names of tab's columns, in order.
func ColumnNames(tab *formats.Table) []string {
	names := make([]string, len(tab.Columns))
	for i, c := range tab.Columns {
		names[i] = c.Name
	}
	return names
}

// CheckValue fails t when v is neither nil nor of the Go type of kind, or is
// a string that is not valid UTF-8. Only the kinds of the statistical formats
// (String, Float64, Date, Timestamp, Time) are accepted.
func CheckValue(t testing.TB, kind formats.Kind, v any) {
	t.Helper()
	if v == nil {
		return
	}
	ok := false
	switch kind {
	case formats.String:
		s, isStr := v.(string)
		ok = isStr && utf8.ValidString(s)
	case formats.Float64:
		_, ok = v.(float64)
	case formats.Date, formats.Timestamp:
		_, ok = v.(time.Time)
	case formats.Time:
		_, ok = v.(time.Duration)
	}
	if !ok {
		t.Fatalf("value %#v does not fit kind %v", v, kind)
	}
}

// CheckRows reads tab's rows in small batches, checking every value with
// CheckValue, until io.EOF or, when maxRows is above 0, until maxRows rows
// have been read. It returns the first error other than io.EOF, for the
// caller to judge; reading stops there.
func CheckRows(t testing.TB, tab *formats.Table, maxRows int) error {
	t.Helper()
	b := formats.NewBatch(tab.Columns, testBatch)
	var row []any
	for n := 0; maxRows <= 0 || n < maxRows; {
		err := tab.Rows.Next(b)
		if b.Len > b.Cap() || b.Len < 0 {
			t.Fatalf("Next stored %d rows in a batch of %d", b.Len, b.Cap())
		}
		for r := 0; r < b.Len; r++ {
			row = b.Row(r, row)
			for i, v := range row {
				CheckValue(t, tab.Columns[i].Kind, v)
			}
		}
		n += b.Len
		if maxRows > 0 && n >= maxRows {
			// An error after the rows asked for is not looked at.
			return nil
		}
		if err == io.EOF {
			if b.Len != 0 {
				t.Fatalf("Next returned io.EOF with %d rows", b.Len)
			}
			return nil
		}
		if err != nil {
			return err
		}
		if b.Len == 0 {
			t.Fatal(errNoProgress)
		}
	}
	return nil
}

// CheckErr fails t when err wraps neither formats.ErrCorrupt nor
// formats.ErrUnsupported, the two kinds a reader may return for bad input.
func CheckErr(t testing.TB, err error) {
	t.Helper()
	if !errors.Is(err, formats.ErrCorrupt) && !errors.Is(err, formats.ErrUnsupported) {
		t.Fatalf("error wraps neither ErrCorrupt nor ErrUnsupported: %v", err)
	}
}

// CheckColumnNames fails t when a column of tab has an empty name or the
// name of an earlier column.
func CheckColumnNames(t testing.TB, tab *formats.Table) {
	t.Helper()
	seen := map[string]bool{}
	for _, c := range tab.Columns {
		if c.Name == "" || seen[c.Name] {
			t.Fatalf("table %q: empty or duplicate column name %q", tab.Name, c.Name)
		}
		seen[c.Name] = true
	}
}

// ReadFiles returns the contents of every file matching the glob patterns,
// in pattern order, for seeding fuzz tests. A pattern matching nothing adds
// nothing; a bad pattern or an unreadable file fails t.
func ReadFiles(t testing.TB, patterns ...string) [][]byte {
	t.Helper()
	var out [][]byte
	for _, pattern := range patterns {
		files, err := filepath.Glob(pattern)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range files {
			data, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, data)
		}
	}
	return out
}

// Dump opens data with open and renders its tables with golden.Dump, or
// returns "error: " and the error's text and a newline when open fails. A
// failure of golden.Dump (a value that does not fit its column) fails t.
func Dump(t testing.TB, open formats.OpenFunc, data []byte, opts formats.Options) string {
	t.Helper()
	tables, err := open(t.Context(), bytes.NewReader(data), int64(len(data)), opts)
	if err != nil {
		return "error: " + err.Error() + "\n"
	}
	got, err := golden.Dump(tables)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// Golden runs one subtest per file matching pattern: it renders the file
// with Dump (default options) and compares the text with the file's
// <path>.golden, or rewrites that when update is true. It fails t when no
// file matches.
func Golden(t *testing.T, pattern string, open formats.OpenFunc, update bool) {
	t.Helper()
	files, err := filepath.Glob(pattern)
	if err != nil || len(files) == 0 {
		t.Fatalf("no test files match %s: %v", pattern, err)
	}
	for _, path := range files {
		t.Run(filepath.Base(path), func(t *testing.T) {
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			golden.Compare(t, path+".golden", Dump(t, open, data, formats.Options{}), update)
		})
	}
}

// Readstat returns the path of Debian's readstat command. Without it the
// test is skipped, except in CI (environment CI=true), where readstat must
// be installed and the test fails.
func Readstat(t testing.TB) string {
	t.Helper()
	p, err := exec.LookPath("readstat")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("readstat is not installed (apt-get install readstat): %v", err)
		}
		t.Skip("readstat is not installed; skipping the differential test")
	}
	return p
}

// RunReadstat runs bin (the readstat command) with args and returns what it
// printed. readstat exits 0 even when it fails, saying "Error" on stderr, so
// such output is an error too.
func RunReadstat(ctx context.Context, bin string, args ...string) (string, error) {
	out, err := exec.CommandContext(ctx, bin, args...).CombinedOutput()
	if err == nil && strings.Contains(string(out), "Error") {
		err = errors.New("readstat reported an error")
	}
	if err != nil {
		return string(out), fmt.Errorf("readstat %v: %w: %s", args, err, out)
	}
	return string(out), nil
}

// ReadstatCSV reads the CSV that `readstat FILE out.csv` wrote at path. Quotes
// inside unquoted fields are accepted, as readstat writes them raw.
func ReadstatCSV(t testing.TB, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	cr := csv.NewReader(f)
	cr.LazyQuotes = true
	recs, err := cr.ReadAll()
	require.NoError(t, err)
	return recs
}

// BenchOpen measures open on data: each iteration opens data and reads every
// row of the first table with golden.Each, which also checks the values. It
// reports bytes per second and allocations.
func BenchOpen(b *testing.B, open formats.OpenFunc, data []byte) {
	b.Helper()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		tables, err := open(b.Context(), bytes.NewReader(data), int64(len(data)), formats.Options{})
		if err != nil {
			b.Fatal(err)
		}
		if err := golden.Each(tables[0], func([]any) error { return nil }); err != nil {
			b.Fatal(err)
		}
	}
}

// CountFile opens the file at path with open (default options), reads every
// row of every table with CountRows and returns the total, as a benchmark of
// reading a file from disk does. The file is closed before it returns.
func CountFile(ctx context.Context, open formats.OpenFunc, path string) (int, error) {
	fh, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer fh.Close()
	st, err := fh.Stat()
	if err != nil {
		return 0, err
	}
	tables, err := open(ctx, fh, st.Size(), formats.Options{})
	if err != nil {
		return 0, err
	}
	total := 0
	for _, tab := range tables {
		n, err := CountRows(tab)
		total += n
		if err != nil {
			return total, err
		}
	}
	return total, nil
}

// CheckOpen opens data with open (default options) and checks every value
// of every table with CheckRows, for fuzz tests of readers whose errors need
// no check: an error from Open or from Next ends the check of that input or
// table.
func CheckOpen(t testing.TB, open formats.OpenFunc, data []byte) {
	t.Helper()
	tabs, err := open(t.Context(), bytes.NewReader(data), int64(len(data)), formats.Options{})
	if err != nil {
		return
	}
	for _, tab := range tabs {
		// A bounded number of rows per input keeps each execution cheap, so
		// fuzzing explores many inputs rather than a few long files.
		_ = CheckRows(t, tab, fuzzRows)
	}
}

// fuzzRows is the most rows CheckOpen reads of one table.
const fuzzRows = 2000

// RequireCorrupt checks the error of reading a damaged file: with want ""
// there must be none; otherwise err must wrap formats.ErrCorrupt and its
// text contain want.
func RequireCorrupt(t testing.TB, err error, want string) {
	t.Helper()
	if want == "" {
		require.NoError(t, err)
		return
	}
	require.Error(t, err)
	require.True(t, errors.Is(err, formats.ErrCorrupt), "error %v does not wrap ErrCorrupt", err)
	require.Contains(t, err.Error(), want)
}

// ValueString spells a value of a statistical format (string, float64,
// time.Time, time.Duration or nil) for a failure message; any other type is
// "?".
func ValueString(v any) string {
	switch x := v.(type) {
	case nil:
		return "<nil>"
	case string:
		return x
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64)
	case time.Time:
		return x.String()
	case time.Duration:
		return x.String()
	}
	return "?"
}

// Allocated runs f and returns the bytes the process allocated meanwhile: a
// measure of work that, unlike time, does not depend on how fast or busy the
// machine is. Tests bound it instead of timing hostile inputs.
func Allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}
