package spss

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"datachat/formats"
	"datachat/formats/formatstest"
)

// richFile is a file using most features: labels, user-missing values of
// every kind, dates, long and very long strings, long names.
func richFile(order byteOrder, compression, nrows int) (*tfile, [][]any) {
	f := &tfile{
		order:       order,
		compression: compression,
		label:       "Generated test file",
		encoding:    "UTF-8",
		charCode:    65001,
		blockSize:   200, // many zlib blocks
		vars: []tvar{
			{name: "NUM", long: "Number", label: "A number", missing: []float64{99},
				numLabels: map[float64]string{1: "one", 2: "two"}},
			{name: "RNG", missRange: &[2]float64{-10, -1}, missing: []float64{999}},
			{name: "D", format: fmtCode(20, 11, 0)},
			{name: "TS", format: fmtCode(22, 23, 2)},
			{name: "TM", format: fmtCode(21, 11, 2)},
			{name: "S", width: 3, strMiss: []string{"NA"}, strLabels: map[string]string{"a": "Alpha"}},
			{name: "LS", long: "long_string_name", width: 20, strMiss: []string{"zzz"},
				strLabels: map[string]string{"hello": "Hello label"}},
			{name: "VLS", long: "VeryLongString", width: 600, label: "Very long"},
			{name: "LOWHI", missRange: &[2]float64{math.Nextafter(-math.MaxFloat64, 0), 0}},
		},
	}
	want := make([][]any, 0, nrows)
	for i := range nrows {
		row := make([]any, len(f.vars))
		exp := make([]any, len(f.vars))
		// NUM: integers, fractions, system- and user-missing.
		switch i % 5 {
		case 0:
			row[0], exp[0] = nil, nil
		case 1:
			row[0], exp[0] = 99.0, nil
		case 2:
			row[0], exp[0] = float64(i), float64(i)
		default:
			row[0], exp[0] = float64(i)+0.25, float64(i)+0.25
		}
		// RNG: inside the range, the discrete value, outside.
		switch i % 4 {
		case 0:
			row[1], exp[1] = -5.5, nil
		case 1:
			row[1], exp[1] = 999.0, nil
		case 2:
			row[1], exp[1] = -10.5, -10.5
		default:
			row[1], exp[1] = 1e300, 1e300
		}
		day := spssBase.AddDate(0, 0, 150000+i*37)
		row[2], exp[2] = float64(day.Unix()-spssBase.Unix()), day
		ts := day.Add(time.Duration(i)*time.Second*3601 + 250*time.Millisecond)
		row[3], exp[3] = float64(ts.Unix()-spssBase.Unix())+0.25, ts
		row[4], exp[4] = float64(i*61)+0.5, time.Duration(i*61)*time.Second+500*time.Millisecond
		switch i % 3 {
		case 0:
			row[5], exp[5] = "NA", nil
		case 1:
			row[5], exp[5] = "a", "a"
		default:
			row[5], exp[5] = "", ""
		}
		switch i % 3 {
		case 0:
			row[6], exp[6] = "zzz", nil
		case 1:
			row[6], exp[6] = "hello", "hello"
		default:
			s := fmt.Sprintf("%020d", i) // exactly the width
			row[6], exp[6] = s, s
		}
		var sb strings.Builder
		for k := 0; sb.Len() < 600-i%7; k++ {
			fmt.Fprintf(&sb, "%c", 'A'+rune((k+i)%26))
		}
		vls := sb.String()
		if i%6 == 0 {
			vls = "é short"
		}
		row[7], exp[7] = vls, vls
		if i%2 == 0 {
			row[8], exp[8] = -1e308, nil
		} else {
			row[8], exp[8] = 0.5, 0.5
		}
		f.rows = append(f.rows, row)
		want = append(want, exp)
	}
	return f, want
}

func orderName(o binary.ByteOrder) string {
	if o == binary.BigEndian {
		return "BE"
	}
	return "LE"
}

