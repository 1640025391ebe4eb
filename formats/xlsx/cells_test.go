package xlsx

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"datachat/formats"
	"datachat/formats/formatstest"
)

func openBytes(t testing.TB, b []byte, opts formats.Options) ([]*formats.Table, error) {
	t.Helper()
	return Open(t.Context(), bytes.NewReader(b), int64(len(b)), opts)
}

// columnsOf returns a table's column names and kinds, and its rows.
func columnsOf(t *testing.T, tab *formats.Table) ([]string, []formats.Kind, [][]any) {
	t.Helper()
	var names []string
	var kinds []formats.Kind
	for _, c := range tab.Columns {
		names = append(names, c.Name)
		kinds = append(kinds, c.Kind)
	}
	return names, kinds, formatstest.ReadAll(t, tab)
}

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// Styles of the test workbooks (index = position in xfs + 1).
var testXfs = []int{
	14,  // 1: built-in date m/d/yyyy
	22,  // 2: built-in date-time
	21,  // 3: built-in time h:mm:ss
	164, // 4: custom date yyyy-mm-dd
	165, // 5: custom number with quoted "d" text
	46,  // 6: built-in elapsed [h]:mm:ss
	166, // 7: custom time with am/pm
}

var testFmts = map[int]string{
	164: `yyyy\-mm\-dd;@`,
	165: `0.00&quot; days&quot;`,
	166: `h:mm AM/PM`,
}

func TestCellTypes(t *testing.T) {
	data := `<row r="1">` +
		`<c r="A1" t="inlineStr"><is><t>int</t></is></c><c r="B1" t="inlineStr"><is><t>float</t></is></c>` +
		`<c r="C1" t="inlineStr"><is><t>bool</t></is></c><c r="D1" t="inlineStr"><is><t>date</t></is></c>` +
		`<c r="E1" t="inlineStr"><is><t>datetime</t></is></c><c r="F1" t="inlineStr"><is><t>time</t></is></c>` +
		`<c r="G1" t="inlineStr"><is><t>mixed</t></is></c><c r="H1" t="inlineStr"><is><t>errors</t></is></c>` +
		`<c r="I1" t="inlineStr"><is><t>days</t></is></c><c r="J1" t="inlineStr"><is><t>iso</t></is></c>` +
		`<c r="K1" t="inlineStr"><is><t>formula</t></is></c><c r="L1" t="inlineStr"><is><t>text</t></is></c>` +
		`<c r="M1" t="inlineStr"><is><t>ampm</t></is></c>` +
		`</row>` +
		`<row r="2"><c r="A2"><v>1</v></c><c r="B2"><v>1</v></c><c r="C2" t="b"><v>1</v></c>` +
		`<c r="D2" s="1"><v>44197</v></c><c r="E2" s="2"><v>44197.5</v></c><c r="F2" s="3"><v>0.75</v></c>` +
		`<c r="G2"><v>1.5</v></c><c r="H2"><v>7</v></c><c r="I2" s="5"><v>3</v></c>` +
		`<c r="J2" t="d"><v>2021-01-01T10:10:10</v></c><c r="K2"><f>1+1</f><v>2</v></c>` +
		`<c r="L2" t="s"><v>0</v></c><c r="M2" s="7"><v>0.25</v></c></row>` +
		`<row r="3"><c r="A3"><v>-9007199254740993</v></c><c r="B3"><v>2.25</v></c><c r="C3" t="b"><v>0</v></c>` +
		`<c r="D3" s="4"><v>44198</v></c><c r="E3" s="1"><v>44198</v></c><c r="F3" s="3"><v>0.5000000001</v></c>` +
		`<c r="G3" t="s"><v>1</v></c><c r="H3" t="e"><f>1/0</f><v>#DIV/0!</v></c><c r="I3" s="5"><v>4.5</v></c>` +
		`<c r="J3" t="d"><v>2021-01-02</v></c><c r="K3" t="str"><f>"a"</f><v>ab</v></c>` +
		`<c r="L3" t="inlineStr"><is><t></t></is></c><c r="M3" s="7"><v>0.5</v></c></row>` +
		`<row r="4"><c r="G4" t="b"><v>0</v></c><c r="H4" t="e"><v>#N/A</v></c><c r="G4" s="1"><v>44197</v></c>` +
		`<c r="L4" t="s"><v>2</v></c></row>`
	b := testBook{
		sheets:  []testSheet{{name: "S", data: data}},
		sst:     []string{"x", "abc", "tab_x0009_here"},
		numFmts: testFmts,
		xfs:     testXfs,
	}.build(t)
	tables, err := openBytes(t, b, formats.Options{})
	require.NoError(t, err)
	require.Len(t, tables, 1)
	names, kinds, rows := columnsOf(t, tables[0])
	require.Equal(t, []string{"int", "float", "bool", "date", "datetime", "time", "mixed", "errors", "days", "iso", "formula", "text", "ampm"}, names)
	require.Equal(t, []formats.Kind{formats.Int64, formats.Float64, formats.Bool, formats.Date, formats.Timestamp, formats.Time,
		formats.String, formats.Int64, formats.Float64, formats.Timestamp, formats.String, formats.String, formats.Time}, kinds)
	require.Equal(t, int64(3), tables[0].RowCount)
	require.Equal(t, [][]any{
		{int64(1), 1.0, true, day(2021, 1, 1), time.Date(2021, 1, 1, 12, 0, 0, 0, time.UTC), 18 * time.Hour,
			"1.5", int64(7), 3.0, time.Date(2021, 1, 1, 10, 10, 10, 0, time.UTC), "2", "x", 6 * time.Hour},
		{int64(-9007199254740993), 2.25, false, day(2021, 1, 2), day(2021, 1, 2), 12 * time.Hour,
			"abc", nil, 4.5, day(2021, 1, 2), "ab", nil, 12 * time.Hour},
		// G4 appears twice: the later cell wins.
		{nil, nil, nil, nil, nil, nil, "2021-01-01", nil, nil, nil, nil, "tab\there", nil},
	}, rows)
}

