package text

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf16"

	"datachat/formats"
	"datachat/formats/infer/golden"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata")

func TestSniff(t *testing.T) {
	tests := []struct {
		name   string
		sample string
		delim  byte
		ok     bool
	}{
		{"comma", "a,b,c\n1,2,3\n4,5,6\n", ',', true},
		{"crlf and no final newline", "a,b\r\n1,2\r\n3,4", ',', true},
		{"semicolon with decimal commas", "a;b\n1,5;2,5\n3,25;4\n", ';', true},
		{"tab", "a\tb\n1\t2\n", '\t', true},
		{"pipe", "a|b|c\n1|2|3\n", '|', true},
		{"quoted delimiters and newlines", "name,note\n\"Smith, J\",\"line1\nline2\"\n\"O\"\"Brien\",x\n", ',', true},
		{"blank lines ignored", "a,b\n\n1,2\n\n", ',', true},
		{"last record cut short", "a,b,c\n1,2,3\n4,5", ',', true},
		{"last record too long", "a,b\n1,2\n3,4,5", 0, false},
		{"inconsistent", "a,b\n1,2,3\n", 0, false},
		{"single line", "a,b,c\n", 0, false},
		{"prose", "Hello, world. This is text,\nwith commas, here, and there, too.\n", 0, false},
		{"one field", "a\nb\nc\n", 0, false},
		{"empty", "", 0, false},
		{"binary", "a,b\n1,\x002\n", 0, false},
		{"more fields wins", "a;b,c;d\n1;2,3;4\n", ';', true},
		{"tie prefers comma", "a,b;c\n1,2;3\n", ',', true},
		{"bom", "\xef\xbb\xbfa,b\n1,2\n", ',', true},
		{"quote open to the end", "a,b\n\"1,2\n3,4\n", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, ok := Sniff([]byte(tt.sample))
			if d != tt.delim || ok != tt.ok {
				t.Errorf("Sniff(%q) = %q, %v, want %q, %v", tt.sample, d, ok, tt.delim, tt.ok)
			}
		})
	}
}

func open(t testing.TB, data []byte, opts formats.Options) ([]*formats.Table, error) {
	t.Helper()
	return Open(t.Context(), bytes.NewReader(data), int64(len(data)), opts)
}

// TestGolden sniffs every file under testdata and reads it as lines, and
// compares the result with testdata/<file>.golden (only the first 5 lines of
// delimited files are kept).
func TestGolden(t *testing.T) {
	files, err := filepath.Glob("testdata/*.txt")
	if err != nil || len(files) == 0 {
		t.Fatalf("no test files: %v", err)
	}
	for _, path := range files {
		t.Run(filepath.Base(path), func(t *testing.T) {
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			var b strings.Builder
			d, ok := Sniff(data[:min(len(data), 64<<10)])
			fmt.Fprintf(&b, "sniff %q %v\n", d, ok)
			tables, err := open(t, data, formats.Options{})
			if err != nil {
				t.Fatal(err)
			}
			for _, tb := range tables {
				fmt.Fprintf(&b, "table %q announced %d\n", tb.Name, tb.RowCount)
				for _, c := range tb.Columns {
					fmt.Fprintf(&b, "  column %q %s\n", c.Name, c.Kind)
				}
				n := 0
				err := golden.Each(tb, func(row []any) error {
					n++
					if !ok || n <= 5 {
						fmt.Fprintf(&b, "  row %d: %d | %q\n", n, row[0], row[1])
					}
					return nil
				})
				if err != nil {
					t.Fatal(err)
				}
				fmt.Fprintf(&b, "  rows %d\n", n)
			}
			golden.Compare(t, path+".golden", b.String(), *update)
		})
	}
}

