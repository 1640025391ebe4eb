package xlsx

import (
	"bytes"
	"errors"
	"fmt"
	"testing"

	"datachat/formats"
	"datachat/formats/formatstest"
)

// checkOpen opens data and drains every table, checking that errors are the
// documented kinds and that every value has its column's Go type.
func checkOpen(t *testing.T, data []byte) {
	tables, err := Open(t.Context(), bytes.NewReader(data), int64(len(data)), formats.Options{MaxCellBytes: 4096})
	if err != nil {
		checkErr(t, err)
		return
	}
	for _, tab := range tables {
		if len(tab.Columns) == 0 || len(tab.Columns) > maxCols {
			t.Fatalf("table %q has %d columns", tab.Name, len(tab.Columns))
		}
		rows, err := formatstest.Rows(tab, 0)
		for _, row := range rows {
			for i, v := range row {
				if v != nil && fmt.Sprintf("%T", v) != goType(tab.Columns[i].Kind) {
					t.Fatalf("column %q (%s) holds a %T", tab.Columns[i].Name, tab.Columns[i].Kind, v)
				}
			}
		}
		if err != nil {
			checkErr(t, err)
			continue
		}
		if int64(len(rows)) != tab.RowCount {
			t.Fatalf("table %q: read %d rows, RowCount %d", tab.Name, len(rows), tab.RowCount)
		}
	}
}

func checkErr(t *testing.T, err error) {
	for _, want := range []error{formats.ErrCorrupt, formats.ErrUnsupported, ErrNoData} {
		if errors.Is(err, want) {
			return
		}
	}
	t.Fatalf("error of no documented kind: %v", err)
}

// FuzzOpen feeds whole files: the test workbooks and mutations of them.
// Minimising a new input of this size takes long; run it with
// -fuzzminimizetime=20x so that a 15s run spends its time fuzzing.
func FuzzOpen(f *testing.F) {
	for _, b := range formatstest.ReadFiles(f, "testdata/*.xlsx") {
		f.Add(b)
	}
	f.Add(smallBook.build(f))
	f.Fuzz(checkOpen)
}

// FuzzSheetXML feeds worksheet XML inside a valid (uncompressed) workbook,
// so that mutations reach the lexer and the cell decoder.
func FuzzSheetXML(f *testing.F) {
	seeds := []string{
		`<row r="1"><c r="A1" t="inlineStr"><is><t>h</t></is></c><c r="B1" t="s"><v>0</v></c></row><row r="2"><c r="A2" s="1"><v>44197</v></c><c r="B2" t="b"><v>1</v></c></row>`,
		`<row><c t="e"><v>#N/A</v></c><c s="3"><v>0.5</v></c><c t="d"><v>2021-01-01T10:00:00</v></c></row><row><c><f>1+1</f><v>2</v></c><c t="str"><v>a&amp;b&#x41;</v></c></row>`,
		`<x:row r="3"><x:c r="C3" t="inlineStr"><x:is><x:r><x:t><![CDATA[a<b]]></x:t></x:r><x:rPh><x:t>no</x:t></x:rPh></x:is></x:c></x:row><!-- c --><?pi x?>`,
		`<row r="1"><c r="A1"><v>1</v></c><c r="C1"><v>2.5</v></c></row><row r="4"><c r="A4" s="6"><v>1.5</v></c></row></sheetData><mergeCells><mergeCell ref="A1:B3"/></mergeCells><sheetData>`,
	}
	for _, s := range seeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data string) {
		b := testBook{
			sheets:  []testSheet{{name: "S", data: data}},
			sst:     []string{"x", "y"},
			numFmts: testFmts,
			xfs:     testXfs,
			store:   true,
		}.build(t)
		checkOpen(t, b)
	})
}
