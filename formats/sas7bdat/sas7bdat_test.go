package sas7bdat

import (
	"bytes"
	"context"
	"encoding/binary"
	"os"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/require"

	"datachat/formats"
	"datachat/formats/formatstest"
)

func TestMetadata(t *testing.T) {
	tests := []struct {
		file      string
		label     string
		column    string
		kind      formats.Kind
		format    string
		colLabel  string
		rowCount  int64
		firstCell any
	}{
		{"productsales.sas7bdat", "Furniture sales data", "MONTH", formats.Date, "MONNAME", "Month", 1440, nil},
		{"productsales.sas7bdat", "Furniture sales data", "COUNTRY", formats.String, "$CHAR", "Country", 1440, "CANADA"},
		{"file_with_label.sas7bdat", "test", "a", formats.Float64, "", "", 2, 1.0},
		{"sample.sas7bdat", "", "mydate", formats.Date, "YYMMDD", "", 5, time.Date(2018, 5, 6, 0, 0, 0, 0, time.UTC)},
		{"sample.sas7bdat", "", "dtime", formats.Timestamp, "DATETIME", "", 5, time.Date(2018, 5, 6, 10, 10, 10, 0, time.UTC)},
		{"sample.sas7bdat", "", "mytime", formats.Time, "TIME", "", 5, 10*time.Hour + 10*time.Minute + 10*time.Second},
		// 64-bit big-endian (SunOS).
		{"datetime.sas7bdat", "", "mtg", formats.Date, "", "", 5, time.Date(2017, 11, 24, 0, 0, 0, 0, time.UTC)},
		{"datetime.sas7bdat", "", "dt", formats.Timestamp, "", "", 5, time.Date(2018, 3, 17, 0, 0, 0, 0, time.UTC)},
		// Big5 / CP950 strings.
		{"cp950.sas7bdat", "", "VAR1", formats.String, "$", "", 1, "我愛你"},
		// Stat/Transfer file with unaligned mix-page rows and 3-byte numbers.
		{"types.sas7bdat", "types dataset written by Stat/Transfer Ver. 13.2.781.0503", "vlong", formats.Float64, "", "", 3, 2.0},
		{"zero_variables.sas7bdat", "", "", formats.String, "", "", 0, nil},
	}
	for _, tc := range tests {
		t.Run(tc.file+"/"+tc.column, func(t *testing.T) {
			tab, rows := readFile(t, tc.file)
			require.Equal(t, tc.label, tab.Label)
			require.Equal(t, tc.rowCount, tab.RowCount)
			require.Len(t, rows, int(tc.rowCount))
			if tc.column == "" {
				require.Empty(t, tab.Columns)
				return
			}
			idx := -1
			for i, c := range tab.Columns {
				if c.Name == tc.column {
					idx = i
				}
			}
			require.GreaterOrEqual(t, idx, 0, "column %s", tc.column)
			c := tab.Columns[idx]
			require.Equal(t, tc.kind, c.Kind)
			if tc.format != "" {
				require.Equal(t, tc.format, c.Format)
			}
			require.Equal(t, tc.colLabel, c.Label)
			if tc.firstCell != nil {
				require.Equal(t, tc.firstCell, rows[0][idx])
			}
		})
	}
}

func TestMalformedUTF8(t *testing.T) {
	tab, rows := readFile(t, "malformed_utf8.sas7bdat")
	require.NotEmpty(t, rows)
	sawReplacement := false
	for _, r := range rows {
		for i, v := range r {
			s, ok := v.(string)
			if !ok {
				continue
			}
			require.True(t, utf8.ValidString(s), "column %s: %q", tab.Columns[i].Name, s)
			sawReplacement = sawReplacement || strings.ContainsRune(s, utf8.RuneError)
		}
	}
	require.True(t, sawReplacement, "invalid bytes should become U+FFFD")
	require.Equal(t, "café", rows[0][2])
}

