package htmltable

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"datachat/formats"
	"datachat/formats/formatstest"
	"datachat/formats/infer/golden"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata")

func open(t testing.TB, data []byte, opts formats.Options) ([]*formats.Table, error) {
	t.Helper()
	return Open(t.Context(), bytes.NewReader(data), int64(len(data)), opts)
}

// TestGolden reads every page under testdata and compares the tables (or the
// error) with testdata/<file>.golden.
func TestGolden(t *testing.T) {
	formatstest.Golden(t, "testdata/*.html", Open, *update)
}

func TestNoTable(t *testing.T) {
	for _, name := range []string{"text.html", "r-project.html"} {
		data, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		_, err = open(t, data, formats.Options{})
		if !errors.Is(err, ErrNoTable) || !errors.Is(err, formats.ErrCorrupt) {
			t.Errorf("%s: got %v, want ErrNoTable wrapping formats.ErrCorrupt", name, err)
		}
		if err != nil && !strings.Contains(err.Error(), "no <table>") {
			t.Errorf("%s: message %q does not say the page has no <table>", name, err)
		}
	}
}

// TestStructure checks headers, spans, nesting and text rules on small pages.
func TestStructure(t *testing.T) {
	tests := []struct {
		name string
		page string
		opts formats.Options
		want string
	}{
		{
			name: "th row header, typed columns",
			page: `<table><tr><th>n</th><th>price</th><th>ok</th><th>day</th></tr>
				<tr><td>1</td><td>$1,200.50</td><td>yes</td><td>2024-01-02</td></tr>
				<tr><td>2</td><td></td><td>No</td><td>3 Feb 2024</td></tr></table>`,
			want: `table "1" label "" announced 2
  column "n" BIGINT
  column "price" DOUBLE
  column "ok" BOOLEAN
  column "day" DATE
  row 1: 1 | 1200.5 | true | 2024-01-02
  row 2: 2 | NULL | false | 2024-02-03
  rows 2
`,
		},
		{
			name: "multi-row thead with spans",
			page: `<table><caption> Scores
				 2024 </caption><thead>
				<tr><th rowspan=2>Name</th><th colspan="2">Score</th></tr>
				<tr><th>Math</th><th>Art</th></tr></thead>
				<tbody><tr><td>Ann</td><td>1</td><td>2</td></tr></tbody></table>`,
			want: `table "1" label "Scores 2024" announced 1
  column "Name" VARCHAR
  column "Score Math" BIGINT
  column "Score Art" BIGINT
  row 1: "Ann" | 1 | 2
  rows 1
`,
		},
		{
			name: "first row is header when the column below is typed",
			page: `<table><tr><td>id</td><td>when</td></tr><tr><td>1</td><td>2024-01-01</td></tr></table>
				<table><tr><td>a</td><td>b</td></tr><tr><td>c</td><td>d</td></tr></table>`,
			want: `table "1" label "" announced 1
  column "id" BIGINT
  column "when" DATE
  row 1: 1 | 2024-01-01
  rows 1
table "2" label "" announced 2
  column "column_1" VARCHAR
  column "column_2" VARCHAR
  row 1: "a" | "b"
  row 2: "c" | "d"
  rows 2
`,
		},
		{
			name: "rowspan and colspan in body, short rows",
			page: `<table><tr><td rowspan="3">a</td><td colspan=2>b</td></tr>
				<tr><td>c</td></tr><tr></tr><tr><td>d</td></tr></table>`,
			want: `table "1" label "" announced 4
  column "column_1" VARCHAR
  column "column_2" VARCHAR
  column "column_3" VARCHAR
  row 1: "a" | "b" | "b"
  row 2: "a" | "c" | NULL
  row 3: "a" | NULL | NULL
  row 4: "d" | NULL | NULL
  rows 4
`,
		},
		{
			name: "rowspan stops at row group and does not add rows",
			page: `<table><tbody><tr><td rowspan=9>x</td><td>1</td></tr></tbody>
				<tbody><tr><td>y</td><td>2</td></tr></tbody></table>`,
			want: `table "1" label "" announced 2
  column "column_1" VARCHAR
  column "column_2" BIGINT
  row 1: "x" | 1
  row 2: "y" | 2
  rows 2
`,
		},
		{
			name: "huge spans are capped",
			page: `<table><tr><td colspan=99999999999>a</td></tr></table>`,
			want: "column_1000",
		},
		{
			name: "nested table is its own table",
			page: `<table><tr><th>k</th><th>v</th></tr><tr><td>outer<table><tr><td>inner</td></tr></table>text</td><td>1</td></tr></table>
				<table></table><table><td>last</td></table>`,
			want: `table "1" label "" announced 1
  column "k" VARCHAR
  column "v" BIGINT
  row 1: "outer text" | 1
  rows 1
table "2" label "" announced 1
  column "column_1" VARCHAR
  row 1: "inner"
  rows 1
table "4" label "" announced 1
  column "column_1" VARCHAR
  row 1: "last"
  rows 1
`,
		},
		{
			name: "whitespace, br, blocks, script, entities, duplicate names",
			page: "<table><tr><th>a</th><th>a</th><th></th></tr><tr><td>x<br>y</td><td><p>p1</p><p>p2</p></td>" +
				"<td>&nbsp;1&amp;2\t\n <script>var x = '<td>';</script><style>td{}</style></td></tr></table>",
			want: `table "1" label "" announced 1
  column "a" VARCHAR
  column "a_2" VARCHAR
  column "column_3" VARCHAR
  row 1: "x y" | "p1 p2" | "1&2"
  rows 1
`,
		},
		{
			name: "windows-1252 declared by meta",
			page: "<meta charset=\"windows-1252\"><table><tr><td>caf\xe9 \x80</td></tr></table>",
			want: `  row 1: "café €"`,
		},
		{
			name: "invalid utf-8 replaced",
			page: "<meta charset=utf-8><table><tr><td>a\xffb</td></tr></table>",
			want: "  row 1: \"a\uFFFDb\"",
		},
		{
			name: "encoding option",
			page: "<table><tr><td>\xe9</td></tr></table>",
			opts: formats.Options{Encoding: "iso-8859-1"},
			want: `  row 1: "é"`,
		},
		{
			name: "cell cap",
			page: "<table><tr><td>abcdef</td></tr></table>",
			opts: formats.Options{MaxCellBytes: 5},
			want: "error: open html: table 1 row 1: cell text longer than 5 bytes",
		},
		{
			name: "unknown encoding",
			page: "<table></table>",
			opts: formats.Options{Encoding: "klingon"},
			want: "error: open html: encoding \"klingon\"",
		},
		{
			name: "only empty tables",
			page: "<table><tr></tr></table>",
			want: "error: open html: 1 <table> elements, all empty: page has no <table>",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := formatstest.Dump(t, Open, []byte(tt.page), tt.opts)
			if !strings.Contains(got, tt.want) {
				t.Errorf("got\n%s\nwant it to contain\n%s", got, tt.want)
			}
		})
	}
}

