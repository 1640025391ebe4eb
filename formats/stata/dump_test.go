package stata

import (
	"fmt"
	"io"
	"os"
	"testing"

	"datachat/formats"
)

func TestDumpTmp(t *testing.T) {
	p := os.Getenv("DTA_DUMP")
	if p == "" {
		t.Skip()
	}
	fh, err := os.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	st, _ := fh.Stat()
	tabs, err := Open(t.Context(), fh, st.Size(), formats.Options{})
	if err != nil {
		t.Fatal(err)
	}
	tb := tabs[0]
	fmt.Printf("label=%q rows=%d\n", tb.Label, tb.RowCount)
	for _, c := range tb.Columns {
		fmt.Printf("  %s kind=%v fmt=%q label=%q vl=%v\n", c.Name, c.Kind, c.Format, c.Label, c.ValueLabels)
	}
	dst := make([]any, len(tb.Columns))
	for n := 0; ; n++ {
		err := tb.Rows.Next(dst)
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if n < 12 {
			fmt.Printf("%v\n", dst)
		}
	}
}
