package xmltable

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"unicode/utf16"

	"datachat/formats"
	"datachat/formats/formatstest"
	"datachat/formats/infer/golden"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata")

func open(t testing.TB, data []byte, opts formats.Options) ([]*formats.Table, error) {
	t.Helper()
	return Open(t.Context(), bytes.NewReader(data), int64(len(data)), opts)
}

// TestGolden reads every document under testdata and compares the table (or
// the error) with testdata/<file>.golden.
func TestGolden(t *testing.T) {
	formatstest.Golden(t, "testdata/*.xml", Open, *update)
}

func TestRecords(t *testing.T) {
	tests := []struct {
		name string
		doc  string
		opts formats.Options
		want string
	}{
		{
			name: "nested paths, attributes, repeated children",
			doc: `<?xml version="1.0"?><books><book id="1" lang="en"><title>A</title><author>X</author><author>Y</author>
				<address><city>Oslo</city><zip>0150</zip></address><price>$10.50</price></book>
				<book id="2"><title>B</title><address><city>Rome</city></address><empty/></book></books>`,
			want: `table "" label "" announced 2
  column "id" BIGINT
  column "lang" VARCHAR
  column "title" VARCHAR
  column "author" VARCHAR
  column "address_city" VARCHAR
  column "address_zip" VARCHAR
  column "price" DOUBLE
  column "empty" VARCHAR
  row 1: 1 | "en" | "A" | "X; Y" | "Oslo" | "0150" | 10.5 | NULL
  row 2: 2 | NULL | "B" | NULL | "Rome" | NULL | NULL | NULL
  rows 2
`,
		},
		{
			name: "record option by local name, nested same name stays inside",
			doc:  `<r><n v="1"><n v="2"/></n><x><n v="3"/></x></r>`,
			opts: formats.Options{Record: "n"},
			want: `table "" label "" announced 2
  column "v" BIGINT
  column "n_v" BIGINT
  row 1: 1 | 2
  row 2: 3 | NULL
  rows 2
`,
		},
		{
			name: "record option with prefix",
			doc:  `<r xmlns:a="urn:a" xmlns:b="urn:b"><a:i k="1"/><b:i k="2"/><a:i k="3"/></r>`,
			opts: formats.Options{Record: "b:i"},
			want: `  row 1: 2
  rows 1
`,
		},
		{
			name: "record option not found",
			doc:  `<r><a/></r>`,
			opts: formats.Options{Record: "item"},
			want: "error: open xml: no <item> element in the document",
		},
		{
			name: "namespace clash qualified by prefix",
			doc:  `<r xmlns:f="urn:f" xmlns:g="urn:g"><e f:id="1" g:id="2" other="x"/><e f:id="3" g:id="4"/></r>`,
			want: `  column "f_id" BIGINT
  column "g_id" BIGINT
  column "other" VARCHAR
`,
		},
		{
			name: "attribute and element of the same name",
			doc:  `<r><e id="1"><id>a</id></e><e id="2"><id>b</id></e></r>`,
			want: `  column "id" BIGINT
  column "id_2" VARCHAR
`,
		},
		{
			name: "leaf records",
			doc:  `<list><v>1</v><v>2.5</v><v/></list>`,
			want: `table "" label "" announced 3
  column "v" DOUBLE
  row 1: 1
  row 2: 2.5
  row 3: NULL
  rows 3
`,
		},
		{
			name: "record with text and attribute",
			doc:  `<prices><price cur="EUR">1.5</price><price cur="USD">2</price></prices>`,
			want: `  column "cur" VARCHAR
  column "price" DOUBLE
  row 1: "EUR" | 1.5
`,
		},
		{
			name: "typed columns",
			doc: `<r><e><d>2024-01-02</d><ts>2024-01-02T03:04:05Z</ts><b>true</b><n>1,000</n></e>
				<e><d>2024-02-29</d><ts>2024-01-02 03:04</ts><b>no</b><n>-5</n></e></r>`,
			want: `  row 1: 2024-01-02 | 2024-01-02T03:04:05Z | true | 1000
  row 2: 2024-02-29 | 2024-01-02T03:04:00Z | false | -5
`,
		},
		{
			name: "cdata, entities, comments",
			doc:  `<r><e><a><![CDATA[<x> & y]]></a><b>&lt;&amp;&nbsp;&#233;</b><!-- c --></e><e><a>z</a><b>q</b></e></r>`,
			want: `  row 1: "<x> & y" | "<&\u00a0é"`,
		},
		{
			name: "declared entity left as written",
			doc:  `<!DOCTYPE r [<!ENTITY co "Acme">]><r><e><a>&co; Inc</a></e><e><a>b</a></e></r>`,
			want: `  row 1: "&co; Inc"`,
		},
		{
			name: "billion laughs refused",
			doc: `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
				<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]><lolz>&lol3;</lolz>`,
			want: `error: open xml: find records: line 2: the DTD declares entity "lol2" whose value refers to other entities`,
		},
		{
			name: "latin-1 declared",
			doc:  "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><r><e><a>caf\xe9</a></e><e><a>b</a></e></r>",
			want: `  row 1: "café"`,
		},
		{
			name: "encoding option wins",
			doc:  "<?xml version=\"1.0\" encoding=\"UTF-8\"?><r><e><a>caf\xe9</a></e><e><a>b</a></e></r>",
			opts: formats.Options{Encoding: "latin1"},
			want: `  row 1: "café"`,
		},
		{
			name: "unknown declared encoding",
			doc:  `<?xml version="1.0" encoding="klingon"?><r/>`,
			want: `error: open xml: find records: xml: opening charset "klingon": encoding "klingon": unsupported file feature`,
		},
		{
			name: "utf-8 bom",
			doc:  "\xef\xbb\xbf<r><e>1</e><e>2</e></r>",
			want: `  column "e" BIGINT`,
		},
		{
			name: "mismatched tags",
			doc:  "<r>\n<e><a>1</b></e></r>",
			want: "error: open xml: find records: line 2: <a> closed by </b>: corrupt or unsupported file",
		},
		{
			name: "unclosed document",
			doc:  "<r><e><a>1</a></e>",
			want: "error: open xml: find records: line 1: document ends inside <r>: corrupt or unsupported file",
		},
		{
			name: "not xml",
			doc:  "hello",
			want: "error: open xml: document has no elements: corrupt or unsupported file",
		},
		{
			name: "cell cap",
			doc:  "<r><e>abcdef</e><e>x</e></r>",
			opts: formats.Options{MaxCellBytes: 4},
			want: "text longer than 4 bytes (Options.MaxCellBytes)",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := formatstest.Dump(t, Open, []byte(tt.doc), tt.opts)
			if !strings.Contains(got, tt.want) {
				t.Errorf("got\n%s\nwant it to contain\n%s", got, tt.want)
			}
		})
	}
}

