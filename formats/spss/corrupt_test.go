package spss

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"runtime"
	"testing"

	"github.com/stretchr/testify/require"

	"datachat/formats"
	"datachat/formats/formatstest"
)

// openAndRead opens b and reads every row; it returns the first error.
func openAndRead(t *testing.T, b []byte) ([][]any, error) {
	tb, err := openBytes(t.Context(), b, formats.Options{})
	if err != nil {
		return nil, err
	}
	return formatstest.Rows(tb, 0)
}

// smallFile has a fixed layout whose offsets the mutations below rely on:
//
//	176 NUM: type 0 at 180, label flag 184, missing count 188, label length 208,
//	    label "lab" 212, missing value 216
//	224 S: type 10 at 228, 256 its continuation (type at 260)
//	288 value label record: count 292, value 296, label 304; 312 type 4 record:
//	    count 316, index 320
//	324 machine floating-point record: size 332, count 336
func smallFile(compression int) *tfile {
	return &tfile{
		compression: compression,
		vars: []tvar{
			{name: "NUM", label: "lab", missing: []float64{1}, numLabels: map[float64]string{2: "one"}},
			{name: "S", width: 10},
		},
		rows: [][]any{{1.0, "x"}, {2.0, "yy"}, {3.5, "zzz"}},
	}
}

func put32(b []byte, off int, v int32) []byte {
	c := bytes.Clone(b)
	binary.LittleEndian.PutUint32(c[off:], uint32(v))
	return c
}

func get32(b []byte, off int) int32 { return int32(binary.LittleEndian.Uint32(b[off:])) }

func TestSmallFileLayout(t *testing.T) {
	b := smallFile(0).bytes()
	require.Equal(t, int32(2), get32(b, 176))
	require.Equal(t, int32(3), get32(b, 208))
	require.Equal(t, int32(10), get32(b, 228))
	require.Equal(t, int32(-1), get32(b, 260))
	require.Equal(t, int32(3), get32(b, 288))
	require.Equal(t, int32(4), get32(b, 312))
	require.Equal(t, int32(1), get32(b, 320))
	require.Equal(t, int32(7), get32(b, 324))
	require.Equal(t, int32(4), get32(b, 328))
}

func TestCorrupt(t *testing.T) {
	plain := smallFile(0).bytes()
	bytecode := smallFile(1).bytes()
	tests := []struct {
		name string
		file []byte
		want string
	}{
		{"empty", nil, "shorter than"},
		{"header only", plain[:176], "truncated"},
		{"magic", append([]byte("ABCD"), plain[4:]...), "not an SPSS system file"},
		{"layout code", put32(plain, 64, 77), "layout code"},
		{"compression code", put32(plain, 72, 9), "compression code 9"},
		{"label flag", put32(plain, 184, 7), "label flag"},
		{"huge label", put32(plain, 208, 0x7fffffff), "label length"},
		{"negative label", put32(plain, 208, -4), "label length"},
		{"missing count", put32(plain, 188, 5), "missing value count 5"},
		{"string width", put32(plain, 228, 300), "type 300"},
		{"continuation of a number", put32(plain, 228, 0), "continues a string"},
		{"missing continuation", put32(plain, 228, 20), "lacks"},
		{"value label count", put32(plain, 292, 0x7fffffff), "claims 2147483647 labels"},
		{"value label index", put32(plain, 320, 99), "index 99"},
		{"value label index on continuation", put32(plain, 320, 3), "index 3"},
		{"value label variable count", put32(plain, 316, 1<<30), "lists 1073741824 variables"},
		{"no variables record", put32(plain, 312, 6), "instead of 4"},
		{"unknown record", put32(plain, 288, 42), "unknown record type 42"},
		{"extension size", put32(plain, 332, 0x10000000), "claims"},
		{"extension negative", put32(plain, 336, -1), "negative"},
		{"machine float shape", put32(plain, 336, 2), "expected size 8"},
		{"cases beyond data", put32(plain, 80, 1000000), "announces 1000000 cases"},
		{"compressed cases beyond data", put32(bytecode, 80, 7), "data ends after 3 cases"},
		{"uncompressed partial case", plain[:len(plain)-5], "announces 3 cases"},
		{"no dictionary end", plain[:324], "truncated"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := openAndRead(t, tt.file)
			require.ErrorIs(t, err, formats.ErrCorrupt)
			require.ErrorContains(t, err, tt.want)
		})
	}
}

