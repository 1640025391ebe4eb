package stata

import (
	"bytes"
	"context"
	"io"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/require"

	"datachat/formats"
	"datachat/formats/formatstest"
)

func TestMetadata(t *testing.T) {
	tests := []struct {
		file  string
		check func(t *testing.T, tab *formats.Table, rows [][]any)
	}{
		{"datetime.dta", func(t *testing.T, tab *formats.Table, rows [][]any) {
			require.Equal(t, "Fictional hospital visit data", tab.Label)
			require.Equal(t, "%tcHH:MM", tab.Columns[2].Format)
			require.Equal(t, formats.Timestamp, tab.Columns[2].Kind)
			require.Equal(t, formats.Date, tab.Columns[5].Kind)
		}},
		{"stata4_117.dta", func(t *testing.T, tab *formats.Table, rows [][]any) {
			c := tab.Columns[2]
			require.Equal(t, "incompletely_labeled", c.Name)
			require.Equal(t, "A labeled variable where some labels are missing.", c.Label)
			require.Equal(t, map[any]string{int64(1): "one", int64(2): "two", int64(3): "three", int64(10): "ten"}, c.ValueLabels)
			// A float column's labels are keyed by float64.
			require.Equal(t, "one", tab.Columns[4].ValueLabels[1.0])
		}},
		{"encodecp.dta", func(t *testing.T, tab *formats.Table, rows [][]any) {
			// Release 115: Windows-1252 labels, variable labels and data.
			require.Equal(t, "äöüß", tab.Columns[0].Label)
			require.Equal(t, "ß", tab.Columns[0].ValueLabels[int64(4)])
			require.Equal(t, "ä", rows[0][1])
		}},
		{"nonint.dta", func(t *testing.T, tab *formats.Table, rows [][]any) {
			// A double column with a label for 1 and a value of 1.2.
			require.Equal(t, map[any]string{1.0: "one"}, tab.Columns[0].ValueLabels)
			require.Equal(t, [][]any{{1.0}, {1.2}}, rows)
		}},
		{"statacar.dta", func(t *testing.T, tab *formats.Table, rows [][]any) {
			// Business-calendar dates (%tb) stay numbers.
			require.Equal(t, "%tbsp500", tab.Columns[8].Format)
			require.Equal(t, formats.Int64, tab.Columns[8].Kind)
			require.Equal(t, "min", tab.Columns[3].ValueLabels[int64(-2147483647)])
			require.Equal(t, "Speed Start 2000", rows[0][10])
		}},
		{"missings_msf.dta", func(t *testing.T, tab *formats.Table, rows [][]any) {
			require.Equal(t, "Written by R", tab.Label)
			require.Equal(t, [][]any{{int64(1), int64(1), 1.0, "1"}, {nil, nil, nil, ""}}, rows)
		}},
		{"notes.dta", func(t *testing.T, tab *formats.Table, rows [][]any) {
			require.Equal(t, "This is a test dataset.", tab.Label)
			require.Len(t, rows, 5)
		}},
		{"iris.dta", func(t *testing.T, tab *formats.Table, rows [][]any) {
			require.Len(t, rows, 150)
			require.Equal(t, "Sepal.Length", tab.Columns[0].Label)
			require.Equal(t, "virginica", rows[149][4])
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			tab, rows := readFile(t, "testdata/"+tt.file)
			tt.check(t, tab, rows)
		})
	}
}

// TestStrLBinary checks the file ReadStat cannot read: a text strL and a
// binary (type 129) strL holding a PNG image.
func TestStrLBinary(t *testing.T) {
	tab, rows := readFile(t, "testdata/stata_strl.dta")
	require.Len(t, rows, 1)
	require.Equal(t, "notes", tab.Columns[14].Name)
	notes := rows[0][14].(string)
	require.True(t, strings.HasPrefix(notes, "R is a free software environment"), notes[:40])
	img := rows[0][15].(string)
	// 0x89 'P' 'N' 'G': the first byte is not UTF-8 and becomes U+FFFD.
	require.True(t, strings.HasPrefix(img, "\uFFFDPNG"), "%q", img[:8])
	require.Equal(t, "x86_64-pc-linux-gnu", tab.Columns[0].ValueLabels[int64(1)])
}

