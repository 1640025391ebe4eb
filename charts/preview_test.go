package charts

import (
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

var previewDir = flag.String("preview", "", "write preview PNGs of every titanic chart to this directory")

// TestPreview renders titanic charts for a person to look at: -update
// rewrites the two committed ones in testdata/preview, -preview DIR writes
// them all to DIR.
func TestPreview(t *testing.T) {
	data := loadTitanic(t)
	cases := []struct {
		name   string
		spec   Spec
		commit bool
	}{
		{"count_by_class", Spec{Kind: Bar, X: "Pclass", Title: "Passengers by class", XLabel: "Class"}, true},
		{"age_histogram", Spec{Kind: Histogram, X: "Age", XLabel: "Age (years)"}, true},
		{"fare_histogram", Spec{Kind: Histogram, X: "Fare"}, false},
		{"survived_by_class_grouped", Spec{Kind: GroupedBar, X: "Pclass", Group: "Sex", Y: "Survived"}, false},
		{"embarked_stacked", Spec{Kind: StackedBar, X: "Embarked", Group: "Pclass"}, false},
		{"age_fare_scatter", Spec{Kind: Scatter, X: "Age", Y: "Fare", Group: "Sex"}, false},
		{"fare_by_name", Spec{Kind: Bar, X: "Name", Y: "Fare"}, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			png, err := Render(t.Context(), tc.spec, data, "png")
			require.NoError(t, err)
			_, _, colors := distinctColors(t, png, 10)
			require.GreaterOrEqual(t, colors, 5)
			if *update && tc.commit {
				require.NoError(t, os.WriteFile(filepath.Join("testdata", "preview", tc.name+".png"), png, 0o644))
			}
			if *previewDir != "" {
				require.NoError(t, os.WriteFile(filepath.Join(*previewDir, tc.name+".png"), png, 0o644))
			}
		})
	}
}