func TestCorruptUnknownCount(t *testing.T) {
	f := smallFile(0)
	n := -1
	f.ncases = &n
	b := f.bytes()
	_, err := openAndRead(t, b[:len(b)-5])
	require.ErrorIs(t, err, formats.ErrCorrupt)
	require.ErrorContains(t, err, "into a 24-byte case")

	f.compression = 1
	b = f.bytes()
	// Drop the end-of-data code block and the last literal: the last case is cut.
	_, err = openAndRead(t, b[:len(b)-16])
	require.ErrorIs(t, err, formats.ErrCorrupt)
	require.ErrorContains(t, err, "read case 3")
}

func TestCorruptVeryLongString(t *testing.T) {
	f := &tfile{vars: []tvar{{name: "VLS", width: 600}}, rows: [][]any{{"x"}}}
	b := f.bytes()
	for _, tt := range []struct{ from, to, want string }{
		{"VLS=00600", "VLS=0060x", "width"},
		{"VLS=00600", "VLS=09000", "segments"},
		{"VLS=00600", "VLS 00600", "no '='"},
	} {
		c := bytes.Replace(b, []byte(tt.from), []byte(tt.to), 1)
		require.NotEqual(t, b, c)
		_, err := openAndRead(t, c)
		require.ErrorIs(t, err, formats.ErrCorrupt, tt.to)
		require.ErrorContains(t, err, tt.want)
	}
}

func TestCorruptLongStringRecords(t *testing.T) {
	f := &tfile{vars: []tvar{{name: "LS", width: 20, strMiss: []string{"a"}, strLabels: map[string]string{"a": "b"}}}, rows: [][]any{{"x"}}}
	b := f.bytes()
	// The subtype 22 record ends the dictionary: its count byte is 21 bytes
	// before the 999 record (name length 4, "LS", count, value length, value).
	end := bytes.LastIndex(b, []byte{0xe7, 3, 0, 0, 0, 0, 0, 0})
	require.Positive(t, end)
	c := bytes.Clone(b)
	require.Equal(t, byte(1), c[end-13])
	c[end-13] = 9
	_, err := openAndRead(t, c)
	require.ErrorIs(t, err, formats.ErrCorrupt)
	require.ErrorContains(t, err, "9 missing values")
	// A name length beyond the record.
	c = put32(b, end-19, 1000)
	_, err = openAndRead(t, c)
	require.ErrorIs(t, err, formats.ErrCorrupt)
	require.ErrorContains(t, err, "claims 1000 bytes")
}

// zsavParts builds a .zsav file and returns it with the offsets of its zlib
// header and trailer.
func zsavParts(t *testing.T) (b []byte, zheader, ztrailer int) {
	f := smallFile(2)
	f.blockSize = 16
	b = f.bytes()
	zheader = f.dataOffset
	ztrailer = int(binary.LittleEndian.Uint64(b[zheader+8:]))
	require.Equal(t, int64(zheader), int64(binary.LittleEndian.Uint64(b[zheader:])))
	return b, zheader, ztrailer
}