func TestEncodingOverride(t *testing.T) {
	c := sampleCase(115, false)
	data := c.w.bytes()
	_, rows := readAll(t, data, formats.Options{Encoding: "macintosh"})
	require.Equal(t, "cafÈ Ä", rows[1][5]) // Mac Roman: 0xe9 is È, 0x80 is Ä
	_, rows = readAll(t, data, formats.Options{Encoding: "utf-8"})
	require.Equal(t, "caf\uFFFD \uFFFD", rows[1][5])
	_, err := Open(t.Context(), bytes.NewReader(data), int64(len(data)), formats.Options{Encoding: "no-such-thing"})
	require.ErrorIs(t, err, formats.ErrUnsupported)
}

// countingReader counts the bytes read through it.
type countingReader struct {
	r io.ReaderAt
	n atomic.Int64
}

func (c *countingReader) ReadAt(p []byte, off int64) (int, error) {
	c.n.Add(int64(len(p)))
	return c.r.ReadAt(p, off)
}

// bigCase builds n rows of a few mixed columns, with strLs when strl is set.
func bigCase(n int, release int, strl bool) *wfile {
	cols := []wcol{
		{name: "id", st: stLong, format: "%12.0g"},
		{name: "x", st: stDouble, format: "%10.0g"},
		{name: "s", st: stStr, width: 10, format: "%10s"},
	}
	if strl {
		cols = append(cols, wcol{name: "t", st: stStrL, format: "%9s"})
	}
	for i := 0; i < n; i++ {
		cols[0].vals = append(cols[0].vals, int64(i))
		cols[1].vals = append(cols[1].vals, float64(i)/3)
		cols[2].vals = append(cols[2].vals, []string{"alpha", "beta", "gamma"}[i%3])
		if strl {
			cols[3].vals = append(cols[3].vals, strings.Repeat("z", i%700)+"!")
		}
	}
	return &wfile{release: release, cols: cols, nobs: n}
}

func TestStreaming(t *testing.T) {
	const n = 60000
	data := bigCase(n, 118, true).bytes()
	cr := &countingReader{r: bytes.NewReader(data)}
	tabs, err := Open(t.Context(), cr, int64(len(data)), formats.Options{})
	require.NoError(t, err)
	tab := tabs[0]
	// Open reads the metadata and the strL headers, not the data.
	require.Less(t, cr.n.Load(), int64(len(data))/4, "Open read %d of %d bytes", cr.n.Load(), len(data))
	before := cr.n.Load()
	b := formats.NewBatch(tab.Columns, 1)
	require.NoError(t, tab.Rows.Next(b))
	require.Equal(t, []any{int64(0), 0.0, "alpha", "!"}, b.Row(0, nil))
	// The first row costs one chunk of the data section and one strL.
	require.Less(t, cr.n.Load()-before, int64(chunkBytes+4096))
	var row []any
	for i := 1; i < n; i++ {
		require.NoError(t, tab.Rows.Next(b))
		require.Equal(t, 1, b.Len)
		row = b.Row(0, row)
		if i%9973 == 0 || i == n-1 {
			require.Equal(t, int64(i), row[0])
			require.Equal(t, float64(i)/3, row[1])
			require.Equal(t, []string{"alpha", "beta", "gamma"}[i%3], row[2])
			require.Equal(t, strings.Repeat("z", i%700)+"!", row[3])
		}
	}
	require.ErrorIs(t, tab.Rows.Next(b), io.EOF)
	require.ErrorIs(t, tab.Rows.Next(b), io.EOF)
}

func TestCancel(t *testing.T) {
	data := bigCase(100000, 117, false).bytes()
	ctx, cancel := context.WithCancel(t.Context())
	tabs, err := Open(ctx, bytes.NewReader(data), int64(len(data)), formats.Options{})
	require.NoError(t, err)
	cancel()
	b := formats.NewBatch(tabs[0].Columns, formats.BatchSize)
	var last error
	for i := 0; i < 100000 && last == nil; i++ {
		last = tabs[0].Rows.Next(b)
	}
	require.ErrorIs(t, last, context.Canceled)
}