func TestOptions(t *testing.T) {
	data, err := os.ReadFile("testdata/cp950.sas7bdat")
	require.NoError(t, err)
	// Overriding the declared code page changes the decoding, and the
	// result is still valid UTF-8.
	_, rows, err := readAll(t.Context(), data, formats.Options{Encoding: "latin1"})
	require.NoError(t, err)
	s := rows[0][0].(string)
	require.NotEqual(t, "我愛你", s)
	require.True(t, utf8.ValidString(s))

	_, _, err = readAll(t.Context(), data, formats.Options{Encoding: "no-such-code-page"})
	require.ErrorIs(t, err, formats.ErrUnsupported)

	_, rows, err = readAll(t.Context(), data, formats.Options{MaxCellBytes: 4})
	require.NoError(t, err)
	require.Equal(t, "我", rows[0][0], "cap cuts at a rune boundary")
}

func TestCancel(t *testing.T) {
	data, err := os.ReadFile("testdata/barrows.sas7bdat")
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(t.Context())
	tabs, err := Open(ctx, bytes.NewReader(data), int64(len(data)), formats.Options{})
	require.NoError(t, err)
	cancel()
	b := formats.NewBatch(tabs[0].Columns, formats.BatchSize)
	for {
		if err = tabs[0].Rows.Next(b); err != nil {
			break
		}
	}
	require.ErrorIs(t, err, context.Canceled)
}

// sigOffset finds a subheader signature in a file image.
func sigOffset(t *testing.T, data []byte, sig uint32) int {
	t.Helper()
	var b [4]byte
	binary.LittleEndian.PutUint32(b[:], sig)
	i := bytes.Index(data, b[:])
	require.GreaterOrEqual(t, i, 0)
	return i
}

// TestCorrupt damages real files (test1: 32-bit LE uncompressed, test2: RLE,
// test3: RDC) and checks that each read ends quickly with an error wrapping
// formats.ErrCorrupt, or reads what is there when the damage is harmless.
func TestCorrupt(t *testing.T) {
	load := func(name string) []byte {
		d, err := os.ReadFile("testdata/" + name)
		require.NoError(t, err)
		return d
	}
	le := binary.LittleEndian
	tests := []struct {
		name    string
		file    string
		damage  func(d []byte) []byte
		wantErr string // "" = must read without error
	}{
		{"empty", "test1.sas7bdat", func(d []byte) []byte { return nil }, "too short"},
		{"bad magic", "test1.sas7bdat", func(d []byte) []byte { d[13] ^= 0xFF; return d }, "bad magic"},
		{"header only", "test1.sas7bdat", func(d []byte) []byte { return d[:300] }, "header length"},
		{"page size zero", "test1.sas7bdat", func(d []byte) []byte { le.PutUint32(d[200:], 0); return d }, "page size"},
		{"header length huge", "test1.sas7bdat", func(d []byte) []byte { le.PutUint32(d[196:], 1<<30); return d }, "header length"},
		{"page count lies high", "test1.sas7bdat", func(d []byte) []byte { le.PutUint32(d[204:], 0x7FFFFFFF); return d }, ""},
		{"row count lies high", "test1.sas7bdat", func(d []byte) []byte {
			le.PutUint32(d[sigOffset(t, d, sigRowSize)+24:], 0x7FFFFFFF)
			return d
		}, "file ends after 10 of the 2147483647 rows"},
		{"row length huge", "test1.sas7bdat", func(d []byte) []byte {
			le.PutUint32(d[sigOffset(t, d, sigRowSize)+20:], 0x7FFFFFFF)
			return d
		}, "row length"},
		{"column count huge", "test1.sas7bdat", func(d []byte) []byte {
			le.PutUint32(d[sigOffset(t, d, sigColSize)+4:], 0x7FFFFFFF)
			return d
		}, "column count"},
		{"more columns than described", "test1.sas7bdat", func(d []byte) []byte {
			le.PutUint32(d[sigOffset(t, d, sigColSize)+4:], 5000)
			return d
		}, "declares 5000 columns"},
		{"subheader count too large", "test1.sas7bdat", func(d []byte) []byte {
			hdr := int(le.Uint32(d[196:]))
			le.PutUint16(d[hdr+20:], 0xFFFF)
			return d
		}, "do not fit"},
		{"subheader pointer outside page", "test1.sas7bdat", func(d []byte) []byte {
			hdr := int(le.Uint32(d[196:]))
			le.PutUint32(d[hdr+24:], 0x7FFFFFF0)
			return d
		}, "outside"},
		{"truncated mid-file", "test1.sas7bdat", func(d []byte) []byte { return d[:len(d)-1000] }, "truncated"},
		{"RLE row garbage", "test2.sas7bdat", func(d []byte) []byte { return corruptRows(t, d, 0x3F) }, "RLE"},
		{"RDC row garbage", "test3.sas7bdat", func(d []byte) []byte { return corruptRows(t, d, 0xFF) }, "row subheader"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			data := tc.damage(bytes.Clone(load(tc.file)))
			var err error
			alloc := formatstest.Allocated(func() { _, _, err = readAll(t.Context(), data, formats.Options{}) })
			formatstest.RequireCorrupt(t, err, tc.wantErr)
			require.Less(t, alloc, uint64(64<<20), "work stays bounded")
		})
	}
}