func TestCorruptZlib(t *testing.T) {
	b, zh, zt := zsavParts(t)
	nblocks := int(get32(b, zt+20))
	require.Greater(t, nblocks, 2)
	entry := func(i int) int { return zt + 24 + 24*i }
	flip := bytes.Clone(b)
	flip[int(binary.LittleEndian.Uint64(b[entry(1)+8:]))+4] ^= 0x55
	tests := []struct {
		name string
		file []byte
		want string
	}{
		{"header offset", put32(b, zh, int32(zh+8)), "does not match"},
		{"trailer offset", put32(b, zh+8, 1<<30), "trailer offset"},
		{"trailer length", put32(b, zh+16, 25), "trailer length"},
		{"block count", put32(b, zt+20, int32(nblocks+5)), "claims"},
		{"block size", put32(b, zt+16, 0), "block size"},
		{"block outside", put32(b, entry(0)+8, 3), "outside"},
		{"block overlaps", put32(b, entry(1)+8, int32(binary.LittleEndian.Uint64(b[entry(0)+8:]))), "outside"},
		{"bomb ratio", put32(put32(b, zt+16, 1<<30), entry(0)+16, 1<<30), "claims 1073741824 uncompressed bytes"},
		{"inflates to more", put32(b, entry(0)+16, 8), "inflates to more"},
		{"inflates to fewer", put32(put32(b, zt+16, 64), entry(0)+16, get32(b, entry(0)+16)+8), "fewer"},
		{"damaged deflate data", flip, "zlib block 1"},
		{"cut trailer", b[:len(b)-10], "trailer length"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := openAndRead(t, tt.file)
			require.ErrorIs(t, err, formats.ErrCorrupt)
			require.ErrorContains(t, err, tt.want)
		})
	}
}

// TestZlibBomb checks that a block which really inflates 1000-fold (32 MiB
// of zeros, which the bytecode decoder skips as padding) is read as a
// stream, in bounded memory, and ends with a clear error. Work is counted
// (bytes allocated), not timed: the test must hold on a loaded machine.
func TestZlibBomb(t *testing.T) {
	f := smallFile(2)
	dict := f.bytes()[:f.dataOffset]
	w := &wbuf{order: binary.LittleEndian}
	w.Write(dict)
	writeZlib(w, make([]byte, 32<<20), int64(len(dict)), 32<<20)
	b := w.Bytes()
	require.Less(t, len(b), 200<<10)

	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, err := openAndRead(t, b)
	runtime.ReadMemStats(&after)
	require.ErrorIs(t, err, formats.ErrCorrupt)
	require.ErrorContains(t, err, "data ends after 0 cases")
	require.Less(t, after.TotalAlloc-before.TotalAlloc, uint64(8<<20), "allocated while inflating")
}

// TestTruncations cuts files at every length: each prefix must either fail
// with ErrCorrupt or, when only the end-of-data marker was lost, give the
// same rows.
func TestTruncations(t *testing.T) {
	for comp := range 3 {
		t.Run(fmt.Sprintf("compression%d", comp), func(t *testing.T) {
			f := smallFile(comp)
			f.blockSize = 16
			b := f.bytes()
			full, err := openAndRead(t, b)
			require.NoError(t, err)
			for n := range len(b) {
				rows, err := openAndRead(t, b[:n])
				if err != nil {
					require.ErrorIs(t, err, formats.ErrCorrupt, "prefix %d", n)
					continue
				}
				require.Equal(t, full, rows, "prefix %d read without error", n)
			}
		})
	}
}

func TestUnsupported(t *testing.T) {
	b := smallFile(0).bytes()
	_, err := openAndRead(t, append([]byte("\x5b\xc6\xd3\xf2"), b[4:]...))
	require.ErrorIs(t, err, formats.ErrUnsupported)

	f := smallFile(0)
	f.charCode = 1252
	b = f.bytes()
	// Machine integer info: floating-point representation is the 5th int32.
	i := bytes.Index(b, []byte{7, 0, 0, 0, 3, 0, 0, 0, 4, 0, 0, 0, 8, 0, 0, 0})
	require.Positive(t, i)
	_, err = openAndRead(t, put32(b, i+16+16, 2))
	require.ErrorIs(t, err, formats.ErrUnsupported)
	require.ErrorContains(t, err, "floating-point representation 2")
}

func TestContextCanceled(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	b := smallFile(0).bytes()
	_, err := openBytes(ctx, b, formats.Options{})
	require.ErrorIs(t, err, ctx.Err())
}