func TestMaxCellBytes(t *testing.T) {
	data := bigCase(800, 118, true).bytes()
	tabs, err := Open(t.Context(), bytes.NewReader(data), int64(len(data)), formats.Options{MaxCellBytes: 100})
	require.NoError(t, err)
	b := formats.NewBatch(tabs[0].Columns, formats.BatchSize)
	var last error
	for last == nil {
		last = tabs[0].Rows.Next(b)
	}
	require.ErrorIs(t, last, formats.ErrUnsupported)
	require.Contains(t, last.Error(), "MaxCellBytes")
}

// mutate returns a copy of data with b written at off.
func mutate(data []byte, off int, b ...byte) []byte {
	out := bytes.Clone(data)
	copy(out[off:], b)
	return out
}

func TestCorrupt(t *testing.T) {
	tagged := bigCase(50, 118, true)
	good := tagged.bytes()
	old := bigCase(50, 114, false).bytes()
	dataAt := bytes.Index(good, []byte("<data>")) + len("<data>")
	strlsAt := bytes.Index(good, []byte("<strls>")) + len("<strls>")
	nAt := bytes.Index(good, []byte("<N>")) + 3
	kAt := bytes.Index(good, []byte("<K>")) + 3
	firstGSOLen := strlsAt + 3 + 4 + 8 + 1

	labelled := sampleCase(118, false).w.bytes()
	lblTable := bytes.Index(labelled, []byte("<lbl>")) + 5

	tests := []struct {
		name string
		data []byte
		err  error
	}{
		{"empty", nil, formats.ErrCorrupt},
		{"not stata", []byte("PK\x03\x04 this is a zip file"), formats.ErrUnsupported},
		{"release 116", []byte{116, 2, 1, 0, 1, 0, 1, 0, 0, 0}, formats.ErrUnsupported},
		{"truncated header", good[:40], formats.ErrCorrupt},
		{"truncated descriptors", good[:dataAt-30], formats.ErrCorrupt},
		{"truncated data", good[:dataAt+100], formats.ErrCorrupt},
		{"truncated old data", old[:len(old)-40], formats.ErrCorrupt},
		{"huge N", mutate(good, nAt, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x0f), formats.ErrCorrupt},
		{"N plus one", mutate(good, nAt, 51), formats.ErrCorrupt},
		{"huge K", mutate(good, kAt, 0xff, 0x7f), formats.ErrCorrupt},
		{"old huge nobs", mutate(old, 6, 0xff, 0xff, 0xff, 0x7f), formats.ErrCorrupt},
		{"old bad byte order", mutate(old, 1, 7), formats.ErrCorrupt},
		{"old bad type", mutate(old, 4+2+4+81+18, 17+200), formats.ErrCorrupt},
		{"map past end", mutate(good, bytes.Index(good, []byte("<map>"))+5+9*8, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0), formats.ErrCorrupt},
		{"map points backwards", mutate(good, bytes.Index(good, []byte("<map>"))+5+10*8, 0, 0, 0, 0, 0, 0, 0, 0), formats.ErrCorrupt},
		{"huge GSO length", mutate(good, firstGSOLen, 0xff, 0xff, 0xff, 0x7f), formats.ErrCorrupt},
		{"bad GSO type", mutate(good, firstGSOLen-1, 7), formats.ErrCorrupt},
		{"bad GSO tag", mutate(good, strlsAt, 'X'), formats.ErrCorrupt},
		{"bad value-label tag", mutate(labelled, lblTable-2, 'X'), formats.ErrCorrupt},
		{"huge label table", mutate(labelled, lblTable, 0xff, 0xff, 0xff, 0x7f), formats.ErrCorrupt},
		{"lying label entries", mutate(labelled, lblTable+4+129+3, 0xff, 0xff, 0, 0), formats.ErrCorrupt},
		{"strL cell to nowhere", mutate(good, dataAt+4+8+10, 3, 0, 0x99, 0x99, 0, 0, 0, 0), formats.ErrCorrupt},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var err error
			alloc := formatstest.Allocated(func() { err = readAllErr(t.Context(), tt.data) })
			require.Error(t, err)
			require.ErrorIs(t, err, tt.err, "%v", err)
			require.Less(t, alloc, uint64(64<<20), "work stays bounded")
		})
	}
}

