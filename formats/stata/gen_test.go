package stata

import (
	"bytes"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"datachat/formats"
	"datachat/formats/formatstest"
)

// allReleases are the releases the reader supports and the writer produces.
var allReleases = []int{104, 105, 108, 110, 111, 113, 114, 115, 117, 118, 119}

// genCase is a generated file and the rows the reader must return for it.
type genCase struct {
	name string
	w    *wfile
	want [][]any
}

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// sampleCase builds a small dataset exercising every type the release has:
// numbers at their extremes, missing values, dates, encoded strings, strLs
// (117+) and value labels.
func sampleCase(release int, msf bool) genCase {
	tagged := release >= 113
	// Largest non-missing integers of the release.
	maxByte, maxInt, maxLong := int64(100), int64(32740), int64(2147483620)
	if !tagged {
		maxByte, maxInt, maxLong = 126, 32766, 2147483646
	}
	café, wantCafé := "caf\xe9 \x80", "café €" // Windows-1252
	if release >= 118 {
		café, wantCafé = "café €", "café €"
	}
	var tagA any = missTag('a')
	var tagZ any = missTag('z')
	strWidth := 12
	cols := []wcol{
		{name: "b", st: stByte, format: "%8.0g", label: "a byte", lblName: "yesno",
			vals: []any{int64(-127), maxByte, nil, tagA, int64(1)}},
		{name: "i", st: stInt, format: "%8.0g",
			vals: []any{int64(-32767), maxInt, tagZ, nil, int64(2)}},
		{name: "l", st: stLong, format: "%12.0g",
			vals: []any{int64(-2147483647), maxLong, nil, int64(0), int64(3)}},
		{name: "f", st: stFloat, format: "%9.0g", lblName: "yesno",
			vals: []any{float64(float32(1.5)), float64(float32(-1.7e38)), tagA, float64(2), float64(float32(0.1))}},
		{name: "d", st: stDouble, format: "%10.0g",
			vals: []any{3.141592653589793, -1e300, 8.98e307, nil, 1e-12}},
		{name: "s", st: stStr, width: strWidth, format: "%12s", label: "a string",
			vals: []any{"hello", café, "", "exactly12chr", "x"}},
		{name: "td", st: stDouble, format: "%td",
			vals: []any{float64(21310), float64(-29093), nil, float64(0), float64(10.7)}},
		{name: "tc", st: stDouble, format: "%tc",
			vals: []any{float64(1841220610000), float64(-2513598590000), float64(1), nil, float64(0)}},
		{name: "tm", st: stLong, format: "%tm",
			vals: []any{int64(600), int64(-60), nil, int64(0), int64(1)}},
		{name: "tw", st: stInt, format: "%tw",
			vals: []any{int64(2601), int64(-601), int64(51), nil, int64(0)}},
		{name: "tq", st: stInt, format: "%tq",
			vals: []any{int64(58), int64(-18), nil, int64(3), int64(0)}},
		{name: "th", st: stInt, format: "%-th",
			vals: []any{int64(100), int64(-10), int64(1), nil, int64(0)}},
		{name: "ty", st: stInt, format: "%ty",
			vals: []any{int64(2010), int64(2), nil, int64(1960), int64(1999)}},
	}
	want := [][]any{
		{int64(-127), int64(-32767), int64(-2147483647), 1.5, 3.141592653589793, "hello", day(2018, 5, 6), time.Date(2018, 5, 6, 10, 10, 10, 0, time.UTC), day(2010, 1, 1), day(2010, 1, 8), day(1974, 7, 1), day(2010, 1, 1), day(2010, 1, 1)},
		{maxByte, maxInt, maxLong, float64(float32(-1.7e38)), -1e300, wantCafé, day(1880, 5, 6), time.Date(1880, 5, 6, 10, 10, 10, 0, time.UTC), day(1955, 1, 1), day(1948, 6, 10), day(1955, 7, 1), day(1955, 1, 1), day(2, 1, 1)},
		{nil, nil, nil, nil, 8.98e307, "", nil, time.Date(1960, 1, 1, 0, 0, 0, 1e6, time.UTC), nil, day(1960, 12, 23), nil, day(1960, 7, 1), nil},
		{nil, nil, int64(0), 2.0, nil, "exactly12chr", day(1960, 1, 1), nil, day(1960, 1, 1), nil, day(1960, 10, 1), nil, day(1960, 1, 1)},
		{int64(1), int64(2), int64(3), float64(float32(0.1)), 1e-12, "x", day(1960, 1, 11), day(1960, 1, 1), day(1960, 2, 1), day(1960, 1, 1), day(1960, 1, 1), day(1960, 1, 1), day(1999, 1, 1)},
	}
	if release >= 117 {
		long := string(bytes.Repeat([]byte("long text "), 300))
		cols = append(cols, wcol{name: "strl", st: stStrL, format: "%9s",
			vals: []any{long, "", "short", long, "short"}})
		for i, v := range []any{long, "", "short", long, "short"} {
			want[i] = append(want[i], v)
		}
	}
	yesno := map[int32]string{1: "yes", 2: "no"}
	if tagged {
		yesno[2147483622] = "tag a" // a label for .a
	}
	w := &wfile{release: release, msf: msf, label: "generated", cols: cols, nobs: 5,
		labels: map[string]map[int32]string{"yesno": yesno}}
	return genCase{name: fmt.Sprintf("gen%d_%s", release, map[bool]string{true: "msf", false: "lsf"}[msf]), w: w, want: want}
}

// readAll opens data and returns its only table and all its rows.
func readAll(t testing.TB, data []byte, opts formats.Options) (*formats.Table, [][]any) {
	t.Helper()
	tabs, err := Open(t.Context(), bytes.NewReader(data), int64(len(data)), opts)
	require.NoError(t, err)
	require.Len(t, tabs, 1)
	return tabs[0], formatstest.ReadAll(t, tabs[0])
}

func TestGeneratedReleases(t *testing.T) {
	for _, rel := range allReleases {
		for _, msf := range []bool{false, true} {
			c := sampleCase(rel, msf)
			t.Run(c.name, func(t *testing.T) {
				tab, rows := readAll(t, c.w.bytes(), formats.Options{})
				require.Equal(t, "generated", tab.Label)
				require.Equal(t, int64(5), tab.RowCount)
				require.Equal(t, c.want, rows)
				wantKinds := []formats.Kind{formats.Int64, formats.Int64, formats.Int64, formats.Float64, formats.Float64, formats.String,
					formats.Date, formats.Timestamp, formats.Date, formats.Date, formats.Date, formats.Date, formats.Date}
				for i, k := range wantKinds {
					require.Equal(t, k, tab.Columns[i].Kind, "column %s", tab.Columns[i].Name)
				}
				require.Equal(t, "%-th", tab.Columns[11].Format)
				if rel >= 108 {
					require.Equal(t, "a byte", tab.Columns[0].Label)
				}
				if rel >= 110 {
					// The label of .a is dropped: .a reads as nil.
					require.Equal(t, map[any]string{int64(1): "yes", int64(2): "no"}, tab.Columns[0].ValueLabels)
					require.Equal(t, map[any]string{1.0: "yes", 2.0: "no"}, tab.Columns[3].ValueLabels)
				}
				require.Nil(t, tab.Columns[1].ValueLabels)
			})
		}
	}
}
