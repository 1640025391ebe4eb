package datasets

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"
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

func TestLoadTooManyTablesOrColumns(t *testing.T) {
	dir := t.TempDir()
	c := newTestCatalog(t, dir)
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(p, []byte(body), 0o600))
		return p
	}
	var header, row []string
	for i := range 5000 {
		header = append(header, "c"+itoa(i))
		row = append(row, itoa(i))
	}
	var wideHTML strings.Builder
	wideHTML.WriteString("<table><tr>")
	for i := range 5000 {
		wideHTML.WriteString("<th>h" + itoa(i) + "</th>")
	}
	wideHTML.WriteString("</tr><tr><td>1</td></tr></table>")
	for _, tc := range []struct{ file, flag string }{
		{write("tables.html", strings.Repeat("<table><tr><td>1</td></tr></table>\n", 20000)), "--max-tables"},
		{write("wide.csv", strings.Join(header, ",")+"\n"+strings.Join(row, ",")+"\n"), "--max-columns"},
		{write("wide.html", wideHTML.String()), "--max-columns"},
		{write("rows.json", `[["`+strings.Join(header, `","`)+`"],[1,2]]`), "--max-columns"},
	} {
		t.Run(filepath.Base(tc.file), func(t *testing.T) {
			_, err := c.Load(t.Context(), tc.file, LoadOptions{})
			requireLimit(t, c, err, tc.flag)
		})
	}
	require.Empty(t, c.Tables(t.Context()))
}

// TestLoadTimeout: a load past --load-timeout stops with an error naming it
// (a deadline that has already passed stands for a slow load).
func TestLoadTimeout(t *testing.T) {
	td := testdataDir(t)
	m, err := NewManager(Config{StagingRoot: t.TempDir(), ReadDirs: []string{td}, Fetcher: localFetcher{}, Limits: Limits{LoadTimeout: 1}})
	require.NoError(t, err)
	defer m.Close()
	c, err := m.Catalog(t.Context(), "s")
	require.NoError(t, err)
	_, err = c.Load(t.Context(), filepath.Join(td, "titanic.csv"), LoadOptions{})
	requireLimit(t, c, err, "--load-timeout")
}

// TestLoadCSVNotUTF8: rows with stray bytes are kept (bytes replaced) with a
// warning naming the lines; a file in an 8-bit encoding reads as Latin-1,
// also with a warning. Nothing is lost in silence.
func TestLoadCSVNotUTF8(t *testing.T) {
	dir := t.TempDir()
	c := newTestCatalog(t, dir)
	var b strings.Builder
	b.WriteString("id,name,city\n")
	for i := range 5000 {
		name := "Zoë"
		if i == 1200 || i == 4000 {
			name = "bad\xff\xfe name"
		}
		b.WriteString(itoa(i) + "," + name + ",Köln\n")
	}
	mixed := filepath.Join(dir, "mixed.csv")
	require.NoError(t, os.WriteFile(mixed, []byte(b.String()), 0o600))
	infos, err := c.Load(t.Context(), mixed, LoadOptions{})
	require.NoError(t, err)
	require.EqualValues(t, 5000, infos[0].Rows)
	require.Len(t, infos[0].Warnings, 1)
	require.Contains(t, infos[0].Warnings[0], "2 line(s)")
	require.Contains(t, infos[0].Warnings[0], "lines 1202, 4002")
	res, err := c.Query(t.Context(), "SELECT name, city FROM mixed WHERE id IN (0, 1200) ORDER BY id", 0)
	require.NoError(t, err)
	require.Equal(t, [][]any{{"Zoë", "Köln"}, {"bad\uFFFD\uFFFD name", "Köln"}}, res.Rows)

	latin := filepath.Join(dir, "latin.csv")
	require.NoError(t, os.WriteFile(latin, []byte("id,name\n1,Zo\xeb\n2,K\xf6ln\n"), 0o600))
	infos, err = c.Load(t.Context(), latin, LoadOptions{})
	require.NoError(t, err)
	require.EqualValues(t, 2, infos[0].Rows)
	require.Contains(t, infos[0].Warnings[0], "Latin-1")
	res, err = c.Query(t.Context(), "SELECT name FROM latin ORDER BY id", 0)
	require.NoError(t, err)
	require.Equal(t, [][]any{{"Zoë"}, {"Köln"}}, res.Rows)
}