func TestDateSystems(t *testing.T) {
	row := func(r, v string) string {
		return `<row r="` + r + `"><c r="A` + r + `" s="2"><v>` + v + `</v></c></row>`
	}
	data := `<row r="1"><c r="A1" t="inlineStr"><is><t>d</t></is></c></row>` +
		row("2", "1") + row("3", "59") + row("4", "60") + row("5", "61") + row("6", "44197.25") + row("7", "0")
	tables, err := openBytes(t, testBook{sheets: []testSheet{{name: "S", data: data}}, xfs: testXfs}.build(t), formats.Options{})
	require.NoError(t, err)
	_, _, rows := columnsOf(t, tables[0])
	require.Equal(t, [][]any{
		{day(1900, 1, 1)},
		{day(1900, 2, 28)},
		{day(1900, 2, 28)}, // the Lotus 29 February 1900
		{day(1900, 3, 1)},
		{time.Date(2021, 1, 1, 6, 0, 0, 0, time.UTC)},
		{day(1899, 12, 31)},
	}, rows)

	tables, err = openBytes(t, testBook{sheets: []testSheet{{name: "S", data: data}}, xfs: testXfs, date1904: true}.build(t), formats.Options{})
	require.NoError(t, err)
	_, _, rows = columnsOf(t, tables[0])
	require.Equal(t, [][]any{
		{day(1904, 1, 2)},
		{day(1904, 2, 29)},
		{day(1904, 3, 1)},
		{day(1904, 3, 2)},
		{time.Date(2025, 1, 2, 6, 0, 0, 0, time.UTC)},
		{day(1904, 1, 1)},
	}, rows)
}

func TestHeader(t *testing.T) {
	// Leading empty rows and columns, a blank header cell, duplicate names
	// (compared case-insensitively), a name that clashes with a generated
	// one, and data wider than the header.
	data := `<row r="2"/>` +
		`<row r="3"><c r="C3" t="inlineStr"><is><t> name </t></is></c><c r="D3"/><c r="E3" t="inlineStr"><is><t>Name</t></is></c>` +
		`<c r="F3" t="inlineStr"><is><t>column_2</t></is></c><c r="G3" t="inlineStr"><is><t>name</t></is></c></row>` +
		`<row r="4"><c r="B4" t="inlineStr"><is><t></t></is></c><c r="C4"><v>1</v></c><c r="H4"><v>2</v></c></row>` +
		`<row r="6"><c r="D6"><v>3</v></c></row>`
	tables, err := openBytes(t, testBook{sheets: []testSheet{{name: "S", data: data}}}.build(t), formats.Options{})
	require.NoError(t, err)
	names, _, rows := columnsOf(t, tables[0])
	require.Equal(t, []string{"name", "column_2_2", "Name_2", "column_2", "name_3", "column_6"}, names)
	require.Equal(t, [][]any{
		{int64(1), nil, nil, nil, nil, int64(2)},
		{nil, int64(3), nil, nil, nil, nil},
	}, rows)
}