// readAllErr opens data and reads every row, returning the first error.
func readAllErr(ctx context.Context, data []byte) error {
	tabs, err := Open(ctx, bytes.NewReader(data), int64(len(data)), formats.Options{})
	if err != nil {
		return err
	}
	for _, tab := range tabs {
		if _, err := formatstest.CountRows(tab); err != nil {
			return err
		}
	}
	return nil
}

func TestEdgeShapes(t *testing.T) {
	wide := &wfile{release: 119, nobs: 2}
	for i := 0; i < 33000; i++ {
		wide.cols = append(wide.cols, wcol{name: "v" + strings.Repeat("x", i%3) + string(rune('a'+i%26)), st: stByte, format: "%8.0g", vals: []any{int64(i % 100), nil}})
	}
	tests := []struct {
		name     string
		w        *wfile
		rows     int
		rowCount int64
	}{
		{"no variables", &wfile{release: 118, nobs: 5}, 0, 0},
		{"no observations", &wfile{release: 117, cols: []wcol{{name: "x", st: stDouble, format: "%9.0g"}}}, 0, 0},
		{"no observations old", &wfile{release: 113, cols: []wcol{{name: "x", st: stDouble, format: "%9.0g"}}}, 0, 0},
		{"33000 variables (119)", wide, 2, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tab, rows := readAll(t, tt.w.bytes(), formats.Options{})
			require.Len(t, rows, tt.rows)
			require.Equal(t, tt.rowCount, tab.RowCount)
			require.Len(t, tab.Columns, len(tt.w.cols))
			if tt.w == wide {
				// Duplicate names are made unique.
				seen := map[string]bool{}
				for _, c := range tab.Columns {
					require.False(t, seen[c.Name], c.Name)
					seen[c.Name] = true
				}
				require.Equal(t, int64(32999%100), rows[0][32999])
				require.Nil(t, rows[1][32999])
			}
		})
	}
}

// TestOldTrailingBytes: before release 117 value labels run to the end of the
// file, so trailing junk must not cost the data or the labels before it.
func TestOldTrailingBytes(t *testing.T) {
	data := append(sampleCase(115, false).w.bytes(), "junk after the tables, not a label table"...)
	tab, rows := readAll(t, data, formats.Options{})
	require.Len(t, rows, 5)
	require.Equal(t, "yes", tab.Columns[0].ValueLabels[int64(1)])
}

// TestStrLIndexSkips: indexing large strLs reads their headers, not their
// contents, and each value is read only when its row is.
func TestStrLIndexSkips(t *testing.T) {
	w := &wfile{release: 118, nobs: 200, cols: []wcol{{name: "doc", st: stStrL, format: "%9s"}}}
	for i := 0; i < w.nobs; i++ {
		w.cols[0].vals = append(w.cols[0].vals, strconv.Itoa(i)+strings.Repeat(".", 100<<10))
	}
	data := w.bytes()
	cr := &countingReader{r: bytes.NewReader(data)}
	tabs, err := Open(t.Context(), cr, int64(len(data)), formats.Options{})
	require.NoError(t, err)
	require.Less(t, cr.n.Load(), int64(2<<20), "Open read %d of %d bytes", cr.n.Load(), len(data))
	b := formats.NewBatch(tabs[0].Columns, 1)
	for i := 0; i < w.nobs; i++ {
		require.NoError(t, tabs[0].Rows.Next(b))
		row := b.Row(0, nil)
		require.True(t, strings.HasPrefix(row[0].(string), strconv.Itoa(i)+"."))
		require.Len(t, row[0], len(strconv.Itoa(i))+100<<10)
	}
}