// TestLoadCSVGzipBomb: a small .csv.gz that inflates past the limit is
// refused before DuckDB reads it.
func TestLoadCSVGzipBomb(t *testing.T) {
	dir := t.TempDir()
	td := testdataDir(t)
	m, err := NewManager(Config{StagingRoot: t.TempDir(), ReadDirs: []string{dir, td}, Fetcher: localFetcher{}, Limits: Limits{Inflated: 8 << 20}})
	require.NoError(t, err)
	defer m.Close()
	c, err := m.Catalog(t.Context(), "s")
	require.NoError(t, err)
	bomb := gzipped(t, []byte("a,b\n"+strings.Repeat("1,2\n", 4<<20)))
	require.Less(t, len(bomb), 64<<10)
	p := filepath.Join(dir, "bomb.csv.gz")
	require.NoError(t, os.WriteFile(p, bomb, 0o600))
	_, err = c.Load(t.Context(), p, LoadOptions{})
	requireLimit(t, c, err, "--max-download")
	ok := filepath.Join(dir, "ok.csv.gz")
	require.NoError(t, os.WriteFile(ok, gzipped(t, []byte("a,b\n1,2\n")), 0o600))
	infos, err := c.Load(t.Context(), ok, LoadOptions{})
	require.NoError(t, err)
	require.EqualValues(t, 1, infos[0].Rows)
}

// TestLoadRefusesNonTables: content that is not a table is refused naming
// what it is, whatever the file is called; nothing becomes a junk table.
func TestLoadRefusesNonTables(t *testing.T) {
	dir := t.TempDir()
	c := newTestCatalog(t, dir)
	zipWith := func(names ...string) []byte {
		var b bytes.Buffer
		w := zip.NewWriter(&b)
		for _, n := range names {
			f, err := w.Create(n)
			require.NoError(t, err)
			f.Write([]byte("<x/>"))
		}
		require.NoError(t, w.Close())
		return b.Bytes()
	}
	for _, tc := range []struct {
		name string
		body []byte
		want string
	}{
		{"data.csv", []byte("<!DOCTYPE html>\n<html><head><title>404 Not Found</title></head><body><h1>Not Found</h1></body></html>"), "HTML web page"},
		{"export.json", []byte("  <!-- proxy --> <html><body>Sign in</body></html>"), "HTML web page"},
		{"report.csv", []byte("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"), "PDF document"},
		{"scan.txt", []byte("%PDF-1.4 tiny"), "PDF document"},
		{"report.docx", zipWith("[Content_Types].xml", "word/document.xml"), "Word document"},
		{"book.xlsx", zipWith("[Content_Types].xml", "word/document.xml"), "Word document"},
		{"slides.xlsx", zipWith("ppt/presentation.xml"), "PowerPoint"},
		{"bundle.xlsx", zipWith("a.csv", "b.csv"), "ZIP archive"},
		{"chart.csv", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), "PNG image"},
		{"photo.dat", []byte{0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, 'J', 'F', 'I', 'F'}, "JPEG image"},
		{"data.csv.7z", []byte("7z\xBC\xAF\x27\x1C\x00\x04"), "7-Zip archive"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := filepath.Join(dir, tc.name)
			require.NoError(t, os.WriteFile(p, tc.body, 0o600))
			_, err := c.Load(t.Context(), p, LoadOptions{})
			require.ErrorIs(t, err, ErrUnsupportedFormat)
			require.Contains(t, err.Error(), tc.want)
			require.Contains(t, err.Error(), tc.name)
		})
	}
	require.Empty(t, c.Tables(t.Context()))
	// A page whose tables are wanted still loads when asked for as HTML.
	p := filepath.Join(dir, "page.csv")
	require.NoError(t, os.WriteFile(p, []byte("<!doctype html><html><body><table><tr><th>a</th></tr><tr><td>1</td></tr></table></body></html>"), 0o600))
	infos, err := c.Load(t.Context(), p, LoadOptions{Format: "html"})
	require.NoError(t, err)
	require.EqualValues(t, 1, infos[0].Rows)
}

// TestSheetNamesInOtherScripts: sheets named in Cyrillic get transliterated
// table names, Chinese ones their position; no sheet replaces another.
func TestSheetNamesInOtherScripts(t *testing.T) {
	dir := t.TempDir()
	c := newTestCatalog(t, dir)
	f := excelize.NewFile()
	require.NoError(t, f.SetSheetName("Sheet1", "Продажи"))
	for _, sh := range []string{"销售", "收入"} {
		_, err := f.NewSheet(sh)
		require.NoError(t, err)
	}
	for i, sh := range []string{"Продажи", "销售", "收入"} {
		require.NoError(t, f.SetCellValue(sh, "A1", "n"))
		require.NoError(t, f.SetCellValue(sh, "A2", i+1))
	}
	p := filepath.Join(dir, "book.xlsx")
	require.NoError(t, f.SaveAs(p))
	infos, err := c.Load(t.Context(), p, LoadOptions{})
	require.NoError(t, err)
	var names []string
	for _, info := range infos {
		names = append(names, info.Name)
	}
	require.Equal(t, []string{"book_prodazhi", "book_sheet2", "book_sheet3"}, names)
	res, err := c.Query(t.Context(), "SELECT (SELECT n FROM book_prodazhi) + (SELECT n FROM book_sheet2) + (SELECT n FROM book_sheet3)", 0)
	require.NoError(t, err)
	require.EqualValues(t, 6, res.Rows[0][0])
}