func TestMergedCells(t *testing.T) {
	// B1:C1 is a header merged over two columns; A2:A4 is a value merged over
	// three rows, of which row 3 is absent from the file.
	data := `<row r="1"><c r="A1" t="inlineStr"><is><t>region</t></is></c><c r="B1" t="inlineStr"><is><t>sales</t></is></c><c r="C1"/></row>` +
		`<row r="2"><c r="A2" t="inlineStr"><is><t>north</t></is></c><c r="B2"><v>1</v></c><c r="C2"><v>2</v></c></row>` +
		`<row r="4"><c r="A4" t="inlineStr"><is><t>stale</t></is></c><c r="B4"><v>5</v></c><c r="C4"><v>6</v></c></row>` +
		`<row r="5"><c r="A5" t="inlineStr"><is><t>south</t></is></c><c r="B5"><v>7</v></c></row>`
	after := `<mergeCells count="2"><mergeCell ref="B1:C1"/><mergeCell ref="A2:A4"/></mergeCells>`
	tables, err := openBytes(t, testBook{sheets: []testSheet{{name: "S", data: data, after: after}}}.build(t), formats.Options{})
	require.NoError(t, err)
	names, kinds, rows := columnsOf(t, tables[0])
	require.Equal(t, []string{"region", "sales", "sales_2"}, names)
	require.Equal(t, []formats.Kind{formats.String, formats.Int64, formats.Int64}, kinds)
	require.Equal(t, int64(4), tables[0].RowCount)
	require.Equal(t, [][]any{
		{"north", int64(1), int64(2)},
		{"north", nil, nil},
		{"north", int64(5), int64(6)},
		{"south", int64(7), nil},
	}, rows)
}

func TestMergeChangesType(t *testing.T) {
	// A number merged across into a text column makes that column mixed.
	data := `<row r="1"><c r="A1" t="inlineStr"><is><t>a</t></is></c><c r="B1" t="inlineStr"><is><t>b</t></is></c></row>` +
		`<row r="2"><c r="A2"><v>1</v></c></row>` +
		`<row r="3"><c r="A3"><v>2</v></c><c r="B3" t="inlineStr"><is><t>x</t></is></c></row>`
	after := `<mergeCells><mergeCell ref="A2:B2"/></mergeCells>`
	tables, err := openBytes(t, testBook{sheets: []testSheet{{name: "S", data: data, after: after}}}.build(t), formats.Options{})
	require.NoError(t, err)
	_, kinds, rows := columnsOf(t, tables[0])
	require.Equal(t, []formats.Kind{formats.Int64, formats.String}, kinds)
	require.Equal(t, [][]any{{int64(1), "1"}, {int64(2), "x"}}, rows)
}

func TestSelectSheet(t *testing.T) {
	one := `<row r="1"><c r="A1" t="inlineStr"><is><t>h</t></is></c></row><row r="2"><c r="A2"><v>1</v></c></row>`
	b := testBook{sheets: []testSheet{
		{name: "First", data: one},
		{name: "Empty"},
		{name: "Chart", chart: true},
		{name: "Second", data: one},
	}}.build(t)

	tables, err := openBytes(t, b, formats.Options{})
	require.NoError(t, err)
	require.Len(t, tables, 2)
	require.Equal(t, "First", tables[0].Name)
	require.Equal(t, "Second", tables[1].Name)

	tables, err = openBytes(t, b, formats.Options{Sheet: "second"})
	require.NoError(t, err)
	require.Len(t, tables, 1)
	require.Equal(t, "Second", tables[0].Name)

	_, err = openBytes(t, b, formats.Options{Sheet: "Third"})
	require.ErrorIs(t, err, ErrSheetNotFound)
	require.ErrorContains(t, err, `its sheets are "First", "Empty", "Chart", "Second"`)

	_, err = openBytes(t, b, formats.Options{Sheet: "Empty"})
	require.ErrorIs(t, err, ErrNoData)
	_, err = openBytes(t, b, formats.Options{Sheet: "Chart"})
	require.ErrorIs(t, err, ErrNoData)
}

func TestXLSM(t *testing.T) {
	// A macro-enabled workbook differs only in its content types and a VBA
	// part, which the reader ignores.
	b := testBook{
		sheets: []testSheet{{name: "S", data: `<row r="1"><c r="A1" t="inlineStr"><is><t>h</t></is></c></row><row r="2"><c r="A2"><v>1</v></c></row>`}},
		extra:  map[string]string{"xl/vbaProject.bin": "\xd0\xcf\x11\xe0 not really"},
	}.build(t)
	tables, err := openBytes(t, b, formats.Options{})
	require.NoError(t, err)
	_, _, rows := columnsOf(t, tables[0])
	require.Equal(t, [][]any{{int64(1)}}, rows)
}

