package htmltable

import (
	"fmt"
	"strings"
	"testing"

	"datachat/formats/formatstest"
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
	formatstest.BenchOpen(b, Open, data)
}