// TestDescribeExtremeColumns: constant, extreme and wide-ranging numbers
// describe without overflow; approximate distinct counts never pass the
// number of values; previews print huge numbers in exponent form.
func TestDescribeExtremeColumns(t *testing.T) {
	dir := t.TempDir()
	c := newTestCatalog(t, dir)
	var b strings.Builder
	b.WriteString("big,k,zero,id\n")
	for i := range 40 {
		fmt.Fprintf(&b, "%g,5,0,%d\n", 1e308*float64(i%2), i)
	}
	p := filepath.Join(dir, "extreme.csv")
	require.NoError(t, os.WriteFile(p, []byte(b.String()), 0o600))
	_, err := c.Load(t.Context(), p, LoadOptions{})
	require.NoError(t, err)
	d, err := c.Describe(t.Context(), "extreme", nil)
	require.NoError(t, err)
	byName := map[string]ColumnStats{}
	for _, cs := range d.Columns {
		byName[cs.Name] = cs
		require.LessOrEqual(t, cs.Distinct, cs.NonNull, cs.Name)
	}
	require.InDelta(t, 5e307, byName["big"].Mean.(float64), 1e300)
	require.Greater(t, byName["big"].Std.(float64), 1e307)
	require.InDelta(t, 0, byName["k"].Std.(float64), 1e-12)
	require.InDelta(t, 0, byName["zero"].Mean.(float64), 1e-12)
	// HyperLogLog counts 10 distinct values as 11.
	few := filepath.Join(dir, "few.csv")
	require.NoError(t, os.WriteFile(few, []byte("id\n0\n1\n2\n3\n4\n5\n6\n7\n8\n9\n"), 0o600))
	_, err = c.Load(t.Context(), few, LoadOptions{})
	require.NoError(t, err)
	d, err = c.Describe(t.Context(), "few", nil)
	require.NoError(t, err)
	require.LessOrEqual(t, d.Columns[0].Distinct, int64(10))
	prev, err := c.Preview(t.Context(), "extreme", 2)
	require.NoError(t, err)
	md := prev.Markdown(2)
	require.Contains(t, md, "1e+308")
	require.NotContains(t, md, "100000000000000000000")
}

// TestLoadCSVHugeLine: a line longer than the cell limit fails naming it.
func TestLoadCSVHugeLine(t *testing.T) {
	dir := t.TempDir()
	c := newTestCatalog(t, dir)
	p := filepath.Join(dir, "huge.csv")
	require.NoError(t, os.WriteFile(p, []byte("a,b\n1,"+strings.Repeat("x", 3<<20)+"\n2,y\n"), 0o600))
	_, err := c.Load(t.Context(), p, LoadOptions{})
	requireLimit(t, c, err, "--max-cell")
}

// TestSheetOfErrorsSaysWhy: a sheet whose cells are all errors is not
// dropped in silence: the load's result says why it is missing.
func TestSheetOfErrorsSaysWhy(t *testing.T) {
	dir := t.TempDir()
	c := newTestCatalog(t, dir)
	f := excelize.NewFile()
	require.NoError(t, f.SetCellValue("Sheet1", "A1", "n"))
	require.NoError(t, f.SetCellValue("Sheet1", "A2", 1))
	_, err := f.NewSheet("Errors")
	require.NoError(t, err)
	for _, cell := range []string{"A1", "B1", "A2", "B2"} {
		require.NoError(t, f.SetCellFormula("Errors", cell, "1/0"))
	}
	p := filepath.Join(dir, "errs.xlsx")
	require.NoError(t, f.SaveAs(p))
	// excelize writes formulas without cached values; give each its error.
	raw, err := os.ReadFile(p)
	require.NoError(t, err)
	zr, err := zip.NewReader(bytes.NewReader(raw), int64(len(raw)))
	require.NoError(t, err)
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, zf := range zr.File {
		r, err := zf.Open()
		require.NoError(t, err)
		body, err := io.ReadAll(r)
		require.NoError(t, err)
		if zf.Name == "xl/worksheets/sheet2.xml" {
			body = bytes.ReplaceAll(body, []byte("<f>1/0</f>"), []byte("<f>1/0</f><v>#DIV/0!</v>"))
			body = bytes.ReplaceAll(body, []byte("<c r="), []byte(`<c t="e" r=`))
		}
		w, err := zw.Create(zf.Name)
		require.NoError(t, err)
		_, err = w.Write(body)
		require.NoError(t, err)
	}
	require.NoError(t, zw.Close())
	require.NoError(t, os.WriteFile(p, out.Bytes(), 0o600))
	infos, err := c.Load(t.Context(), p, LoadOptions{})
	require.NoError(t, err)
	require.Len(t, infos, 1)
	require.Len(t, infos[0].Warnings, 1)
	require.Contains(t, infos[0].Warnings[0], `sheet "Errors" was not loaded`)
	_, err = c.Load(t.Context(), p, LoadOptions{Sheet: "Errors"})
	require.ErrorContains(t, err, "error cells")
}
