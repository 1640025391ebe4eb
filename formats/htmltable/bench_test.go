package htmltable

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"datachat/formats"
	"datachat/formats/infer/golden"
)

// BenchmarkOpen reads a 10,000-row page with typed columns and drains it.
func BenchmarkOpen(b *testing.B) {
	var sb strings.Builder
	sb.WriteString("<html><body><table><thead><tr><th>id</th><th>price</th><th>name</th><th>day</th><th>ok</th></tr></thead><tbody>\n")
	for i := range 10_000 {
		fmt.Fprintf(&sb, "<tr><td>%d</td><td>$%d.%02d</td><td>item <b>%d</b></td><td>2024-%02d-%02d</td><td>%v</td></tr>\n",
			i, i, i%100, i, i%12+1, i%28+1, i%2 == 0)
	}
	sb.WriteString("</tbody></table></body></html>")
	data := []byte(sb.String())
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		tables, err := Open(b.Context(), bytes.NewReader(data), int64(len(data)), formats.Options{})
		if err != nil {
			b.Fatal(err)
		}
		if err := golden.Each(tables[0], func([]any) error { return nil }); err != nil {
			b.Fatal(err)
		}
	}
}