func TestLimits(t *testing.T) {
	// 2000 rows x 1000 columns via colspan: 2 million cells fit.
	var b strings.Builder
	b.WriteString("<table>")
	for range 2000 {
		b.WriteString("<tr><td colspan=1000>x</td></tr>")
	}
	b.WriteString("</table>")
	tables, err := open(t, []byte(b.String()), formats.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(tables[0].Columns); n != 1000 {
		t.Errorf("columns = %d, want 1000", n)
	}
	// One row spanning 20 million columns is refused (10 million cells at most)
	// before it is built.
	wide := "<table><tr>" + strings.Repeat("<td colspan=1000>x", 20_000) + "</table>"
	if _, err := open(t, []byte(wide), formats.Options{}); !errors.Is(err, formats.ErrUnsupported) {
		t.Errorf("wide row: got %v, want ErrUnsupported", err)
	}
	// Deeply nested tables.
	deep := strings.Repeat("<table><tr><td>", 100)
	if _, err := open(t, []byte(deep), formats.Options{}); !errors.Is(err, formats.ErrUnsupported) {
		t.Errorf("deep nesting: got %v, want ErrUnsupported", err)
	}
	// Oversized input is refused before reading.
	if _, err := Open(t.Context(), bytes.NewReader(nil), 1<<40, formats.Options{}); !errors.Is(err, formats.ErrUnsupported) {
		t.Errorf("1 TiB: got %v, want ErrUnsupported", err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := Open(ctx, bytes.NewReader([]byte("<table>")), 7, formats.Options{}); !errors.Is(err, context.Canceled) {
		t.Errorf("canceled: got %v", err)
	}
}

func FuzzOpen(f *testing.F) {
	for _, data := range formatstest.ReadFiles(f, "testdata/*.html") {
		f.Add(data)
	}
	f.Add([]byte("<table><tr><td rowspan=3 colspan=2>a</td><th>b</table><table><td>1</td>"))
	f.Fuzz(func(t *testing.T, data []byte) {
		tables, err := open(t, data, formats.Options{MaxCellBytes: 1 << 16})
		if err != nil {
			formatstest.CheckErr(t, err)
			return
		}
		for _, tb := range tables {
			if len(tb.Columns) == 0 {
				t.Fatalf("table %q has no columns", tb.Name)
			}
			formatstest.CheckColumnNames(t, tb)
		}
		if _, err := golden.Dump(tables); err != nil {
			t.Fatal(err)
		}
	})
}