// corruptRows overwrites the compressed row subheaders (compression byte 4)
// of the first page holding them with fill.
func corruptRows(t *testing.T, d []byte, fill byte) []byte {
	t.Helper()
	le := binary.LittleEndian
	u64 := d[32] == 0x33
	a1 := 0
	if d[35] == 0x33 {
		a1 = 4
	}
	hdr := int(le.Uint32(d[196+a1:]))
	ptrLen, pageHdr, w, o := 12, 24, 4, 16
	if u64 {
		ptrLen, pageHdr, w, o = 24, 40, 8, 32
	}
	n := int(le.Uint16(d[hdr+o+4:]))
	hit := 0
	for i := 0; i < n; i++ {
		p := d[hdr+pageHdr+i*ptrLen:]
		off, ln := int(le.Uint32(p)), int(le.Uint32(p[w:]))
		if p[2*w] == compRLE && ln > 0 {
			for k := 0; k < ln; k++ {
				d[hdr+off+k] = fill
			}
			hit++
		}
	}
	require.Positive(t, hit, "no compressed rows on the first page")
	return d
}

func TestRLE(t *testing.T) {
	// Example 1 of the SAS7BDAT notes: copy 8, 4 zeros, copy 11, 2 '@'.
	src := []byte{0x87, 'A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 0xF2, 0x8A,
		'1', '2', '3', '4', '5', '6', '7', '8', '9', 'A', 'B', 0xD0, 0xC1, 0x99}
	dst := make([]byte, 29)
	require.NoError(t, rleDecompress(dst, src))
	require.Error(t, rleDecompress(make([]byte, 30), src), "short of the row length")
	want := "ABCDEFGH\x00\x00\x00\x00123456789AB@@\x99\x99\x99\x99"
	require.Equal(t, want, string(dst))

	require.ErrorIs(t, rleDecompress(make([]byte, 3), []byte{0xF5}), errOverflow)
	require.Error(t, rleDecompress(make([]byte, 30), []byte{0x87, 'A'}), "literal past the input")
	require.Error(t, rleDecompress(make([]byte, 30), []byte{0x60}), "missing length byte")
}

func TestRDC(t *testing.T) {
	// Control word 0b0110...: literal 'a', short run of 'b' x3, short
	// back-reference of 3 bytes from 3 back, then literals.
	src := []byte{0x60, 0x00, 'a', 0x00, 'b', 0x30, 0x00, 'c'}
	dst := make([]byte, 8)
	require.NoError(t, rdcDecompress(dst, src))
	require.Equal(t, "abbbbbbc", string(dst))

	require.Error(t, rdcDecompress(make([]byte, 8), []byte{0x80, 0x00, 0x30, 0x05}), "back-reference before start")
	require.ErrorIs(t, rdcDecompress(make([]byte, 2), []byte{0x80, 0x00, 0x05, 'x'}), errOverflow)
}

