package xlsx

import (
	"archive/zip"
	"bytes"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// testBook describes a workbook the tests build part by part, so that they
// control every cell type, style and attribute.
type testBook struct {
	sheets   []testSheet
	sst      []string
	numFmts  map[int]string // custom number formats by id
	xfs      []int          // number format id of each cell style
	date1904 bool
	extra    map[string]string // more parts, by name
	store    bool              // store parts uncompressed
}

type testSheet struct {
	name  string
	data  string // the children of <sheetData>
	after string // elements after <sheetData>, such as <mergeCells>
	chart bool   // a chart sheet
}

func (tb testBook) build(t testing.TB) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	add := func(name, body string) {
		method := zip.Deflate
		if tb.store {
			method = zip.Store
		}
		w, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: method})
		require.NoError(t, err)
		_, err = w.Write([]byte(body))
		require.NoError(t, err)
	}
	const ns = `xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"`
	const relNS = `http://schemas.openxmlformats.org/officeDocument/2006/relationships/`
	add("[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`)
	add("_rels/.rels", `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="`+relNS+`officeDocument" Target="xl/workbook.xml"/></Relationships>`)
	var wb, rels strings.Builder
	wb.WriteString(`<?xml version="1.0" encoding="UTF-8"?><workbook ` + ns + `>`)
	if tb.date1904 {
		wb.WriteString(`<workbookPr date1904="1"/>`)
	}
	wb.WriteString(`<sheets>`)
	rels.WriteString(`<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">`)
	for i, s := range tb.sheets {
		fmt.Fprintf(&wb, `<sheet name="%s" sheetId="%d" r:id="rId%d"/>`, s.name, i+1, i+1)
		if s.chart {
			fmt.Fprintf(&rels, `<Relationship Id="rId%d" Type="%schartsheet" Target="chartsheets/sheet%d.xml"/>`, i+1, relNS, i+1)
			add(fmt.Sprintf("xl/chartsheets/sheet%d.xml", i+1), `<chartsheet `+ns+`/>`)
			continue
		}
		fmt.Fprintf(&rels, `<Relationship Id="rId%d" Type="%sworksheet" Target="worksheets/sheet%d.xml"/>`, i+1, relNS, i+1)
		add(fmt.Sprintf("xl/worksheets/sheet%d.xml", i+1), `<?xml version="1.0" encoding="UTF-8"?><worksheet `+ns+`><sheetData>`+s.data+`</sheetData>`+s.after+`</worksheet>`)
	}
	wb.WriteString(`</sheets></workbook>`)
	fmt.Fprintf(&rels, `<Relationship Id="rIdS" Type="%sstyles" Target="styles.xml"/>`, relNS)
	if tb.sst != nil {
		fmt.Fprintf(&rels, `<Relationship Id="rIdT" Type="%ssharedStrings" Target="sharedStrings.xml"/>`, relNS)
		var sst strings.Builder
		sst.WriteString(`<sst ` + ns + `>`)
		for _, s := range tb.sst {
			sst.WriteString(`<si><t xml:space="preserve">` + s + `</t></si>`)
		}
		sst.WriteString(`</sst>`)
		add("xl/sharedStrings.xml", sst.String())
	}
	rels.WriteString(`</Relationships>`)
	add("xl/workbook.xml", wb.String())
	add("xl/_rels/workbook.xml.rels", rels.String())
	var st strings.Builder
	st.WriteString(`<styleSheet ` + ns + `><numFmts>`)
	ids := make([]int, 0, len(tb.numFmts))
	for id := range tb.numFmts {
		ids = append(ids, id)
	}
	sort.Ints(ids)
	for _, id := range ids {
		fmt.Fprintf(&st, `<numFmt numFmtId="%d" formatCode="%s"/>`, id, tb.numFmts[id])
	}
	st.WriteString(`</numFmts><cellXfs>`)
	for _, id := range append([]int{0}, tb.xfs...) {
		fmt.Fprintf(&st, `<xf numFmtId="%d"/>`, id)
	}
	st.WriteString(`</cellXfs></styleSheet>`)
	add("xl/styles.xml", st.String())
	for name, body := range tb.extra {
		add(name, body)
	}
	require.NoError(t, zw.Close())
	return buf.Bytes()
}
