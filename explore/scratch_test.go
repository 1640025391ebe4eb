package explore

import (
	"os"
	"strings"
	"testing"
)

func TestScratchFiles(t *testing.T) {
	for _, p := range strings.Fields(os.Getenv("EXPLORE_FILES")) {
		t.Run(p, func(t *testing.T) {
			cat, name := loadTable(t, p)
			cs, err := Visuals(t.Context(), cat, name, 5)
			if err != nil {
				t.Fatal(err)
			}
			logCharts(t, cs)
			renderAll(t, cs)
		})
	}
}
