package datasets

import (
	"compress/gzip"
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestLoadEveryFormat loads one real file per format through the catalog (the
// readers' own packages test the formats in depth) and checks the table
// names, shapes, labels and a value.
func TestLoadEveryFormat(t *testing.T) {
	root, err := filepath.Abs("..")
	require.NoError(t, err)
	shared := filepath.Join(root, "testdata")
	tmp := t.TempDir()
	gz := filepath.Join(tmp, "titanic.csv.gz")
	{
		in, err := os.ReadFile(filepath.Join(shared, "titanic.csv"))
		require.NoError(t, err)
		f, err := os.Create(gz)
		require.NoError(t, err)
		w := gzip.NewWriter(f)
		_, err = w.Write(in)
		require.NoError(t, err)
		require.NoError(t, w.Close())
		require.NoError(t, f.Close())
	}
	write := func(name, body string) string {
		p := filepath.Join(tmp, name)
		require.NoError(t, os.WriteFile(p, []byte(body), 0o600))
		return p
	}
	cases := []struct {
		file   string
		opts   LoadOptions
		tables []string
		rows   int64
		sql    string
		want   any
	}{
		{gz, LoadOptions{}, []string{"titanic"}, 891, "SELECT count(*) FROM titanic WHERE Sex = 'female'", int64(314)},
		{write("t.tsv", "a\tb\n1\tx\n2\ty\n"), LoadOptions{}, []string{"t"}, 2, "SELECT sum(a) FROM t", float64(3)},
		{write("arr.json", `[{"a":1,"b":{"c":"x"}},{"a":2,"b":{"c":"y"}}]`), LoadOptions{}, []string{"arr"}, 2, "SELECT b.c FROM arr WHERE a = 2", "y"},
		{write("wrapped.json", `{"meta":{"n":2},"data":[{"a":1},{"a":5}]}`), LoadOptions{}, []string{"wrapped"}, 2, "SELECT max(a) FROM wrapped", int64(5)},
		{write("rows.json", `[["id","name"],[1,"english"],[2,"中国人"]]`), LoadOptions{}, []string{"rows"}, 2, "SELECT name FROM rows WHERE id = 2", "中国人"},
		{write("lines.jsonl", "{\"a\":1}\n{\"a\":2}\n"), LoadOptions{}, []string{"lines"}, 2, "SELECT sum(a) FROM lines", float64(3)},
		{write("semi.txt", "a;b\n1;2\n3;4\n"), LoadOptions{}, []string{"semi_data"}, 2, "SELECT sum(b) FROM semi_data", float64(6)},
		{write("notes.txt", "first line\nsecond line\n"), LoadOptions{}, []string{"notes"}, 2, "SELECT text FROM notes WHERE line_number = 2", "second line"},
		{filepath.Join(root, "formats/xlsx/testdata/sheets.xlsx"), LoadOptions{}, []string{"sheets_sheet1", "sheets_sheet2", "sheets_sheet3"}, 1, "SELECT name FROM sheets_sheet3", "rome"},
		{filepath.Join(root, "formats/xlsx/testdata/sheets.xlsx"), LoadOptions{Sheet: "Sheet2", Name: "paris"}, []string{"paris"}, 1, "SELECT name FROM paris", "paris"},
		{filepath.Join(root, "formats/htmltable/testdata/table1.html"), LoadOptions{}, []string{"table1_1"}, 2, "SELECT name FROM table1_1 WHERE id = 1", "english"},
		{filepath.Join(root, "formats/xmltable/testdata/cd_catalog.xml"), LoadOptions{}, []string{"cd_catalog"}, 26, "SELECT count(*) FROM cd_catalog WHERE COUNTRY = 'UK'", int64(13)},
		// Value labels: every code labelled, so the column shows labels.
		{filepath.Join(root, "formats/stata/testdata/sample.dta"), LoadOptions{}, []string{"sample"}, 5, "SELECT mylabl FROM sample LIMIT 1", "Male"},
		{filepath.Join(root, "formats/spss/testdata/sample.sav"), LoadOptions{Name: "spss"}, []string{"spss"}, 5, "SELECT myord FROM spss LIMIT 1", "low"},
		{filepath.Join(root, "formats/sas7bdat/testdata/sample.sas7bdat"), LoadOptions{Name: "sas"}, []string{"sas"}, 5, "SELECT mydate FROM sas WHERE mychar = 'c'", "1960-01-01"},
	}
	cases = append(cases, struct {
		file   string
		opts   LoadOptions
		tables []string
		rows   int64
		sql    string
		want   any
	}{filepath.Join(root, "formats/spss/testdata/sample.sav"), LoadOptions{Name: "times"}, []string{"times"}, 5,
		"SELECT mytime FROM times WHERE mychar = 'b'", "23:10:10"})
	c := newTestCatalog(t, root, tmp)
	for _, tc := range cases {
		t.Run(filepath.Base(tc.file), func(t *testing.T) {
			infos, err := c.Load(t.Context(), tc.file, tc.opts)
			require.NoError(t, err)
			var names []string
			for _, i := range infos {
				names = append(names, i.Name)
			}
			require.Equal(t, tc.tables, names)
			require.Equal(t, tc.rows, infos[len(infos)-1].Rows)
			res, err := c.Query(t.Context(), tc.sql, 0)
			require.NoError(t, err)
			got := res.Rows[0][0]
			if s, ok := tc.want.(string); ok {
				require.Equal(t, s, FormatValue(got))
			} else {
				require.EqualValues(t, tc.want, got)
			}
		})
	}
	// Variable labels are kept as column labels (and comments).
	info, err := c.Table("sample")
	require.NoError(t, err)
	require.Equal(t, "labeled", info.Columns[4].Label)
}

func TestLoadErrors(t *testing.T) {
	tmp := t.TempDir()
	write := func(name string, body []byte) string {
		p := filepath.Join(tmp, name)
		require.NoError(t, os.WriteFile(p, body, 0o600))
		return p
	}
	c := newTestCatalog(t, tmp)
	for _, tc := range []struct {
		file string
		opts LoadOptions
		want string
	}{
		{write("old.xls", []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}), LoadOptions{}, "legacy binary Excel"},
		{write("x.docx", []byte("PK\x03\x04garbage")), LoadOptions{}, "zip"},
		{write("bad.json", []byte(`[{"a":1},`)), LoadOptions{}, "JSON"},
		{write("trunc.parquet", []byte("PAR1\x00\x00")), LoadOptions{}, "cannot read"},
		{write("empty.csv", nil), LoadOptions{}, "is empty"},
		{write("space.json", []byte("  \n")), LoadOptions{}, "white space"},
		{write("comma.json", []byte(`{"id":0,}`)), LoadOptions{}, "not valid JSON"},
		{write("fake.dta", []byte("<stata_dta><header>")), LoadOptions{}, "cannot read"},
		{write("fake.sav", []byte("$FL2 junk")), LoadOptions{}, "cannot read"},
		{write("fake.xlsx", []byte("PK\x03\x04 not a zip")), LoadOptions{}, "cannot read"},
		{write("ok.csv", []byte("a\n1\n")), LoadOptions{Format: "docx"}, "unknown format"},
		{write("ok2.csv", []byte("a\n1\n")), LoadOptions{Name: "Bad Name!"}, "not a valid table name"},
		{write("page.html", []byte("<html><body><p>no tables here</p></body></html>")), LoadOptions{}, "table"},
		{copyInto(t, "../formats/xlsx/testdata/sheets.xlsx", tmp), LoadOptions{Sheet: "Nope"}, "Sheet1"},
	} {
		t.Run(filepath.Base(tc.file), func(t *testing.T) {
			_, err := c.Load(t.Context(), tc.file, tc.opts)
			require.Error(t, err)
			require.True(t, UserError(err), "%v", err)
			require.Contains(t, err.Error(), tc.want)
			require.NotContains(t, err.Error(), c.staging)
		})
	}
	require.Empty(t, c.Tables(t.Context()), "failed loads leave nothing behind")
}

func copyInto(t *testing.T, from, dir string) string {
	b, err := os.ReadFile(from)
	require.NoError(t, err)
	p := filepath.Join(dir, filepath.Base(from))
	require.NoError(t, os.WriteFile(p, b, 0o600))
	return p
}

// TestBadCorpus loads every malformed file of the shared corpus: none may
// crash or hang; JSON that the JSON test suite says must be rejected is
// rejected; every error is one a client can act on. (DuckDB reads some of
// the damaged parquet files anyway: it does not verify page checksums, and
// some arrow fuzz cases are valid for its reader.)
func TestBadCorpus(t *testing.T) {
	files, _ := filepath.Glob("../../shared/testdata/bad/*")
	if len(files) == 0 {
		t.Skip("../shared/testdata/bad not present")
	}
	dir := t.TempDir()
	c := newTestCatalog(t, dir)
	for _, f := range files {
		if filepath.Ext(f) == ".md" {
			continue
		}
		t.Run(filepath.Base(f), func(t *testing.T) {
			p := copyInto(t, f, dir)
			_, err := c.Load(t.Context(), p, LoadOptions{})
			if strings.HasSuffix(f, ".json") {
				require.Error(t, err)
			}
			if err != nil {
				require.True(t, UserError(err), "%v", err)
				require.NotContains(t, err.Error(), c.staging)
			}
		})
	}
}

// TestJSONLayoutsMatchExpected loads the same table in each JSON layout
// (array of arrays, array of objects, JSON lines, NDJSON) and compares it
// with the expected CSV beside it.
func TestJSONLayoutsMatchExpected(t *testing.T) {
	dir, err := filepath.Abs("../testdata/json")
	require.NoError(t, err)
	raw, err := os.ReadFile(filepath.Join(dir, "table.csv"))
	require.NoError(t, err)
	want, err := csv.NewReader(strings.NewReader(string(raw))).ReadAll()
	require.NoError(t, err)
	c := newTestCatalog(t, dir)
	for _, f := range []string{"table.json", "table.keyed.json", "table.jsonl", "table.ndjson"} {
		t.Run(f, func(t *testing.T) {
			infos, err := c.Load(t.Context(), filepath.Join(dir, f), LoadOptions{Name: TableName(strings.ReplaceAll(f, ".", "_"))})
			require.NoError(t, err)
			res, err := c.Query(t.Context(), "SELECT * FROM "+Ident(infos[0].Name)+" ORDER BY 1", 0)
			require.NoError(t, err)
			got := [][]string{res.Columns}
			for _, r := range res.Rows {
				row := make([]string, len(r))
				for i, v := range r {
					row[i] = FormatValue(v)
				}
				got = append(got, row)
			}
			require.Equal(t, want, got)
		})
	}
}