func TestKindForFormat(t *testing.T) {
	tests := []struct {
		format string
		want   formats.Kind
	}{
		{"DATE9.", formats.Date}, {"date", formats.Date}, {"MMDDYY10.", formats.Date},
		{"YYMMDD", formats.Date}, {"DDMMYY8.", formats.Date}, {"E8601DA", formats.Date},
		{"DATETIME20.", formats.Timestamp}, {"E8601DT", formats.Timestamp},
		{"TIME8.", formats.Time}, {"HHMM", formats.Time},
		{"BEST12.", formats.Float64}, {"", formats.Float64}, {"$CHAR", formats.Float64}, {"DATEX", formats.Float64},
	}
	for _, tc := range tests {
		require.Equal(t, tc.want, KindForFormat(tc.format), tc.format)
	}
}

func TestNumberWidths(t *testing.T) {
	// 1.5 = 0x3FF8000000000000; truncated forms keep the high bytes.
	for w := 1; w <= 8; w++ {
		be := []byte{0x3F, 0xF8, 0, 0, 0, 0, 0, 0}[:w]
		lead := []byte{0, 0, 0, 0, 0, 0, 0xF8, 0x3F}
		lee := lead[8-w:]
		if w >= 2 {
			v, ok := number(be, false)
			require.True(t, ok)
			require.Equal(t, 1.5, v, "big-endian width %d", w)
			v, ok = number(lee, true)
			require.True(t, ok)
			require.Equal(t, 1.5, v, "little-endian width %d", w)
		}
	}
	// SAS missing values are NaNs: . (0xFFFFFE...) and .A (0xFFFFFD...).
	for _, b := range [][]byte{{0xFF, 0xFF, 0xFE}, {0xFF, 0xFF, 0xFD, 0, 0, 0, 0, 0}} {
		_, ok := number(b, false)
		require.False(t, ok)
	}
}

// TestDeletedBitmap marks two rows of a data page deleted, the way SAS does
// for uncompressed files (page type flag 0x80, a pointer at page offset 12
// and one bit per row after the rows), and checks they are skipped.
func TestDeletedBitmap(t *testing.T) {
	orig, err := os.ReadFile("testdata/productsales.sas7bdat")
	require.NoError(t, err)
	_, want, err := readAll(t.Context(), orig, formats.Options{})
	require.NoError(t, err)

	data := bytes.Clone(orig)
	f, err := openFile(t.Context(), bytes.NewReader(data), int64(len(data)), formats.Options{})
	require.NoError(t, err)
	le := binary.LittleEndian
	page := int(f.hdrLen + f.pageSize) // page 1: a data page
	require.Equal(t, uint16(pageData), le.Uint16(data[page+16:]))
	onPage := int(le.Uint16(data[page+18:]))
	le.PutUint16(data[page+16:], pageData|pageDeleted)
	const gap = 8
	le.PutUint32(data[page+12:], gap)
	bm := page + f.pageHdr + gap + onPage*int(f.rowLength)
	require.LessOrEqual(t, bm+(onPage+7)/8, page+int(f.pageSize))
	clear(data[bm : bm+(onPage+7)/8])
	data[bm] = 0x80 | 0x04 // rows 0 and 5 of the page

	_, got, err := readAll(t.Context(), data, formats.Options{})
	require.NoError(t, err)
	// Page 0 (a mix page) holds the first rows; page 1 starts after them.
	pi, err := f.parsePageHeader(0, orig[f.hdrLen:f.hdrLen+f.pageSize])
	require.NoError(t, err)
	first := pi.blockCount - pi.subCount
	expect := append([][]any{}, want[:first]...)
	for i, r := range want[first:] {
		if i != 0 && i != 5 {
			expect = append(expect, r)
		}
	}
	require.Equal(t, expect, got)
}