func TestGeneratedRoundTrip(t *testing.T) {
	for _, order := range []byteOrder{binary.LittleEndian, binary.BigEndian} {
		for _, comp := range []int{0, 1, 2} {
			for _, unknownCount := range []bool{false, true} {
				t.Run(fmt.Sprintf("%s/compression%d/unknown=%v", orderName(order), comp, unknownCount), func(t *testing.T) {
					f, want := richFile(order, comp, 40)
					if unknownCount {
						n := -1
						f.ncases = &n
					}
					tb, err := openBytes(t.Context(), f.bytes(), formats.Options{})
					require.NoError(t, err)
					require.Equal(t, "Generated test file", tb.Label)
					if unknownCount {
						require.Equal(t, int64(-1), tb.RowCount)
					} else {
						require.Equal(t, int64(40), tb.RowCount)
					}
					var names, fmts []string
					var kinds []formats.Kind
					for _, c := range tb.Columns {
						names = append(names, c.Name)
						fmts = append(fmts, c.Format)
						kinds = append(kinds, c.Kind)
					}
					require.Equal(t, []string{"Number", "RNG", "D", "TS", "TM", "S", "long_string_name", "VeryLongString", "LOWHI"}, names)
					require.Equal(t, []string{"F8.2", "F8.2", "DATE11", "DATETIME23.2", "TIME11.2", "A3", "A20", "A600", "F8.2"}, fmts)
					require.Equal(t, []formats.Kind{formats.Float64, formats.Float64, formats.Date, formats.Timestamp, formats.Time,
						formats.String, formats.String, formats.String, formats.Float64}, kinds)
					require.Equal(t, "A number", tb.Columns[0].Label)
					require.Equal(t, "Very long", tb.Columns[7].Label)
					require.Equal(t, map[any]string{1.0: "one", 2.0: "two"}, tb.Columns[0].ValueLabels)
					require.Equal(t, map[any]string{"a": "Alpha"}, tb.Columns[5].ValueLabels)
					require.Equal(t, map[any]string{"hello": "Hello label"}, tb.Columns[6].ValueLabels)
					got := formatstest.ReadAll(t, tb)
					require.Equal(t, want, got)
				})
			}
		}
	}
}

func TestEncodings(t *testing.T) {
	tests := []struct {
		name     string
		encoding string
		charCode int32
		override string
		raw      string
		want     string
	}{
		{"default windows-1252", "", 0, "", "caf\xe9 \x80", "café €"},
		{"code page 1251", "", 1251, "", "\xc0\xe1", "Аб"},
		{"code page 65001", "", 65001, "", "ñ", "ñ"},
		{"encoding record wins", "windows-1250", 1252, "", "\x8a", "Š"},
		{"utf-8 record", "UTF-8", 0, "", "日本", "日本"},
		{"invalid utf-8 repaired", "UTF-8", 0, "", "a\xffb", "a\uFFFDb"},
		{"override", "UTF-8", 0, "ISO-8859-7", "\xe1", "α"},
		{"shift_jis", "Shift_JIS", 0, "", "\x93\xfa", "日"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := &tfile{
				encoding: tt.encoding, charCode: tt.charCode, label: tt.raw,
				vars: []tvar{{name: "S", width: 16, label: tt.raw, strLabels: map[string]string{tt.raw: tt.raw}}},
				rows: [][]any{{tt.raw}},
			}
			tb, err := openBytes(t.Context(), f.bytes(), formats.Options{Encoding: tt.override})
			require.NoError(t, err)
			require.Equal(t, tt.want, tb.Label)
			require.Equal(t, tt.want, tb.Columns[0].Label)
			require.Equal(t, map[any]string{tt.want: tt.want}, tb.Columns[0].ValueLabels)
			got := formatstest.ReadAll(t, tb)
			require.Equal(t, [][]any{{tt.want}}, got)
		})
	}
}

func TestUnknownEncoding(t *testing.T) {
	f := &tfile{encoding: "x-no-such-charset", vars: []tvar{{name: "S", width: 4}}, rows: [][]any{{"a"}}}
	_, err := openBytes(t.Context(), f.bytes(), formats.Options{})
	require.ErrorIs(t, err, formats.ErrUnsupported)
	require.ErrorContains(t, err, "x-no-such-charset")
}

func TestMaxCellBytes(t *testing.T) {
	f := &tfile{encoding: "UTF-8", vars: []tvar{{name: "S", width: 300}}, rows: [][]any{{strings.Repeat("é", 150)}}}
	tb, err := openBytes(t.Context(), f.bytes(), formats.Options{MaxCellBytes: 5})
	require.NoError(t, err)
	got := formatstest.ReadAll(t, tb)
	require.Equal(t, "éé", got[0][0])
}