func readLines(t *testing.T, data []byte, opts formats.Options) ([]string, error) {
	t.Helper()
	tables, err := open(t, data, opts)
	if err != nil {
		return nil, err
	}
	var got []string
	err = golden.Each(tables[0], func(row []any) error {
		if row[0] != int64(len(got)+1) {
			return fmt.Errorf("line_number %v, want %d", row[0], len(got)+1)
		}
		got = append(got, row[1].(string))
		return nil
	})
	return got, err
}

func TestLines(t *testing.T) {
	utf16le := func(s string) string {
		var b []byte
		for _, u := range utf16.Encode([]rune("\ufeff" + s)) {
			b = append(b, byte(u), byte(u>>8))
		}
		return string(b)
	}
	utf16be := func(s string) string {
		var b []byte
		for _, u := range utf16.Encode([]rune("\ufeff" + s)) {
			b = append(b, byte(u>>8), byte(u))
		}
		return string(b)
	}
	long := strings.Repeat("é", 100_000) // 200000 bytes on one line
	tests := []struct {
		name string
		in   string
		opts formats.Options
		want []string
	}{
		{"empty", "", formats.Options{}, nil},
		{"lf", "a\nb\n", formats.Options{}, []string{"a", "b"}},
		{"crlf, no final newline", "a\r\n\r\nc", formats.Options{}, []string{"a", "", "c"}},
		{"only newline", "\n", formats.Options{}, []string{""}},
		{"invalid utf-8", "a\xffb\n", formats.Options{}, []string{"a\uFFFDb"}},
		{"utf-8 bom", "\xef\xbb\xbfhi\n", formats.Options{}, []string{"hi"}},
		{"utf-16le bom", utf16le("héllo\r\nwörld\n"), formats.Options{}, []string{"héllo", "wörld"}},
		{"utf-16be bom", utf16be("a\nb"), formats.Options{}, []string{"a", "b"}},
		{"encoding option", "caf\xe9\n", formats.Options{Encoding: "latin1"}, []string{"café"}},
		{"line cap at rune boundary", "aé\nnext\n", formats.Options{MaxCellBytes: 2}, []string{"a", "ne"}},
		{"long line over buffer", long + "\nx", formats.Options{MaxCellBytes: 150_001}, []string{long[:150_000], "x"}},
		{"long line kept whole", long + "\r\n", formats.Options{}, []string{long}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := readLines(t, []byte(tt.in), tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("got %d lines, want %d", len(got), len(tt.want))
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Errorf("line %d = %.40q (%d bytes), want %.40q (%d bytes)", i+1, got[i], len(got[i]), tt.want[i], len(tt.want[i]))
				}
			}
		})
	}
}

func TestOpenErrors(t *testing.T) {
	if _, err := open(t, []byte("ELF\x00\x01"), formats.Options{}); !errors.Is(err, formats.ErrUnsupported) {
		t.Errorf("binary: got %v, want ErrUnsupported", err)
	}
	if _, err := open(t, []byte("x"), formats.Options{Encoding: "klingon"}); !errors.Is(err, formats.ErrUnsupported) {
		t.Errorf("bad encoding: got %v, want ErrUnsupported", err)
	}
}

func FuzzText(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.txt")
	for _, path := range files {
		data, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data[:min(len(data), 4096)])
	}
	f.Add([]byte("a,\"b\nc\",d\r\n1,2,3"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if d, ok := Sniff(data); ok != (d != 0) {
			t.Fatalf("Sniff = %q, %v", d, ok)
		}
		tables, err := open(t, data, formats.Options{MaxCellBytes: 100})
		if err != nil {
			if !errors.Is(err, formats.ErrUnsupported) {
				t.Fatal(err)
			}
			return
		}
		total := 0
		err = golden.Each(tables[0], func(row []any) error {
			s := row[1].(string)
			if len(s) > 100 {
				return fmt.Errorf("line of %d bytes over the 100-byte cap", len(s))
			}
			total += len(s) + 1
			return nil
		})
		if err != nil && !errors.Is(err, io.EOF) {
			t.Fatal(err)
		}
	})
}