func TestUTF16(t *testing.T) {
	doc := `<?xml version="1.0" encoding="UTF-16"?><r><e a="é">1</e><e a="ü">2</e></r>`
	for _, little := range []bool{true, false} {
		var b []byte
		for _, u := range utf16.Encode([]rune("\ufeff" + doc)) {
			if little {
				b = append(b, byte(u), byte(u>>8))
			} else {
				b = append(b, byte(u>>8), byte(u))
			}
		}
		got := formatstest.Dump(t, Open, b, formats.Options{})
		if want := `  row 2: "ü" | 2`; !strings.Contains(got, want) {
			t.Errorf("little endian %v: got\n%s\nwant it to contain %s", little, got, want)
		}
	}
}

// TestHostile checks that deep nesting and entity bombs fail fast with little
// memory.
func TestHostile(t *testing.T) {
	deep := []byte(strings.Repeat("<a>", 100_000) + strings.Repeat("</a>", 100_000))
	var lol strings.Builder
	lol.WriteString(`<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol0 "lol">`)
	for i := 1; i < 10; i++ {
		lol.WriteString(`<!ENTITY lol` + string(rune('0'+i)) + ` "` + strings.Repeat("&lol"+string(rune('0'+i-1))+";", 10) + `">`)
	}
	lol.WriteString(`]><lolz>&lol9;</lolz>`)
	quadratic := []byte(`<!DOCTYPE r [<!ENTITY e "` + strings.Repeat("x", 50_000) + `">]><r>` + strings.Repeat("&e;", 100_000) + `</r>`)
	tests := []struct {
		name string
		doc  []byte
		want error
	}{
		{"100k levels", deep, formats.ErrUnsupported},
		{"billion laughs", []byte(lol.String()), formats.ErrUnsupported},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			_, err := open(t, tt.doc, formats.Options{})
			runtime.ReadMemStats(&after)
			if !errors.Is(err, tt.want) {
				t.Fatalf("got %v, want %v", err, tt.want)
			}
			if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 16<<20 {
				t.Errorf("allocated %d bytes", alloc)
			}
			t.Logf("%s: %v", tt.name, err)
		})
	}
	t.Run("quadratic blowup stays literal", func(t *testing.T) {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		tables, err := open(t, quadratic, formats.Options{})
		runtime.ReadMemStats(&after)
		if err != nil {
			t.Fatal(err)
		}
		if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 64<<20 {
			t.Errorf("allocated %d bytes for a %d-byte document", alloc, len(quadratic))
		}
		b := formats.NewBatch(tables[0].Columns, 1)
		if err := tables[0].Rows.Next(b); err != nil {
			t.Fatal(err)
		}
		if s, _ := b.Cols[0].Value(0).(string); len(s) != 300_000 {
			t.Errorf("text is %d bytes, want the 300000 bytes of literal references", len(s))
		}
	})
	t.Run("long names and many fields", func(t *testing.T) {
		var b strings.Builder
		for i := range 200 {
			fmt.Fprintf(&b, "<n%d%s>", i, strings.Repeat("x", 1000))
		}
		b.WriteString("<leaf>1</leaf>")
		for i := 199; i >= 0; i-- {
			fmt.Fprintf(&b, "</n%d%s>", i, strings.Repeat("x", 1000))
		}
		tables, err := open(t, []byte(b.String()), formats.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if n := tables[0].Columns[0].Name; len(n) > 256 {
			t.Errorf("column name of %d bytes", len(n))
		}
		b.Reset()
		b.WriteString("<r><e>")
		for i := range 10_001 {
			fmt.Fprintf(&b, "<f%d/>", i)
		}
		b.WriteString("</e><e/></r>")
		if _, err := open(t, []byte(b.String()), formats.Options{}); !errors.Is(err, formats.ErrUnsupported) {
			t.Errorf("10001 fields: got %v, want ErrUnsupported", err)
		}
	})
	t.Run("canceled", func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		doc := []byte(strings.Repeat("<r><e>1</e></r>", 1000))
		if _, err := Open(ctx, bytes.NewReader(doc), int64(len(doc)), formats.Options{}); !errors.Is(err, context.Canceled) {
			t.Errorf("got %v, want context.Canceled", err)
		}
	})
	t.Run("oversized", func(t *testing.T) {
		if _, err := Open(t.Context(), bytes.NewReader(nil), 1<<40, formats.Options{}); !errors.Is(err, formats.ErrUnsupported) {
			t.Errorf("got %v, want ErrUnsupported", err)
		}
	})
}

func FuzzOpen(f *testing.F) {
	for _, data := range formatstest.ReadFiles(f, "testdata/*.xml") {
		f.Add(data, "")
	}
	f.Add([]byte(`<r xmlns:a="u"><a:e a:x="1"><b>2</b><b>3</b></a:e><a:e/></r>`), "a:e")
	f.Fuzz(func(t *testing.T, data []byte, record string) {
		tables, err := open(t, data, formats.Options{Record: record, MaxCellBytes: 1 << 16})
		if err != nil {
			formatstest.CheckErr(t, err)
			return
		}
		for _, tb := range tables {
			formatstest.CheckColumnNames(t, tb)
		}
		if _, err := golden.Dump(tables); err != nil {
			t.Fatal(err)
		}
	})
}