// countingReader records which byte ranges were read.
type countingReader struct {
	r      io.ReaderAt
	mu     sync.Mutex
	bytes  int64
	ranges [][2]int64
}

func (c *countingReader) ReadAt(p []byte, off int64) (int, error) {
	n, err := c.r.ReadAt(p, off)
	c.mu.Lock()
	c.bytes += int64(n)
	c.ranges = append(c.ranges, [2]int64{off, off + int64(n)})
	c.mu.Unlock()
	return n, err
}

func (c *countingReader) touched(from, to int64) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, r := range c.ranges {
		if r[0] < to && from < r[1] {
			return true
		}
	}
	return false
}

// TestLazy checks that rows are read on demand: after the first row only a
// buffer's worth of the data has been touched, and the last zlib block of a
// .zsav file has not been read.
func TestLazy(t *testing.T) {
	for _, comp := range []int{0, 1, 2} {
		t.Run(fmt.Sprintf("compression%d", comp), func(t *testing.T) {
			f, _ := richFile(binary.LittleEndian, comp, 4000)
			f.blockSize = 64 << 10
			b := f.bytes()
			cr := &countingReader{r: bytes.NewReader(b)}
			tabs, err := Open(t.Context(), cr, int64(len(b)), formats.Options{})
			require.NoError(t, err)
			dst := formats.NewBatch(tabs[0].Columns, 1)
			require.NoError(t, tabs[0].Rows.Next(dst))
			require.Less(t, cr.bytes, int64(len(b))/2, "file is %d bytes", len(b))
			if comp == 2 {
				// The last block table entry ends the file: its block
				// must not have been read yet.
				e := b[len(b)-24:]
				cofs := int64(binary.LittleEndian.Uint64(e[8:]))
				csize := int64(binary.LittleEndian.Uint32(e[20:]))
				require.False(t, cr.touched(cofs, cofs+csize), "last zlib block was read before it was needed")
			}
			n := 1
			for {
				err := tabs[0].Rows.Next(dst)
				if err == io.EOF {
					break
				}
				require.NoError(t, err)
				n += dst.Len
			}
			require.Equal(t, 4000, n)
		})
	}
}

// TestSharedLabels checks that one value label record naming many variables
// is cheap (its map is shared) and that a variable labelled by two records
// gets both sets.
func TestSharedLabels(t *testing.T) {
	shared := map[float64]string{}
	for i := range 200 {
		shared[float64(i)] = fmt.Sprintf("label %d", i)
	}
	f := &tfile{sharedLabels: shared}
	for i := range 3000 {
		f.vars = append(f.vars, tvar{name: fmt.Sprintf("V%d", i)})
	}
	f.vars[0].numLabels = map[float64]string{1000: "own"}
	row := make([]any, len(f.vars))
	for i := range row {
		row[i] = float64(i)
	}
	f.rows = [][]any{row}
	data := f.bytes()
	var tb *formats.Table
	var err error
	alloc := formatstest.Allocated(func() { tb, err = openBytes(t.Context(), data, formats.Options{}) })
	require.NoError(t, err)
	require.Less(t, alloc, uint64(64<<20), "the shared labels are not copied per variable")
	require.Len(t, tb.Columns[0].ValueLabels, 201)
	require.Equal(t, "own", tb.Columns[0].ValueLabels[1000.0])
	require.Equal(t, "label 7", tb.Columns[0].ValueLabels[7.0])
	require.Len(t, tb.Columns[2999].ValueLabels, 200)
	require.Equal(t, "label 199", tb.Columns[2999].ValueLabels[199.0])
}

func TestDuplicateNames(t *testing.T) {
	f := &tfile{}
	for i := range 2000 {
		f.vars = append(f.vars, tvar{name: fmt.Sprintf("V%d", i), long: "same"})
	}
	f.vars[1].long = "same_2" // collides with a generated name
	f.rows = [][]any{make([]any, len(f.vars))}
	tb, err := openBytes(t.Context(), f.bytes(), formats.Options{})
	require.NoError(t, err)
	seen := map[string]bool{}
	for _, c := range tb.Columns {
		require.False(t, seen[strings.ToUpper(c.Name)], c.Name)
		seen[strings.ToUpper(c.Name)] = true
	}
	require.Equal(t, "same", tb.Columns[0].Name)
	require.Equal(t, "same_2", tb.Columns[1].Name)
	require.Equal(t, "same_3", tb.Columns[2].Name)
}