func TestCellLimits(t *testing.T) {
	long := strings.Repeat("x", 100)
	tests := []struct {
		name, data string
		sst        []string
		want       string
	}{
		{"inline text too long", `<row r="1"><c r="A1" t="inlineStr"><is><t>` + long + `</t></is></c></row>`, nil, "longer than 50 bytes"},
		{"shared string too long", `<row r="1"><c r="A1" t="s"><v>0</v></c></row>`, []string{long}, "longer than 50 bytes"},
		{"value too long", `<row r="1"><c r="A1"><v>` + strings.Repeat("1", 100) + `</v></c></row>`, nil, "longer than 50 bytes"},
		{"column past XFD", `<row r="1"><c r="XFE1"><v>1</v></c></row>`, nil, "past XFD"},
		{"columns past XFD without refs", `<row r="1"><c r="XFD1"><v>1</v></c><c><v>2</v></c></row>`, nil, "more than 16384 columns"},
		{"row past the limit", `<row r="1048577"><c><v>1</v></c></row>`, nil, "bad row number"},
		{"shared string index", `<row r="1"><c r="A1" t="s"><v>3</v></c></row>`, []string{"a"}, "out of range"},
		{"huge merges", `<row r="1"><c r="A1"><v>1</v></c></row></sheetData><mergeCells><mergeCell ref="A1:XFD1048576"/></mergeCells><sheetData>`, nil, "merged ranges cover more than"},
		{"bad merge", `<row r="1"><c r="A1"><v>1</v></c></row></sheetData><mergeCells><mergeCell ref="A1:ZZZZ9"/></mergeCells><sheetData>`, nil, "bad merged range"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := testBook{sheets: []testSheet{{name: "S", data: tt.data}}, sst: tt.sst}.build(t)
			_, err := openBytes(t, b, formats.Options{MaxCellBytes: 50})
			require.ErrorIs(t, err, formats.ErrCorrupt)
			require.ErrorContains(t, err, tt.want)
		})
	}
}

func TestEncrypted(t *testing.T) {
	_, err := openFile(t, "pass_protected.xlsx", formats.Options{})
	require.ErrorIs(t, err, formats.ErrUnsupported)
	require.ErrorContains(t, err, "password-protected; save an unprotected copy")
	require.False(t, errors.Is(err, formats.ErrCorrupt))
}

func TestCanceled(t *testing.T) {
	b := smallBook.build(t)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err := Open(ctx, bytes.NewReader(b), int64(len(b)), formats.Options{})
	require.ErrorIs(t, err, context.Canceled)
}

// TestConcurrentTables reads the tables of one workbook at the same time, as
// the catalog may (run with -race).
func TestConcurrentTables(t *testing.T) {
	tables, err := openFile(t, "table-multiple.xlsx", formats.Options{})
	require.NoError(t, err)
	want := map[string]string{}
	for _, tab := range tables {
		want[tab.Name] = fmt.Sprint(formatstest.ReadAll(t, tab))
	}
	tables, err = openFile(t, "table-multiple.xlsx", formats.Options{})
	require.NoError(t, err)
	var wg sync.WaitGroup
	got := make([]string, len(tables))
	for i, tab := range tables {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rows, _ := formatstest.Rows(tab, 0)
			got[i] = fmt.Sprint(rows)
		}()
	}
	wg.Wait()
	for i, tab := range tables {
		require.Equal(t, want[tab.Name], got[i], tab.Name)
	}
}

// TestEncodings checks worksheets that are not plain UTF-8: with a byte-order
// mark, in UTF-16, or declaring a legacy encoding.
func TestEncodings(t *testing.T) {
	sheet := `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>` +
		`<row r="1"><c r="A1" t="inlineStr"><is><t>café</t></is></c></row><row r="2"><c r="A2"><v>1</v></c></row></sheetData></worksheet>`
	utf16 := []byte{0xFF, 0xFE}
	for _, r := range `<?xml version="1.0" encoding="UTF-16"?>` + sheet {
		utf16 = append(utf16, byte(r), byte(r>>8))
	}
	tests := map[string][]byte{
		"utf-8 bom": append([]byte("\xEF\xBB\xBF"), sheet...),
		"utf-16":    utf16,
		"latin-1":   []byte(strings.Replace(`<?xml version="1.0" encoding="ISO-8859-1"?>`+sheet, "é", "\xe9", 1)),
	}
	good := smallBook.build(t)
	for name, body := range tests {
		t.Run(name, func(t *testing.T) {
			b := rewriteSheet(t, good, body, uint64(len(body)))
			tables, err := openBytes(t, b, formats.Options{})
			require.NoError(t, err)
			require.Equal(t, "caf\u00e9", tables[0].Columns[0].Name)
			require.Equal(t, [][]any{{int64(1)}}, formatstest.ReadAll(t, tables[0]))
		})
	}
	body := []byte(`<?xml version="1.0" encoding="x-klingon"?>` + sheet)
	_, err := openBytes(t, rewriteSheet(t, good, body, uint64(len(body))), formats.Options{})
	require.ErrorIs(t, err, formats.ErrUnsupported)
	require.ErrorContains(t, err, "x-klingon")
}
