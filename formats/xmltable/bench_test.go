package xmltable

import (
	"fmt"
	"strings"
	"testing"

	"datachat/formats/formatstest"
)

// BenchmarkOpen reads 20,000 records (detecting the record element) and
// drains them.
func BenchmarkOpen(b *testing.B) {
	var sb strings.Builder
	sb.WriteString(`<?xml version="1.0"?><catalog>` + "\n")
	for i := range 20_000 {
		fmt.Fprintf(&sb, "  <item id=\"%d\"><name>item %d</name><price>%d.%02d</price><date>2024-%02d-%02d</date><tag>a</tag><tag>b</tag><addr><city>c%d</city></addr></item>\n",
			i, i, i, i%100, i%12+1, i%28+1, i%50)
	}
	sb.WriteString("</catalog>")
	data := []byte(sb.String())
	formatstest.BenchOpen(b, Open, data)
}
