package xlsx

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"encoding/binary"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"datachat/formats"
	"datachat/formats/formatstest"
)

var smallBook = testBook{sheets: []testSheet{{name: "S", data: `<row r="1"><c r="A1" t="inlineStr"><is><t>h</t></is></c></row><row r="2"><c r="A2"><v>1</v></c></row>`}}}

// rewriteSheet copies the zip b, replacing xl/worksheets/sheet1.xml by a raw
// deflate stream of body whose header claims claimed uncompressed bytes.
func rewriteSheet(t *testing.T, b []byte, body []byte, claimed uint64) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	require.NoError(t, err)
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, f := range zr.File {
		if f.Name != "xl/worksheets/sheet1.xml" {
			require.NoError(t, zw.Copy(f))
			continue
		}
		var comp bytes.Buffer
		fw, err := flate.NewWriter(&comp, flate.BestCompression)
		require.NoError(t, err)
		_, err = fw.Write(body)
		require.NoError(t, err)
		require.NoError(t, fw.Close())
		w, err := zw.CreateRaw(&zip.FileHeader{
			Name:               f.Name,
			Method:             zip.Deflate,
			CompressedSize64:   uint64(comp.Len()),
			UncompressedSize64: claimed,
		})
		require.NoError(t, err)
		_, err = w.Write(comp.Bytes())
		require.NoError(t, err)
	}
	require.NoError(t, zw.Close())
	return out.Bytes()
}

func TestHostile(t *testing.T) {
	good := smallBook.build(t)
	sheet := []byte(`<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1"><v>1</v></c></row></sheetData></worksheet>`)

	notBook := func() []byte {
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		w, _ := zw.Create("hello.txt")
		w.Write([]byte("hello"))
		zw.Close()
		return buf.Bytes()
	}()
	cfb := append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 1000)...)

	tests := []struct {
		name string
		data []byte
		is   error
		want string
	}{
		{"empty file", nil, formats.ErrCorrupt, "does not start like one"},
		{"text file", []byte("a,b\n1,2\n"), formats.ErrCorrupt, "does not start like one"},
		{"truncated zip", good[:len(good)/2], formats.ErrCorrupt, "damaged or truncated"},
		{"zip that is not a workbook", notBook, formats.ErrCorrupt, "not an Excel workbook"},
		{"legacy xls", cfb, formats.ErrUnsupported, "legacy binary Excel (.xls)"},
		{"sheet claiming 10 GB", rewriteSheet(t, good, sheet, 10<<30), formats.ErrCorrupt, "claims 10737418240 bytes"},
		{"sheet claiming 2 GB", rewriteSheet(t, good, sheet, 2<<30), formats.ErrCorrupt, "claims 2147483648 bytes"},
		{"sheet longer than it claims", rewriteSheet(t, good, sheet, 20), formats.ErrCorrupt, "sheet \"S\""},
		{"sheet that is not XML", rewriteSheet(t, good, []byte("<worksheet><sheetData><row><c><v>1</v></row"), 44), formats.ErrCorrupt, "sheet \"S\""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var err error
			alloc := formatstest.Allocated(func() { _, err = openBytes(t, tt.data, formats.Options{}) })
			require.ErrorIs(t, err, tt.is)
			require.ErrorContains(t, err, tt.want)
			require.Less(t, alloc, uint64(64<<20), "work stays bounded")
		})
	}
}

// TestSheetAboveCap checks the cap on a sheet's real (not lying) size with a
// highly compressible sheet.
func TestSheetAboveCap(t *testing.T) {
	old := maxSheetBytes
	maxSheetBytes = 1 << 20
	defer func() { maxSheetBytes = old }()
	row := `<row><c t="inlineStr"><is><t>` + strings.Repeat("z", 1000) + `</t></is></c></row>`
	b := testBook{sheets: []testSheet{{name: "S", data: strings.Repeat(row, 2000)}}}.build(t)
	require.Less(t, len(b), 100_000)
	_, err := openBytes(t, b, formats.Options{})
	require.ErrorIs(t, err, formats.ErrCorrupt)
	require.ErrorContains(t, err, "limit 1048576")
}

// TestCorruptSecondPass checks that a sheet's rows fail with a clear error,
// not a panic, when the data changes between the two passes.
func TestCorruptSecondPass(t *testing.T) {
	ints := testBook{store: true, sheets: []testSheet{{name: "S", data: `<row><c t="inlineStr"><is><t>h</t></is></c></row><row><c t="n"><v>1</v></c></row>`}}}.build(t)
	text := testBook{store: true, sheets: []testSheet{{name: "S", data: `<row><c t="inlineStr"><is><t>h</t></is></c></row><row><c t="b"><v>1</v></c></row>`}}}.build(t)
	require.Equal(t, len(ints), len(text))
	r := &swapReader{b: ints}
	tables, err := Open(t.Context(), r, int64(len(ints)), formats.Options{})
	require.NoError(t, err)
	r.b = text
	err = tables[0].Rows.Next(formats.NewBatch(tables[0].Columns, 1))
	require.ErrorIs(t, err, formats.ErrCorrupt)
	require.ErrorContains(t, err, "did the file change")
}

type swapReader struct{ b []byte }

func (s *swapReader) ReadAt(p []byte, off int64) (int, error) {
	return bytes.NewReader(s.b).ReadAt(p, off)
}

func TestOtherZipFormats(t *testing.T) {
	zipOf := func(names ...string) []byte {
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		for _, n := range names {
			w, err := zw.Create(n)
			require.NoError(t, err)
			_, err = w.Write([]byte("x"))
			require.NoError(t, err)
		}
		require.NoError(t, zw.Close())
		return buf.Bytes()
	}
	_, err := openBytes(t, zipOf("[Content_Types].xml", "xl/workbook.bin"), formats.Options{})
	require.ErrorIs(t, err, formats.ErrUnsupported)
	require.ErrorContains(t, err, ".xlsb")
	_, err = openBytes(t, zipOf("mimetype", "content.xml"), formats.Options{})
	require.ErrorIs(t, err, formats.ErrUnsupported)
	require.ErrorContains(t, err, ".ods")
}

// TestLegacyXLS turns the encrypted workbook's compound file into one that
// looks like a legacy .xls by renaming its streams (directory entry names
// are 64 bytes of UTF-16LE followed by their byte length).
func TestLegacyXLS(t *testing.T) {
	b, err := os.ReadFile("testdata/pass_protected.xlsx")
	require.NoError(t, err)
	rename := func(from, to string) {
		at := bytes.Index(b, utf16le(from))
		require.GreaterOrEqual(t, at, 0, from)
		name := append(utf16le(to), 0, 0)
		clear(b[at : at+64])
		copy(b[at:], name)
		binary.LittleEndian.PutUint16(b[at+64:], uint16(len(name)))
	}
	rename("EncryptedPackage", "Workbook")
	rename("EncryptionInfo", "Book")
	_, err = openBytes(t, b, formats.Options{})
	require.ErrorIs(t, err, formats.ErrUnsupported)
	require.ErrorContains(t, err, "legacy binary Excel (.xls)")
}

func utf16le(s string) []byte {
	var out []byte
	for _, r := range s {
		out = append(out, byte(r), byte(r>>8))
	}
	return out
}
