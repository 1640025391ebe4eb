package chat

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

func TestInspect(t *testing.T) {
	if os.Getenv("CHAT_INSPECT") == "" {
		t.Skip()
	}
	files, _ := filepath.Glob("/work/shared/eval/public/data/databench/*/all.parquet")
	files = append(files, "testdata/titanic.csv")
	for _, f := range files {
		c, err := openDuck(t.Context(), f)
		if err != nil {
			t.Fatal(err)
		}
		for _, ti := range c.Tables(t.Context()) {
			fmt.Println("==", ti.Name, ti.Rows)
			for _, col := range ti.Columns {
				r, err := c.Query(t.Context(), fmt.Sprintf(`SELECT DISTINCT %q FROM %q LIMIT 6`, col.Name, ti.Name), 6)
				if err != nil {
					t.Fatal(err)
				}
				var vs []any
				for _, row := range r.Rows {
					vs = append(vs, row[0])
				}
				fmt.Printf("  %q %s %v\n", col.Name, col.Type, vs)
			}
		}
		c.Close()
	}
}
